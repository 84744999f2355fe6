"""Reading SPARQL text: one lexer, and the checks every front runs before the engine sees a query.

What a user would notice: a variable, a string, an IRI or a comment is never taken for a
keyword; updates and SERVICE are refused; a query too big or too deep for the engine's
parser is refused in one line instead of crashing ``kg`` (pyoxigraph's parser overflows
its stack on a few thousand nested brackets).
"""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.ask.questions import list_queries
from kg.errors import UserError
from kg.project import Project
from kg.sparql import (
    MAX_NESTING,
    MAX_QUERY_CHARS,
    MAX_QUERY_TOKENS,
    check_query,
    projection,
    query_form,
    significant,
    strip_literals,
    tokens,
    with_prefixes,
    with_values,
)

from conftest import ROOT

NESTED = "SELECT * WHERE " + "{" * 5000 + "}" * 5000  # 10 KB; pyoxigraph's parser dies on it


def _kg(*args: str) -> subprocess.CompletedProcess:
    """``kg`` in its own process, so that a crash of the engine shows as a signal, not a hang."""
    return subprocess.run([sys.executable, "-m", "kg", *args, "--project", str(ROOT)],
                          capture_output=True, text=True, timeout=120)


# --- the lexer --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    'SELECT ?s WHERE { ?s ?p """a "quoted" SERVICE\nline""" } # DROP ALL',
    "ASK { <urn:a#b> ?p 'it''s' . ?x kg:x-y.z _:b1 } ",
    'SELECT ?x { ?x ?p "unclosed',
    "PREFIX : <urn:x#> SELECT * { :a :b 1.5e3, -2, .5 ; :c \"x\"@zh-Hans , \"1\"^^xsd:integer }",
])
def test_every_character_is_in_exactly_one_token(text):
    assert "".join(t.text for t in tokens(text)) == text
    assert len(strip_literals(text)) == len(text)
    assert strip_literals(text).count("\n") == text.count("\n")


@pytest.mark.parametrize("word", ["SERVICE", "DROP", "INSERT", "WHERE", "SELECT"])
def test_keywords_are_only_words_outside_strings_iris_comments_and_names(word):
    hidden = (f'SELECT ?{word.lower()} ?x WHERE {{ ?x kg:{word} "{word}" ; <urn:{word}> \'\'\'{word}\'\'\' }}'
              f"  # {word}\n")
    words = [t.text for t in significant(hidden) if t.kind == "word"]
    assert words == ["SELECT", "WHERE"]


def test_the_form_and_projection_of_a_query():
    assert query_form("PREFIX select: <urn:x#>\nASK { ?s select:p ?o }").text == "ASK"
    select, names = projection("SELECT DISTINCT ?a (COUNT(?b) AS ?n) ?_org_iri { ?a ?p ?b }")
    assert (select.line, names) == (1, ["a", "n", "_org_iri"])
    assert projection("SELECT REDUCED * WHERE {}")[1] == ["*"]
    assert projection("ASK {}") is None


# --- what a front runs ------------------------------------------------------------------------------


def test_a_variable_named_service_is_not_federation():
    check_query("SELECT ?service WHERE { ?service a kg:Service . ?x kg:copy ?drop }")
    result = _kg("query", "--sparql", "SELECT ?service WHERE { ?service a kg:Foundation }")
    assert result.returncode == 0, result.stderr
    assert "tencent-charity-foundation" in result.stdout


def test_service_is_refused_unless_allowed():
    text = "SELECT * WHERE {\n  SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o }\n}"
    with pytest.raises(UserError, match=r"^kg: refused: SERVICE \(line 2\)"):
        check_query(text)
    check_query(text, allow_service=True)
    check_query('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE')


@pytest.mark.parametrize("text", [
    "DROP ALL", "clear default", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x#> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "BASE <urn:x> LOAD <https://example.org/x.ttl>",
    "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
])
def test_updates_are_refused_wherever_they_stand(text):
    with pytest.raises(UserError, match=r"^kg: refused: [A-Z]+ is a SPARQL UPDATE operation"):
        check_query(text)


@pytest.mark.parametrize("text", [
    NESTED,
    "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
    "SELECT * WHERE { ?s <urn:p> " + "[ <urn:p> " * 3000 + "<urn:o>" + " ]" * 3000 + " }",
])
def test_deep_nesting_is_refused_before_the_engine(text):
    with pytest.raises(UserError, match=rf"^kg: refused: the query nests brackets deeper than {MAX_NESTING}"):
        check_query(text)


def test_text_too_big_is_refused():
    chain = "SELECT * WHERE { FILTER(" + "+".join(["1"] * 7000) + ") }"  # pyoxigraph's parser dies on it
    with pytest.raises(UserError, match=rf"^kg: refused: the query has .* the limit is {MAX_QUERY_TOKENS:,}"):
        check_query(chain)
    long = "SELECT * WHERE { ?s ?p " + '"' + "x" * MAX_QUERY_CHARS + '" }'
    with pytest.raises(UserError, match=rf"^kg: refused: .* characters long; the limit is {MAX_QUERY_CHARS:,}"):
        check_query(long)


def test_every_named_question_passes_the_checks():
    for q in list_queries(Project(ROOT)):
        check_query(q.text)


def test_kg_query_refuses_a_deep_query_in_one_line_instead_of_crashing():
    result = _kg("query", "--sparql", NESTED)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])  # -11 is the segfault
    assert result.stderr.startswith("kg: refused: the query nests brackets deeper than")
    assert len(result.stderr.strip().splitlines()) == 1


# --- prefixes and values ----------------------------------------------------------------------------


def test_prefixes_declared_in_comments_or_strings_do_not_count():
    text = with_prefixes('# PREFIX kg: <urn:no#>\nSELECT * { ?s ?p "PREFIX schema: <urn:no#>" }')
    assert text.count("PREFIX kg: <https://w3id.org/edu-equity-kg/ontology#>") == 1
    assert "PREFIX schema: <https://schema.org/>" in text
    assert with_prefixes("prefix kg: <urn:mine#> ASK {}").count("PREFIX kg:") == 0


def test_values_go_into_the_outer_where_not_a_subquery_or_a_string():
    text = 'SELECT ?x { { SELECT ?x WHERE { ?x ?p "WHERE {" } } } '
    bound = with_values(text, {"x": ox.NamedNode("urn:a")})
    assert bound.startswith("SELECT ?x { VALUES (?x) { (<urn:a>) }\n { SELECT ?x WHERE")
    with pytest.raises(ValueError):
        with_values("DESCRIBE <urn:a>", {"x": ox.NamedNode("urn:a")})
