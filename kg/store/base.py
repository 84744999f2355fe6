"""What every store offers, and the pieces they share: a query's :class:`Result`, the
:class:`Store` protocol, which literals are names to show, and the union default graph.

>>> Result("ask", boolean=True).boolean
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

import pyoxigraph as ox

from kg.model.vocab import SKOS
from kg.sparql import Term


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

    def labels(self, iris: Iterable[str]) -> dict[str, list[ox.Literal]]: ...


T = TypeVar("T")


def kept(store: object, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept with ``store`` under ``key`` when the store never changes (it offers
    ``cached``, as :class:`kg.store.embedded.EmbeddedStore` does); worked out afresh for any
    other store, such as a remote endpoint, whose data may change between two questions.

    >>> kept(object(), "n", lambda: 1)
    1
    """
    keep = getattr(store, "cached", None)
    return keep(key, compute) if keep is not None else compute()


def value_of(term: Term | None) -> str:
    """A result cell's IRI or lexical form; ``""`` when the variable is unbound.

    >>> value_of(ox.Literal("3")), value_of(None)
    ('3', '')
    """
    return "" if term is None else term.value


LABEL_PREDICATES = (SKOS.prefLabel, SKOS.altLabel)


def is_label(predicate: str, literal: ox.Literal) -> bool:
    """A name to show: a preferred label, or the pinyin alias (for names only in Chinese)."""
    return predicate == SKOS.prefLabel or (literal.language or "").lower() == "zh-latn-pinyin"


def union_default_graph(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The default graph as the merge of all named graphs: each distinct triple once.

    Queries read the default graph, so a triple that two sources state counts once; ``GRAPH``
    patterns reach the fact graphs and their provenance.

    >>> g = ox.NamedNode("http://example.org/g")
    >>> s = ox.NamedNode("http://example.org/s")
    >>> len(union_default_graph([ox.Quad(s, s, s, g), ox.Quad(s, s, s, s)]))
    1
    """
    return list({ox.Quad(q.subject, q.predicate, q.object) for q in quads})



def result_of(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Result:
    """A pyoxigraph answer (solutions, boolean or triples) as a :class:`Result`."""
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = [tuple(solution) for solution in answer]  # the variables' order; None where unbound
        return Result("select", columns=columns, rows=rows)
    return Result("graph", triples=list(answer))

