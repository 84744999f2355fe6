"""Pushing a build to a SPARQL server, and asking it: Virtuoso, the Oxigraph server, the embedded store.

For each size it writes a synthetic project (``kg synth``) and builds it, then, in one run:

- pushes the build with :func:`kg.store.push.push` (what ``kg push`` does, with the Graph Store
  URL given: big graphs by the Graph Store HTTP Protocol) into a fresh Virtuoso
  (scratch database on loopback; the merge of all graphs into ``graph/union``, asked through
  ``default-graph-uri``) and a fresh writable Oxigraph server (the merge into its default graph):
  the first push, a second one with nothing changed (digests compared, every count checked), and
  one after a fact graph gained a triple (that graph, and the merge by a delta);
- asks every named question (synthetic hubs as parameters, as bench_scale.py does) on the
  three stores: cold (the first run) and warm (median of the next runs), and prints the median
  and the slowest question per store.

Prints a markdown table (paste it into docs/benchmarks.md)::

    .venv/bin/python benchmarks/bench_push.py --sizes 100k
    .venv/bin/python benchmarks/bench_push.py --sizes 1M --virtuoso-memory 2000
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import machine, named_questions  # noqa: E402

from kg.project import Project  # noqa: E402


def ask_all(store: object, questions: list, warm_runs: int = 3) -> dict[str, tuple[float, float]]:
    """name -> (cold seconds, warm median seconds); ``inf`` when the store gave up or failed."""
    from kg.errors import UserError

    out = {}
    for name, text, bindings in questions:
        times = []
        for _ in range(1 + warm_runs):
            t = time.perf_counter()
            try:
                store.query(text, bindings=bindings)  # type: ignore[attr-defined]
            except UserError as e:
                print(f"  {name}: {e}", flush=True)
                times = [float("inf")] * (1 + warm_runs)
                break
            times.append(time.perf_counter() - t)
        out[name] = (times[0], statistics.median(times[1:]))
    return out


def bench_size(label: str, work: Path, args: argparse.Namespace) -> dict:
    import pyoxigraph as ox

    from kg.build.dataset import ensure_built
    from kg.curation.synth import parse_scale, write_synthetic
    from kg.store.embedded import EmbeddedStore
    from kg.store.push import UNION_GRAPH, push
    from kg.store.server import Server, free_port
    from kg.store.virtuoso import Virtuoso

    root = work / label
    if not (root / "data").is_dir():  # (--work DIR keeps it for the next run)
        write_synthetic(root, scale=parse_scale(label), seed=1)
    project = Project(root)
    built = ensure_built(project)
    quads = list(ox.parse(path=str(built.nquads), format=ox.RdfFormat.N_QUADS))
    fact = next(q.graph_name for q in quads if "/fact/" in str(q.graph_name))
    edited = [*quads, ox.Quad(ox.NamedNode("urn:kg:bench"), ox.NamedNode("urn:kg:bench"), ox.Literal("changed"), fact)]
    embedded = EmbeddedStore(built.store_path)
    questions = named_questions(project, embedded)
    res: dict = {"label": label, "quads": len(quads), "graphs": len({q.graph_name for q in quads}),
                 "push": {}, "questions": {}}
    print(f"[{label}] {len(quads)} quads in {res['graphs']} graphs; {len(questions)} questions", flush=True)
    res["questions"]["embedded"] = ask_all(embedded, questions, args.warm_runs)

    servers = {
        "virtuoso": lambda: Virtuoso(work / f"virtuoso-{label}", port=free_port(), sql_port=free_port(),
                                     memory_mb=args.virtuoso_memory),
        "oxigraph-server": lambda: Server(work / f"oxigraph-{label}", port=free_port(), writable=True),
    }
    for kind, make in servers.items():
        with make() as server:
            store = server.endpoint(default_graph=UNION_GRAPH) if kind == "virtuoso" else server.endpoint()
            store.timeout = args.timeout
            record = work / f"record-{kind}-{label}.json"
            first = push(quads, store, record=record, batch=args.batch)
            again = push(quads, store, record=record, batch=args.batch)
            changed = push(edited, store, record=record, batch=args.batch)  # one fact graph gains a triple
            push(quads, store, record=record, batch=args.batch)  # and back, before the questions
            res["push"][kind] = (first.seconds, again.seconds, first.quads_sent, changed.seconds,
                                 changed.quads_sent, first.loader)
            print(f"[{label}] {kind}: push {first.seconds:.1f} s ({first.quads_sent} quads by {first.loader}), "
                  f"again {again.seconds:.1f} s, one fact changed {changed.seconds:.1f} s "
                  f"({changed.quads_sent} quads, merge delta {changed.merge_delta})", flush=True)
            res["questions"][kind] = ask_all(store, questions, args.warm_runs)
        shutil.rmtree(work / f"{'virtuoso' if kind == 'virtuoso' else 'oxigraph'}-{label}", ignore_errors=True)
    return res


def table(results: list[dict]) -> str:
    def s(x: float) -> str:
        return "timeout" if x == float("inf") else (f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s")

    kinds = ["virtuoso", "oxigraph-server", "embedded"]
    lines = []
    for r in results:
        lines += [f"### {r['label']} ({r['quads']:,} quads in {r['graphs']:,} named graphs)", "",
                  "| store | first push | second push (nothing changed) | one fact changed "
                  "| median question (warm) | slowest question (warm / cold) |", "|---|---|---|---|---|---|"]
        for kind in kinds:
            qs = r["questions"][kind]
            warm = [w for _, w in qs.values()]
            slowest = max(qs, key=lambda n: qs[n][1])
            first, again, sent, changed, changed_sent, loader = r["push"].get(kind, (None,) * 6)
            push_cells = (f"{s(first)} ({sent:,} quads by {loader})", s(again),
                          f"{s(changed)} ({changed_sent:,} quads)") if first is not None else \
                ("— (written by kg build)", "—", "—")
            lines.append(f"| {kind} | {' | '.join(push_cells)} | {s(statistics.median(warm))} "
                         f"| {slowest}: {s(qs[slowest][1])} / {s(qs[slowest][0])} |")
        lines += ["", "| question | " + " | ".join(kinds) + " |", "|---|" + "---|" * len(kinds)]
        for name in r["questions"]["embedded"]:
            lines.append(f"| {name} | " + " | ".join(
                f"{s(r['questions'][k][name][1])} / {s(r['questions'][k][name][0])}" for k in kinds) + " |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100k", help="comma-separated sizes (10k, 100k, 1M)")
    parser.add_argument("--batch", type=int, default=2_000, help="quads a push request")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a remote question may take")
    parser.add_argument("--virtuoso-memory", type=int, default=1000, help="Virtuoso's buffers, MB")
    parser.add_argument("--work", help="a folder for the synthetic projects, kept and reused (default: temporary)")
    parser.add_argument("--warm-runs", type=int, default=3, help="runs of each question after the cold one")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d")
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="kg-bench-push-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        results = [bench_size(label.strip(), work, args) for label in args.sizes.split(",")]
    print(f"\nMeasured by `benchmarks/bench_push.py --sizes {args.sizes} --warm-runs {args.warm_runs}` "
          f"on {started}.\n")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Machine: {machine()}; load average (1, 5, 15 min) at the start {load_before}, at the end {load} "
          "(a machine shared with other work).\n")
    print(table(results))


if __name__ == "__main__":
    main()
