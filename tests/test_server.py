"""The real Oxigraph server: loaded through the endpoint backend, and ``kg serve`` over the build.

Every named question (with its default parameters) and a few queries of our own must give the
same answers through HTTP (our :class:`EndpointStore`, and SPARQLWrapper as an outside client)
as from the embedded store.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build.dataset import ensure_built
from kg.project import Project
from kg.store.base import Result
from kg.store.embedded import EmbeddedStore
from kg.store.endpoint import EndpointError, EndpointStore, load_endpoint
from kg.store.server import Server, free_port

ROOT = Path(__file__).resolve().parents[1]
PROJECT = Project(ROOT)

OWN = {
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "graphs": "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "labels": "SELECT ?x ?l WHERE { ?x a kg:Foundation ; skos:prefLabel ?l } ORDER BY ?x ?l",
    "ask": "ASK { kgid:tencent a kg:Company }",
    "provenance": """SELECT ?role ?activity ?source ?locator WHERE {
        GRAPH ?fact { ?p prov:agent kgid:tencent-education ; prov:hadRole ?role ; kg:activity ?activity }
        ?fact prov:wasDerivedFrom ?source ; kg:locator ?locator } ORDER BY ?source ?locator ?activity""",
    "construct": "CONSTRUCT { kgid:tencent ?p ?o } WHERE { kgid:tencent ?p ?o }",
}


def rows(result: Result) -> object:
    """A comparable form of an answer (rows as a sorted multiset; blank nodes made anonymous)."""
    def term(t: object) -> str:
        return "_:b" if isinstance(t, ox.BlankNode) else str(t)

    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return sorted(" ".join(term(x) for x in (t.subject, t.predicate, t.object)) for t in result.triples)
    return result.columns, sorted(tuple(term(t) for t in row) for row in result.rows)


def questions(store: object) -> dict[str, Result]:
    """Our own queries and every named question, with its defaults, answered by ``store``."""
    answers = {name: store.query(q) for name, q in OWN.items()}
    try:
        from kg.ask.questions import list_queries
        from kg.ask.running import run_named
    except ImportError:  # the query layer is not there yet: our own queries only
        return answers
    for q in list_queries(PROJECT):
        values = {}
        for p in q.parameters:
            if p.required and p.default is None:
                if not p.enum:
                    break  # a required parameter with nothing to choose from: skip the question
                values[p.key] = p.enum[0]
        else:
            answers[q.name] = run_named(store, q, values)
    return answers


@pytest.fixture(scope="module")
def embedded() -> dict[str, Result]:
    return questions(EmbeddedStore(ensure_built(PROJECT).store_path))


@pytest.fixture(scope="module")
def loaded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable Oxigraph server on an empty store, filled through the endpoint backend."""
    server = Server(tmp_path_factory.mktemp("oxigraph") / "store", port=free_port(), writable=True)
    with server:
        quads = EmbeddedStore(ensure_built(PROJECT).store_path).quads()
        sent = load_endpoint(quads, server.endpoint(), batch=1000)
        assert sent > len(quads)  # the named graphs and their merge as the default graph
        yield server


def test_named_questions_through_the_endpoint_backend(loaded_server: Server,
                                                      embedded: dict[str, Result]) -> None:
    remote = questions(loaded_server.endpoint())
    assert remote.keys() == embedded.keys()
    for name in embedded:
        assert rows(remote[name]) == rows(embedded[name]), name
    assert int(embedded["count"].rows[0][0].value) > 1000


def test_bindings_travel_as_values(loaded_server: Server) -> None:
    q = "SELECT ?org ?l WHERE { ?org skos:prefLabel ?l }"
    org = ox.NamedNode("https://w3id.org/edu-equity-kg/id/tencent")
    local = EmbeddedStore(ensure_built(PROJECT).store_path).query(q, bindings={"org": org})
    remote = loaded_server.endpoint().query(q, bindings={"org": org})
    assert rows(remote) == rows(local) and len(local.rows) >= 2


def test_loading_twice_with_replace_keeps_one_copy(loaded_server: Server) -> None:
    store = loaded_server.endpoint()
    before = rows(store.query(OWN["count"]))
    quads = EmbeddedStore(ensure_built(PROJECT).store_path).quads()
    load_endpoint(quads, store, replace=True)
    assert rows(store.query(OWN["count"])) == before


def test_graph_store_protocol_load(tmp_path: Path, embedded: dict[str, Result]) -> None:
    with Server(tmp_path / "store", port=free_port(), writable=True) as server:
        quads = EmbeddedStore(ensure_built(PROJECT).store_path).quads()
        load_endpoint(quads, server.endpoint(), method="gsp")
        assert rows(server.endpoint().query(OWN["count"])) == rows(embedded["count"])


def test_syntax_errors_come_back_as_user_errors(loaded_server: Server) -> None:
    with pytest.raises(EndpointError, match="HTTP 400"):
        loaded_server.endpoint().query("SELECT WHERE {")


def test_kg_serve_is_read_only_and_answers_sparqlwrapper(embedded: dict[str, Result]) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    from kg.sparql import with_prefixes

    port = free_port()
    env = {**os.environ, "KG_PROJECT": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/query"
        store = EndpointStore(url, timeout=5)
        deadline = time.monotonic() + 60
        while True:
            try:
                store.query("ASK {}")
                break
            except EndpointError:
                assert proc.poll() is None, proc.stderr.read()
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.1)
        client = SPARQLWrapper(url)
        client.setReturnFormat(JSON)
        client.setQuery(with_prefixes(OWN["labels"]))
        answer = client.query().convert()
        got = [(b["x"]["value"], b["l"]["value"], b["l"].get("xml:lang")) for b in answer["results"]["bindings"]]
        want = [(x.value, lit.value, lit.language) for x, lit in embedded["labels"].rows]
        assert got == want and got
        assert rows(store.query(OWN["provenance"])) == rows(embedded["provenance"])
        with pytest.raises(EndpointError, match="HTTP 4|HTTP 5"):  # read-only: no updates
            EndpointStore(f"http://127.0.0.1:{port}/update", timeout=5).update(
                "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        assert rows(store.query(OWN["count"])) == rows(embedded["count"])
        page = __import__("urllib.request").request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
        assert b"<html" in page.read().lower()  # the web query page
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode is not None


def test_cli_commands_ask_the_endpoint_when_given_one(loaded_server: Server) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    url = loaded_server.endpoint().url
    for args in (["query", "funders"], ["describe", "tencent-charity-foundation"],
                 ["search", "腾讯教育"], ["stats"]):
        local = CliRunner().invoke(main, [*args, "--project", str(ROOT)])
        remote = CliRunner().invoke(main, [*args, "--endpoint", url, "--project", str(ROOT)])
        assert local.exit_code == remote.exit_code == 0, (args, remote.output)
        assert remote.output == local.output, args
    down = CliRunner().invoke(main, ["query", "funders", "--endpoint", f"http://127.0.0.1:{free_port()}/query"])
    assert down.exit_code == 1 and "cannot connect" in down.output
