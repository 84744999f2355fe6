"""How fast kg.page.render writes and draws a big network page, and how smoothly it pans and zooms.

Prints, for each size: the seconds to write the page (layout included), its size, and the
time headless Chromium takes until vis-network has drawn it (``window.__kgStats``, in ms
since navigation start: the page is ready), the CPU time the page's main thread used until
then (Chromium's ``ThreadTime`` metric: the figure to compare on a loaded machine) and the
wall time seen by Playwright.
The graphs carry the metrics ``kg viz`` gives them (communities included), so from 2,000
nodes on the page opens with its communities drawn as cluster nodes. Then, in the same
page, it drags the view (pan) and turns the mouse wheel (zoom) and prints the time of
each redraw vis-network makes meanwhile (median and 95th percentile, ms; under 16.7 ms is
60 frames a second), first as the page opens, then with every community opened.

    .venv/bin/python benchmarks/bench_render.py            # 500, 2,000 and 5,000 nodes
    .venv/bin/python benchmarks/bench_render.py 1500 5000 15000
    .venv/bin/python benchmarks/bench_render.py 5000 --no-browser

Targets (issue 5): 5,000 nodes written in under 3 s, drawn in under 2 s; (issue 17): ready
within 1 s at 1,500 nodes and 2.5 s at 15,000; smooth pan and zoom at 15,000.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.networks.views import add_metrics  # noqa: E402
from kg.page.render import KIND_COLORS, write_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ROLES = ["lead", "partner", "funder", "member", "participant", None]


def synthetic_graph(n: int, *, seed: int = 1) -> nx.Graph:
    """A scale-free graph shaped like the project's networks, with every attribute set.

    >>> g = synthetic_graph(50)
    >>> g.number_of_nodes(), sorted(g.nodes["n00000"]["labels"])
    (50, ['en', 'zh'])
    """
    rng = random.Random(seed)
    g = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=seed)
    kinds = list(KIND_COLORS)
    out = nx.Graph()
    for i in g.nodes:
        out.add_node(
            f"n{i:05d}",
            labels={"en": f"Actor {i}", "zh": f"机构{i}号"},
            aliases=[f"jigou {i} hao"],
            kind=rng.choice(kinds),
            types=["Company"],
            degree=g.degree(i),
            dates="2021/2023",
        )
    for u, v in g.edges:
        role = rng.choice(ROLES)
        attrs = {"weight": rng.choice([1, 1, 1, 2, 3]), "sources": [f"doc-{u % 40}:p{v % 9}"]}
        if role:
            attrs["role"] = role
        else:
            attrs["via"] = [f"Initiative {u % 17}"]
        out.add_edge(f"n{u:05d}", f"n{v:05d}", **attrs)
    return out


# Records how long each redraw of the network takes (ms), from vis-network's own events.
WATCH = """() => {
  const net = window.__kg.network;
  window.__draws = [];
  let t = 0;
  net.on("beforeDrawing", () => { t = performance.now(); });
  net.on("afterDrawing", () => { window.__draws.push(performance.now() - t); });
}"""


def frames(page) -> dict[str, tuple[float, float, int]]:
    """Redraw times while panning and while zooming: (median ms, p95 ms, redraws) for each."""
    out = {}
    box = page.locator("#kg-net").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for what in ("pan", "zoom"):
        page.evaluate("() => { window.__draws = []; }")
        if what == "pan":
            page.mouse.move(cx, cy)
            page.mouse.down()
            for i in range(1, 41):
                page.mouse.move(cx + 6 * i, cy + 3 * i)
            page.mouse.up()
        else:
            page.mouse.move(cx, cy)
            for i in range(20):
                page.mouse.wheel(0, -120 if i < 10 else 120)
                page.wait_for_timeout(30)
        page.wait_for_timeout(400)  # the redraw after the last move
        draws = sorted(page.evaluate("window.__draws"))
        if draws:
            out[what] = (statistics.median(draws), draws[min(len(draws) - 1, int(0.95 * len(draws)))], len(draws))
        else:
            out[what] = (float("nan"), float("nan"), 0)
    return out


def cpu_ms(cdp) -> float:
    """CPU time (ms) the page's main thread has used so far: unlike the wall time, it hardly
    changes with the machine's load."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["ThreadTime"] * 1000


def draw(path: Path) -> tuple[dict, float, int, dict, dict]:
    """Open the page in headless Chromium; return the page's stats, wall ms, blocked requests,
    and the redraw times of panning and zooming as it opens and with its communities open."""
    from playwright.sync_api import sync_playwright

    blocked = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})

        def block(route):
            nonlocal blocked
            if route.request.url.startswith("file://"):
                route.continue_()
            else:
                blocked += 1
                route.abort()

        page.route("**/*", block)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        before = cpu_ms(cdp)
        start = time.perf_counter()
        page.goto(path.as_uri())
        # wait_for_function would eval a string, which the page's CSP forbids.
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        wall = (time.perf_counter() - start) * 1000
        stats = page.evaluate("window.__kgStats")
        stats["cpuMs"] = round(cpu_ms(cdp) - before)
        page.evaluate(WATCH)
        first = frames(page)
        page.evaluate("() => window.__kg.openAll()")
        page.evaluate("() => window.__kg.network.fit({ animation: false })")
        page.wait_for_timeout(300)
        opened = frames(page) if stats["nodes"] >= 2000 else first
        browser.close()
    return stats, wall, blocked, first, opened


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[500, 2000, 5000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    browser = not args.no_browser and shutil.which(CHROMIUM)
    out = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"{'nodes':>6} {'edges':>6} {'write s':>8} {'MB':>5} {'drawMs':>7} {'cpuMs':>6} {'netMs':>6} {'wall ms':>8}"
        f" {'outside':>7}"
        "  redraw ms median/p95 (count): pan, zoom; communities opened: pan, zoom"
    )
    for n in args.sizes:
        g = add_metrics(synthetic_graph(n))
        path = out / f"bench-{n}.html"
        start = time.perf_counter()
        write_html(g, path, title=f"Benchmark {n}")
        seconds = time.perf_counter() - start
        mb = path.stat().st_size / 1e6
        row = f"{n:>6} {g.number_of_edges():>6} {seconds:>8.2f} {mb:>5.2f}"
        if browser:
            stats, wall, blocked, first, opened = draw(path)
            row += f" {stats['drawMs']:>7} {stats['cpuMs']:>6} {stats['networkMs']:>6} {wall:>8.0f} {blocked:>7}  "
            row += "; ".join(", ".join(f"{m:.1f}/{p:.1f} ({c})" for m, p, c in (f["pan"], f["zoom"]))
                             for f in (first, opened))
        print(row, f"load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"pages in {out}")


if __name__ == "__main__":
    main()
