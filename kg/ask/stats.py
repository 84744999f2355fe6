"""Counts that tell what is in the dataset: by class, role, group served, source and language.

>>> from kg.project import Project
>>> from kg.graph import open_store
>>> counts = dataset_stats(open_store(Project.default()))
>>> sorted(counts)
['by class', 'by group served', 'by language', 'by role', 'by source', 'totals']
>>> [row for row in source_stats(open_store(Project.default())) if row[0] == "meet-2021"][0][1] > 10
True
"""

from __future__ import annotations

from kg.store.base import Store, value_of

_QUERIES = {
    "totals": """
        SELECT ?what ?n WHERE {
          { SELECT ("entities" AS ?what) (COUNT(DISTINCT ?e) AS ?n) WHERE {
              ?e a ?c . ?c rdfs:subClassOf* kg:Entity } }
          UNION { SELECT ("facts" AS ?what) (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact } }
          UNION { SELECT ("participations" AS ?what) (COUNT(DISTINCT ?p) AS ?n)
                  WHERE { ?p a kg:Participation } }
          UNION { SELECT ("figures" AS ?what) (COUNT(DISTINCT ?m) AS ?n)
                  WHERE { ?m a/rdfs:subClassOf* kg:Measurement } }
          UNION { SELECT ("amounts of money" AS ?what) (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Amount } }
          UNION { SELECT ("triples" AS ?what) (COUNT(*) AS ?n) WHERE { ?s ?p ?o } }
          UNION { SELECT ("of which derived" AS ?what) (COUNT(*) AS ?n) WHERE { GRAPH graph:derived { ?s ?p ?o } } }
        }""",
    "by class": """
        SELECT ?what (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?e a ?c . FILTER (STRSTARTS(STR(?c), STR(kg:)) && ?c NOT IN (kg:Fact, kg:Source, kg:Role, kg:Theme,
                                                                  kg:BeneficiaryGroup, kg:DerivedGraph,
                                                                  kg:Collaboration, kg:CorroboratedStatement))
          BIND (STRAFTER(STR(?c), "#") AS ?what)
        } GROUP BY ?what ORDER BY DESC(?n) ?what""",
    "by role": """
        SELECT ?what (COUNT(DISTINCT ?p) AS ?n) WHERE {
          ?p a kg:Participation ; prov:hadRole ?r . BIND (STRAFTER(STR(?r), STR(role:)) AS ?what)
        } GROUP BY ?what ORDER BY DESC(?n) ?what""",
    "by group served": """
        SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
          ?x schema:audience ?g . BIND (STRAFTER(STR(?g), STR(beneficiary:)) AS ?what)
        } GROUP BY ?what ORDER BY DESC(?n) ?what""",
    "by source": """
        SELECT ?what (COUNT(DISTINCT ?f) AS ?n) WHERE {
          ?f a kg:Fact ; prov:wasDerivedFrom ?s . BIND (STRAFTER(STR(?s), STR(src:)) AS ?what)
        } GROUP BY ?what ORDER BY DESC(?n) ?what""",
    "by language": """
        SELECT ?what (COUNT(*) AS ?n) WHERE {
          ?e skos:prefLabel|skos:altLabel ?l . BIND (LANG(?l) AS ?what)
        } GROUP BY ?what ORDER BY DESC(?n) ?what""",
}


_BY_SOURCE = """
SELECT ?source (COUNT(DISTINCT ?entity) AS ?entities) (COUNT(DISTINCT ?fact) AS ?statements)
       (COUNT(DISTINCT ?figure) AS ?figures) WHERE {
  ?fact a kg:Fact ; prov:wasDerivedFrom ?src .
  BIND (STRAFTER(STR(?src), STR(src:)) AS ?source)
  OPTIONAL {
    GRAPH ?fact { { ?entity ?p ?o } UNION { ?s ?p ?entity } }
    ?entity a/rdfs:subClassOf* kg:Entity .
  }
  OPTIONAL { GRAPH ?fact { ?figure a ?fc } ?fc rdfs:subClassOf* kg:Measurement }
} GROUP BY ?source ORDER BY ?source
"""


def source_stats(store: Store) -> list[tuple[str, int, int, int]]:
    """Per source: (source id, entities it mentions, statements, figures)."""
    return [(value_of(r[0]), int(value_of(r[1])), int(value_of(r[2])), int(value_of(r[3])))
            for r in store.query(_BY_SOURCE).rows]


def dataset_stats(store: Store) -> dict[str, list[tuple[str, int]]]:
    """Section name -> (what, count) rows, in a fixed order."""
    out = {}
    for section, sparql in _QUERIES.items():
        result = store.query(sparql)
        rows = [(value_of(row[0]), int(value_of(row[1]))) for row in result.rows]
        if section == "totals":  # a UNION has no order of its own: give it one
            order = ["entities", "facts", "participations", "figures", "amounts of money", "triples",
                     "of which derived"]
            rows.sort(key=lambda r: order.index(r[0]))
        out[section] = rows
    return out
