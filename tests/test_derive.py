"""What the build derives (graph:derived) equals what SPARQL says over the fact graphs.

The derived statements exist only to answer whole-graph questions fast. Here each rule is
checked against its definition written as plain SPARQL over the curated graphs (the way the
named questions asked before the build derived them), on the real data and on a synthetic
project with hubs; and the derived graph is checked to stay apart from the curated facts.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build.dataset import build
from kg.build.validate import check_query_problems
from kg.curation.synth import write_synthetic
from kg.project import Project
from kg.store.embedded import EmbeddedStore

# The rules, as SPARQL over the fact graphs and their provenance (slow at scale, exact anywhere).
COLLABORATIONS = """
SELECT ?a ?b (COUNT(DISTINCT ?initiative) AS ?n) WHERE {
  ?initiative a/rdfs:subClassOf* kg:Initiative .
  { ?pa kg:activity ?initiative ; prov:agent ?a } UNION
  { ?pa kg:activity ?initiative ; prov:agent ?pr . ?pr org:holds/org:postIn ?a }
  { ?pb kg:activity ?initiative ; prov:agent ?b } UNION
  { ?pb kg:activity ?initiative ; prov:agent ?qr . ?qr org:holds/org:postIn ?b }
  ?a a/rdfs:subClassOf* org:Organization .
  ?b a/rdfs:subClassOf* org:Organization .
  FILTER (STR(?a) < STR(?b))
} GROUP BY ?a ?b HAVING (COUNT(DISTINCT ?initiative) >= 2)"""

BROKERS = """
SELECT ?broker ?activities (COUNT(DISTINCT ?bridge) AS ?bridges) (COUNT(DISTINCT ?other) AS ?reach) WHERE {
  { SELECT ?broker (COUNT(DISTINCT ?a) AS ?activities) WHERE { ?pa prov:agent ?broker ; kg:activity ?a }
    GROUP BY ?broker HAVING (COUNT(DISTINCT ?a) >= 2) }
  { SELECT ?broker ?a1 ?a2 WHERE {
      ?p1 prov:agent ?broker ; kg:activity ?a1 .
      ?p2 prov:agent ?broker ; kg:activity ?a2 .
      FILTER (STR(?a1) < STR(?a2))
      OPTIONAL { ?q1 kg:activity ?a1 ; prov:agent ?z . ?q2 kg:activity ?a2 ; prov:agent ?z . FILTER (?z != ?broker) }
    } GROUP BY ?broker ?a1 ?a2 HAVING (COUNT(?z) = 0) }
  BIND (CONCAT(STR(?a1), " ", STR(?a2)) AS ?bridge)
  { ?r kg:activity ?a1 } UNION { ?r kg:activity ?a2 }
  ?r prov:agent ?other .
  FILTER (?other != ?broker)
} GROUP BY ?broker ?activities"""



def _up(var: str, as_: str) -> str:
    """SPARQL: ``?as_`` is the organization ``?var`` rolls up to (kg:rollsUpTo), else ``?var`` itself."""
    return f"OPTIONAL {{ ?{var} kg:rollsUpTo ?{var}_up }} BIND (COALESCE(?{var}_up, ?{var}) AS ?{as_})"


# The same rules with every organization rolled up first (kg:rolledUp true in graph:derived).
COLLABORATIONS_ROLLED_UP = f"""
SELECT ?a ?b (COUNT(DISTINCT ?initiative) AS ?n) WHERE {{
  ?initiative a/rdfs:subClassOf* kg:Initiative .
  {{ ?pa kg:activity ?initiative ; prov:agent ?a0 }} UNION
  {{ ?pa kg:activity ?initiative ; prov:agent ?pr . ?pr org:holds/org:postIn ?a0 }}
  {{ ?pb kg:activity ?initiative ; prov:agent ?b0 }} UNION
  {{ ?pb kg:activity ?initiative ; prov:agent ?qr . ?qr org:holds/org:postIn ?b0 }}
  ?a0 a/rdfs:subClassOf* org:Organization .
  ?b0 a/rdfs:subClassOf* org:Organization .
  {_up("a0", "a")} {_up("b0", "b")}
  FILTER (STR(?a) < STR(?b))
}} GROUP BY ?a ?b HAVING (COUNT(DISTINCT ?initiative) >= 2)"""

BROKERS_ROLLED_UP = f"""
SELECT ?broker ?activities (COUNT(DISTINCT ?bridge) AS ?bridges) (COUNT(DISTINCT ?other) AS ?reach) WHERE {{
  {{ SELECT ?broker (COUNT(DISTINCT ?a) AS ?activities) WHERE {{
      ?pa prov:agent ?x ; kg:activity ?a . {_up("x", "broker")} }}
    GROUP BY ?broker HAVING (COUNT(DISTINCT ?a) >= 2) }}
  {{ SELECT ?broker ?a1 ?a2 WHERE {{
      {{ SELECT DISTINCT ?broker ?a1 ?a2 WHERE {{
          ?p1 prov:agent ?x1 ; kg:activity ?a1 . {_up("x1", "broker")}
          ?p2 prov:agent ?x2 ; kg:activity ?a2 . {_up("x2", "b2")}
          FILTER (?b2 = ?broker && STR(?a1) < STR(?a2)) }} }}
      OPTIONAL {{ ?q1 kg:activity ?a1 ; prov:agent ?z1 . {_up("z1", "z")}
                 ?q2 kg:activity ?a2 ; prov:agent ?z2 . {_up("z2", "zz")}
                 FILTER (?z = ?zz && ?z != ?broker) }}
    }} GROUP BY ?broker ?a1 ?a2 HAVING (COUNT(?z) = 0) }}
  BIND (CONCAT(STR(?a1), " ", STR(?a2)) AS ?bridge)
  {{ ?r kg:activity ?a1 }} UNION {{ ?r kg:activity ?a2 }}
  ?r prov:agent ?o0 . {_up("o0", "other")}
  FILTER (?other != ?broker)
}} GROUP BY ?broker ?activities"""

MENTIONS = """
SELECT DISTINCT ?entity ?source WHERE {
  ?source kg:sourceKind ?kind . FILTER (?kind NOT IN ("curation", "gazetteer"))
  ?fact prov:wasDerivedFrom ?source .
  { GRAPH ?fact { ?entity ?p ?o } } UNION { GRAPH ?fact { ?s ?p ?entity } }
  ?entity a ?c . ?c rdfs:subClassOf* ?top .
  VALUES ?top { kg:Organization kg:Person kg:Initiative kg:Event kg:Document kg:Goal kg:Product kg:Venue
                kg:Region }
}"""

CORROBORATED = """
SELECT ?s ?p ?o (COUNT(DISTINCT ?source) AS ?n) (GROUP_CONCAT(DISTINCT STR(?fact); separator=" ") AS ?facts)
WHERE {
  ?source kg:sourceKind ?kind . FILTER (?kind NOT IN ("curation", "gazetteer"))
  ?fact prov:wasDerivedFrom ?source .
  GRAPH ?fact { ?s ?p ?o }
  FILTER (?p NOT IN (skos:prefLabel, skos:altLabel, rdf:type))
} GROUP BY ?s ?p ?o HAVING (COUNT(DISTINCT ?source) >= 2)"""


def rows(store: EmbeddedStore, sparql: str) -> set[tuple[str, ...]]:
    return {tuple(t.value for t in row) for row in store.query(sparql).rows}


def derived(store: EmbeddedStore) -> dict[str, set[tuple[str, ...]]]:
    """Each derived rule's statements, read back from graph:derived in the shape of the rules above."""
    return {
        "collaborations": rows(store, """
            SELECT ?a ?b ?n WHERE { GRAPH graph:derived {
              ?c a kg:Collaboration ; kg:partner ?a, ?b ; kg:initiativeCount ?n FILTER (STR(?a) < STR(?b))
              FILTER NOT EXISTS { ?c kg:rolledUp true } } }"""),
        "brokers": rows(store, """
            SELECT ?x ?a ?b ?r WHERE { GRAPH graph:derived {
              ?x kg:activityCount ?a ; kg:bridgeCount ?b ; kg:bridgeReach ?r
              FILTER NOT EXISTS { ?x kg:rolledUp true } } }"""),
        "collaborations rolled up": rows(store, """
            SELECT ?a ?b ?n WHERE { GRAPH graph:derived {
              ?c a kg:Collaboration ; kg:rolledUp true ; kg:partner ?a, ?b ; kg:initiativeCount ?n
              FILTER (STR(?a) < STR(?b)) } }"""),
        "brokers rolled up": rows(store, """
            SELECT ?x ?a ?b ?r WHERE { GRAPH graph:derived {
              ?n a kg:Brokerage ; kg:rolledUp true ; kg:broker ?x ;
                 kg:activityCount ?a ; kg:bridgeCount ?b ; kg:bridgeReach ?r } }"""),
        "mentions": rows(store, "SELECT ?e ?s WHERE { GRAPH graph:derived { ?e kg:mentionedIn ?s } }"),
        "corroborated": rows(store, """
            SELECT ?s ?p ?o ?n (GROUP_CONCAT(STR(?f); separator=" ") AS ?facts) WHERE { GRAPH graph:derived {
              ?c a kg:CorroboratedStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                 kg:sourceCount ?n ; kg:statedIn ?f } } GROUP BY ?s ?p ?o ?n"""),
    }


def by_definition(store: EmbeddedStore) -> dict[str, set[tuple[str, ...]]]:
    def sorted_facts(found: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
        return {(*r[:-1], " ".join(sorted(r[-1].split()))) for r in found}

    return {
        "collaborations": rows(store, COLLABORATIONS),
        "brokers": rows(store, BROKERS),
        "collaborations rolled up": rows(store, COLLABORATIONS_ROLLED_UP),
        "brokers rolled up": rows(store, BROKERS_ROLLED_UP),
        "mentions": rows(store, MENTIONS),
        "corroborated": sorted_facts(rows(store, CORROBORATED)),
    }


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> EmbeddedStore:
    """A synthetic project with hubs, big enough for every rule to fire many times."""
    root = tmp_path_factory.mktemp("synth")
    write_synthetic(root, scale=4000, seed=3)
    return EmbeddedStore(build(Project(root)).store_path)


def test_the_real_data_derives_what_the_rules_say(built):
    store = EmbeddedStore(built.store_path)
    got, expected = derived(store), by_definition(store)
    got["corroborated"] = {(*r[:-1], " ".join(sorted(r[-1].split()))) for r in got["corroborated"]}
    assert got == expected
    kgid = "https://w3id.org/edu-equity-kg/id/"
    pairs = {(a[len(kgid):], b[len(kgid):]): int(n) for a, b, n in got["collaborations"]}
    assert pairs[("tencent-charity-foundation", "unesco-ichei")] >= 2  # IIOE and the MEET 2021 joint initiative
    assert min(pairs.values()) >= 2  # a collaboration is two shared initiatives or more


def test_a_synthetic_graph_with_hubs_derives_what_the_rules_say(synthetic):
    got, expected = derived(synthetic), by_definition(synthetic)
    got["corroborated"] = {(*r[:-1], " ".join(sorted(r[-1].split()))) for r in got["corroborated"]}
    for rule in ("collaborations", "brokers", "mentions", "corroborated", "collaborations rolled up",
                 "brokers rolled up"):
        assert len(expected[rule]) >= 3, rule  # each rule fires here, so the comparison means something
        assert got[rule] == expected[rule], rule


def test_the_derived_graph_is_typed_in_the_provenance_graph_and_holds_no_curated_fact(built):
    store = EmbeddedStore(built.store_path)
    assert store.query("ASK { GRAPH graph:provenance { graph:derived a kg:DerivedGraph } }").boolean
    # it is no fact graph: it cites no source, and describing an entity does not show it as one
    assert not store.query("ASK { graph:derived prov:wasDerivedFrom ?s }").boolean
    predicates = {r[0].value for r in store.query(
        "SELECT DISTINCT ?p WHERE { GRAPH graph:derived { ?s ?p ?o } }").rows}
    kg = "https://w3id.org/edu-equity-kg/ontology#"
    assert {p for p in predicates if p.startswith(kg)} == {
        kg + x for x in ("mentionedIn", "namesPlaceIn", "partner", "sharedInitiative", "initiativeCount",
                         "activityCount", "bridgeCount", "bridgeReach", "sourceCount", "statedIn", "rollsUpTo",
                         "rolledUp", "broker")}


def test_the_untraced_triple_check_exempts_only_the_derived_graph(built, project):
    quads = [q for q in EmbeddedStore(built.store_path).quads()]
    stray = ox.Quad(ox.NamedNode("https://w3id.org/edu-equity-kg/id/tencent"),
                    ox.NamedNode("https://schema.org/foundingDate"), ox.Literal("1998"),
                    ox.NamedNode("https://w3id.org/edu-equity-kg/graph/somewhere"))
    checks: Path = project.queries_dir / "checks"
    assert check_query_problems(checks, quads, {}) == []
    problems = check_query_problems(checks, [*quads, stray], {})
    assert [p.message for p in problems] == [
        "untraced-triple-violation: kgid:tencent: a triple without provenance: its graph names no source and locator"]


def test_stats_count_the_derived_triples_apart_and_no_derived_node_as_an_entity(built):
    from kg.ask.stats import dataset_stats

    stats = dataset_stats(EmbeddedStore(built.store_path))
    totals = dict(stats["totals"])
    assert 0 < totals["of which derived"] < totals["triples"] // 2  # counted apart, and a minority
    classes = {what for what, _ in stats["by class"]}
    assert not classes & {"Collaboration", "CorroboratedStatement", "DerivedGraph"}
