"""What every command shares: the project option and turning user errors into clean exits."""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from kg.errors import UserError
from kg.project import Project


def project_option(f: Callable) -> Callable:
    """Add ``--project DIR`` (env ``KG_PROJECT``), passing a :class:`Project` as ``project``."""

    def to_project(ctx: click.Context, param: click.Parameter, value: Path | None) -> Project:
        try:
            project = Project.at(value) if value else Project.find(Path.cwd())
        except UserError as e:
            _exit_with(e)
        given = ctx.get_parameter_source("project") == click.core.ParameterSource.COMMANDLINE
        if not given and project.root != Path.cwd().resolve():  # KG_PROJECT, or a folder above
            click.echo(f"kg: using the project in {project.root}", err=True)
        endpoint = ctx.meta.get("kg.endpoint")
        if endpoint is not None:
            project = dataclasses.replace(project, endpoint=endpoint)
        return dataclasses.replace(project, fresh=True) if ctx.meta.get("kg.fresh") else project

    return click.option(
        "--project", type=click.Path(file_okay=False, exists=True, path_type=Path),
        envvar="KG_PROJECT", callback=to_project,
        help="The project folder (made by `kg init`); default: here, or the nearest one above.")(f)


def _exit_with(e: UserError) -> NoReturn:
    for problem in e.problems:
        click.echo(str(problem), err=True)
    n = len(e.problems)
    if n > 1:
        click.echo(f"{n} problems", err=True)
    sys.exit(getattr(e, "exit_status", 1))  # 130 for a push stopped by Ctrl-C


def endpoint_option(f: Callable) -> Callable:
    """Add ``--endpoint URL`` (env ``KG_ENDPOINT``): ask a remote SPARQL endpoint instead of the
    embedded store; ``--endpoint embedded`` forces the embedded one. Apply above project_option."""

    def remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            ctx.meta["kg.endpoint"] = value

    def insist(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            ctx.meta["kg.fresh"] = True

    f = click.option(
        "--fresh", is_flag=True, is_eager=True, expose_value=False, callback=insist,
        help="Answer only from a build of the data as it is now: when data/ has problems, fail "
             "rather than answer from the last good build.")(f)
    return click.option(
        "--endpoint", metavar="URL", is_eager=True, expose_value=False, callback=remember,
        help="A SPARQL 1.1 query URL to ask instead of the built dataset (or 'embedded'). "
             "Also KG_ENDPOINT or kg.toml [store] endpoint.")(f)


def user_errors(f: Callable) -> Callable:
    """Print a :class:`UserError`'s problems, one ``file:line: message`` a line, and exit 1;
    Ctrl-C (SIGINT) is one line and exit status 130, as a shell reports an interrupted program.

    Anything else is a bug and keeps its traceback.
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except UserError as e:
            _exit_with(e)
        except KeyboardInterrupt:
            click.echo("kg: interrupted", err=True)
            sys.exit(130)

    return wrapper


class Seconds(click.ParamType):
    """A positive, finite number of seconds (``nan`` and ``inf`` are refused where they are read).

    >>> Seconds().convert("2.5", None, None)
    2.5
    """

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        import math

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds <= 0:
            self.fail(f"{value!r}: give a positive, finite number of seconds", param, ctx)
        return seconds


SECONDS = Seconds()
