"""Commands for scale: ``kg serve`` (a SPARQL endpoint over the build) and ``kg synth``."""

from __future__ import annotations

import contextlib
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import click

from kg.cli._common import project_option, user_errors
from kg.project import Project


@click.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True,
              help="The TCP port to listen on.")
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="The address to listen on (loopback by default; 0.0.0.0 exposes the server).")
@click.option("--writable", is_flag=True,
              help="Accept SPARQL Update and Graph Store writes, on a copy of the build's store "
                   "(discarded on exit unless --location is given).")
@click.option("--location", type=click.Path(file_okay=False, path_type=Path),
              help="With --writable: the store folder to serve and keep (filled from the build when new).")
@project_option
@user_errors
def serve_cmd(port: int, bind: str, writable: bool, location: Path | None, project: Project) -> None:
    """Serve the built dataset as a SPARQL 1.1 endpoint, with a web query page.

    Runs the Oxigraph server (PyPI package ``oxigraph``), read-only by default, at
    http://127.0.0.1:PORT/ (the query page); queries go to /query. Queries without GRAPH
    read the merge of all named graphs, as ``kg query`` does. Stop it with Ctrl-C.

    \b
    Example:
      kg serve --port 7878
      kg query --endpoint http://127.0.0.1:7878/query --sparql 'SELECT * WHERE { ?s a kg:Source }'
    """
    from kg.build.dataset import ensure_built
    from kg.errors import UserError
    from kg.store.server import Server

    if location is not None and not writable:
        raise UserError("--location is for --writable; read-only serving uses the build's store")
    store = ensure_built(project).store_path
    scratch = None
    if writable:
        if location is None:
            scratch = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            location = scratch / "store"
        if not location.exists():
            shutil.copytree(store, location)
        store = location
    server = Server(store, port=port, bind=bind, writable=writable)
    try:
        server.start()
        mode = "read-write" if writable else "read-only"
        click.echo(f"serving {project.relative(store)} ({mode}) at {server.url}  (SPARQL: {server.query_url})")
        click.echo("press Ctrl-C to stop", err=True)
        signal.signal(signal.SIGTERM, _interrupt)
        with contextlib.suppress(KeyboardInterrupt):
            server.process.wait()  # type: ignore[attr-defined]
    finally:
        server.stop()
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
    from kg.curation.synth import parse_scale, synth_steps, write_synthetic
    from kg.errors import UserError

    try:
        n = parse_scale(scale)
    except ValueError as e:
        raise UserError(str(e)) from None
    sources = output / "data" / "sources.yaml"
    if (output / "data").exists() and not (
            sources.is_file() and sources.read_text(encoding="utf-8").startswith("# synthetic data")):
        raise UserError(f"{output}/data holds curated data that is not synthetic; choose another folder")
    with click.progressbar(length=synth_steps(n), label=f"writing {scale} triples",
                           file=sys.stderr) as bar:
        stats = write_synthetic(output, scale=n, seed=seed, progress=bar.update)
    click.echo(f"wrote {output}: {stats.organizations} organizations, {stats.people} people, "
               f"{stats.initiatives} initiatives, {stats.events} events, {stats.documents} documents, "
               f"{stats.regions} regions, {stats.sources} sources, {stats.facts} facts")
