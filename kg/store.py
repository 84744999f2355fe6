"""Where the dataset lives, behind one small interface.

The embedded default is the on-disk Oxigraph store of the current build, opened read-only
(several ``kg`` processes can read it at once; opening it takes milliseconds at any size).
Code above this module calls :meth:`Store.query` and never asks which store it has.

>>> from kg.project import Project
>>> store = open_store(Project.default())
>>> result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Source }")
>>> result.columns, int(result.rows[0][0].value) > 3
(['n'], True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.project import Project
from kg.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Result:
    """A query's answer: rows for SELECT, ``boolean`` for ASK, ``triples`` for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "graph"
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


class Store(Protocol):
    """What every store offers: SPARQL over the union of all graphs, parameters bound."""

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Result: ...

    def quads(self) -> list[ox.Quad]: ...


def union_default_graph(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The default graph as the merge of all named graphs: each distinct triple once.

    Queries read the default graph, so a triple that two sources state counts once; ``GRAPH``
    patterns reach the fact graphs and their provenance.
    """
    return list({ox.Quad(q.subject, q.predicate, q.object) for q in quads})


class EmbeddedStore:
    """An Oxigraph store: on disk and read-only, or in memory from a list of named-graph quads."""

    def __init__(self, path: Path | None = None, *, quads: list[ox.Quad] | None = None):
        if path is not None:
            self._store = ox.Store.read_only(str(path))
        else:
            self._store = ox.Store()
            self._store.extend(quads or [])
            self._store.extend(union_default_graph(quads or []))

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Result:
        """Run a SPARQL query with the project's prefixes predeclared and ``bindings`` bound.

        Values are bound by the engine (SPARQL substitution, SEP-0007), never pasted into the
        text; a bound variable must be projected (``SELECT *``, or listed in ``SELECT``).
        """
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        answer = self._store.query(sparql, prefixes=PREFIXES, substitutions=subs or None)
        return _result(answer)

    def quads(self) -> list[ox.Quad]:
        """The named-graph quads (the dataset as built, without the derived default graph)."""
        return [q for q in self._store.quads_for_pattern(None, None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph)]


def _result(answer: object) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = [tuple(solution[c] for c in columns) for solution in answer]
        return Result("select", columns=columns, rows=rows)
    return Result("graph", triples=list(answer))


def open_store(project: Project) -> EmbeddedStore:
    """The current build's store, building first when the build is missing or stale."""
    from kg.build import ensure_built

    return EmbeddedStore(ensure_built(project).store_path)
