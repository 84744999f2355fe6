"""Naming an entity: ``kg describe``, ``_iri`` parameters and the ego view's ``--entity`` all
read names through :func:`kg.ask.names.resolve_entity`, so a name that works in one works in all."""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.ask.describe import describe
from kg.ask.names import entity_id, resolve_entity
from kg.cli import main
from kg.errors import UserError
from kg.graph import open_store
from kg.model.vocab import ID, ROLE
from kg.project import Project
from kg.store.embedded import EmbeddedStore

from conftest import ROOT

PROJECT = Project(ROOT)


@cache
def store() -> EmbeddedStore:
    return open_store(PROJECT)


def kg(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--project", str(ROOT)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("value", ["tencent", "kgid:tencent", "<https://w3id.org/edu-equity-kg/id/tencent>",
                                   "https://w3id.org/edu-equity-kg/id/tencent", "Tencent", "腾讯", " tencent "])
def test_an_id_a_prefixed_name_an_iri_or_a_name(value):
    assert resolve_entity(store(), value) == ID.tencent


def test_names_in_any_language_pinyin_and_iso_codes():
    assert resolve_entity(store(), "guang he ji hua") == ID["guanghe-plan"]
    education = ID["tencent-education"]
    assert resolve_entity(store(), "Tencent Education") == resolve_entity(store(), "腾讯教育") == education
    assert resolve_entity(store(), "CN-AH") == resolve_entity(store(), "cn-ah") == ID["CN-AH"]
    assert resolve_entity(store(), "110108") == ID["beijing-haidian"]  # a division code (GB/T 2260)
    assert resolve_entity(store(), "funder") == ROLE.funder


def test_an_ambiguous_name_lists_the_candidates():
    label = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    graph = ox.NamedNode("https://w3id.org/edu-equity-kg/fact/x/p1")
    tiny = EmbeddedStore(quads=[ox.Quad(ox.NamedNode(ID[i]), label, ox.Literal("Sunshine", language="en"), graph)
                                for i in ("sunshine-school", "sunshine-foundation")])
    with pytest.raises(UserError, match=r"'sunshine' names 2 entities: sunshine-foundation \(Sunshine\); "
                                        r"sunshine-school \(Sunshine\); give one id"):
        resolve_entity(tiny, "sunshine")


def test_a_name_that_begins_several_names_is_ambiguous():
    with pytest.raises(UserError, match=r"begins the names of 2 entities: tencent-charity-foundation .*; "
                                        r"tencent-cloud \(Tencent Cloud\); give one id"):
        resolve_entity(store(), "Tencent C")


def test_an_unknown_name_suggests_the_closest():
    with pytest.raises(UserError, match=r"^kg: entity: nothing is called 'Tencnet Educaton'; did you mean: "
                                        r"tencent-education"):
        resolve_entity(store(), "Tencnet Educaton")
    with pytest.raises(UserError, match="is not a valid IRI"):
        resolve_entity(store(), "http://exa mple.org/x")


def test_describe_takes_any_name_and_reports_the_id():
    by_name = describe(store(), "腾讯")
    assert by_name.id == "tencent"
    assert [s.text for s in by_name.statements] == [s.text for s in describe(store(), "tencent").statements]


@pytest.mark.parametrize("name", ["腾讯", "Tencent Education", "kgid:tencent-education"])
def test_kg_describe_by_name(name):
    code, out = kg("describe", name)
    assert code == 0, out
    assert out.startswith("tencent")


def test_kg_describe_unknown_or_ambiguous_is_one_line():
    for name in ("Tencent C", "no such thing at all"):
        code, out = kg("describe", name)
        assert code == 1 and len(out.strip().splitlines()) == 1, out


def test_the_same_name_works_in_describe_a_parameter_and_the_ego_view():
    code, out = kg("query", "partners-of-organization", "--param", "org=Tencent Education", "--format", "csv")
    assert code == 0 and "china-society-of-education-development-strategy" in out
    code, out = kg("network", "stats", "--entity", "腾讯教育", "--depth", "1")
    assert code == 0 and "tencent-education" in out, out
    assert entity_id(store(), "Tencent Education") == "tencent-education"


def test_the_ego_view_reports_an_unknown_name_in_one_line():
    code, out = kg("network", "stats", "--entity", "Tencnet Educaton")
    assert code == 1 and out.startswith("kg: entity: nothing is called") and len(out.strip().splitlines()) == 1
