"""How long ``kg viz`` takes on a synthetic project: wall and CPU time of the whole command.

For each size it writes a synthetic project (``kg synth``) and builds it, unless the folder
given by ``--work`` already holds a build; then runs ``kg viz`` N times, each a fresh process,
and prints the wall time, the CPU time (user + system, what to compare on a shared machine),
the peak memory, the page's nodes and size, and the load average before and after. With
``--stages`` it also runs the command once in process and prints the CPU time of each step
(reading the network, metrics, layout, page data, HTML); with ``--profile``, once under
cProfile (whose overhead inflates pure-Python steps such as networkx's several times over:
compare steps with ``--stages``).

    .venv/bin/python benchmarks/bench_viz.py --sizes 100k,1M -n 3 --work /tmp/kg-viz
    .venv/bin/python benchmarks/bench_viz.py --sizes 100k --stages -n 1

Targets (issue 17): 3 s at 100k triples, 12 s at 1M (wall, on the 2-core machine).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_scale import machine  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(REPO)}
TARGETS = {"100k": 3.0, "1M": 12.0}


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], env=ENV, check=True, capture_output=True, text=True)


def prepare(label: str, work: Path) -> Path:
    """A built synthetic project of ``label`` triples in ``work`` (made when missing)."""
    root = work / f"p-{label}"
    if not list((root / "build").glob("dataset-*")):
        start = time.perf_counter()
        kg("synth", "--scale", label, "-o", str(root))
        kg("build", "--project", str(root))
        print(f"[{label}] synthesised and built in {time.perf_counter() - start:.0f} s", flush=True)
    return root


def run_viz(root: Path, out: Path) -> tuple[float, float, int]:
    """One ``kg viz`` in a fresh process: (wall s, CPU s, peak RSS MB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg", "viz", "--project", str(root), "-o", str(out)],
                            env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"kg viz failed: {err}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss // 1024


def profile(root: Path, out: Path, top: int) -> None:
    """Run ``kg viz`` in this process under cProfile and print the costliest calls."""
    from click.testing import CliRunner

    from kg.cli import main as cli

    prof = cProfile.Profile()
    prof.enable()
    result = CliRunner().invoke(cli, ["viz", "--project", str(root), "-o", str(out)], catch_exceptions=False)
    prof.disable()
    if result.exit_code:
        raise SystemExit(result.output)
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(top)
    print(text.getvalue())


#: The steps ``--stages`` times: (module, function), each reported with its CPU seconds.
STEPS = (("kg.networks.views", "load"), ("kg.networks.views", "add_metrics"),
         ("networkx.algorithms.community", "louvain_communities"),
         ("kg.networks.betweenness", "betweenness"), ("kg.page.data", "grouped_layout"),
         ("kg.page.data", "layout"), ("kg.page.render", "page_data"), ("kg.page.render", "_script_json"),
         ("kg.page.render", "_page_html"))


def stages(root: Path, out: Path) -> None:
    """Run ``kg viz`` in this process and print the CPU time of each step of :data:`STEPS`
    (a step inside another counts in both)."""
    import importlib

    from click.testing import CliRunner

    from kg.cli import main as cli

    spent: list[tuple[str, float]] = []

    def timed(name: str, f: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return f(*args, **kwargs)
            finally:
                spent.append((name, time.process_time() - start))
        return run

    for module_name, name in STEPS:
        module = importlib.import_module(module_name)
        setattr(module, name, timed(f"{module_name.rsplit('.', 1)[-1]}.{name}", getattr(module, name)))
    start = time.process_time()
    result = CliRunner().invoke(cli, ["viz", "--project", str(root), "-o", str(out)], catch_exceptions=False)
    total = time.process_time() - start
    if result.exit_code:
        raise SystemExit(result.output)
    for name, cpu in spent:
        print(f"  {name:<32} {cpu:6.2f} s CPU")
    print(f"  {'kg viz in process (no start-up)':<32} {total:6.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M")
    parser.add_argument("-n", "--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="keep (and reuse) the synthetic projects here")
    parser.add_argument("--profile", action="store_true", help="also profile one run in process")
    parser.add_argument("--stages", action="store_true", help="also time each step of one run in process")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-viz-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    print(f"{'size':>5} {'run':>3} {'wall s':>7} {'cpu s':>6} {'peak MB':>8} {'page MB':>8} {'load before':>16} "
          f"{'load after':>16}")
    for label in args.sizes.split(","):
        root = prepare(label, work)
        out = work / f"viz-{label}.html"
        walls, cpus = [], []
        for i in range(args.runs):
            load0 = " ".join(f"{x:.1f}" for x in os.getloadavg())
            wall, cpu, peak = run_viz(root, out)
            load1 = " ".join(f"{x:.1f}" for x in os.getloadavg())
            walls.append(wall)
            cpus.append(cpu)
            print(f"{label:>5} {i + 1:>3} {wall:>7.2f} {cpu:>6.2f} {peak:>8} {out.stat().st_size / 1e6:>8.2f} "
                  f"{load0:>16} {load1:>16}", flush=True)
        target = TARGETS.get(label)
        met = target is not None and statistics.median(walls) <= target
        verdict = f" (target {target:.0f} s, median: {'met' if met else 'missed'})" if target else ""
        print(f"{label:>5} median wall {statistics.median(walls):.2f} s, best {min(walls):.2f} s, "
              f"median CPU {statistics.median(cpus):.2f} s{verdict}", flush=True)
        if args.stages:
            stages(root, work / f"viz-{label}-stages.html")
        if args.profile:
            profile(root, work / f"viz-{label}-profiled.html", args.top)


if __name__ == "__main__":
    main()
