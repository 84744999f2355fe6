"""``kg query``, ``kg queries`` and ``kg search``: questions over the built dataset."""

from __future__ import annotations

from pathlib import Path

import click

import kg
from kg.ask.results import FORMATS, format_result, width
from kg.cli._common import SECONDS, endpoint_option, project_option, user_errors
from kg.project import Project


def _params(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in values:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise click.BadParameter(f"{item!r}: write name=value", ctx=ctx, param=param)
        if name.strip() in out:  # the last one silently winning hid a typo in the other
            raise click.BadParameter(f"{name.strip()!r} is given twice; give it once", ctx=ctx, param=param)
        out[name.strip()] = value
    return out


@click.command("query")
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, callback=_params, metavar="NAME=VALUE",
              help="A parameter of the named question (repeatable); a value may be an id, a label or an IRI.")
@click.option("--file", "file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Run the query in this .rq file (its #+ header and parameters apply).")
@click.option("--sparql", help="Run this SPARQL query text.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="table", show_default=True,
              help="Output format; json is the SPARQL 1.1 results format.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the labels in ?xLabel columns.")
@click.option("--full-iris", is_flag=True, help="Print IRIs in full, not as ids or prefixed names.")
@click.option("--show-params", is_flag=True, help="Also print the parameter columns (names starting with _).")
@click.option("--timeout", type=SECONDS, default=30.0, show_default=True,
              help="Stop a query that runs longer than this many seconds.")
@click.option("--allow-service", is_flag=True, help="Allow SERVICE (federated queries to remote endpoints).")
@endpoint_option
@project_option
@user_errors
def query_cmd(name: str | None, params: dict[str, str], file: Path | None, sparql: str | None, fmt: str,
              lang: str, full_iris: bool, show_params: bool, timeout: float, allow_service: bool,
              project: Project) -> None:
    """Answer a question: a named one (see `kg queries`), a .rq file, or SPARQL text.

    Read-only: updates are refused; SERVICE only with --allow-service. The project's
    prefixes (kg:, kgid:, role:, theme:, src:, schema:, org:, prov:, skos:, ...) are predeclared.

    \b
    Examples:
      kg query partners-of-organization --param org=tencent-education
      kg query initiatives-in-region -p region=安徽 --format csv
      kg query --sparql 'SELECT ?f ?fLabel WHERE { ?f a kg:Foundation }' --lang zh
    """
    g = kg.open(project=project)
    for warning in g.warnings():
        click.echo(f"kg: warning: {warning}", err=True)
    result = g.result(name, params, file=file, sparql=sparql, lang=lang, timeout=timeout, allow_service=allow_service)
    click.echo(format_result(result, fmt, full_iris=full_iris, show_hidden=show_params))


@click.command("queries")
@project_option
@user_errors
def queries_cmd(project: Project) -> None:
    """List the named questions with their summaries and parameters.

    \b
    Example:
      kg queries
    """
    for q in kg.open(project=project).named_questions():
        click.echo(f"{q.name}  ({q.number})")
        click.echo(f"    {q.summary}")
        for p in q.parameters:
            click.echo(f"    --param {p.describe()}")


@click.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many hits.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the names shown.")
@endpoint_option
@project_option
@user_errors
def search_cmd(text: str, limit: int, lang: str, project: Project) -> None:
    """Find entities by name or alias in English, Chinese or pinyin, best first.

    \b
    Examples:
      kg search tencent
      kg search 光合
      kg search guanghe
    """
    hits = kg.open(project=project).search(text, limit=limit, lang=lang)
    if not hits:
        click.echo(f"nothing matches {text!r}", err=True)
        raise SystemExit(1)
    names = [h.label + (f"  [{h.matched}]" if h.matched not in (h.label, h.id) else "") for h in hits]
    id_size, name_size = max(width(h.id) for h in hits), max(width(n) for n in names)
    for h, name in zip(hits, names, strict=True):
        types = ", ".join(t.removeprefix("kg:") for t in h.types)
        click.echo(f"{h.id}{' ' * (id_size - width(h.id))}  {name}{' ' * (name_size - width(name))}  ({types})")
