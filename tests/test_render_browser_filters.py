"""The page's filters, the address that keeps them, the roll-up switch and the exports, in a
real headless Chromium (see test_render_browser.py)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
import pytest
from browsing import HOSTILE, actors, big_graph, hover, picked, settle, sourced, styles, tick, visible

pytestmark = pytest.mark.slow


def test_legend_filters_kinds_and_roles_with_live_counts_kept_in_the_url(open_graph, tabs) -> None:
    opened = open_graph(actors)
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
    again = tabs.open(url)
    assert visible(again) == visible(opened)
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
    opened = open_graph(actors)
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
    opened = open_graph(dated)
    page = opened.page
    assert visible(opened)["edges"] == 5
    page.fill("#kg-year-from", "2020")
    assert visible(opened) == {"nodes": 4, "edges": 2}
    assert "y=2020-2021" in page.url
    page.fill("#kg-year-to", "2020")
    assert visible(opened)["edges"] == 1
    assert opened.errors == []


def test_png_and_csv_of_what_is_shown(open_graph) -> None:
    opened = open_graph(actors)
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
    opened = open_graph(actors)
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



def test_several_sources_and_regions_can_be_chosen_by_keyboard_with_live_counts(open_graph, tabs) -> None:
    opened = open_graph(sourced)
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
    again = tabs.open(page.url)
    assert visible(again) == visible(opened)
    assert sorted(picked(again, "kg-region")) == ["CN-GS", "x-land"]
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


def funded() -> nx.Graph:
    g = actors()
    g.add_node("fund", labels={"en": "Rural Fund"}, kind="Organization")
    g.add_edge("fund", "rural-teachers", role="funder", amounts=["CNY 5,000,000 (2019)", HOSTILE],
               sources=["cloud-aid:p2"], dates="2019")
    return g


def test_amounts_on_funder_links_show_in_the_panel_the_tooltip_and_the_csv(open_graph) -> None:
    opened = open_graph(funded)
    page = opened.page
    opened.eval("id => window.__kg.select(id)", "fund")
    detail = page.inner_text("#kg-detail")
    assert "CNY 5,000,000 (2019)" in detail and HOSTILE in detail
    page.click("#kg-detail .kg-close")
    settle(opened)  # the move to the node
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

