"""Adding a class, a kind, a role and a theme to the ontology is all it takes to use them.

A copy of the tiny project whose ontology (an extension file beside kg's kg.ttl, as a
project adds terms) adds ``kg:Kindergarten`` (under ``kg:School``), a new
top-level kind ``kg:Collective`` (a direct subclass of ``kg:Entity``, under ``prov:Agent`` so
it can play roles), a role and a theme, with data using all four: every command shows them.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import ROOT, TINY

NEW_TERMS = """
@prefix kg: <https://w3id.org/edu-equity-kg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix role: <https://w3id.org/edu-equity-kg/role/> .
@prefix theme: <https://w3id.org/edu-equity-kg/theme/> .

kg:Kindergarten a owl:Class ;
    rdfs:subClassOf kg:School ;
    rdfs:label "Kindergarten"@en , "幼儿园"@zh ;
    rdfs:comment "A kindergarten."@en .

kg:Collective a owl:Class ;
    rdfs:subClassOf kg:Entity , prov:Agent ;
    rdfs:label "Collective"@en , "团体"@zh ;
    rdfs:comment "An informal group of people acting together."@en .

role:mentor a kg:Role ;
    skos:inScheme kg:Roles ; skos:broader role:participant ;
    skos:prefLabel "mentor"@en , "导师"@zh .

theme:early-childhood a kg:Theme ; skos:inScheme kg:Themes ;
    skos:prefLabel "early childhood"@en , "幼儿发展"@zh .
"""

NEW_ENTITIES = """
- id: delta-kindergarten
  type: Kindergarten
  name: {en: Delta Kindergarten, zh: 丁幼儿园}
  seen: [doc-a:p3]

- id: epsilon-volunteers
  type: Collective
  name: {en: Epsilon Volunteers}
  seen: [doc-a:p3]
"""

NEW_FACTS = """
  - at: p3
    actor: delta-kindergarten
    role: mentor
    in: gamma-plan
  - at: p3
    actor: epsilon-volunteers
    role: partner
    in: gamma-plan
  - at: p3
    subject: gamma-plan
    theme: early-childhood
"""


@pytest.fixture
def grown(make_project):
    """The tiny project with the new terms in its ontology and data that uses them, built."""
    tiny = TINY / "data"
    project = make_project({
        "ontology/new-terms.ttl": NEW_TERMS,
        "data/entities/all.yaml": (tiny / "entities" / "all.yaml").read_text(encoding="utf-8") + NEW_ENTITIES,
        "data/facts/doc-a.yaml": (tiny / "facts" / "doc-a.yaml").read_text(encoding="utf-8") + NEW_FACTS,
        "queries/19-entities-of-class.rq": (ROOT / "queries" / "19-entities-of-class.rq").read_text(encoding="utf-8"),
    })
    result = kg(project, "build")
    assert result.exit_code == 0, result.output
    return project


def kg(project, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def test_build_and_validate_accept_the_new_terms(grown):
    result = kg(grown, "validate")
    assert result.exit_code == 0, result.output


def test_classes_lists_the_new_class_kind_role_and_theme(grown):
    out = kg(grown, "classes").output
    lines = dict(line.split(": ", 1) for line in out.splitlines())
    assert {"Kindergarten", "Collective"} <= set(lines["classes"].split(", "))
    assert "mentor" in lines["roles"].split(", ")
    assert "early-childhood" in lines["themes"].split(", ")


def test_stats_count_the_new_class_and_kind(grown, make_project):
    out = kg(grown, "stats").output
    assert re.search(r"^\s+Kindergarten\s+1$", out, re.M), out
    assert re.search(r"^\s+Collective\s+1$", out, re.M), out
    assert re.search(r"^\s+mentor\s+1$", out, re.M), out
    plain = make_project()
    assert kg(plain, "build").exit_code == 0

    def entities(text: str) -> int:
        return int(re.search(r"^\s+entities\s+(\d+)$", text, re.M)[1])

    assert entities(out) == entities(kg(plain, "stats").output) + 2  # both new ones are entities


def test_a_query_finds_the_kindergarten_as_a_school(grown):
    for cls in ("kg:School", "kg:Organization", "kg:Kindergarten"):
        result = kg(grown, "query", "entities-of-class", "--param", f"class={cls}", "--format", "json")
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)["results"]["bindings"]
        assert "delta-kindergarten" in {r["entity"]["value"].rsplit("/", 1)[-1] for r in rows}, cls


def test_describe_names_the_new_class_role_and_theme(grown):
    out = kg(grown, "describe", "delta-kindergarten").output
    assert "kg:Kindergarten" in out
    assert "Delta Kindergarten — mentor — Gamma Plan" in out
    out = kg(grown, "describe", "gamma-plan").output
    assert "Gamma Plan  dcterms:subject  early childhood" in out  # the theme, by its label


def test_networks_and_the_page_show_the_new_kind(grown, tmp_path):
    from kg.graph import open_store
    from kg.networks.views import load, network

    data = load(open_store(grown))
    assert data.entities["delta-kindergarten"].kind == "Organization"
    assert data.entities["epsilon-volunteers"].kind == "Collective"
    assert {"Kindergarten", "Collective"} <= data.classes  # valid --type values
    g = network(data, "participation")
    assert g.nodes["epsilon-volunteers"]["kind"] == "Collective"
    assert g.edges["delta-kindergarten", "gamma-plan"]["roles"] == ["mentor"]

    result = kg(grown, "network", "stats", "--view", "participation", "--type", "Kindergarten")
    assert result.exit_code == 0, result.output
    assert "Delta Kindergarten [delta-kindergarten]" in result.output  # an actor among the top ones

    page = tmp_path / "page.html"
    result = kg(grown, "viz", "-o", str(page))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    blob = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text, re.S)[1])
    legend = {kind: (color, name) for kind, color, name in blob["kinds"]}
    assert legend["Collective"][1] == "Collective"  # its label in the ontology
    assert legend["Collective"][0] not in (legend.get("Other", ("",))[0], legend["Organization"][0])
    assert {n["id"]: n["kind"] for n in blob["nodes"]}["epsilon-volunteers"] == "Collective"


def test_a_new_kind_without_an_actor_superclass_cannot_play_a_role(make_project):
    tiny = TINY / "data"
    project = make_project({
        "ontology/new-terms.ttl": NEW_TERMS.replace("kg:Entity , prov:Agent", "kg:Entity"),
        "data/entities/all.yaml": (tiny / "entities" / "all.yaml").read_text(encoding="utf-8") + NEW_ENTITIES,
        "data/facts/doc-a.yaml": (tiny / "facts" / "doc-a.yaml").read_text(encoding="utf-8") + NEW_FACTS,
    })
    result = kg(project, "validate")
    assert result.exit_code != 0
    assert re.search(r"doc-a\.yaml:\d+: actor: 'epsilon-volunteers' is a Collective; expected an "
                     r"Organization or Person", result.output), result.output
    assert "Traceback" not in result.output
