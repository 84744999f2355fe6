"""Each named question in queries/, run on the real built data, answers as the sources state it.

Also: the header parser on the real files and on one invalid file per case, parameter
resolution, and queries/README.md being in step with the queries and the data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from kg.ask.catalogue import readme
from kg.ask.questions import list_queries, load_query, parse_query_file
from kg.ask.results import cell
from kg.ask.running import run, run_named
from kg.errors import UserError
from kg.graph import open_store
from kg.project import Project
from kg.store.embedded import EmbeddedStore

from conftest import ROOT, TESTS_DATA

INVALID = TESTS_DATA / "invalid-queries"
PROJECT = Project(ROOT)


@cache
def store() -> EmbeddedStore:
    return open_store(PROJECT)


def answer(name: str, **params: str) -> list[dict[str, str]]:
    """The rows of a named question, each a dict of column -> printed value."""
    result = run_named(store(), load_query(PROJECT, name), params)
    return [{c: cell(t) for c, t in zip(result.columns, row, strict=True)} for row in result.rows]


def split(text: str) -> set[str]:
    return {x.strip() for x in text.split(",") if x.strip()}


# --- the real files ----------------------------------------------------------------------------------


def test_there_are_at_least_25_named_questions_with_summaries():
    queries = list_queries(PROJECT)
    assert len(queries) >= 25
    assert all(q.summary and q.description for q in queries)
    assert len({q.name for q in queries}) == len(queries)


def test_checks_are_not_named_questions():
    assert not any("violation" in q.name for q in list_queries(PROJECT))


def test_every_named_question_is_tested_here():
    source = Path(__file__).read_text(encoding="utf-8")
    untested = [q.name for q in list_queries(PROJECT) if f'answer("{q.name}"' not in source]
    assert untested == []


def test_readme_lists_every_question_and_is_up_to_date():
    text = (ROOT / "queries" / "README.md").read_text(encoding="utf-8")
    assert text == readme(PROJECT, store()), "queries/README.md is stale: run python -m kg.ask.catalogue"
    for q in list_queries(PROJECT):
        assert f"kg query {q.name}" in text


# --- each named question -----------------------------------------------------------------------------


def test_partners_of_tencent_education_through_the_guanghe_plan():
    rows = answer("partners-of-organization", org="tencent-education")
    assert {r["initiative"] for r in rows} == {"guanghe-plan"}
    by_partner = {r["partner"]: r for r in rows}
    # guanghe-2019 p1: led by Tencent Education under the guidance of 中国教育发展战略学会
    society = by_partner["china-society-of-education-development-strategy"]
    assert {"guide", "supporter", "launcher"} == split(society["partnerRoles"])
    assert split(society["ownRoles"]) == {"lead"}
    assert {"vipkid", "yangcong-shuxue", "tuoside", "pearson", "huohua-siwei"} <= set(by_partner)
    assert "tencent-education" not in by_partner


def test_partners_of_a_group_count_its_units():
    rows = answer("partners-of-organization", org="腾讯")  # Tencent, by its Chinese name
    assert split(next(r for r in rows if r["partner"] == "pearson")["ownRoles"]) == {"initiator", "lead"}
    assert "tencent-education" not in {r["partner"] for r in rows}


def test_funders():
    rows = answer("funders")
    assert ("tencent-charity-foundation", "iioe", "src:meet-2021", "p3") in {
        (r["funder"], r["funded"], r["source"], r["locator"]) for r in rows}


def test_initiatives_reaching_china_count_its_provinces_and_districts():
    rows = answer("initiatives-in-region", region="CN")
    cloud = {r["reached"] for r in rows if r["what"] == "cloud-education-aid-plan"}
    assert cloud == {"CN-AH", "CN-QH", "CN-YN", "CN-HI", "CN-GS", "CN-SC", "CN-NX"}  # cloud-aid p7
    community = {r["reached"] for r in rows if r["what"] == "new-infrastructure-public-welfare-community"}
    assert community == {"beijing-changping", "shanghai-xuhui", "dongguan", "shenzhen-nanshan"}


def test_initiatives_in_guangdong_reach_down_through_shenzhen_to_nanshan():
    rows = answer("initiatives-in-region", region="Guangdong")
    assert {"dongguan", "shenzhen-nanshan"} <= {r["reached"] for r in rows}
    assert "CN-AH" in {r["reached"] for r in answer("initiatives-in-region", region="安徽")}


def test_people_and_posts_at_tencent_and_its_units():
    rows = answer("people-and-posts", org="tencent")
    posts = {(r["person"], r["title"], r["at"]) for r in rows}
    assert ("tang-daosheng", "高级执行副总裁", "tencent") in posts  # guanghe-2019 p1
    assert ("tang-daosheng", "总裁", "cloud-and-smart-industries-group") in posts
    assert ("fu-manqing", "Vice-President", "tencent-education") in posts  # meet-2021 p4
    assert ("fu-manqing", "Vice-President", "tencent-cloud") in posts
    assert "dou-ruigang" not in {r["person"] for r in rows}  # Tencent Charity Foundation is no unit of Tencent


def test_suborganization_tree():
    rows = answer("suborganization-tree", org="ministry-of-education")
    assert {
        ("moe-department-of-science-technology-and-informatization", "ministry-of-education", "1"),
        ("moe-education-informatization-division", "moe-department-of-science-technology-and-informatization", "2"),
    } <= {(r["unit"], r["parent"], r["depth"]) for r in rows}
    tencent = answer("suborganization-tree", org="tencent")
    assert {"tencent-education", "tencent-cloud", "cloud-and-smart-industries-group"} <= {r["unit"] for r in tencent}
    assert "tencent-charity-foundation" not in {r["unit"] for r in tencent}  # a foundation, no unit of Tencent
    bnu = answer("suborganization-tree", org="beijing-normal-university")
    # the university's education foundation is affiliated with it, not one of its units (question 37)
    assert ("bnu-momo-class-development-center", "unit of") in {(r["unit"], r["relation"]) for r in bnu}
    assert "bnu-education-foundation" not in {r["unit"] for r in bnu}


def test_affiliations_of_an_organization_say_whether_a_document_states_them():
    rows = answer("affiliations-of-organization", org="tencent-charity-foundation")
    # the curators' link (data/facts/curators.yaml) is marked as their knowledge, every other row as a
    # document's, whatever documents come to say about the foundation
    assert ("tencent", "src:curators", "curators' knowledge") in {(r["other"], r["source"], r["basis"]) for r in rows}
    assert all((r["basis"] == "curators' knowledge") == (r["source"] == "src:curators") for r in rows)
    assert all(r["rollsUpTo"] == "tencent" for r in rows)
    tencent = answer("affiliations-of-organization", org="tencent")
    units = {r["other"] for r in tencent if r["relation"] == "has unit"}
    assert {"tencent-education", "tencent-cloud"} <= units
    assert all(r["basis"] == "document" for r in tencent if r["relation"] == "has unit")
    assert all(r["source"] and r["locator"] for r in tencent)


def test_rolled_up_organizations_follow_units_to_the_top():
    rows = answer("rolled-up-organizations")
    top = {r["member"]: r["organization"] for r in rows}
    # a division of a department of the ministry (internet-school-2022 p6) counts as the ministry
    assert top["moe-education-informatization-division"] == "ministry-of-education"
    assert top["tencent-education"] == "tencent" and top["tencent-charity-foundation"] == "tencent"
    assert not set(top) & set(top.values()), "a top organization rolls up no further"


def test_brokers_and_partners_with_roll_up_count_no_unit_apart():
    rolled = {r["member"] for r in answer("rolled-up-organizations")}
    brokers = answer("brokers", roll_up="true")
    assert brokers and not {r["broker"] for r in brokers} & rolled
    pairs = answer("organizations-working-together", roll_up="true")
    assert not {x for r in pairs for x in (r["a"], r["b"])} & rolled
    funders = answer("funders", roll_up="true")
    assert all(r["member"] in rolled for r in funders if r["member"])
    assert not {r["funder"] for r in funders} & rolled


def test_organizations_working_together_in_two_initiatives():
    rows = answer("organizations-working-together")
    # IIOE (funded by the foundation, launched by UNESCO-ICHEI) and the MEET 2021 joint initiative
    # (launched by their people): meet-2021 p3, p4
    pair = next(r for r in rows if (r["a"], r["b"]) == ("tencent-charity-foundation", "unesco-ichei"))
    assert int(pair["together"]) >= 2
    assert {"iioe", "meet-2021-joint-initiative"} <= split(pair["initiatives"])
    assert all(int(r["together"]) >= 2 for r in rows)


def test_brokers():
    rows = {r["broker"]: r for r in answer("brokers")}
    # Tencent Education links the 光合计划 (guanghe-2019) with the second MEET summit (meet-2021)
    assert int(rows["tencent-education"]["activities"]) >= 2
    assert int(rows["tencent-education"]["bridges"]) >= 1
    # LI Ming links the summit's host (Tencent Education) with the joint initiative's two
    # other launchers (DOU Ruigang, FU Manqing), and more as documents name him elsewhere
    assert int(rows["li-ming"]["bridges"]) >= 1 and int(rows["li-ming"]["reach"]) >= 3
    assert "vipkid" not in rows  # one initiative only
    # Dowson Tong is in the plan and the first summit, which share many other participants
    assert "tang-daosheng" not in rows


def test_timeline_in_date_order():
    rows = answer("timeline")
    dated = [(r["date"], r["what"], r["kind"]) for r in rows]
    assert ("2018", "cloud-education-aid-plan", "start") in dated  # cloud-aid p5 "20 18"
    assert ("2018-05-10", "rece-workshop-2018", "start") in dated
    assert ("2021-04-20", "meet-2021", "start") in dated
    guanghe = next(r for r in rows if r["what"] == "guanghe-plan" and r["date"] == "2019-12-04")
    assert guanghe["announcedAt"] == "meet-2019"
    assert ("--12-04", "meet-2019", "start") in dated  # a day the document gives without a year
    yearless = [d.startswith("--") for d, _, _ in dated]
    assert yearless == sorted(yearless)  # days without a year sort after every dated one
    dates = [d for d, _, _ in dated if not d.startswith("--")]
    assert dates == sorted(dates)
    assert all(r["date"].startswith("--") or r["date"][:4] >= "2021" for r in answer("timeline", **{"from": "2021"}))


def test_targets_and_outcomes():
    rows = answer("targets-and-outcomes")
    figures = {(r["about"], r["kind"], r["value"], r["unit"]) for r in rows}
    # guanghe-2019 p2: 百千万 -- 100 counties, 1000 smart campuses, 10000 campus CIOs
    assert {("guanghe-plan", "target", "100", "county"), ("guanghe-plan", "target", "1000", "campus"),
            ("guanghe-plan", "target", "10000", "person")} <= figures
    # cloud-aid p7: by the end of 2020
    assert {("cloud-education-aid-plan", "outcome", "100", "school"),
            ("cloud-education-aid-plan", "outcome", "38708", "student"),
            ("cloud-education-aid-plan", "outcome", "5392", "teacher")} <= figures
    garbled = next(r for r in rows if r["value"] == "51")
    assert garbled["confidence"] == "low"


def test_facts_from_a_source():
    rows = answer("facts-from-source", source="meet-2021")  # the source, not the summit of that id
    triples = {(r["subject"], r["predicate"], r["object"], r["locator"]) for r in rows}
    assert ("tencent-charity-foundation--funder--iioe", "prov:agent", "tencent-charity-foundation", "p3") in triples
    assert ("meet-2021", "schema:startDate", "2021-04-20", "p2") in triples
    assert {r["locator"] for r in rows} >= {"p2", "p3", "p4"}
    assert not any(r["subject"] == "guanghe-plan" for r in rows)


def test_uncertain_facts():
    rows = answer("uncertain-facts")
    assert {r["level"] for r in rows} == {"high", "medium", "low"}
    low = answer("uncertain-facts", confidence="kg:low")
    assert ("src:cloud-aid", "p7", "5 1") in {(r["source"], r["locator"], r["stated"]) for r in low}
    assert {r["level"] for r in low} == {"low"}
    medium = answer("uncertain-facts", confidence="medium")
    assert any(r["about"] == "china-society-of-education-development-strategy launcher guanghe-plan" for r in medium)


def test_actors_in_several_sources():
    rows = answer("actors-in-several-sources")
    documents = {r["actor"]: split(r["documents"]) for r in rows}
    assert {"meet-2021", "guanghe-2019"} <= documents["tencent"]
    assert {"meet-2021", "guanghe-2019"} <= documents["tencent-education"]
    assert {"cloud-aid", "internet-school-2022"} <= documents["beijing-normal-university"]
    assert all(len(docs) >= 2 for docs in documents.values())


@pytest.mark.parametrize(("theme", "expected"), [
    ("rural-education", {"cloud-education-aid-plan", "cloud-steam-rural-classroom", "cloud-teaching-platform",
                         "rece", "rece-workshop-2018"}),
    ("preschool-education", {"rece", "rece-workshop-2018"}),
    ("steam-education", {"cloud-steam-rural-classroom", "rece-workshop-2018"}),
    ("digital-transformation", {"internet-plus-school", "internet-plus-school-round-table-2022",
                                "education-digital-strategy-action", "ichei-recommendations-2020",
                                "ichei-rec-capacity-building"}),
    ("higher-education", {"iioe", "ichei-recommendations-2020", "ichei-rec-online-education",
                          "ichei-rec-capacity-building", "meet-2021-joint-initiative"}),
])
def test_initiatives_by_theme(theme, expected):
    assert expected <= {r["what"] for r in answer("initiatives-by-theme", theme=theme)}


def test_events_and_attendees():
    rows = answer("events-and-attendees")
    meet = {r["actor"]: r for r in rows if r["event"] == "meet-2019"}
    assert sum("attendee" in split(r["roles"]) for r in meet.values()) == 15  # guanghe-2019 p4
    assert split(meet["sun-xiaobing"]["roles"]) == {"attendee", "speaker"}
    assert "CTO @ vipkid" in meet["zheng-zibin"]["posts"]
    one = answer("events-and-attendees", event="meet-2021")
    assert {("li-ming", "speaker"), ("tencent-education", "host")} <= {(r["actor"], r["roles"]) for r in one}
    assert {r["event"] for r in one} == {"meet-2021"}


def test_roles_of_an_actor_with_provenance():
    rows = answer("roles-of-actor", actor="tencent-education")
    assert {("lead", "guanghe-plan", "src:guanghe-2019", "p1"), ("host", "meet-2021", "src:meet-2021", "p2")} <= {
        (r["role"], r["activity"], r["source"], r["locator"]) for r in rows}


def test_participants_of_an_initiative():
    rows = {r["actor"]: split(r["roles"]) for r in answer("participants-of-initiative",
                                                           initiative="cloud-education-aid-plan")}
    assert rows["knowledge-action-plan"] == {"launcher", "initiator"}  # cloud-aid p4, p5
    assert rows["ccyl-central-school-department"] == {"guide"}
    assert {a for a, roles in rows.items() if roles == {"partner", "supporter"}} == {
        "bnu-education-foundation", "classin", "beijing-western-sunshine-foundation"}  # cloud-aid p6


def test_launches():
    rows = {r["what"]: r for r in answer("launches")}
    assert rows["guanghe-plan"]["event"] == "meet-2019"
    assert {"tang-daosheng", "tencent"} <= split(rows["guanghe-plan"]["launchers"])
    assert split(rows["meet-2021-joint-initiative"]["launchers"]) == {"li-ming", "dou-ruigang", "fu-manqing"}
    assert rows["internet-plus-school"]["event"] == "internet-plus-school-launch-2022"


def test_responds_to_policy():
    rows = answer("responds-to-policy")
    assert ("cloud-education-aid-plan", "rural-revitalization") in {(r["initiative"], r["policy"]) for r in rows}
    one = answer("responds-to-policy", policy="fourteenth-five-year-plan-outline")
    assert {r["initiative"] for r in one} == {"internet-plus-school", "education-digital-strategy-action"}


def test_entities_of_class_include_subclasses():
    foundations = {r["entity"] for r in answer("entities-of-class", **{"class": "Foundation"})}
    assert {"tencent-charity-foundation", "bnu-education-foundation",
            "beijing-western-sunshine-foundation", "leping-social-entrepreneur-foundation"} <= foundations
    orgs = {r["entity"] for r in answer("entities-of-class")}
    assert foundations < orgs and "tencent-education" in orgs and "tang-daosheng" not in orgs


def test_actors_by_role_include_narrower_roles():
    guides = {(r["actor"], r["activity"]) for r in answer("actors-by-role")}
    assert {("china-society-of-education-development-strategy", "guanghe-plan"),
            ("ccyl-central-school-department", "cloud-education-aid-plan")} <= guides
    attendees = answer("actors-by-role", role="attendee")
    assert ("li-ming", "speaker") in {(r["actor"], r["role"]) for r in attendees}  # a speaker attends


def test_context_statistics():
    rows = {r["value"]: r for r in answer("context-statistics")}
    assert rows["94857800"]["stated"] == "2065,438+06" and rows["94857800"]["asOf"] == "2016"  # cloud-aid p5
    assert rows["96"]["about"] == "guanghe-plan" and rows["96"]["unit"] == "percent"  # guanghe-2019 p6


def test_located_in_region():
    rows = {(r["what"], r["place"]) for r in answer("located-in-region", region="CN-BJ")}
    assert {("meet-2021", "CN-BJ"), ("rece-workshop-2018", "CN-BJ"), ("meet-2019", "shangri-la-hotel-beijing"),
            ("haidian-institute-of-education-sciences", "beijing-haidian")} <= rows


def test_regions_within():
    rows = {r["region"]: r for r in answer("regions-within", region="CN-GD")}
    assert set(rows) == {"dongguan", "shenzhen", "shenzhen-nanshan"}
    assert rows["shenzhen-nanshan"]["code"] == "440305" and rows["shenzhen-nanshan"]["in"] == "shenzhen"


def test_documents_by_place_count_the_places_within():
    # internet-school-2022 p9 names Changping District only, not Beijing: it is credited to Beijing
    rows = answer("documents-by-place", region="Beijing")
    assert ("src:internet-school-2022", "beijing-changping", "p9") in {(r["source"], r["place"], r["locator"])
                                                                       for r in rows}
    assert {r["source"] for r in answer("documents-by-place", region="Changping District")} == {
        "src:internet-school-2022"}
    by_country = {r["source"] for r in answer("documents-by-place", region="CN")}
    assert {r["source"] for r in rows} <= by_country


def test_corroborated_facts():
    rows = answer("corroborated-facts")
    unit = next(r for r in rows if (r["subject"], r["predicate"], r["object"]) == (
        "tencent-education", "org:unitOf", "tencent"))
    assert {"meet-2021:p2", "guanghe-2019:p1"} <= split(unit["where"])
    assert all(len(split(r["where"])) >= 2 for r in rows)


def test_inferred_values():
    rows = {(r["subject"], r["value"]): r for r in answer("inferred-values")}
    assert rows[("meet-2019", "2019-12-04")]["stated"] == "12月4日"
    assert ("internet-plus-school", "2022-07-24") in rows
    assert not any("pinyin" in r["inferredFrom"] for r in rows.values())


def test_names_of_an_entity():
    rows = answer("names-of-entity")
    names = {(r["name"], r["language"], r["kind"]) for r in rows}
    assert ("中国教育发展战略学会", "zh", "name") in names
    assert ("中国教育战略发展学会", "zh", "alias") in names  # guanghe-2019 p11, characters swapped
    assert any(lang == "zh-latn-pinyin" for _, lang, _ in names)


def test_products_and_platforms():
    rows = {r["product"]: r for r in answer("products-and-platforms")}
    assert rows["tencent-ketang"]["partOf"] == "tencent-education"  # guanghe-2019 p9
    assert split(rows["cloud-teaching-platform"]["themes"]) == {"rural-education", "teacher-development",
                                                                "online-education"}


def test_sources():
    rows = {r["source"]: r for r in answer("sources")}
    assert {"src:rece-2018", "src:internet-school-2022", "src:meet-2021", "src:cloud-aid",
            "src:guanghe-2019"} <= set(rows)
    assert rows["src:meet-2021"]["date"] == "2021-04-20"
    assert int(rows["src:guanghe-2019"]["facts"]) > int(rows["src:rece-2018"]["facts"]) > 0


def test_entities_named():
    rows = answer("entities-named", text="tong chai")
    assert {r["entity"] for r in rows} == {"macao-tong-chai-charity-association"}  # an alias, any case
    assert "tencent-education" in {r["entity"] for r in answer("entities-named")}  # 腾讯教育 contains 教育
    assert answer("entities-named", text='x" } ; DROP ALL ; #') == []


# --- parameters --------------------------------------------------------------------------------------


def test_a_missing_required_parameter_says_which_and_how():
    with pytest.raises(UserError, match="missing parameter 'source'.*these are: src:"):
        answer("facts-from-source")


def test_injection_stays_a_literal():
    q = load_query(PROJECT, "timeline")
    with pytest.raises(UserError, match="not a valid xsd:gYear"):
        run_named(store(), q, {"from": 'x" } ; DROP ALL ; #'})
    result = run(store(), "SELECT ?_text ?s WHERE { ?s skos:prefLabel ?l FILTER (STR(?l) = ?_text) }",
                 bindings={"_text": __import__("pyoxigraph").Literal('x" } ; DROP ALL ; #')})
    assert result.rows == []
    assert answer("funders")  # the graph is untouched


# --- the header parser ---------------------------------------------------------------------------------

INVALID_CASES = {
    "bad-yaml.rq": "bad-yaml.rq:1: header: YAML syntax error",
    "no-header.rq": "no-header.rq:1: no #+ header",
    "unknown-key.rq": "unknown-key.rq:2: header: unknown key 'summry'; known keys: summary, description",
    "missing-summary.rq": "missing-summary.rq:1: header: 'summary' must be a line of text",
    "param-not-projected.rq": "param-not-projected.rq:5: parameter ?_org_iri is not in the SELECT projection",
    "default-unknown-param.rq": "default-unknown-param.rq:3: header: defaults names 'organisation', which is no "
                                "parameter of this query (parameters: org)",
    "default-outside-enumeration.rq": "default-outside-enumeration.rq:3: header: the default 'theme:sports' of "
                                      "'theme' is not one of its values",
    "defaults-not-a-list.rq": "defaults-not-a-list.rq:2: header: 'defaults' must list '- name: value' items",
    "unknown-xsd-type.rq": "unknown-xsd-type.rq:2: parameter ?_year_xsd_gYaer: unknown type xsd:gYaer",
    "header-after-query.rq": "header-after-query.rq:3: a #+ header line after the query began",
    "tab-in-header.rq": "tab-in-header.rq:3: header: a tab indents this line",
    "duplicate-key.rq": "duplicate-key.rq:3: header: duplicate key 'summary' (first on line 1)",
    "enumerate-not-a-list.rq": "enumerate-not-a-list.rq:3: header: enumerate 'theme' must list its values",
    "parameter-in-ask.rq": "parameter-in-ask.rq:2: a query with parameters must be a SELECT query",
}


def test_every_invalid_case_has_its_expected_message():
    assert {p.name for p in INVALID.glob("*.rq")} == set(INVALID_CASES)


@pytest.mark.parametrize("name", sorted(INVALID_CASES))
def test_a_malformed_header_is_an_error_naming_file_and_line(name):
    with pytest.raises(UserError) as e:
        parse_query_file(INVALID / name, name)
    assert str(e.value).startswith(INVALID_CASES[name]), str(e.value)


def test_parameters_are_read_from_the_variable_names():
    q = load_query(PROJECT, "timeline")
    (p,) = q.parameters
    assert (p.key, p.type_name, p.default, p.required) == ("from", "gYear", "1900", True)
    theme = load_query(PROJECT, "initiatives-by-theme").parameters[0]
    assert theme.enum_class == "kg:Theme"  # the values are the graph's themes, not a list in the text
    event = load_query(PROJECT, "events-and-attendees").parameters[0]
    assert (event.key, event.required) == ("event", False)


def test_named_questions_are_found_by_slug_stem_or_number():
    assert load_query(PROJECT, "02-funders").name == load_query(PROJECT, "2").name == "funders"
    with pytest.raises(UserError, match="no named question 'fundrs'; the named questions are: .*funders"):
        load_query(PROJECT, "fundrs")


def test_no_named_question_lists_data_values_in_its_text():
    """A question that names today's sources, themes or roles refuses tomorrow's: enumerations of
    data are written {instances_of: kg:Class} and read from the graph."""
    for q in list_queries(PROJECT):
        for p in q.parameters:
            listed = [v for v in p.enum if v.startswith(("src:", "kgid:", "theme:", "role:"))]
            assert not listed, f"{q.file}: {p.key} lists {listed}; use {{instances_of: ...}}"


def test_funding_questions_cite_every_amount_and_never_add_a_qualified_one():
    """Questions 30-33 on the real data (which may have no amounts yet; tests/test_money.py has
    exact answers on a fixture): every row cites its source and locator, currencies are ISO 4217
    codes, and a total never includes an amount the source qualifies."""
    from kg.model.money import check_currency

    for rows in (answer("funding-by-funder"), answer("funding-by-initiative"), answer("funding-by-region"),
                 answer("funding-by-year")):
        for r in rows:
            assert r["source"].startswith("src:") and r["locator"], r
            assert check_currency(r["currency"]) is None, r
            assert int(r["qualifiedAmounts"]) >= (1 if r["qualifier"] else 0), r
            if not r["qualifier"]:
                assert r["exactTotal"] and float(r["exactTotal"]) >= float(r["value"]), r


# ---- who is served, region groups and role families (issue 14)

def _narrower(scheme: str) -> dict[str, set[str]]:
    """Each concept of a scheme (role: or beneficiary:) -> itself and every narrower concept."""
    from kg.model.hierarchy import closure, inverse
    from kg.model.ontology import load_ontology

    onto = load_ontology(PROJECT.ontology_file)
    up = onto.broader if scheme == "role" else onto.beneficiary_broader
    down = inverse(up)
    return {c: set(closure(down, c)) for c in up}


def test_asking_for_the_supporter_family_finds_funders_guides_and_partners():
    rows = answer("actors-by-role", role="supporter")
    roles = {r["role"] for r in rows}
    assert {"funder", "guide", "partner"} <= roles
    assert roles <= _narrower("role")["supporter"]
    assert ("tencent-charity-foundation", "funder") in {(r["actor"], r["role"]) for r in rows}
    assert all(r["source"] and r["locator"] for r in rows)
    # a family's name in Chinese works as well as its id
    assert answer("actors-by-role", role="支持方") == rows


def test_who_serves_whom_includes_narrower_groups_with_actors_regions_and_sources():
    down = _narrower("beneficiary")
    everyone = []
    for top in ("learners", "educators", "parents", "schools"):
        rows = answer("who-serves-whom", group=top)
        assert {r["group"] for r in rows} <= down[top]
        assert all(r["source"] and r["locator"] for r in rows)
        everyone += rows
    assert everyone, "the curated data says whom something serves"
    # a broader group finds what a narrower one finds
    for group, narrower in down.items():
        found = {(r["what"], r["group"]) for r in answer("who-serves-whom", group=group)}
        for n in narrower - {group}:
            assert {(r["what"], r["group"]) for r in answer("who-serves-whom", group=n)} <= found
    # the rows name who takes part and where, when the graph knows it
    assert any(r["actors"] and r["regions"] for r in everyone)


def test_region_groups_list_members_with_sources_or_say_why_not():
    rows = answer("region-groups")
    assert rows
    for r in rows:
        assert r["source"] and r["locator"]  # of the membership, or of the group itself
        if not r["member"]:
            assert r["note"], f"{r['group']} has no members and no note saying why"


def test_role_families_list_their_roles_and_counts():
    rows = answer("role-families")
    down = _narrower("role")
    families = {r["family"].removeprefix("role:") for r in rows}
    assert {"supporter", "starts", "carries-out"} <= families and "participant" not in families
    for r in rows:
        assert r["role"].removeprefix("role:") in down[r["family"].removeprefix("role:")]
        assert int(r["participations"]) >= 0
    supporter = {r["role"] for r in rows if r["family"] == "role:supporter"}
    assert {"role:funder", "role:guide", "role:partner", "role:supporter"} <= supporter
