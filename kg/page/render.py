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

from kg.page.data import SIZE_METRICS, page_data

__all__ = [
    "EDGE_COLOR",
    "KIND_COLORS",
    "PHYSICS_THRESHOLD",
    "ROLE_COLORS",
    "SIZE_METRICS",
    "render_html",
    "role_color",
    "write_html",
]

#: Above this many nodes the layout is computed in Python and physics is switched off.
PHYSICS_THRESHOLD = 300

#: Node colour for each top-level kind (Okabe-Ito based, readable for colour-blind users).
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

#: Edge colour for roles named here; other roles get a stable colour from ``_ROLE_PALETTE``.
ROLE_COLORS: dict[str, str] = {
    # the roles of ontology/kg.ttl (kg:Roles); the ones that lead or pay are warm
    "lead": "#C0392B",
    "initiator": "#E4572E",
    "launcher": "#F28E2B",
    "funder": "#B7791F",
    "supporter": "#C9A227",
    "partner": "#2B6CB0",
    "implementer": "#1798A8",
    "guide": "#6B46C1",
    "host": "#B83280",
    "organizer": "#E377C2",
    "member": "#2F855A",
    "beneficiary": "#74B35A",
    "speaker": "#319795",
    "attendee": "#7F9CC0",
    "participant": "#7B8794",
    # used in examples elsewhere
    "sponsor": "#C05621",
}
_ROLE_PALETTE = ("#4C51BF", "#2C7A7B", "#9C4221", "#702459", "#276749", "#744210", "#1A365D")

#: Colour of edges that carry no role (for example co-participation edges).
EDGE_COLOR = "#C3CCD6"

_FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans', sans-serif"

# Words of the page itself, by interface language; unknown languages fall back to English.
_UI: dict[str, dict[str, str]] = {
    "en": {
        "search": "Search names in any language…",
        "nodes": "nodes",
        "edges": "links",
        "kinds": "Kinds",
        "roles": "Link roles",
        "norole": "no role (co-participation)",
        "size": "Node size",
        "uniform": "uniform",
        "aliases": "Also known as",
        "types": "Types",
        "dates": "Dates",
        "links": "Links",
        "via": "Via",
        "sources": "Sources",
        "more": "more",
        "nomatch": "No match",
        "noscript": "This page needs JavaScript to draw the network.",
    },
    "zh": {
        "search": "搜索名称（任何语言）…",
        "nodes": "个节点",
        "edges": "条关系",
        "kinds": "类别",
        "roles": "关系角色",
        "norole": "无角色（共同参与）",
        "size": "节点大小",
        "uniform": "统一",
        "aliases": "别名",
        "types": "类型",
        "dates": "日期",
        "links": "关系",
        "via": "经由",
        "sources": "来源",
        "more": "更多",
        "nomatch": "无结果",
        "noscript": "本页面需要 JavaScript 才能绘制网络。",
    },
}

_LANG_RE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")

# --------------------------------------------------------------------------- assets


@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's script and stylesheet as bundled with pyvis 0.3.2."""
    lib = resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2"
    js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    css = (lib / "vis-network.css").read_text(encoding="utf-8")
    # The source map is not shipped; drop the comment so no tool goes looking for it.
    js = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", js)
    if re.search(r"</script|<!--", js, re.IGNORECASE) or "</style" in css.lower():
        raise RuntimeError("bundled vis-network cannot be inlined safely")
    return js, css


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
    ('#C0392B', True)
    """
    if not role:
        return EDGE_COLOR
    if role in ROLE_COLORS:
        return ROLE_COLORS[role]
    digest = hashlib.sha1(role.encode("utf-8")).digest()
    return _ROLE_PALETTE[digest[0] % len(_ROLE_PALETTE)]


def _legend(
    kind_rows: list[tuple[str, str, int]],
    role_rows: list[tuple[str, str, int]],
    ui: Mapping[str, str],
    size_by: str | None,
) -> tuple[str, str]:
    """The legend's HTML and the stylesheet that colours its swatches.

    Colours go in a stylesheet (hashed in the CSP like the others) rather than in style
    attributes, which a strict CSP would block.
    """
    esc = html.escape
    rules = []
    parts = [f"<h2>{esc(ui['kinds'])}</h2><ul>"]
    for i, (name, color, count) in enumerate(kind_rows):
        rules.append(f".kg-k{i}{{background:{color}}}")
        parts.append(f'<li><span class="kg-dot kg-k{i}"></span>{esc(name)}<span class="kg-n">{count:,}</span></li>')
    parts.append("</ul>")
    if role_rows:
        parts.append(f"<h2>{esc(ui['roles'])}</h2><ul>")
        for i, (name, color, count) in enumerate(role_rows):
            rules.append(f".kg-r{i}{{border-color:{color}}}")
            parts.append(
                f'<li><span class="kg-line kg-r{i}"></span>{esc(name)}<span class="kg-n">{count:,}</span></li>'
            )
        parts.append("</ul>")
    metric = size_by.replace("_", " ") if size_by else ui["uniform"]
    parts.append(f"<p>{esc(ui['size'])}: {esc(metric)}</p>")
    return "".join(parts), "\n".join(rules)


def render_html(
    graph: nx.Graph,
    *,
    lang: str = "en",
    title: str = "Education equity knowledge graph",
    size_by: str | None = "degree",
    physics: bool | None = None,
) -> str:
    """Render ``graph`` as one self-contained HTML page and return it.

    ``lang`` picks the label shown on each node (falling back to English, then any
    language, then the id) and the page's own words. ``size_by`` names a metric from
    ``SIZE_METRICS`` (None: all nodes the same size). ``physics`` None switches vis
    physics on up to ``PHYSICS_THRESHOLD`` nodes and off above it.

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("a", labels={"en": "<b>A</b>"}, kind="Person")
    >>> page = render_html(g, title="A & B")
    >>> "<title>A &amp; B</title>" in page and "<b>A</b>" not in page
    True
    """
    if not _LANG_RE.fullmatch(lang):
        raise ValueError(f"lang must be a language tag such as 'en' or 'zh-Hans', not {lang!r}")
    if physics is None:
        physics = graph.number_of_nodes() <= PHYSICS_THRESHOLD
    prepared = page_data(graph, lang=lang, size_by=size_by, kinds=KIND_COLORS)
    ui = _UI.get(lang.split("-")[0].lower(), _UI["en"])
    data = {
        "ui": ui,
        "big": not physics,
        "physics": physics,
        "directed": prepared.directed,
        "font": _FONT,
        "kindColors": {k: KIND_COLORS[k] for k in prepared.kinds},
        "nodes": prepared.nodes,
        "edges": [{"from": e["from"], "to": e["to"], "color": role_color((e.get("roles") or [None])[0]),
                   **{k: v for k, v in e.items() if k not in ("from", "to")}} for e in prepared.edges],
    }
    kind_rows = [(k, KIND_COLORS[k], prepared.kinds[k]) for k in KIND_COLORS if k in prepared.kinds]
    role_rows = [(r, role_color(r), prepared.roles[r]) for r in sorted(prepared.roles)]
    if prepared.unroled:
        role_rows.append((ui["norole"], EDGE_COLOR, prepared.unroled))
    legend, legend_css = _legend(kind_rows, role_rows, ui, size_by)
    vis_js, vis_css = _vis_assets()
    page_js, page_css = _asset("page.js"), _asset("page.css")
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}",
            f"style-src {_csp_hash(vis_css)} {_csp_hash(page_css)} {_csp_hash(legend_css)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    esc = html.escape
    n_nodes, n_edges = graph.number_of_nodes(), graph.number_of_edges()
    # Values that are markup or script go in as they are; every text is escaped here.
    return string.Template(_asset("page.html")).substitute(
        lang=esc(lang),
        csp=esc(csp),
        title=esc(title),
        vis_css=vis_css,
        page_css=page_css,
        legend_css=legend_css,
        summary=esc(f"{title}: {n_nodes} {ui['nodes']}, {n_edges} {ui['edges']}"),
        count=f"{n_nodes:,} {esc(ui['nodes'])} · {n_edges:,} {esc(ui['edges'])}",
        search=esc(ui["search"]),
        legend=legend,
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
