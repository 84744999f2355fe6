"""Places: China's regions answer to their established English and Chinese names everywhere a
user names one (search, question parameters, network filters), and a document is credited with
every place it names and the places above them (``kg:namesPlaceIn``, question 39)."""

from __future__ import annotations

from functools import cache

import pycountry
import pyoxigraph as ox
import pytest

import kg
from kg.ask.names import resolve_entity
from kg.ask.search import Named, name_index, normalize, search
from kg.build.triples import pinyin
from kg.curation.gazetteer import china_subdivisions, established_names, iso_region
from kg.graph import open_store
from kg.model.vocab import ID
from kg.project import Project
from kg.store.embedded import EmbeddedStore

from conftest import ROOT

CN_CODES = sorted(s.code for s in pycountry.subdivisions.get(country_code="CN") or [])


@cache
def store() -> EmbeddedStore:
    return open_store(Project(ROOT))  # type: ignore[return-value]


@cache
def names() -> tuple[Named, ...]:
    """The store's names, read once for the module's searches (the store does not change)."""
    return name_index(store())


def names_of(code: str) -> dict[str, str]:
    """The names a reader would try for a region: English (established), Chinese, short Chinese."""
    region = iso_region(code)
    assert region is not None
    zh = region.names["zh"]
    out = {"en": region.established.get("en", region.names["en"]), "zh": zh}
    short = [a for a in region.established_aliases.get("zh", ()) if zh.startswith(a)]
    if short:
        out["zh short"] = short[0]
    return out


def test_the_table_names_every_iso_region_of_china_once_and_nothing_else():
    assert sorted(established_names()) == CN_CODES


@pytest.mark.parametrize("code", CN_CODES)
def test_every_region_of_china_is_found_by_its_english_and_chinese_names(code):
    for how, name in names_of(code).items():
        assert resolve_entity(store(), name, what="region") == ID[code], (how, name)
        assert search(store(), name, index=names())[0].id == code, (how, name)


@pytest.mark.parametrize("name, code", [
    ("Inner Mongolia", "CN-NM"), ("内蒙古", "CN-NM"), ("内蒙", "CN-NM"), ("Nei Mongol", "CN-NM"),
    ("nei menggu", "CN-NM"), ("Tibet", "CN-XZ"), ("Xizang", "CN-XZ"), ("西藏", "CN-XZ"),
    ("Guangxi", "CN-GX"), ("Guangxi Zhuang Autonomous Region", "CN-GX"), ("Xinjiang", "CN-XJ"),
    ("新疆", "CN-XJ"), ("Ningxia", "CN-NX"), ("宁夏", "CN-NX"), ("Hong Kong", "CN-HK"),
    ("香港", "CN-HK"), ("Macao", "CN-MO"), ("Macau", "CN-MO"), ("澳门", "CN-MO"),
    # pinyin without tones cannot tell 山西 from 陕西: the written English name decides
    ("Shanxi", "CN-SX"), ("shanxi", "CN-SX"), ("Shaanxi", "CN-SN"), ("陕西", "CN-SN")])
def test_established_names_short_forms_and_pinyin_name_the_region(name, code):
    assert resolve_entity(store(), name, what="region") == ID[code]


def test_the_english_names_that_are_pinyin_agree_with_the_generated_reading():
    """A check on the table and on the readings: where the English name is the pinyin of the
    Chinese short name, the two agree (without tones); the others are the known English names."""
    differ = set()
    for code in CN_CODES:
        region = iso_region(code)
        assert region is not None
        short = min(region.established_aliases.get("zh", (region.names["zh"],)), key=len)
        english = region.established.get("en", region.names["en"])
        if normalize(pinyin(short)).replace(" ", "") != normalize(english).replace(" ", ""):
            differ.add(english)
    assert differ == {"Inner Mongolia", "Tibet", "Hong Kong", "Macao", "Shaanxi"}


def test_the_draft_gazetteer_knows_the_established_names():
    assert {"Inner Mongolia", "内蒙古", "内蒙"} <= china_subdivisions()["CN-NM"]


def test_the_names_from_the_table_are_cited_to_the_curators_and_marked_inferred(built):
    rows = EmbeddedStore(built.store_path).query("""
        SELECT ?source ?inferred WHERE {
          GRAPH ?g { kgid:CN-NM skos:prefLabel "Inner Mongolia"@en }
          ?g prov:wasDerivedFrom ?source . OPTIONAL { ?g kg:inferredFrom ?inferred } }""").rows
    assert [(s.value.rsplit("/", 1)[1], bool(i)) for s, i in rows] == [("curators", True)]


# --------------------------------------------------------------------------- one face

@pytest.fixture(scope="module")
def g(built) -> kg.Graph:
    return kg.open(ROOT)


def test_a_network_region_filter_takes_a_name_as_its_id(g):
    by_id = g.network("participation", regions="CN-BJ")
    assert by_id.number_of_nodes() > 0
    for name in ("Beijing", "北京", "北京市"):
        assert sorted(g.network("participation", regions=name).nodes) == sorted(by_id.nodes), name


def test_a_question_parameter_takes_a_region_by_name(g):
    by_name = g.query("initiatives-in-region", region="Guangdong")
    assert by_name.values.tolist() == g.query("initiatives-in-region", region="CN-GD").values.tolist()


# --------------------------------------------------------------------------- places credited

_DEFINITION = """
SELECT DISTINCT ?source ?region WHERE {
  ?source kg:sourceKind ?kind . FILTER (?kind NOT IN ("curation", "gazetteer"))
  ?fact prov:wasDerivedFrom ?source .
  GRAPH ?fact { { ?place ?p ?o } UNION { ?s ?p ?place } }
  VALUES ?placeKind { kg:Region kg:Venue }
  ?place a/rdfs:subClassOf* ?placeKind .
  ?place (schema:containedInPlace|schema:location)* ?region .
  ?region a/rdfs:subClassOf* kg:Region .
}"""


def test_documents_are_credited_with_the_places_they_name_and_the_places_above(built):
    """The derived kg:namesPlaceIn is its rule, written as plain SPARQL over the fact graphs."""
    st = EmbeddedStore(built.store_path)
    derived = {(s.value, r.value) for s, r in st.query(
        "SELECT ?s ?r WHERE { GRAPH graph:derived { ?s kg:namesPlaceIn ?r } }").rows}
    expected = {(s.value, r.value) for s, r in st.query(_DEFINITION).rows}
    assert derived == expected and derived
    # every document naming a place inside a province is credited with the province and China
    for source, region in derived:
        for outer in st.query("SELECT ?o WHERE { ?r schema:containedInPlace+ ?o }",
                              bindings={"r": ox.NamedNode(region)}).rows:
            assert (source, outer[0].value) in derived


def test_a_document_naming_only_districts_is_credited_with_their_city_and_country(make_project):
    project = make_project({
        "data/regions.yaml": "regions:\n"
        "  - {id: changping, type: District, name: {en: Changping District}, part_of: CN-BJ}\n"
        "  - {id: haidian, type: District, name: {en: Haidian District}, part_of: CN-BJ}\n",
        "data/facts/doc-a.yaml": "source: doc-a\nfacts:\n"
        "  - {at: p2, subject: gamma-plan, reaches: changping}\n"
        "  - {at: p2, subject: gamma-plan, reaches: haidian}\n"})
    st = kg.open(project=project).store
    credited = {r[0].value.rsplit("/", 1)[1] for r in st.query(
        "SELECT ?r WHERE { GRAPH graph:derived { src:doc-a kg:namesPlaceIn ?r } }").rows}
    assert credited == {"changping", "haidian", "CN-BJ", "CN"}
    # Beijing is credited, not mentioned: no fact of the document names it
    assert not st.query("ASK { kgid:CN-BJ kg:mentionedIn src:doc-a }").boolean


def test_question_39_lists_each_credited_document_with_places_inside_the_region(g):
    beijing = g.query("documents-by-place", region="北京")
    assert len(beijing) > 0
    credited = {r[0].value.rsplit("/", 1)[1] for r in g.store.query(
        "SELECT ?s WHERE { ?s kg:namesPlaceIn kgid:CN-BJ }").rows}
    assert {s.split(":", 1)[1] for s in beijing["source"]} == credited
    inside = {r[0].value.rsplit("/", 1)[1] for r in g.store.query(
        "SELECT ?p WHERE { ?p (schema:containedInPlace|schema:location)* kgid:CN-BJ }").rows}
    assert set(beijing["place"]) <= inside
    assert beijing["locator"].str.fullmatch(r"p\d+(-\d+)?").all()
