"""A networkx view -> the data the network page draws: nodes with labels, positions and
sizes, edges with roles and sources, and the counts the legend shows. No HTML, no colours.

The graph follows the render contract of :mod:`kg.networks.views`: node attributes
``labels`` (language -> name), ``aliases``, ``kind``, ``types``, ``dates`` and the metrics;
edge attributes ``roles`` (or ``role``), ``weight``, ``via``, ``sources``, ``dates``. Missing
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
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

from kg.page.layout import layout

__all__ = ["SIZE_METRICS", "PageData", "page_data"]

_SIZE_RANGE = (6.0, 28.0)


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


def edge_roles(attrs: Mapping[str, Any]) -> list[str]:
    """The roles of an edge: its ``roles`` then its ``role``, each once.

    >>> edge_roles({"roles": ["lead", "funder"], "role": "lead"})
    ['lead', 'funder']
    """
    roles = _strings(attrs.get("roles")) + _strings(attrs.get("role"))
    return list(dict.fromkeys(roles))


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


def page_data(
    graph: nx.Graph, *, lang: str = "en", size_by: str | None = "degree", kinds: Collection[str] = ()
) -> PageData:
    """Nodes (sorted by id) and edges (sorted by their ends) of ``graph`` as page records.

    ``lang`` picks each node's label (else English, else any language, else the id);
    ``size_by`` names a metric of ``SIZE_METRICS`` (None: one size); a node whose kind is
    not in ``kinds`` is of kind ``Other``.

    >>> import networkx as nx
    >>> d = page_data(nx.Graph([("b", "a", {"weight": 3})]))
    >>> d.edges[0]["from"], d.edges[0]["weight"], d.unroled
    ('a', 3, 1)
    """
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
    pos = layout(len(order), src, dst, weights) * 90.0
    sizes = _sizes(graph, order, size_by)

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
        record = {
            "from": str(u),
            "to": str(v),
            "width": round(1 + min(math.log2(max(weight, 1.0)), 4.0), 2),
        }
        if weight != 1.0:
            record["weight"] = _round(weight)
        for key, value in (
            ("roles", roles),
            ("via", _strings(attrs.get("via"))),
            ("sources", _strings(attrs.get("sources"))),
        ):
            if value:
                record[key] = value
        if attrs.get("dates"):
            record["dates"] = str(attrs["dates"])
        edges.append(record)
    return PageData(nodes, edges, kind_counts, role_counts, unroled, directed)
