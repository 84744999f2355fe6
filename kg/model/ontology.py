"""What the data may use, read from the one edited ontology file (or from a dataset's
``graph:ontology``): classes and their kinds, roles and themes, and their names.

The top-level kinds are the direct subclasses of ``kg:Entity``, in the order of their
``kg:kindOrder`` (kinds without one after, by name); every class of an entity falls under a
kind. Adding a class, a kind, a role or a theme to ``ontology/kg.ttl`` is all it takes to
use it in data/: nothing here lists them.

>>> from kg.project import Project
>>> onto = load_ontology(Project.default().ontology_file)
>>> onto.kind_of("Company"), "lead" in onto.roles, "rural-education" in onto.themes
('Organization', True, True)
>>> onto.kinds[:2], sorted(onto.subclasses("Measurement"))
(('Organization', 'Person'), ['Measurement', 'Outcome', 'Statistic', 'Target'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from kg.model.hierarchy import closure, inverse
from kg.model.vocab import KG, OWL, PROV, RDF, RDFS, ROLE, SKOS, THEME

#: The root class of the kinds.
ROOT = "Entity"
#: Kinds whose entities are not curated in entities/*.yaml (regions come from the gazetteer).
NOT_CURATED_AS_ENTITIES = frozenset({"Region"})

#: The ontology graph's triples, as a dataset holds them (for :func:`read_ontology`).
ONTOLOGY_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH graph:ontology { ?s ?p ?o } }"


@dataclass(frozen=True)
class Ontology:
    """Classes (local name -> parents in kg:), kinds, roles and themes with their names.

    ``roles`` and ``themes`` map a local name to its English label; ``broader`` maps a role
    to its broader roles; ``labels`` maps any IRI of the ontology to its names by language.
    """

    path: Path | None
    quads: tuple[ox.Quad, ...]
    parents: dict[str, frozenset[str]]
    roles: dict[str, str]
    themes: dict[str, str]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    broader: dict[str, frozenset[str]] = field(default_factory=dict)
    kind_order: dict[str, int] = field(default_factory=dict)
    supers: dict[str, frozenset[str]] = field(default_factory=dict)  # class -> IRIs it is under

    @cached_property
    def classes(self) -> frozenset[str]:
        """Every kg: class, by local name."""
        return frozenset(self.parents)

    @cached_property
    def _children(self) -> dict[str, set[str]]:
        return inverse(self.parents)

    @cached_property
    def kinds(self) -> tuple[str, ...]:
        """The top-level kinds, in order: the direct subclasses of ``kg:Entity``."""
        direct = [c for c, ups in self.parents.items() if ROOT in ups]
        return tuple(sorted(direct, key=lambda k: (k not in self.kind_order, self.kind_order.get(k, 0), k)))

    @cached_property
    def entity_kinds(self) -> tuple[str, ...]:
        """The kinds an entity in entities/*.yaml may have."""
        return tuple(k for k in self.kinds if k not in NOT_CURATED_AS_ENTITIES)

    @cached_property
    def actor_kinds(self) -> tuple[str, ...]:
        """The kinds that can play a role (those under ``prov:Agent``): organizations, people."""
        return self.kinds_under(PROV.Agent)

    @cached_property
    def activity_kinds(self) -> tuple[str, ...]:
        """The kinds actors play roles in (those under ``prov:Activity``): initiatives, events."""
        return self.kinds_under(PROV.Activity)

    def kinds_under(self, iri: str) -> tuple[str, ...]:
        """The kinds that are, or are below a kg: class that is, ``rdfs:subClassOf`` ``iri``."""
        return tuple(k for k in self.kinds
                     if any(iri in self.supers.get(c, ()) for c in self.ancestors(k)))

    def ancestors(self, name: str) -> frozenset[str]:
        """``name`` and every kg: class above it."""
        return closure(self.parents, name)

    def subclasses(self, name: str) -> frozenset[str]:
        """``name`` and every kg: class below it."""
        return closure(self._children, name)

    def kind_of(self, name: str) -> str | None:
        """The top-level kind of a class (``Company`` -> ``Organization``), or None."""
        return self.first_kind(self.ancestors(name))

    def first_kind(self, classes: Iterable[str]) -> str | None:
        """The kind an entity of these classes (with their ancestors) is shown as, or None."""
        up = set(classes)
        return next((k for k in self.kinds if k in up), None)

    def entity_classes(self) -> list[str]:
        """The classes an entity in entities/*.yaml may name, sorted."""
        return sorted(c for c in self.classes if self.kind_of(c) in self.entity_kinds)

    def iri(self, name: str) -> str:
        """The IRI of a class of this ontology; a name it does not define is an error.

        >>> from kg.project import Project
        >>> load_ontology(Project.default().ontology_file).iri("School")
        'https://w3id.org/edu-equity-kg/ontology#School'
        """
        if name not in self.parents:
            raise KeyError(f"the ontology defines no class kg:{name}")
        return str(KG) + name


class _Queryable(Protocol):
    def query(self, sparql: str) -> object: ...


def load_ontology(path: Path) -> Ontology:
    """Parse the ontology file (Turtle) and index what the data may use."""
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return ontology_from_triples(((t.subject, t.predicate, t.object) for t in triples), path=path)


def read_ontology(store: _Queryable) -> Ontology:
    """The ontology a dataset carries in its ``graph:ontology`` (any store: embedded or remote)."""
    rows = store.query(ONTOLOGY_TRIPLES).rows  # type: ignore[attr-defined]
    return ontology_from_triples(sorted(rows, key=str))


def ontology_from_triples(triples: Iterable[tuple[ox.Term, ox.Term, ox.Term]], *,
                          path: Path | None = None) -> Ontology:
    """Index an ontology given as (subject, predicate, object) terms."""
    kg_ns, role_ns, theme_ns = str(KG), str(ROLE), str(THEME)
    parents: dict[str, set[str]] = {}
    roles: dict[str, str] = {}
    themes: dict[str, str] = {}
    broader: dict[str, set[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    order: dict[str, int] = {}
    supers: dict[str, set[str]] = {}
    kept = []
    for s, pred, o in triples:
        kept.append((s, pred, o))
        p = pred.value
        if not isinstance(s, ox.NamedNode):
            continue
        if p == RDF.type and o.value == OWL.Class and s.value.startswith(kg_ns):
            parents.setdefault(s.value[len(kg_ns):], set())
        elif p == RDFS.subClassOf and s.value.startswith(kg_ns):
            supers.setdefault(s.value[len(kg_ns):], set()).add(o.value)
            if o.value.startswith(kg_ns):
                parents.setdefault(s.value[len(kg_ns):], set()).add(o.value[len(kg_ns):])
        elif p == RDF.type and o.value == KG.Role and s.value.startswith(role_ns):
            roles.setdefault(s.value[len(role_ns):], "")
            broader.setdefault(s.value[len(role_ns):], set())
        elif p == SKOS.broader and s.value.startswith(role_ns) and o.value.startswith(role_ns):
            broader.setdefault(s.value[len(role_ns):], set()).add(o.value[len(role_ns):])
        elif p == RDF.type and o.value == KG.Theme and s.value.startswith(theme_ns):
            themes.setdefault(s.value[len(theme_ns):], "")
        elif p == KG.kindOrder and s.value.startswith(kg_ns) and isinstance(o, ox.Literal):
            order[s.value[len(kg_ns):]] = int(o.value)
        if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, ox.Literal) and o.language:
            labels.setdefault(s.value, {})[o.language] = o.value
    for table, ns in ((roles, role_ns), (themes, theme_ns)):
        for name in table:
            table[name] = labels.get(ns + name, {}).get("en", name)
    broader = {r: b for r, b in broader.items() if r in roles}
    quads = tuple(ox.Quad(s, p, o) for s, p, o in kept)  # type: ignore[arg-type]
    return Ontology(path, quads, _frozen(parents), roles, themes, labels, _frozen(broader), order,
                    _frozen(supers))


def _frozen(table: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in table.items()}
