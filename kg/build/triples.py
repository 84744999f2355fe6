"""Checked records -> RDF quads, one named graph per curated fact.

Every curated statement becomes a named graph (``fact:<source>/<hash>``) holding its
triples; the provenance graph says where each came from (``prov:wasDerivedFrom`` the
source, ``kg:locator`` in it, and any confidence, note, stated text or inference). The same
triple stated by two sources sits in two fact graphs. Node IRIs are derived from content,
so the output is the same for the same data.

>>> from kg.project import Project
>>> from kg.curation.reader import load_curation
>>> quads = dataset_quads(load_curation(Project.default())[0])
>>> any(q.graph_name.value.endswith("/graph/provenance") for q in quads)
True
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from urllib.parse import quote

import pyoxigraph as ox

from kg.build.derive import derived_quads
from kg.curation.records import LOCATOR_RE, Citation, Curation, Entity, Fact, Region, Where, date_type
from kg.model.readings import pinyin as pinyin  # kept here too: older callers import it from here
from kg.model.readings import reading
from kg.model.relations import FIGURE_CLASSES, RELATIONS
from kg.model.vocab import (
    BENEFICIARY,
    DCTERMS,
    FACT,
    GRAPH,
    ID,
    KG,
    ORG,
    PROV,
    RDF,
    ROLE,
    SCHEMA,
    SKOS,
    SRC,
    THEME,
    XSD,
)
from kg.sparql import Term

N = ox.NamedNode
PINYIN_LANG = "zh-Latn-pinyin"
# how a generated reading was made, as its provenance says (kg.model.readings)
PERSON_READING = "read as a person's name: the family name as a surname, the given name by character, " \
    "with kg's reviewed readings (kg/model/readings.tsv)"
PHRASE_READING = "read by phrases, with kg's reviewed readings (kg/model/readings.tsv)"

_REGION_CLASS = {"Country": KG.Country, "Province": KG.Province, "City": KG.City, "District": KG.District,
                 "RegionGroup": KG.RegionGroup}


def entity_iri(ref: str) -> N:
    """The IRI of an entity or region id (ISO codes included)."""
    return N(ID[ref])


def date_literal(value: str) -> ox.Literal:
    """A checked date as a typed literal (``2021`` -> xsd:gYear)."""
    return ox.Literal(value, datatype=N(XSD[date_type(value)]))


def number_literal(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=N(XSD.decimal if "." in value else XSD.integer))


def fact_iri(source: str, locator: str, content: object) -> N:
    """A stable graph name for a curated fact: its source, locator and a hash of its content."""
    digest = hashlib.sha1(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return N(FACT[f"{source}/{quote(locator, safe='-._~')}-{digest[:10]}"])


def dataset_quads(cur: Curation, locations: dict[str, Where] | None = None) -> list[ox.Quad]:
    """Every quad of the dataset: ontology, sources, regions, entities, facts and what the
    build derives from them (:mod:`kg.build.derive`).

    ``locations``, when given, is filled with the curated place of each subject IRI (its
    first definition), so that a problem found in the RDF can name a file and line.
    """
    out = _Emitter(cur, locations if locations is not None else {})
    out.ontology()
    out.sources()
    for region in sorted(cur.regions.values(), key=lambda r: r.id):
        out.region(region)
    for entity in sorted(cur.entities.values(), key=lambda e: e.id):
        out.entity(entity)
    for fact in cur.facts:
        out.fact(fact)
    return out.quads + derived_quads(out.quads)


class _Emitter:
    def __init__(self, cur: Curation, locations: dict[str, Where]):
        self.cur = cur
        self.quads: list[ox.Quad] = []
        self.locations = locations
        self.where: Where | None = None
        self.predicates: dict[str, N] = {}  # one node per predicate IRI, made once

    def add(self, graph: N, triples: Iterable[tuple[ox.NamedNode, str, Term]]) -> None:
        nodes = self.predicates
        for s, p, o in triples:
            self.quads.append(ox.Quad(s, nodes.get(p) or nodes.setdefault(p, N(p)), o, graph))
            if self.where is not None:
                self.locations.setdefault(s.value, self.where)
        if self.where is not None:
            self.locations.setdefault(graph.value, self.where)

    def provenance(self, graph: N, cite: Citation, *, fact: Fact | None = None,
                   inferred: str | None = None) -> None:
        g = N(GRAPH.provenance)
        meta: list[tuple[N, str, Term]] = [
            (graph, RDF.type, N(KG.Fact)),
            (graph, PROV.wasDerivedFrom, N(SRC[cite.source])),
            (graph, KG.locator, ox.Literal(cite.locator)),
        ]
        paragraph = LOCATOR_RE.match(cite.locator)
        if paragraph:
            meta.append((graph, KG.paragraph, ox.Literal(int(paragraph[1]))))
        if fact is not None:
            if fact.confidence:
                meta.append((graph, KG.confidence, N(KG[fact.confidence])))
            if fact.stated:
                meta.append((graph, KG.statedAs, ox.Literal(fact.stated)))
            if fact.note:
                meta.append((graph, SKOS.editorialNote, ox.Literal(fact.note)))
            inferred = fact.inferred or inferred
        if inferred:
            meta.append((graph, KG.inferredFrom, ox.Literal(inferred)))
        self.add(g, meta)

    # ---- reference data

    def ontology(self) -> None:
        g = N(GRAPH.ontology)
        self.quads.extend(ox.Quad(q.subject, q.predicate, q.object, g) for q in self.cur.ontology.quads)

    def sources(self) -> None:
        g = N(GRAPH.sources)
        for s in sorted(self.cur.sources.values(), key=lambda s: s.id):
            iri = N(SRC[s.id])
            t: list[tuple[N, str, Term]] = [
                (iri, RDF.type, N(KG.Source)),
                (iri, SCHEMA.inLanguage, ox.Literal(s.language)),
                (iri, KG.sourceKind, ox.Literal(s.kind)),
            ]
            t += [(iri, DCTERMS.title, ox.Literal(v, language=lang)) for lang, v in s.title.items()]
            if s.file:
                t.append((iri, KG.sourceFile, ox.Literal(s.file)))
            if s.publisher:
                t.append((iri, DCTERMS.publisher, ox.Literal(s.publisher)))
            if s.date:
                t.append((iri, DCTERMS.date, date_literal(s.date)))
            if s.url:
                t.append((iri, SCHEMA.url, N(s.url)))
            if s.author:
                t.append((iri, DCTERMS.creator, ox.Literal(s.author)))
            if s.accessed:
                t.append((iri, KG.accessed, date_literal(s.accessed)))
            if s.licence:
                t.append((iri, DCTERMS.rights, ox.Literal(s.licence)))
            if s.note:
                t.append((iri, SKOS.editorialNote, ox.Literal(s.note)))
            self.add(g, t)

    def region(self, r: Region) -> None:
        self.where = r.where
        iri = entity_iri(r.id)
        graph = fact_iri(r.source.source, r.source.locator, ["region", r.id])
        t: list[tuple[N, str, Term]] = [(iri, RDF.type, N(_REGION_CLASS[r.type]))]
        t += [(iri, SKOS.altLabel if lang in r.established else SKOS.prefLabel, ox.Literal(v, language=lang))
              for lang, v in r.names.items()]
        t += [(iri, SKOS.altLabel, ox.Literal(a, language=lang))
              for lang, names in r.aliases.items() for a in names]
        if r.part_of:
            t.append((iri, SCHEMA.containedInPlace, entity_iri(r.part_of)))
        if r.iso:
            t.append((iri, KG.isoCode, ox.Literal(r.iso)))
        if r.code:
            t.append((iri, KG.divisionCode, ox.Literal(r.code)))
        if r.note:
            t.append((iri, SKOS.editorialNote, ox.Literal(r.note)))
        self.add(graph, t)
        self.provenance(graph, r.source)
        if "zh" in r.names:
            self.pinyin(iri, r.names["zh"], (), r.source)
        if r.established or r.established_aliases:  # kg's table of established names
            cite = Citation("curators", "established-name")
            graph = fact_iri(cite.source, cite.locator, ["region", r.id])
            t = [(iri, SKOS.prefLabel, ox.Literal(v, language=lang)) for lang, v in r.established.items()]
            t += [(iri, SKOS.altLabel, ox.Literal(a, language=lang))
                  for lang, names in r.established_aliases.items() for a in names]
            self.add(graph, t)
            self.provenance(graph, cite, inferred="the region's established name, from kg's table of "
                            "China's regions (kg/curation/cn_regions.tsv), not from ISO 3166")
            if r.established_aliases.get("zh"):
                self.pinyin(iri, r.established_aliases["zh"][0], r.established_aliases["zh"][1:], cite)

    # ---- entities: their names, attributed by language to the sources that name them

    def entity(self, e: Entity) -> None:
        self.where = e.where
        iri = entity_iri(e.id)
        types = [(iri, RDF.type, N(self.cur.ontology.iri(t))) for t in e.types]
        covered: set[str] = set()
        for cite in e.seen:
            source = self.cur.sources[cite.source]
            lang = source.language
            covered.add(lang)
            self.names(iri, e, lang, types, cite)
        for lang in sorted(set(e.names) | set(e.aliases)):
            if lang not in covered:  # the names only: the type is the documents' to state
                self.names(iri, e, lang, [], Citation("curators", "established-name"),
                           inferred=f"the {lang} name is the actor's established name, not written "
                           "in the cited documents")
        if "zh" in e.names:  # pinyin for every Chinese name, so search finds "tengxun"
            zh_cites = [c for c in e.seen if self.cur.sources[c.source].language == "zh"]
            cite = zh_cites[0] if zh_cites else Citation("curators", "established-name")
            self.pinyin(iri, e.names["zh"], e.aliases.get("zh", ()), cite, person="Person" in e.kinds)
        if e.note:
            graph = fact_iri("curators", "note", ["note", e.id])
            self.add(graph, [(iri, SKOS.editorialNote, ox.Literal(e.note))])
            self.provenance(graph, Citation("curators", "note"))

    def names(self, iri: N, e: Entity, lang: str, types: list, cite: Citation,
              inferred: str | None = None) -> None:
        graph = fact_iri(cite.source, cite.locator, ["entity", e.id, lang])
        t = list(types)
        if lang in e.names:
            t.append((iri, SKOS.prefLabel, ox.Literal(e.names[lang], language=lang)))
        t += [(iri, SKOS.altLabel, ox.Literal(a, language=lang)) for a in e.aliases.get(lang, ())]
        self.add(graph, t)
        self.provenance(graph, cite, inferred=inferred)

    def pinyin(self, iri: N, name: str, aliases: Iterable[str], cite: Citation, *, person: bool = False) -> None:
        graph = fact_iri(cite.source, cite.locator, ["pinyin", iri.value])
        t = [(iri, SKOS.altLabel, ox.Literal(reading(x, person=person), language=PINYIN_LANG))
             for x in dict.fromkeys([name, *aliases])]
        self.add(graph, t)
        how = PERSON_READING if person else PHRASE_READING
        self.provenance(graph, cite, inferred=f"romanized from the Chinese name with pypinyin, {how}")

    # ---- facts

    def fact(self, f: Fact) -> None:
        content = {"form": f.form, "values": f.values, "note": f.note, "stated": f.stated,
                   "confidence": f.confidence, "inferred": f.inferred}
        graph = fact_iri(f.source, f.locator, content)
        self.where = f.where
        self.add(graph, list(getattr(self, f"_{f.form}")(f)))
        self.provenance(graph, Citation(f.source, f.locator), fact=f)

    def _role(self, f: Fact) -> Iterator[tuple[N, str, Term]]:
        v = f.values
        actor, activity = entity_iri(v["actor"]), entity_iri(v["in"])
        node = N(ID[f"{v['actor']}--{v['role']}--{v['in']}"])
        yield node, RDF.type, N(KG.Participation)
        yield node, PROV.agent, actor
        yield node, PROV.hadRole, N(ROLE[v["role"]])
        yield node, KG.activity, activity
        yield activity, PROV.qualifiedAssociation, node
        yield activity, PROV.wasAssociatedWith, actor
        yield from _dates(node, v)

    def _post(self, f: Fact) -> Iterator[tuple[N, str, Term]]:
        v = f.values
        title = json.dumps(v["post"], sort_keys=True, ensure_ascii=False)
        node = N(ID[f"{v['person']}--post--{v['org']}--{hashlib.sha1(title.encode()).hexdigest()[:6]}"])
        person, org = entity_iri(v["person"]), entity_iri(v["org"])
        yield node, RDF.type, N(ORG.Post)
        yield node, ORG.postIn, org
        yield node, ORG.heldBy, person
        yield person, ORG.holds, node
        for lang, text in sorted(v["post"].items()):
            yield node, SCHEMA.roleName, ox.Literal(text, language=lang)
        yield from _dates(node, v)

    def _figure(self, f: Fact) -> Iterator[tuple[N, str, Term]]:
        v = f.values
        key = json.dumps([v["kind"], v["value"], v["counts"], v["unit"], v["as_of"], v["where"],
                          v.get("qualifier")], sort_keys=True, ensure_ascii=False)
        node = N(ID[f"{v['of']}--{v['kind']}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"])
        yield node, RDF.type, N(FIGURE_CLASSES[v["kind"]])
        yield node, SCHEMA.observationAbout, entity_iri(v["of"])
        yield node, SCHEMA.value, number_literal(v["value"])
        for lang, text in sorted(v["counts"].items()):
            yield node, KG.counts, ox.Literal(text, language=lang)
        if v.get("unit"):
            yield node, SCHEMA.unitText, ox.Literal(v["unit"])
        if v.get("as_of"):
            yield node, SCHEMA.observationDate, date_literal(v["as_of"])
        if v.get("where"):
            yield node, SCHEMA.spatialCoverage, entity_iri(v["where"])
        if v.get("qualifier"):
            yield node, KG.qualifier, ox.Literal(v["qualifier"])
        if v.get("according_to"):
            yield node, PROV.wasAttributedTo, entity_iri(v["according_to"])

    def _amount(self, f: Fact) -> Iterator[tuple[N, str, Term]]:
        """An amount of money (schema:MonetaryAmount); from a funder to an initiative or event,
        it also states the funder's participation and hangs on it (schema:amount)."""
        v = f.values
        key = json.dumps([v["from"], v["kind"], v["value"], v["currency"], v["form"], v["qualifier"],
                          v["as_of"], v["start"], v["end"], v["where"]], sort_keys=True, ensure_ascii=False)
        node = N(ID[f"{v['to']}--amount-{hashlib.sha1(key.encode()).hexdigest()[:8]}"])
        recipient = entity_iri(v["to"])
        yield node, RDF.type, N(KG.Amount)
        yield node, SCHEMA.value, number_literal(v["value"])
        yield node, SCHEMA.currency, ox.Literal(v["currency"])
        yield node, KG.amountKind, N(KG[v["kind"]])
        for form in v["form"]:
            yield node, KG.amountForm, N(KG[form])
        yield node, SCHEMA.fundedItem, recipient
        if v.get("qualifier"):
            yield node, KG.qualifier, ox.Literal(v["qualifier"])
        for k, prop in (("as_of", DCTERMS.date), ("start", SCHEMA.validFrom), ("end", SCHEMA.validThrough)):
            if v.get(k):
                yield node, prop, date_literal(v[k])
        if v.get("where"):
            yield node, SCHEMA.spatialCoverage, entity_iri(v["where"])
        if v.get("from"):
            donor = entity_iri(v["from"])
            yield node, SCHEMA.funder, donor
            recipient_entity = self.cur.entities.get(v["to"])
            if recipient_entity is not None and recipient_entity.kinds & set(self.cur.ontology.activity_kinds):
                role = N(ID[f"{v['from']}--funder--{v['to']}"])  # the node a `role: funder` fact makes
                yield role, RDF.type, N(KG.Participation)
                yield role, PROV.agent, donor
                yield role, PROV.hadRole, N(ROLE.funder)
                yield role, KG.activity, recipient
                yield recipient, PROV.qualifiedAssociation, role
                yield recipient, PROV.wasAssociatedWith, donor
                yield role, SCHEMA.amount, node

    def _relation(self, f: Fact) -> Iterator[tuple[N, str, Term]]:
        v = f.values
        key, subject, obj = v["relation"], entity_iri(v["subject"]), v["object"]
        relation = RELATIONS[key]
        if relation.cases:
            inner = self.cur.entities[v["subject"]].kinds
            outer = self.cur.regions.get(obj) and {"Region"} or self.cur.entities[obj].kinds
            prop = relation.property_for(inner, outer)
        else:
            prop = relation.property
        if relation.target == "date":
            yield subject, prop, date_literal(obj)
        elif relation.target == "theme":
            yield subject, prop, N(THEME[obj])
        elif relation.target == "beneficiary":
            yield subject, prop, N(BENEFICIARY[obj])
        else:
            yield subject, prop, entity_iri(obj)


def _dates(node: N, values: dict) -> Iterator[tuple[N, str, Term]]:
    """When a role or post began and ended, where the fact says."""
    for key, prop in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
        if values.get(key):
            yield node, prop, date_literal(values[key])


def serialize_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """Canonical N-Quads: one line per distinct quad, sorted, UTF-8 (byte-identical for equal sets)."""
    # Lines are sorted as UTF-8 bytes, which is code point order, without decoding 200 MB at 1M
    # quads; split on LF only (not splitlines(): U+2028 and the like are text in N-Quads).
    # Sorted in place and deduplicated as adjacent lines, with the unsorted text dropped first:
    # at 1M quads this peaks 0.3 GB lower than a set and a sorted copy.
    data = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert data is not None  # given no output, serialize returns the bytes
    lines = data.split(b"\n")
    del data
    lines.sort()
    distinct = (line for line, _ in itertools.groupby(lines) if line)
    text = b"\n".join(distinct)
    return text + b"\n" if text else b""
