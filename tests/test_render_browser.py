"""kg.page.render pages in a real headless Chromium: offline, drawn, searchable, and safe.

Every request that is not for a file:// URL is blocked and counted; the page must make
none. Skipped only when Chromium or Playwright is missing outside CI; with CI=true a
missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.page.render import PHYSICS_THRESHOLD, write_html

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOSTILE = '<img src=x onerror="window.__x=1">'
HREF = 'read <a href="javascript:window.__x=2">href</a> here'
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

if not IN_CI and (sync_playwright is None or not shutil.which(CHROMIUM)):
    pytest.skip(f"no Playwright or no Chromium at {CHROMIUM} (set CI=true to fail instead)", allow_module_level=True)


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
    return g


def big_graph(n: int = PHYSICS_THRESHOLD + 200) -> nx.Graph:
    """A graph above the physics threshold, so the page uses the Python layout."""
    base = nx.powerlaw_cluster_graph(n, 2, 0.1, seed=5)
    g = nx.Graph()
    for i in base:
        g.add_node(f"n{i}", labels={"en": f"Actor {i}", "zh": f"机构{i}"}, kind="Organization")
    g.add_edges_from((f"n{u}", f"n{v}", {"role": "member", "sources": [f"d:p{u}"]}) for u, v in base.edges)
    return g


@dataclass
class Opened:
    page: Page
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def eval(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        pytest.fail("Playwright is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def open_graph(browser: Browser, tmp_path: Path) -> Iterator:
    """Write a graph's page, open it offline and wait until vis has drawn it."""
    pages = []

    def open_(graph: nx.Graph, **kw: Any) -> Opened:
        path = write_html(graph, tmp_path / f"page{len(pages)}.html", **kw)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        pages.append(page)
        opened = Opened(page)

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                opened.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.goto(path.as_uri())
        # wait_for_function would eval a string, which the page's CSP rightly forbids.
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
        return opened

    yield open_
    for page in pages:
        page.close()


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


def painted_pixels(opened: Opened) -> int:
    return opened.eval(
        """() => {
          const c = document.querySelector("#kg-net canvas");
          const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let n = 0;
          for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
          return n;
        }"""
    )


@pytest.mark.parametrize("make", [actors, big_graph], ids=["physics", "python-layout"])
def test_page_draws_offline_with_every_node_and_edge(open_graph, make) -> None:
    g = make()
    opened = open_graph(g, title="Education equity")
    stats = opened.eval("window.__kgStats")
    assert opened.outside == []
    assert opened.errors == [], "console errors (a CSP violation shows up here)"
    assert stats["nodes"] == g.number_of_nodes()
    assert stats["edges"] == g.number_of_edges()
    assert painted_pixels(opened) > 2_000, "the canvas stayed blank"
    assert opened.page.inner_text("h1") == "Education equity"
    assert opened.page.inner_text("#kg-legend").count("\n") >= 3


def test_every_node_is_in_view_after_drawing(open_graph) -> None:
    opened = open_graph(big_graph())
    inside = opened.eval(
        """() => {
          const net = window.__kg.network, c = document.getElementById("kg-net");
          const w = c.clientWidth, h = c.clientHeight;
          const pos = Object.values(net.getPositions()).map(p => net.canvasToDOM(p));
          return pos.filter(p => p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h).length / pos.length;
        }"""
    )
    assert inside == 1.0
    assert opened.eval("window.__kg.network.getScale()") > 0.05, "the graph is fitted into a speck"


def test_tooltip_shows_both_names_types_roles_and_sources(open_graph) -> None:
    opened = open_graph(actors())
    text = hover(opened, "tencent-education")
    for expected in (
        "Tencent Education",
        "腾讯教育",
        "Company",
        "2013/",
        "meet-2021:p3",
        "cloud-aid:p1",
        "lead, funder",
    ):
        assert expected in text, expected


def test_search_finds_a_chinese_label_and_selects_the_node(open_graph) -> None:
    opened = open_graph(actors())
    opened.page.fill("#kg-search", "腾讯教育")
    assert opened.page.inner_text("#kg-results li").startswith("Tencent Education")
    opened.page.press("#kg-search", "Enter")
    assert opened.eval("window.__kg.network.getSelectedNodes()") == ["tencent-education"]
    assert "腾讯教育" in opened.page.inner_text("#kg-detail")


def test_search_finds_pinyin_aliases_and_part_of_a_name(open_graph) -> None:
    opened = open_graph(actors())
    opened.page.fill("#kg-search", "tengxun")
    assert "Tencent Education" in opened.page.inner_text("#kg-results")
    opened.page.fill("#kg-search", "教师")
    opened.page.click("#kg-results li")
    assert opened.eval("window.__kg.network.getSelectedNodes()") == ["rural-teachers"]
    opened.page.fill("#kg-search", "no such actor")
    assert opened.page.inner_text("#kg-results") == "No match"


@pytest.mark.parametrize(("node", "label"), [("evil", HOSTILE), ("hrefy", HREF)], ids=["img-onerror", "href"])
def test_hostile_label_is_shown_as_text_and_never_runs(open_graph, node, label) -> None:
    opened = open_graph(actors())
    assert label in hover(opened, node)
    opened.page.fill("#kg-search", label[:12])
    opened.page.press("#kg-search", "Enter")
    assert opened.eval("window.__kg.network.getSelectedNodes()") == [node]
    assert label in opened.page.inner_text("#kg-detail")
    assert opened.eval("typeof window.__x") == "undefined"
    assert opened.eval("document.querySelectorAll('img, a[href]').length") == 0
    assert opened.outside == [], "the hostile label fetched something"


def test_csp_would_stop_injected_markup_anyway(open_graph) -> None:
    """Even markup that reached innerHTML could not run: the page's CSP blocks it."""
    opened = open_graph(actors())
    opened.eval(
        """() => {
          const d = document.createElement("div");
          d.innerHTML = '<img src="data:," onerror="window.__x=3">';
          document.body.appendChild(d);
        }"""
    )
    opened.page.wait_for_timeout(200)
    assert opened.eval("typeof window.__x") == "undefined"
    assert any("Content Security Policy" in e for e in opened.errors)
