"""kg.networks.views and kg.networks.export on the real data: views, filters, metrics, exports."""

from __future__ import annotations

import dataclasses
import re

import networkx as nx
import pytest

from kg.errors import UserError
from kg.networks import views as kn
from kg.networks.export import EDGE_COLUMNS, NODE_COLUMNS, export_network
from kg.networks.views import PINYIN, VIEWS, Filters, load, network
from kg.store.embedded import EmbeddedStore

RENDER_KINDS = {"Organization", "Person", "Initiative", "Event", "Region", "Document", "Product", "Venue",
                "Other"}
CITATION = re.compile(r"^[a-z0-9-]+:\S+$")


@pytest.fixture(scope="module")
def data(built) -> kn.NetworkData:
    return load(EmbeddedStore(built.store_path))


def edge(g: nx.Graph, a: str, b: str) -> dict:
    assert g.has_edge(a, b), f"no edge {a} -- {b}"
    return g.edges[a, b]


# --------------------------------------------------------------------------- views


def test_coparticipation_links_tencent_education_and_the_strategy_society_through_guanghe(data):
    g = network(data, "coparticipation")
    e = edge(g, "tencent-education", "china-society-of-education-development-strategy")
    assert e["via"] == ["光合计划"] and e["via_ids"] == ["guanghe-plan"]
    assert e["weight"] == 1
    assert "lead" in e["roles"] and "guide" in e["roles"]
    assert "guanghe-2019:p1" in e["sources"]


def test_coparticipation_holds_organizations_only_and_weights_by_shared_activities(data):
    g = network(data, "coparticipation")
    assert {g.nodes[n]["kind"] for n in g} == {"Organization"}
    e = edge(g, "macao-tong-chai-charity-association", "rece-team")
    assert e["weight"] == 2 and sorted(e["via_ids"]) == ["rece", "rece-workshop-2018"]


def test_participation_edges_carry_every_role_and_citation(data):
    g = network(data, "participation")
    e = edge(g, "xuekewang", "guanghe-plan")
    assert e["roles"] == ["participant", "partner"] and e["weight"] == 2
    assert e["sources"] == ["guanghe-2019:p4", "guanghe-2019:p10"]  # paragraphs in number order
    assert edge(g, "tang-daosheng", "meet-2019")["roles"] == ["attendee", "speaker"]
    assert g.nodes["tencent-education"]["side"] == "actor"
    assert g.nodes["guanghe-plan"]["side"] == "activity"


def test_nodes_and_edges_follow_the_render_contract(data):
    for view in ("participation", "coparticipation"):
        g = network(data, view)
        for _n, a in g.nodes(data=True):
            assert isinstance(a["labels"], dict) and set(a["labels"]) <= {"en", "zh", PINYIN}
            assert isinstance(a["aliases"], list) and isinstance(a["types"], list)
            assert a["kind"] in RENDER_KINDS
            assert isinstance(a["degree"], int) and isinstance(a["community"], int)
            assert isinstance(a["weighted_degree"], float) and isinstance(a["betweenness"], float)
        for _u, _v, a in g.edges(data=True):
            assert isinstance(a["roles"], list) and a["roles"]
            assert a["weight"] >= 1
            assert a["sources"] and all(CITATION.match(s) for s in a["sources"])
    g = network(data, "participation")
    assert g.nodes["tencent-education"]["labels"] == {"en": "Tencent Education", "zh": "腾讯教育"}
    assert g.nodes["tencent-education"]["types"] == ["OrganizationalUnit"]
    assert "ài xué xí jiào yù jí tuán" in g.nodes["aixuexi-education-group"]["aliases"]  # pinyin
    assert g.nodes["rece-workshop-2018"]["dates"] == "2018-05-10/2018-05-11"


def test_via_labels_follow_the_language_with_english_as_fallback(data):
    en = network(data, "coparticipation", lang="en")
    zh = network(data, "coparticipation", lang="zh")
    assert edge(en, "classin", "tsinghua-university")["via"] == ["Cloud Education Aid Plan"]
    assert edge(zh, "classin", "tsinghua-university")["via"] == ["Cloud Education Aid Plan"]  # no zh name
    # with a Chinese name (a test value, not curated), the zh view uses it
    plan = data.entities["cloud-education-aid-plan"]
    named = dataclasses.replace(plan, labels={**plan.labels, "zh": "测试名"})
    renamed = dataclasses.replace(data, entities={**data.entities, plan.id: named})
    assert edge(network(renamed, "coparticipation", lang="zh"), "classin", "tsinghua-university")["via"] == ["测试名"]


# --------------------------------------------------------------------------- filters


def test_role_filter_keeps_the_funder_only(data):
    g = network(data, "participation", Filters(roles=("funder",)))
    assert {r for *_, roles in g.edges(data="roles") for r in roles} == {"funder"}
    assert "meet-2021:p3" in edge(g, "tencent-charity-foundation", "iioe")["sources"]
    assert "guanghe-plan" not in g  # the plan has no funder


def test_role_filter_counts_narrower_roles(data):
    g = network(data, "participation", Filters(roles=("attendee",)))
    assert edge(g, "li-ming", "meet-2021")["roles"] == ["speaker"]  # speaker is narrower than attendee
    assert "guanghe-plan" not in g


def test_source_filter_keeps_what_the_source_states_and_cites_only_it(data):
    g = network(data, "participation", Filters(sources=("meet-2021",)))
    assert g.has_edge("tencent-education", "meet-2021")
    assert "guanghe-plan" not in g
    assert all(s.startswith("meet-2021:") for *_, cites in g.edges(data="sources") for s in cites)


def test_region_filter_counts_sub_regions(data):
    beijing = network(data, "participation", Filters(regions=("CN-BJ",)))
    assert {"meet-2019", "meet-2021", "rece-workshop-2018"} <= set(beijing)
    # every link kept touches Beijing: its activity is there or serves it, or its actor is based there
    assert all("CN-BJ" in data.places.get(u, frozenset()) | data.places.get(v, frozenset()) for u, v in beijing.edges)
    assert len(beijing) < len(network(data, "participation", Filters()))
    # the Cloud Education Aid Plan serves seven provinces; China contains them
    china = network(data, "participation", Filters(regions=("CN",)))
    assert "cloud-education-aid-plan" in china and "meet-2019" in china
    sichuan = network(data, "participation", Filters(regions=("CN-SC",)))
    assert "cloud-education-aid-plan" in sichuan
    assert all("CN-SC" in data.places.get(u, frozenset()) | data.places.get(v, frozenset()) for u, v in sichuan.edges)


def test_region_filter_keeps_actors_located_there(data):
    # Tencent has no curated location; place it in Guangdong's Shenzhen.
    assert "tencent" not in network(data, "participation", Filters(regions=("CN-GD",)))
    placed = dataclasses.replace(data, places={**data.places, "tencent": frozenset({"shenzhen", "CN-GD", "CN"})})
    g = network(placed, "participation", Filters(regions=("CN-GD",)))
    assert {"tencent", "guanghe-plan", "meet-2019"} <= set(g)
    assert "cloud-education-aid-plan" not in g and "rece" not in g


def test_year_range_uses_the_activity_year_and_drops_unknown_years(data):
    g = network(data, "participation", Filters(since=2022))
    activities = {n for n in g if g.nodes[n]["side"] == "activity"}
    assert {"internet-plus-school", "internet-plus-school-launch-2022"} <= activities
    assert not {"guanghe-plan", "meet-2021", "cloud-education-aid-plan", "rece"} & activities
    early = network(data, "participation", Filters(until=2018))
    assert {"cloud-education-aid-plan", "rece-workshop-2018"} <= set(early)
    assert "rece" not in early and "iioe" not in early  # no known year
    mid = network(data, "participation", Filters(since=2019, until=2021))
    assert {"guanghe-plan", "meet-2019", "meet-2021", "cloud-steam-rural-classroom"} <= set(mid)
    assert "cloud-education-aid-plan" not in mid


def test_type_filter_counts_subclasses_on_either_end(data):
    g = network(data, "participation", Filters(types=("Foundation",)))
    actors = {n for n in g if g.nodes[n]["side"] == "actor"}
    assert {"tencent-charity-foundation", "leping-social-entrepreneur-foundation"} <= actors
    assert all("Foundation" in data.entities[a].classes for a in actors)
    summits = network(data, "participation", Filters(types=("Summit",)))
    assert {n for n in summits if summits.nodes[n]["side"] == "activity"} == {"meet-2019", "meet-2021"}
    orgs = network(data, "coparticipation", Filters(types=("Organization",)))
    assert orgs.number_of_edges() == network(data, "coparticipation").number_of_edges()


def test_min_weight_drops_light_edges_and_lone_nodes(data):
    g = network(data, "coparticipation", Filters(min_weight=2))
    assert all(w >= 2 for *_, w in g.edges(data="weight"))
    assert g.has_edge("macao-tong-chai-charity-association", "rece-team")
    assert all(g.degree(n) > 0 for n in g)


@pytest.mark.parametrize("filters, message", [
    (Filters(roles=("fundr",)), "unknown role 'fundr'; one of: attendee, beneficiary, carries-out, funder"),
    (Filters(types=("Foo",)), "unknown type 'Foo'; one of: Alliance"),
    (Filters(sources=("nope",)), "unknown source 'nope'; one of: "),
    (Filters(regions=("Beijing",)), "unknown region 'Beijing'; one of: CN, CN-AH"),
    (Filters(since=2022, until=2019), "the year range is empty"),
])
def test_unknown_filter_values_list_the_valid_ones(data, filters, message):
    with pytest.raises(UserError) as e:
        network(data, "participation", filters)
    assert message in str(e.value)
    assert "\n" not in str(e.value)


# --------------------------------------------------------------------------- ego


def test_ego_depth_one_and_two(data):
    one = network(data, "ego", entity="tencent-education", depth=1)
    assert {"tencent-education", "guanghe-plan", "meet-2021"} <= set(one)
    assert all(one.has_edge("tencent-education", n) for n in one if n != "tencent-education")  # one step
    two = network(data, "ego", entity="tencent-education", depth=2)
    assert {"china-society-of-education-development-strategy", "li-ming", "pearson"} <= set(two)
    assert "meet-2019" not in two  # three steps away, through Tencent
    assert two.graph["center"] == "tencent-education"
    assert "meet-2019" in network(data, "ego", entity="tencent-education", depth=3)


def test_ego_view_is_in_id_order_whatever_the_hash_seed(data):
    """An ego view of a few nodes was copied from a subgraph view in set order, which follows the
    hash seed: its Louvain communities then changed from one run to the next."""
    g = network(data, "ego", entity="tencent-education", depth=2)
    whole = network(data, "participation", metrics=False)
    assert 2 * len(g) < len(whole), "the case of a subgraph of fewer than half the nodes"
    assert list(g) == sorted(g)
    assert all(list(g[n]) == [m for m in whole[n] if m in g] for n in g)


def test_ego_errors_name_the_problem(data):
    with pytest.raises(UserError, match="unknown entity 'tencent-educaton'; did you mean: tencent-education"):
        network(data, "ego", entity="tencent-educaton")
    with pytest.raises(UserError, match="'CN-BJ' takes part in nothing"):
        network(data, "ego", entity="CN-BJ")
    with pytest.raises(UserError, match="needs an entity"):
        network(data, "ego")
    with pytest.raises(UserError, match="ego view only"):
        network(data, "participation", entity="tencent")


def test_ego_takes_the_filters(data):
    g = network(data, "ego", Filters(roles=("lead", "guide")), entity="guanghe-plan", depth=1)
    assert set(g) == {"guanghe-plan", "tencent-education", "china-society-of-education-development-strategy"}


# --------------------------------------------------------------------------- metrics


def test_metrics_on_the_participation_view(data):
    g = network(data, "participation")
    assert g.graph["betweenness_sample"] == 0  # exact at this size
    assert g.graph["components"] == nx.number_connected_components(g)
    assert g.graph["communities"] == len({c for _, c in g.nodes(data="community")})
    te = g.nodes["tencent-education"]
    assert te["degree"] >= 2 and te["betweenness"] > 0  # it bridges the 光合计划 and MEET 2021
    assert g.nodes["pearson"]["betweenness"] == 0
    # components are numbered largest first
    sizes = [sum(1 for _, c in g.nodes(data="component") if c == i) for i in range(g.graph["components"])]
    assert sizes == sorted(sizes, reverse=True)


def test_betweenness_is_sampled_above_the_threshold(data, monkeypatch):
    monkeypatch.setattr(kn, "EXACT_BETWEENNESS_MAX", 10)
    monkeypatch.setattr(kn, "BETWEENNESS_SAMPLE", 20)
    a, b = network(data, "participation"), network(data, "participation")
    assert a.graph["betweenness_sample"] == 20
    assert dict(a.nodes(data="betweenness")) == dict(b.nodes(data="betweenness"))  # seeded


@pytest.mark.parametrize("view", ["participation", "coparticipation"])
@pytest.mark.parametrize("k", [None, 25])
def test_betweenness_is_networkx_s_on_the_real_views(data, view, k):
    """The numpy Brandes gives networkx's values, exact or from the same seeded pivots."""
    from kg.networks.betweenness import betweenness

    g = network(data, view, metrics=False)
    ours = betweenness(g, k=k, seed=kn.SEED)
    theirs = nx.betweenness_centrality(g, k=k, seed=kn.SEED)
    assert list(ours) == list(theirs)
    assert all(ours[n] == pytest.approx(theirs[n], rel=1e-12, abs=1e-15) for n in g)
    assert any(ours.values())


def test_betweenness_matches_networkx_on_odd_graphs():
    """Several components, isolated nodes, a self-loop, many equal shortest paths."""
    from kg.networks.betweenness import betweenness

    graphs = [nx.Graph(), nx.Graph([("a", "a")]), nx.complete_bipartite_graph(3, 4), nx.grid_2d_graph(4, 5),
              nx.disjoint_union(nx.cycle_graph(7), nx.star_graph(4))]
    graphs[-1].add_nodes_from(["lone"])
    graphs[-1].add_edge(0, 0)
    for g in graphs:
        for k in (None, min(3, len(g))):
            ours, theirs = betweenness(g, k=k, seed=1), nx.betweenness_centrality(g, k=k, seed=1)
            assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-15)


def test_stats_rank_actors_not_activities(data):
    s = kn.network_stats(network(data, "participation"), top=3)
    assert s.nodes > 0 and s.view == "participation"
    assert all(data.entities[n].kind in ("Organization", "Person") for rows in s.top.values() for n, *_ in rows)
    assert s.top["betweenness"][0][2] >= s.top["betweenness"][-1][2]


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize("view", ["participation", "coparticipation"])
def test_gexf_and_graphml_re_import_with_the_same_counts(data, tmp_path, view):
    g = network(data, view)
    export_network(g, "gexf", tmp_path / "g.gexf")
    export_network(g, "graphml", tmp_path / "g.graphml")
    for back in (nx.read_gexf(tmp_path / "g.gexf"), nx.read_graphml(tmp_path / "g.graphml")):
        assert back.number_of_nodes() == g.number_of_nodes()
        assert back.number_of_edges() == g.number_of_edges()
        assert back.nodes["tencent-education"]["label_zh"] == "腾讯教育"
        assert back.nodes["tencent-education"]["degree"] == g.nodes["tencent-education"]["degree"]


def test_graphml_joins_lists(data, tmp_path):
    g = network(data, "participation")
    export_network(g, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert back.edges["xuekewang", "guanghe-plan"]["roles"] == "participant; partner"
    assert ">腾讯教育</data>" in (tmp_path / "g.graphml").read_text(encoding="utf-8")


def test_csv_lists_put_the_actor_first(data, tmp_path):
    g = network(data, "participation")
    nodes, edges = export_network(g, "csv", tmp_path / "csv")
    node_lines = nodes.read_text(encoding="utf-8").splitlines()
    edge_lines = edges.read_text(encoding="utf-8").splitlines()
    assert node_lines[0] == ",".join(NODE_COLUMNS) and len(node_lines) == g.number_of_nodes() + 1
    assert edge_lines[0] == ",".join(EDGE_COLUMNS) and len(edge_lines) == g.number_of_edges() + 1
    funder = next(line for line in edge_lines if line.startswith("tencent-charity-foundation,iioe,"))
    assert ",funder," in funder and "meet-2021:p3" in funder  # the actor first, then the activity
    assert edge_lines[1:] == sorted(edge_lines[1:])


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "csv"])
def test_exports_are_byte_identical(data, built, tmp_path, fmt):
    again = load(EmbeddedStore(built.store_path))
    first = export_network(network(data, "coparticipation"), fmt, tmp_path / f"a.{fmt}")
    second = export_network(network(again, "coparticipation"), fmt, tmp_path / f"b.{fmt}")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_every_view_is_registered_with_a_title(data):
    assert set(VIEWS) == {"participation", "coparticipation", "ego"}
    assert kn.DEFAULT_VIEW in VIEWS
    assert all(v.title("zh") != v.title("en") for v in VIEWS.values())
