"""``kg push``: put the build into a shared SPARQL 1.1 server, replacing what changed."""

from __future__ import annotations

import sys

import click

from kg.cli._common import SECONDS, project_option, user_errors
from kg.project import Project


@click.command("push")
@click.option("--endpoint", metavar="URL",
              help="The server's SPARQL 1.1 query URL (else KG_ENDPOINT or kg.toml). Add "
                   "?default-graph-uri=GRAPH for a server that keeps no default graph of its own (Virtuoso).")
@click.option("--update", "update_url", metavar="URL",
              help="Its SPARQL Update URL, where it differs from the query URL (else kg.toml [store] update).")
@click.option("--store", "store_url", metavar="URL",
              help="Its SPARQL 1.1 Graph Store Protocol URL (else kg.toml [store] store): big graphs, or all of "
                   "them where it takes N-Quads, go that way, much faster than SPARQL Update.")
@click.option("--default-graph", type=click.Choice(["auto", "server", "copy"]), default="auto", show_default=True,
              help="auto: probe the server; server: it unions its graphs itself; copy: write the merge of "
                   "all graphs into its default graph.")
@click.option("--batch", type=click.IntRange(min=100), default=2_000, show_default=True,
              help="About this many quads a request (Virtuoso 7.2 refuses SPARQL Updates of about 5,000).")
@click.option("--timeout", type=SECONDS, default=300.0, show_default=True,
              help="Give up on a request after this many seconds.")
@project_option
@user_errors
def push_cmd(endpoint: str | None, update_url: str | None, store_url: str | None, default_graph: str, batch: int,
             timeout: float, project: Project) -> None:
    """Load the build into a SPARQL 1.1 server: only the graphs that changed are replaced.

    Each changed named graph of the build is replaced whole: by one N-Quads POST for many graphs
    where the Graph Store URL takes it (Oxigraph), a Graph Store PUT for big graphs (Virtuoso),
    else SPARQL Update. The merge of all graphs changes by DELETE DATA / INSERT DATA where the
    last push from here left it intact. Graphs the build no longer has are dropped (only in
    https://w3id.org/edu-equity-kg/, never other data); afterwards every graph's quad count on
    the server is checked against the build. Ctrl-C stops it with exit status 130, saying what
    is left for the next push. Credentials
    come from KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or a file (mode 0600) named by
    KG_ENDPOINT_CREDENTIALS or kg.toml's credentials; never from the command line.

    \b
    Examples:
      kg push --endpoint http://127.0.0.1:7878/query --update http://127.0.0.1:7878/update \\
        --store http://127.0.0.1:7878/store
      KG_ENDPOINT_CREDENTIALS=~/.config/kg/virtuoso kg push \\
        --endpoint 'http://127.0.0.1:8890/sparql?default-graph-uri=https://w3id.org/edu-equity-kg/graph/union' \\
        --update http://127.0.0.1:8890/sparql-auth --store http://127.0.0.1:8890/sparql-graph-crud-auth
    """
    import pyoxigraph as ox

    from kg.build.dataset import ensure_built
    from kg.errors import UserError
    from kg.store.endpoint import endpoint_settings, endpoint_store
    from kg.store.push import push, record_file

    settings = endpoint_settings(project, endpoint)
    if not settings:
        raise UserError("give the server: --endpoint URL (or KG_ENDPOINT, or kg.toml [store] endpoint)")
    if update_url:
        settings["update"] = update_url
    if store_url:
        settings["store"] = store_url
    store = endpoint_store(settings, timeout=timeout)
    built = ensure_built(project)
    quads = list(ox.parse(path=str(built.nquads), format=ox.RdfFormat.N_QUADS))
    bars: list = []

    def progress(sent: int, total: int) -> None:
        if not sys.stderr.isatty():  # a bar on a terminal only; a log gets the summary line
            return
        if not bars:
            bars.append(click.progressbar(length=total, label=f"pushing {total} quads", file=sys.stderr))
            bars[0].__enter__()
        bars[0].update(sent)

    try:
        report = push(quads, store, record=record_file(project.build_dir, store), default_graph=default_graph,
                      batch=batch, progress=progress)
    finally:
        if bars:
            bars[0].__exit__(None, None, None)
    merge = {"server": "the server's own union", "copy": "written to the default graph"}.get(
        report.default_graph, f"written to {report.default_graph}")
    if report.merge_delta is not None:
        merge += f" (changed by {report.merge_delta} quads)"
    how = {"nquads": "N-Quads to the Graph Store", "graphs": "Graph Store for big graphs, SPARQL Update for the "
           "rest", "update": "SPARQL Update"}[report.loader] if report.quads_sent else ""
    click.echo(f"pushed {project.relative(built.path)} to {store.update_url or store.url}: "
               f"{len(report.written)} graphs written ({report.quads_sent} quads{how and ' by ' + how}), "
               f"{len(report.dropped)} dropped, "
               f"{report.unchanged} unchanged; merge of all graphs: {merge}; "
               f"all {report.graphs} graphs checked ({report.seconds:.1f} s)")
