"""``kg push`` into a writable Oxigraph server: idempotent, replaces only what changed, checks
every graph's count, repairs an interrupted push, and fails with one clear line.

(Virtuoso, the second engine, is in test_virtuoso.py.)
"""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build.dataset import ensure_built
from kg.cli import main
from kg.errors import UserError
from kg.project import Project
from kg.store.endpoint import EndpointError, EndpointStore, endpoint_credentials
from kg.store.push import PushInterrupted, push, server_counts
from kg.store.server import Server, free_port

from conftest import ROOT


@pytest.fixture(scope="module")
def quads() -> list[ox.Quad]:
    return list(ox.parse(path=str(ensure_built(Project(ROOT)).nquads), format=ox.RdfFormat.N_QUADS))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with Server(tmp_path / "store", port=free_port(), writable=True) as s:
        yield s


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [*args, "--project", str(ROOT)], env=env)


def count(store: EndpointStore) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)


def test_push_twice_writes_once_and_answers_as_the_build(server: Server) -> None:
    first = invoke("push", "--endpoint", server.query_url, "--update", server.update_url)
    assert first.exit_code == 0, first.output
    assert "0 dropped, 0 unchanged" in first.output and "written to the default graph" in first.output
    again = invoke("push", "--endpoint", server.query_url, "--update", server.update_url)
    assert again.exit_code == 0 and "0 graphs written" in again.output, again.output
    local = invoke("query", "funders")
    remote = invoke("query", "funders", "--endpoint", server.query_url)
    assert remote.output == local.output and "tencent-charity-foundation" in local.output


def test_a_changed_build_replaces_only_the_changed_graphs(server: Server, quads: list[ox.Quad],
                                                          tmp_path: Path) -> None:
    store, record = server.endpoint(), tmp_path / "record.json"
    push(quads, store, record=record)
    facts = sorted({q.graph_name.value for q in quads if "/fact/" in q.graph_name.value})
    gone, changed = facts[0], facts[1]
    extra = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal("z"), ox.NamedNode(changed))
    edited = [q for q in quads if q.graph_name.value != gone] + [extra]
    report = push(edited, store, record=record)
    assert sorted(report.written) == ["", changed]  # the graph and the merge in the default graph
    graphs = {q.graph_name.value for q in edited}
    assert report.dropped == [gone] and report.unchanged == len(graphs) - 1  # all others kept
    assert gone not in server_counts(store)
    assert store.query("ASK { <urn:x> <urn:y> 'z' }").boolean


def test_an_interrupted_push_says_what_is_left_and_the_next_one_repairs_it(
        server: Server, quads: list[ox.Quad], tmp_path: Path) -> None:
    store, record = server.endpoint(), tmp_path / "record.json"

    class Failing(EndpointStore):
        sent = 0

        def update(self, sparql: str) -> None:
            Failing.sent += 1
            if Failing.sent == 5:  # a write check and the probe take three requests; one batch passes
                raise EndpointError(self.url, "HTTP 500: disk full")
            super().update(sparql)

    failing = Failing(server.query_url, update_url=server.update_url)
    with pytest.raises(PushInterrupted) as e:
        push(quads, failing, record=record, batch=1000)
    left = json.loads(record.read_text())["not_yet_written"]
    assert f"{len(left)} graphs still hold the previous build or are missing" in str(e.value)
    assert str(record) in str(e.value) and len(left) > 0
    repaired = push(quads, store, record=record, batch=1000)
    assert sorted(repaired.written) == sorted(left)
    assert json.loads(record.read_text())["not_yet_written"] == []


def test_a_server_that_counts_a_triple_per_graph_is_refused(tmp_path: Path) -> None:
    with Server(tmp_path / "s", port=free_port(), writable=True, union_default_graph=True) as s:
        out = invoke("push", "--endpoint", s.query_url, "--update", s.update_url)
    assert out.exit_code == 1 and len(out.output.strip().splitlines()) == 1
    assert "once per graph" in out.output and "Traceback" not in out.output


def test_kg_query_warns_when_the_default_graph_is_not_the_merge(server: Server, quads: list[ox.Quad]) -> None:
    push(quads, server.endpoint(), default_graph="server")  # named graphs only: default graph empty
    out = CliRunner().invoke(main, ["query", "funders", "--endpoint", server.query_url,
                                                    "--project", str(ROOT)])
    assert out.exit_code == 0
    assert out.stderr.count("\n") == 1 and "default graph lacks the named graphs' triples" in out.stderr
    push(quads, server.endpoint(), default_graph="copy")
    out = CliRunner().invoke(main, ["query", "funders", "--endpoint", server.query_url,
                                                    "--project", str(ROOT)])
    assert out.stderr == "" and "tencent-charity-foundation" in out.stdout


def test_faults_are_one_line_and_a_non_zero_exit(tmp_path: Path) -> None:
    down = invoke("push", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert down.exit_code == 1 and "cannot connect" in down.output
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        held: list[object] = []
        threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
        slow = invoke("push", "--endpoint", f"http://127.0.0.1:{silent.getsockname()[1]}/query", "--timeout", "0.5")
    assert slow.exit_code == 1 and "timed out" in slow.output
    for out in (down, slow):
        assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output


def test_credentials_only_from_the_environment_or_a_private_file(tmp_path: Path, monkeypatch) -> None:
    for name in ("KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD", "KG_ENDPOINT_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    secret = tmp_path / "credentials"
    secret.write_text("ann:s3cret\n")
    secret.chmod(0o644)
    monkeypatch.setenv("KG_ENDPOINT_CREDENTIALS", str(secret))
    with pytest.raises(UserError, match="chmod 600"):
        endpoint_credentials()
    secret.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert endpoint_credentials() == ("ann", "s3cret")
    monkeypatch.setenv("KG_ENDPOINT_USER", "bob")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "pw")
    assert endpoint_credentials() == ("bob", "pw")
    with pytest.raises(EndpointError, match="only over HTTPS"):
        EndpointStore("http://sparql.example.org/query", credentials=("bob", "pw"))
    assert EndpointStore("https://sparql.example.org/query", credentials=("bob", "pw")).credentials
    assert os.environ.get("KG_ENDPOINT_PASSWORD") == "pw"  # (never an option: see `kg push --help`)
    assert "--password" not in invoke("push", "--help").output
