"""What the real-browser tests share: one headless Chromium per worker, its tabs, the graphs
they draw, and ways to read what vis drew.

A page of vis-network is about 800 kB of script; a new tab spends most of its first second
starting a renderer and compiling it. So the tabs are kept: a test takes one, and at its end
the tab goes back to ``about:blank`` for the next test, which loads its own page afresh (a
whole new document: nothing of the last test's page is left) in a renderer that has compiled
vis before. Measured on this 2-core machine: twelve loads of a small page, 5.5 s in one kept
tab against 13 s in a new tab each (a new browser context each: 15 s).

Pages of graphs that several tests draw unchanged are written once per worker
(:meth:`Tabs.open_graph` given the function that makes the graph).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from kg.page.render import CLUSTER_THRESHOLD, PHYSICS_THRESHOLD, write_html

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
HOSTILE = '<img src=x onerror="window.__x=1">'
HREF = 'read <a href="javascript:window.__x=2">href</a> here'
VIEWPORT = (1280, 800)
READY = "body[data-ready=true]"


def missing() -> str | None:
    """Why no browser test can run here (no Playwright, no Chromium), or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        return "Playwright is not installed"
    if not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM}"
    return None


@dataclass
class Opened:
    """A page opened in a tab: the requests it tried outside (all blocked) and its errors."""

    page: Any  # playwright.sync_api.Page
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    allow: tuple[str, ...] = ("file://",)

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)


class Tabs:
    """The tabs of one browser, kept from test to test (see the module's docstring).

    ``open(url)`` loads a page in a free tab and waits until vis has drawn it; ``release()``
    blanks every tab taken since and frees it. Every request that is not for an allowed URL
    (``file://`` unless told) is blocked and counted in the ``Opened.outside`` of the page.
    """

    def __init__(self, browser: Any, folder: Path) -> None:
        self.browser = browser
        self.context = browser.new_context(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
        self.folder = folder
        self.free: list[Any] = []
        self.taken: list[Any] = []
        self.now: dict[Any, Opened] = {}  # each tab's current page
        self.written = 0

    def _tab(self) -> Any:
        if self.free:
            return self.free.pop()
        page = self.context.new_page()

        def route(r: Any) -> None:
            opened = self.now.get(page)
            if opened is None or r.request.url.startswith(opened.allow):
                r.continue_()
            else:
                opened.outside.append(r.request.url)
                r.abort()

        def error(text: str) -> None:
            if page in self.now:
                self.now[page].errors.append(text)

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and error(m.text))
        page.on("pageerror", lambda e: error(str(e)))
        return page

    def take(self, *, viewport: tuple[int, int] = VIEWPORT, allow: tuple[str, ...] = ("file://",)) -> Opened:
        """A blank tab of the given size, its requests and errors counted from now on."""
        page = self._tab()
        page.bring_to_front()  # a kept tab left behind another was seen drawing one frame a second
        self.taken.append(page)
        if page.viewport_size != {"width": viewport[0], "height": viewport[1]}:
            page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        opened = self.now[page] = Opened(page, allow=allow)
        return opened

    def open(self, url: str, *, viewport: tuple[int, int] = VIEWPORT) -> Opened:
        """``url`` loaded in a free tab (a new document, even when only the fragment differs
        from a page open elsewhere), once vis has drawn it."""
        opened = self.take(viewport=viewport)
        opened.page.goto(url)
        wait_ready(opened)
        return opened

    def open_graph(self, graph: nx.Graph | Callable[[], nx.Graph], folder: Path, *,
                   viewport: tuple[int, int] = VIEWPORT, **kw: Any) -> Opened:
        """A graph's page (``write_html(graph, **kw)``), opened offline once vis has drawn it.

        Given the function that makes the graph instead, its page is written once for the
        whole run and reused: for graphs that tests draw without changing them.
        """
        if callable(graph):
            key = "-".join([graph.__module__, graph.__qualname__, *(f"{k}={v}" for k, v in sorted(kw.items()))])
            path = self.folder / f"{key}.html"
            if not path.exists():
                write_html(graph(), path, **kw)
        else:
            self.written += 1
            path = write_html(graph, folder / f"page{self.written}.html", **kw)
        return self.open(path.as_uri(), viewport=viewport)

    def release(self) -> None:
        """Every tab taken since the last release back to ``about:blank`` and free; a tab
        that cannot go back is closed."""
        for page in self.taken:
            self.now.pop(page, None)
            try:
                page.goto("about:blank")
            except Exception:  # noqa: BLE001 - a broken tab is dropped, not reused
                with suppress(Exception):
                    page.close()
            else:
                self.free.append(page)
        self.taken.clear()


@contextmanager
def launched(folder: Path) -> Iterator[Tabs]:
    """Headless Chromium (``KG_CHROMIUM``) with its kept tabs, closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield Tabs(browser, folder)
        finally:
            browser.close()


def wait_ready(opened: Opened) -> None:
    """Wait until the page has drawn its view (``data-ready``, set after vis' first drawing).
    ``wait_for_function`` would eval a string, which the page's CSP rightly forbids."""
    opened.page.wait_for_selector(READY, state="attached", timeout=60_000)


def settle(opened: Opened) -> None:
    """Wait until the view stops moving (a community opened or a node chosen is flown to):
    the same zoom and place over ten frames in a row, or at most five seconds."""
    opened.eval("""() => new Promise(done => {
      const net = window.__kg.network, start = performance.now();
      let last = "", same = 0;
      const look = () => {
        const now = JSON.stringify([net.getScale(), net.getViewPosition()]);
        same = now === last ? same + 1 : 0;
        last = now;
        if (same >= 10 || performance.now() - start > 5000) done(); else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    })""")


# --------------------------------------------------------------------------- graphs


def actors() -> nx.Graph:
    """Five actors with names in English, Chinese and pinyin, two of them hostile."""
    g = nx.Graph()
    g.add_node(
        "tencent-education",
        labels={"en": "Tencent Education", "zh": "腾讯教育"},
        aliases=["Tengxun Jiaoyu"],
        kind="Organization",
        types=["Company"],
        dates="2013/",
    )
    g.add_node("meet-2021", labels={"en": "MEET 2021", "zh": "教育公平大会2021"}, kind="Event", types=["Conference"])
    g.add_node("rural-teachers", labels={"en": "Rural Teachers Plan", "zh": "乡村教师计划"}, kind="Initiative")
    g.add_node("evil", labels={"en": HOSTILE}, kind="Person")
    g.add_node("hrefy", labels={"en": HREF}, kind="Document")
    g.add_edge("tencent-education", "meet-2021", role="sponsor", sources=["meet-2021:p3"], dates="2021")
    g.add_edge("tencent-education", "rural-teachers", roles=["lead", "funder"], weight=2, sources=["cloud-aid:p1"])
    g.add_edge("evil", "meet-2021", via=["MEET 2021"], sources=["x:p1"])
    g.add_edge("hrefy", "rural-teachers", role="partner", sources=["y:p2"])
    g.nodes["rural-teachers"]["regions"] = ["CN-GS"]
    g.nodes["tencent-education"]["regions"] = ["CN-GS"]
    g.nodes["evil"]["regions"] = ["x-land"]
    # what kg.networks.views.annotate adds: the sources cited, region names, the ontology's names
    g.graph["sources"] = {
        "meet-2021": {"title": {"en": "Second MEET Summit"}, "date": "2021-04-20", "publisher": "Tencent"},
        "cloud-aid": {"title": {"en": "Cloud Teaching"}, "url": "https://example.org/cloud"},
        "x": {"title": {"en": HOSTILE}, "publisher": HREF},
    }
    g.graph["regions"] = {"CN-GS": {"en": "Gansu", "zh": "甘肃省"}, "x-land": {"en": HOSTILE}}
    g.graph["vocab"] = {"roles": {"lead": {"en": "lead", "zh": "牵头方"}, "partner": {"en": HREF}},
                        "classes": {"Company": {"en": "Company", "zh": "公司"}}}
    return g


def big_graph(n: int = PHYSICS_THRESHOLD + 200) -> nx.Graph:
    """A graph above the physics threshold, so the page uses the Python layout."""
    base = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=5)
    g = nx.Graph()
    for i in base:
        g.add_node(f"n{i}", labels={"en": f"Actor {i}", "zh": f"机构{i}"}, kind="Organization")
    g.add_edges_from((f"n{u}", f"n{v}", {"role": "member", "sources": [f"d:p{u}"]}) for u, v in base.edges)
    return g


@cache
def community_graph() -> nx.Graph:
    """A graph above the cluster threshold, with its communities; the hub of one is named with
    markup, its kinds are two, and its links cite two sources. Made once: never change it."""
    from kg.networks.views import add_metrics

    g = add_metrics(big_graph(CLUSTER_THRESHOLD + 100), exact_max=0)
    for i, node in enumerate(sorted(g)):
        if i % 3 == 0:
            g.nodes[node]["kind"] = "Person"
    for u, v, attrs in g.edges(data=True):
        attrs["sources"] = ["a:p1" if (len(u) + len(v)) % 2 else "b:p2"]
    g.graph["sources"] = {"a": {"title": {"en": "Source A"}}, "b": {"title": {"en": "Source B"}}}
    hub = max(g, key=lambda n: (g.degree(n), n))
    g.nodes[hub]["labels"] = {"en": HOSTILE}
    return g


def sourced() -> nx.Graph:
    """Actors and links from three sources and two regions (one link cites two sources)."""
    g = actors()
    g.add_node("gansu-school", labels={"en": "Gansu School"}, kind="Organization", regions=["CN-GS"])
    g.add_edge("gansu-school", "rural-teachers", role="member", sources=["cloud-aid:p4", "meet-2021:p9"])
    return g


# --------------------------------------------------------------------------- what vis drew


def node_point(opened: Opened, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates."""
    x, y = opened.eval(
        """id => {
          const net = window.__kg.network, p = net.canvasToDOM(net.getPosition(id));
          const r = document.getElementById("kg-net").getBoundingClientRect();
          return [p.x + r.left, p.y + r.top];
        }""",
        node_id,
    )
    return x, y


def hover(opened: Opened, node_id: str) -> str:
    """Hover a node and return the tooltip's text."""
    x, y = node_point(opened, node_id)
    opened.page.mouse.move(x - 40, y - 40)
    opened.page.mouse.move(x, y, steps=4)
    opened.page.wait_for_selector("#kg-tip:not([hidden])", timeout=5_000)
    return opened.page.inner_text("#kg-tip")


def visible(opened: Opened) -> dict[str, int]:
    """How many nodes and links the filters leave."""
    return opened.eval("window.__kgVisible")


def tick(opened: Opened, picker: str, value: str) -> None:
    """Tick or untick one choice of the source or region picker, opening it first."""
    box = opened.page.locator(f"#{picker}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator(f"input[type=checkbox][value='{value}']").click()


def picked(opened: Opened, picker: str) -> list[str]:
    """The values ticked in the source or region picker."""
    return opened.eval(f"() => [...document.querySelectorAll('#{picker} input:checked')].map(i => i.value)")


def drawn(opened: Opened) -> set[str]:
    """The ids of the nodes vis holds (what the canvas can draw)."""
    return set(opened.eval("window.__kg.nodes.getIds()"))


def free_of(opened: Opened, panels: list[str]) -> float:
    """The share of the shown nodes drawn clear of the given panels (and inside the window)."""
    return opened.eval(
        """sels => {
          const net = window.__kg.network, c = document.getElementById("kg-net").getBoundingClientRect();
          const boxes = sels.map(s => document.querySelector(s)).filter(e => e && !e.hidden)
            .map(e => e.getBoundingClientRect());
          const ids = window.__kg.nodes.get().filter(n => !n.hidden).map(n => n.id);
          const clear = ids.filter(id => {
            const p = net.canvasToDOM(net.getPosition(id)), x = p.x + c.left, y = p.y + c.top;
            return x >= 0 && y >= 0 && x <= c.width && y <= c.height &&
              boxes.every(b => x < b.left || x > b.right || y < b.top || y > b.bottom);
          });
          return clear.length / ids.length;
        }""",
        panels,
    )


def styles(opened: Opened, ids: list[str], which: str = "nodes") -> dict[str, Any]:
    """What vis draws for some nodes or edges (colour, label, hidden)."""
    return opened.eval(f"ids => Object.fromEntries(ids.map(i => [i, window.__kg.{which}.get(i)]))", ids)


def edge_ids(opened: Opened) -> dict[tuple[str, str], str]:
    """Each link's id in vis, by its two ends."""
    rows = opened.eval("() => window.__kg.edges.get().map(e => [e.from, e.to, e.id])")
    return {(a, b): i for a, b, i in rows}



PANELS = ["#kg-head", "#kg-legend", "#kg-detail", "#kg-tools"]
