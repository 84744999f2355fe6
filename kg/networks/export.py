"""Network views -> files for the tools analysts use: GEXF and GraphML (Gephi, Cytoscape), CSV.

GEXF and GraphML hold scalars only, so lists are joined with ``"; "`` and the labels dict
becomes ``label`` (in the chosen language), ``label_en`` and ``label_zh``. Nodes and edges
are written in sorted order, an actor before its activity, and GEXF's date stamp is left out,
so the same graph always gives byte-identical files. Every file is written atomically.

>>> import networkx as nx, tempfile, pathlib
>>> g = nx.Graph()
>>> g.add_node("a", labels={"en": "A", "zh": "甲"}, types=["Company"], kind="Organization")
>>> g.add_node("b", labels={"en": "B"}, kind="Initiative", side="activity")
>>> g.add_edge("a", "b", roles=["lead"], weight=1, sources=["s:p1"])
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in export_network(g, "csv", out)]
['nodes.csv', 'edges.csv']
>>> (out / "edges.csv").read_text(encoding="utf-8").splitlines()[1]
'a,b,1,lead,,,s:p1,'
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.files import write_atomic
from kg.model.labels import choose_label

if TYPE_CHECKING:  # imported where used: the FORMATS registry is read by `kg network export --help`
    import networkx as nx

#: Node columns, in order (the CSV header and the attribute order in GEXF/GraphML).
NODE_COLUMNS = ("id", "label", "label_en", "label_zh", "kind", "types", "aliases", "dates",
                "side", "degree", "weighted_degree", "betweenness", "community", "component", "members")
#: Edge columns, in order.
EDGE_COLUMNS = ("source", "target", "weight", "roles", "via", "via_ids", "sources", "dates")
_FLOATS = frozenset({"weighted_degree", "betweenness"})
_INTS = frozenset({"degree", "community", "component"})


def _scalar(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return value


def _oriented(g: nx.Graph, u: str, v: str) -> tuple[str, str]:
    """An actor before its activity; otherwise the smaller id first."""
    if g.nodes[u].get("side") == "activity" and g.nodes[v].get("side") != "activity":
        return v, u
    if g.nodes[v].get("side") == "activity" and g.nodes[u].get("side") != "activity":
        return u, v
    return (u, v) if u <= v else (v, u)


def node_rows(g: nx.Graph, *, lang: str = "en") -> list[dict[str, Any]]:
    """One flat row per node (see :data:`NODE_COLUMNS`), sorted by id."""
    rows = []
    for node in sorted(g):
        a = g.nodes[node]
        labels = a.get("labels") or {}
        row: dict[str, Any] = {
            "id": node, "label": choose_label(labels, lang, node), "label_en": labels.get("en", ""),
            "label_zh": labels.get("zh", ""), "kind": a.get("kind", "Other")}
        for col in NODE_COLUMNS[5:]:
            value = a.get(col)
            if col in _FLOATS:
                row[col] = float(value or 0.0)
            elif col in _INTS:
                row[col] = int(value or 0)
            else:
                row[col] = "" if value is None else _scalar(value)
        rows.append(row)
    return rows


def edge_rows(g: nx.Graph) -> list[dict[str, Any]]:
    """One flat row per edge (see :data:`EDGE_COLUMNS`), sorted by its two ends."""
    rows = []
    for u, v, a in g.edges(data=True):
        source, target = _oriented(g, u, v)
        row: dict[str, Any] = {"source": source, "target": target,
                               "weight": float(a.get("weight", 1.0))}
        roles = a.get("roles") or ([a["role"]] if a.get("role") else [])
        row["roles"] = _scalar(roles)
        for col in EDGE_COLUMNS[4:]:
            row[col] = "" if a.get(col) is None else _scalar(a[col])
        rows.append(row)
    return sorted(rows, key=lambda r: (r["source"], r["target"]))


def flat_graph(g: nx.Graph, *, lang: str = "en") -> nx.Graph:
    """A copy of ``g`` with scalar attributes only, nodes and edges in sorted order."""
    import networkx as nx

    flat: nx.Graph[str] = nx.Graph()
    # what annotate() adds for readers (sources, regions, vocabulary) is no file metadata
    flat.graph.update({k: _scalar(v) for k, v in sorted(g.graph.items()) if v is not None and not isinstance(v, dict)})
    flat.graph["name"] = " ".join(str(g.graph[k]) for k in ("view", "filters") if g.graph.get(k))
    for row in node_rows(g, lang=lang):
        node = row.pop("id")
        flat.add_node(node, **row)
    for row in edge_rows(g):
        flat.add_edge(row.pop("source"), row.pop("target"), **row)
    return flat


def gexf_bytes(g: nx.Graph, *, lang: str = "en") -> bytes:
    """The graph as GEXF 1.2, without the date stamp networkx would add."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(flat_graph(g, lang=lang))
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def graphml_bytes(g: nx.Graph, *, lang: str = "en") -> bytes:
    """The graph as GraphML, in UTF-8 (names stay readable, not character references)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml_xml(flat_graph(g, lang=lang), buffer, encoding="utf-8")
    return buffer.getvalue()


def _csv_bytes(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (f"{v:g}" if isinstance(v, float) else v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def _write_gexf(g: nx.Graph, path: Path, lang: str) -> list[Path]:
    return [write_atomic(path, gexf_bytes(g, lang=lang))]


def _write_graphml(g: nx.Graph, path: Path, lang: str) -> list[Path]:
    return [write_atomic(path, graphml_bytes(g, lang=lang))]


def _write_csv(g: nx.Graph, path: Path, lang: str) -> list[Path]:
    """``path`` is a folder: ``nodes.csv`` and ``edges.csv`` go in it."""
    return [write_atomic(path / "nodes.csv", _csv_bytes(NODE_COLUMNS, node_rows(g, lang=lang))),
            write_atomic(path / "edges.csv", _csv_bytes(EDGE_COLUMNS, edge_rows(g)))]


#: The export formats, by name: ``(writer, what -o names)``.
FORMATS: dict[str, tuple[Callable[[nx.Graph, Path, str], list[Path]], str]] = {
    "gexf": (_write_gexf, "file"),
    "graphml": (_write_graphml, "file"),
    "csv": (_write_csv, "folder (nodes.csv, edges.csv)"),
}


def export_network(g: nx.Graph, fmt: str, path: str | os.PathLike[str], *,
                   lang: str = "en") -> list[Path]:
    """Write ``g`` as ``fmt`` (a key of :data:`FORMATS`) to ``path``; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {sorted(FORMATS)}, not {fmt!r}")
    return FORMATS[fmt][0](g, Path(path), lang)
