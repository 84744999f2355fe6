"""kg.open() on the real data: DataFrames as the sources state them, networks, facts, pages.

The browser test opens a page that holds ``g.show()``'s iframe, as a notebook does, in
headless Chromium (the ``tabs`` of tests/conftest.py); it is skipped when Chromium or
Playwright is missing outside CI.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import kg
from kg.errors import UserError
from kg.graph import Graph, Page
from kg.store.embedded import EmbeddedStore

from conftest import ROOT

pd = pytest.importorskip("pandas", reason="pip install 'kg[notebooks]'")
nx = pytest.importorskip("networkx")


@pytest.fixture(scope="module")
def g(built) -> Graph:
    return kg.open(ROOT)


# --------------------------------------------------------------------------- opening


def test_open_takes_a_project_a_build_folder_or_a_store(built) -> None:
    by_project = kg.open(ROOT)
    by_build = kg.open(built.path)
    by_store = kg.open(store=EmbeddedStore(built.store_path))
    for graph in (by_project, by_build, by_store):
        assert "tencent-charity-foundation" in set(graph.query("funders")["funder"])
    assert by_project.project.root == ROOT


def test_open_refuses_a_folder_that_holds_no_graph(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="neither a project folder"):
        kg.open(tmp_path)


def test_import_kg_loads_no_heavy_library() -> None:
    code = ("import sys, kg; print(sorted(m for m in ('pandas', 'rdflib', 'networkx', 'pyvis', 'pyoxigraph', "
            "'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- questions


def test_query_answers_as_the_source_states_it(g: Graph) -> None:
    funders = g.query("funders")
    assert isinstance(funders, pd.DataFrame)
    assert ["tencent-charity-foundation", "Tencent Charity Foundation", "iioe", "src:meet-2021", "p3"] in (
        funders[["funder", "funderLabel", "funded", "source", "locator"]].values.tolist())


def test_query_binds_parameters_by_id_or_name(g: Graph) -> None:
    anhui = g.query("initiatives-in-region", region="安徽")
    assert ["cloud-education-aid-plan", "CN-AH", "Anhui", "src:cloud-aid", "p7"] in (
        anhui[["what", "reached", "reachedLabel", "source", "locator"]].values.tolist())
    assert set(anhui["reached"]) == {"CN-AH"}
    assert "_region_iri" not in anhui.columns  # the parameter column is hidden, as in kg query
    by_mapping = g.query("partners-of-organization", {"org": "Tencent Charity Foundation"})
    partners = by_mapping[["partner", "initiative", "ownRoles"]].values.tolist()
    assert ["unesco-ichei", "iioe", "funder"] in partners
    assert "tencent-charity-foundation" not in set(by_mapping["partner"])  # its partners, not itself


def test_query_keyword_with_trailing_underscore_is_the_parameter(g: Graph) -> None:
    later = g.query("timeline", from_=2021)
    years = {d[:4] for d in later["date"] if not d.startswith("--")}
    assert years and min(years) >= "2021"
    assert len(later) < len(g.query("timeline"))


def test_query_gives_numbers_as_numbers_and_labels_in_the_asked_language(g: Graph) -> None:
    figures = g.query("targets-and-outcomes")
    assert pd.api.types.is_numeric_dtype(figures["value"])
    students = figures[(figures["counts"] == "students who directly benefited")]
    assert students[["kind", "value", "unit", "asOf", "locator"]].values.tolist() == [
        ["outcome", 38708, "student", "2020-12-31", "p7"]]
    zh = g.query("funders", lang="zh")
    assert "腾讯公益慈善基金会" in set(zh["funderLabel"])  # Chinese labels where the graph has them


def test_query_runs_sparql_text_ask_and_rq_files(g: Graph) -> None:
    frame = g.query("SELECT ?f ?fLabel WHERE { ?f a kg:Foundation } ORDER BY ?f")
    assert "tencent-charity-foundation" in set(frame["f"])
    assert frame.set_index("f").loc["tencent-charity-foundation", "fLabel"] == "Tencent Charity Foundation"
    assert g.query("ASK { kgid:tencent a kg:Company }") is True
    by_file = g.query(str(ROOT / "queries" / "02-funders.rq"))
    assert by_file.equals(g.query("funders"))


def test_query_problems_are_user_errors(g: Graph) -> None:
    with pytest.raises(UserError, match="unknown parameter 'organisation'"):
        g.query("partners-of-organization", organisation="tencent")
    with pytest.raises(UserError, match="no named question 'fundrs'"):
        g.query("fundrs")
    with pytest.raises(UserError, match="refused: DROP"):
        g.query("DROP ALL")
    with pytest.raises(UserError, match="parameters go with a named question"):
        g.query("SELECT * WHERE { ?s ?p ?o }", org="tencent")


def test_questions_lists_every_named_question(g: Graph) -> None:
    listed = g.questions()
    assert {"partners-of-organization", "brokers", "uncertain-facts"} <= set(listed["name"])
    assert listed.set_index("name").loc["partners-of-organization", "parameters"].startswith("org (iri")


# --------------------------------------------------------------------------- networks


def test_network_returns_the_view_as_networkx(g: Graph) -> None:
    co = g.network("coparticipation")
    assert isinstance(co, nx.Graph) and co.graph["view"] == "coparticipation"
    edge = co.edges["tencent-charity-foundation", "unesco-ichei"]
    assert edge["weight"] >= 1 and "International Institute of Online Education" in edge["via"]
    assert "meet-2021:p3" in edge["sources"]
    funders = g.network("participation", roles="funder")
    assert "meet-2021:p3" in funders.edges["iioe", "tencent-charity-foundation"]["sources"]
    assert {r for *_, roles in funders.edges(data="roles") for r in roles} == {"funder"}


def test_network_filters_by_year_region_and_source(g: Graph) -> None:
    assert set(g.network("participation", regions=["CN-AH"])) >= {"cloud-education-aid-plan", "classin"}
    only_2022 = g.network("participation", since=2022, until=2022)
    assert "internet-plus-school" in only_2022 and "guanghe-plan" not in only_2022
    meet = g.network("participation", sources="meet-2021")
    assert {s.split(":")[0] for _, _, ss in meet.edges(data="sources") for s in ss} == {"meet-2021"}


def test_network_with_an_entity_is_its_ego_view(g: Graph) -> None:
    ego = g.network(entity="iioe", depth=1)
    assert ego.graph["view"] == "ego" and {"iioe", "tencent-charity-foundation", "unesco-ichei"} <= set(ego)
    assert all(ego.has_edge("iioe", n) for n in ego if n != "iioe")  # depth 1: its neighbours only


def test_network_names_the_filters_it_knows(g: Graph) -> None:
    with pytest.raises(UserError, match="unknown filter.*'role'.*roles"):
        g.network("participation", role="funder")
    with pytest.raises(UserError, match="unknown role 'sponsor'"):
        g.network("participation", roles="sponsor")


def test_metrics_puts_the_brokers_first(g: Graph) -> None:
    m = g.metrics("participation")
    actors = m[m["kind"].isin(["Organization", "Person"])]
    assert list(actors["betweenness"]) == sorted(actors["betweenness"], reverse=True)  # brokers first
    assert actors.loc["tang-daosheng", "label"] == "Dowson Tong"  # rows are named by id, labelled by name
    assert list(m.columns) == ["label", "kind", "degree", "weighted_degree", "betweenness", "community",
                               "component"]
    assert len(g.metrics(g.network("coparticipation"))) == g.network("coparticipation").number_of_nodes()


# --------------------------------------------------------------------------- facts


def test_describe_gives_each_statement_with_its_sources(g: Graph) -> None:
    facts = g.describe("iioe")
    assert facts.attrs["names"]["en"] == "International Institute of Online Education"
    rows = facts.set_index("statement")
    funds = "Tencent Charity Foundation — funder — International Institute of Online Education"
    assert "meet-2021:p3" in rows.loc[funds, "sources"].split(", ")


def test_describe_marks_uncertain_readings_and_says_how_they_were_stated(g: Graph) -> None:
    facts = g.describe("cloud-education-aid-plan")
    low = facts[facts["sources"].str.contains(r"\[low\]")]
    assert low["sources"].tolist() == ["cloud-aid:p7 [low]"]
    assert "51 student" in low.iloc[0]["statement"] and "stated as '5 1'" in low.iloc[0]["notes"]


def test_describe_an_unknown_entity_is_a_user_error(g: Graph) -> None:
    with pytest.raises(UserError, match="nothing is called 'nobody'"):
        g.describe("nobody")


# --------------------------------------------------------------------------- pages


class _Frames(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "iframe":
            self.frames.append(dict(attrs))


def test_show_is_one_sandboxed_iframe_holding_the_whole_page(g: Graph) -> None:
    page = g.show("coparticipation", sources="meet-2021", height=450)
    markup = page._repr_html_()
    parser = _Frames()
    parser.feed(markup)
    assert parser.tags == ["iframe"], "the page's markup must stay inside srcdoc, escaped"
    frame = parser.frames[0]
    assert frame["srcdoc"] == page.html
    assert frame["sandbox"] == "allow-scripts", "no allow-same-origin: the page cannot reach the notebook"
    assert frame["height"] == "450"
    assert page.html.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page.html
    assert "UNESCO-ICHEI" in page.html and page.title.endswith("(source=meet-2021)")


def test_show_takes_a_graph_and_saves_the_page(g: Graph, tmp_path: Path) -> None:
    ego = g.network(entity="iioe", depth=1)
    page = g.show(ego, lang="zh")
    assert page.title == "个体网络: iioe (深度 1)"
    path = page.save(tmp_path / "iioe.html")
    assert path.read_text(encoding="utf-8") == page.html


def test_page_escapes_what_could_close_the_attribute() -> None:
    markup = Page('<p title="x">a & b</p>', title='"t"')._repr_html_()
    assert markup.startswith('<iframe srcdoc="&lt;p title=&quot;x&quot;&gt;a &amp; b&lt;/p&gt;"')
    assert 'title="&quot;t&quot;"' in markup


@pytest.mark.slow
def test_show_draws_inside_the_iframe_in_chromium(g: Graph, tabs, tmp_path: Path) -> None:
    """The page's CSP (script hashes) holds inside srcdoc; the sandbox keeps it from the notebook.
    (One source's links: the whole view adds nothing here but two seconds of physics.)"""
    page = g.show("participation", sources="meet-2021", height=500)
    notebook = tmp_path / "notebook.html"
    notebook.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>notebook</title></head>"
                        f"<body><div class='output'>{page._repr_html_()}</div></body></html>", encoding="utf-8")
    tab = tabs.take(viewport=(1200, 800), allow=("file://", "about:", "data:"))
    tab.page.goto(notebook.as_uri())
    tab.page.frame_locator("iframe").locator("body[data-ready=true]").wait_for(state="attached", timeout=60_000)
    inner = next(f for f in tab.page.frames if f != tab.page.main_frame)
    stats = inner.evaluate("window.__kgStats")
    reach = inner.evaluate("() => { try { return parent.document.title; } catch (e) { return 'blocked'; } }")
    net = g.network("participation", sources="meet-2021")
    assert (stats["nodes"], stats["edges"]) == (net.number_of_nodes(), net.number_of_edges())
    assert tab.errors == [], "console errors (a CSP violation shows up here)"
    assert tab.outside == []
    assert reach == "blocked"


def test_the_readme_python_example_runs(built) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## From Python"):text.index("## Where things are")]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "kg.open()" in code
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the project's own README
    assert isinstance(namespace["g"], Graph)
