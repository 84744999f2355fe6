"""``kg query``: SPARQL from the command line (named questions come with the query layer)."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import project_option, user_errors
from kg.project import Project


@click.command("query")
@click.option("--sparql", help="The SPARQL query text.")
@click.option("--file", "file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Read the query from this file.")
@project_option
@user_errors
def query_cmd(sparql: str | None, file: Path | None, project: Project) -> None:
    """Answer a SPARQL question over the built dataset.

    \b
    Example:
      kg query --sparql 'SELECT ?org WHERE { ?org a kg:Foundation }'
    """
    from kg.errors import UserError
    from kg.store import open_store

    if file is not None:
        sparql = file.read_text(encoding="utf-8")
    if not sparql:
        raise UserError("give a query: --sparql TEXT or --file Q.rq")
    try:
        result = open_store(project).query(sparql)
    except SyntaxError as e:
        raise UserError(f"SPARQL syntax error: {e}") from None
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
        return
    click.echo("\t".join(result.columns))
    for row in result.rows:
        click.echo("\t".join("" if t is None else t.value for t in row))
