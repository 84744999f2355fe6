"""kg.page.render pages in a real headless Chromium: offline, drawn, searchable, and safe.

Every request that is not for a file:// URL is blocked and counted; the page must make
none. Skipped only when Chromium or Playwright is missing outside CI; with CI=true a
missing browser is a failure.
"""

from __future__ import annotations

import csv
import io
import os
import re
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

pytestmark = pytest.mark.slow

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
        "Second MEET Summit",  # sources by their titles, not their ids
        "Cloud Teaching",
        "lead, funder",
    ):
        assert expected in text, expected
    assert "meet-2021:p3" not in text


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


def test_search_finds_a_region_by_any_of_its_names_and_filters_to_it(open_graph) -> None:
    g = actors()
    g.graph["region_aliases"] = {"CN-GS": ["甘肃", "gān sù shěng", HOSTILE]}
    opened = open_graph(g)
    opened.page.fill("#kg-search", "gansu")  # the pinyin of an alias, without tones
    assert "Gansu" in opened.page.inner_text("#kg-results")
    opened.page.fill("#kg-search", "甘肃")
    opened.page.press("#kg-search", "Enter")
    assert picked(opened, "kg-region") == ["CN-GS"]
    assert visible(opened)["edges"] == 3  # as when the region is chosen in the legend
    assert opened.errors == [] and opened.eval("window.__x") is None


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


# --------------------------------------------------------------------------- issue 17: an analyst's page


def styles(opened: Opened, ids: list[str], which: str = "nodes") -> dict[str, Any]:
    """What vis draws for some nodes or edges (colour, label, hidden)."""
    return opened.eval(f"ids => Object.fromEntries(ids.map(i => [i, window.__kg.{which}.get(i)]))", ids)


def edge_ids(opened: Opened) -> dict[tuple[str, str], str]:
    rows = opened.eval("() => window.__kg.edges.get().map(e => [e.from, e.to, e.id])")
    return {(a, b): i for a, b, i in rows}


def test_selecting_a_node_highlights_its_neighbourhood_and_keeps_link_colours(open_graph) -> None:
    opened = open_graph(actors())
    edges = edge_ids(opened)
    before = styles(opened, list(edges.values()), "edges")
    opened.eval("id => window.__kg.select(id)", "tencent-education")
    after = styles(opened, list(edges.values()), "edges")
    near = {edges["meet-2021", "tencent-education"], edges["rural-teachers", "tencent-education"]}
    for e, style in after.items():
        if e in near:  # the node's own links keep their role colour and stand out
            assert style["color"]["color"] == before[e]["color"]["color"]
            assert style["color"]["opacity"] > before[e]["color"]["opacity"]
        else:
            assert style["color"]["opacity"] < 0.2, "a link outside the neighbourhood was not dimmed"
    nodes = styles(opened, ["meet-2021", "rural-teachers", "evil", "hrefy"])
    assert nodes["meet-2021"]["label"] == "MEET 2021" and nodes["rural-teachers"]["label"]
    assert nodes["evil"]["label"] == "" and nodes["hrefy"]["label"] == "", "the rest keeps its labels"
    assert opened.errors == []


def star(n: int = 64) -> nx.Graph:
    g = nx.Graph()
    g.add_node("hub", labels={"en": "Hub"}, kind="Organization")
    for i in range(n):
        g.add_node(f"a{i:02d}", labels={"en": f"Actor {i:02d}"}, kind="Person")
        g.add_edge("hub", f"a{i:02d}", role="member", sources=[f"s:p{i}"])
    return g


def test_the_details_list_every_link_as_a_way_to_the_other_end_and_close(open_graph) -> None:
    opened = open_graph(star(64))
    page = opened.page
    opened.eval("id => window.__kg.select(id)", "hub")
    links = page.locator("#kg-detail button.kg-goto")
    assert links.count() == 64, "the panel stopped before the last link"
    assert "more" not in page.inner_text("#kg-detail")
    links.nth(40).scroll_into_view_if_needed()
    links.nth(40).click()
    assert opened.eval("window.__kg.network.getSelectedNodes()") == ["a40"]
    assert page.inner_text("#kg-detail .kg-title") == "Actor 40"
    page.click("#kg-detail .kg-close")
    assert page.locator("#kg-detail").is_hidden()
    assert opened.eval("window.__kg.network.getSelectedNodes()") == []
    opened.eval("id => window.__kg.select(id)", "hub")
    page.focus("#kg-net")
    page.keyboard.press("Escape")
    assert page.locator("#kg-detail").is_hidden()
    assert opened.errors == []


def test_search_results_close_after_a_choice(open_graph) -> None:
    opened = open_graph(actors())
    page = opened.page
    page.fill("#kg-search", "tengxun")
    assert page.locator("#kg-results li").count() >= 1
    page.press("#kg-search", "Enter")
    assert page.locator("#kg-results li").count() == 0
    assert opened.eval("window.__kg.network.getSelectedNodes()") == ["tencent-education"]


def visible(opened: Opened) -> dict[str, int]:
    return opened.eval("window.__kgVisible")


def tick(opened: Opened, picker: str, value: str) -> None:
    """Tick or untick one choice of the source or region picker, opening it first."""
    box = opened.page.locator(f"#{picker}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator(f"input[type=checkbox][value='{value}']").click()


def picked(opened: Opened, picker: str) -> list[str]:
    return opened.eval(f"() => [...document.querySelectorAll('#{picker} input:checked')].map(i => i.value)")


def test_legend_filters_kinds_and_roles_with_live_counts_kept_in_the_url(open_graph, browser) -> None:
    opened = open_graph(actors())
    page = opened.page
    everything = visible(opened)
    assert everything == {"nodes": 5, "edges": 4}
    page.locator("#kg-legend .kg-toggle", has_text="Person").click()
    assert visible(opened) == {"nodes": 4, "edges": 3}
    assert "4 of 5" in page.inner_text("#kg-count")
    assert page.locator("#kg-legend .kg-toggle", has_text="Person").get_attribute("aria-pressed") == "false"
    assert opened.eval("window.__kg.nodes.get('evil').hidden") is True
    page.locator("#kg-legend .kg-toggle", has_text="sponsor").click()
    assert visible(opened)["edges"] == 2
    url = page.url
    assert "#" in url and "hk=Person" in url
    # the same address opens the same view
    again = browser.new_page()
    again.goto(url)
    again.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert again.evaluate("window.__kgVisible") == visible(opened)
    again.close()
    page.click("#kg-legend .kg-reset")
    assert visible(opened) == everything
    assert "#" not in page.url
    assert opened.errors == []


def test_a_role_family_switch_hides_and_shows_all_its_roles(open_graph) -> None:
    g = actors()  # edges: sponsor; lead + funder; no role; partner
    g.graph["role_families"] = {"supporter": ["funder", "guide", "partner"], "carries-out": ["lead"]}
    opened = open_graph(g)
    page = opened.page
    family = page.locator("#kg-legend .kg-toggle", has_text="supporter (all its roles)")
    assert family.get_attribute("aria-pressed") == "true"
    family.click()
    # the partner link goes; the lead + funder link stays for its lead role
    assert visible(opened)["edges"] == 3
    funder = page.locator("#kg-legend .kg-toggle", has_text="funder").filter(has_not_text="all")
    assert funder.get_attribute("aria-pressed") == "false"
    assert family.get_attribute("aria-pressed") == "false"
    assert "hr=funder%2Cpartner" in page.url or "hr=funder,partner" in page.url
    family.click()
    assert visible(opened)["edges"] == 4
    assert opened.errors == []


def test_years_minimum_links_sources_and_regions_filter_the_links(open_graph) -> None:
    opened = open_graph(actors())
    page = opened.page
    tick(opened, "kg-region", "CN-GS")
    assert visible(opened)["edges"] == 3  # the links touching a node in Gansu
    tick(opened, "kg-region", "CN-GS")
    tick(opened, "kg-source", "cloud-aid")
    assert visible(opened) == {"nodes": 2, "edges": 1}
    page.click("#kg-legend .kg-reset")
    page.fill("#kg-degree", "2")
    assert visible(opened) == {"nodes": 3, "edges": 2}  # the two with one link go, and their links
    page.click("#kg-legend .kg-reset")
    assert visible(opened) == {"nodes": 5, "edges": 4}
    assert opened.errors == []


def dated() -> nx.Graph:
    g = nx.Graph()
    for i, year in enumerate((2018, 2019, 2020, 2021)):
        g.add_node(f"o{i}", labels={"en": f"Org {i}"}, kind="Organization")
        g.add_node(f"e{i}", labels={"en": f"Event {year}"}, kind="Event")
        g.add_edge(f"o{i}", f"e{i}", role="host", dates=str(year))
    g.add_edge("o0", "e1", role="attendee")  # no year
    return g


def test_the_year_range_keeps_the_links_of_those_years(open_graph) -> None:
    opened = open_graph(dated())
    page = opened.page
    assert visible(opened)["edges"] == 5
    page.fill("#kg-year-from", "2020")
    assert visible(opened) == {"nodes": 4, "edges": 2}
    assert "y=2020-2021" in page.url
    page.fill("#kg-year-to", "2020")
    assert visible(opened)["edges"] == 1
    assert opened.errors == []


def test_links_cite_title_publisher_date_and_paragraph(open_graph) -> None:
    opened = open_graph(actors())
    opened.eval("id => window.__kg.select(id)", "tencent-education")
    text = opened.page.inner_text("#kg-detail")
    assert "Second MEET Summit" in text and "Tencent" in text and "2021-04-20" in text
    assert "3" in opened.page.inner_text("#kg-detail .kg-cite >> nth=0")
    assert "https://example.org/cloud" in text
    assert opened.eval("document.querySelectorAll('a[href]').length") == 0, "a url is text, never a link"


def test_real_links_cite_their_sources_by_title(open_graph) -> None:
    """On the real data every cited source is shown by its curated title, never by its id."""
    from kg.graph import open_store
    from kg.networks.views import load, network
    from kg.project import Project

    g = network(load(open_store(Project.default())), "participation")
    opened = open_graph(g)
    hub = max(g, key=lambda n: (len({c.split(":")[0] for *_, cs in g.edges(n, data="sources") for c in cs}), n))
    opened.eval("id => window.__kg.select(id)", hub)
    titles = opened.eval("() => [...document.querySelectorAll('#kg-detail .kg-cite-title')].map(e => e.textContent)")
    known = {t for info in g.graph["sources"].values() for t in info.get("title", {}).values()}
    assert titles and set(titles) <= known
    assert opened.errors == []


def test_png_and_csv_of_what_is_shown(open_graph) -> None:
    opened = open_graph(actors())
    page = opened.page
    page.locator("#kg-legend .kg-toggle", has_text="Person").click()
    with page.expect_download() as d:
        page.click("#kg-tools button:has-text('PNG')")
    png = Path(d.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2_000
    with page.expect_download() as d:
        page.click("#kg-tools button:has-text('Nodes CSV')")
    rows = list(csv.reader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == visible(opened)["nodes"] == 4
    assert "evil" not in {r[0] for r in rows}
    with page.expect_download() as d:
        page.click("#kg-tools button:has-text('Links CSV')")
    rows = list(csv.reader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == visible(opened)["edges"]
    assert all(not r[2].startswith(("=", "+", "-", "@")) for r in rows)
    assert opened.outside == [] and opened.errors == []


def test_colour_and_size_follow_the_readers_choice(open_graph) -> None:
    opened = open_graph(actors())
    page = opened.page
    before = styles(opened, ["tencent-education", "meet-2021", "evil"])
    page.select_option("#kg-size", "uniform")
    after = styles(opened, ["tencent-education", "meet-2021", "evil"])
    assert before["tencent-education"]["size"] > before["evil"]["size"]
    assert len({s["size"] for s in after.values()}) == 1
    page.select_option("#kg-color", "region")
    colours = styles(opened, ["tencent-education", "rural-teachers", "evil"])
    assert colours["tencent-education"]["color"]["background"] == colours["rural-teachers"]["color"]["background"]
    assert colours["evil"]["color"]["background"] != colours["rural-teachers"]["color"]["background"]
    assert "Gansu" in page.inner_text("#kg-legend")
    assert "c=region" in page.url and "s=uniform" in page.url
    assert opened.errors == []


def test_links_with_several_roles_are_drawn_neutral_and_width_is_explained(open_graph) -> None:
    opened = open_graph(actors())
    e = edge_ids(opened)
    s = styles(opened, [e["rural-teachers", "tencent-education"], e["meet-2021", "tencent-education"]], "edges")
    several, one = s.values()
    neutral = opened.eval("JSON.parse(document.getElementById('kg-data').textContent).neutral")
    assert several["color"]["color"] == neutral
    assert one["color"]["color"] != several["color"]["color"]
    legend = opened.page.inner_text("#kg-legend")
    assert "(1 to 2)" in legend  # the width key names the range of weights


def test_hostile_text_stays_text_in_every_new_place(open_graph) -> None:
    opened = open_graph(actors())
    page = opened.page
    opened.eval("id => window.__kg.select(id)", "evil")  # a hostile source, publisher and region
    detail = page.inner_text("#kg-detail")
    assert detail.count(HOSTILE) >= 3 and HREF in detail  # its name, the source's title, its region
    assert HREF in page.inner_text("#kg-legend")  # a hostile role name
    page.select_option("#kg-color", "region")
    assert HOSTILE in page.inner_text("#kg-legend")
    page.click("#kg-region summary")
    page.click("#kg-source summary")
    assert HOSTILE in page.locator("#kg-region .kg-name").all_inner_texts()
    assert HOSTILE in page.locator("#kg-source .kg-name").all_inner_texts()
    tick(opened, "kg-region", "x-land")
    assert HOSTILE in page.inner_text("#kg-region summary")  # the one region chosen, named
    assert opened.eval("typeof window.__x") == "undefined"
    assert opened.eval("document.querySelectorAll('img, a[href], svg').length") == 0
    assert opened.outside == [] and opened.errors == []


def test_the_chinese_page_speaks_chinese(open_graph) -> None:
    from kg.graph import open_store
    from kg.networks.views import load, network
    from kg.project import Project

    g = network(load(open_store(Project.default())), "participation")
    opened = open_graph(g, lang="zh")
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
    from kg.graph import open_store
    from kg.networks.views import PINYIN, load, network
    from kg.project import Project

    g = network(load(open_store(Project.default())), "participation")
    opened = open_graph(g)
    chinese_only = [n for n, labels in g.nodes(data="labels") if "en" not in labels and PINYIN in labels]
    assert chinese_only
    labels = opened.eval("ids => ids.map(i => window.__kg.nodes.get(i).label)", chinese_only)
    for node, label in zip(chinese_only, labels, strict=True):
        assert g.nodes[node]["labels"][PINYIN][:10] in label or label.endswith("…")


def test_keyboard_and_buttons_zoom_and_fit(open_graph) -> None:
    opened = open_graph(actors())
    page = opened.page
    assert page.get_attribute("#kg-net", "tabindex") == "0"
    scale = opened.eval("window.__kg.network.getScale()")
    page.click("#kg-tools button[aria-label='Zoom in']")
    page.wait_for_timeout(350)
    assert opened.eval("window.__kg.network.getScale()") > scale
    page.click("#kg-tools button[aria-label='Fit the view']")
    assert opened.eval("window.__kg.network.getScale()") == pytest.approx(scale, rel=0.05)
    page.focus("#kg-net")
    page.keyboard.press("Minus")
    page.wait_for_timeout(300)
    assert opened.eval("window.__kg.network.getScale()") < scale * 1.01


def test_on_a_phone_the_legend_starts_folded(browser, tmp_path) -> None:
    path = write_html(actors(), tmp_path / "phone.html")
    page = browser.new_page(viewport={"width": 390, "height": 760})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert page.locator("#kg-legend-body").is_hidden()
    box = page.locator("#kg-legend").bounding_box()
    assert box["height"] < 760 * 0.15
    page.click("#kg-legend-toggle")
    assert page.locator("#kg-legend-body").is_visible()
    page.close()


def test_big_graphs_keep_the_hubs_labelled(open_graph) -> None:
    g = big_graph()
    opened = open_graph(g)
    on_screen = opened.eval("""() => {
      const s = window.__kg.network.getScale();
      return window.__kg.nodes.get().filter(n => n.label && n.font.size * s >= 12).map(n => n.id);
    }""")
    top = min(g, key=lambda n: (-g.degree(n), n))
    assert top in on_screen and len(on_screen) >= 5, on_screen


@pytest.fixture(scope="module")
def communities() -> nx.Graph:
    """A graph above the cluster threshold, with its communities; the hub of one is named with
    markup, its kinds are two, and its links cite two sources."""
    from kg.networks.views import add_metrics
    from kg.page.render import CLUSTER_THRESHOLD

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


def settle(opened: Opened) -> None:
    """Wait until the view stops moving (an opened community or a found node is flown to)."""
    last = None
    for _ in range(100):
        now = opened.eval("() => [window.__kg.network.getScale(), window.__kg.network.getViewPosition()]")
        if now == last:
            return
        last = now
        opened.page.wait_for_timeout(100)


def drawn(opened: Opened) -> set[str]:
    """The ids of the nodes vis holds (what the canvas can draw)."""
    return set(opened.eval("window.__kg.nodes.getIds()"))


def test_above_the_threshold_communities_are_drawn_as_nodes_that_open(open_graph, communities) -> None:
    g = communities
    opened = open_graph(g)
    page = opened.page
    clusters = opened.eval("window.__kg.clusters()")
    assert len(clusters) >= 3
    assert len(drawn(opened)) < g.number_of_nodes() / 5, "the communities were not collapsed"
    members = opened.eval("id => window.__kg.members(id)", clusters[0])
    assert len(members) >= 5 and not set(members) & drawn(opened)
    # the stats and the counts speak of the whole graph
    assert opened.eval("window.__kgStats.nodes") == g.number_of_nodes()
    assert page.inner_text("#kg-count").startswith(f"{g.number_of_nodes():,} nodes")
    page.mouse.click(*node_point(opened, clusters[0]))
    page.wait_for_timeout(100)
    assert clusters[0] not in opened.eval("window.__kg.clusters()")
    now = drawn(opened)
    assert set(members) <= now and clusters[0] not in now
    # the members appear where the layout put them, around where their community was drawn
    inside = opened.eval("""ids => {
      const net = window.__kg.network, c = document.getElementById("kg-net");
      return ids.filter(id => { const p = net.canvasToDOM(net.getPosition(id));
        return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight; }).length;
    }""", members)
    assert inside >= len(members) / 2
    # it stays open while the filters change, and in the address
    community = clusters[0].split(":")[1]
    assert f"open={community}" in page.url
    page.locator("#kg-legend .kg-toggle", has_text="Person").click()
    assert clusters[0] not in opened.eval("window.__kg.clusters()")
    assert {m for m in members if g.nodes[m]["kind"] != "Person"} <= drawn(opened)
    again = open_graph(g)
    again.page.goto(page.url)
    again.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert clusters[0] not in again.eval("window.__kg.clusters()") and members[0] in drawn(again)
    # "collapse" closes it again
    page.click("#kg-tools button:has-text('Group')")
    assert clusters[0] in opened.eval("window.__kg.clusters()")
    assert not set(members) & drawn(opened) and "open=" not in page.url
    assert opened.outside == [] and opened.errors == []


def test_search_reaches_into_a_closed_community(open_graph, communities) -> None:
    opened = open_graph(communities)
    page = opened.page
    cluster = opened.eval("window.__kg.clusters()")[1]
    member = opened.eval("id => window.__kg.members(id)", cluster)[-1]
    page.fill("#kg-search", communities.nodes[member]["labels"]["en"])
    page.press("#kg-search", "Enter")
    assert opened.eval("window.__kg.network.getSelectedNodes()") == [member]
    assert cluster not in opened.eval("window.__kg.clusters()")
    assert member in drawn(opened)
    assert page.inner_text("#kg-detail .kg-title") == communities.nodes[member]["labels"]["en"]
    assert f"n={member}" in page.url
    # its neighbours in closed communities light up as those communities
    lit = opened.eval("""() => window.__kg.nodes.get().filter(n => n.label).map(n => n.id)""")
    assert member in lit and len(lit) < len(drawn(opened))
    # the address reopens the same view: the community open, the node selected
    again = open_graph(communities)
    again.page.goto(page.url)
    again.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert again.eval("window.__kg.network.getSelectedNodes()") == [member]
    assert opened.errors == [] and again.errors == []


def test_filters_count_the_members_of_closed_communities(open_graph, communities) -> None:
    g = communities
    opened = open_graph(g)
    page = opened.page
    people = sum(1 for _, k in g.nodes(data="kind") if k == "Person")
    row = page.locator("#kg-legend .kg-toggle", has_text="Person")
    assert row.locator(".kg-n").inner_text() == f"{people:,}"
    page.locator("#kg-legend .kg-toggle", has_text="Organization").click()
    assert visible(opened)["nodes"] == people
    assert row.locator(".kg-n").inner_text() == f"{people:,}"
    assert page.inner_text("#kg-count").startswith(f"{people:,} of {g.number_of_nodes():,}")
    # the communities close again over what is left, each counting only its visible members
    for cluster in opened.eval("window.__kg.clusters()"):
        kinds = {g.nodes[m]["kind"] for m in opened.eval("id => window.__kg.members(id)", cluster)}
        assert kinds == {"Person"}
    # a source picked: the counts of the other source drop to the links it still shares
    tick(opened, "kg-source", "a")
    cited = sum(1 for u, v, s in g.edges(data="sources") if s == ["a:p1"]
                and g.nodes[u]["kind"] == g.nodes[v]["kind"] == "Person")
    assert visible(opened)["edges"] == cited
    page.click(".kg-reset")
    assert visible(opened)["nodes"] == g.number_of_nodes()
    assert opened.errors == []


def test_csv_of_a_view_with_closed_communities_lists_their_members(open_graph, communities) -> None:
    g = communities
    opened = open_graph(g)
    page = opened.page
    assert opened.eval("window.__kg.clusters()")
    with page.expect_download() as d:
        page.click("#kg-tools button:has-text('Nodes CSV')")
    rows = list(csv.reader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == set(g.nodes)
    with page.expect_download() as d:
        page.click("#kg-tools button:has-text('Links CSV')")
    rows = list(csv.reader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == g.number_of_edges()
    with page.expect_download() as d:
        page.click("#kg-tools button:has-text('PNG')")
    assert Path(d.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert opened.outside == [] and opened.errors == []


def test_markup_in_a_community_label_stays_text(open_graph, communities) -> None:
    g = communities
    opened = open_graph(g, color_by="community")
    hub = max(g, key=lambda n: (g.degree(n), n))
    labels = opened.eval("() => window.__kg.nodes.get().filter(n => n.id.startsWith('cluster:')).map(n => n.label)")
    assert any(HOSTILE[:20] in label for label in labels), labels  # shortened
    # the colour key names each community by its hub, as text
    assert HOSTILE[:20] in opened.page.inner_text("#kg-legend")
    members = "id => window.__kg.members(id)"
    cluster = next(c for c in opened.eval("window.__kg.clusters()") if hub in opened.eval(members, c))
    tip = hover(opened, cluster)  # names its best-linked members, and says how to open it
    assert HOSTILE in tip and "Click to show its" in tip
    opened.page.mouse.click(*node_point(opened, cluster))
    settle(opened)
    hover(opened, hub)
    assert opened.eval("window.__x") is None
    assert opened.eval("document.querySelectorAll('#kg-tip img, #kg-legend img').length") == 0
    assert opened.outside == [] and opened.errors == []


def test_a_summed_link_between_closed_communities_says_what_it_stands_for(open_graph, communities) -> None:
    g = communities
    opened = open_graph(g)
    page = opened.page
    # a summed link between two closed communities, at a point of the canvas where nothing else is
    found = opened.eval("""() => {
      const net = window.__kg.network, box = document.getElementById("kg-net").getBoundingClientRect();
      for (const e of window.__kg.edges.get()) {
        if (!e.id.startsWith("sum:") || !e.from.startsWith("cluster:") || !e.to.startsWith("cluster:")) continue;
        const a = net.canvasToDOM(net.getPosition(e.from)), b = net.canvasToDOM(net.getPosition(e.to));
        for (const t of [0.5, 0.4, 0.6, 0.3, 0.7]) {
          const p = { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
          if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) continue;
          const el = document.elementFromPoint(p.x + box.left, p.y + box.top);
          if (net.getNodeAt(p) === undefined && net.getEdgeAt(p) === e.id && el && el.tagName === "CANVAS") {
            return [e.from, e.to, p.x + box.left, p.y + box.top];
          }
        }
      }
      return null;
    }""")
    assert found, "no summed link between two closed communities could be pointed at"
    x, y = found[2:]
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=4)
    page.wait_for_selector("#kg-tip:not([hidden])", timeout=5_000)
    tip = page.inner_text("#kg-tip")
    # (where links cross, vis may take the other one: the tooltip names the one it shows)
    named = re.match(r"Community (\d+) — Community (\d+)\n", tip)
    assert named, tip
    ends = [set(opened.eval("id => window.__kg.members(id)", f"cluster:{int(c) - 1}")) for c in named.groups()]
    assert all(ends), ends
    links = sum(1 for u, v in g.edges if (u in ends[0] and v in ends[1]) or (u in ends[1] and v in ends[0]))
    assert f"{links:,} links" in tip and f"member {links:,}" in tip, tip
    assert opened.errors == []


def test_the_focused_canvas_opens_the_community_in_the_middle_with_enter(open_graph, communities) -> None:
    opened = open_graph(communities)
    page = opened.page
    clusters = opened.eval("window.__kg.clusters()")
    target = clusters[1]
    members = opened.eval("id => window.__kg.members(id)", target)
    assert members and not set(members) & drawn(opened)
    page.focus("#kg-net")
    # the reader has moved the view onto one community (arrow keys, + and -): Enter opens it
    opened.eval("""id => window.__kg.network.moveTo({ position: window.__kg.network.getPosition(id),
                                                      scale: 1, animation: false })""", target)
    page.keyboard.press("Enter")
    settle(opened)
    now = opened.eval("window.__kg.clusters()")
    assert target not in now and set(now) == set(clusters) - {target}
    assert set(members) <= drawn(opened)
    assert f"open={target.split(':')[1]}" in page.url
    assert opened.errors == []


def test_the_roll_up_switch_shows_the_other_view_and_keeps_it_in_the_address(open_graph) -> None:
    plain = nx.Graph(view="participation")
    for node, kind in (("group", "Organization"), ("unit", "Organization"), ("plan", "Initiative")):
        plain.add_node(node, labels={"en": node.title()}, kind=kind)
    plain.add_edge("group", "plan", roles=["lead"], sources=["d:p1"])
    plain.add_edge("unit", "plan", roles=["funder"], sources=["d:p2"])
    rolled = nx.Graph(view="participation", filters="roll-up")
    rolled.add_node("group", labels={"en": "Group"}, kind="Organization", members=["unit"])
    rolled.add_node("plan", labels={"en": "Plan"}, kind="Initiative")
    rolled.add_edge("group", "plan", roles=["funder", "lead"], sources=["d:p1", "d:p2"])
    rolled.graph["members"] = {"unit": {"en": "Unit"}}
    opened = open_graph(plain, other=rolled)
    assert opened.eval("window.__kg.nodes.length") == 3
    opened.page.click("button.kg-rollup")
    opened.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert opened.eval("window.__kg.nodes.length") == 2
    assert "rollup=1" in opened.eval("location.hash")
    opened.eval("window.__kg.select('group')")
    assert "Unit" in opened.page.inner_text("#kg-detail")
    opened.page.click("button.kg-rollup")
    opened.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert opened.eval("window.__kg.nodes.length") == 3
    assert not opened.errors and not opened.outside


# --------------------------------------------------------------------------- issue 17: second round


def sourced() -> nx.Graph:
    """Actors and links from three sources and two regions (one link cites two sources)."""
    g = actors()
    g.add_node("gansu-school", labels={"en": "Gansu School"}, kind="Organization", regions=["CN-GS"])
    g.add_edge("gansu-school", "rural-teachers", role="member", sources=["cloud-aid:p4", "meet-2021:p9"])
    return g


def test_several_sources_and_regions_can_be_chosen_by_keyboard_with_live_counts(open_graph, browser) -> None:
    opened = open_graph(sourced())
    page = opened.page
    everything = visible(opened)
    source_count = "#kg-source label:has(input[value='cloud-aid']) .kg-n"
    assert page.locator("#kg-source summary").inner_text().endswith("All sources")
    assert page.text_content(source_count) == "2"  # the links citing it
    # by keyboard only: open the picker (sources listed by title), tick the second and third
    page.focus("#kg-source summary")
    page.keyboard.press("Enter")
    assert page.locator("#kg-source").get_attribute("open") is not None
    assert page.locator("#kg-source .kg-name").all_inner_texts() == [HOSTILE, "Cloud Teaching", "Second MEET Summit"]
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert picked(opened, "kg-source") == ["cloud-aid", "meet-2021"]
    assert "2 chosen" in page.inner_text("#kg-source summary")
    assert visible(opened)["edges"] == 3  # the links citing either, not only both
    assert re.search(r"src=cloud-aid(,|%2C)meet-2021", page.url)
    # a region narrows the links of those sources; the source counts follow the region
    tick(opened, "kg-region", "CN-GS")
    assert visible(opened)["edges"] == 3
    tick(opened, "kg-region", "x-land")
    assert visible(opened)["edges"] == 3  # x-land's one link cites neither source
    tick(opened, "kg-region", "CN-GS")
    assert visible(opened)["edges"] == 0
    assert page.inner_text(source_count) == "0 of 2"
    assert page.inner_text("#kg-region label:has(input[value='CN-GS']) .kg-n") == "3 of 4"
    assert "reg=x-land" in page.url
    tick(opened, "kg-region", "CN-GS")
    # the address reopens the same choices
    again = browser.new_page()
    again.goto(page.url)
    again.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert again.evaluate("window.__kgVisible") == visible(opened)
    assert sorted(again.evaluate("[...document.querySelectorAll('#kg-region input:checked')].map(i => i.value)")) == [
        "CN-GS", "x-land"]
    again.close()
    page.click("#kg-legend .kg-reset")
    assert picked(opened, "kg-source") == [] and picked(opened, "kg-region") == []
    assert visible(opened) == everything and "#" not in page.url
    assert opened.errors == [] and opened.outside == []


def test_a_long_source_list_can_be_narrowed_by_typing(open_graph) -> None:
    g = big_graph()
    g.graph["sources"] = {f"d{i}": {"title": {"en": f"Report {i}"}} for i in range(12)}
    for i, (u, v) in enumerate(sorted(g.edges)):
        g.edges[u, v]["sources"] = [f"d{i % 12}:p1"]
    opened = open_graph(g)
    page = opened.page
    page.click("#kg-source summary")
    page.fill("#kg-source .kg-narrow", "report 1")
    shown = [t for t in page.locator("#kg-source li:visible .kg-name").all_inner_texts()]
    assert shown == ["Report 1", "Report 10", "Report 11"]
    assert opened.errors == []


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


PANELS = ["#kg-head", "#kg-legend", "#kg-detail", "#kg-tools"]


def test_fit_keeps_the_graph_clear_of_the_open_panels(open_graph) -> None:
    opened = open_graph(big_graph())
    page = opened.page
    assert free_of(opened, PANELS) == 1.0  # the first view too
    top = opened.eval("() => window.__kg.nodes.getIds().sort()[0]")
    opened.eval("id => window.__kg.select(id)", top)
    page.wait_for_timeout(600)
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


def test_on_a_phone_fit_keeps_the_graph_above_the_bottom_sheet(browser, tmp_path) -> None:
    path = write_html(big_graph(), tmp_path / "phone.html")
    page = browser.new_page(viewport={"width": 390, "height": 760})
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    opened = Opened(page)
    page.fill("#kg-search", "Actor 7")
    page.press("#kg-search", "Enter")
    page.wait_for_timeout(600)
    sheet = page.locator("#kg-detail").bounding_box()
    assert sheet["y"] > 760 * 0.3, "the details are a bottom sheet"
    x, y = node_point(opened, "n7")
    assert y < sheet["y"], "the chosen node is hidden under the sheet"
    page.click("#kg-tools button[aria-label='Fit the view']")
    assert free_of(opened, PANELS) == 1.0
    page.close()


def funded() -> nx.Graph:
    g = actors()
    g.add_node("fund", labels={"en": "Rural Fund"}, kind="Organization")
    g.add_edge("fund", "rural-teachers", role="funder", amounts=["CNY 5,000,000 (2019)", HOSTILE],
               sources=["cloud-aid:p2"], dates="2019")
    return g


def test_amounts_on_funder_links_show_in_the_panel_the_tooltip_and_the_csv(open_graph) -> None:
    opened = open_graph(funded())
    page = opened.page
    opened.eval("id => window.__kg.select(id)", "fund")
    detail = page.inner_text("#kg-detail")
    assert "CNY 5,000,000 (2019)" in detail and HOSTILE in detail
    page.click("#kg-detail .kg-close")
    page.wait_for_timeout(600)  # the move to the node
    assert "CNY 5,000,000" in hover(opened, "fund")
    with page.expect_download() as d:
        page.click("#kg-tools button:has-text('Links CSV')")
    rows = list(csv.DictReader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8-sig"))))
    funding = [r for r in rows if r["source"] == "fund"]
    assert funding and "CNY 5,000,000 (2019)" in funding[0]["amounts"]
    assert opened.eval("typeof window.__x") == "undefined"
    assert opened.eval("document.querySelectorAll('img, a[href]').length") == 0
    assert opened.errors == [] and opened.outside == []


def rolled_pair() -> tuple[nx.Graph, nx.Graph]:
    """A view and its roll-up: a unit counted with its group; two sources, a region, a hostile member."""
    meta = {
        "sources": {"d": {"title": {"en": "Annual report"}}, "e": {"title": {"en": HOSTILE}}},
        "regions": {"CN-GS": {"en": "Gansu"}, "CN-YN": {"en": "Yunnan"}},
        "role_families": {"supporter": ["funder", "partner"]},
    }
    plain = nx.Graph(view="participation", **meta)
    for node, kind, regions in (("group", "Organization", ["CN-YN"]), ("unit", "Organization", ["CN-GS"]),
                                ("plan", "Initiative", ["CN-GS"]), ("camp", "Event", ["CN-YN"]),
                                ("ann", "Person", [])):
        plain.add_node(node, labels={"en": node.title()}, kind=kind, regions=regions)
    plain.add_edge("group", "plan", roles=["lead"], sources=["d:p1"], dates="2019")
    plain.add_edge("unit", "plan", roles=["funder"], sources=["d:p2"], dates="2020", amounts=["CNY 1 m"])
    plain.add_edge("unit", "camp", roles=["partner"], sources=["e:p1"], dates="2021")
    plain.add_edge("ann", "camp", roles=["attendee"], sources=["e:p2"], dates="2021")
    rolled = nx.Graph(view="participation", filters="roll-up", **meta)
    for node, kind, regions in (("group", "Organization", ["CN-YN", "CN-GS"]), ("plan", "Initiative", ["CN-GS"]),
                                ("camp", "Event", ["CN-YN"]), ("ann", "Person", [])):
        rolled.add_node(node, labels={"en": node.title()}, kind=kind, regions=regions)
    rolled.nodes["group"]["members"] = ["unit"]
    rolled.add_edge("group", "plan", roles=["funder", "lead"], sources=["d:p1", "d:p2"], dates="2019, 2020",
                    amounts=["CNY 1 m"], weight=2)
    rolled.add_edge("group", "camp", roles=["partner"], sources=["e:p1"], dates="2021")
    rolled.add_edge("ann", "camp", roles=["attendee"], sources=["e:p2"], dates="2021")
    rolled.graph["members"] = {"unit": {"en": HOSTILE}}
    return plain, rolled


def test_the_roll_up_copy_keeps_every_filter_and_choice_of_the_address(open_graph) -> None:
    plain, rolled = rolled_pair()
    opened = open_graph(plain, other=rolled)
    page = opened.page
    page.locator("#kg-legend .kg-toggle", has_text="Person").click()  # a kind
    page.locator("#kg-legend .kg-toggle", has_text="supporter (all its roles)").click()  # a role family
    page.fill("#kg-year-from", "2020")  # years
    tick(opened, "kg-source", "d")  # a source
    tick(opened, "kg-region", "CN-GS")  # a region
    page.select_option("#kg-color", "region")
    page.select_option("#kg-size", "uniform")
    # the partner link goes with its family, the funder role too: only the lead link of 2019 could stay,
    # and it is outside the years: nothing of the plain view is left
    before = page.url.split("#", 1)[1]
    assert visible(opened)["edges"] == 0
    page.click("#kg-legend .kg-toggle:has-text('supporter (all its roles)')")  # the family back
    assert visible(opened) == {"nodes": 2, "edges": 1}  # unit funds plan in 2020
    before = page.url.split("#", 1)[1]
    page.click("button.kg-rollup")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    after = page.url.split("#", 1)[1]
    assert opened.eval("window.__kg.nodes.length") == 4, "the rolled-up copy is drawn"
    assert set(after.split("&")) == set(before.split("&")) | {"rollup=1"}
    # the same filters on the rolled-up copy: the group's one link to plan, which cites d and was in 2020
    assert visible(opened) == {"nodes": 2, "edges": 1}
    state = opened.eval("""() => { const s = window.__kg.state();
      return [[...s.kinds], [...s.roles].sort(), s.from, [...s.sources], [...s.regions], s.color, s.size]; }""")
    assert state == [["Person"], [], 2020, ["d"], ["CN-GS"], "region", "uniform"]
    assert picked(opened, "kg-region") == ["CN-GS"] and picked(opened, "kg-source") == ["d"]
    assert page.input_value("#kg-color") == "region" and page.input_value("#kg-size") == "uniform"
    opened.eval("window.__kg.select('group')")
    assert HOSTILE in page.inner_text("#kg-detail")  # a member's name, as text
    assert "n=group" in page.url
    page.click("button.kg-rollup")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
    assert opened.eval("window.__kg.nodes.length") == 5
    assert visible(opened) == {"nodes": 2, "edges": 1}
    assert "n=" not in page.url  # the rolled node is not in this view
    assert opened.eval("typeof window.__x") == "undefined"
    assert not opened.errors and not opened.outside


def test_a_region_found_by_search_adds_to_the_regions_chosen(open_graph) -> None:
    g = sourced()
    g.graph["region_aliases"] = {"CN-GS": ["甘肃"], "x-land": ["Xland"]}
    opened = open_graph(g)
    page = opened.page
    page.fill("#kg-search", "甘肃")
    page.press("#kg-search", "Enter")
    page.fill("#kg-search", "xland")
    page.press("#kg-search", "Enter")
    assert sorted(picked(opened, "kg-region")) == ["CN-GS", "x-land"]
    assert "2 chosen" in page.inner_text("#kg-region summary")
    assert opened.errors == []
