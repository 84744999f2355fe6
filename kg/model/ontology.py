"""What the data may use, read from the one edited ontology file (or from a dataset's
``graph:ontology``): classes and their kinds, roles and themes, and their names.

The top-level kinds are the direct subclasses of ``kg:Entity``, in the order of their
``kg:kindOrder`` (kinds without one after, by name); every class of an entity falls under a
kind. Adding a class, a kind, a role or a theme to ``ontology/kg.ttl`` is all it takes to
use it in data/: nothing here lists them. A project may add terms in ``ontology/*.ttl``
(:func:`load_project_ontology`): extra classes, roles and themes are merged; a statement about
one of kg's own terms is an error at its line.

>>> from kg.project import Project
>>> onto = load_ontology(Project.default().ontology_file)
>>> onto.kind_of("Company"), "lead" in onto.roles, "rural-education" in onto.themes
('Organization', True, True)
>>> onto.beneficiaries["rural-teachers"], sorted(onto.beneficiary_broader["rural-teachers"])
('rural teachers', ['teachers'])
>>> onto.kinds[:2], sorted(onto.subclasses("Measurement"))
(('Organization', 'Person'), ['Measurement', 'Outcome', 'Statistic', 'Target'])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from kg.errors import Problem, UserError
from kg.model.hierarchy import closure, inverse
from kg.model.vocab import BENEFICIARY, KG, OWL, PROV, RDF, RDFS, ROLE, SKOS, THEME
from kg.sparql import Term

if TYPE_CHECKING:
    from kg.store.base import Result

if TYPE_CHECKING:
    from kg.project import Project

#: The root class of the kinds.
ROOT = "Entity"
#: Kinds whose entities are not curated in entities/*.yaml (regions come from the gazetteer).
NOT_CURATED_AS_ENTITIES = frozenset({"Region"})

#: The ontology graph's triples, as a dataset holds them (for :func:`read_ontology`).
ONTOLOGY_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH graph:ontology { ?s ?p ?o } }"


@dataclass(frozen=True)
class Ontology:
    """Classes (local name -> parents in kg:), kinds, roles and themes with their names.

    ``roles``, ``themes`` and ``beneficiaries`` (the groups of kg:BeneficiaryGroups) map a
    local name to its English label; ``broader`` maps a role to its broader roles and
    ``beneficiary_broader`` a group to its broader groups; ``labels`` maps any IRI of the
    ontology to its names by language.
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
    beneficiaries: dict[str, str] = field(default_factory=dict)
    beneficiary_broader: dict[str, frozenset[str]] = field(default_factory=dict)

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
    def query(self, sparql: str) -> Result: ...


def load_project_ontology(project: Project) -> Ontology:
    """kg's own ontology with the project's extension files (``ontology/*.ttl``) merged in.

    >>> from kg.project import Project
    >>> load_project_ontology(Project.default()).kind_of("Foundation")
    'Organization'
    """
    return load_ontology(project.ontology_file, extensions=project.ontology_extensions(), display=project.relative)


def load_ontology(path: Path, *, extensions: Sequence[Path] = (),
                  display: Callable[[Path], str] = str) -> Ontology:
    """Parse the ontology file (Turtle), merge ``extensions``, and index what the data may use.

    An extension may add classes (under one of kg's kinds), roles (``role:`` terms typed
    ``kg:Role``) and themes (``theme:`` terms typed ``kg:Theme``); it may not say anything about
    a term of ``path``. Raises :class:`UserError` with every problem as ``file:line: message``;
    ``display`` names a file in messages.
    """
    if not extensions:  # the usual case: kg.ttl alone, whose reading a process keeps
        return replace(_indexed(path.read_bytes()), path=path)
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    triples += _extension_triples(triples, extensions, display)
    return ontology_from_triples(((t.subject, t.predicate, t.object) for t in triples), path=path)


@lru_cache(maxsize=4)
def _indexed(turtle: bytes) -> Ontology:
    """An ontology file's text parsed and indexed, once per process and text: every build and
    every curated-file check reads kg.ttl (11 ms each), and a process may do either many times
    (the tests, a notebook). An :class:`Ontology` is never changed once made, so one is shared."""
    return ontology_from_triples((t.subject, t.predicate, t.object)
                                 for t in ox.parse(turtle, format=ox.RdfFormat.TURTLE))


def read_ontology(store: _Queryable) -> Ontology:
    """The ontology a dataset carries in its ``graph:ontology`` (any store: embedded or remote)."""
    rows = store.query(ONTOLOGY_TRIPLES).rows
    triples = [(s, p, o) for s, p, o in rows if s is not None and p is not None and o is not None]  # all bound
    return ontology_from_triples(sorted(triples, key=str))


def ontology_from_triples(triples: Iterable[tuple[Term, Term, Term]], *,
                          path: Path | None = None) -> Ontology:
    """Index an ontology given as (subject, predicate, object) terms."""
    kg_ns, role_ns, theme_ns, group_ns = str(KG), str(ROLE), str(THEME), str(BENEFICIARY)
    parents: dict[str, set[str]] = {}
    roles: dict[str, str] = {}
    themes: dict[str, str] = {}
    broader: dict[str, set[str]] = {}
    groups: dict[str, str] = {}
    group_broader: dict[str, set[str]] = {}
    labels: dict[str, dict[str, str]] = {}
    order: dict[str, int] = {}
    supers: dict[str, set[str]] = {}
    kept: list[tuple[Term, Term, Term]] = []
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
        elif p == RDF.type and o.value == KG.BeneficiaryGroup and s.value.startswith(group_ns):
            groups.setdefault(s.value[len(group_ns):], "")
        elif p == SKOS.broader and s.value.startswith(group_ns) and o.value.startswith(group_ns):
            group_broader.setdefault(s.value[len(group_ns):], set()).add(o.value[len(group_ns):])
        elif p == KG.kindOrder and s.value.startswith(kg_ns) and isinstance(o, ox.Literal):
            order[s.value[len(kg_ns):]] = int(o.value)
        if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, ox.Literal) and o.language:
            labels.setdefault(s.value, {})[o.language] = o.value
    for table, ns in ((roles, role_ns), (themes, theme_ns), (groups, group_ns)):
        for name in table:
            table[name] = labels.get(ns + name, {}).get("en", name)
    broader = {r: b for r, b in broader.items() if r in roles}
    group_broader = {g: group_broader.get(g, set()) for g in groups}
    quads = tuple(ox.Quad(s, p, o) for s, p, o in kept  # RDF has no literal subject nor predicate
                  if not isinstance(s, ox.Literal) and isinstance(p, ox.NamedNode))
    return Ontology(path, quads, _frozen(parents), roles, themes, labels, _frozen(broader), order,
                    _frozen(supers), groups, _frozen(group_broader))


def _frozen(table: Mapping[str, set[str]]) -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in table.items()}


def _extension_triples(base: list[ox.Triple], extensions: Sequence[Path],
                       name: Callable[[Path], str]) -> list[ox.Triple]:
    """The triples of the extension files, checked against the base ontology's terms."""
    own = {t.subject.value for t in base if isinstance(t.subject, ox.NamedNode)}
    out: list[ox.Triple] = []
    problems: list[Problem] = []
    for path in extensions:
        file = name(path)
        text = path.read_text(encoding="utf-8")
        try:
            triples = list(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=KG.ontology))
        except SyntaxError as e:
            problems.append(Problem(file, e.lineno or 1, "not valid Turtle: " + str(e.msg or e)))
            continue
        reported: set[str] = set()
        for t in triples:
            s = t.subject
            if not isinstance(s, ox.NamedNode) or s.value in reported:
                continue
            problem = None
            typed = t.object.value if t.predicate.value == RDF.type and isinstance(t.object, ox.NamedNode) else ""
            if s.value in own:
                problem = (f"{_short(s.value)} is a term of kg's own ontology; an extension adds "
                           "new terms and cannot change or remove kg's")
            elif typed == KG.Role and not s.value.startswith(str(ROLE)):
                problem = f"the role {s.value} must be a role: term ({ROLE}...)"
            elif typed == KG.Theme and not s.value.startswith(str(THEME)):
                problem = f"the theme {s.value} must be a theme: term ({THEME}...)"
            elif typed == KG.BeneficiaryGroup and not s.value.startswith(str(BENEFICIARY)):
                problem = f"the beneficiary group {s.value} must be a beneficiary: term ({BENEFICIARY}...)"
            if problem:
                reported.add(s.value)
                problems.append(Problem(file, _line_of(text, s.value), problem))
        out += triples
    if problems:
        raise UserError(problems)
    def index(ts: list[ox.Triple]) -> Ontology:
        return ontology_from_triples((t.subject, t.predicate, t.object) for t in ts  # no RDF-star here
                                     if not isinstance(t.subject, ox.Triple) and not isinstance(t.object, ox.Triple))

    before, merged = index(base), index(base + out)
    for path in extensions:
        text = path.read_text(encoding="utf-8")
        for cls in sorted(merged.classes - before.classes):
            iri = str(KG) + cls
            if _line_of(text, iri, default=0) and merged.kind_of(cls) is None:
                problems.append(Problem(name(path), _line_of(text, iri),
                                        f"the class kg:{cls} is under none of kg's kinds; say "
                                        f"rdfs:subClassOf one of: {', '.join('kg:' + k for k in before.kinds)}"))
    if problems:
        raise UserError(problems)
    return out


_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I | re.M)


def _short(iri: str) -> str:
    for prefix, ns in (("kg", str(KG)), ("role", str(ROLE)), ("theme", str(THEME)),
                       ("beneficiary", str(BENEFICIARY))):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def _line_of(text: str, iri: str, *, default: int = 1) -> int:
    """The first line where ``iri`` is written as a subject (full or prefixed), else ``default``."""
    forms = [f"<{iri}>"]
    for prefix, ns in _PREFIX.findall(text):
        if iri.startswith(ns) and iri != ns:
            forms.append(f"{prefix}:{iri[len(ns):]}")
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if any(stripped.startswith(f) and stripped[len(f):len(f) + 1] in ("", " ", "\t", ";", ",", ".")
               for f in forms):
            return n
    return default
