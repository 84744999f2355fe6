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
        return Project(value.resolve()) if value else Project.default()

    return click.option(
        "--project", type=click.Path(file_okay=False, exists=True, path_type=Path),
        envvar="KG_PROJECT", callback=to_project,
        help="The project folder (with data/, ontology/, queries/); default: here.")(f)


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
