"""networkx graph -> one self-contained, interactive HTML page.

This is the only module that imports pyvis, and it uses pyvis for one thing only: the copy
of vis-network it bundles. The page is built from the small template below, not from
pyvis' own templates, because those fetch vis-network and bootstrap from CDNs, switch
tooltips to ``innerHTML`` when a title contains "href", and add nodes in quadratic time.

The page makes no outside request: vis-network's script and stylesheet are inlined, the
data sits in a ``<script type="application/json">`` block that is parsed, never executed,
and a Content-Security-Policy allows only the page's own inline scripts and styles (by
hash), so markup smuggled into a label could not run even if it reached the DOM. Every
piece of text reaches the DOM through ``textContent`` or ``html.escape``.

Big graphs (more than ``PHYSICS_THRESHOLD`` nodes) are laid out here, in numpy, and drawn
with physics off; small ones start from the same layout and settle with physics. The
same graph always gives byte-identical HTML.

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
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

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

_SIZE_RANGE = (6.0, 28.0)
_FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans', sans-serif"


def _degree(graph: nx.Graph) -> dict[Any, float]:
    return {n: float(d) for n, d in graph.degree()}


def _weighted_degree(graph: nx.Graph) -> dict[Any, float]:
    return {n: float(d) for n, d in graph.degree(weight="weight")}


#: Metrics a node's size can follow. The value computes the metric from the graph when
#: the nodes do not carry it as an attribute (None: missing values count as 0).
SIZE_METRICS: dict[str, Callable[[nx.Graph], dict[Any, float]] | None] = {
    "degree": _degree,
    "weighted_degree": _weighted_degree,
    "betweenness": None,
}

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


# --------------------------------------------------------------------------- layout


def _layout(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    *,
    seed: int = 7,
    iterations: int | None = None,
    pivots: int | None = None,
) -> np.ndarray:
    """Fruchterman-Reingold positions for nodes ``0..n-1``, as an ``(n, 2)`` array.

    networkx's own layouts need scipy or take a minute at 5,000 nodes, so this one is
    written for speed: exact repulsion up to 400 nodes, above that repulsion from a
    fresh random sample of pivot nodes at each step (scaled to the whole graph), edge
    attraction summed with ``np.bincount`` and a weak pull to the centre that keeps
    separate components together. Seeded, so the result is the same on every run.

    >>> pos = _layout(3, np.array([0, 1]), np.array([1, 2]), np.ones(2))
    >>> pos.shape, bool(np.linalg.norm(pos[0] - pos[2]) > np.linalg.norm(pos[0] - pos[1]))
    ((3, 2), True)
    """
    rng = np.random.default_rng(seed)
    if n == 0:
        return np.zeros((0, 2))
    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    if n == 1:
        return np.zeros((1, 2))
    if iterations is None:
        iterations = 120 if n <= 2000 else 100
    if pivots is None:
        pivots = n if n <= 400 else 150
    pivots = min(n, pivots)
    strength = np.sqrt(np.clip(weight, 0.1, None))
    gravity = 0.02
    temperature = side / 4
    for step in range(iterations):
        if pivots == n:
            other = pos
            scale = 1.0
        else:
            other = pos[rng.choice(n, size=pivots, replace=False)]
            scale = (n - 1) / pivots
        dx = np.subtract.outer(pos[:, 0], other[:, 0])
        dy = np.subtract.outer(pos[:, 1], other[:, 1])
        inv = dx * dx
        inv += dy * dy
        inv[inv < 1e-9] = np.inf  # a node does not push itself
        np.reciprocal(inv, out=inv)
        disp = scale * np.stack([(dx * inv).sum(axis=1), (dy * inv).sum(axis=1)], axis=1)
        if len(src):
            d = pos[src] - pos[dst]
            dist = np.sqrt(np.einsum("ij,ij->i", d, d))
            pull = d * (dist * strength)[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(src, pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(dst, pull[:, axis], minlength=n)
        disp -= gravity * pos * np.sqrt(np.einsum("ij,ij->i", pos, pos))[:, None] / side
        length = np.sqrt(np.einsum("ij,ij->i", disp, disp))
        length[length < 1e-12] = 1e-12
        t = temperature * (1 - step / iterations) + 0.01
        pos += disp * (np.minimum(length, t) / length)[:, None]
    pos -= np.median(pos, axis=0)
    # Repulsion drives isolated nodes and small components far out; bring them to the rim.
    radius = np.sqrt(np.einsum("ij,ij->i", pos, pos))
    rim = 1.1 * float(np.quantile(radius, 0.95)) + 1.0
    far = radius > rim
    pos[far] *= (rim / radius[far])[:, None]
    return pos


# --------------------------------------------------------------------------- data


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [str(v) for v in value if v is not None and str(v)]
    return [str(value)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _round(value: float) -> float | int:
    if value == int(value) and abs(value) < 2**53:
        return int(value)
    return float(f"{value:.6g}")


def _roles(attrs: Mapping[str, Any]) -> list[str]:
    roles = _strings(attrs.get("roles")) + _strings(attrs.get("role"))
    return list(dict.fromkeys(roles))


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


def _label(node_id: str, labels: Mapping[str, str], lang: str) -> str:
    for key in (lang, lang.split("-")[0], "en"):
        if labels.get(key):
            return labels[key]
    for key in sorted(labels):
        if labels[key]:
            return labels[key]
    return node_id


def _sizes(graph: nx.Graph, order: list[Any], size_by: str | None) -> list[float]:
    low, high = _SIZE_RANGE
    if size_by is None:
        return [(low + high) / 3] * len(order)
    if size_by not in SIZE_METRICS:
        raise ValueError(f"size_by must be one of {sorted(SIZE_METRICS)} or None, not {size_by!r}")
    fallback = SIZE_METRICS[size_by]
    computed = fallback(graph) if fallback else {}
    values = []
    for node in order:
        value = _number(graph.nodes[node].get(size_by))
        if value is None:
            value = computed.get(node, 0.0)
        values.append(max(value, 0.0))
    top = max(values, default=0.0)
    if top <= 0:
        return [low] * len(order)
    return [round(low + (high - low) * math.sqrt(v / top), 1) for v in values]


def _page_data(
    graph: nx.Graph, *, lang: str, size_by: str | None, physics: bool
) -> tuple[dict[str, Any], list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    order = sorted(graph.nodes, key=str)
    ids = [str(n) for n in order]
    if len(set(ids)) != len(ids):
        raise ValueError("node ids must stay distinct when written as strings")
    index = {node: i for i, node in enumerate(order)}

    if graph.is_multigraph():
        raw_edges = [(u, v, d) for u, v, _k, d in graph.edges(keys=True, data=True)]
    else:
        raw_edges = list(graph.edges(data=True))
    directed = graph.is_directed()

    def ends(u: Any, v: Any) -> tuple[Any, Any]:
        return (v, u) if not directed and str(v) < str(u) else (u, v)

    raw_edges = [(*ends(u, v), d) for u, v, d in raw_edges]
    raw_edges.sort(key=lambda e: (str(e[0]), str(e[1]), _attrs_key(e[2])))

    src = np.array([index[u] for u, _v, _d in raw_edges], dtype=np.intp)
    dst = np.array([index[v] for _u, v, _d in raw_edges], dtype=np.intp)
    weights = np.array([_number(d.get("weight")) or 1.0 for _u, _v, d in raw_edges], dtype=float)
    pos = _layout(len(order), src, dst, weights) * 90.0
    sizes = _sizes(graph, order, size_by)

    kinds: dict[str, int] = {}
    nodes = []
    for i, node in enumerate(order):
        attrs = graph.nodes[node]
        labels = {str(k): str(v) for k, v in (attrs.get("labels") or {}).items() if v}
        kind = str(attrs.get("kind") or "Other")
        if kind not in KIND_COLORS:
            kind = "Other"
        kinds[kind] = kinds.get(kind, 0) + 1
        record: dict[str, Any] = {
            "id": ids[i],
            "label": _label(ids[i], labels, lang),
            "names": [[k, labels[k]] for k in sorted(labels)],
            "kind": kind,
            "x": round(float(pos[i, 0]), 1),
            "y": round(float(pos[i, 1]), 1),
            "size": sizes[i],
        }
        aliases = _strings(attrs.get("aliases"))
        types = _strings(attrs.get("types"))
        if aliases:
            record["aliases"] = aliases
        if types:
            record["types"] = types
        if attrs.get("dates"):
            record["dates"] = str(attrs["dates"])
        metrics = {}
        for name in ("degree", "weighted_degree", "betweenness", "community"):
            value = _number(attrs.get(name))
            if value is not None:
                metrics[name] = _round(value)
        if metrics:
            record["metrics"] = metrics
        nodes.append(record)

    roles: dict[str, int] = {}
    unroled = 0
    edges = []
    for u, v, attrs in raw_edges:
        edge_roles = _roles(attrs)
        for role in edge_roles:
            roles[role] = roles.get(role, 0) + 1
        if not edge_roles:
            unroled += 1
        weight = _number(attrs.get("weight")) or 1.0
        record = {
            "from": str(u),
            "to": str(v),
            "color": role_color(edge_roles[0] if edge_roles else None),
            "width": round(1 + min(math.log2(max(weight, 1.0)), 4.0), 2),
        }
        if weight != 1.0:
            record["weight"] = _round(weight)
        for key, value in (
            ("roles", edge_roles),
            ("via", _strings(attrs.get("via"))),
            ("sources", _strings(attrs.get("sources"))),
        ):
            if value:
                record[key] = value
        if attrs.get("dates"):
            record["dates"] = str(attrs["dates"])
        edges.append(record)

    ui = _UI.get(lang.split("-")[0].lower(), _UI["en"])
    data = {
        "ui": ui,
        "big": not physics,
        "physics": physics,
        "directed": directed,
        "font": _FONT,
        "kindColors": {k: KIND_COLORS[k] for k in kinds},
        "nodes": nodes,
        "edges": edges,
    }
    kind_rows = [(k, KIND_COLORS[k], kinds[k]) for k in KIND_COLORS if k in kinds]
    role_rows = [(r, role_color(r), roles[r]) for r in sorted(roles)]
    if unroled:
        role_rows.append((ui["norole"], EDGE_COLOR, unroled))
    return data, kind_rows, role_rows


def _attrs_key(attrs: Mapping[str, Any]) -> str:
    """A stable text for edge attributes, used only to order parallel edges."""

    def plain(value: Any) -> Any:
        if isinstance(value, str | int | float | bool) or value is None:
            return value
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, set | frozenset):
            return sorted(str(v) for v in value)
        if isinstance(value, Iterable):
            return [plain(v) for v in value]
        return str(value)

    return json.dumps(plain(dict(attrs)), sort_keys=True)


# --------------------------------------------------------------------------- page

_CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec;
  --card: rgba(255, 255, 255, 0.96); --accent: #0072B2; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; overflow: hidden; background: #f7f9fb;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans",
  sans-serif; color: var(--ink); }
#kg-net { position: absolute; inset: 0; }
.kg-card { position: absolute; background: var(--card); border: 1px solid var(--line);
  border-radius: 10px; box-shadow: 0 4px 18px rgba(31, 41, 51, 0.10); z-index: 10; }
#kg-head { top: 12px; left: 12px; width: min(360px, calc(100vw - 24px)); padding: 12px 14px; }
#kg-head h1 { margin: 0 0 2px; font-size: 17px; font-weight: 650; line-height: 1.3;
  overflow-wrap: anywhere; }
#kg-count { margin: 0 0 10px; color: var(--muted); font-size: 12.5px; }
#kg-search { width: 100%; padding: 8px 10px; font: inherit; border: 1px solid #bcccdc;
  border-radius: 7px; outline: none; background: #fff; }
#kg-search:focus { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(0,114,178,.18); }
#kg-results { list-style: none; margin: 6px 0 0; padding: 0; max-height: 40vh; overflow: auto; }
#kg-results:empty { display: none; }
#kg-results li { padding: 5px 8px; border-radius: 6px; cursor: pointer; display: flex;
  gap: 8px; align-items: baseline; }
#kg-results li[aria-selected="true"], #kg-results li:hover { background: #e6f0f8; }
#kg-results li.kg-none { color: var(--muted); cursor: default; background: none; }
#kg-results .kg-sub { color: var(--muted); font-size: 12px; overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap; }
#kg-legend { left: 12px; bottom: 12px; padding: 10px 14px; font-size: 12.5px;
  max-height: calc(100vh - 240px); overflow: auto; max-width: 300px; }
#kg-legend h2 { font-size: 11.5px; text-transform: uppercase; letter-spacing: .06em;
  color: var(--muted); margin: 8px 0 4px; font-weight: 600; }
#kg-legend h2:first-child { margin-top: 0; }
#kg-legend ul { list-style: none; margin: 0; padding: 0; }
#kg-legend li { display: flex; align-items: center; gap: 8px; margin: 2px 0; }
#kg-legend .kg-n { color: var(--muted); margin-left: auto; padding-left: 10px;
  font-variant-numeric: tabular-nums; }
.kg-dot { width: 12px; height: 12px; border-radius: 50%; flex: none;
  border: 1px solid rgba(0,0,0,.25); }
.kg-line { width: 22px; height: 0; border-top: 3px solid; flex: none; border-radius: 2px; }
#kg-legend p { margin: 8px 0 0; color: var(--muted); }
#kg-tip { position: absolute; z-index: 20; pointer-events: none; max-width: 360px;
  padding: 9px 11px; font-size: 12.5px; }
#kg-detail { top: 12px; right: 12px; width: min(340px, calc(100vw - 24px));
  max-height: calc(100vh - 24px); overflow: auto; padding: 12px 14px; font-size: 13px; }
.kg-info .kg-title { font-size: 15px; font-weight: 650; margin: 0 0 2px; }
.kg-info .kg-kind { display: inline-flex; align-items: center; gap: 6px; color: var(--muted);
  font-size: 12px; margin-bottom: 4px; }
.kg-info dl { margin: 4px 0 0; }
.kg-info dt { color: var(--muted); font-size: 11px; text-transform: uppercase;
  letter-spacing: .05em; margin-top: 6px; }
.kg-info dd { margin: 1px 0 0; overflow-wrap: anywhere; }
.kg-info .kg-lang { display: inline-block; min-width: 22px; color: var(--muted);
  font-size: 11px; }
.kg-info ul { margin: 2px 0 0; padding-left: 16px; }
.kg-info .kg-src { color: var(--muted); font-size: 11.5px; }
[hidden] { display: none !important; }
"""

# The page's own script. It contains no data (that is in the JSON block), so its CSP hash
# is the same on every page.
_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var ui = data.ui;
  var container = document.getElementById("kg-net");
  var tip = document.getElementById("kg-tip");
  var detail = document.getElementById("kg-detail");
  var byId = new Map(), adjacency = new Map();
  data.nodes.forEach(function (n) { byId.set(n.id, n); adjacency.set(n.id, []); });
  data.edges.forEach(function (e, i) {
    e.id = "e" + i;
    adjacency.get(e.from).push(e);
    if (e.to !== e.from) adjacency.get(e.to).push(e);
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function labelOf(id) { var n = byId.get(id); return n ? n.label : id; }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && !value.length)) return;
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function roleText(e) { return (e.roles || []).join(", "); }

  function nodeInfo(n, maxLinks) {
    var box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", n.label));
    var kind = el("div", "kg-kind");
    var dot = el("span", "kg-dot");
    dot.style.background = data.kindColors[n.kind];
    kind.appendChild(dot);
    kind.appendChild(el("span", null, n.kind + (n.types ? " · " + n.types.join(", ") : "")));
    box.appendChild(kind);
    var names = el("div");
    n.names.forEach(function (pair) {
      var row = el("div");
      row.appendChild(el("span", "kg-lang", pair[0]));
      row.appendChild(document.createTextNode(" " + pair[1]));
      names.appendChild(row);
    });
    box.appendChild(names);
    var dl = el("dl");
    field(dl, ui.aliases, (n.aliases || []).join(" · "));
    field(dl, ui.dates, n.dates);
    var links = adjacency.get(n.id) || [];
    if (links.length) {
      var list = el("ul");
      links.slice(0, maxLinks).forEach(function (e) {
        var other = e.from === n.id ? e.to : e.from;
        var item = el("li", null, labelOf(other) + (e.roles ? " (" + roleText(e) + ")" : ""));
        if (e.via) item.appendChild(el("div", "kg-src", ui.via + ": " + e.via.join(", ")));
        if (e.sources) {
          item.appendChild(el("div", "kg-src", ui.sources + ": " + e.sources.join(", ")));
        }
        list.appendChild(item);
      });
      if (links.length > maxLinks) {
        list.appendChild(el("li", "kg-src", "+" + (links.length - maxLinks) + " " + ui.more));
      }
      field(dl, ui.links + " (" + links.length + ")", list);
    }
    if (n.metrics) {
      field(dl, "metrics", Object.keys(n.metrics).map(function (k) {
        return k + " " + n.metrics[k];
      }).join(" · "));
    }
    box.appendChild(dl);
    return box;
  }

  function edgeInfo(e) {
    var box = el("div", "kg-info");
    box.appendChild(el("div", "kg-title", labelOf(e.from) + (data.directed ? " → " : " — ") +
      labelOf(e.to)));
    var dl = el("dl");
    field(dl, ui.roles, roleText(e));
    field(dl, ui.via, (e.via || []).join(", "));
    field(dl, ui.dates, e.dates);
    field(dl, ui.sources, (e.sources || []).join(", "));
    if (e.weight !== undefined) field(dl, "weight", e.weight);
    box.appendChild(dl);
    return box;
  }

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var c = data.kindColors[n.kind];
    var ring = data.big ? c : "#ffffff";
    return {
      // long names are cut on the canvas only; tooltips, panel and search show them whole
      id: n.id, label: n.label.length > 32 ? n.label.slice(0, 30) + "…" : n.label,
      x: n.x, y: n.y, size: n.size,
      color: { background: c, border: ring, highlight: { background: c, border: "#1f2933" },
               hover: { background: c, border: "#1f2933" } }
    };
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, width: e.width,
             color: { color: e.color, highlight: "#1f2933", hover: e.color, opacity: 0.75 } };
  }));
  var edgeById = new Map(data.edges.map(function (e) { return [e.id, e]; }));

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: {
      shape: "dot", borderWidth: 1.5, borderWidthSelected: 3,
      font: { face: data.font, size: 14, color: "#1f2933", strokeWidth: 3,
              strokeColor: "rgba(255,255,255,0.9)" },
      scaling: { label: { drawThreshold: data.big ? 9 : 5 } }
    },
    edges: {
      smooth: data.big ? false : { type: "continuous", roundness: 0.3 },
      arrows: { to: { enabled: data.directed, scaleFactor: 0.6 } },
      selectionWidth: 1.5, hoverWidth: 1
    },
    physics: data.physics ? {
      solver: "forceAtlas2Based",
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.4 },
      stabilization: { enabled: true, iterations: 400, updateInterval: 50, fit: true }
    } : false,
    interaction: { hover: true, tooltipDelay: 60, hideEdgesOnDrag: data.big,
                   hideEdgesOnZoom: data.big, keyboard: false, multiselect: false }
  };

  var tNetwork = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var ready = false;
  function markReady() {
    if (ready) return;
    ready = true;
    var now = performance.now();
    window.__kgStats = { nodes: nodes.length, edges: edges.length, drawMs: Math.round(now),
                         networkMs: Math.round(now - tNetwork) };
    window.__kgReady = true;
    document.body.setAttribute("data-ready", "true");
  }
  function fit() {
    network.fit({ animation: false });
    if (network.getScale() > 1.1) network.moveTo({ scale: 1.1 });  // a few nodes: no close-up
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    fit();
    network.once("afterDrawing", markReady);
  }

  function showTip(content, pointer) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var x = pointer.x + 14, y = pointer.y + 14;
    if (x + w > window.innerWidth - 8) x = Math.max(8, pointer.x - w - 14);
    if (y + h > window.innerHeight - 8) y = Math.max(8, pointer.y - h - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; tip.replaceChildren(); }
  network.on("hoverNode", function (p) { showTip(nodeInfo(byId.get(p.node), 6), p.pointer.DOM); });
  network.on("hoverEdge", function (p) {
    var e = edgeById.get(p.edge);
    if (e) showTip(edgeInfo(e), p.pointer.DOM);
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  function showDetail(id) {
    var n = byId.get(id);
    if (!n) { detail.hidden = true; return; }
    detail.replaceChildren(nodeInfo(n, 40));
    detail.hidden = false;
  }
  network.on("selectNode", function (p) { showDetail(p.nodes[0]); });
  network.on("deselectNode", function (p) { if (!p.nodes.length) detail.hidden = true; });

  function select(id) {
    if (!byId.has(id)) return;
    hideTip();
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.3),
                        animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    showDetail(id);
    window.__kgSelected = id;
  }

  // Search: labels in every language, aliases (pinyin with or without tone marks) and ids.
  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }
  var index = data.nodes.map(function (n) {
    var keys = [n.label, n.id].concat(n.names.map(function (p) { return p[1]; }), n.aliases || []);
    return { id: n.id, keys: keys.map(fold), compact: keys.map(function (k) {
      return fold(k).replace(/[\s\-_·]/g, "");
    }) };
  });
  var input = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");
  var found = [], active = 0;
  function search(query) {
    var q = fold(query), qc = q.replace(/[\s\-_·]/g, "");
    if (!q) return [];
    var hits = [];
    index.forEach(function (entry) {
      var best = 9;
      for (var i = 0; i < entry.keys.length; i++) {
        var k = entry.keys[i], c = entry.compact[i];
        if (k === q || c === qc) { best = 0; break; }
        if (k.indexOf(q) === 0 || c.indexOf(qc) === 0) best = Math.min(best, 1);
        else if (k.indexOf(q) >= 0 || (qc && c.indexOf(qc) >= 0)) best = Math.min(best, 2);
      }
      if (best < 9) hits.push([best, byId.get(entry.id).label, entry.id]);
    });
    hits.sort(function (a, b) {
      return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
    });
    return hits.slice(0, 12).map(function (h) { return h[2]; });
  }
  function showResults() {
    results.replaceChildren();
    if (!input.value.trim()) return;
    if (!found.length) { results.appendChild(el("li", "kg-none", ui.nomatch)); return; }
    found.forEach(function (id, i) {
      var n = byId.get(id);
      var li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", i === active ? "true" : "false");
      var dot = el("span", "kg-dot");
      dot.style.background = data.kindColors[n.kind];
      li.appendChild(dot);
      li.appendChild(el("span", null, n.label));
      var others = n.names.map(function (p) { return p[1]; }).filter(function (s) {
        return s !== n.label;
      });
      if (others.length) li.appendChild(el("span", "kg-sub", others.join(" · ")));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); select(id); });
      results.appendChild(li);
    });
  }
  input.addEventListener("input", function () {
    found = search(input.value); active = 0; showResults();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!found.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : found.length - 1)) % found.length;
      showResults();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (found.length) select(found[active]);
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      input.value = ""; found = []; showResults();
    }
  });

  window.__kg = { network: network, select: select, search: search };
})();
"""


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
    data, kind_rows, role_rows = _page_data(graph, lang=lang, size_by=size_by, physics=physics)
    ui = data["ui"]
    legend, legend_css = _legend(kind_rows, role_rows, ui, size_by)
    vis_js, vis_css = _vis_assets()
    csp = "; ".join(
        [
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(_JS)}",
            f"style-src {_csp_hash(vis_css)} {_csp_hash(_CSS)} {_csp_hash(legend_css)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    esc = html.escape
    n_nodes, n_edges = graph.number_of_nodes(), graph.number_of_edges()
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f'<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="generator" content="kg.page.render (vis-network 9.1.2 via pyvis 0.3.2)">\n',
            f"<title>{esc(title)}</title>\n",
            f"<style>{vis_css}</style>\n<style>{_CSS}</style>\n<style>{legend_css}</style>\n",
            "</head>\n<body>\n",
            '<div id="kg-net" role="img" aria-label="',
            esc(f"{title}: {n_nodes} {ui['nodes']}, {n_edges} {ui['edges']}"),
            '"></div>\n',
            '<section id="kg-head" class="kg-card">\n',
            f"<h1>{esc(title)}</h1>\n",
            f'<p id="kg-count">{n_nodes:,} {esc(ui["nodes"])} · {n_edges:,} {esc(ui["edges"])}</p>\n',
            f'<input id="kg-search" type="search" autocomplete="off" spellcheck="false" '
            f'placeholder="{esc(ui["search"])}" aria-label="{esc(ui["search"])}" '
            f'aria-controls="kg-results">\n',
            '<ul id="kg-results" role="listbox"></ul>\n</section>\n',
            f'<aside id="kg-legend" class="kg-card">{legend}</aside>\n',
            '<aside id="kg-detail" class="kg-card" hidden></aside>\n',
            '<div id="kg-tip" class="kg-card" role="tooltip" hidden></div>\n',
            f"<noscript><p>{esc(ui['noscript'])}</p></noscript>\n",
            f'<script type="application/json" id="kg-data">{_script_json(data)}</script>\n',
            f"<script>{vis_js}</script>\n",
            f"<script>{_JS}</script>\n",
            "</body>\n</html>\n",
        ]
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
