"""kg/curation/propose.py: the roles, posts, amounts and groups served a draft proposes, in the form
of facts, and the false positives the corpus notes found (timestamps, lists, generic aliases).
Texts are made up here, with made-up names."""

from __future__ import annotations

from kg.curation.draft import GENERIC_ALIAS, find_dates, find_figures, find_organizations
from kg.curation.propose import Found, beneficiary_words, propose_facts

GROUPS = beneficiary_words({"rural-teachers": {"en": "rural teachers", "zh": "乡村教师"},
                            "left-behind-children": {"en": "left-behind children", "zh": "留守儿童"}})


def _found(text: str, *names: tuple[str, str, str]) -> list[Found]:
    """Found names: (words, id, what) with what one of org, person, occasion (an initiative), event; new
    when the id starts with +."""
    out = []
    for words, target, what in names:
        start = text.index(words)
        out.append(Found(start, start + len(words), target.lstrip("+"), words, actor=what in ("org", "person"),
                         occasion=what in ("occasion", "event"), person=what == "person", new=target.startswith("+"),
                         event=what == "event"))
    return out


def _facts(text: str, *names: tuple[str, str, str], main: Found | None = None) -> list[tuple[str, dict]]:
    return [(p.kind, p.fact) for p in propose_facts(text, _found(text, *names), GROUPS, main=main)]


def _roles(facts: list[tuple[str, dict]]) -> set[tuple[str, str, str]]:
    return {(f["actor"], f["role"], f["in"]) for kind, f in facts if kind == "role"}


def test_a_role_joins_the_subject_of_a_cue_to_the_initiative_of_its_sentence():
    text = "甲基金会与乙大学联合发起丙计划，丁公司承办。"
    facts = _facts(text, ("甲基金会", "jia", "org"), ("乙大学", "yi", "org"), ("丙计划", "bing", "occasion"),
                   ("丁公司", "ding", "org"))
    assert _roles(facts) >= {("jia", "initiator", "bing"), ("yi", "initiator", "bing"), ("ding", "organizer", "bing")}
    assert ("ding", "initiator", "bing") not in _roles(facts), "an actor plays the role of its own cue"


def test_a_passive_or_a_field_puts_the_actors_after_the_cue():
    text = "The Delta Forum was co-organized by the Alpha Bureau and the Beta Bank."
    facts = _facts(text, ("Delta Forum", "delta", "occasion"), ("Alpha Bureau", "alpha", "org"),
                   ("Beta Bank", "beta", "org"))
    assert _roles(facts) == {("alpha", "organizer", "delta"), ("beta", "organizer", "delta")}
    text = "主办单位：甲协会、乙学会。论坛在北京举行。"
    main = Found(0, 0, "forum", "论坛", occasion=True)
    facts = _facts(text, ("甲协会", "jia", "org"), ("乙学会", "yi", "org"), main=main)
    assert _roles(facts) == {("jia", "host", "forum"), ("yi", "host", "forum")}, "the guide: 主办 is host"
    assert all("names no initiative" in f["note"] for _, f in facts), "a fallback says so in its note"


def test_a_speaker_is_at_an_event_and_the_organization_of_a_person_is_not_the_speaker():
    text = "At the Delta Forum on the Gamma Plan, Director Li Wei of the Alpha Bureau gave a speech."
    facts = _facts(text, ("Delta Forum", "delta", "event"), ("Gamma Plan", "gamma", "occasion"),
                   ("Li Wei", "li-wei", "person"), ("Alpha Bureau", "alpha", "org"))
    assert _roles(facts) == {("li-wei", "speaker", "delta")}
    text = "Li Wei gave a speech."
    main, event = Found(0, 0, "gamma", "Gamma Plan", occasion=True), Found(0, 0, "delta", "Delta Forum", occasion=True,
                                                                             event=True)
    facts = [(p.kind, p.fact) for p in propose_facts(text, _found(text, ("Li Wei", "li-wei", "person")), GROUPS,
                                                     main=main, main_event=event)]
    assert _roles(facts) == {("li-wei", "speaker", "delta")}, "the event the document names most, not its initiative"


def test_a_partnership_with_names_partners_on_both_sides():
    text = "The Delta Plan: Alpha Fund entered into a partnership with Beta Trust and Gamma Society."
    facts = _facts(text, ("Delta Plan", "delta", "occasion"), ("Alpha Fund", "alpha", "org"),
                   ("Beta Trust", "beta", "org"), ("Gamma Society", "gamma", "org"))
    assert _roles(facts) == {(x, "partner", "delta") for x in ("alpha", "beta", "gamma")}
    text = "Partners such as Beta Trust and Gamma Society give lessons in the Delta Plan."
    facts = _facts(text, ("Beta Trust", "beta", "org"), ("Gamma Society", "gamma", "org"),
                   ("Delta Plan", "delta", "occasion"))
    assert _roles(facts) == {("beta", "partner", "delta"), ("gamma", "partner", "delta")}


def test_no_role_without_an_actor_and_never_the_initiative_as_its_own_actor():
    text = "The Gamma Plan was launched in 2020."
    assert _facts(text, ("Gamma Plan", "gamma", "occasion")) == []
    text = "甲基金会资助乙项目。"
    facts = _facts(text, ("甲基金会", "+jia-ji-jin-hui", "org"), ("乙项目", "yi", "occasion"))
    (kind, fact), = facts
    assert (kind, fact["actor"], fact["role"]) == ("role", "jia-ji-jin-hui", "funder")
    assert "add the entity" in fact["note"], "a new name's proposed id is flagged for the curator"


def test_a_post_is_an_organization_a_title_and_a_person():
    text = "甲集团副总裁、乙事业群总裁张伟出席丙峰会。"
    facts = _facts(text, ("甲集团", "jia", "org"), ("乙事业群", "yi", "org"), ("张伟", "zhang-wei", "person"),
                   ("丙峰会", "bing", "event"))
    posts = {(f["person"], f["org"], f["post"]["zh"]) for kind, f in facts if kind == "post"}
    assert posts == {("zhang-wei", "jia", "副总裁"), ("zhang-wei", "yi", "总裁")}
    assert _roles(facts) == {("zhang-wei", "attendee", "bing")}, "the employer of the speaker does not attend"
    text = "Wang Fang, director of the Alpha Office and director of the Beta Bureau, spoke."
    facts = _facts(text, ("Alpha Office", "alpha", "org"), ("Beta Bureau", "beta", "org"))
    posts = {(f["person"], f["org"]) for kind, f in facts if kind == "post"}
    assert posts == {("wang-fang", "alpha"), ("wang-fang", "beta")}


def test_an_amount_has_its_currency_giver_recipient_kind_and_qualifier():
    text = "甲基金会向乙计划捐赠超过300万元。"
    (fact,) = [f for kind, f in _facts(text, ("甲基金会", "jia", "org"), ("乙计划", "yi", "occasion"))
               if kind == "amount"]
    assert fact == {"amount": "3000000", "currency": "CNY", "kind": "committed", "from": "jia", "to": "yi",
                    "qualifier": "more-than", "stated": "300万元"}
    text = "The Alpha Fund will invest USD 2 million in the Gamma Plan."
    (fact,) = [f for kind, f in _facts(text, ("Alpha Fund", "alpha", "org"), ("Gamma Plan", "gamma", "occasion"))
               if kind == "amount"]
    assert (fact["amount"], fact["currency"], fact["kind"], fact["from"], fact["to"]) == \
        ("2000000", "USD", "planned", "alpha", "gamma")


def test_whom_an_initiative_serves_comes_from_beneficiary_wording_after_a_cue():
    text = "乙计划为农村教师提供培训，也关爱留守儿童。"
    facts = _facts(text, ("乙计划", "yi", "occasion"))
    assert {(f["subject"], f["serves"]) for kind, f in facts if kind == "serves"} == \
        {("yi", "rural-teachers"), ("yi", "left-behind-children")}
    assert _facts("The Rural Teachers Plan met.", ("Rural Teachers Plan", "rtp", "occasion")) == [], \
        "words inside a name are not a group served"


def test_numbers_of_timestamps_phones_names_and_ordinals_are_no_figures():
    text = "2016-06-09 10:51:42 第38次大会 COVID-19 电话 010-84883561 ©2004-2020 共培训150名教师"
    assert [f.value for f in find_figures(text)] == ["150"]
    assert ("2016-12-26", "26.12.2016", None) in find_dates("26.12.2016 23:35", "2016-12-30")
    assert not any(v.startswith("2004-") for v, _, _ in find_dates("©2004-2020", None))


def test_an_enumeration_of_common_words_is_no_list_of_organizations():
    found = find_organizations("请各地教育主管部门、学校、老师等一起改进管理。甲基金会、乙研究院等机构参加。")
    assert "学校" not in found and not any(o.startswith("老师") for o in found), found
    assert {"甲基金会", "乙研究院"} <= set(found)


def test_generic_aliases_are_not_matched():
    assert all(GENERIC_ALIAS.search(a) for a in ("启动仪式", "签约仪式", "国际研修班", "第一次理事会", "Summit",
                                                 "the launch ceremony"))
    assert not any(GENERIC_ALIAS.search(a) for a in ("甲乙工程", "Alpha Summit", "丙论坛2021"))


def test_a_job_title_is_stripped_from_an_organization_on_either_side_by_one_list():
    for text in ("She is Associate Director of the Alpha Learning Trust, Omega said.",
                 "Former Chairperson of Alpha Learning Trust, Li Wei, spoke."):
        assert "Alpha Learning Trust" in find_organizations(text)
        assert not any("Director" in o or "Chairperson" in o for o in find_organizations(text)), text


def test_a_name_with_and_inside_stays_whole_in_a_coordination():
    text = "Talks include the Omega Development and Reform Commission and Ministry of Finance."
    orgs = find_organizations(text, frozenset({"ministry of finance"}))
    assert "Omega Development and Reform Commission" in orgs
    assert not {"Omega Development", "Reform Commission"} & set(orgs)


def test_a_local_bodys_level_in_lower_case_stays_on_its_name():
    text = "Teachers were honoured, according to the municipal Omega Youth Committee of Delta, on Monday."
    assert "municipal Omega Youth Committee of Delta" in find_organizations(text)
    assert "Omega Youth Committee of Delta" not in find_organizations(text)


def test_a_named_team_is_an_organization_but_a_team_of_teachers_is_not():
    assert "星河手机管家团队" in find_organizations("当日，星河手机管家团队的志愿者来到学校。")
    assert find_organizations("我们的团队很努力，教师团队也来了。") == []
