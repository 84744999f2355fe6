"""Counts that tell what is in the dataset: by class, role, source and language.

>>> from kg.project import Project
>>> from kg.store import open_store
>>> counts = dataset_stats(open_store(Project.default()))
>>> sorted(counts)
['by class', 'by language', 'by role', 'by source', 'totals']
"""

from __future__ import annotations

from kg.store import Store

_QUERIES = {
    "totals": """
        SELECT ?what ?n WHERE {
          { SELECT ("entities" AS ?what) (COUNT(DISTINCT ?e) AS ?n) WHERE {
              ?e a ?c . ?c rdfs:subClassOf* ?top .
              VALUES ?top { kg:Organization kg:Person kg:Initiative kg:Event kg:Document kg:Goal
                            kg:Product kg:Venue kg:Region } } }
          UNION { SELECT ("facts" AS ?what) (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f a kg:Fact } }
          UNION { SELECT ("participations" AS ?what) (COUNT(DISTINCT ?p) AS ?n)
                  WHERE { ?p a kg:Participation } }
          UNION { SELECT ("figures" AS ?what) (COUNT(DISTINCT ?m) AS ?n)
                  WHERE { ?m a/rdfs:subClassOf* kg:Measurement } }
          UNION { SELECT ("triples" AS ?what) (COUNT(*) AS ?n) WHERE { ?s ?p ?o } }
        }""",
    "by class": """
        SELECT ?what (COUNT(DISTINCT ?e) AS ?n) WHERE {
          ?e a ?c . FILTER (STRSTARTS(STR(?c), STR(kg:)) && ?c NOT IN (kg:Fact, kg:Source, kg:Role, kg:Theme))
          BIND (STRAFTER(STR(?c), "#") AS ?what)
        } GROUP BY ?what ORDER BY DESC(?n) ?what""",
    "by role": """
        SELECT ?what (COUNT(DISTINCT ?p) AS ?n) WHERE {
          ?p a kg:Participation ; prov:hadRole ?r . BIND (STRAFTER(STR(?r), STR(role:)) AS ?what)
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


def dataset_stats(store: Store) -> dict[str, list[tuple[str, int]]]:
    """Section name -> (what, count) rows, in a fixed order."""
    out = {}
    for section, sparql in _QUERIES.items():
        result = store.query(sparql)
        out[section] = [(row[0].value, int(row[1].value)) for row in result.rows]
    return out
