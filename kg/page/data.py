"""A networkx view -> the data the network page draws: nodes with labels, positions and
measures, edges with roles, years and sources, the sources' citations and the counts the
legend shows. No HTML, no colours.

The graph follows the render contract of :mod:`kg.networks.views`: node attributes
``labels`` (language -> name), ``aliases``, ``kind``, ``types``, ``dates`` and the metrics;
edge attributes ``roles`` (or ``role``), ``weight``, ``via``, ``amounts``, ``sources``, ``dates``. Missing
attributes are fine. The same graph always gives the same data.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_node("a", labels={"en": "A", "zh": "甲"}, kind="Person")
>>> g.add_edge("a", "b", role="lead")
>>> d = page_data(g, lang="zh", kinds=["Person"])
>>> [n["label"] for n in d.nodes], d.kinds, d.roles
(['甲', 'b'], {'Person': 1, 'Other': 1}, {'lead': 1})
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from kg.model.labels import choose_language
from kg.page.layout import grouped_layout, layout

__all__ = ["SIZE_METRICS", "PageData", "page_data"]

_SIZE_RANGE = (6.0, 28.0)


#: The measures a node's size can follow (the page offers each one its nodes carry).
SIZE_METRICS: tuple[str, ...] = ("degree", "weighted_degree", "betweenness")
#: The node measures the page shows, in order.
METRICS: tuple[str, ...] = ("degree", "weighted_degree", "betweenness", "community")
#: The language tag of pinyin in node labels (as :mod:`kg.networks.views` writes it).
PINYIN = "zh-latn-pinyin"
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


@dataclass
class PageData:
    """The nodes and edges of a page (JSON-ready records), with the legend's counts.

    ``kinds`` counts nodes by kind, ``roles`` edges by role (an edge with several roles
    counts once for each), ``unroled`` the edges with no role.
    """

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    kinds: dict[str, int]
    roles: dict[str, int]
    unroled: int
    directed: bool
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> title, publisher, date, url
    regions: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> names by language
    vocab: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # classes/roles -> names
    region_aliases: dict[str, list[str]] = field(default_factory=dict)  # id -> its other names


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [text for v in value if v is not None and (text := str(v))]
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


def edge_roles(attrs: Mapping[str, Any]) -> list[str]:
    """The roles of an edge: its ``roles`` then its ``role``, each once.

    >>> edge_roles({"roles": ["lead", "funder"], "role": "lead"})
    ['lead', 'funder']
    """
    roles = _strings(attrs.get("roles")) + _strings(attrs.get("role"))
    return list(dict.fromkeys(roles))


def node_label(node_id: str, labels: Mapping[str, str], lang: str) -> str:
    """The name a page in ``lang`` shows, by :func:`kg.model.labels.choose_language` (that
    language's, else English, else Chinese, ..., else the id), Chinese with its pinyin on a
    page in another language.

    >>> node_label("x", {"zh": "奥鹏教育", PINYIN: "ào péng jiào yù"}, "en")
    '奥鹏教育 (ào péng jiào yù)'
    >>> node_label("x", {"zh": "奥鹏教育", PINYIN: "ào péng jiào yù"}, "zh")
    '奥鹏教育'
    """
    tag = choose_language([k for k, text in labels.items() if text], lang)
    if tag is None:
        return node_id
    if tag.lower() == "zh" and labels.get(PINYIN) and lang.split("-")[0].lower() != "zh":
        return f"{labels[tag]} ({labels[PINYIN]})"
    return labels[tag]


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


def _years(value: Any) -> list[int]:
    return sorted({int(y) for y in _YEAR.findall(str(value))}) if value else []


def _mean(spots: list[tuple[float, float]]) -> tuple[float, float]:
    """The mean of points (one or more): ``_mean([(0.0, 0.0), (4.0, 2.0)]) == (2.0, 1.0)``."""
    return sum(x for x, _ in spots) / len(spots), sum(y for _, y in spots) / len(spots)


def _anchored(order: list[Any], ids: list[str], graph: nx.Graph,
              anchors: Mapping[str, tuple[float, float]]) -> np.ndarray | None:
    """Positions of ``order`` from ``anchors``: a node that has one keeps it; a rolled node
    (with ``members``) sits at the mean of its members', any other at the mean of its placed
    neighbours', a little apart from whatever else sits there (on a spiral, in id order).
    None when some node cannot be placed so (none of its component is anchored).

    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> _anchored(["a", "b", "c"], ["a", "b", "c"], g, {"a": (0.0, 0.0), "c": (10.0, 0.0)}).tolist()
    [[0.0, 0.0], [5.0, 0.0], [10.0, 0.0]]
    """
    pos: dict[Any, tuple[float, float]] = {}
    for node, key in zip(order, ids, strict=True):
        if key in anchors:
            pos[node] = anchors[key]
        elif spots := [anchors[str(m)] for m in _strings(graph.nodes[node].get("members")) if str(m) in anchors]:
            pos[node] = _mean(spots)
    left = [node for node in order if node not in pos]
    while left:  # outward from the placed nodes, one ring of neighbours at a time
        ring = {}
        for node in left:
            spots = [pos[m] for m in sorted(graph[node], key=str) if m in pos]
            if spots:
                ring[node] = _mean(spots)
        if not ring:
            return None
        pos.update(ring)
        left = [node for node in left if node not in ring]
    out = np.array([pos[node] for node in order], dtype=float).reshape(len(order), 2)
    taken = {(round(x, 1), round(y, 1)): 1 for x, y in (anchors[key] for key in ids if key in anchors)}
    for i, key in enumerate(ids):  # a new node on a taken spot: on a golden-angle spiral around it
        if key in anchors:
            continue
        spot = (round(float(out[i, 0]), 1), round(float(out[i, 1]), 1))
        turn = taken.get(spot, 0)
        taken[spot] = turn + 1
        if turn:
            angle, radius = turn * 2.399963, 12.0 * math.sqrt(turn)
            out[i] += (radius * math.cos(angle), radius * math.sin(angle))
    return out


def page_data(graph: nx.Graph, *, lang: str = "en", kinds: Collection[str] = (), grouped: bool = False,
              anchors: Mapping[str, tuple[float, float]] | None = None) -> PageData:
    """Nodes (sorted by id) and edges (sorted by their ends) of ``graph`` as page records.

    ``lang`` picks each node's label (:func:`node_label`); a node whose kind is not in
    ``kinds`` is of kind ``Other``; ``grouped`` lays communities out apart from each other
    (:func:`kg.page.layout.grouped_layout`) when every node has one. ``anchors`` (node id ->
    page position) places the graph where another view of the same data was drawn, without
    a layout of its own (:func:`_anchored`): the page's roll-up switch then moves only what
    roll-up changes. Every node carries
    ``degree`` and ``weighted_degree`` (computed when the graph lacks them) and the other
    :data:`METRICS` it has; every edge the ``years`` its dates name. The graph's ``sources``, ``regions`` and ``vocab``
    (:func:`kg.networks.views.annotate`) are passed on when present.

    >>> import networkx as nx
    >>> d = page_data(nx.Graph([("b", "a", {"weight": 3, "dates": "2019, 2021"})]))
    >>> d.edges[0]["from"], d.edges[0]["weight"], d.edges[0]["years"], d.nodes[0]["metrics"]
    ('a', 3, [2019, 2021], {'degree': 1, 'weighted_degree': 3})
    """
    order = sorted(graph.nodes, key=str)
    ids = [str(n) for n in order]
    if len(set(ids)) != len(ids):
        raise ValueError("node ids must stay distinct when written as strings")
    index = {node: i for i, node in enumerate(order)}

    if isinstance(graph, nx.MultiGraph):  # MultiDiGraph too
        raw_edges = [(u, v, d) for u, v, _k, d in graph.edges(keys=True, data=True)]
    else:
        raw_edges = list(graph.edges(data=True))
    directed = graph.is_directed()

    def ends(u: Any, v: Any) -> tuple[Any, Any]:
        return (v, u) if not directed and str(v) < str(u) else (u, v)

    raw_edges = [(*ends(u, v), d) for u, v, d in raw_edges]
    if graph.is_multigraph():  # parallel edges: ordered by their attributes too
        raw_edges.sort(key=lambda e: (str(e[0]), str(e[1]), _attrs_key(e[2])))
    else:  # the ends are unique (ids stay distinct as strings)
        raw_edges.sort(key=lambda e: (str(e[0]), str(e[1])))

    src = np.array([index[u] for u, _v, _d in raw_edges], dtype=np.intp)
    dst = np.array([index[v] for _u, v, _d in raw_edges], dtype=np.intp)
    weights = np.array([_number(d.get("weight")) or 1.0 for _u, _v, d in raw_edges], dtype=float)
    communities = [_number(graph.nodes[node].get("community")) for node in order]
    pos = _anchored(order, ids, graph, anchors) if anchors else None
    if pos is None and grouped and order and None not in communities:
        pos = grouped_layout(len(order), src, dst, weights, np.array(communities)) * 90.0
    elif pos is None:
        pos = layout(len(order), src, dst, weights) * 90.0
    degree = dict(graph.degree())
    weighted = dict(graph.degree(weight="weight"))

    kind_counts: dict[str, int] = {}
    nodes = []
    for i, node in enumerate(order):
        attrs = graph.nodes[node]
        labels = {str(k): str(v) for k, v in (attrs.get("labels") or {}).items() if v}
        kind = str(attrs.get("kind") or "Other")
        if kind not in kinds:
            kind = "Other"
        kind_counts[kind] = kind_counts.get(kind, 0) + 1
        record: dict[str, Any] = {
            "id": ids[i],
            "label": node_label(ids[i], labels, lang),
            "names": [[k, labels[k]] for k in sorted(labels)],
            "kind": kind,
            "x": round(float(pos[i, 0]), 1),
            "y": round(float(pos[i, 1]), 1),
        }
        for key in ("aliases", "types", "regions"):
            if values := _strings(attrs.get(key)):
                record[key] = values
        if attrs.get("dates"):
            record["dates"] = str(attrs["dates"])
        if members := _strings(attrs.get("members")):  # rolled up: who is counted with it, by name
            names = graph.graph.get("members") or {}
            record["members"] = [node_label(m, dict(names.get(m) or {}), lang) for m in members]
        metrics = {"degree": degree[node], "weighted_degree": weighted[node]}
        for name in METRICS:
            value = _number(attrs.get(name))
            if value is not None:
                metrics[name] = _round(value)
        record["metrics"] = {k: _round(float(v)) for k, v in metrics.items()}
        nodes.append(record)

    role_counts: dict[str, int] = {}
    unroled = 0
    edges = []
    for u, v, attrs in raw_edges:
        roles = edge_roles(attrs)
        for role in roles:
            role_counts[role] = role_counts.get(role, 0) + 1
        if not roles:
            unroled += 1
        weight = _number(attrs.get("weight")) or 1.0
        record = {"from": str(u), "to": str(v), "weight": _round(weight)}
        for key, listed in (
            ("roles", roles),
            ("via", _strings(attrs.get("via"))),
            ("amounts", _strings(attrs.get("amounts"))),
            ("sources", _strings(attrs.get("sources"))),
            ("years", _years(attrs.get("dates"))),
        ):
            if listed:
                record[key] = listed
        if attrs.get("dates"):
            record["dates"] = str(attrs["dates"])
        edges.append(record)

    cited = {c.split(":", 1)[0] for e in edges for c in e.get("sources", ())}
    known = graph.graph.get("sources") or {}
    sources = {k: dict(known[k]) for k in sorted(cited) if isinstance(known.get(k), Mapping)}
    regions = {str(k): dict(v) for k, v in sorted((graph.graph.get("regions") or {}).items())}
    vocab = graph.graph.get("vocab") or {}
    aliases = {str(k): _strings(v) for k, v in sorted((graph.graph.get("region_aliases") or {}).items())
               if str(k) in regions}
    return PageData(nodes, edges, kind_counts, role_counts, unroled, directed, sources, regions, dict(vocab),
                    aliases)
