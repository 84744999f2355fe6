"""Affiliations and roll-up: exact behaviour on a small fixture project (tests/data/rollup),
and properties of the real data that must hold however it grows.

The fixture: Omega Group with a unit (Omega Learning) that has a unit (Omega Learning Lab);
Omega Foundation, founded by Omega Group as the curators' knowledge; Zeta School, founded by
Omega Group (a school stays itself) and a member of Sigma Network (members stay themselves);
Kappa Foundation, founded by two organizations (ambiguous: it stays itself); Rho Institute,
affiliated with Sigma Network.
"""

from __future__ import annotations

import shutil

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.networks.views import Filters, load, network
from kg.project import Project

from conftest import ROOT, TESTS_DATA

ROLLUP = TESTS_DATA / "rollup"


@pytest.fixture(scope="module")
def fixture(tmp_path_factory: pytest.TempPathFactory) -> kg.Graph:
    base = tmp_path_factory.mktemp("rollup")
    root = base / "proj"
    shutil.copytree(ROLLUP / "data", root / "data")
    shutil.copytree(ROLLUP / "seeds", base / "shared" / "seeds")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries" / "checks", root / "queries" / "checks")
    return kg.open(project=Project(root))


def _rolled(g: kg.Graph) -> list[tuple[str, str]]:
    frame = g.query("rolled-up-organizations")
    return list(zip(frame["member"], frame["organization"], strict=True))


def test_roll_up_follows_units_affiliations_and_foundations_to_the_top(fixture):
    assert _rolled(fixture) == [("omega-foundation", "omega-group"), ("omega-lab", "omega-group"),
                                ("omega-learning", "omega-group"), ("rho-institute", "sigma-network")]


def test_a_rolled_node_keeps_its_members_and_every_citation(fixture):
    g = fixture.network("participation", roll_up=True)
    assert sorted(g) == ["delta-plan", "epsilon-project", "kappa-foundation", "omega-group",
                         "sigma-network", "theta-forum", "zeta-school"]
    assert g.nodes["omega-group"]["members"] == ["omega-foundation", "omega-lab", "omega-learning"]
    assert g.nodes["sigma-network"]["members"] == ["rho-institute"]
    assert "members" not in g.nodes["zeta-school"] and "members" not in g.nodes["kappa-foundation"]
    assert g.graph["members"]["omega-lab"] == {"en": "Omega Learning Lab"}
    assert g.edges["omega-group", "epsilon-project"]["roles"] == ["funder", "lead"]
    assert g.edges["omega-group", "epsilon-project"]["sources"] == ["doc-r:p2", "doc-r:p3"]
    assert g.edges["omega-group", "delta-plan"]["roles"] == ["implementer", "lead"]
    assert g.graph["filters"] == "roll-up"


def test_without_roll_up_nothing_is_merged(fixture):
    g = fixture.network("participation")
    assert {"omega-learning", "omega-lab", "omega-foundation", "rho-institute"} <= set(g)
    assert not any("members" in a for _n, a in g.nodes(data=True))


def test_roll_up_joins_coparticipation_and_drops_pairs_within_one_organization(fixture):
    plain = fixture.network("coparticipation")
    rolled = fixture.network("coparticipation", roll_up=True)
    assert plain.has_edge("omega-group", "omega-learning")
    assert sorted(map(sorted, rolled.edges())) == [["kappa-foundation", "omega-group"],
                                                   ["kappa-foundation", "sigma-network"],
                                                   ["omega-group", "sigma-network"],
                                                   ["omega-group", "zeta-school"],
                                                   ["sigma-network", "zeta-school"]]


def test_the_other_filters_apply_before_the_roll_up(fixture):
    g = fixture.network("participation", roll_up=True, types="Foundation")
    assert sorted(map(sorted, g.edges())) == [["delta-plan", "kappa-foundation"], ["epsilon-project", "omega-group"]]
    assert g.nodes["omega-group"]["members"] == ["omega-foundation"]


def test_the_ego_view_of_a_rolled_unit_centres_on_its_parent(fixture):
    g = fixture.network(entity="omega-lab", depth=1, roll_up=True)
    assert g.graph["center"] == "omega-group" and "omega-lab" in g.nodes["omega-group"]["members"]


def test_roll_up_on_the_command_line(fixture):
    runner = CliRunner()
    args = ["--project", str(fixture.project.root)]
    plain = runner.invoke(main, ["network", "stats", "--view", "participation", *args])
    rolled = runner.invoke(main, ["network", "stats", "--view", "participation", "--roll-up", *args])
    assert plain.exit_code == 0 and rolled.exit_code == 0, rolled.output
    assert "view: participation (roll-up)" in rolled.output
    assert "nodes: 7  edges: 8  components: 1 (largest: 7 nodes)" in rolled.output
    assert "nodes: 11" in plain.output


def test_viz_shows_the_members_of_a_rolled_node(fixture, tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["viz", "--roll-up", "-o", str(out), "--project", str(fixture.project.root)])
    assert result.exit_code == 0, result.output
    assert '"members":["Omega Foundation","Omega Learning Lab","Omega Learning"]' in out.read_text(encoding="utf-8")


def test_funders_roll_up_names_the_member_the_source_credits(fixture):
    plain = fixture.query("funders")
    rolled = fixture.query("funders", roll_up="true")
    assert sorted(plain["funder"]) == ["kappa-foundation", "omega-foundation"]
    assert sorted(zip(rolled["funder"], rolled["member"].fillna(""), strict=True)) == [
        ("kappa-foundation", ""), ("omega-group", "omega-foundation")]


def test_curators_knowledge_is_marked_in_describe_and_the_affiliations_question(fixture):
    facts = fixture.describe("omega-foundation")
    founded = facts[facts.statement.str.contains("— founded by —")]
    assert founded.sources.tolist() == ["curators:affiliations [curators' knowledge, not from a document]"]
    rows = fixture.query("affiliations-of-organization", org="omega-group")
    by_other = {(r.relation, r.other): r.basis for r in rows.itertuples()}
    assert by_other == {("founded", "omega-foundation"): "curators' knowledge", ("founded", "zeta-school"): "document",
                        ("founded", "kappa-foundation"): "document", ("has unit", "omega-learning"): "document"}


# ---------------------------------------------------------------- the real data


@pytest.fixture(scope="module")
def data(built):
    from kg.graph import open_store

    return load(open_store(Project(ROOT)))


@pytest.mark.parametrize("view", ["participation", "coparticipation"])
def test_roll_up_never_splits_the_network(data, view):
    plain = network(data, view, metrics=False)
    rolled = network(data, view, Filters(roll_up=True), metrics=False)
    assert nx.number_connected_components(rolled) <= nx.number_connected_components(plain)
    assert rolled.number_of_nodes() <= plain.number_of_nodes()


def test_every_rolled_node_and_member_is_an_organization(data):
    rolled = network(data, "participation", Filters(roll_up=True), metrics=False)
    merged = {n: a["members"] for n, a in rolled.nodes(data=True) if "members" in a}
    assert merged, "the curated data rolls something up (Tencent's units at least)"
    for node, members in merged.items():
        assert "Organization" in data.entities[node].classes
        assert all("Organization" in data.entities[m].classes for m in members)
        assert not set(members) & set(rolled), f"{node}: a member is still drawn on its own"


def test_roll_up_is_deterministic(data):
    a = network(data, "participation", Filters(roll_up=True))
    b = network(data, "participation", Filters(roll_up=True))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(data=True)) == list(b.edges(data=True))


def test_every_curators_affiliation_is_marked_in_the_question(project, built):
    g = kg.open(project=project)
    for row in g.query("rolled-up-organizations").itertuples():
        links = g.query("affiliations-of-organization", org=row.member)
        assert len(links), f"{row.member} rolls up with no affiliation to show for it"
        from_curators = links["source"].str.endswith("curators")
        assert (links["basis"][from_curators] == "curators' knowledge").all()
        assert (links["basis"][~from_curators] == "document").all()


def test_brokers_and_partners_take_roll_up(fixture):
    assert fixture.query("organizations-working-together").empty
    rolled = fixture.query("organizations-working-together", roll_up="true")
    assert list(zip(rolled["a"], rolled["b"], rolled["together"], strict=True)) == [
        ("omega-group", "sigma-network", 2)]
    # Zeta School alone links the Epsilon Project and the Theta Forum, until Rho Institute (at
    # the forum) counts as Sigma Network (in the project)
    assert sorted(fixture.query("brokers")["broker"]) == ["sigma-network", "zeta-school"]
    assert list(fixture.query("brokers", roll_up="true")["broker"]) == ["sigma-network"]
