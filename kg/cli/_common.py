"""What every command shares: the project option and turning user errors into clean exits."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kg.errors import UserError
from kg.project import Project


def project_option(f: Callable) -> Callable:
    """Add ``--project DIR`` (env ``KG_PROJECT``), passing a :class:`Project` as ``project``."""

    def to_project(ctx: click.Context, param: click.Parameter, value: Path | None) -> Project:
        project = Project(value.resolve()) if value else Project.default()
        endpoint = ctx.meta.get("kg.endpoint")
        return Project(project.root, endpoint=endpoint) if endpoint is not None else project

    return click.option(
        "--project", type=click.Path(file_okay=False, exists=True, path_type=Path),
        envvar="KG_PROJECT", callback=to_project,
        help="The project folder (with data/, ontology/, queries/); default: here.")(f)


def endpoint_option(f: Callable) -> Callable:
    """Add ``--endpoint URL`` (env ``KG_ENDPOINT``): ask a remote SPARQL endpoint instead of the
    embedded store; ``--endpoint embedded`` forces the embedded one. Apply above project_option."""

    def remember(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            ctx.meta["kg.endpoint"] = value

    return click.option(
        "--endpoint", metavar="URL", is_eager=True, expose_value=False, callback=remember,
        help="A SPARQL 1.1 query URL to ask instead of the built dataset (or 'embedded'). "
             "Also KG_ENDPOINT or kg.toml [store] endpoint.")(f)


def user_errors(f: Callable) -> Callable:
    """Print a :class:`UserError`'s problems, one ``file:line: message`` a line, and exit 1.

    Anything else is a bug and keeps its traceback.
    """

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except UserError as e:
            for problem in e.problems:
                click.echo(str(problem), err=True)
            n = len(e.problems)
            if n > 1:
                click.echo(f"{n} problems", err=True)
            sys.exit(1)

    return wrapper
