"""What the curated data may use, read from the one edited ontology file.

The classes an entity may have, the roles of the role scheme and the themes of the theme
scheme all come from ``ontology/kg.ttl``: adding a role there makes it valid in data/.

>>> from kg.project import Project
>>> onto = load_ontology(Project.default().ontology_file)
>>> onto.kind_of("Company"), "lead" in onto.roles, "rural-education" in onto.themes
('Organization', True, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from kg.model.vocab import KG, OWL, RDF, RDFS, ROLE, SKOS, THEME

# The top-level kinds: every class of the ontology falls under exactly one of these.
KINDS = ("Organization", "Person", "Initiative", "Event", "Document", "Goal", "Product",
         "Venue", "Region", "Measurement")
# The kinds an entity in entities/*.yaml may have (regions come from the gazetteer).
ENTITY_KINDS = ("Organization", "Person", "Initiative", "Event", "Document", "Goal", "Product",
                "Venue")


@dataclass(frozen=True)
class Ontology:
    """Classes (local name -> parents in kg:), roles and themes (local name -> English label)."""

    path: Path
    quads: tuple[ox.Quad, ...]
    parents: dict[str, frozenset[str]]
    roles: dict[str, str]
    themes: dict[str, str]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @cached_property
    def classes(self) -> frozenset[str]:
        return frozenset(self.parents)

    def ancestors(self, name: str) -> set[str]:
        """``name`` and every kg: class above it."""
        seen, todo = set(), [name]
        while todo:
            c = todo.pop()
            if c not in seen:
                seen.add(c)
                todo.extend(self.parents.get(c, ()))
        return seen

    def kind_of(self, name: str) -> str | None:
        """The top-level kind of a class (``Company`` -> ``Organization``), or None."""
        up = self.ancestors(name)
        return next((k for k in KINDS if k in up), None)

    def entity_classes(self) -> list[str]:
        """The classes an entity in entities/*.yaml may name, sorted."""
        return sorted(c for c in self.classes if self.kind_of(c) in ENTITY_KINDS)


def load_ontology(path: Path) -> Ontology:
    """Parse the ontology file (Turtle) and index what the data may use."""
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    kg_ns = str(KG)
    parents: dict[str, set[str]] = {}
    roles: dict[str, str] = {}
    themes: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    role_class, theme_class = KG.Role, KG.Theme
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == RDF.type and o.value == OWL.Class and s.value.startswith(kg_ns):
            parents.setdefault(s.value[len(kg_ns):], set())
        elif p == RDFS.subClassOf and s.value.startswith(kg_ns) and o.value.startswith(kg_ns):
            parents.setdefault(s.value[len(kg_ns):], set()).add(o.value[len(kg_ns):])
        elif p == RDF.type and o.value == role_class:
            roles.setdefault(s.value[len(str(ROLE)):], "")
        elif p == RDF.type and o.value == theme_class:
            themes.setdefault(s.value[len(str(THEME)):], "")
        if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, ox.Literal) and o.language:
            labels.setdefault(s.value, {})[o.language] = o.value
    for table, ns in ((roles, str(ROLE)), (themes, str(THEME))):
        for name in table:
            table[name] = labels.get(ns + name, {}).get("en", name)
    quads = tuple(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return Ontology(path, quads, {k: frozenset(v) for k, v in parents.items()}, roles, themes, labels)
