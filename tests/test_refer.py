"""kg/curation/refer.py and the draft's use of it: a reference without a name ("the Foundation",
"该项目", an abbreviation the text defines) is proposed as the entity it refers to, marked as
resolved by reference with its antecedent, never as a name found. Texts and names are made up."""

from __future__ import annotations

from kg.curation.draft import Name, draft, find_mentions
from kg.curation.reader import load_curation
from kg.curation.refer import Referent, find_references, resolve

ORG = frozenset({"Organization"})
INITIATIVE = frozenset({"Initiative"})


def _referent(para: int, start: int, target: str, kinds: frozenset[str], name: str) -> Referent:
    return Referent(para, start, start + len(name), target, kinds, name, (name.casefold(),))


def test_a_definite_noun_is_a_reference_but_a_name_or_a_plural_is_not():
    text = "The Foundation for Omega Studies met the foundations; the Summit Board and the summit closed."
    assert [r.words for r in find_references(text)] == ["the summit"]
    assert [r.words for r in find_references("此次论坛由甲举办，该基金会出资。")] == ["此次论坛", "该基金会"]


def test_an_organization_noun_needs_an_antecedent_whose_name_holds_it():
    trust = _referent(1, 0, "omega-trust", ORG, "Omega Trust")
    ref = find_references("Later the Foundation paid.")[0]
    assert resolve(ref, 2, [trust]) is None, "a trust is not 'the Foundation'"
    plan = _referent(1, 20, "omega-plan", INITIATIVE, "Omega Scheme")
    assert resolve(find_references("该项目覆盖三省。")[0], 2, [trust, plan]) == plan, "an occasion's noun: its kind"


def test_the_title_and_lead_come_before_a_nearer_antecedent_in_an_earlier_paragraph():
    lead = _referent(1, 0, "alpha", ORG, "Alpha Rural Foundation")
    partner = _referent(3, 10, "beta", ORG, "Beta Trust Foundation")
    ref = find_references("Staff of the Foundation visited.")[0]
    assert resolve(ref, 4, [lead, partner]) == lead
    here = _referent(4, 0, "gamma", ORG, "Gamma Foundation")
    ref = find_references("Gamma Foundation said the Foundation will stay.")[0]
    assert resolve(ref, 4, [lead, partner, here]) == here, "the same paragraph first"


def test_a_draft_proposes_what_a_reference_or_an_abbreviation_refers_to(make_project):
    cur, problems = load_curation(make_project())
    assert problems == []
    names = [Name("Alpha Rural Foundation", "alpha", "entity", actor=True, kinds=ORG),
             Name("Beta Trust Foundation", "beta", "entity", actor=True, kinds=ORG),
             Name("Gamma Reading Plan", "gamma", "entity", occasion=True, kinds=INITIATIVE)]
    paras = ["Alpha Rural Foundation opens Gamma Reading Plan",
             "The Alpha Rural Foundation (ARF) works with Beta Trust Foundation in three counties.",
             "The Foundation launched the project last May.",
             "Teachers trained by ARF met in June."]
    d = draft(cur, next(iter(cur.sources.values())), paras, names=names)
    mentions = [(c.at, c.proposal) for c in d.candidates if c.kind == "mention"]
    assert ("p3", {"entity": "alpha", "by": "reference",
                   "antecedent": {"at": "p1", "words": "Alpha Rural Foundation"}}) in mentions
    assert ("p3", {"entity": "gamma", "by": "reference",
                   "antecedent": {"at": "p1", "words": "Gamma Reading Plan"}}) in mentions
    assert any(at == "p4" and p["entity"] == "alpha" and p["by"] == "abbreviation" for at, p in mentions)
    assert all("by" not in p for at, p in mentions if at in ("p1", "p2")), "a name found is no reference"
    roles = {(c.at, c.proposal["actor"], c.proposal["role"], c.proposal["in"]) for c in d.candidates
             if c.kind == "role"}
    assert ("p3", "alpha", "launcher", "gamma") in roles, "a reference plays its antecedent's role"
    assert draft(cur, next(iter(cur.sources.values())), paras, names=names).yaml() == d.yaml(), "deterministic"


def test_a_name_matches_its_words_joined_or_hyphenated():
    name = Name("Omega Tong Chai Trust", "omega", "entity", actor=True, kinds=ORG)
    for text in ("the Omega Tongchai Trust met", "the Omega Tong-Chai Trust met"):
        assert [n.target for _, _, n in find_mentions(text, [name])] == ["omega"], text
    assert find_mentions("the Omega Tong Chaise Trust", [name]) == [], "still whole words"


def test_a_chinese_clause_that_begins_with_a_bare_noun_is_a_reference_not_a_new_name(make_project):
    cur, _ = load_curation(make_project())
    names = [Name("甲乙教育中心", "jiayi", "entity", actor=True, kinds=ORG)]
    paras = ["甲乙教育中心在丙市成立", "根据协议，中心实行理事会治理和主任负责制，中心可以接受捐赠。"]
    d = draft(cur, next(iter(cur.sources.values())), paras, names=names)
    assert not [c.words for c in d.candidates if c.kind == "new-organization" and c.words.startswith("中心")]
    assert [(c.at, c.proposal["entity"], c.proposal["by"]) for c in d.candidates if "by" in c.proposal] == \
        [("p2", "jiayi", "reference")]


def test_both_parties_are_the_two_organizations_of_the_title_and_lead(make_project):
    cur, _ = load_curation(make_project())
    names = [Name("甲乙研究院", "jiayi", "entity", actor=True, kinds=ORG),
             Name("丙丁中心", "bingding", "entity", actor=True, kinds=ORG),
             Name("戊己学会", "wuji", "entity", actor=True, kinds=ORG)]
    paras = ["甲乙研究院与丙丁中心签约", "会上，双方交换了文本。", "戊己学会派员列席。", "今后双方将定期会商。"]
    d = draft(cur, next(iter(cur.sources.values())), paras, names=names)
    parties = [c for c in d.candidates if c.kind == "mention" and c.words == "双方"]
    assert {(c.at, c.proposal["entity"]) for c in parties} == {(at, e) for at in ("p2", "p4")
                                                                for e in ("jiayi", "bingding")}
    assert all(c.proposal["by"] == "reference" and c.proposal["note"] for c in parties), "it says what it rests on"


def test_a_speaker_in_a_paragraph_that_names_no_event_is_at_the_documents_event(make_project):
    cur, _ = load_curation(make_project())
    names = [Name("Omega Reading Forum", "forum", "entity", occasion=True, kinds=frozenset({"Event"})),
             Name("Alpha Rural Foundation", "alpha", "entity", actor=True, kinds=ORG)]
    paras = ["Omega Reading Forum opens", "Alpha Rural Foundation hosted the Omega Reading Forum.",
             "Ms Delta was delivering a speech.", "The weather was fine."]
    d = draft(cur, next(iter(cur.sources.values())), paras, names=names)
    by_ref = {(c.at, c.proposal["entity"]) for c in d.candidates if c.kind == "mention" and "by" in c.proposal}
    assert ("p3", "forum") in by_ref and not any(at == "p4" for at, _ in by_ref)


def test_an_abbreviation_of_a_few_quoted_words_is_one():
    from kg.curation.refer import abbreviation_after
    text = 'the Omega Office (referred to as "Omega Rural Office") met'
    assert abbreviation_after(text, len("the Omega Office")) == "Omega Rural Office"
