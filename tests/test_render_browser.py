"""kg.page.render pages in a real headless Chromium: offline, drawn, searchable, and safe.

Every request that is not for a file:// URL is blocked and counted; the page must make
none. Skipped only when Chromium or Playwright is missing outside CI; with CI=true a
missing browser is a failure. The filters, the address and the exports are tried in
test_render_browser_filters.py, the communities of big graphs in
test_render_browser_communities.py, fitting and zooming the view and the real data's pages
in test_render_browser_view.py (four files, so that the workers share them); the browser,
its tabs and the graphs they draw are in tests/browsing.py.
"""

from __future__ import annotations

import networkx as nx
import pytest
from browsing import (
    HOSTILE,
    HREF,
    Opened,
    actors,
    big_graph,
    edge_ids,
    hover,
    picked,
    styles,
    tick,
    visible,
)

pytestmark = pytest.mark.slow


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
    opened = open_graph(make, title="Education equity")
    stats = opened.eval("window.__kgStats")
    assert opened.outside == []
    assert opened.errors == [], "console errors (a CSP violation shows up here)"
    assert stats["nodes"] == g.number_of_nodes()
    assert stats["edges"] == g.number_of_edges()
    assert painted_pixels(opened) > 2_000, "the canvas stayed blank"
    assert opened.page.inner_text("h1") == "Education equity"
    assert opened.page.inner_text("#kg-legend").count("\n") >= 3


def test_tooltip_shows_both_names_types_roles_and_sources(open_graph) -> None:
    opened = open_graph(actors)
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
    opened = open_graph(actors)
    opened.page.fill("#kg-search", "腾讯教育")
    assert opened.page.inner_text("#kg-results li").startswith("Tencent Education")
    opened.page.press("#kg-search", "Enter")
    assert opened.eval("window.__kg.network.getSelectedNodes()") == ["tencent-education"]
    assert "腾讯教育" in opened.page.inner_text("#kg-detail")


def test_search_finds_pinyin_aliases_and_part_of_a_name(open_graph) -> None:
    opened = open_graph(actors)
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
    opened = open_graph(actors)
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
    opened = open_graph(actors)
    # once the image's error event has reached a listener added after the handler, the
    # handler's turn has come and gone; the console reports what the CSP refused
    with opened.page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        opened.eval(
            """() => new Promise(done => {
              const d = document.createElement("div");
              d.innerHTML = '<img src="data:," onerror="window.__x=3">';
              d.firstChild.addEventListener("error", done);
              document.body.appendChild(d);
            })"""
        )
    assert opened.eval("typeof window.__x") == "undefined"
    assert any("Content Security Policy" in e for e in opened.errors)


def test_selecting_a_node_highlights_its_neighbourhood_and_keeps_link_colours(open_graph) -> None:
    opened = open_graph(actors)
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
    opened = open_graph(star)
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
    opened = open_graph(actors)
    page = opened.page
    page.fill("#kg-search", "tengxun")
    assert page.locator("#kg-results li").count() >= 1
    page.press("#kg-search", "Enter")
    assert page.locator("#kg-results li").count() == 0
    assert opened.eval("window.__kg.network.getSelectedNodes()") == ["tencent-education"]


def test_links_cite_title_publisher_date_and_paragraph(open_graph) -> None:
    opened = open_graph(actors)
    opened.eval("id => window.__kg.select(id)", "tencent-education")
    text = opened.page.inner_text("#kg-detail")
    assert "Second MEET Summit" in text and "Tencent" in text and "2021-04-20" in text
    assert "3" in opened.page.inner_text("#kg-detail .kg-cite >> nth=0")
    assert "https://example.org/cloud" in text
    assert opened.eval("document.querySelectorAll('a[href]').length") == 0, "a url is text, never a link"


def test_links_with_several_roles_are_drawn_neutral_and_width_is_explained(open_graph) -> None:
    opened = open_graph(actors)
    e = edge_ids(opened)
    s = styles(opened, [e["rural-teachers", "tencent-education"], e["meet-2021", "tencent-education"]], "edges")
    several, one = s.values()
    neutral = opened.eval("JSON.parse(document.getElementById('kg-data').textContent).neutral")
    assert several["color"]["color"] == neutral
    assert one["color"]["color"] != several["color"]["color"]
    legend = opened.page.inner_text("#kg-legend")
    assert "(1 to 2)" in legend  # the width key names the range of weights


def test_hostile_text_stays_text_in_every_new_place(open_graph) -> None:
    opened = open_graph(actors)
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
