"""The dataset in standard RDF formats, deterministic and complete.

Quad formats (TriG, N-Quads, JSON-LD) keep one named graph per curated fact plus the
provenance graph, so every triple stays traceable. Triple formats (Turtle, N-Triples) hold
the merge of all graphs: every statement and the provenance records, without the link from a
triple to its fact graph; use a quad format to keep that.

>>> from kg.project import Project
>>> from kg.build.dataset import ensure_built
>>> data = export_bytes(ensure_built(Project.default()).nquads, "nquads")
>>> data == export_bytes(ensure_built(Project.default()).nquads, "nquads")
True
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.model.vocab import PREFIXES

# name -> (pyoxigraph format, keeps named graphs, file suffix)
FORMATS: dict[str, tuple[ox.RdfFormat, bool, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, False, ".ttl"),
    "trig": (ox.RdfFormat.TRIG, True, ".trig"),
    "nt": (ox.RdfFormat.N_TRIPLES, False, ".nt"),
    "nquads": (ox.RdfFormat.N_QUADS, True, ".nq"),
    "jsonld": (ox.RdfFormat.JSON_LD, True, ".jsonld"),
}


def read_dataset(nquads: Path) -> list[ox.Quad]:
    """The quads of a build's ``kg.nq``, in file order (sorted)."""
    return list(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS))


def export_bytes(nquads: Path, fmt: str) -> bytes:
    """The dataset in ``fmt`` (a key of :data:`FORMATS`)."""
    rdf_format, quads_ok, _ = FORMATS[fmt]
    quads = read_dataset(nquads)
    if fmt == "nquads":
        return nquads.read_bytes()
    items: list[ox.Quad] | list[ox.Triple]
    if quads_ok:
        items = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate),
                                              str(q.object)))
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    prefixes = PREFIXES if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    data = ox.serialize(items, format=rdf_format, prefixes=prefixes)
    assert data is not None  # given no output, serialize returns the bytes
    return data


def write_export(nquads: Path, fmt: str, out: Path) -> int:
    """Write the export to ``out`` atomically; returns the number of bytes written."""
    from kg.files import write_atomic

    data = export_bytes(nquads, fmt)
    write_atomic(out, data)
    return len(data)
