"""The view a reader gets, in a real headless Chromium (see test_render_browser.py): the graph
fitted clear of the panels on a desktop and on a phone, zoom by button and key, the hubs of big
graphs labelled, and the real participation network's pages in English and Chinese."""

from __future__ import annotations

import re
from functools import cache

import networkx as nx
import pytest
from browsing import PANELS, actors, big_graph, free_of, node_point, settle

from conftest import ROOT

pytestmark = pytest.mark.slow
PHONE = (390, 760)


@cache
def participation() -> nx.Graph:
    """The participation network of the real data. Made once: never change it."""
    from kg.graph import open_store
    from kg.networks.views import load, network
    from kg.project import Project

    return network(load(open_store(Project(ROOT))), "participation")


def test_every_node_is_in_view_after_drawing(open_graph) -> None:
    opened = open_graph(big_graph)
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


def test_real_links_cite_their_sources_by_title(open_graph) -> None:
    """On the real data every cited source is shown by its curated title, never by its id."""
    g = participation()
    opened = open_graph(participation)
    hub = max(g, key=lambda n: (len({c.split(":")[0] for *_, cs in g.edges(n, data="sources") for c in cs}), n))
    opened.eval("id => window.__kg.select(id)", hub)
    titles = opened.eval("() => [...document.querySelectorAll('#kg-detail .kg-cite-title')].map(e => e.textContent)")
    known = {t for info in g.graph["sources"].values() for t in info.get("title", {}).values()}
    assert titles and set(titles) <= known
    assert opened.errors == []


def test_the_chinese_page_speaks_chinese(open_graph) -> None:
    g = participation()
    opened = open_graph(participation, lang="zh")
    legend = opened.page.inner_text("#kg-legend")
    role_names = {names["zh"] for names in g.graph["vocab"]["roles"].values() if "zh" in names}
    shown = opened.eval("() => [...document.querySelectorAll('#kg-legend .kg-toggle .kg-name')]"
                        ".map(e => e.textContent)")
    assert shown and all(re.search(r"[\u4e00-\u9fff]", name) for name in shown), shown
    assert set(shown) & role_names
    assert not re.search(r"\b(?:degree|weighted_degree|metrics|links)\b", legend, re.I)
    opened.eval("id => window.__kg.select(id)", "tencent-education")
    detail = opened.page.inner_text("#kg-detail")
    assert not re.search(r"\b(?:degree|betweenness|community|metrics|Organization)\b", detail, re.I), detail


def test_the_english_page_gives_chinese_only_names_their_pinyin(open_graph) -> None:
    from kg.networks.views import PINYIN

    g = participation()
    opened = open_graph(participation)
    chinese_only = [n for n, labels in g.nodes(data="labels") if "en" not in labels and PINYIN in labels]
    assert chinese_only
    labels = opened.eval("ids => ids.map(i => window.__kg.nodes.get(i).label)", chinese_only)
    for node, label in zip(chinese_only, labels, strict=True):
        assert g.nodes[node]["labels"][PINYIN][:10] in label or label.endswith("…")


def test_keyboard_and_buttons_zoom_and_fit(open_graph) -> None:
    opened = open_graph(actors)
    page = opened.page
    assert page.get_attribute("#kg-net", "tabindex") == "0"
    scale = opened.eval("window.__kg.network.getScale()")
    page.click("#kg-tools button[aria-label='Zoom in']")
    settle(opened)
    assert opened.eval("window.__kg.network.getScale()") > scale
    page.click("#kg-tools button[aria-label='Fit the view']")
    assert opened.eval("window.__kg.network.getScale()") == pytest.approx(scale, rel=0.05)
    page.focus("#kg-net")
    page.keyboard.press("Minus")
    settle(opened)
    assert opened.eval("window.__kg.network.getScale()") < scale * 1.01


def test_a_layout_that_will_not_come_to_rest_is_stopped(open_graph) -> None:
    """A dragged node stirs the layout. Told here never to count as still, it keeps moving until
    the page stops it, seconds later: an open page keeps no core busy."""
    opened = open_graph(actors)
    page = opened.page
    opened.eval("() => window.__kg.network.setOptions({ physics: { minVelocity: 0 } })")
    x, y = node_point(opened, "tencent-education")
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 80, y + 60, steps=5)
    page.mouse.up()
    stopped = opened.eval("""() => new Promise(done => {
      const net = window.__kg.network;
      net.once("stabilized", () => done(true));
      setTimeout(() => done(false), 20000);
    })""")
    assert stopped, "still moving 20 s after the drag"
    before = opened.eval("window.__kg.network.getPositions()")
    page.wait_for_timeout(300)
    assert opened.eval("window.__kg.network.getPositions()") == before


def test_on_a_phone_the_legend_starts_folded(open_graph) -> None:
    page = open_graph(actors, viewport=PHONE).page
    assert page.locator("#kg-legend-body").is_hidden()
    box = page.locator("#kg-legend").bounding_box()
    assert box["height"] < 760 * 0.15
    page.click("#kg-legend-toggle")
    assert page.locator("#kg-legend-body").is_visible()


def test_big_graphs_keep_the_hubs_labelled(open_graph) -> None:
    g = big_graph()
    opened = open_graph(g)
    on_screen = opened.eval("""() => {
      const s = window.__kg.network.getScale();
      return window.__kg.nodes.get().filter(n => n.label && n.font.size * s >= 12).map(n => n.id);
    }""")
    top = min(g, key=lambda n: (-g.degree(n), n))
    assert top in on_screen and len(on_screen) >= 5, on_screen


def test_fit_keeps_the_graph_clear_of_the_open_panels(open_graph) -> None:
    opened = open_graph(big_graph)
    page = opened.page
    assert free_of(opened, PANELS) == 1.0  # the first view too
    top = opened.eval("() => window.__kg.nodes.getIds().sort()[0]")
    opened.eval("id => window.__kg.select(id)", top)
    settle(opened)
    assert page.locator("#kg-detail").is_visible()
    page.click("#kg-tools button[aria-label='Fit the view']")
    assert free_of(opened, PANELS) == 1.0
    # folding the legend gives its room back to the graph
    scale = opened.eval("window.__kg.network.getScale()")
    page.click("#kg-legend-toggle")
    page.click("#kg-tools button[aria-label='Fit the view']")
    assert free_of(opened, PANELS) == 1.0
    assert opened.eval("window.__kg.network.getScale()") > scale
    assert opened.errors == []


def test_on_a_phone_fit_keeps_the_graph_above_the_bottom_sheet(open_graph) -> None:
    opened = open_graph(big_graph, viewport=PHONE)
    page = opened.page
    page.fill("#kg-search", "Actor 7")
    page.press("#kg-search", "Enter")
    settle(opened)
    sheet = page.locator("#kg-detail").bounding_box()
    assert sheet["y"] > 760 * 0.3, "the details are a bottom sheet"
    x, y = node_point(opened, "n7")
    assert y < sheet["y"], "the chosen node is hidden under the sheet"
    page.click("#kg-tools button[aria-label='Fit the view']")
    assert free_of(opened, PANELS) == 1.0
