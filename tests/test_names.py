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


def test_every_name_of_an_entity_finds_it():
    """Each name an entity has (its id, labels in any language, aliases, pinyin) finds it: exactly
    (every name of up to 150 entities spread over the graph, so the test grows with the data, not
    its square), and first in a search (one name of each kind). A name written for one entity
    beats the same text as another's pinyin."""
    from collections import Counter

    from kg.ask.search import PINYIN, exact_matches, name_index, normalize, search

    index = name_index(store())
    for entity in index[::max(1, len(index) // 150)]:
        for name in entity.names:
            found = {h.iri for h in exact_matches(store(), name.text, index=index)}
            assert entity.iri in found or (name.language == PINYIN and found), (entity.id, name)
    owners = Counter(key for entity in index for key in {name.compact for name in entity.names})
    kinds: dict[str, tuple[str, str]] = {}  # a kind of name -> (an entity's IRI, a name only it has)
    for entity in index:
        for name in entity.names:
            if owners[name.compact] == 1:
                kinds.setdefault(f"{'label' if name.preferred else 'alias'}@{name.language or '-'}",
                                 (entity.iri, name.text))
        kinds.setdefault("id", (entity.iri, entity.id.split(":")[-1]))
    assert {"id", "label@en", "label@zh", "alias@en", f"alias@{PINYIN}"} <= set(kinds), sorted(kinds)
    toneless = normalize(kinds[f"alias@{PINYIN}"][1]).replace(" ", "")  # typed without tone marks or spaces
    for kind, (iri, text) in [*kinds.items(), ("toneless pinyin", (kinds[f"alias@{PINYIN}"][0], toneless))]:
        hits = search(store(), text, index=index)
        assert iri in {h.iri for h in hits if h.score == hits[0].score}, (kind, text, hits[:3])


def test_a_name_not_found_reads_the_names_once():
    """Looking for a name that is nowhere (exactly, then by its beginning and the closest names for
    the hint) reads all names once, the one question it asks with no value bound (the others look
    up an id or a hit's classes): reading and normalizing the names is most of what it costs."""

    class Counting:
        def __init__(self) -> None:
            self.unbound = 0

        def query(self, sparql, *, bindings=None):
            self.unbound += not bindings
            return store().query(sparql, bindings=bindings)

        def quads(self):
            return store().quads()

        def labels(self, iris):
            return store().labels(iris)

    counting = Counting()
    with pytest.raises(UserError, match="did you mean"):
        resolve_entity(counting, "Tencnet Educaton")
    assert counting.unbound == 1


def test_a_name_added_to_the_data_is_found_at_once(make_project) -> None:
    """A process keeps a build's store and its name index open (kg.store.embedded.build_store);
    a change to data/ makes a new build, whose names are the ones looked up."""
    project = make_project()
    assert resolve_entity(open_store(project), "甲基金会").endswith("/alpha-foundation")
    with pytest.raises(UserError):
        resolve_entity(open_store(project), "Alpha Fund")
    entities = project.root / "data" / "entities" / "all.yaml"
    text = entities.read_text(encoding="utf-8")
    entities.write_text(text.replace("name: {en: Alpha Foundation, zh: 甲基金会}",
                                     "name: {en: Alpha Foundation, zh: 甲基金会}\n  alias: {en: [Alpha Fund]}"),
                        encoding="utf-8")
    assert resolve_entity(open_store(project), "Alpha Fund").endswith("/alpha-foundation")
