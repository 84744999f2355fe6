"""``kg lint``: findings for a curator's look (likely duplicates, unused entities, unknown sources)."""

from __future__ import annotations

import click

import kg
from kg.cli._common import project_option, user_errors
from kg.project import Project


@click.command("lint")
@project_option
@user_errors
def lint_cmd(project: Project) -> None:
    """Find likely duplicate entities, unused entities and unregistered sources.

    Prints one finding a line as file:line: message; exit status 1 when there is any.
    Explain a pair that is rightly two entities with `distinct_from` in data/.

    \b
    Example:
      kg lint
    """
    from kg.errors import UserError

    findings = kg.open(project=project).lint()
    if findings:
        raise UserError(findings)
    click.echo("lint: no findings")
