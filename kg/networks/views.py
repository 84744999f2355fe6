"""Dataset -> networkx views of who works with whom, with filters and metrics (no HTML).

Three views, in the registry :data:`VIEWS` (the CLI turns it into ``click.Choice``):

* ``participation``: actors and the initiatives and events they take part in; one edge per
  actor and activity, carrying the roles the actor plays there.
* ``coparticipation``: organization to organization, weighted by the initiatives and events
  they share; each edge lists which (``via``).
* ``ego``: the participation view around one entity, to a chosen depth.

Every view takes the same :class:`Filters` (entity type, role, source, region, beneficiary
group served, year range, minimum edge weight) and gets the same metrics (:func:`add_metrics`). The graphs follow the
contract of :mod:`kg.page.render`: node attributes ``labels``, ``aliases``, ``kind``, ``types``,
``dates`` and the metrics (and ``side`` and ``actor``, for the metrics here); edge attributes
``roles``, ``weight``, ``via``, ``sources``, ``dates`` and, on a funder's edge, ``amounts``.
Nodes and edges are inserted in sorted order, so the same data always gives the same graph,
metrics and exports.

>>> from kg.project import Project
>>> from kg.graph import open_store
>>> data = load(open_store(Project.default()))
>>> g = network(data, "coparticipation")
>>> g.edges["china-society-of-education-development-strategy", "tencent-education"]["via"]
['光合计划']
>>> g = network(data, "participation", Filters(roles=("funder",)))
>>> g.has_edge("tencent-charity-foundation", "iioe"), {r for *_, roles in g.edges(data="roles") for r in roles}
(True, {'funder'})
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import progress
from kg.errors import Problem, UserError
from kg.model.hierarchy import closure
from kg.model.labels import choose_label
from kg.model.money import amount_text
from kg.model.ontology import read_ontology
from kg.model.vocab import BENEFICIARY, ID, KG, ROLE, SRC
from kg.store.base import Store, Term

# The node kinds of the render contract are the ontology's kinds (kg.model.ontology), read
# from the dataset; an entity of none is of kind "Other".
if TYPE_CHECKING:  # imported where graphs are made: the registry below is read by `kg viz --help`
    import networkx as nx

#: Above this many nodes betweenness is estimated from a seeded sample of pivots.
EXACT_BETWEENNESS_MAX = 2000
#: Above this many nodes a page's betweenness is estimated, from this many pivots (the page is
#: then ready in seconds: exact betweenness took 80% of ``kg viz`` at 1,466 nodes).
PAGE_EXACT_BETWEENNESS_MAX = 500
PAGE_BETWEENNESS_SAMPLE = 100
#: Above this many nodes Louvain runs without the leaves (nodes of degree 1 whose neighbour has
#: others), each of which then joins its neighbour's community: at 15,000 nodes, 6,000 of them
#: leaves, 2.0 s of CPU instead of 2.9 s, modularity 0.643 instead of 0.648.
COMMUNITY_LEAVES_MIN = 2000
#: Pivots sampled for betweenness on big graphs, and the seed of every random choice.
BETWEENNESS_SAMPLE = 200
SEED = 42
#: The language tag (lower case) of the pinyin the build writes beside Chinese names.
PINYIN = "zh-latn-pinyin"

# --------------------------------------------------------------------------- reading the dataset

_PARTICIPATIONS = """
SELECT ?p ?agent ?role ?activity ?src ?loc WHERE {
  GRAPH ?fact { ?p prov:agent ?agent ; prov:hadRole ?role ; kg:activity ?activity . }
  ?fact prov:wasDerivedFrom ?src ; kg:locator ?loc .
}
"""
_AMOUNTS = """
SELECT ?p ?a ?value ?currency ?kind ?qualifier ?form WHERE {
  ?p schema:amount ?a . ?a schema:value ?value ; schema:currency ?currency ; kg:amountKind ?kind .
  OPTIONAL { ?a kg:qualifier ?qualifier } OPTIONAL { ?a kg:amountForm ?form }
}
"""
_TYPES = "SELECT ?x ?t WHERE { ?x a ?t . FILTER (STRSTARTS(STR(?x), STR(kgid:))) }"
_AUDIENCES = "SELECT ?x ?group WHERE { ?x schema:audience ?group }"
_NAMES = """
SELECT ?x ?p ?l WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel }
  ?x ?p ?l . FILTER (STRSTARTS(STR(?x), STR(kgid:)))
}
"""
_DATES = """
SELECT ?x ?p ?d WHERE { VALUES ?p { schema:startDate schema:endDate } ?x ?p ?d . }
"""
_PLACES = """
SELECT ?x ?p ?place WHERE {
  VALUES ?p { schema:location schema:areaServed schema:containedInPlace }
  ?x ?p ?place .
}
"""
_SOURCES = "SELECT ?s WHERE { ?s a kg:Source }"
_ROLLS_UP = "SELECT ?x ?root WHERE { ?x kg:rollsUpTo ?root }"
_SOURCE_INFO = """
SELECT ?s ?p ?v WHERE {
  VALUES ?p { dcterms:title dcterms:creator dcterms:publisher dcterms:date schema:url }
  ?s a kg:Source ; ?p ?v .
}
"""
_VOCAB_LABELS = """
SELECT ?x ?l WHERE {
  GRAPH graph:ontology { VALUES ?p { rdfs:label skos:prefLabel } ?x ?p ?l . }
  FILTER (isIRI(?x))
}
"""


@dataclass(frozen=True)
class Entity:
    """One entity as the networks see it.

    ``types`` are its own classes, ``classes`` those and every class above them.
    """

    id: str
    labels: dict[str, str]
    aliases: tuple[str, ...]
    types: tuple[str, ...]
    classes: frozenset[str]
    kind: str
    dates: str = ""
    year: int | None = None
    actor: bool = False  # of a kind that plays roles (the ontology's actor kinds)

    def label(self, lang: str = "en") -> str:
        """The name in ``lang``, else the fallback of :func:`kg.model.labels.choose_label`, else the id."""
        return choose_label(self.labels, lang, self.id)


@dataclass(frozen=True)
class Participation:
    """One actor playing one role in one activity, with every citation that states it."""

    id: str
    agent: str
    role: str
    activity: str
    citations: tuple[str, ...]  # "source:locator", sorted
    year: int | None = None
    member: str | None = None  # rolled up: the organization that takes part, counted as ``agent``
    amounts: tuple[str, ...] = ()  # the amounts of money given in it, in words (a funder's)


@dataclass
class NetworkData:
    """What the views are built from: entities, participations and the vocabularies to filter by."""

    entities: dict[str, Entity]
    participations: list[Participation]
    roles: dict[str, frozenset[str]]  # role -> the role and every broader role
    sources: list[str]
    places: dict[str, frozenset[str]] = field(default_factory=dict)  # entity -> regions it lies in
    classes: frozenset[str] = frozenset()  # the classes a type filter may name
    source_info: dict[str, dict] = field(default_factory=dict)  # source -> title, publisher, date, url
    vocab: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # "classes"/"roles" -> labels
    roll_up: dict[str, str] = field(default_factory=dict)  # organization -> the one it rolls up to (kg:rollsUpTo)
    audiences: dict[str, frozenset[str]] = field(default_factory=dict)  # entity -> groups it serves, and broader
    groups: tuple[str, ...] = ()  # the beneficiary groups a serves filter may name

    @property
    def regions(self) -> list[str]:
        """The ids of every region, sorted."""
        return sorted(e.id for e in self.entities.values() if e.kind == "Region")


def _local(term: Term, prefix: str) -> str:
    value = term.value
    return value[len(prefix):] if value.startswith(prefix) else value


def _year(literal: Term) -> int | None:
    """The year of an xsd:date, xsd:gYear or xsd:gYearMonth literal; None for xsd:gMonthDay."""
    if not isinstance(literal, ox.Literal) or literal.value.startswith("--"):
        return None
    head = literal.value.split("-")[0]
    return int(head) if head.isdigit() else None


def citation_key(citation: str) -> tuple:
    """Sort key for ``source:locator`` citations with paragraphs in number order.

    >>> sorted(["s:p11", "s:p5", "s:p4-6"], key=citation_key)
    ['s:p4-6', 's:p5', 's:p11']
    """
    return tuple(int(x) if x.isdigit() else x for x in _NUMBERS.split(citation))


_NUMBERS = re.compile(r"(\d+)")


def sorted_citations(citations: Iterable[str]) -> list[str]:
    """Citations sorted by :func:`citation_key` (most edges cite one: no key is made then).

    >>> sorted_citations({"s:p11", "s:p5"}), sorted_citations(["s:p2"])
    (['s:p5', 's:p11'], ['s:p2'])
    """
    found = list(citations)
    return sorted(found, key=citation_key) if len(found) > 1 else found


def _rows(store: Store, sparql: str) -> list[tuple]:
    return store.query(sparql).rows


@progress.work()
def load(store: Store) -> NetworkData:
    """Read entities, participations (with their citations), places, classes, roles and sources.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> data = load(open_store(Project.default()))
    >>> data.entities["tencent-education"].labels["zh"], "Organization" in data.roles["lead"]
    ('腾讯教育', False)
    """
    progress.stage("reading the network")
    ids, kg_ns = str(ID), str(KG)
    onto = read_ontology(store)
    roles = {r: closure(onto.broader, r) for r in onto.broader}

    # The loops over tens of thousands of rows cut the prefixes inline (as _local does): at
    # 1M triples a call per cell was a fifth of the Python time of reading the network.
    n_ids, n_kg = len(ids), len(kg_ns)
    types: dict[str, set[str]] = defaultdict(set)
    for x, t in _rows(store, _TYPES):
        if (tv := t.value).startswith(kg_ns):
            xv = x.value
            types[xv[n_ids:] if xv.startswith(ids) else xv].add(tv[n_kg:])
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    others: dict[str, set[str]] = defaultdict(set)
    pinyins: dict[str, set[str]] = defaultdict(set)
    chinese: dict[str, set[str]] = defaultdict(set)
    for x, p, lit in _rows(store, _NAMES):
        xv, lang = x.value, (lit.language or "").lower()
        key = xv[n_ids:] if xv.startswith(ids) else xv
        if lang == "zh":
            chinese[key].add(lit.value)
        if p.value.endswith("prefLabel") and lang in ("en", "zh"):
            labels[key][lang] = lit.value
        else:
            others[key].add(lit.value)
            if lang == PINYIN:
                pinyins[key].add(lit.value)
    # A name given only in Chinese gets its pinyin (as the build wrote it) for other readers:
    # the one pinyin of an entity with one Chinese name, else the one that reads its name
    # (reading it costs pypinyin's import, a third of a second, so only when needed).
    for key, names in labels.items():
        if "zh" in names and "en" not in names and len(chinese[key]) == 1 and len(pinyins.get(key, ())) == 1:
            names[PINYIN] = next(iter(pinyins[key]))
        elif "zh" in names and "en" not in names and pinyins.get(key):
            from kg.model.readings import reading

            for romanized in (reading(names["zh"], person=False), reading(names["zh"], person=True)):
                if romanized in pinyins[key]:
                    names[PINYIN] = romanized
                    break
    starts: dict[str, list[ox.Literal]] = defaultdict(list)
    ends: dict[str, list[ox.Literal]] = defaultdict(list)
    for x, p, d in _rows(store, _DATES):
        if isinstance(d, ox.Literal) and not d.value.startswith("--"):
            (starts if p.value.endswith("startDate") else ends)[_local(x, ids)].append(d)

    own_years: dict[str, int] = {}  # the earliest year of each thing's start dates
    for key, lits in starts.items():
        years = [y for y in map(_year, lits) if y is not None]
        if years:
            own_years[key] = min(years)

    def latest(lits: list[ox.Literal] | None) -> str:  # the most precise, then the latest
        return max(lits, key=lambda d: (len(d.value), d.value)).value if lits else ""

    entities: dict[str, Entity] = {}
    kinds: dict[tuple[str, ...], tuple[frozenset[str], str]] = {}  # own types -> classes, kind (once each)
    for key in sorted(types):
        own = tuple(sorted(types[key]))
        if own not in kinds:
            above = frozenset().union(*(onto.ancestors(t) for t in own))
            kinds[own] = above, onto.first_kind(above) or "Other"
        classes, kind = kinds[own]
        dates = latest(starts.get(key))
        end = latest(ends.get(key))
        if end and end != dates:
            dates = f"{dates}/{end}"
        given = labels.get(key)
        other = others.get(key)
        aliases = tuple(sorted(other - {given.get("en"), given.get("zh")} if given else other)) if other else ()
        entities[key] = Entity(key, dict(sorted(given.items())) if given else {}, aliases, own,
                               classes, kind, dates, own_years.get(key), kind in onto.actor_kinds)

    places = _places(store, entities)

    cites: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    roles_ns, src_ns = str(ROLE), str(SRC)
    for p, agent, role, activity, src, loc in _rows(store, _PARTICIPATIONS):
        fact = (_local(p, ids), _local(agent, ids), _local(role, roles_ns), _local(activity, ids))
        cites[fact].add(f"{_local(src, src_ns)}:{loc.value}")
    amounts = _amounts(store)
    participations = []
    for (pid, agent, role, activity), c in sorted(cites.items()):
        act = entities.get(activity)
        year = own_years.get(pid, act.year if act else None)
        participations.append(Participation(pid, agent, role, activity, tuple(sorted_citations(c)), year,
                                            amounts=amounts.get(pid, ())))
    sources = sorted(_local(s, str(SRC)) for (s,) in _rows(store, _SOURCES))
    # The classes a --type may name: those of entities (not facts, sources, roles or figures).
    classes = frozenset(c for c in onto.classes if onto.kind_of(c))
    roll_up = {_local(x, ids): _local(root, ids) for x, root in _rows(store, _ROLLS_UP)}
    served: dict[str, set[str]] = defaultdict(set)
    for x, group in _rows(store, _AUDIENCES):
        served[_local(x, ids)] |= closure(onto.beneficiary_broader, _local(group, str(BENEFICIARY)))
    return NetworkData(entities, participations, roles, sources, places, classes,
                       _source_info(store), _vocab(store, set(onto.classes), set(roles)),
                       roll_up={x: r for x, r in sorted(roll_up.items()) if x in entities and r in entities},
                       audiences={k: frozenset(v) for k, v in sorted(served.items())},
                       groups=tuple(sorted(onto.beneficiaries)))


def _amounts(store: Store) -> dict[str, tuple[str, ...]]:
    """The amounts of money on each participation (a funder's), in words, sorted."""
    found: dict[str, dict[str, tuple[list[str], list[str]]]] = defaultdict(dict)
    kg_ns = str(KG)
    for p, a, value, currency, kind, qualifier, form in _rows(store, _AMOUNTS):
        words = [value.value, currency.value, _local(kind, kg_ns), qualifier.value if qualifier is not None else ""]
        _, forms = found[_local(p, str(ID))].setdefault(a.value, (words, []))
        if form is not None:
            forms.append(_local(form, kg_ns))
    return {p: tuple(sorted(amount_text(v, c, kind=k, qualifier=q, forms=sorted(set(f)))
                            for (v, c, k, q), f in by_amount.values()))
            for p, by_amount in found.items()}


def _source_info(store: Store) -> dict[str, dict]:
    """What each source is, for citations: ``title`` (language -> text), ``creator``,
    ``publisher``, ``date`` and ``url`` where the curated data gives them."""
    out: dict[str, dict] = defaultdict(dict)
    for s, p, v in _rows(store, _SOURCE_INFO):
        key, name = _local(s, str(SRC)), p.value.rsplit("/", 1)[-1]
        if name == "title":
            out[key].setdefault("title", {})[(v.language or "").lower()] = v.value
        else:
            out[key][name] = v.value
    return {k: dict(sorted(out[k].items())) for k in sorted(out)}


def _vocab(store: Store, classes: set[str], roles: set[str]) -> dict[str, dict[str, dict[str, str]]]:
    """The ontology's names for its classes and roles, by language."""
    out: dict[str, dict[str, dict[str, str]]] = {"classes": {}, "roles": {}}
    for x, lit in _rows(store, _VOCAB_LABELS):
        lang = (lit.language or "").lower()
        if not isinstance(lit, ox.Literal) or not lang:
            continue
        for group, ns, names in (("classes", str(KG), classes), ("roles", str(ROLE), roles)):
            if x.value.startswith(ns) and _local(x, ns) in names:
                out[group].setdefault(_local(x, ns), {})[lang] = lit.value
    return {g: {k: dict(sorted(v.items())) for k, v in sorted(d.items())} for g, d in out.items()}


def _places(store: Store, entities: dict[str, Entity]) -> dict[str, frozenset[str]]:
    """For each entity, every region it lies in: its location or area served, the places those
    lie in (a venue's location, a district's city, ...), and so on up."""
    ids = str(ID)
    up: dict[str, set[str]] = defaultdict(set)
    for x, _p, place in _rows(store, _PLACES):
        if isinstance(place, ox.NamedNode):
            up[_local(x, ids)].add(_local(place, ids))
    def region(x: str) -> bool:
        return x in entities and entities[x].kind == "Region"

    above: dict[str, frozenset[str]] = {}  # a place -> the regions in its closure, once per place
    out: dict[str, frozenset[str]] = {}
    nowhere: frozenset[str] = frozenset()
    for key, e in entities.items():
        if key not in up:  # most entities (participations, people) are placed nowhere
            out[key] = frozenset({key}) if e.kind == "Region" else nowhere
            continue
        found = {key} if e.kind == "Region" else set()
        for place in up[key]:
            if place not in above:
                above[place] = frozenset(p for p in closure(up, place) if region(p))
            found |= above[place]
        out[key] = frozenset(found)
    return out


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """What to keep. Empty means everything; values within one option are alternatives.

    * ``types``: keep a participation when its actor or its activity is of one of these
      classes or a subclass (``Foundation``, ``Organization``, ``Summit``, ``Event``).
    * ``roles``: roles or any narrower role (``attendee`` keeps speakers).
    * ``sources``: keep what these sources state; edges cite only these sources.
    * ``regions``: keep participations whose activity is located in, or serves, the region
      or one of its sub-regions, or whose actor is located there.
    * ``serves``: beneficiary groups: keep participations whose activity (or actor) serves the
      group or a narrower one (``rural-students`` keeps what serves left-behind children).
    * ``since`` / ``until``: the participation's year (its own start date, else its
      activity's), inclusive; a participation with no known year is left out.
    * ``min_weight``: drop lighter edges (then nodes left without edges).
    * ``roll_up``: count each organizational unit, sub-organization, affiliated organization
      and affiliated foundation with the organization it rolls up to (``kg:rollsUpTo``, the
      rule of :mod:`kg.model.rollup`); the other filters apply to the actors before they are
      rolled up, a rolled node lists its ``members``, and the ego view of a rolled organization
      centres on the organization it rolls up to.

    >>> Filters(roles=("funder",), since=2019).describe()
    'role=funder; since=2019'
    >>> Filters(roll_up=True).describe()
    'roll-up'
    """

    types: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    serves: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None
    min_weight: float = 0.0
    roll_up: bool = False

    def describe(self) -> str:
        """The active filters, for titles and export metadata."""
        parts = [f"{name}={','.join(vals)}" for name, vals in
                 (("type", self.types), ("role", self.roles), ("source", self.sources),
                  ("region", self.regions), ("serves", self.serves)) if vals]
        parts += [f"{name}={val}" for name, val in
                  (("since", self.since), ("until", self.until)) if val is not None]
        if self.min_weight:
            parts.append(f"min_weight={self.min_weight:g}")
        if self.roll_up:
            parts.append("roll-up")
        return "; ".join(parts)

    def check(self, data: NetworkData) -> None:
        """Raise :class:`UserError` for any value the data does not know, listing the valid ones."""
        problems = []
        for what, values, valid in (("type", self.types, sorted(data.classes)),
                                    ("role", self.roles, sorted(data.roles)),
                                    ("source", self.sources, data.sources),
                                    ("region", self.regions, data.regions),
                                    ("beneficiary group", self.serves, list(data.groups))):
            for v in values:
                if v not in valid:
                    problems.append(f"unknown {what} {v!r}; one of: {', '.join(valid)}")
        if self.since is not None and self.until is not None and self.since > self.until:
            problems.append(f"the year range is empty: since {self.since} > until {self.until}")
        if problems:
            raise UserError(Problem("kg", 0, message) for message in problems)

    def select(self, data: NetworkData) -> list[Participation]:
        """The participations these filters keep (with citations narrowed to ``sources``)."""
        self.check(data)
        out = []
        for p in data.participations:
            agent, act = data.entities.get(p.agent), data.entities.get(p.activity)
            if agent is None or act is None:
                continue
            if self.types and not (set(self.types) & (agent.classes | act.classes)):
                continue
            if self.roles and not (set(self.roles) & data.roles.get(p.role, {p.role})):
                continue
            if self.regions:
                where = data.places.get(p.agent, frozenset()) | data.places.get(p.activity, frozenset())
                if not set(self.regions) & where:
                    continue
            if self.serves:
                served = data.audiences.get(p.activity, frozenset()) | data.audiences.get(p.agent, frozenset())
                if not set(self.serves) & served:
                    continue
            if (self.since is not None or self.until is not None) and (
                    p.year is None or (self.since is not None and p.year < self.since)
                    or (self.until is not None and p.year > self.until)):
                continue
            cites = p.citations
            if self.sources:
                cites = tuple(c for c in cites if c.split(":", 1)[0] in self.sources)
                if not cites:
                    continue
            root = data.roll_up.get(p.agent) if self.roll_up else None
            if root is not None:
                out.append(replace(p, agent=root, citations=cites, member=p.agent))
            else:
                out.append(replace(p, citations=cites))
        return out


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class ViewOptions:
    """What a view needs besides the participations: the label language and, for ego, the centre."""

    lang: str = "en"
    entity: str | None = None
    depth: int = 2
    min_weight: float = 0.0


def _add_node(g: nx.Graph, e: Entity, side: str) -> None:
    attrs: dict = {"labels": dict(e.labels), "aliases": list(e.aliases), "kind": e.kind,
                   "types": list(e.types), "side": side, "actor": e.actor}
    if e.dates:
        attrs["dates"] = e.dates
    g.add_node(e.id, **attrs)


def _years(years: Iterable[int | None]) -> str:
    known = sorted({y for y in years if y is not None})
    return ", ".join(map(str, known))


def participation_graph(data: NetworkData, parts: list[Participation], opts: ViewOptions) -> nx.Graph:
    """Actors and the activities they take part in; an edge holds every role the actor plays.

    Edge ``weight`` is the number of distinct roles; ``sources`` every citation.
    """
    import networkx as nx

    edges: dict[tuple[str, str], list[Participation]] = defaultdict(list)
    for p in parts:
        edges[p.agent, p.activity].append(p)
    agents = {a for a, _ in edges}
    activities = {b for _, b in edges}
    g: nx.Graph[str] = nx.Graph(view="participation")
    for node in sorted(agents | activities):
        side = "both" if node in agents and node in activities else (
            "actor" if node in agents else "activity")
        _add_node(g, data.entities[node], side)
    for (a, b), ps in sorted(edges.items()):
        roles = sorted({p.role for p in ps})
        attrs: dict = {"roles": roles, "weight": len(roles),
                       "sources": sorted_citations({c for p in ps for c in p.citations})}
        if amounts := sorted({a for p in ps for a in p.amounts}):
            attrs["amounts"] = amounts
        if dates := _years(p.year for p in ps):
            attrs["dates"] = dates
        g.add_edge(a, b, **attrs)
    return g


def coparticipation_graph(data: NetworkData, parts: list[Participation], opts: ViewOptions) -> nx.Graph:
    """Organizations linked by the initiatives and events they share.

    Edge ``weight`` is the number of shared activities, ``via`` their labels in
    ``opts.lang`` (``via_ids`` their ids), ``roles`` every role either plays in them.
    """
    import networkx as nx

    by_activity: dict[str, dict[str, list[Participation]]] = defaultdict(lambda: defaultdict(list))
    for p in parts:
        if data.entities[p.agent].kind == "Organization":
            by_activity[p.activity][p.agent].append(p)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for act in sorted(by_activity):
        for a, b in itertools.combinations(sorted(by_activity[act]), 2):
            shared[a, b].append(act)
    g: nx.Graph[str] = nx.Graph(view="coparticipation")
    for node in sorted({n for pair in shared for n in pair}):
        _add_node(g, data.entities[node], "actor")
    for (a, b), acts in sorted(shared.items()):
        ps = [p for act in acts for who in (a, b) for p in by_activity[act][who]]
        via = sorted(acts, key=lambda x: (data.entities[x].label(opts.lang), x))
        attrs: dict = {"roles": sorted({p.role for p in ps}), "weight": len(acts),
                       "via": [data.entities[x].label(opts.lang) for x in via], "via_ids": via,
                       "sources": sorted_citations({c for p in ps for c in p.citations})}
        if dates := _years(data.entities[x].year for x in acts):
            attrs["dates"] = dates
        g.add_edge(a, b, **attrs)
    return g


def ego_graph(data: NetworkData, parts: list[Participation], opts: ViewOptions) -> nx.Graph:
    """The participation view within ``opts.depth`` steps of ``opts.entity``.

    Depth 1 is the entity and its activities (or, for an activity, its actors); depth 2
    adds the others taking part in them.
    """
    import networkx as nx

    if not opts.entity:
        raise UserError("the ego view needs an entity (--entity ID)")
    if opts.entity not in data.entities:
        close = difflib.get_close_matches(opts.entity, sorted(data.entities), n=5)
        hint = f"; did you mean: {', '.join(close)}" if close else ""
        raise UserError(f"unknown entity {opts.entity!r}{hint}")
    if opts.depth < 1:
        raise UserError(f"the depth must be 1 or more, not {opts.depth}")
    g = prune(participation_graph(data, parts, opts), opts.min_weight)
    if opts.entity not in g:
        raise UserError(f"{opts.entity!r} takes part in nothing that the filters keep")
    # Copied node by node in id order: a subgraph view of fewer than half the nodes iterates
    # them in set order, which changes with the hash seed (and Louvain's communities with it).
    keep = sorted(nx.ego_graph(g, opts.entity, radius=opts.depth))
    kept = set(keep)
    ego: nx.Graph[str] = nx.Graph()
    ego.graph.update(g.graph)
    ego.add_nodes_from((n, g.nodes[n]) for n in keep)
    ego.add_edges_from((u, v, d) for u, v, d in g.edges(keep, data=True) if u in kept and v in kept)
    ego.graph.update(view="ego", center=opts.entity, depth=opts.depth)
    return ego


@dataclass(frozen=True)
class View:
    """A named network view: what it shows and the function that builds it."""

    name: str
    summary: str
    build: Callable[[NetworkData, list[Participation], ViewOptions], nx.Graph]
    titles: dict[str, str] = field(default_factory=dict)  # a page title per language

    def title(self, lang: str = "en") -> str:
        """The page title in ``lang`` (else as :func:`kg.model.labels.choose_label` falls back)."""
        return choose_label(self.titles, lang, self.name)


#: The views, by name (the CLI's ``--view`` choices).
VIEWS: dict[str, View] = {v.name: v for v in (
    View("participation", "actors and the initiatives and events they take part in, edges carry roles",
         participation_graph,
         {"en": "Actors and the initiatives and events they take part in",
          "zh": "参与者及其参与的项目和活动"}),
    View("coparticipation", "organizations linked by shared initiatives and events, weighted",
         coparticipation_graph,
         {"en": "Organizations linked by shared initiatives and events",
          "zh": "以共同项目和活动相连的组织"}),
    View("ego", "the participation view around one entity, to a chosen depth", ego_graph,
         {"en": "Ego network", "zh": "个体网络"}),
)}
#: The view ``kg viz`` draws when none is asked for.
DEFAULT_VIEW = "participation"


def page_title(g: nx.Graph, lang: str = "en") -> str:
    """A title for a view's page: the view's title, the ego centre and depth, the filters.

    >>> import networkx as nx
    >>> page_title(nx.Graph(view="ego", center="iioe", depth=1, filters="role=funder"))
    'Ego network: iioe (depth 1) (role=funder)'
    """
    view = g.graph.get("view", "")
    title = VIEWS[view].title(lang) if view in VIEWS else "Network"
    if g.graph.get("center"):
        title += f": {g.graph['center']} ({'深度' if lang == 'zh' else 'depth'} {g.graph['depth']})"
    if g.graph.get("filters"):
        title += f" ({g.graph['filters']})"
    return title


def prune(g: nx.Graph, min_weight: float) -> nx.Graph:
    """Drop edges lighter than ``min_weight``, then nodes left without edges (in place)."""
    if min_weight:
        g.remove_edges_from([(a, b) for a, b, w in g.edges(data="weight", default=1) if w < min_weight])
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    return g


def network(data: NetworkData, view: str = DEFAULT_VIEW, filters: Filters | None = None, *,
            entity: str | None = None, depth: int = 2, lang: str = "en",
            metrics: bool = True, for_page: bool = False) -> nx.Graph:
    """Build one view under ``filters``, with metrics on every node.

    ``for_page``: the view is for a page, whose betweenness is estimated sooner
    (:data:`PAGE_EXACT_BETWEENNESS_MAX`, :data:`PAGE_BETWEENNESS_SAMPLE`) so that it is
    ready in seconds; the page says when it is estimated.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> g = network(load(open_store(Project.default())), "ego", entity="iioe", depth=1)
    >>> {"iioe", "tencent-charity-foundation", "unesco-ichei"} <= set(g), "tang-daosheng" in g
    (True, False)
    """
    if view not in VIEWS:
        raise UserError(f"unknown view {view!r}; one of: {', '.join(VIEWS)}")
    if entity and view != "ego":
        raise UserError(f"an entity applies to the ego view only, not to {view!r}")
    filters = filters or Filters()
    if filters.roll_up and entity in data.roll_up:
        entity = data.roll_up[entity]  # rolled up, an organization's ego view is its parent's
    parts = filters.select(data)
    opts = ViewOptions(lang=lang, entity=entity, depth=depth, min_weight=filters.min_weight)
    g = prune(VIEWS[view].build(data, parts, opts), filters.min_weight)
    g.graph["filters"] = filters.describe()
    annotate(g, data)
    if filters.roll_up:
        add_members(g, data, parts)
    if metrics:
        if for_page:
            add_metrics(g, exact_max=PAGE_EXACT_BETWEENNESS_MAX, sample=PAGE_BETWEENNESS_SAMPLE)
        else:
            add_metrics(g)
    return g


def annotate(g: nx.Graph, data: NetworkData) -> nx.Graph:
    """Add what a reader of the view needs beside the graph itself (in place).

    Each node gets ``regions``: the regions it lies in or serves. The graph gets
    ``sources`` (what :func:`_source_info` knows of each source its edges cite),
    ``regions`` (the names of those regions) and ``vocab`` (the ontology's names of
    classes and roles), so a page can cite, filter and translate without the store.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> data = load(open_store(Project.default()))
    >>> g = network(data, "ego", entity="iioe", depth=1)
    >>> g.graph["sources"]["meet-2021"]["date"], g.graph["vocab"]["roles"]["funder"]["zh"]
    ('2021-04-20', '资助方')
    """
    cited = {c.split(":", 1)[0] for _u, _v, d in g.edges(data=True) for c in d.get("sources") or ()}
    regions: set[str] = set()
    for node in g:
        where = sorted(data.places.get(node, frozenset()) - {node})
        if where:
            g.nodes[node]["regions"] = where
            regions.update(where)
    g.graph["sources"] = {s: data.source_info.get(s, {}) for s in sorted(cited)}
    g.graph["regions"] = {r: dict(data.entities[r].labels) for r in sorted(regions) if r in data.entities}
    # every other name of those regions (Inner Mongolia, 内蒙, pinyin), so the page's search finds them
    g.graph["region_aliases"] = {r: list(data.entities[r].aliases) for r in sorted(regions)
                                 if r in data.entities and data.entities[r].aliases}
    g.graph["vocab"] = data.vocab
    g.graph["role_families"] = role_families(data.roles)
    return g


def add_members(g: nx.Graph, data: NetworkData, parts: Iterable[Participation]) -> nx.Graph:
    """Mark what a roll-up merged (in place), so that nothing is hidden: each rolled node gets
    ``members`` (the ids of the organizations counted with it, sorted) and the graph
    ``members`` (their names by language).

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> g = network(load(open_store(Project.default())), "participation", Filters(roll_up=True))
    >>> members = g.nodes["tencent"]["members"]
    >>> {"tencent-charity-foundation", "tencent-education"} <= set(members), members == sorted(members)
    (True, True)
    """
    merged: dict[str, set[str]] = defaultdict(set)
    for p in parts:
        if p.member is not None and p.agent in g:
            merged[p.agent].add(p.member)
    for node, ids in sorted(merged.items()):
        g.nodes[node]["members"] = sorted(ids)
    g.graph["members"] = {m: dict(data.entities[m].labels) for m in sorted(set().union(*merged.values()))}
    return g


def role_families(roles: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    """Each role family: a role with narrower roles, below the top role, and those roles.

    ``roles`` maps a role to itself and every broader role (as :attr:`NetworkData.roles`).

    >>> role_families({"participant": frozenset({"participant"}),
    ...                "supporter": frozenset({"supporter", "participant"}),
    ...                "funder": frozenset({"funder", "supporter", "participant"})})
    {'supporter': ['funder']}
    """
    out: dict[str, list[str]] = {}
    for role, ups in sorted(roles.items()):
        for family in sorted(ups - {role}):
            if roles.get(family, frozenset({family})) != {family}:  # the top role is no family
                out.setdefault(family, []).append(role)
    return dict(sorted(out.items()))


# --------------------------------------------------------------------------- metrics


def communities(g: nx.Graph, *, leaves_min: int = COMMUNITY_LEAVES_MIN) -> list[set[str]]:
    """Louvain's communities on the weights, seeded (:data:`SEED`).

    Above ``leaves_min`` nodes the leaves (degree 1, their neighbour having others) are left
    out of Louvain and each joins its neighbour's community, as Louvain itself nearly always
    puts them: the same picture for a third less time on a big participation view.

    >>> import networkx as nx
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("d", "e"), ("e", "f"), ("f", "d"), ("f", "x")])
    >>> sorted(sorted(c) for c in communities(g, leaves_min=0))
    [['a', 'b', 'c'], ['d', 'e', 'f', 'x']]
    """
    import networkx as nx

    if g.number_of_nodes() <= leaves_min:
        return list(nx.community.louvain_communities(g, weight="weight", seed=SEED))
    leaves = {n: next(iter(g[n])) for n in g if g.degree(n) == 1}
    leaves = {n: m for n, m in leaves.items() if g.degree(m) > 1}
    core: nx.Graph[str] = nx.Graph()  # copied in the graph's order, so Louvain's is the same in every process
    core.add_nodes_from(n for n in g if n not in leaves)
    core.add_edges_from((u, v, d) for u, v, d in g.edges(data=True) if u not in leaves and v not in leaves)
    found = nx.community.louvain_communities(core, weight="weight", seed=SEED)
    of = {n: i for i, c in enumerate(found) for n in c}
    for leaf, neighbour in leaves.items():
        found[of[neighbour]].add(leaf)
    return list(found)


def _numbered(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Number groups 0, 1, ... largest first, ties by their smallest id."""
    ordered = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    return {n: i for i, c in enumerate(ordered) for n in c}


@progress.work()
def add_metrics(g: nx.Graph, *, exact_max: int | None = None, sample: int | None = None) -> nx.Graph:
    """Set ``degree``, ``weighted_degree``, ``betweenness``, ``community`` and ``component``.

    Betweenness (:func:`kg.networks.betweenness.betweenness`, networkx's values computed in
    numpy) ignores weights (a weight is a strength, not a distance) and is exact up to
    ``exact_max`` nodes (None: :data:`EXACT_BETWEENNESS_MAX`), else estimated from ``sample``
    (None: :data:`BETWEENNESS_SAMPLE`) seeded pivots (``g.graph["betweenness_sample"]``, 0 when
    exact). Communities are Louvain's on the weights, seeded (:func:`communities`); both are
    numbered largest first.

    >>> import networkx as nx
    >>> g = add_metrics(nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 1})]))
    >>> g.nodes["b"]["degree"], g.nodes["b"]["weighted_degree"], g.nodes["b"]["betweenness"]
    (2, 3.0, 1.0)
    """
    import networkx as nx

    from kg.networks.betweenness import betweenness

    n = g.number_of_nodes()
    exact_max = EXACT_BETWEENNESS_MAX if exact_max is None else exact_max
    k = None if n <= exact_max else min(BETWEENNESS_SAMPLE if sample is None else sample, n)
    progress.stage(f"betweenness of {n} nodes")
    between = betweenness(g, k=k, seed=SEED if k else None) if n else {}
    progress.stage(f"communities of {n} nodes")
    groups = _numbered(communities(g)) if n else {}
    components = _numbered(nx.connected_components(g))
    for node in g:
        g.nodes[node].update(
            degree=g.degree(node),
            weighted_degree=round(float(g.degree(node, weight="weight")), 6),
            betweenness=round(float(between.get(node, 0.0)), 6),
            community=groups.get(node, 0),
            component=components.get(node, 0))
    g.graph["betweenness_sample"] = k or 0
    g.graph["communities"] = len(set(groups.values()))
    g.graph["components"] = len(set(components.values()))
    g.graph["largest_component"] = sum(1 for c in components.values() if c == 0)
    return g


@dataclass
class NetworkStats:
    """A summary of one view: sizes and the top actors by each metric."""

    view: str
    filters: str
    nodes: int
    edges: int
    components: int
    largest_component: int  # nodes in the largest connected component
    communities: int
    betweenness_sample: int
    top: dict[str, list[tuple[str, str, float]]]  # metric -> (id, label, value), best first
    community_members: list[tuple[int, int, list[str]]]  # (community, size, top labels)


def network_stats(g: nx.Graph, *, top: int = 10, lang: str = "en") -> NetworkStats:
    """Sizes and the top ``top`` actors by degree, weighted degree and betweenness.

    Actors are the nodes with ``actor`` set: those of the ontology's actor kinds
    (organizations and people), not the activities.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> s = network_stats(network(load(open_store(Project.default())), "coparticipation"), top=1)
    >>> s.view, len(s.top["degree"]), s.top["degree"][0][2] >= 1
    ('coparticipation', 1, True)
    """
    def name(node: str) -> str:
        return choose_label(g.nodes[node].get("labels") or {}, lang, node)

    actors = sorted(n for n in g if g.nodes[n].get("actor"))
    best: dict[str, list[tuple[str, str, float]]] = {}
    for metric in ("degree", "weighted_degree", "betweenness"):
        ranked = sorted(actors, key=lambda n: (-g.nodes[n][metric], n))[:top]
        best[metric] = [(n, name(n), g.nodes[n][metric]) for n in ranked]
    groups: dict[int, list[str]] = defaultdict(list)
    for node in g:
        groups[g.nodes[node]["community"]].append(node)
    members = []
    for c in sorted(groups)[:top]:
        ranked = sorted(groups[c], key=lambda n: (-g.nodes[n]["weighted_degree"], n))
        members.append((c, len(ranked), [name(n) for n in ranked[:5]]))
    return NetworkStats(g.graph.get("view", ""), g.graph.get("filters", ""),
                        g.number_of_nodes(), g.number_of_edges(), g.graph.get("components", 0),
                        g.graph.get("largest_component", 0), g.graph.get("communities", 0),
                        g.graph.get("betweenness_sample", 0),
                        best, members)
