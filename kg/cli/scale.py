"""Commands for scale: ``kg serve`` (a SPARQL endpoint over the build) and ``kg synth``."""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import click

from kg.cli._common import SECONDS, project_option, user_errors
from kg.project import Project


@click.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="The TCP port to listen on.")
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="The address to listen on (loopback by default; 0.0.0.0 exposes the server).")
@click.option("--timeout", type=SECONDS, default=30.0, show_default=True,
              help="Seconds a query may run; past them the client gets 504 and the query is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Answers with more rows are refused (413): clients should add a LIMIT.")
@click.option("--allow-service", is_flag=True,
              help="Let queries use SERVICE: the server then sends requests wherever a query says.")
@click.option("--writable", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes, on a copy of the build's store "
                   "(discarded on exit unless --location is given).")
@click.option("--location", type=click.Path(file_okay=False, path_type=Path),
              help="With --writable: the store folder to serve and keep (filled from the build when new).")
@project_option
@user_errors
def serve_cmd(port: int, bind: str, timeout: float, max_rows: int, allow_service: bool, writable: bool,
              location: Path | None, project: Project) -> None:
    """Serve the built dataset as a SPARQL 1.1 endpoint, with a web query page.

    Read-only by default, at http://127.0.0.1:PORT/ (the query page); queries go to /query
    (GET ?query=, POST form or application/sparql-query). Every query is checked as
    `kg query` checks it before the engine (Oxigraph) sees it: updates and SERVICE are
    refused (403), too deeply nested or over-long queries too (403, 413); a query past
    --timeout gets 504; if the engine dies it is restarted and logged on stderr. Queries
    without GRAPH read the merge of all named graphs, as `kg query` does. Stop with Ctrl-C.

    \b
    Example:
      kg serve --port 7878
      kg query --endpoint http://127.0.0.1:7878/query --sparql 'SELECT * WHERE { ?s a kg:Source }'
    """
    import logging

    from kg.build.dataset import ensure_built
    from kg.errors import UserError
    from kg.store.server import Front

    if location is not None and not writable:
        raise UserError("--location is for --writable; read-only serving uses the build's store")
    front = Front(Path(), port=port, bind=bind, writable=writable, allow_service=allow_service,
                  timeout_s=timeout, max_rows=max_rows)
    front.listen()  # a port in use is an error before anything is built or started
    store = ensure_built(project).store_path
    scratch = None
    if writable:
        if location is None:
            scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            location = scratch / "store"
        if not location.exists():
            shutil.copytree(store, location)
        store = location
    front.location = store
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    logger = logging.getLogger("kg.serve")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    mode = "read-write" if writable else "read-only"

    def ready() -> None:
        click.echo(f"serving {project.relative(store)} ({mode}) at {front.url}  (SPARQL: {front.query_url})")
        click.echo("press Ctrl-C to stop", err=True)

    signal.signal(signal.SIGTERM, _interrupt)  # while starting; then the front handles it
    try:
        with contextlib.suppress(KeyboardInterrupt):
            front.serve(on_ready=ready)
    finally:
        logger.removeHandler(handler)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("synth")
@click.option("--scale", "scale", default="10k", show_default=True,
              help="About how many triples the build will hold: 10k, 100k, 1M, ...")
@click.option("--seed", type=int, default=1, show_default=True, help="The random seed (same seed, same files).")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The project folder to write (its data/, ontology/ and queries/ are replaced).")
@user_errors
def synth_cmd(scale: str, seed: int, output: Path) -> None:
    """Write a synthetic curated dataset of a chosen size, in the format of data/.

    Organizations with bilingual names, units, people and posts, initiatives and events with
    roles (a few hubs, many small actors), documents, regions at every level, figures and
    sources cited by locator. Build it like any project.

    \b
    Example:
      kg synth --scale 100k -o /tmp/kg-100k && kg build --project /tmp/kg-100k
    """
    from kg.curation.synth import parse_scale, write_synthetic
    from kg.errors import UserError

    try:
        n = parse_scale(scale)
    except ValueError as e:
        raise UserError(str(e)) from None
    sources = output / "data" / "sources.yaml"
    if (output / "data").exists() and not (
            sources.is_file() and sources.read_text(encoding="utf-8").startswith("# synthetic data")):
        raise UserError(f"{output}/data holds curated data that is not synthetic; choose another folder")
    stats = write_synthetic(output, scale=n, seed=seed)  # progress: kg.progress, on a terminal only
    click.echo(f"wrote {output}: {stats.organizations} organizations, {stats.people} people, "
               f"{stats.initiatives} initiatives, {stats.events} events, {stats.documents} documents, "
               f"{stats.regions} regions, {stats.sources} sources, {stats.facts} facts")
