"""How kg scales: build, named questions, networks and pages at 10k, 100k, 1M triples.

For each size it writes a synthetic project (``kg synth``), then measures, side by side:

- build: curated files -> a loaded, validated on-disk store (a fresh process; its peak memory);
- every named question (default parameters) on each store: the embedded on-disk Oxigraph
  store (the default), Oxigraph in memory, rdflib's memory store (up to ``--rdflib-max``),
  and an Oxigraph server through the SPARQL endpoint backend; cold (first run after opening)
  and warm (median of the next runs);
- a cold ``kg query`` for one entity, end to end in a new process;
- the project's overhead over raw pyoxigraph on the same query text;
- the co-participation network: projection, metrics (sampled betweenness), and the page.

It prints a table and writes it to ``docs/benchmarks.md`` with the machine and versions::

    .venv/bin/python benchmarks/bench_scale.py --sizes 10k,100k      # CI-friendly, a few minutes
    .venv/bin/python benchmarks/bench_scale.py --sizes 1M            # by hand
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.curation.synth import parse_scale, write_synthetic  # noqa: E402
from kg.project import Project  # noqa: E402

WARM_RUNS = 3
ENTITY_QUERY = "SELECT ?p ?o WHERE { kgid:org-000001 ?p ?o }"

_BUILD = """
import json, resource, sys, time
from pathlib import Path
t = time.perf_counter()
from kg.build.dataset import build
from kg.project import Project
b = build(Project(Path(sys.argv[1])), force=True)
print(json.dumps({"seconds": time.perf_counter() - t, "quads": b.quads,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def timed(f: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


# Parameters that name an entity get a synthetic one (the defaults name the real data's);
# the first organization and initiative are the biggest hubs.
SYNTH_VALUES = {"org": "id/org-000000", "actor": "id/org-000000", "initiative": "id/initiative-00000",
                "source": "source/synth-doc-00000", "region": "id/CN"}


def named_questions(project: Project, store: object) -> list[tuple[str, str, dict]]:
    """(name, text, bindings) of every named question, on synthetic values or the defaults."""
    import pyoxigraph as ox

    from kg.ask.parameters import parameter_term
    from kg.ask.questions import list_queries
    from kg.errors import UserError
    from kg.model.vocab import BASE

    out = []
    for q in list_queries(project):
        bindings = {}
        for p in q.parameters:
            if p.key in SYNTH_VALUES and p.kind == "iri":
                bindings[p.variable] = ox.NamedNode(BASE + SYNTH_VALUES[p.key])
            elif p.default is not None:
                try:
                    bindings[p.variable] = parameter_term(store, p, p.default, q.name)
                except UserError:  # a default from the real data: the biggest synthetic hub
                    bindings[p.variable] = ox.NamedNode(BASE + "id/org-000000")
            elif p.required:
                break
        else:
            out.append((q.name, q.text, bindings))
    return out


class RdflibStore:
    """rdflib's memory store with the same interface, for comparison (union default graph)."""

    def __init__(self, nquads: Path):
        import rdflib

        self.ds = rdflib.Dataset(default_union=True)
        self.ds.parse(nquads, format="nquads")

    def query(self, sparql: str, *, bindings: dict | None = None) -> object:
        import rdflib

        from kg.model.vocab import PREFIXES

        init = {k: rdflib.URIRef(v.value) if type(v).__name__ == "NamedNode" else rdflib.Literal(
            v.value, lang=v.language, datatype=None if v.language else v.datatype.value)
            for k, v in (bindings or {}).items()}
        return list(self.ds.query(sparql, initNs=PREFIXES, initBindings=init or None))


def measure_questions(store: object, questions: list, *, runs: int = WARM_RUNS) -> dict[str, tuple[float, float]]:
    """name -> (cold seconds, warm median seconds)."""
    out = {}
    for name, text, bindings in questions:
        if os.environ.get("KG_BENCH_VERBOSE"):
            print(f"  {name}", flush=True)
        cold, _ = timed(lambda text=text, bindings=bindings: store.query(text, bindings=bindings))
        warm = [timed(lambda text=text, bindings=bindings: store.query(text, bindings=bindings))[0]
                for _ in range(runs)]
        out[name] = (cold, statistics.median(warm))
    return out


def open_named_store(kind: str, root: Path, url: str) -> object:
    """A store of the given kind over the current build of ``root``."""
    import pyoxigraph as ox

    from kg.build.dataset import current
    from kg.store.base import union_default_graph
    from kg.store.embedded import EmbeddedStore
    from kg.store.endpoint import EndpointStore

    b = current(Project(root))
    if kind == "oxigraph-disk":
        return EmbeddedStore(b.store_path)
    if kind == "oxigraph-memory":
        quads = EmbeddedStore(b.store_path).quads()
        store = EmbeddedStore.__new__(EmbeddedStore)
        store._store = ox.Store()
        store._store.bulk_extend(quads)
        store._store.bulk_extend(union_default_graph(quads))
        return store
    if kind == "rdflib-memory":
        return RdflibStore(b.nquads)
    return EndpointStore(url)


def worker(kind: str, root: Path, url: str, skip: int) -> None:
    """Measure the named questions from number ``skip`` on, one JSON line each."""
    store = open_named_store(kind, root, url)
    questions = named_questions(Project(root), open_named_store("oxigraph-disk", root, ""))
    print(json.dumps({"ready": True}), flush=True)
    for name, text, bindings in questions[skip:]:
        cold, warm = measure_questions(store, [(name, text, bindings)])[name]
        print(json.dumps({"name": name, "cold": cold, "warm": warm}), flush=True)


def questions_in_worker(kind: str, root: Path, url: str, timeout: float) -> dict[str, tuple[float, float]]:
    """name -> (cold, warm) seconds, measured in a child process; a question that runs longer
    than ``timeout`` is stopped (the child is killed) and recorded as ``inf``."""
    import select

    names = [n for n, _, _ in named_questions(Project(root), open_named_store("oxigraph-disk", root, ""))]
    out: dict[str, tuple[float, float]] = {}
    while len(out) < len(names):
        cmd = [sys.executable, __file__, "--worker", kind, str(root), url or "-", str(len(out))]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        try:
            ready = json.loads(proc.stdout.readline() or "{}")
            if not ready.get("ready"):
                raise RuntimeError(f"the {kind} worker failed to start")
            while len(out) < len(names):
                r, _, _ = select.select([proc.stdout], [], [], timeout * (WARM_RUNS + 1))
                line = proc.stdout.readline() if r else ""
                if not line:
                    out[names[len(out)]] = (float("inf"), float("inf"))
                    print(f"    {kind}: {names[len(out) - 1]} stopped after {timeout:g} s", flush=True)
                    break
                row = json.loads(line)
                out[row["name"]] = (row["cold"], row["warm"])
        finally:
            proc.kill()
            proc.wait()
    return out


def bench_size(label: str, n: int, work: Path, args: argparse.Namespace) -> dict:
    import pyoxigraph as ox

    from kg.build.dataset import current
    from kg.store.base import union_default_graph
    from kg.store.embedded import EmbeddedStore
    from kg.store.endpoint import load_endpoint
    from kg.store.server import Server, free_port

    root = work / f"synth-{label}"
    res: dict = {"size": label}
    t, stats = timed(lambda: write_synthetic(root, scale=n, seed=args.seed))
    res["synth_s"] = t
    print(f"[{label}] synthetic data written in {t:.1f} s: {stats}", flush=True)
    env = {**os.environ, "KG_SEEDS": str(work / "no-seeds")}
    proc = subprocess.run([sys.executable, "-c", _BUILD, str(root)], capture_output=True, text=True, env=env,
                          check=True)
    res["build"] = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"[{label}] build: {res['build']}", flush=True)
    project = Project(root)
    b = current(project)
    # stores, side by side
    t_open, embedded = timed(lambda: EmbeddedStore(b.store_path))
    res["triples"] = int(embedded.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)
    questions = named_questions(project, embedded)
    stores: dict[str, object] = {"oxigraph-disk": embedded}
    res["open_s"] = {"oxigraph-disk": t_open}
    t, quads = timed(lambda: embedded.quads())
    mem = ox.Store()
    t2, _ = timed(lambda: (mem.bulk_extend(quads), mem.bulk_extend(union_default_graph(quads))))
    memory = EmbeddedStore(quads=[])
    memory._store = mem
    stores["oxigraph-memory"] = memory
    res["open_s"]["oxigraph-memory"] = t + t2
    if n <= parse_scale(args.rdflib_max):
        t, stores["rdflib-memory"] = timed(lambda: RdflibStore(b.nquads))
        res["open_s"]["rdflib-memory"] = t
        print(f"[{label}] rdflib parsed the dataset in {t:.1f} s", flush=True)
    server = None
    if not args.no_server:
        server = Server(work / f"server-{label}", port=free_port(), writable=True,
                        timeout_s=args.timeout).start()
        endpoint = server.endpoint()
        t, _ = timed(lambda: load_endpoint(quads, endpoint))
        stores["oxigraph-server (HTTP)"] = endpoint
        res["open_s"]["oxigraph-server (HTTP)"] = t
        print(f"[{label}] loaded the server through SPARQL Update in {t:.1f} s", flush=True)
    try:
        res["questions"] = {}
        for name in stores:
            url = server.query_url if server is not None and name.startswith("oxigraph-server") else ""
            res["questions"][name] = questions_in_worker(name, root, url, args.timeout)
            print(f"[{label}] {name}: questions done", flush=True)
    finally:
        if server is not None:
            server.stop()
    # the project's overhead over raw pyoxigraph, on the same text and bindings
    from kg.ask.running import fill_labels, run
    from kg.model.vocab import PREFIXES
    from kg.sparql import with_values

    raw = embedded._store
    over = []  # (raw, kg, of which filling ?xLabel columns) seconds per question
    disk = res["questions"]["oxigraph-disk"]
    for name, text, bindings in questions:
        if disk[name][1] == float("inf"):
            continue
        bound = with_values(text, bindings) if bindings else text  # the text the engine is given
        raw_t = statistics.median(timed(lambda bound=bound: list(
            raw.query(bound, prefixes=PREFIXES)))[0] for _ in range(WARM_RUNS))
        kg_t = statistics.median(timed(lambda text=text, bindings=bindings: run(
            embedded, text, bindings=bindings))[0] for _ in range(WARM_RUNS))
        answer = embedded.query(text, bindings=bindings)
        label_t = statistics.median(timed(lambda answer=answer: fill_labels(embedded, answer, "en"))[0]
                                    for _ in range(WARM_RUNS))
        over.append((raw_t, kg_t, label_t))
    res["overhead"] = {"raw_s": sum(o[0] for o in over), "kg_s": sum(o[1] for o in over),
                       "labels_s": sum(o[2] for o in over)}
    # a cold `kg query` for one entity, end to end
    cmd = [sys.executable, "-m", "kg", "query", "--sparql", ENTITY_QUERY, "--project", str(root)]
    subprocess.run(cmd, capture_output=True, env=env, check=True)  # the first one checks freshness
    cold = [timed(lambda: subprocess.run(cmd, capture_output=True, env=env, check=True))[0] for _ in range(3)]
    res["cold_query_s"] = statistics.median(cold)
    # networks and the page
    from kg.networks import views as kn

    t_load, data = timed(lambda: kn.load(embedded))
    t_proj, g = timed(lambda: kn.network(data, "coparticipation", metrics=False))
    res["network"] = {"load_s": t_load, "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
    t_proj_total = t_proj
    t_metrics, _ = timed(lambda: kn.add_metrics(g))
    res["network"].update(project_s=t_proj_total, metrics_s=t_metrics,
                          betweenness_sample=g.graph.get("betweenness_sample", 0))
    try:
        from kg.page.render import write_html

        top = sorted(g.nodes, key=lambda x: -g.degree(x))[: args.page_nodes]
        page = g.subgraph(top).copy()
        t_page, _ = timed(lambda: write_html(page, work / f"page-{label}.html"))
        res["page"] = {"nodes": page.number_of_nodes(), "seconds": t_page}
    except Exception as e:  # the page is measured when the renderer is there
        res["page"] = {"error": repr(e)}
    print(f"[{label}] network {res['network']} page {res['page']}", flush=True)
    return res


def machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = psutil.virtual_memory().total / 2**30
    pkgs = ", ".join(f"{p} {version(p)}" for p in ("pyoxigraph", "oxigraph", "rdflib", "pyshacl", "networkx"))
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GB RAM; "
            f"Python {platform.python_version()}; {pkgs}")


def table(results: list[dict]) -> str:
    def ms(s: float) -> str:
        if s == float("inf"):
            return "timeout"
        return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"

    lines = ["## Build and end to end", "",
             "| size | triples | build (validated) | peak memory | cold `kg query` (one entity) "
             "| kg over raw pyoxigraph (without filling `?xLabel` names) "
             "| network: load + projection | metrics (betweenness k) | page |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        b, nw, pg = r["build"], r["network"], r["page"]
        over = r["overhead"]
        page = f"{ms(pg['seconds'])} ({pg['nodes']} nodes)" if "seconds" in pg else "n/a"
        lines.append(
            f"| {r['size']} | {r['triples']:,} | {b['seconds']:.1f} s | {b['peak_mb']:.0f} MB "
            f"| {ms(r['cold_query_s'])} | {100 * (over['kg_s'] / over['raw_s'] - 1):+.0f}% "
            f"({100 * ((over['kg_s'] - over.get('labels_s', 0)) / over['raw_s'] - 1):+.0f}% without names) "
            f"| {ms(nw['load_s'] + nw['project_s'])} ({nw['nodes']:,} orgs, {nw['edges']:,} edges) "
            f"| {ms(nw['metrics_s'])} (k={nw['betweenness_sample'] or 'exact'}) | {page} |")
    lines += ["", "## Named questions: warm median / cold, per store", ""]
    for r in results:
        stores = list(r["questions"])
        lines += [f"### {r['size']} ({r['triples']:,} triples)", "",
                  "| question | " + " | ".join(stores) + " |", "|---|" + "---|" * len(stores)]
        names = list(r["questions"][stores[0]])
        for name in names:
            cells = [f"{ms(r['questions'][s][name][1])} / {ms(r['questions'][s][name][0])}" for s in stores]
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        summary = []
        for s in stores:
            warm = [w for _, w in r["questions"][s].values()]
            summary.append(f"median {ms(statistics.median(warm))}, max {ms(max(warm))}")
        lines.append("| **all** | " + " | ".join(summary) + " |")
        opened = ", ".join(f"{s} {ms(t)}" for s, t in r["open_s"].items())
        lines += ["", f"Opening / loading each store: {opened}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated sizes (10k, 100k, 1M)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rdflib-max", default="100k", help="largest size to load into rdflib (slow)")
    parser.add_argument("--page-nodes", type=int, default=2000, help="nodes on the measured page")
    parser.add_argument("--no-server", action="store_true", help="skip the Oxigraph server store")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--work", type=Path, help="keep the synthetic projects here")
    parser.add_argument("--timeout", type=float, default=30.0, help="stop a question after this many seconds")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        kind, root, url, skip = args.worker
        worker(kind, Path(root), "" if url == "-" else url, int(skip))
        return
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        results = [bench_size(s, parse_scale(s), work, args) for s in sizes]
    text = table(results)
    print(text)
    header = ("# Benchmarks\n\nMeasured by `benchmarks/bench_scale.py --sizes "
              f"{args.sizes}` on {time.strftime('%Y-%m-%d')}.\n\nMachine: {machine()}.\n\n")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(header + text + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
