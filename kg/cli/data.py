"""Commands over the curated data and the built dataset: build, validate, stats, export, describe."""

from __future__ import annotations

import sys
from pathlib import Path

import click

import kg
from kg.build.export import FORMATS as RDF_FORMATS
from kg.cli._common import endpoint_option, project_option, user_errors
from kg.errors import UserError
from kg.project import Project


@click.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when no input changed.")
@project_option
@user_errors
def build_cmd(force: bool, project: Project) -> None:
    """Check data/ and build the dataset under build/.

    Rebuilds only when data/, ontology/ or the code changed; writes nothing when a check fails.

    \b
    Example:
      kg build
    """
    g = kg.open(project=project)
    b = g.build(force=force)
    state = "built" if b.rebuilt else "up to date"
    click.echo(f"{state}: {b.quads} quads in {project.relative(b.path)}")
    waiting = g.drafts()
    if waiting:
        click.echo(f"note: {len(waiting)} draft candidates await review and are not in the graph "
                   f"(first: {waiting[0].file}:{waiting[0].line}); kg review lists them", err=True)


@click.command("validate")
@project_option
@user_errors
def validate_cmd(project: Project) -> None:
    """Check data/ and report every problem as file:line: message.

    Checks the YAML, keys, ids, references, roles, dates and numbers, then the SHACL shapes
    and the *-violation.rq queries. Exit status 1 when anything is wrong.

    \b
    Example:
      kg validate
    """
    problems, notes = kg.open(project=project).check()
    for note in notes:
        click.echo(f"note: {note}", err=True)
    if problems:
        raise UserError(problems)
    click.echo("valid: no problems found")


@click.command("stats")
@click.option("--by-source", is_flag=True, help="For each source: entities, statements and figures.")
@endpoint_option
@project_option
@user_errors
def stats_cmd(by_source: bool, project: Project) -> None:
    """Count entities, facts and labels by class, role, source and language.

    \b
    Example:
      kg stats --by-source
    """
    g = kg.open(project=project)
    if by_source:
        rows = g.source_stats()
        width = max(len(r[0]) for r in rows)
        click.echo(f"{'source':<{width}}  entities  statements  figures")
        for source, entities, statements, figures in rows:
            click.echo(f"{source:<{width}}  {entities:>8}  {statements:>10}  {figures:>7}")
        return
    for section, counts in g.stats().items():
        click.echo(f"{section}:")
        width = max((len(w) for w, _ in counts), default=0)
        for what, n in counts:
            click.echo(f"  {what:<{width}}  {n:>6}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(list(RDF_FORMATS)), default="trig", show_default=True,
              help="The RDF format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of standard output.")
@project_option
@user_errors
def export_cmd(fmt: str, output: Path | None, project: Project) -> None:
    """Write the whole dataset, with its provenance, as RDF.

    Quad formats (trig, nquads, jsonld) keep one named graph per curated fact; triple
    formats (turtle, nt) hold the merge of all graphs.

    \b
    Example:
      kg export --format nquads -o kg.nq
    """
    g = kg.open(project=project)
    if output is None:
        sys.stdout.buffer.write(g.export(fmt))
    else:
        size = g.write_export(output, fmt)
        click.echo(f"wrote {output} ({size} bytes, {fmt})", err=True)


@click.command("describe")
@click.argument("entity")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="The language of labels.")
@endpoint_option
@project_option
@user_errors
def describe_cmd(entity: str, lang: str, project: Project) -> None:
    """Show everything known about one entity, each fact with its source and locator.

    ENTITY is an id, an ISO code, a prefixed name, an IRI, or a name in English, Chinese or
    pinyin that names one entity.

    \b
    Examples:
      kg describe tencent-education
      kg describe 腾讯教育
    """
    d = kg.open(project=project).description(entity, lang=lang)
    names = " | ".join(f"{v} ({k})" for k, v in sorted(d.names.items()))
    click.echo(f"{d.id}: {names}")
    click.echo(f"  type: {', '.join(d.types)}")
    for st in d.statements:
        click.echo(f"  {st.text}")
        click.echo(f"      from {', '.join(st.cites)}")
        for extra in st.notes:
            click.echo(f"      {extra}")


@click.command("classes")
@project_option
@user_errors
def classes_cmd(project: Project) -> None:
    """List the entity classes, roles, themes, groups served and amount kinds and forms data/ may use.

    \b
    Example:
      kg classes
    """
    for what, names in kg.open(project=project).classes().items():
        click.echo(f"{what}: " + ", ".join(names))
