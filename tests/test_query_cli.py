"""``kg query``, ``kg queries`` and ``kg search`` on the real queries/ and data/, as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from kg.ask.questions import list_queries
from kg.ask.results import width
from kg.cli import main
from kg.project import Project

from conftest import ROOT

PROJECT = ["--project", str(ROOT)]
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def kg(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, [args[0], *PROJECT, *args[1:]])
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
    return result


# --- listing and running named questions -----------------------------------------------------------


def test_queries_lists_every_named_question_with_summary_and_parameters():
    out = kg("queries").output
    for q in list_queries(Project(ROOT)):
        assert q.name in out and q.summary in out
    assert "--param org (iri; default tencent-education)" in out
    assert "untraced-triple" not in out  # build checks are not named questions


def test_a_named_question_with_a_parameter_given_by_chinese_name():
    out = kg("query", "people-and-posts", "--param", "org=腾讯").output
    assert "tang-daosheng" in out and "高级执行副总裁" in out
    assert "_org_iri" not in out  # parameter columns are hidden


def test_show_params_shows_the_bound_parameter():
    out = kg("query", "people-and-posts", "-p", "org=Tencent", "--show-params").output
    assert out.splitlines()[0].startswith("_org_iri")
    assert out.splitlines()[2].startswith("tencent ")


def test_a_file_query_with_its_header(tmp_path):
    out = kg("query", "--file", str(ROOT / "queries" / "02-funders.rq")).output
    assert "tencent-charity-foundation" in out and "iioe" in out


def test_table_aligns_chinese_text_by_display_width():
    lines = kg("query", "partners-of-organization").output.splitlines()
    header = lines[0]
    column = header.index("initiative ")  # the column after the Chinese partner names
    for line in lines[2:]:
        before = line[: len(line) - len(line.lstrip())]  # no leading space
        assert before == ""
        # the display width of the text before "guanghe-plan" is the header's offset of the column
        assert width(line[: line.index("guanghe-plan")]) == column


def test_csv_tsv_json_markdown():
    csv_rows = list(csv.reader(io.StringIO(kg("query", "funders", "--format", "csv").output)))
    assert csv_rows[0][:2] == ["funder", "funderLabel"]
    assert ["tencent-charity-foundation", "Tencent Charity Foundation", "iioe",
            "International Institute of Online Education"] in [row[:4] for row in csv_rows[1:]]
    tsv = kg("query", "funders", "--format", "tsv").output.splitlines()
    assert "tencent-charity-foundation" in {line.split("\t")[0] for line in tsv[1:]}
    doc = json.loads(kg("query", "funders", "--format", "json").output)
    assert doc["head"]["vars"] == ["funder", "funderLabel", "funded", "fundedLabel", "source", "locator",
                                   "member", "memberLabel"]
    binding = next(b for b in doc["results"]["bindings"]
                   if b["funder"]["value"].endswith("/tencent-charity-foundation") and b["locator"]["value"] == "p3")
    assert binding["funder"] == {"type": "uri", "value": "https://w3id.org/edu-equity-kg/id/tencent-charity-foundation"}
    assert binding["funderLabel"] == {"type": "literal", "value": "Tencent Charity Foundation", "xml:lang": "en"}
    assert binding["locator"] == {"type": "literal", "value": "p3"}
    md = kg("query", "funders", "--format", "markdown").output.splitlines()
    assert md[0].startswith("| funder") and md[1].startswith("| ---") and any("| iioe" in line for line in md[2:])


def test_json_ask_and_typed_literals():
    doc = json.loads(kg("query", "--sparql", "ASK { kgid:tencent a kg:Company }", "--format", "json").output)
    assert doc == {"head": {}, "boolean": True}
    doc = json.loads(kg("query", "targets-and-outcomes", "--format", "json").output)
    value = doc["results"]["bindings"][0]["value"]
    assert value["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


def test_full_iris_and_lang():
    out = kg("query", "funders", "--full-iris").output
    assert "https://w3id.org/edu-equity-kg/id/tencent-charity-foundation" in out
    assert "https://w3id.org/edu-equity-kg/source/meet-2021" in out
    assert "src:meet-2021" in kg("query", "funders").output
    assert "腾讯公益慈善基金会" in kg("query", "funders", "--lang", "zh").output
    assert "Tencent Charity Foundation" in kg("query", "funders", "--lang", "en").output


def test_sparql_with_predeclared_prefixes():
    out = kg("query", "--sparql", "SELECT ?f WHERE { ?f a kg:Foundation } ORDER BY ?f").output
    rows = out.splitlines()[2:]
    assert rows == sorted(rows)  # ORDER BY ?f, ids without their prefix
    assert {"beijing-western-sunshine-foundation", "bnu-education-foundation",
            "leping-social-entrepreneur-foundation", "tencent-charity-foundation"} <= set(rows)


# --- parameters: errors list what is valid; values are bound, never pasted --------------------------


def test_injection_value_stays_a_literal():
    evil = 'x" } ; DROP ALL ; #'
    out = kg("query", "entities-named", "--param", f"text={evil}", "--show-params", "--format", "json").output
    assert json.loads(out)["results"]["bindings"] == []  # no name contains it; nothing ran but the search
    assert "tencent-charity-foundation" in kg("query", "funders").output  # the graph is intact
    err = kg("query", "people-and-posts", "--param", f"org={evil}", ok=False).output
    assert "nothing is called" in err


def test_unknown_parameter_lists_the_valid_ones():
    err = kg("query", "timeline", "--param", "year=2019", ok=False).output
    assert "unknown parameter 'year'; its parameters: from (gYear; default 1900)" in err


def test_missing_parameter_lists_the_choices():
    err = kg("query", "facts-from-source", ok=False).output
    assert "missing parameter 'source'" in err and "src:guanghe-2019" in err


def test_value_outside_the_enumeration_lists_the_values():
    err = kg("query", "initiatives-by-theme", "-p", "theme=sports", ok=False).output
    assert "'sports' is not a kg:Theme of the graph" in err and "theme:preschool-education" in err
    assert "cloud-steam-rural-classroom" in kg("query", "initiatives-by-theme", "-p", "theme=steam-education").output


def test_a_badly_typed_value_is_refused():
    err = kg("query", "actors-in-several-sources", "-p", "min=two", ok=False).output
    assert "'two' is not a valid xsd:integer" in err


def test_a_malformed_param_option():
    result = CliRunner().invoke(main, ["query", *PROJECT, "funders", "--param", "oops"])
    assert result.exit_code == 2 and "write name=value" in result.output


def test_unknown_named_question_lists_the_names():
    err = kg("query", "fundrs", ok=False).output
    assert "no named question 'fundrs'" in err and "funders" in err


def test_exactly_one_question():
    assert "give exactly one question" in kg("query", ok=False).output
    assert "give exactly one question" in kg("query", "funders", "--sparql", "ASK {}", ok=False).output


# --- read-only, no federation, syntax errors, time limit ------------------------------------------------


@pytest.mark.parametrize(("sparql", "word"), [
    ("DROP ALL", "DROP"),
    ("INSERT DATA { kgid:x a kg:Company }", "INSERT"),
    ("PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("# a comment\nCLEAR DEFAULT", "CLEAR"),
    ("LOAD <http://example.org/x.ttl>", "LOAD"),
])
def test_updates_are_refused(sparql, word):
    err = kg("query", "--sparql", sparql, ok=False).output
    assert f"refused: {word} is a SPARQL UPDATE operation; kg query only reads the graph" in err


def test_update_words_inside_strings_are_fine():
    out = kg("query", "--sparql", 'SELECT ?x WHERE { BIND ("DROP ALL; SERVICE" AS ?x) }').output
    assert "DROP ALL; SERVICE" in out


def test_service_is_refused_unless_allowed():
    q = "SELECT * WHERE {\n  SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}"
    err = kg("query", "--sparql", q, ok=False).output
    assert "refused: SERVICE (line 2) queries a remote endpoint; pass --allow-service" in err
    err = kg("query", "--sparql", q, "--allow-service", ok=False).output  # allowed, and the call fails cleanly
    assert "the query failed:" in err


def test_syntax_error_reports_the_line():
    err = kg("query", "--sparql", "SELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER (\n}", ok=False).output
    # our words and the place; the column and what the parser expected are the engine's to word
    assert "SPARQL syntax error at line 4" in err


def test_syntax_error_in_a_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ summary: Broken\nSELECT ?s WHERE { ?s ?p ?o FILTER (} }\n", encoding="utf-8")
    err = kg("query", "--file", str(bad), ok=False).output
    # the file's line is the line the engine reports (where it found the error is its to say)
    assert re.search(r"bad\.rq:(\d+): SPARQL syntax error at line \1\b", err), err


def test_timeout_stops_a_runaway_query():
    # In a fresh process: the stopped query's thread ends with it.
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kg", "query", *PROJECT, "--timeout", "0.5", "--sparql", RUNAWAY],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "the query ran longer than 0.5 s and was stopped (--timeout)" in done.stderr
    assert time.monotonic() - started < 20


# --- search -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "first"), [
    ("Tencent Education", "tencent-education"),
    ("腾讯教育", "tencent-education"),
    ("光合计划", "guanghe-plan"),
    ("guanghe jihua", "guanghe-plan"),  # pinyin, no tones, any spacing
    ("Guāng Hé", "guanghe-plan"),
    ("Anhui", "CN-AH"),
    ("tong chai", "macao-tong-chai-charity-association"),  # an alias
    ("clasin", "classin"),  # a typo
])
def test_search_ranks_the_entity_first(text, first):
    out = kg("search", text).output
    assert out.split()[0] == first


def test_search_shows_the_name_that_matched_and_the_class():
    line = kg("search", "Tong Chai").output.splitlines()[0]
    assert "Macao Tong Chai Charity Association" in line and "(NonProfit)" in line


def test_search_without_hits():
    result = CliRunner().invoke(main, ["search", *PROJECT, "zzzzqqq"])
    assert result.exit_code == 1 and "nothing matches" in result.output
