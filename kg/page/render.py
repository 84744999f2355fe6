"""networkx graph -> one self-contained, interactive HTML page.

This is the only module that imports pyvis, and it uses pyvis for one thing only: the copy
of vis-network it bundles. The page is built from its own files beside this module
(``page.html``, ``page.js``, ``page.css``), not from pyvis' templates, because those fetch
vis-network and bootstrap from CDNs, switch tooltips to ``innerHTML`` when a title
contains "href", and add nodes in quadratic time. :mod:`kg.page.data` prepares what the
page shows; this module colours it, writes the legend and puts the page together.

The page makes no outside request: vis-network's script and stylesheet are inlined, the
data sits in a ``<script type="application/json">`` block that is parsed, never executed,
and a Content-Security-Policy allows only the page's own inline scripts and styles (by
hash), so markup smuggled into a label could not run even if it reached the DOM. Every
piece of text reaches the DOM through ``textContent`` or ``html.escape``.

Big graphs (more than ``PHYSICS_THRESHOLD`` nodes) are laid out in numpy
(:mod:`kg.page.layout`) and drawn with physics off; small ones start from the same layout
and settle with physics. The same graph always gives byte-identical HTML.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("tencent-education", labels={"en": "Tencent Education", "zh": "腾讯教育"},
...            kind="Organization", types=["Company"])
>>> g.add_node("meet-2021", labels={"en": "MEET 2021"}, kind="Event")
>>> g.add_edge("tencent-education", "meet-2021", role="sponsor", sources=["meet-2021:p3"])
>>> page = render_html(g, title="Demo")
>>> page.startswith("<!DOCTYPE html>") and "腾讯教育" in page and "https://cdn" not in page
True
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import os
import re
import string
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from kg.model.labels import choose_label
from kg.page.data import SIZE_METRICS, page_data

__all__ = [
    "EDGE_COLOR",
    "KIND_COLORS",
    "kind_color",
    "CLUSTER_THRESHOLD",
    "PHYSICS_THRESHOLD",
    "ROLE_COLORS",
    "SIZE_METRICS",
    "render_html",
    "role_color",
    "write_html",
]

#: Above this many nodes the layout is computed in Python and physics is switched off.
PHYSICS_THRESHOLD = 300
#: From this many nodes on, the page draws each community as one node until it is opened.
CLUSTER_THRESHOLD = 2000

#: Node colour for the top-level kinds named here (Okabe-Ito based, readable for colour-blind
#: users); other kinds of the ontology get a stable colour from ``_KIND_PALETTE``.
KIND_COLORS: dict[str, str] = {
    "Organization": "#0072B2",
    "Person": "#E69F00",
    "Initiative": "#009E73",
    "Event": "#CC79A7",
    "Region": "#56B4E9",
    "Document": "#8C6D31",
    "Product": "#D55E00",
    "Venue": "#7F63B8",
    "Other": "#8D99A6",
}
_KIND_PALETTE = ("#117733", "#882255", "#44AA99", "#999933", "#AA4499", "#332288", "#DDCC77")

#: Edge colour for each role of ontology/kg.ttl (kg:Roles) and one of the examples. Any two
#: differ by a CIEDE2000 distance of 20 or more, and from ``EDGE_COLOR`` too (a test checks),
#: so no two roles are mistaken for each other; those that lead or pay are warm.
ROLE_COLORS: dict[str, str] = {
    "lead": "#992222",
    "initiator": "#EE4422",
    "launcher": "#FF8800",
    "funder": "#996633",
    "supporter": "#AAAA44",
    "partner": "#225588",
    "implementer": "#11BBCC",
    "guide": "#5500EE",
    "host": "#991166",
    "organizer": "#FF4488",
    "member": "#228800",
    "beneficiary": "#66AA88",
    "speaker": "#226655",
    "attendee": "#CC99CC",
    "participant": "#555500",
    "starts": "#CCAA99",  # the role families, where a source names no narrower role
    "carries-out": "#665555",
    "sponsor": "#CC33FF",
}
# Roles outside the ontology get a stable colour from this list (not checked for distance).
_ROLE_PALETTE = ("#4C51BF", "#2C7A7B", "#9C4221", "#702459", "#276749", "#744210", "#1A365D")

#: Colour of edges with no role or with several (their roles are listed, not mixed).
EDGE_COLOR = "#7B8794"

#: Node colours by community (numbered largest first); the rest share ``KIND_COLORS["Other"]``.
COMMUNITY_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#7F63B8",
                    "#8C6D31", "#F0E442", "#1A365D", "#B83280", "#2F855A")

_FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans', sans-serif"

_LANG_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

# --------------------------------------------------------------------------- assets


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet as bundled with pyvis 0.3.2."""
    # pyvis' files, found without importing pyvis (its import costs 0.2 s: jinja2, jsonpickle, ...)
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # The source map is not shipped; drop the comment so no tool goes looking for it.
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    if re.search(r"</script|<!--", js, re.IGNORECASE) or "</style" in css.lower():
        raise RuntimeError("bundled vis-network cannot be inlined safely")
    return js, css


@cache
def _words() -> dict[str, dict[str, str]]:
    """The page's own words by interface language (``words.json``)."""
    return json.loads(_asset("words.json"))


@cache
def _asset(name: str) -> str:
    """One of the page's own files (``page.html``, ``page.js``, ``page.css``), as text."""
    return (resources.files("kg.page") / name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element.

    >>> _script_json({"label": "</script><b>&"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def role_color(role: str | None) -> str:
    """Edge colour for a role: fixed for known roles, stable for the rest.

    >>> role_color("lead"), role_color(None) == EDGE_COLOR
    ('#992222', True)
    """
    if not role:
        return EDGE_COLOR
    if role in ROLE_COLORS:
        return ROLE_COLORS[role]
    digest = hashlib.sha1(role.encode("utf-8")).digest()
    return _ROLE_PALETTE[digest[0] % len(_ROLE_PALETTE)]


def _name(names: Mapping[str, str] | None, lang: str, default: str) -> str:
    return choose_label(names or {}, lang, default)


def kind_color(kind: str) -> str:
    """The node colour of a kind: its fixed colour, else a stable pick from a palette.

    >>> kind_color("Organization"), kind_color("Kindergarten") == kind_color("Kindergarten")
    ('#0072B2', True)
    """
    if kind in KIND_COLORS:
        return KIND_COLORS[kind]
    digest = hashlib.sha1(kind.encode("utf-8")).digest()
    return _KIND_PALETTE[digest[0] % len(_KIND_PALETTE)]


def _kind_order(kind: str) -> tuple[int, str]:
    """Legend order: the kinds with a fixed colour as listed, then the others by name, "Other" last."""
    fixed = list(KIND_COLORS)
    if kind == "Other":
        return (len(fixed) + 1, kind)
    return (fixed.index(kind), "") if kind in fixed else (len(fixed), kind)


#: What a node's colour can follow; the first is the default.
COLOR_BY: tuple[str, ...] = ("kind", "community", "region")


def render_html(
    graph: nx.Graph,
    *,
    lang: str = "en",
    title: str = "Education equity knowledge graph",
    size_by: str | None = "degree",
    color_by: str = "kind",
    physics: bool | None = None,
    other: nx.Graph | None = None,
) -> str:
    """Render ``graph`` as one self-contained HTML page and return it.

    ``lang`` picks the label shown on each node (see :func:`kg.page.data.node_label`) and
    the page's own words. ``size_by`` names the measure of ``SIZE_METRICS`` that node size
    follows at first (None: all the same size) and ``color_by`` one of ``COLOR_BY``; the
    reader can change both in the page. ``physics`` None switches vis physics on up to
    ``PHYSICS_THRESHOLD`` nodes and off above it. ``other`` is the same view with roll-up
    switched the other way (its filters say which one is rolled up): the page then has a
    switch between the two, kept in its address (``rollup=1`` or ``rollup=0``); ``other`` is
    drawn where ``graph`` put the same nodes (the ``anchors`` of :func:`kg.page.data.page_data`).

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("a", labels={"en": "<b>A</b>"}, kind="Person")
    >>> page = render_html(g, title="A & B")
    >>> "<title>A &amp; B</title>" in page and "<b>A</b>" not in page
    True
    """
    data = _page_json(graph, lang=lang, size_by=size_by, color_by=color_by, physics=physics)
    if other is not None:
        drawn = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}  # the switch moves only what roll-up changes
        data["other"] = _page_json(other, lang=lang, size_by=size_by, color_by=color_by, physics=physics,
                                   anchors=drawn)
    return _page_html(graph, data, lang=lang, title=title)


def is_rolled_up(graph: nx.Graph) -> bool:
    """Whether a view was made with roll-up (its filters say so).

    >>> import networkx as nx
    >>> is_rolled_up(nx.Graph(filters="role=funder; roll-up")), is_rolled_up(nx.Graph())
    (True, False)
    """
    return "roll-up" in str(graph.graph.get("filters") or "").split("; ")


def _page_json(graph: nx.Graph, *, lang: str, size_by: str | None, color_by: str,
               physics: bool | None, anchors: Mapping[str, tuple[float, float]] | None = None) -> dict[str, Any]:
    """What page.js draws of ``graph``: the JSON of the #kg-data block (see :func:`render_html`)."""
    if not _LANG_RE.fullmatch(lang):
        raise ValueError(f"lang must be a language tag such as 'en' or 'zh-Hans', not {lang!r}")
    if size_by is not None and size_by not in SIZE_METRICS:
        raise ValueError(f"size_by must be one of {list(SIZE_METRICS)} or None, not {size_by!r}")
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {list(COLOR_BY)}, not {color_by!r}")
    if physics is None:
        physics = graph.number_of_nodes() <= PHYSICS_THRESHOLD
    kinds = {str(a.get("kind") or "Other") for _, a in graph.nodes(data=True)}  # a new kind stays itself
    prepared = page_data(graph, lang=lang, kinds=kinds,
                         grouped=graph.number_of_nodes() >= CLUSTER_THRESHOLD, anchors=anchors)
    words = _words()
    ui = words.get(lang.split("-")[0].lower(), words["en"])
    classes = prepared.vocab.get("classes", {})
    role_names = prepared.vocab.get("roles", {})
    view = str(graph.graph.get("view") or "")
    data = {
        "ui": ui,
        "lang": lang,
        "view": view,
        "big": not physics,
        "physics": physics,
        "directed": prepared.directed,
        "font": _FONT,
        "sizeBy": size_by or "",
        "colorBy": color_by,
        "sampled": bool(graph.graph.get("betweenness_sample")),
        "clusterFrom": CLUSTER_THRESHOLD,
        "neutral": EDGE_COLOR,
        "communityColors": list(COMMUNITY_COLORS),
        "kinds": [[k, kind_color(k), _name(classes.get(k), lang, ui["otherkind"] if k == "Other" else k)]
                  for k in sorted(prepared.kinds, key=_kind_order)],
        "roles": [[r, role_color(r), _name(role_names.get(r), lang, r)] for r in sorted(prepared.roles)],
        # a family toggles its roles on the page: [family, its name, the roles of it the edges have]
        "roleFamilies": [[f, _name(role_names.get(f), lang, f), present]
                         for f, members in sorted((graph.graph.get("role_families") or {}).items())
                         if (present := [r for r in sorted({f, *members}) if r in prepared.roles])
                         and present != [f]],
        "classNames": {c: _name(names, lang, c) for c, names in classes.items()},
        "sources": prepared.sources,
        "regions": {r: _name(names, lang, r) for r, names in prepared.regions.items()},
        # what the search matches for each region: its names in every language and its aliases
        "regionNames": {r: sorted({*names.values(), *prepared.region_aliases.get(r, [])})
                        for r, names in prepared.regions.items()},
        "nodes": prepared.nodes,
        "edges": prepared.edges,
        "rolledUp": is_rolled_up(graph),
    }
    return data


def _page_html(graph: nx.Graph, data: dict[str, Any], *, lang: str, title: str) -> str:
    """The page of ``data`` (:func:`_page_json`), with its scripts, styles and security policy."""
    ui = data["ui"]
    vis_js, vis_css = _vis_assets()
    page_js, page_css = _asset("page.js"), _asset("page.css")
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}",
            f"style-src {_csp_hash(vis_css)} {_csp_hash(page_css)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    esc = html.escape
    n_nodes, n_edges = graph.number_of_nodes(), graph.number_of_edges()
    nodes_word = ui["node"] if n_nodes == 1 else ui["nodes"]
    edges_word = ui["edge"] if n_edges == 1 else ui["edges"]
    # Values that are markup or script go in as they are; every text is escaped here.
    return string.Template(_asset("page.html")).substitute(
        lang=esc(lang),
        csp=esc(csp),
        title=esc(title),
        vis_css=vis_css,
        page_css=page_css,
        summary=esc(f"{title}: {n_nodes} {nodes_word}, {n_edges} {edges_word}. {ui['canvas']}"
                    + (f" {ui['canvasopen']}" if n_nodes >= CLUSTER_THRESHOLD else "")),
        count=f"{n_nodes:,} {esc(nodes_word)} · {n_edges:,} {esc(edges_word)}",
        search=esc(ui["search"]),
        legend=esc(ui["legend"]),
        noscript=esc(ui["noscript"]),
        data=_script_json(data),
        vis_js=vis_js,
        page_js=page_js,
    )


def write_html(graph: nx.Graph, path: str | os.PathLike[str], **kw: Any) -> Path:
    """Render ``graph`` (see ``render_html`` for ``kw``) and write it atomically to ``path``.

    The page goes to a temporary file in the same directory first and then replaces
    ``path``, so a reader never sees half a page.

    >>> import networkx as nx, tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.html"
    >>> write_html(nx.Graph(), out) == out and out.read_text(encoding="utf-8").startswith("<!")
    True
    """
    from kg.files import write_atomic

    target = Path(path)
    write_atomic(target, render_html(graph, **kw))
    return target
