"""Everything known about one entity, each statement with its sources and locators.

The fact graphs that mention the entity are read with their provenance, and each is told as
one statement: a role (``Tencent Charity Foundation — funder — IIOE``), a post, a figure, or
a plain triple. The same statement from several sources is one line citing all of them.

>>> from kg.project import Project
>>> from kg.graph import open_store
>>> d = describe(open_store(Project.default()), "tencent-charity-foundation")
>>> d.names["en"]
'Tencent Charity Foundation'
>>> funds = [s for s in d.statements if "— funder — International Institute" in s.text]
>>> len(funds), "meet-2021:p3" in funds[0].cites     # one line, whatever the sources
(1, True)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.ask.names import resolve_entity
from kg.errors import UserError
from kg.model.labels import choose_label
from kg.model.money import amount_text
from kg.model.relations import FIGURE_CLASSES, RELATIONS
from kg.model.rollup import AFFILIATIONS
from kg.model.vocab import DCTERMS, KG, ORG, PROV, RDF, ROLE, SCHEMA, short_id, shorten
from kg.store.base import Store, Term, value_of

_FACTS = """
SELECT ?entity ?g ?s ?p ?o ?source ?locator ?para ?confidence ?note ?stated ?inferred ?kind WHERE {
  { SELECT DISTINCT ?entity ?g WHERE {
      { GRAPH ?g { ?entity ?p0 ?o0 } } UNION { GRAPH ?g { ?s0 ?p0 ?entity } } } }
  GRAPH ?g { ?s ?p ?o }
  ?g prov:wasDerivedFrom ?src ; kg:locator ?locator .
  BIND (STRAFTER(STR(?src), STR(src:)) AS ?source)
  OPTIONAL { ?g kg:paragraph ?para }
  OPTIONAL { ?g kg:confidence ?c . BIND (STRAFTER(STR(?c), "#") AS ?confidence) }
  OPTIONAL { ?g skos:editorialNote ?note }
  OPTIONAL { ?g kg:statedAs ?stated }
  OPTIONAL { ?g kg:inferredFrom ?inferred }
  OPTIONAL { ?src kg:sourceKind ?kind }
}
"""

_SHORTCUTS = {PROV.qualifiedAssociation, PROV.wasAssociatedWith, ORG.holds}
#: Affiliations between organizations told in the words of their relation keys ("founded by").
_AFFILIATION_WORDS = {RELATIONS[k].property_for({"Organization"}, {"Organization"}): k.replace("_", " ")
                      for k in AFFILIATIONS}
#: How a citation of the curators' own knowledge (a source of kind ``curation``) is marked.
CURATORS_KNOWLEDGE = "curators' knowledge, not from a document"
_FIGURES = {iri: key for key, iri in FIGURE_CLASSES.items()}


@dataclass
class Statement:
    """One thing the sources say, in words, with every citation (``source:locator``)."""

    text: str
    cites: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    order: tuple = ()


@dataclass
class Description:
    id: str
    types: list[str]
    names: dict[str, str]
    statements: list[Statement] = field(default_factory=list)


class _Labeller:
    def __init__(self, labels: dict[str, dict[str, str]], lang: str):
        self.labels, self.lang = labels, lang

    def __call__(self, t: Term | None) -> str:
        if t is None:
            return ""
        if isinstance(t, ox.Literal):
            return f"{t.value}@{t.language}" if t.language else t.value
        return choose_label(self.labels.get(t.value, {}), self.lang, short_id(t.value))


def _tell(triples: list[tuple[Term, Term, Term]], name: _Labeller) -> list[str]:
    """The statements one fact graph makes, in words."""
    by_subject: dict[str, dict[str, list[Term]]] = {}
    for s, p, o in triples:
        by_subject.setdefault(s.value, {}).setdefault(p.value, []).append(o)
    out = []
    for s_iri, props in sorted(by_subject.items()):
        types = {t.value for t in props.get(RDF.type, [])}

        def one(prop: str, props: dict[str, list[Term]] = props) -> Term | None:
            values = props.get(prop)
            return sorted(values, key=str)[0] if values else None

        if KG.Participation in types:
            role = one(PROV.hadRole)
            role_name = role.value[len(str(ROLE)):] if role is not None else "?"
            text = f"{name(one(PROV.agent))} — {role_name} — {name(one(KG.activity))}"
            dates = [name(one(k)) for k in (SCHEMA.startDate, SCHEMA.endDate) if one(k) is not None]
            out.append(text + (f" ({' to '.join(dates)})" if dates else ""))
        elif ORG.Post in types:
            titles = " / ".join(sorted(t.value for t in props.get(SCHEMA.roleName, [])))
            out.append(f"{name(one(ORG.heldBy))} — post: {titles} — at {name(one(ORG.postIn))}")
        elif types & set(_FIGURES):
            kind = _FIGURES[next(iter(types & set(_FIGURES)))]
            value = one(SCHEMA.value)
            parts = [f"{kind} for {name(one(SCHEMA.observationAbout))}:"]
            qualifier, unit = one(KG.qualifier), one(SCHEMA.unitText)
            if qualifier is not None:
                parts.append(qualifier.value)
            parts.append(value.value if value is not None else "?")
            if unit is not None:
                parts.append(unit.value)
            counts = sorted(c.value for c in props.get(KG.counts, []))
            if counts:
                parts.append(f"({' / '.join(counts)})")
            for prop, word in ((SCHEMA.observationDate, "as of"), (SCHEMA.spatialCoverage, "in"),
                               (PROV.wasAttributedTo, "according to")):
                if one(prop) is not None:
                    parts.append(f"{word} {name(one(prop))}")
            out.append(" ".join(parts))
        elif KG.Amount in types:
            out.append(_tell_amount(props, one, name))
        else:
            for p_iri, objects in sorted(props.items()):
                if p_iri in _SHORTCUTS:
                    continue
                said = _AFFILIATION_WORDS.get(p_iri)
                for o in sorted(objects, key=str):
                    if said and isinstance(o, ox.NamedNode):
                        out.append(f"{name(ox.NamedNode(s_iri))} — {said} — {name(o)}")
                    else:
                        out.append(f"{name(ox.NamedNode(s_iri))}  {shorten(p_iri)}  {name(o)}")
    return out


def _tell_amount(props: dict[str, list[Term]], one: Callable[[str], Term | None], name: _Labeller) -> str:
    """An amount of money in words: ``amount: about 1,000,000 CNY disbursed from A to B, as of 2024``."""
    def local(t: Term | None) -> str:
        return t.value.rsplit("#", 1)[-1] if t is not None else ""

    value, currency = one(SCHEMA.value), one(SCHEMA.currency)
    text = "amount: " + amount_text(value.value if value is not None else "?",
                                    currency.value if currency is not None else "?",
                                    kind=local(one(KG.amountKind)), qualifier=local(one(KG.qualifier)),
                                    forms=[local(f) for f in props.get(KG.amountForm, [])])
    if one(SCHEMA.funder) is not None:
        text += f" from {name(one(SCHEMA.funder))}"
    text += f" to {name(one(SCHEMA.fundedItem))}"
    when = [f"{word} {name(one(prop))}" for prop, word in (
        (DCTERMS.date, "as of"), (SCHEMA.validFrom, "from"), (SCHEMA.validThrough, "until"),
        (SCHEMA.spatialCoverage, "for")) if one(prop) is not None]
    return text + (f", {' '.join(when)}" if when else "")


def describe(store: Store, entity: str, *, lang: str = "en") -> Description:
    """The statements about ``entity``, named as :func:`kg.ask.names.resolve_entity` reads
    names: an id (``tencent``), a prefixed name, an IRI, or a name in any language.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> describe(open_store(Project.default()), "腾讯教育").id
    'tencent-education'
    """
    iri = resolve_entity(store, entity)
    node = ox.NamedNode(iri)
    found = store.query("SELECT ?e ?t WHERE { ?e a ?t }", bindings={"e": node})
    if not found.rows:
        raise UserError(f"entity: {entity!r} names {short_id(iri)}, which has no type: no entity is described")
    result = store.query(_FACTS, bindings={"entity": node})
    col = {c: i for i, c in enumerate(result.columns)}
    iris = {iri} | {t.value for row in result.rows for t in (row[col["s"]], row[col["o"]])
                    if isinstance(t, ox.NamedNode)}
    labels: dict[str, dict[str, str]] = {}
    for x, names in store.labels(iris).items():
        for label in names:
            if not (label.language or "").lower().endswith("pinyin"):
                labels.setdefault(x, {})[label.language or ""] = label.value
    name = _Labeller(labels, lang)
    graphs: dict[str, dict] = {}
    for row in result.rows:
        g = graphs.setdefault(value_of(row[col["g"]]), {"triples": set(), "row": row})
        g["triples"].add((row[col["s"]], row[col["p"]], row[col["o"]]))
    statements: dict[str, Statement] = {}
    for g in graphs.values():
        row = g["row"]

        def get(key: str, row: tuple[Term | None, ...] = row) -> str:
            return value_of(row[col[key]])

        cite = f"{get('source')}:{get('locator')}" + (f" [{get('confidence')}]" if get("confidence") else "")
        if get("kind") == "curation":  # not from a document: say so wherever the citation is shown
            cite += f" [{CURATORS_KNOWLEDGE}]"
        reference = get("source") in ("curators", "iso-3166")  # the documents' own facts first
        order = (reference, get("source"), int(get("para") or 0), get("locator"))
        for text in _tell(sorted(g["triples"], key=str), name):
            st = statements.setdefault(text, Statement(text, order=order))
            st.order = min(st.order, order)
            if cite not in st.cites:
                st.cites.append(cite)
            for extra in (get("stated") and f"stated as {get('stated')!r}",
                          get("inferred") and f"inferred: {get('inferred')}",
                          get("note") and f"note: {get('note')}"):
                if extra and extra not in st.notes:
                    st.notes.append(extra)
    for st in statements.values():
        st.cites.sort()
    types = sorted(shorten(value_of(t[1])) for t in found.rows)
    ordered = sorted(statements.values(), key=lambda s: (s.order, s.text))
    return Description(short_id(iri), types, labels.get(iri, {}), ordered)
