"""A load test of ``kg serve``: many clients asking the named questions at once, on loopback.

Starts ``kg serve`` on a free port of 127.0.0.1 (nothing else is ever asked), asks every named
question in ``queries/`` once with its README example parameters (each must answer 200), then
lets N clients (threads, one keep-alive connection each) ask them round-robin: W seconds to
warm up, then S seconds measured. Prints the median and 99th percentile latency, the requests
done, the errors (which must be zero), and the resident memory of the front plus the engine:
cold, at the start of the measured run and at its end (which must stay within 1.5 times the
start). Exits 1 when a check fails.

With ``--runaway`` one more client asks a COUNT over a three-way cross join again and again, a
query Oxigraph's own time limit does not stop: each must get 504 (or 503 when it reached an engine
being stopped for the one before), the server must restart its engine a few seconds past the
limit, and the other clients must keep being answered (a question the stopped engine was
answering may get 503 with Retry-After; no other error). Memory is not judged then.

With ``--max-rows N`` (passed to kg serve) it first asks ``SELECT * WHERE { ?s ?p ?o }`` five
times in SPARQL JSON and in TSV and prints how soon the 413 comes (the front refuses as the rows
stream in). N must be below the graph's size and above every named question's rows.

The warm-up is there because the engine's memory grows from ~20 MB to a plateau of about
100 MB over its first minute of load, also without the front (Oxigraph's own allocations,
flat after that); what the end-to-start ratio should catch is growth that does not stop.

    .venv/bin/python benchmarks/bench_serve.py                  # 50 clients, 30 s + 60 s
    .venv/bin/python benchmarks/bench_serve.py --clients 10 --warm-up 5 --seconds 10
    .venv/bin/python benchmarks/bench_serve.py --runaway --timeout 5   # restarts under load
    .venv/bin/python benchmarks/bench_serve.py --max-rows 1000 --seconds 1 --warm-up 0   # the 413
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # the only address this benchmark talks to
MAX_CLIENTS = 200
MAX_SECONDS = 600
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def request_bodies(project_root: Path) -> dict[str, bytes]:
    """Each named question as the form body a SPARQL client sends: prefixes declared, the README's
    example values bound as VALUES (as :class:`kg.store.endpoint.EndpointStore` sends them)."""
    from kg.ask.catalogue import example_values
    from kg.ask.parameters import bind_parameters
    from kg.ask.questions import list_queries
    from kg.graph import open_store
    from kg.project import Project
    from kg.sparql import with_prefixes, with_values

    project = Project(project_root)
    store = open_store(project)
    bodies = {}
    for q in list_queries(project):
        text = with_prefixes(q.text)
        bindings = bind_parameters(store, q, example_values(q, store))
        if bindings:
            text = with_values(text, bindings)
        bodies[q.name] = urlencode({"query": text}).encode()
    return bodies


def rss_kib(pid: int) -> int:
    """The resident memory of a process, from /proc (KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (the engine behind the front)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(x) for x in text]
    return out


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """User + system CPU time of a process so far; with ``reaped``, that of its children that have
    ended and been waited for (engines stopped by a restart) instead."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    first = 13 if reaped else 11
    return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")


def engine_cpu(front: int) -> float:
    """CPU time of the engines of a front so far: the running one and those it restarted."""
    return cpu_seconds(front, reaped=True) + sum(cpu_seconds(c) for c in children(front))


def served_rss(front: int) -> tuple[int, int]:
    """RSS of the front and of its engine(s), KiB."""
    return rss_kib(front), sum(rss_kib(c) for c in children(front))


class Client(threading.Thread):
    """One client: a keep-alive connection, asking the questions in turn until told to stop."""

    def __init__(self, port: int, bodies: list[bytes], offset: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.bodies, self.offset, self.stop = port, bodies, offset, stop
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.retry_later = 0  # 503 with Retry-After: the engine was restarted while answering

    def run(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, application/n-triples;q=0.9"}
        i = self.offset
        while not self.stop.is_set():
            body = self.bodies[i % len(self.bodies)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request("POST", "/query", body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                if response.status == 503 and response.getheader("Retry-After"):
                    self.retry_later += 1
                elif response.status != 200:
                    self.errors.append(f"HTTP {response.status}: {data[:200]!r}")
            except (OSError, http.client.HTTPException) as e:
                self.errors.append(f"{type(e).__name__}: {e}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
                continue
            self.latencies.append(time.perf_counter() - start)
        conn.close()


class Runaway(threading.Thread):
    """A client that asks a runaway query again and again, and records the statuses it gets."""

    def __init__(self, port: int, timeout: float, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.timeout, self.stop = port, timeout, stop
        self.statuses: list[int | str] = []

    def run(self) -> None:
        body = urlencode({"query": RUNAWAY}).encode()
        while not self.stop.is_set():
            conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout + 30)
            try:
                conn.request("POST", "/query", body=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
                response = conn.getresponse()
                response.read()
                self.statuses.append(response.status)
            except (OSError, http.client.HTTPException) as e:
                self.statuses.append(type(e).__name__)
            finally:
                conn.close()


def refusals(port: int, accept: str, times: int = 5) -> tuple[list[int], float]:
    """Ask for every triple ``times`` times: the statuses, and the median seconds to the answer."""
    body = urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}).encode()
    statuses, seconds = [], []
    for _ in range(times):
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        start = time.perf_counter()
        conn.request("POST", "/query", body=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        response = conn.getresponse()
        response.read()
        seconds.append(time.perf_counter() - start)
        statuses.append(response.status)
        conn.close()
    return statuses, statistics.median(seconds)


def start_server(port: int, log: Path, timeout: float, max_rows: int | None) -> subprocess.Popen:
    script = Path(sys.executable).with_name("kg")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "kg"]
    env = {**os.environ, "KG_PROJECT": str(REPO)}
    limits = ["--timeout", f"{timeout:g}"] + (["--max-rows", str(max_rows)] if max_rows else [])
    proc = subprocess.Popen([*argv, "serve", "--port", str(port), "--bind", HOST, *limits], env=env,
                            stdout=subprocess.PIPE, stderr=log.open("w"), text=True)
    line = proc.stdout.readline() if proc.stdout else ""
    if "serving" not in line:
        proc.wait(timeout=30)
        raise SystemExit(f"kg serve did not start: {log.read_text()}")
    return proc


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long they ask, measured (default 60)")
    parser.add_argument("--warm-up", type=float, default=30.0, help="how long they ask first (default 30)")
    parser.add_argument("--timeout", type=float, default=30.0, help="kg serve --timeout (default 30)")
    parser.add_argument("--max-rows", type=int, help="kg serve --max-rows; also time the refusal of a longer answer")
    parser.add_argument("--runaway", action="store_true",
                        help="one more client asks a runaway query over and over during the measured run")
    args = parser.parse_args(argv)
    clients = max(1, min(args.clients, MAX_CLIENTS))
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    warm_up = max(0.0, min(args.warm_up, MAX_SECONDS))
    timeout = max(1.0, min(args.timeout, MAX_SECONDS))

    from kg.store.server import free_port

    bodies = request_bodies(REPO)
    port = free_port(HOST)
    with tempfile.TemporaryDirectory(prefix="kg-bench-serve-") as tmp:
        log = Path(tmp) / "serve.log"
        proc = start_server(port, log, timeout, args.max_rows)
        try:
            cold = served_rss(proc.pid)
            for name, body in bodies.items():  # one pass, each must answer
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                conn.request("POST", "/query", body=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
                response = conn.getresponse()
                data = response.read()
                conn.close()
                if response.status != 200:
                    raise SystemExit(f"{name}: HTTP {response.status}: {data[:300]!r}")
            refused = {accept: refusals(port, accept) for accept in
                       ("application/sparql-results+json", "text/tab-separated-values")} if args.max_rows else {}
            stop = threading.Event()
            warmers = [Client(port, list(bodies.values()), i, stop) for i in range(clients)]
            for w in warmers:
                w.start()
            time.sleep(warm_up)
            stop.set()
            for w in warmers:
                w.join(90)
            warm_errors = [e for w in warmers for e in w.errors]
            start_rss = served_rss(proc.pid)
            cpu_before = cpu_seconds(proc.pid), engine_cpu(proc.pid)
            stop = threading.Event()
            workers = [Client(port, list(bodies.values()), i, stop) for i in range(clients)]
            runaway = Runaway(port, timeout, stop) if args.runaway else None
            began = time.perf_counter()
            for w in workers:
                w.start()
            if runaway is not None:
                runaway.start()
            samples = []  # (seconds since the start, front + engine RSS in KiB), every tenth
            while (now := time.perf_counter() - began) < seconds:
                time.sleep(min(seconds / 10, seconds - now))
                samples.append((time.perf_counter() - began, sum(served_rss(proc.pid))))
            stop.set()
            for w in workers:
                w.join(90)
            if runaway is not None:
                runaway.join(timeout + 60)
            elapsed = time.perf_counter() - began
            end_rss = served_rss(proc.pid)
            cpu = cpu_seconds(proc.pid) - cpu_before[0], engine_cpu(proc.pid) - cpu_before[1]
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        restarts = sum("restarting" in line for line in log.read_text().splitlines())

    latencies = [x for w in workers for x in w.latencies]
    errors = warm_errors + [e for w in workers for e in w.errors]
    total_start, total_end = sum(start_rss), sum(end_rss)
    ratio = total_end / total_start if total_start else float("nan")
    print(f"kg serve on {HOST}:{port}: {clients} clients, {warm_up:g} s warm-up + {seconds:g} s measured, "
          f"{len(bodies)} named questions")
    for accept, (statuses, median) in refused.items():
        print(f"over --max-rows    {accept}: {' '.join(map(str, statuses))} in a median of {1000 * median:.0f} ms")
    print(f"requests done      {len(latencies)} ({len(latencies) / elapsed:.0f}/s)")
    if latencies:
        print(f"latency p50        {1000 * statistics.median(latencies):.1f} ms")
        print(f"latency p99        {1000 * percentile(latencies, 99):.1f} ms")
    print(f"errors (both runs) {len(errors)}" + (f"  (first: {errors[0]})" if errors else ""))
    retried = sum(w.retry_later for w in warmers + workers)
    print(f"503 Retry-After    {retried} (questions the engine was answering when it was restarted)")
    print(f"engine restarts    {restarts}")
    if runaway is not None:
        print(f"runaway answers    {' '.join(map(str, runaway.statuses)) or 'none'}")
    print(f"CPU                front {cpu[0]:.0f} s, engine {cpu[1]:.0f} s (of {elapsed:.0f} s wall)")
    print(f"RSS cold           front {cold[0] / 1024:.0f} MB + engine {cold[1] / 1024:.0f} MB")
    print(f"RSS start          front {start_rss[0] / 1024:.0f} MB + engine {start_rss[1] / 1024:.0f} MB"
          f" = {total_start / 1024:.0f} MB")
    print(f"RSS end            front {end_rss[0] / 1024:.0f} MB + engine {end_rss[1] / 1024:.0f} MB"
          f" = {total_end / 1024:.0f} MB  ({ratio:.2f}x the start)")
    print("RSS over time      " + "  ".join(f"{t:.0f}s:{kib / 1024:.0f}" for t, kib in samples) + " (MB)")
    if runaway is None:
        ok = not errors and not retried and restarts == 0 and ratio <= 1.5 and \
            all(set(statuses) == {413} for statuses, _ in refused.values())
        print("OK" if ok else "FAILED: errors, restarts, or memory grew more than 1.5x")
    else:  # the runaways stopped (504, or 503 when sent to an engine being stopped for the one before)
        ok = not errors and bool(runaway.statuses) and set(runaway.statuses) <= {503, 504} and restarts >= 1
        print("OK" if ok else "FAILED: errors other than 503, or a runaway not stopped (504 and a restart)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
