"""kg/model: the terms the code names agree with kg.ttl; kinds, relations and the two shared
rules (label choice, class closure) behave as documented on the real ontology."""

from __future__ import annotations

import pytest

from kg.model.generate import MODULE, defined_terms, module_text
from kg.model.hierarchy import closure, inverse
from kg.model.kg_terms import TERMS
from kg.model.labels import choose_label, choose_language
from kg.model.ontology import load_ontology, read_ontology
from kg.model.relations import RELATIONS
from kg.model.vocab import KG


@pytest.fixture(scope="module")
def onto(project):
    return load_ontology(project.ontology_file)


def test_vocab_terms_and_kg_ttl_agree_both_ways(project):
    defined = set(defined_terms(project.ontology_file))
    assert set(TERMS) - defined == set(), "kg_terms.py names terms kg.ttl lost"
    assert defined - set(TERMS) == set(), "kg.ttl defines terms kg_terms.py lacks: run python -m kg.model.generate"
    assert MODULE.read_text(encoding="utf-8") == module_text(project.ontology_file), \
        "kg/model/kg_terms.py is stale: run python -m kg.model.generate"


def test_a_typo_in_a_term_is_an_error_not_a_wrong_iri():
    with pytest.raises(AttributeError, match="Kindergarden"):
        KG.Kindergarden  # noqa: B018


def test_every_class_of_an_entity_has_exactly_one_root_kind(onto):
    assert onto.kinds and len(set(onto.kinds)) == len(onto.kinds)
    for kind in onto.kinds:
        assert onto.kind_of(kind) == kind
    for cls in onto.entity_classes():
        assert onto.kind_of(cls) in onto.entity_kinds
    # figures, participations, facts and sources are not entities
    for cls in ("Target", "Participation", "Fact", "Source", "Role", "Theme"):
        assert onto.kind_of(cls) is None, cls


def test_actor_and_activity_kinds_come_from_prov(onto):
    assert set(onto.actor_kinds) >= {"Organization", "Person"}
    assert set(onto.activity_kinds) >= {"Initiative", "Event"}
    assert not set(onto.actor_kinds) & set(onto.activity_kinds)


def test_relations_name_only_kinds_of_the_ontology(onto):
    for r in RELATIONS.values():
        assert r.target in ("ref", "date", "theme", "beneficiary"), r.key
        assert set(r.subjects) <= set(onto.kinds), r.key
        assert set(r.objects) <= set(onto.kinds), r.key
        assert bool(r.objects) == (r.target == "ref"), r.key
        for subjects, objects, _ in r.cases:
            assert set(subjects or ()) | set(objects or ()) <= set(onto.kinds), r.key


def test_the_dataset_carries_the_same_ontology(onto, project, built):
    from kg.graph import open_store

    from_store = read_ontology(open_store(project))
    assert from_store.kinds == onto.kinds
    assert from_store.parents == onto.parents
    assert from_store.broader == onto.broader


def test_label_choice_follows_one_documented_order():
    names = {"zh": "腾讯", "en": "Tencent", "zh-Latn-pinyin": "téng xùn", "de": "Tencent (de)"}
    assert choose_label(names, "zh") == "腾讯"
    assert choose_label(names, "ZH-hans") == "腾讯"  # tags compare without case; primary language
    assert choose_label(names, "fr") == "Tencent"  # then English
    assert choose_label({k: v for k, v in names.items() if k != "en"}, "fr") == "腾讯"  # then Chinese
    assert choose_label({"zh-Latn-pinyin": "téng xùn", "de": "x"}, "en") == "téng xùn"  # then pinyin
    assert choose_label({"fr": "b", "de": "a"}, "en") == "a"  # then any, by tag
    assert choose_label({}, "en", "tencent") == "tencent"  # then the caller's default
    assert choose_language(["EN"], "en") == "EN"  # the tag as given


def test_closure_follows_links_both_ways(onto):
    below = closure(inverse(onto.parents), "Organization")
    assert {"School", "Company", "Organization"} <= below
    assert all("Organization" in onto.ancestors(c) for c in below)
    assert closure({1: [2], 2: [1]}, 1) == {1, 2}
