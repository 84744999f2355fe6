"""How fast the command line answers: each command run N times, each in a fresh process.

Cold means a new Python process every time (imports, opening the store, the first query),
with the build already made. Prints the median and the 90th percentile of wall-clock time per
command, the median CPU time (what to compare when other work shares the machine), and the
targets of issue 4 (``kg --help`` < 0.2 s, ``kg query NAME`` < 0.3 s median).

    .venv/bin/python benchmarks/bench_cli.py            # 20 runs each
    .venv/bin/python benchmarks/bench_cli.py -n 50
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

COMMANDS: list[tuple[list[str], float | None]] = [
    (["--help"], 0.2),
    (["query", "funders"], 0.3),
    (["query", "partners-of-organization"], 0.3),
    (["query", "initiatives-in-region", "--param", "region=安徽"], 0.3),
    (["query", "events-and-attendees", "--format", "json"], 0.3),
    (["query", "--sparql", "SELECT ?f WHERE { ?f a kg:Foundation }"], 0.3),
    (["queries"], None),
    (["search", "光合"], None),
]


def kg_command() -> list[str]:
    """The installed ``kg`` script next to this Python, else ``python -m kg``."""
    script = Path(sys.executable).with_name("kg")
    if script.exists():
        return [str(script)]
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-m", "kg"]


def timings(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each run.

    CPU time is the figure to compare when other work shares the machine: wall-clock time then
    includes waiting for a core.
    """
    env = {**os.environ, "KG_PROJECT": str(REPO)}
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall, cpu


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=20, help="runs per command (default 20)")
    args = parser.parse_args()
    kg = kg_command()
    subprocess.run([*kg, "build"], env={**os.environ, "KG_PROJECT": str(REPO)}, check=True,
                   stdout=subprocess.DEVNULL)  # the build is made before timing, as the target assumes
    python, _ = timings([sys.executable, "-c", "pass"], args.runs)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load {load:.1f}; {args.runs} runs each; "
          f"bare Python: {statistics.median(python):.3f} s median")
    print(f"{'command':58} {'median':>7} {'p90':>7} {'cpu':>7}  target (median)")
    failed = False
    for argv, target in COMMANDS:
        wall, cpu = timings([*kg, *argv], args.runs)
        median, p90 = statistics.median(wall), percentile(wall, 0.9)
        verdict = "" if target is None else f"< {target:.1f} s {'ok' if median < target else 'MISSED'}"
        failed |= target is not None and median >= target
        print(f"{'kg ' + ' '.join(argv):58} {median:7.3f} {p90:7.3f} {statistics.median(cpu):7.3f}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
