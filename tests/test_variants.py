"""kg/curation/variants.py and the draft's use of it: a known name written another way (the other
order, the other spelling, the owner first or last, a Chinese short form) is proposed as a *near*
match that says so, with the known name it rests on, never as a name found as written. Texts and
names are made up."""

from __future__ import annotations

from kg.curation.draft import Name, draft, with_variants
from kg.curation.reader import load_curation
from kg.curation.variants import chinese_variants, english_variants

ORG = frozenset({"Organization"})
PERSON = frozenset({"Person"})
INITIATIVE = frozenset({"Initiative"})
EVENT = frozenset({"Event"})


def test_english_forms_of_a_known_name():
    assert ("OMEGA Lianhua", "the name in the other order") in english_variants("Lianhua OMEGA", person=True)
    forms = [v for v, _ in english_variants("Teacher Bureau of Omega Municipality", organization=True)]
    assert {"Teacher Bureau at Omega Municipality", "Omega Teacher Bureau"} <= set(forms)
    forms = [v for v, _ in english_variants("Omega Centre for Reading", organization=True, owners={"omega"})]
    assert {"Omega Center for Reading", "Centre for Reading of the Omega"} <= set(forms)
    assert ("Omega Rural Fund", "Fund for Foundation") in english_variants("Omega Rural Foundation", organization=True)
    assert "Minister of Forestry" in [v for v, _ in english_variants("Ministry of Forestry", organization=True)]
    assert ("Lotus Project", "Project written last") in english_variants("Project Lotus", initiative=True)
    assert english_variants("Omega", organization=True) == [], "one word has no other form"


def test_chinese_short_forms_keep_enough_of_the_name():
    assert ("甲乙基金会", "the name without 公益慈善") in chinese_variants("甲乙公益慈善基金会", organization=True)
    assert chinese_variants("甲乙丙丁计划", initiative=True) == [("甲乙丙丁", "the name without 计划")]
    assert chinese_variants("新村行动", initiative=True) == [], "too little would be left"


def test_a_form_that_is_another_entitys_name_or_shared_by_two_is_left_out():
    names = [Name("Lianhua OMEGA", "omega-person", "entity", actor=True, person=True, kinds=PERSON),
             Name("OMEGA Lianhua", "other-person", "entity", actor=True, person=True, kinds=PERSON),
             Name("Omega Centre", "omega-a", "entity", actor=True, kinds=ORG),
             Name("Omega Center", "omega-b", "entity", actor=True, kinds=ORG),
             Name("Beta Centre for Play", "beta-a", "entity", actor=True, kinds=ORG),
             Name("Beta Centre For Play", "beta-b", "entity", actor=True, kinds=ORG)]
    assert [n for n in with_variants(names) if n.near] == []


def test_a_draft_proposes_a_near_match_as_one(make_project):
    cur, problems = load_curation(make_project())
    assert problems == []
    names = [Name("Lianhua OMEGA", "omega-person", "entity", actor=True, person=True, kinds=PERSON),
             Name("Teacher Bureau of Omega Municipality", "omega-bureau", "entity", actor=True, kinds=ORG),
             Name("Omega", "omega", "entity", actor=True, kinds=ORG),
             Name("甲乙公益基金会", "jiayi", "entity", actor=True, kinds=ORG),
             Name("丙丁读书计划", "bingding", "entity", occasion=True, kinds=INITIATIVE),
             Name("Lotus Reading Week", "week", "entity", occasion=True, kinds=EVENT),
             Name("third Lotus Reading Week", "week-3", "entity", occasion=True, kinds=EVENT),
             Name("Omega Center for Play", "omega-centre", "entity", actor=True, kinds=ORG),
             Name("Omega Trust Fund", "omega-fund", "entity", actor=True, kinds=ORG)]
    paras = ["OMEGA Lianhua of the Omega Teacher Bureau opens the third Lotus Reading Week",
             "甲乙基金会推出“丙丁读书”。丙丁读书体系另有安排。",
             "Lianhua OMEGA spoke.",
             "Omega Center for Play and Omega Trust Fund met."]
    d = draft(cur, next(iter(cur.sources.values())), paras, names=names)
    mentions = [(c.at, c.words, c.proposal) for c in d.candidates if c.kind == "mention"]
    near = {(at, p["entity"]): p for at, _, p in mentions if p.get("by") in ("near", "inside")}
    assert near["p1", "omega-person"]["near"] == "Lianhua OMEGA" and near["p1", "omega-person"]["note"]
    assert near["p1", "omega-bureau"]["near"] == "Teacher Bureau of Omega Municipality"
    assert near["p2", "jiayi"]["near"] == "甲乙公益基金会"
    assert near["p1", "week"]["by"] == "inside", "the series inside the name of one of its editions"
    assert near["p4", "omega"]["by"] == "inside", "the organization a unit's name begins with"
    assert [p for at, w, p in mentions if at == "p4" and p["entity"] == "omega"] == [near["p4", "omega"]], \
        "only before a unit's word (Center), not in any name that begins with it"
    assert all(p["confidence"] == "low" for p in near.values())
    assert [w for at, w, p in mentions if p["entity"] == "bingding"] == ["丙丁读书"], \
        "a short form that the text goes on with (丙丁读书体系) is no mention"
    assert ("p1", "Omega", {"entity": "omega"}) in mentions, "a name inside a near match is still found"
    assert ("p3", "Lianhua OMEGA", {"entity": "omega-person"}) in mentions, "the name as written: no near match"
    assert draft(cur, next(iter(cur.sources.values())), paras, names=names).yaml() == d.yaml(), "deterministic"
