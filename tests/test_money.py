"""Money: amounts with currency, kind, cash or in kind, giver and recipient (issue 14).

A copy of the tiny project with an illustrative project note (tests/data/money/: a budget of
7.7 million yuan in all, 3 million pledged by one foundation, 2.2 million including in-kind
resources from another, about 1 million paid out, up to 50,000 US dollars from a network):
the amounts are written with currency, giver and kind, and the funding questions answer with
totals per currency that never add a qualified amount as exact. Pushed to Virtuoso, they get the
same answers there (tests/test_virtuoso.py, on that module's server).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.project import Project

from conftest import TESTS_DATA, TINY

MONEY = TESTS_DATA / "money"


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    """The tiny project with the project note's source, entities and amounts, built."""
    return funded_project(tmp_path_factory.mktemp("money"))


def funded_project(base: Path) -> Project:
    """The tiny project under ``base`` with the project note's source, entities and amounts,
    built (also pushed to Virtuoso by tests/test_virtuoso.py)."""
    from conftest import copy_tiny

    project = copy_tiny(base)
    tiny = TINY / "data"
    (base / "shared" / "seeds" / "doc-b.txt").write_text((MONEY / "doc-b.txt").read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    sources = (tiny / "sources.yaml").read_text(encoding="utf-8") + (
        "  - id: doc-b\n    file: doc-b.txt\n    title: {en: A project note (an illustration)}\n"
        "    date: \"2025-01-15\"\n    language: en\n    kind: web-page\n")
    files = {
        "data/sources.yaml": sources,
        "data/entities/all.yaml": (tiny / "entities" / "all.yaml").read_text(encoding="utf-8")
        + (MONEY / "entities.yaml").read_text(encoding="utf-8"),
        "data/facts/doc-b.yaml": (MONEY / "facts.yaml").read_text(encoding="utf-8"),
    }
    for rel, text in files.items():
        (project.root / rel).write_text(text, encoding="utf-8")
    result = kg(project, "build")
    assert result.exit_code == 0, result.output
    return project


FUNDING_QUESTIONS = ("funding-by-funder", "funding-by-initiative", "funding-by-region", "funding-by-year")


def kg(project, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def rows(project, query: str) -> list[dict[str, str]]:
    result = kg(project, "query", query, "--format", "json")
    assert result.exit_code == 0, result.output
    return [{k: v["value"].rsplit("/", 1)[-1] if v["type"] == "uri" else v["value"] for k, v in b.items()}
            for b in json.loads(result.output)["results"]["bindings"]]


def by(rows: list[dict[str, str]], *keys: str) -> dict[tuple[str, ...], list[dict[str, str]]]:
    out: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for r in rows:
        out.setdefault(tuple(r.get(k, "") for k in keys), []).append(r)
    return out


def test_the_note_validates_and_every_amount_has_currency_giver_and_kind(funded):
    assert kg(funded, "validate").exit_code == 0
    assert "omega-foundation" not in kg(funded, "lint").output  # named by an amount only: used
    got = {(r["funder"], r["currency"], r["kind"], r["value"], r.get("qualifier", ""), r.get("form", ""))
           for r in rows(funded, "funding-by-funder")}
    assert got == {
        ("alpha-foundation", "CNY", "committed", "3000000", "", ""),
        ("alpha-foundation", "CNY", "disbursed", "1000000", "about", ""),
        ("beta-network", "USD", "committed", "50000", "up-to", ""),
        ("omega-foundation", "CNY", "committed", "2200000", "", got_form(funded)),
    }
    assert set(got_form(funded).split(", ")) == {"cash", "in-kind"}


def got_form(project) -> str:
    return next(r["form"] for r in rows(project, "funding-by-funder") if r["funder"] == "omega-foundation")


def test_funding_by_funder_totals_per_currency_and_kind(funded):
    groups = by(rows(funded, "funding-by-funder"), "funder", "currency", "kind")
    alpha = groups["alpha-foundation", "CNY", "committed"][0]
    assert (alpha["exactTotal"], alpha["qualifiedAmounts"]) == ("3000000", "0")
    paid = groups["alpha-foundation", "CNY", "disbursed"][0]  # "about" 1 million: never an exact total
    assert "exactTotal" not in paid and paid["qualifiedAmounts"] == "1"
    assert all(r["source"] == "doc-b" and r["locator"]
               for g in groups.values() for r in g)


def test_funding_by_initiative_keeps_the_whole_apart_from_the_contributions(funded):
    groups = by(rows(funded, "funding-by-initiative"), "recipient", "currency", "kind", "scope")
    whole = groups["delta-teacher-project", "CNY", "planned", "whole"]
    assert [(r["value"], r["exactTotal"]) for r in whole] == [("7700000", "7700000")]
    pledged = groups["delta-teacher-project", "CNY", "committed", "contribution"]
    assert {r["funder"] for r in pledged} == {"alpha-foundation", "omega-foundation"}
    assert {r["exactTotal"] for r in pledged} == {"5200000"}  # 3 + 2.2 million, beside the 7.7 in all
    dollars = groups["delta-teacher-project", "USD", "committed", "contribution"]  # never converted
    assert [(r["value"], r["qualifier"], r.get("exactTotal")) for r in dollars] == [("50000", "up-to", None)]


def test_funding_by_region_and_by_year(funded):
    regions = by(rows(funded, "funding-by-region"), "region", "currency", "kind", "scope")
    yunnan = regions["CN-YN", "CNY", "committed", "contribution"]
    assert {r["exactTotal"] for r in yunnan} == {"5200000"}
    assert {r["via"] for r in yunnan} == {"recipient reaches"}
    years = rows(funded, "funding-by-year")
    assert (years[0]["year"], years[0]["value"], years[0]["qualifier"]) == ("2024", "1000000", "about")
    assert all("year" not in r for r in years[1:])  # undated amounts have no year, and come last


def test_describe_tells_each_amount_with_its_qualifier_first(funded):
    out = kg(funded, "describe", "delta-teacher-project").output
    assert "amount: 7,700,000 CNY planned to Delta Teacher Project\n      from doc-b:p2" in out
    assert "amount: 2,200,000 CNY committed (cash, in-kind) from Omega Foundation to Delta Teacher Project" in out
    assert ("amount: about 1,000,000 CNY disbursed from Alpha Foundation to Delta Teacher Project, "
            "as of 2024-12-31") in out
    assert "Omega Foundation — funder — Delta Teacher Project" in out  # the amount states the role


def test_funder_edges_and_the_page_carry_the_amounts(funded, tmp_path):
    from kg.graph import open_store
    from kg.networks.views import Filters, load, network

    g = network(load(open_store(funded)), "participation", Filters(roles=("funder",)))
    assert g.edges["alpha-foundation", "delta-teacher-project"]["amounts"] == [
        "3,000,000 CNY committed", "about 1,000,000 CNY disbursed"]
    assert "amounts" not in g.edges.get(("alpha-foundation", "gamma-plan"), {})
    page = tmp_path / "page.html"
    assert kg(funded, "viz", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "up to 50,000 USD committed" in html and "ui.amounts" in html
    assert 'src="http' not in html and "href=\"http" not in html  # offline: nothing fetched


def test_both_engines_answer_the_funding_questions_alike(funded):
    """The totals use aggregates and optional parts where engines may differ: rdflib agrees."""
    import rdflib
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
    from test_cross_engine import _rdflib_rows, _rows

    from kg.ask.questions import load_query
    from kg.build.dataset import ensure_built
    from kg.store.embedded import EmbeddedStore

    built = ensure_built(funded)
    ds = rdflib.Dataset()
    ds.parse(built.nquads, format="nquads")
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    for s, p, o, graph in list(ds.quads((None, None, None, None))):
        if graph is not None and graph != DATASET_DEFAULT_GRAPH_ID:
            default.add((s, p, o))
    oxi = EmbeddedStore(built.store_path)
    for name in FUNDING_QUESTIONS:
        text = load_query(funded, name).text
        expected = _rows(oxi.query(text), text)
        assert sum(expected.values()) >= 4, name
        assert _rdflib_rows(ds, text, {}) == expected, name


def test_the_shapes_catch_a_bad_amount_that_did_not_come_through_the_reader(funded):
    import pyoxigraph as ox

    from kg.build.triples import dataset_quads
    from kg.build.validate import shacl_problems
    from kg.curation.reader import load_curation
    from kg.model.vocab import ID, KG, RDF, SCHEMA, XSD

    cur, problems = load_curation(funded)
    assert problems == []
    quads = dataset_quads(cur)
    bad, graph = ox.NamedNode(ID["bad-amount"]), ox.NamedNode(ID["bad-graph"])
    quads += [ox.Quad(bad, ox.NamedNode(p), o, graph) for p, o in (
        (RDF.type, ox.NamedNode(KG.Amount)),
        (SCHEMA.value, ox.Literal("-5", datatype=ox.NamedNode(XSD.integer))),
        (SCHEMA.currency, ox.Literal("RMB yuan")),
        (KG.amountKind, ox.NamedNode(KG.cash)),  # a form, not a kind
        (SCHEMA.fundedItem, ox.NamedNode(ID["CN-YN"])),  # a region receives nothing
    )]
    found = {p.message.split(": ", 2)[-1].split(" (value")[0] for p in shacl_problems(funded.shapes_file, quads, {})
             if "bad-amount" in p.message}
    assert found == {"an amount has exactly one value, a number not below zero",
                     "an amount has exactly one currency, an ISO 4217 code such as CNY",
                     "an amount has exactly one kind, a concept of kg:AmountKinds",
                     "an amount goes to exactly one initiative, event or organization"}


def test_kg_diff_tells_the_amounts_a_document_adds(funded, tmp_path):
    from conftest import copy_tiny

    before = copy_tiny(tmp_path)
    assert kg(before, "build").exit_code == 0
    result = CliRunner().invoke(main, ["diff", str(before.root), str(funded.root), "--project", str(funded.root)])
    assert result.exit_code == 0, result.output
    assert "delta-teacher-project: about 1,000,000 CNY disbursed from alpha-foundation (2024-12-31)" in result.output
    assert "delta-teacher-project: 7,700,000 CNY planned" in result.output
