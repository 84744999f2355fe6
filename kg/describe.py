"""Everything known about one entity, each fact with its source and locator.

>>> from kg.project import Project
>>> from kg.store import open_store
>>> d = describe(open_store(Project.default()), "tencent")
>>> d.names["zh"], any(f.source == "guanghe-2019" for f in d.facts)
('腾讯', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import UserError
from kg.store import Store
from kg.vocab import ID, shorten

# The fact graphs that mention the entity, directly or through a node of theirs
# (a participation, a post, a figure), with every triple in them and their provenance.
_FACTS = """
SELECT DISTINCT ?entity ?g ?s ?p ?o ?source ?locator ?para ?confidence ?note ?stated ?inferred WHERE {
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
}
"""

_LABELS = """
SELECT ?x ?l WHERE { ?x skos:prefLabel ?l }
"""


@dataclass(frozen=True)
class FactLine:
    """One triple of one curated fact, with where it comes from."""

    subject: str
    predicate: str
    object: str
    source: str
    locator: str
    paragraph: int
    confidence: str = ""
    note: str = ""
    stated: str = ""
    inferred: str = ""


@dataclass
class Description:
    id: str
    types: list[str]
    names: dict[str, str]
    facts: list[FactLine] = field(default_factory=list)


def _term(t: ox.Term | None, labels: dict[str, dict[str, str]], lang: str) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.Literal):
        suffix = f"@{t.language}" if t.language else ""
        return f"{t.value}{suffix}"
    short = t.value[len(str(ID)):] if t.value.startswith(str(ID)) else shorten(t.value)
    names = labels.get(t.value)
    if names:
        name = names.get(lang) or next(iter(sorted(names.values())))
        return f"{short} ({name})"
    return short


def describe(store: Store, entity_id: str, *, lang: str = "en") -> Description:
    """The facts about ``entity_id`` (an id such as ``tencent``, or a full IRI)."""
    iri = entity_id if "://" in entity_id else ID[entity_id]
    node = ox.NamedNode(iri)
    found = store.query("SELECT ?e ?t WHERE { ?e a ?t }", bindings={"e": node})
    if not found.rows:
        raise UserError(f"no entity {entity_id!r}; try `kg search` to find its id")
    labels: dict[str, dict[str, str]] = {}
    for x, label in store.query(_LABELS).rows:
        labels.setdefault(x.value, {})[label.language or ""] = label.value
    result = store.query(_FACTS, bindings={"entity": node})
    col = {c: i for i, c in enumerate(result.columns)}

    def get(row: tuple, name: str) -> ox.Term | None:
        return row[col[name]]

    facts = set()
    for row in result.rows:
        para = get(row, "para")
        facts.add(FactLine(
            subject=_term(get(row, "s"), labels, lang),
            predicate=shorten(get(row, "p").value),
            object=_term(get(row, "o"), labels, lang),
            source=get(row, "source").value,
            locator=get(row, "locator").value,
            paragraph=int(para.value) if para is not None else 0,
            **{k: get(row, k).value for k in ("confidence", "note", "stated", "inferred")
               if get(row, k) is not None},
        ))
    types = sorted(shorten(t[1].value) for t in found.rows)
    ordered = sorted(facts, key=lambda f: (f.source, f.paragraph, f.locator, f.subject, f.predicate,
                                           f.object))
    return Description(entity_id, types, labels.get(iri, {}), ordered)
