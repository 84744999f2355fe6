"""Virtuoso, the second engine: the curated graph pushed with ``kg push``, then every named
question (with the README's example values) asked through ``kg query --endpoint`` and its
answer compared with the embedded store's, in the normal forms of test_cross_engine.py.

Virtuoso open source (Debian ``virtuoso-opensource``; ``make test`` installs it) runs once for
the module on 127.0.0.1, on free ports and a scratch database, and is stopped afterwards. Its
default graph is every graph at once, a triple counted once per graph that holds it, so the
endpoint URL names the graph ``kg push`` fills with the merge (``default-graph-uri``;
docs/endpoints.md). A question Virtuoso answers wrongly goes in :data:`KNOWN_DIFFERENCES`,
with the reason; it is expected to fail, strictly, so that a fixed Virtuoso shows up.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from test_cross_engine import _rows

from kg.ask.catalogue import example_values
from kg.ask.questions import list_queries
from kg.build.dataset import ensure_built
from kg.cli import main
from kg.graph import open_store
from kg.project import Project
from kg.store.endpoint import parse_json_results
from kg.store.push import UNION_GRAPH, push
from kg.store.server import free_port
from kg.store.virtuoso import DBA, Virtuoso

from conftest import ROOT

QUERIES = list_queries(Project(ROOT))

pytestmark = pytest.mark.skipif(shutil.which("virtuoso-t") is None,
                                reason="Virtuoso is not installed (make virtuoso)")

# query name -> why Virtuoso answers it differently (a Virtuoso bug that no portable rewrite avoided)
KNOWN_DIFFERENCES: dict[str, str] = {
    "partners-of-organization": (
        "Virtuoso 7.2.5 returns 1 row instead of 16 when one group joins two property paths with * "
        "whose far ends are fixed (here ?initiative a/rdfs:subClassOf* kg:Initiative and ?partner "
        "a/rdfs:subClassOf* org:Organization; each alone is right); rewriting them as FILTER EXISTS, "
        "subqueries or ?c rdfs:subClassOf* ?top FILTER(?top = ...) gives 0 or 1 row too"),
    # Seen first when the corpus's amounts were curated; not yet diagnosed.
    "funding-by-region": (
        "Virtuoso 7.2.5 leaves out the one row whose region comes from where the receiver is located "
        "(the 'recipient is in' branch: the TCL foundation's amount, in Shenzhen); the embedded store "
        "and rdflib give it"),
}


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    with Virtuoso(tmp_path_factory.mktemp("virtuoso"), port=free_port(), sql_port=free_port()) as server:
        yield server


@pytest.fixture(scope="module")
def credentials(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The administrator's credentials in a file only its owner reads, as a user would keep them."""
    path = tmp_path_factory.mktemp("secret") / "credentials"
    path.write_text(":".join(DBA) + "\n")
    path.chmod(0o600)
    return {"KG_ENDPOINT_CREDENTIALS": str(path), "KG_ENDPOINT_USER": "", "KG_ENDPOINT_PASSWORD": ""}


def url(server: Virtuoso) -> str:
    return f"{server.query_url}?default-graph-uri={UNION_GRAPH}"


def kg(*args: str, env: dict[str, str] | None = None) -> Result:
    clean = {"KG_ENDPOINT_USER": None, "KG_ENDPOINT_PASSWORD": None, "KG_ENDPOINT_CREDENTIALS": None}
    return CliRunner().invoke(main, [*args, "--project", str(ROOT)], env={**clean, **(env or {})})


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, credentials: dict[str, str]) -> Virtuoso:
    env = {k: v for k, v in credentials.items() if v}
    out = kg("push", "--endpoint", url(virtuoso), "--update", virtuoso.update_url, "--store", virtuoso.store_url,
             env=env)
    assert out.exit_code == 0, out.output
    assert f"merge of all graphs: written to {UNION_GRAPH}" in out.output and "graphs checked" in out.output
    assert "by Graph Store for big graphs, SPARQL Update for the rest" in out.output  # it keeps no N-Quads
    return virtuoso


def _params(query):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_DIFFERENCES[query.name])] \
        if query.name in KNOWN_DIFFERENCES else []
    return pytest.param(query, id=query.name, marks=marks)


@pytest.mark.parametrize("query", [_params(q) for q in QUERIES])
def test_every_named_question_answers_as_on_the_embedded_store(query, pushed: Virtuoso) -> None:
    args = ["query", query.name, "--format", "json", "--full-iris"]
    for key, value in example_values(query, open_store(Project(ROOT))).items():
        args += ["--param", f"{key}={value}"]
    local, remote = kg(*args), kg(*args, "--endpoint", url(pushed))
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    expected = _rows(parse_json_results(local.stdout.encode()), query.text)
    got = _rows(parse_json_results(remote.stdout.encode()), query.text)
    assert got == expected, (f"{sum(expected.values())} rows embedded, {sum(got.values())} on Virtuoso; "
                             f"only embedded: {list((expected - got).items())[:3]}")
    assert remote.stderr == ""  # no warning about the default graph


def test_there_is_something_to_compare(pushed: Virtuoso) -> None:
    answer = json.loads(kg("query", "funders", "--format", "json", "--endpoint", url(pushed)).stdout)
    assert answer["results"]["bindings"]
    assert len(QUERIES) >= 20


def test_a_second_push_writes_nothing_and_checks_everything(pushed: Virtuoso, credentials: dict[str, str]) -> None:
    env = {k: v for k, v in credentials.items() if v}
    out = kg("push", "--endpoint", url(pushed), "--update", pushed.update_url, env=env)
    assert out.exit_code == 0 and "0 graphs written (0 quads), 0 dropped" in out.output, out.output


def test_a_changed_build_changes_the_merge_by_a_delta(pushed: Virtuoso, tmp_path: Path) -> None:
    quads = list(ox.parse(path=str(ensure_built(Project(ROOT)).nquads), format=ox.RdfFormat.N_QUADS))
    store, record = pushed.endpoint(default_graph=UNION_GRAPH), tmp_path / "record.json"
    push(quads, store, record=record)  # no record yet: every graph written once
    fact = next(q.graph_name for q in quads if "/fact/" in q.graph_name.value)
    new = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal("新", language="zh-Hans"), fact)
    changed = push([*quads, new], store, record=record)
    assert changed.merge_delta is not None and changed.written == sorted([fact.value, UNION_GRAPH])
    new_in_merge = "SELECT (COUNT(*) AS ?n) WHERE { <urn:x> <urn:y> ?o }"  # (Virtuoso answers ASK as a SELECT)
    assert store.count(new_in_merge) == 1  # in the merge, read as the default graph
    back = push(quads, store, record=record)  # deleted again; the counts of every graph checked
    assert back.merge_delta is not None and store.count(new_in_merge) == 0


def test_without_the_merge_graph_kg_query_says_rows_would_repeat(pushed: Virtuoso) -> None:
    out = kg("query", "funders", "--endpoint", pushed.query_url)  # every graph at once, no default-graph-uri
    assert out.exit_code == 0
    assert len(out.stderr.splitlines()) == 1 and "answers will repeat rows" in out.stderr


def test_refused_credentials_and_a_rejected_update_are_one_line(pushed: Virtuoso) -> None:
    wrong = kg("push", "--endpoint", url(pushed), "--update", pushed.update_url,
               env={"KG_ENDPOINT_USER": "dba", "KG_ENDPOINT_PASSWORD": "not-the-password"})
    anonymous = kg("push", "--endpoint", url(pushed))  # /sparql: no SPARQL_UPDATE for the anonymous user
    assert wrong.exit_code == 1 and "refused the credentials" in wrong.output
    assert anonymous.exit_code == 1 and "HTTP" in anonymous.output
    for out in (wrong, anonymous):
        assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output
