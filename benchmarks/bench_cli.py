"""How fast the command line answers: each command run N times, each in a fresh process.

Cold means a new Python process every time (imports, opening the store, the first query),
with the build already made. Prints the median and the 90th percentile of wall-clock time per
command and the median CPU time (what to compare when other work shares the machine).

Then the overhead of kg itself, side by side in one run: ``kg query funders`` against a fresh
Python process that opens the same store with pyoxigraph and runs the same query text (the
floor: the interpreter, pyoxigraph, opening the store, the query), runs alternating so that
both see the same load. Targets: that ratio at most 1.5 (wall and CPU medians), and
``kg --help`` under 0.1 s. A third process, the baseline importing click first, shows the
floor for any command line written with click: what no change inside kg can go below.

    .venv/bin/python benchmarks/bench_cli.py            # 20 runs each
    .venv/bin/python benchmarks/bench_cli.py -n 50
    .venv/bin/python benchmarks/bench_cli.py --instructions   # also count instructions (valgrind)

On a shared machine wall-clock and even CPU time follow the load; ``--instructions`` counts
the instructions each process executes under valgrind's callgrind (all threads), which the
load does not change. The store's opening also waits on the disk and the kernel, which the
count leaves out, so the count's ratio is the upper bound of the time's.

Bytecode is written and used as an installed package's would be (``PYTHONDONTWRITEBYTECODE``
is dropped for the measured processes): compiling kg from source on every run is not what a
user sees.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"KG_PROJECT": str(REPO)}

COMMANDS: list[tuple[list[str], float | None]] = [
    (["--help"], 0.1),
    (["query", "funders"], 0.3),
    (["query", "partners-of-organization"], 0.3),
    (["query", "initiatives-in-region", "--param", "region=安徽"], 0.3),
    (["query", "events-and-attendees", "--format", "json"], 0.3),
    (["query", "--sparql", "SELECT ?f WHERE { ?f a kg:Foundation }"], 0.3),
    (["queries"], None),
    (["search", "光合"], None),
    (["describe", "腾讯"], None),
]
RATIO_TARGET = 1.5

# The floor for `kg query funders`: open the build's store read-only, run the question's text.
BASELINE = """
import sys
import pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
for row in store.query(open(sys.argv[2], encoding="utf-8").read(), prefixes={prefixes!r}):
    print(row)
"""


def kg_command() -> list[str]:
    """The installed ``kg`` script next to this Python, else ``python -m kg``."""
    script = Path(sys.executable).with_name("kg")
    if script.exists():
        return [str(script)]
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-m", "kg"]


def once(argv: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run.

    CPU time is the figure to compare when other work shares the machine: wall-clock time then
    includes waiting for a core.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def timings(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each of ``runs`` runs."""
    measured = [once(argv) for _ in range(runs)]
    return [w for w, _ in measured], [c for _, c in measured]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def baseline_command() -> list[str]:
    """A fresh Python that opens the current build's store with pyoxigraph and runs 02-funders.rq."""
    sys.path.insert(0, str(REPO))
    from kg.build.state import fresh_build
    from kg.model.vocab import PREFIXES
    from kg.project import Project

    build = fresh_build(Project(REPO))
    assert build is not None, "kg build first"
    code = BASELINE.format(prefixes=dict(PREFIXES))
    return [sys.executable, "-c", code, str(build / "store"), str(REPO / "queries" / "02-funders.rq")]


def with_click(baseline: list[str]) -> list[str]:
    """The baseline that also imports click: the floor for any command line written with click."""
    return [*baseline[:2], "import click\n" + baseline[2], *baseline[3:]]


def side_by_side(commands: list[list[str]], runs: int) -> list[tuple[list[float], list[float]]]:
    """Each command run ``runs`` times, taking turns so that all see the same load: (wall, cpu)
    lists per command."""
    for argv in commands:
        once(argv)  # warm the file cache and write bytecode
    out: list[tuple[list[float], list[float]]] = [([], []) for _ in commands]
    for _ in range(runs):
        for argv, (wall, cpu) in zip(commands, out, strict=True):
            w, c = once(argv)
            wall.append(w)
            cpu.append(c)
    return out


def instructions(argv: list[str]) -> int:
    """Instructions one run executes, counted by valgrind's callgrind (every thread)."""
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv], env=ENV,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", proc.stderr).group(1))


# What `kg query funders` imports before it runs anything (the modules its path loads).
QUERY_IMPORTS = ("kg.cli.query", "kg.graph", "kg.ask.running", "kg.ask.results", "kg.store.embedded",
                 "kg.build.state", "kg.store.endpoint")
# The floor under any kg command written on these: click parses, pathlib and dataclasses hold
# the project, pyoxigraph answers (typing comes with click).
LIBRARIES = "import click, pyoxigraph, pathlib, dataclasses"


def count_instructions(kg: list[str], baseline: list[str]) -> None:
    """Instructions of each step towards ``kg query funders``, each in a fresh process: where the
    difference to the bare pyoxigraph baseline goes (Python, libraries, kg's modules, the run)."""
    python = sys.executable
    rows = [("python -c pass", [python, "-c", "pass"]),
            ("python -c 'import typing'", [python, "-c", "import typing"]),
            ("python -c 'import click'", [python, "-c", "import click"]),
            ("kg --help", [*kg, "--help"]),
            ("python + pyoxigraph: open the store, same query", baseline),
            ("  the same, importing click first", with_click(baseline)),
            (f"python -c '{LIBRARIES}'", [python, "-c", LIBRARIES]),
            ("  + the modules kg query imports", [python, "-c", f"{LIBRARIES}, {', '.join(QUERY_IMPORTS)}"]),
            ("kg query funders", [*kg, "query", "funders"])]
    counts = {name: instructions(argv) for name, argv in rows}
    print(f"\ninstructions (valgrind callgrind)                            {'M':>7}  / baseline")
    base = counts["python + pyoxigraph: open the store, same query"]
    for name, n in counts.items():
        print(f"{name:58} {n / 1e6:7.0f}  {n / base:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="runs per command (default 20)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions with valgrind")
    args = parser.parse_args()
    kg = kg_command()
    subprocess.run([*kg, "build"], env=ENV, check=True, stdout=subprocess.DEVNULL)  # timed with the build made
    python, _ = timings([sys.executable, "-c", "pass"], args.runs)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load {load:.1f}; {args.runs} runs each; "
          f"bare Python: {statistics.median(python):.3f} s median")
    print(f"{'command':58} {'median':>7} {'p90':>7} {'cpu':>7}  target (median)")
    failed = False
    for argv, target in COMMANDS:
        once([*kg, *argv])  # bytecode written, files cached
        wall, cpu = timings([*kg, *argv], args.runs)
        median, p90 = statistics.median(wall), percentile(wall, 0.9)
        verdict = "" if target is None else f"< {target:.1f} s {'ok' if median < target else 'MISSED'}"
        failed |= target is not None and median >= target
        print(f"{'kg ' + ' '.join(argv):58} {median:7.3f} {p90:7.3f} {statistics.median(cpu):7.3f}  {verdict}")
    baseline = baseline_command()
    (kw, kc), (bw, bc), (fw, fc) = side_by_side([[*kg, "query", "funders"], baseline, with_click(baseline)],
                                                args.runs)
    print(f"\nside by side, alternating ({args.runs} runs each)    {'median':>7} {'min':>7} {'cpu':>7}")
    print(f"{'kg query funders':58} {statistics.median(kw):7.3f} {min(kw):7.3f} {statistics.median(kc):7.3f}")
    print(f"{'python + pyoxigraph: open the store, same query':58} {statistics.median(bw):7.3f} {min(bw):7.3f} "
          f"{statistics.median(bc):7.3f}")
    print(f"{'  the same, importing click first':58} {statistics.median(fw):7.3f} {min(fw):7.3f} "
          f"{statistics.median(fc):7.3f}")

    def ratios(wall: list[float], cpu: list[float]) -> tuple[float, float, float]:
        return (statistics.median(wall) / statistics.median(bw), min(wall) / min(bw),
                statistics.median(cpu) / statistics.median(bc))

    wall_ratio, min_ratio, cpu_ratio = ratios(kw, kc)
    ok = wall_ratio <= RATIO_TARGET and cpu_ratio <= RATIO_TARGET
    print(f"{'ratio: kg query funders / the baseline':58} {wall_ratio:7.2f} {min_ratio:7.2f} {cpu_ratio:7.2f}  "
          f"<= {RATIO_TARGET} {'ok' if ok else 'MISSED'}")
    print(f"{'ratio: importing click alone / the baseline (the floor)':58} "
          + " ".join(f"{r:7.2f}" for r in ratios(fw, fc)))
    failed |= not ok
    if args.instructions:
        count_instructions(kg, baseline_command())
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
