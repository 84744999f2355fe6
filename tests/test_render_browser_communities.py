"""Big graphs drawn as communities that open, in a real headless Chromium (see
test_render_browser.py): counts, search, filters, exports and labels over closed communities."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
import pytest
from browsing import HOSTILE, community_graph, drawn, hover, node_point, settle, tick, visible

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def communities() -> nx.Graph:
    """The graph of the community tests (browsing.community_graph), made once."""
    return community_graph()


def test_above_the_threshold_communities_are_drawn_as_nodes_that_open(open_graph, tabs, communities) -> None:
    g = communities
    opened = open_graph(community_graph)
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
    settle(opened)
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
    again = tabs.open(page.url)
    assert clusters[0] not in again.eval("window.__kg.clusters()") and members[0] in drawn(again)
    # "collapse" closes it again
    page.click("#kg-tools button:has-text('Group')")
    assert clusters[0] in opened.eval("window.__kg.clusters()")
    assert not set(members) & drawn(opened) and "open=" not in page.url
    assert opened.outside == [] and opened.errors == []


def test_search_reaches_into_a_closed_community(open_graph, tabs, communities) -> None:
    opened = open_graph(community_graph)
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
    again = tabs.open(page.url)
    assert again.eval("window.__kg.network.getSelectedNodes()") == [member]
    assert opened.errors == [] and again.errors == []


def test_filters_count_the_members_of_closed_communities(open_graph, communities) -> None:
    g = communities
    opened = open_graph(community_graph)
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
    opened = open_graph(community_graph)
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
    opened = open_graph(community_graph, color_by="community")
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
    opened = open_graph(community_graph)
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
    opened = open_graph(community_graph)
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


