"""Summaries the build derives from the fact graphs, so that whole-graph questions stay fast.

A few questions pair things up across the whole graph: organizations by the initiatives they
share, a broker's activities by whether anyone else links them, statements by the sources that
make them. In SPARQL each costs the square of a hub's degree (seconds to minutes at a million
triples, mostly in grouping); in Python, with dictionaries, it takes well under a second. So the
build computes them once into one named graph, ``graph:derived``, which the provenance graph
types ``kg:DerivedGraph`` (as Wikidata's query service precomputes ``wikibase:statements`` and
``wikibase:sitelinks``). Nothing here is new knowledge: every derived statement follows from
curated facts by the rule stated on its property in the ontology, and points back to what it
summarizes (the sources, the shared initiatives, the fact graphs).

- ``?entity kg:mentionedIn ?source``: a source document (not the curators or the gazetteer)
  with a fact graph that names the entity as subject or object;
- ``?source kg:namesPlaceIn ?region``: a source document whose fact graphs name the region, or a
  region or venue inside it (``schema:containedInPlace``, and ``schema:location`` from a venue,
  at any depth): a document naming Changping District names a place in Beijing and in China;
- ``kg:Collaboration``: two organizations that take part in two or more of the same initiatives,
  directly or through a person holding a post there (``kg:partner`` both,
  ``kg:sharedInitiative`` each, ``kg:initiativeCount``);
- brokerage, for each actor that alone links two of its activities (initiatives or events with
  no other participant in common, and someone else in at least one of them):
  ``kg:activityCount``, ``kg:bridgeCount`` (such pairs) and ``kg:bridgeReach`` (the other actors
  in those activities);
- ``?organization kg:rollsUpTo ?parent``: the top organization it is counted with when
  organizations are rolled up (the rule of :mod:`kg.model.rollup`); and the collaborations and
  brokerage again with every organization rolled up, marked ``kg:rolledUp true`` (rolled
  brokerage on a ``kg:Brokerage`` node with ``kg:broker``, since the broker's own counts are
  on the broker);
- ``kg:CorroboratedStatement``: a triple (``rdf:subject``, ``rdf:predicate``, ``rdf:object``)
  that two or more source documents state, names and types left out, with ``kg:statedIn`` each
  fact graph that states it and ``kg:sourceCount``.

>>> from kg.project import Project
>>> from kg.curation.reader import load_curation
>>> from kg.build.triples import dataset_quads
>>> from kg.model.vocab import ID
>>> quads = dataset_quads(load_curation(Project.default())[0])
>>> derived = [q for q in quads if q.graph_name == ox.NamedNode(GRAPH.derived)]
>>> tencent = ox.NamedNode(ID["tencent"])
>>> sorted(q.object.value.rsplit("/", 1)[1] for q in derived
...        if q.subject == tencent and q.predicate.value == KG.mentionedIn)
['guanghe-2019', 'meet-2021']
>>> sorted(q.object.value.rsplit("/", 1)[1] for q in derived
...        if q.subject.value.endswith("/meet-2021") and q.predicate.value == KG.namesPlaceIn)
['CN', 'CN-BJ']
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.build.gc_pause import paused_gc
from kg.model.hierarchy import closure, inverse
from kg.model.relations import RELATIONS
from kg.model.rollup import ROLL_UP, Link, parents, roots
from kg.model.vocab import DERIVED, GRAPH, KG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD

N = ox.NamedNode
_Graph = ox.NamedNode | ox.BlankNode | ox.DefaultGraph  # a quad's graph name
_Subject = ox.NamedNode | ox.BlankNode | ox.Triple  # a quad's subject (a triple only in RDF-star)
_Object = _Subject | ox.Literal

# sources whose "facts" are reference data, not documents about the field
NOT_DOCUMENTS = frozenset({"curation", "gazetteer"})
# predicates every mention repeats: left out of corroboration
_NAMING = frozenset({SKOS.prefLabel, SKOS.altLabel, RDF.type})
# the properties roll-up follows (between two organizations), by their relation key
_ROLL_UP = {RELATIONS[key].property_for({"Organization"}, {"Organization"}): key for key, _ in ROLL_UP}


def derived_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads of ``graph:derived`` (with its description in the provenance graph) for ``quads``."""
    with paused_gc():  # a few hundred thousand small objects: 2.4 s of 5.8 s at 1M otherwise
        d = _Index(quads)
        g = N(GRAPH.derived)
        out = [ox.Quad(g, N(RDF.type), N(KG.DerivedGraph), N(GRAPH.provenance))]
        mentions, corroborations = d.from_documents()
        predicates: dict[str, N] = {}
        top = d.roll_up_map()
        rolled = [*d.collaborations(top), *d.brokerage(top)]  # the same rules, organizations rolled up
        for s, p, o in [*mentions, *d.places_named(mentions), *d.collaborations(), *d.brokerage(),
                        *d.roll_up(top), *rolled, *corroborations]:
            out.append(ox.Quad(s, predicates.get(p) or predicates.setdefault(p, N(p)), o, g))
        return out


def _node(kind: str, *parts: str) -> N:
    digest = hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]
    return N(DERIVED[f"{kind}-{digest}"])


_TRUE = ox.Literal("true", datatype=N(XSD.boolean))


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=N(XSD.integer))


class _Index:
    """What the rules read, gathered in one pass over the quads."""

    def __init__(self, quads: Iterable[ox.Quad]):
        self.types: dict[str, set[str]] = defaultdict(set)
        self.below: dict[str, set[str]] = defaultdict(set)  # class -> its direct subclasses
        self.source_of: dict[str, str] = {}  # fact graph -> source
        self.kind: dict[str, str] = {}  # source -> kind
        self.agent: dict[str, str] = {}  # participation -> agent
        self.activity: dict[str, str] = {}  # participation -> activity
        self.holds: dict[str, set[str]] = defaultdict(set)  # person -> posts
        self.post_in: dict[str, set[str]] = defaultdict(set)  # post -> organizations
        self.within: dict[str, set[str]] = defaultdict(set)  # place -> what it is contained in
        self.located: dict[str, set[str]] = defaultdict(set)  # subject -> its locations
        self.facts: list[ox.Quad] = []  # the quads of fact graphs
        self.links: list[Link] = []  # (child, relation key, parent) of the links roll-up may follow
        # one pass over a million quads: compare terms, not strings, and read .value only when kept.
        # The build makes no RDF-star triple terms, so every subject and object has a .value (the
        # ignores below say so; an isinstance check per quad would cost time at a million).
        provenance, derived_from = N(GRAPH.provenance), N(PROV.wasDerivedFrom)
        special = {N(GRAPH.ontology), provenance, N(GRAPH.sources)}
        pairs = {N(RDF.type): self.types, N(RDFS.subClassOf): self.below, N(ORG.holds): self.holds,
                 N(ORG.postIn): self.post_in, N(SCHEMA.containedInPlace): self.within,
                 N(SCHEMA.location): self.located}
        single = {N(KG.sourceKind): self.kind, N(PROV.agent): self.agent, N(KG.activity): self.activity}
        facts = self.facts.append
        roll_up = {N(iri): key for iri, key in _ROLL_UP.items()}
        sub_class = N(RDFS.subClassOf)
        for q in quads:
            graph = q.graph_name
            if graph == provenance:
                if q.predicate == derived_from:
                    self.source_of[q.subject.value] = q.object.value  # type: ignore[union-attr]
                continue
            if isinstance(graph, ox.DefaultGraph):
                continue
            p = q.predicate
            index = pairs.get(p)
            if index is not None:
                if p == sub_class:
                    index[q.object.value].add(q.subject.value)  # type: ignore[union-attr]
                else:
                    index[q.subject.value].add(q.object.value)  # type: ignore[union-attr]
            else:
                one = single.get(p)
                if one is not None:
                    one[q.subject.value] = q.object.value  # type: ignore[union-attr]
            if graph not in special:
                facts(q)
                key = roll_up.get(p)
                if key is not None:
                    self.links.append((q.subject.value, key, q.object.value))  # type: ignore[union-attr]

    def of_class(self, *classes: str) -> set[str]:
        """The subjects typed with one of ``classes`` or a class below one."""
        every = set().union(*(closure(self.below, c) for c in classes))
        return {s for s, ts in self.types.items() if not ts.isdisjoint(every)}

    # ---- the rules

    def from_documents(self) -> tuple[list[tuple[N, str, _Object]], list[tuple[N, str, _Object]]]:
        """The mentions and the corroborated statements: one pass over the source documents' facts."""
        documents: dict[_Graph, N] = {N(g): N(s) for g, s in self.source_of.items()
                                      if self.kind.get(s) not in NOT_DOCUMENTS}
        entities = {N(e) for e in self.of_class(KG.Entity)}  # what the ontology's kinds cover
        naming = {N(p) for p in _NAMING}
        mentioned: set[tuple[N, N]] = set()
        stated: dict[tuple[_Subject, N, _Object], list[tuple[N, _Graph]]] = defaultdict(list)
        for q in self.facts:
            source = documents.get(q.graph_name)
            if source is None:
                continue
            s, p, o = q.subject, q.predicate, q.object
            if s in entities and isinstance(s, N):
                mentioned.add((s, source))
            if o in entities and isinstance(o, N):
                mentioned.add((o, source))
            if p not in naming:
                stated[(s, p, o)].append((source, q.graph_name))
        mentions: list[tuple[N, str, _Object]] = [(e, KG.mentionedIn, source) for e, source in mentioned]
        corroborations: list[tuple[N, str, _Object]] = []
        for (s, p, o), where in stated.items():
            sources = {source for source, _ in where}
            if len(sources) < 2:
                continue
            node = _node("corroboration", str(s), str(p), str(o))
            corroborations += [(node, RDF.type, N(KG.CorroboratedStatement)), (node, RDF.subject, s),
                               (node, RDF.predicate, p), (node, RDF.object, o),
                               (node, KG.sourceCount, _count(len(sources)))]
            corroborations += [(node, KG.statedIn, graph) for graph in {g for _, g in where} if isinstance(graph, N)]
        return mentions, corroborations

    def places_named(self, mentions: list[tuple[N, str, _Object]]) -> list[tuple[N, str, _Object]]:
        """``kg:namesPlaceIn``: each document with every region it names or names a place inside."""
        places, regions = self.of_class(KG.Region, KG.Venue), self.of_class(KG.Region)
        above: dict[str, set[str]] = {}

        def up(place: str) -> set[str]:  # the place and every place it lies in, at any depth
            if place not in above:
                seen, todo = {place}, [place]
                while todo:
                    inner = todo.pop()
                    for outer in self.within.get(inner, set()) | self.located.get(inner, set()):
                        if outer in places and outer not in seen:
                            seen.add(outer)
                            todo.append(outer)
                above[place] = seen
            return above[place]

        credited = {(source.value, region) for entity, _, source in mentions
                    if isinstance(source, N) and entity.value in places
                    for region in up(entity.value) if region in regions}
        return [(N(source), KG.namesPlaceIn, N(region)) for source, region in sorted(credited)]

    def collaborations(self, top: dict[str, str] | None = None) -> list[tuple[N, str, _Object]]:
        """The collaborations; with ``top``, of the organizations rolled up (``kg:rolledUp true``)."""
        organizations, initiatives = self.of_class(ORG.Organization), self.of_class(KG.Initiative)
        up = top or {}
        takes_part: dict[str, set[str]] = defaultdict(set)  # initiative -> organizations
        for part, activity in self.activity.items():
            agent = self.agent.get(part)
            if activity not in initiatives or agent is None:
                continue
            through = {o for post in self.holds.get(agent, ()) for o in self.post_in.get(post, ())}
            takes_part[activity].update(up.get(o, o) for o in {agent} | through if o in organizations)
        shared: dict[tuple[str, str], list[str]] = defaultdict(list)
        for initiative, orgs in takes_part.items():
            ordered = sorted(orgs)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    shared[(a, b)].append(initiative)
        out: list[tuple[N, str, _Object]] = []
        for (a, b), together in sorted(shared.items()):
            if len(together) < 2:
                continue
            node = _node("collaboration", a, b) if top is None else _node("collaboration-rolled-up", a, b)
            out += [(node, RDF.type, N(KG.Collaboration)), (node, KG.partner, N(a)), (node, KG.partner, N(b)),
                    (node, KG.initiativeCount, _count(len(together)))]
            if top is not None:
                out.append((node, KG.rolledUp, _TRUE))
            out += [(node, KG.sharedInitiative, N(i)) for i in sorted(together)]
        return out

    def roll_up_map(self) -> dict[str, str]:
        """Each organization that rolls up -> the top organization it rolls up to (:mod:`kg.model.rollup`)."""
        if not self.links:
            return {}
        above = inverse(self.below)  # class -> its direct superclasses
        kg_ns = str(KG)
        named: dict[str, set[str]] = {}
        for entity in {x for link in self.links for x in (link[0], link[2])}:
            every = set().union(*(closure(above, t) for t in self.types.get(entity, ())))
            named[entity] = {c[len(kg_ns):] for c in every if c.startswith(kg_ns)}
        return roots(parents(self.links, named))

    def roll_up(self, top: dict[str, str]) -> list[tuple[N, str, _Object]]:
        """``kg:rollsUpTo``: each organization that rolls up, and the top organization it rolls up to."""
        return [(N(child), KG.rollsUpTo, N(root)) for child, root in sorted(top.items())]

    def brokerage(self, top: dict[str, str] | None = None) -> list[tuple[N, str, _Object]]:
        """The brokers' counts on each broker; with ``top``, of the actors rolled up, on a
        ``kg:Brokerage`` node (``kg:broker``, ``kg:rolledUp true``)."""
        up = top or {}
        activities: dict[str, set[str]] = defaultdict(set)  # actor -> activities
        participants: dict[str, set[str]] = defaultdict(set)  # activity -> actors
        for part, activity in self.activity.items():
            agent = self.agent.get(part)
            if agent is not None:
                agent = up.get(agent, agent)
                activities[agent].add(activity)
                participants[activity].add(agent)
        common: dict[tuple[str, str], int] = defaultdict(int)  # activity pair -> actors in both
        ordered = {actor: sorted(acts) for actor, acts in activities.items()}
        for acts in ordered.values():
            for i, a1 in enumerate(acts):
                for a2 in acts[i + 1:]:
                    common[(a1, a2)] += 1
        out: list[tuple[N, str, _Object]] = []
        for actor, acts in sorted(ordered.items()):
            bridges, bridged = 0, set[str]()
            for i, a1 in enumerate(acts):
                for a2 in acts[i + 1:]:
                    # the actor is the only one in both, and someone else is in one of them: two
                    # activities where the actor is alone bridge nobody
                    if common[(a1, a2)] == 1 and len(participants[a1] | participants[a2]) > 1:
                        bridges += 1
                        bridged.update((a1, a2))
            if bridges:
                reach = set().union(*(participants[a] for a in bridged)) - {actor}
                on = N(actor)
                if top is not None:
                    on = _node("brokerage-rolled-up", actor)
                    out += [(on, RDF.type, N(KG.Brokerage)), (on, KG.broker, N(actor)), (on, KG.rolledUp, _TRUE)]
                out += [(on, KG.activityCount, _count(len(acts))), (on, KG.bridgeCount, _count(bridges)),
                        (on, KG.bridgeReach, _count(len(reach)))]
        return out
