"""``kg init``: start a new project folder."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import user_errors


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path), default=".")
@click.option("--from-example", "example", is_flag=True,
              help="Add the curated example data kg comes with (five documents on education equity).")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (adds missing files only).")
@user_errors
def init_cmd(folder: Path, example: bool, force: bool) -> None:
    """Start a new project in FOLDER (default: here): data/, queries/, ontology/, kg.toml.

    Never overwrites a file; a folder that is not empty needs --force.

    \b
    Example:
      kg init my-graph --from-example && cd my-graph && kg build && kg stats
    """
    from kg.template import init_project

    written = init_project(folder, example=example, force=force)
    name = str(folder)
    click.echo(f"started a kg project in {name}: {len(written)} files and folders written")
    step = "kg build" if example else "add a source and its facts to data/ (see data/README.md), then kg build"
    click.echo(f"next: cd {name} && {step}" if folder != Path(".") else f"next: {step}")
