"""Who is served, region groups and role families (issue 14): the model, its checks and its
filters, on small fixture projects and on the real ontology."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.build.validate import validate
from kg.errors import UserError
from kg.model.ontology import load_ontology
from kg.model.vocab import BENEFICIARY, ROLE, SKOS
from kg.networks.views import Filters, load, network, role_families

from conftest import ROOT

REGION_GROUPS = """\
regions:
  - id: group-a
    type: RegionGroup
    name: {en: Group A, zh: 甲组}
    part_of: CN
  - id: group-b
    type: RegionGroup
    name: {en: Group B, zh: 乙组}
    part_of: CN
  - id: group-c
    type: RegionGroup
    name: {en: Group C, zh: 丙组}
    part_of: CN
    note: No source lists its members.
"""

FACTS = """\
source: doc-a
facts:
  - at: p1
    actor: alpha-foundation
    role: initiator
    in: gamma-plan
  - at: p1
    actor: beta-network
    role: initiator
    in: gamma-plan
  - at: p2
    subject: gamma-plan
    reaches: group-a
  - at: p2
    subject: gamma-plan
    serves: rural-preschool-children
"""


def _facts(*extra: str) -> str:
    return FACTS + "".join(f"  - at: p2\n{x}" for x in extra)


def test_region_groups_that_contain_themselves_are_reported_at_every_line_all_at_once(make_project):
    project = make_project({
        "data/regions.yaml": REGION_GROUPS,
        "data/facts/doc-a.yaml": _facts(
            "    subject: group-a\n    includes: group-b\n",   # line 19: a -> b -> c -> a
            "    subject: group-b\n    includes: group-c\n",   # line 22
            "    subject: group-c\n    includes: group-a\n",   # line 25
            "    subject: group-b\n    includes: group-b\n",   # line 28: itself
            "    subject: group-a\n    includes: CN-AH\n",     # line 31: a member, fine
            "    subject: gamma-plan\n    serves: rural-kids\n",  # line 34: not in the scheme
        ),
    })
    lines = [f"{p.file}:{p.line}: {p.message}" for p in validate(project)]
    f = "data/facts/doc-a.yaml"
    for line, cycle in ((19, "group-a -> group-b -> group-c -> group-a"),
                        (22, "group-b -> group-c -> group-a -> group-b"),
                        (25, "group-c -> group-a -> group-b -> group-c"),
                        (28, "group-b -> group-b")):
        group = cycle.split(" ")[0]
        assert f"{f}:{line}: includes: the region group {group!r} would contain itself ({cycle})" in lines
    assert any(line.startswith(f"{f}:34: serves: 'rural-kids' is not a beneficiary group") for line in lines)
    assert len(lines) == 5, lines


def test_a_region_group_lists_members_from_its_source(make_project, tmp_path):
    from kg.graph import open_store

    project = make_project({"data/regions.yaml": REGION_GROUPS,
                            "data/facts/doc-a.yaml": _facts("    subject: group-a\n    includes: CN-AH\n")})
    store = open_store(project)
    rows = store.query("SELECT ?m ?src ?loc WHERE { GRAPH ?f { kgid:group-a schema:containsPlace ?m } "
                       "?f prov:wasDerivedFrom ?src ; kg:locator ?loc }").rows
    assert [(m.value.rsplit("/", 1)[-1], s.value.rsplit("/", 1)[-1], loc.value) for m, s, loc in rows] == \
        [("CN-AH", "doc-a", "p2")]


@pytest.fixture
def tiny_network(make_project):
    from kg.graph import open_store

    project = make_project({"data/regions.yaml": REGION_GROUPS, "data/facts/doc-a.yaml": _facts(
        "    actor: alpha-foundation\n    role: funder\n    in: gamma-plan\n")})
    return load(open_store(project))


def test_a_narrower_role_counts_for_its_broader_one_in_network_filters(tiny_network):
    def edges(**kw) -> set[tuple[str, str]]:
        return {tuple(sorted(e)) for e in network(tiny_network, "participation", Filters(**kw)).edges}

    funded = edges(roles=("funder",))
    assert funded == {("alpha-foundation", "gamma-plan")}
    assert edges(roles=("supporter",)) == funded          # funder is a supporter
    assert edges(roles=("starts",)) == edges(roles=("initiator",)) == {
        ("alpha-foundation", "gamma-plan"), ("beta-network", "gamma-plan")}
    assert edges(roles=("carries-out",)) == set()
    assert role_families(tiny_network.roles)["supporter"] == ["funder", "guide", "partner"]


def test_networks_filter_by_beneficiary_group_with_narrower_groups(tiny_network):
    def nodes(*groups: str) -> set[str]:
        return set(network(tiny_network, "participation", Filters(serves=groups)).nodes)

    served = {"alpha-foundation", "beta-network", "gamma-plan"}
    assert nodes("rural-preschool-children") == served
    assert nodes("learners") == nodes("preschool-children") == nodes("rural-students") == served
    assert nodes("educators") == set()
    assert Filters(serves=("learners",)).describe() == "serves=learners"
    with pytest.raises(UserError, match="unknown beneficiary group 'kids'"):
        network(tiny_network, "participation", Filters(serves=("kids",)))


@pytest.mark.parametrize("namespace", [BENEFICIARY, ROLE], ids=["beneficiary groups", "roles"])
def test_every_group_and_role_has_english_and_chinese_labels_and_definitions(namespace):
    graph = ox.Store()
    graph.bulk_load(path=str(ROOT / "ontology" / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    concepts = {q.subject.value for q in graph.quads_for_pattern(None, None, None)
                if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(namespace))}
    assert concepts
    for concept in sorted(concepts):
        for prop in (SKOS.prefLabel, SKOS.definition):
            quads = graph.quads_for_pattern(ox.NamedNode(concept), ox.NamedNode(prop), None)
            langs = {q.object.language for q in quads}
            assert {"en", "zh"} <= langs, (concept, prop, langs)


def test_the_issue_s_groups_are_in_the_scheme_with_natural_families():
    onto = load_ontology(ROOT / "ontology" / "kg.ttl")
    wanted = {"rural-students", "rural-teachers", "principals-and-school-leaders", "preschool-children",
              "left-behind-children", "students-in-poverty-areas", "ethnic-minority-students", "girls",
              "students-with-disabilities", "parents"}
    assert wanted <= set(onto.beneficiaries)
    assert "rural-students" in onto.beneficiary_broader["left-behind-children"]
    assert "teachers" in onto.beneficiary_broader["rural-teachers"]
    for narrower, family in (("funder", "supporter"), ("guide", "supporter"), ("partner", "supporter"),
                             ("lead", "carries-out"), ("implementer", "carries-out"),
                             ("initiator", "starts"), ("launcher", "starts")):
        assert family in onto.broader[narrower]


def test_describe_shows_whom_an_initiative_serves(project, built):
    import kg

    g = kg.open(project=project)
    store = g.store
    served = store.query("SELECT ?x WHERE { ?x schema:audience ?g } ORDER BY ?x LIMIT 1").rows
    assert served, "the curated data says whom something serves"
    ident = served[0][0].value.rsplit("/", 1)[-1]
    groups = {r[0].value for r in store.query(
        f"SELECT ?l WHERE {{ kgid:{ident} schema:audience ?g . ?g skos:prefLabel ?l FILTER (LANG(?l) = 'en') }}").rows}
    text = "\n".join(s.text for s in g.description(ident).statements)
    assert all(label in text for label in groups), (groups, text)
