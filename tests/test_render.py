"""kg.page.render without a browser: the raw page is deterministic, escaped and self-contained.

What a browser does with the page is in test_render_browser*.py.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import math
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from kg.model.ontology import load_ontology
from kg.page.render import (
    EDGE_COLOR,
    KIND_COLORS,
    PHYSICS_THRESHOLD,
    ROLE_COLORS,
    kind_color,
    render_html,
    write_html,
)
from kg.project import Project

HOSTILE = '<img src=x onerror="window.__x=1">'


def small_graph() -> nx.Graph:
    """Three actors, one initiative, an event; names in English, Chinese and pinyin."""
    g = nx.Graph()
    g.add_node(
        "tencent-education",
        labels={"en": "Tencent Education", "zh": "腾讯教育"},
        aliases=["Tengxun Jiaoyu", "腾讯"],
        kind="Organization",
        types=["Company"],
        degree=3,
    )
    g.add_node(
        "meet-2021",
        labels={"en": "MEET 2021", "zh": "教育公平大会2021"},
        kind="Event",
        types=["Conference"],
        dates="2021-11",
    )
    g.add_node("rural-teachers", labels={"en": "Rural Teachers Plan"}, kind="Initiative")
    g.add_node(
        "evil",
        labels={"en": HOSTILE, "zh": "</script><script>alert(1)</script>"},
        aliases=["a & b", "\u2028line"],
        kind="Person",
        types=['"><b>'],
    )
    g.add_node("hrefy", labels={"en": 'see <a href="javascript:alert(1)">href</a>'}, kind="Mystery")
    g.add_edge("tencent-education", "meet-2021", role="sponsor", sources=["meet-2021:p3"], dates="2021")
    g.add_edge(
        "tencent-education",
        "rural-teachers",
        roles=["lead", "funder"],
        weight=3,
        sources=["cloud-aid:p1", "cloud-aid:p4"],
    )
    g.add_edge("evil", "meet-2021", via=["<i>MEET</i>"], sources=["x:p1"])
    g.add_edge("hrefy", "rural-teachers", role="<b>partner</b>", sources=["y:p2"])
    return g


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "page has no data block"
    return json.loads(match.group(1))


def test_same_graph_gives_byte_identical_html() -> None:
    assert render_html(small_graph()) == render_html(small_graph())


def test_insertion_order_does_not_change_the_page() -> None:
    g = small_graph()
    h = nx.Graph()
    for node in reversed(list(g.nodes)):
        h.add_node(node, **g.nodes[node])
    for u, v, attrs in reversed(list(g.edges(data=True))):
        h.add_edge(v, u, **attrs)
    assert render_html(h) == render_html(g)


def test_big_graph_is_deterministic_and_drawn_without_physics() -> None:
    g = nx.powerlaw_cluster_graph(PHYSICS_THRESHOLD + 50, 2, 0.1, seed=3)
    g = nx.relabel_nodes(g, {i: f"n{i}" for i in g})
    first = render_html(g)
    assert first == render_html(g)
    data = page_data(first)
    assert data["physics"] is False
    assert len(data["nodes"]) == g.number_of_nodes()
    assert len(data["edges"]) == g.number_of_edges()
    xs = {(n["x"], n["y"]) for n in data["nodes"]}
    assert len(xs) > 0.95 * g.number_of_nodes(), "layout stacks nodes on each other"


def test_small_graph_settles_with_physics() -> None:
    assert page_data(render_html(small_graph()))["physics"] is True
    assert page_data(render_html(small_graph(), physics=False))["physics"] is False


class _Collect(HTMLParser):
    """Tags and attributes as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_hostile_text_is_escaped_everywhere() -> None:
    page = render_html(small_graph(), title='<svg onload="x()"> & "kg"')
    parsed = _Collect()
    parsed.feed(page)
    tags = [tag for tag, _ in parsed.tags]
    assert "img" not in tags and "a" not in tags and "b" not in tags and "svg" not in tags
    assert all(not key.startswith("on") for _, attrs in parsed.tags for key in attrs)
    assert tags.count("script") == 3, "a label closed a <script> early"
    assert "<title>&lt;svg onload=&quot;x()&quot;&gt; &amp; &quot;kg&quot;</title>" in page
    assert "<h1>&lt;svg onload=&quot;x()&quot;&gt; &amp; &quot;kg&quot;</h1>" in page
    # A role name reaches the legend only through the data (the page writes it as text).
    assert "<b>partner</b>" not in page
    assert [r[0] for r in page_data(page)["roles"] if "partner" in r[0]] == ["<b>partner</b>"]
    # JSON in <script> has no raw <, >, & or line separators, yet decodes to the labels.
    block = re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    labels = {n["id"]: dict(n["names"]) for n in page_data(page)["nodes"]}
    assert labels["evil"] == {"en": HOSTILE, "zh": "</script><script>alert(1)</script>"}


def test_a_page_with_its_roll_up_copy_stays_escaped_offline_and_deterministic() -> None:
    """The second copy of the view (the roll-up switch) lands in the same data block, as safely."""
    view = small_graph()
    rolled = small_graph()
    rolled.graph["filters"] = "roll-up"
    rolled.nodes["tencent-education"]["members"] = ["unit"]
    rolled.graph["members"] = {"unit": {"en": HOSTILE}}
    rolled.add_edge("tencent-education", "evil", role="funder", amounts=[HOSTILE, "CNY 1 m"], sources=["x:p9"])
    page = render_html(view, other=rolled)
    assert page == render_html(small_graph(), other=rolled), "the same views give the same bytes"
    parsed = _Collect()
    parsed.feed(page)
    tags = [tag for tag, _ in parsed.tags]
    assert "img" not in tags and tags.count("script") == 3
    assert not FETCHING.search(page)
    block = re.search(r'id="kg-data">(.*?)</script>', page, re.S).group(1)
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"}
    other = page_data(page)["other"]
    assert other["rolledUp"] is True and page_data(page)["rolledUp"] is False
    assert next(n for n in other["nodes"] if n["id"] == "tencent-education")["members"] == [HOSTILE]
    assert any(e.get("amounts") == [HOSTILE, "CNY 1 m"] for e in other["edges"])


def test_the_roll_up_switch_moves_only_what_roll_up_changes() -> None:
    """The second view is drawn where the first put the same nodes: a merged organization sits
    among its members, and nodes it adds are kept apart from each other."""
    view = small_graph()
    view.add_edge("unit-a", "evil", role="funder")
    view.add_edge("unit-b", "evil", role="funder")
    rolled = small_graph()
    rolled.graph["filters"] = "roll-up"
    rolled.add_node("parent", members=["unit-a", "unit-b"])
    rolled.add_edge("parent", "evil", role="funder")
    rolled.add_edge("new-1", "evil", role="funder")
    rolled.add_edge("new-2", "evil", role="funder")
    data = page_data(render_html(view, other=rolled))
    first = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    second = {n["id"]: (n["x"], n["y"]) for n in data["other"]["nodes"]}
    assert all(second[n] == first[n] for n in second if n in first)
    (ax, ay), (bx, by) = first["unit-a"], first["unit-b"]
    assert second["parent"] == pytest.approx(((ax + bx) / 2, (ay + by) / 2), abs=0.11)
    assert len({second[n] for n in ("new-1", "new-2")} | {second["evil"]}) == 3


def test_tooltips_never_go_through_innerhtml() -> None:
    page = render_html(small_graph())
    app = page.rsplit("<script>", 1)[1]
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app
    assert "document.write" not in app and "eval(" not in app
    assert "textContent" in app
    # No vis "title": vis' own popup is never used, so pyvis' "href" trap cannot apply.
    assert all("title" not in n for n in page_data(page)["nodes"])


FETCHING = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import)""",
    re.IGNORECASE,
)


def test_page_points_at_nothing_outside() -> None:
    page = render_html(small_graph())
    assert not FETCHING.search(page), FETCHING.search(page)
    assert "bootstrap" not in page.lower()
    assert "cdn" not in re.sub(r"[a-z]cdn|cdn[a-z]", "", page.lower())
    assert "sourceMappingURL" not in page
    parsed = _Collect()
    parsed.feed(page)
    for tag, attrs in parsed.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)


def test_csp_allows_only_the_pages_own_scripts() -> None:
    page = render_html(small_graph())
    meta = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    csp = html.unescape(meta.group(1))
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    for name in ("script-src", "style-src"):
        sources = directives[name].split()
        assert sources and all(s.startswith("'sha256-") for s in sources), (name, sources)
    assert "unsafe" not in csp
    # One hash per executable script, and each matches the script it stands for.
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    assert hashes == set(directives["script-src"].split())


def test_page_content_follows_the_graph() -> None:
    g = small_graph()
    data = page_data(render_html(g, lang="zh", size_by="degree"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["tencent-education"]["label"] == "腾讯教育"
    assert nodes["rural-teachers"]["label"] == "Rural Teachers Plan"  # falls back to English
    # a kind with no fixed colour (one the ontology gained) keeps its name and gets a colour
    assert nodes["hrefy"]["kind"] == "Mystery"
    kinds = {k[0]: k[1] for k in data["kinds"]}
    assert kinds["Mystery"] == kind_color("Mystery") != KIND_COLORS["Other"]
    assert nodes["tencent-education"]["metrics"]["degree"] == 3  # the graph's own value wins
    assert nodes["meet-2021"]["metrics"] == {"degree": 2, "weighted_degree": 2}  # else computed
    assert data["sizeBy"] == "degree"
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    lead = edges[("rural-teachers", "tencent-education")]
    assert lead["roles"] == ["lead", "funder"] and lead["weight"] == 3
    assert lead["sources"] == ["cloud-aid:p1", "cloud-aid:p4"]
    assert data["ui"]["search"].startswith("搜索")


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="size_by"):
        render_html(small_graph(), size_by="pagerank")
    with pytest.raises(ValueError, match="color_by"):
        render_html(small_graph(), color_by="mood")
    with pytest.raises(ValueError, match="lang"):
        render_html(small_graph(), lang='en"><script>')


def test_write_html_is_atomic_utf8(tmp_path) -> None:
    out = tmp_path / "graph.html"
    out.write_text("old page", encoding="utf-8")
    assert write_html(small_graph(), out, title="腾讯") == out
    assert out.read_bytes().decode("utf-8") == render_html(small_graph(), title="腾讯")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_write_html_leaves_no_temp_file_on_error(tmp_path) -> None:
    with pytest.raises(ValueError):
        write_html(small_graph(), tmp_path / "g.html", size_by="nope")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- colours


def _lab(color: str) -> tuple[float, float, float]:
    """sRGB hex -> CIELAB (D65)."""
    rgb = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    xyz = ((0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047,
           0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
           (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883)
    fx, fy, fz = (t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def ciede2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """The CIEDE2000 colour difference (Sharma, Wu and Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p, h2p = (math.degrees(math.atan2(b, a)) % 360 for a, b in ((a1p, b1), (a2p, b2)))
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    dlp, dcp = l2 - l1, c2p - c1p
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar))
         + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.20 * math.cos(math.radians(4 * hbar - 63)))
    rc = 2 * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
    rt = -math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2)))) * rc
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2 + rt * (dcp / sc) * (dhp / sh))


@pytest.mark.parametrize(("lab1", "lab2", "expected"), [
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),  # pairs 1, 7, 17 and 25 of Sharma et al.
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
])
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected) -> None:
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_no_two_role_colours_can_be_mistaken() -> None:
    """Every role of the ontology has its own colour, and any two (and the grey of links with
    several roles) differ by a CIEDE2000 distance of 20 or more."""
    roles = set(load_ontology(Project.default().ontology_file).roles)
    assert roles and roles <= set(ROLE_COLORS), roles - set(ROLE_COLORS)
    colours = {**ROLE_COLORS, "(several or none)": EDGE_COLOR}
    close = [(a, b, round(ciede2000(_lab(ca), _lab(cb)), 1))
             for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2)
             if ciede2000(_lab(ca), _lab(cb)) < 20]
    assert close == []
