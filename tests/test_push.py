"""``kg push`` into a writable Oxigraph server: idempotent, replaces only what changed, checks
every graph's count, repairs an interrupted push, and fails with one clear line.

(Virtuoso, the second engine, is in test_virtuoso.py.)

One test pushes the real curated build end to end; the others check the mechanics with the
tiny project's build (small, yet with the same kinds of graph: one per fact, and big ones, the
ontology and provenance), into one in-memory server for the module, emptied before each test.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import stat
import threading
from collections import Counter
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
from kg.store.push import PROBE_GRAPHS, PushInterrupted, push, server_counts
from kg.store.server import Server, free_port

from conftest import ROOT, copy_tiny

pytestmark = pytest.mark.slow  # each test pushes a build to a running server


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The tiny project, built once for the module: what the mechanics tests push."""
    project = copy_tiny(tmp_path_factory.mktemp("push"))
    ensure_built(project)
    return project


@pytest.fixture(scope="module")
def quads(tiny: Project) -> list[ox.Quad]:
    return list(ox.parse(path=str(ensure_built(tiny).nquads), format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def running() -> Iterator[Server]:
    with Server(None, port=free_port(), writable=True) as s:
        yield s


@pytest.fixture
def server(running: Server, tiny: Project) -> Server:
    """The module's writable server, emptied, with no record of an earlier push to it: as fresh
    as a new one. Its store is in memory (a quarter of the CPU of one on disk); its rows may come
    in another order than the embedded store's: compare them as sets, or use one on disk."""
    running.endpoint().update("DROP ALL")
    shutil.rmtree(tiny.build_dir / "pushed", ignore_errors=True)  # what `kg push` remembers of it
    assert count(running.endpoint()) == 0 and not server_counts(running.endpoint())
    return running


def invoke(*args: str, project: Project):
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def count(store: EndpointStore) -> int:
    return int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)


def test_push_twice_writes_once_and_answers_as_the_build(tmp_path: Path) -> None:
    """The real curated build, end to end: it is pushable, and the server then answers as it."""
    real = Project(ROOT)
    with Server(tmp_path / "store", port=free_port(), writable=True) as server:  # on disk: rows in the same order
        first = invoke("push", "--endpoint", server.query_url, "--update", server.update_url, project=real)
        assert first.exit_code == 0, first.output
        assert "0 dropped, 0 unchanged" in first.output and "written to the default graph" in first.output
        again = invoke("push", "--endpoint", server.query_url, "--update", server.update_url, project=real)
        assert again.exit_code == 0 and "0 graphs written" in again.output, again.output
        local = invoke("query", "funders", project=real)
        remote = invoke("query", "funders", "--endpoint", server.query_url, project=real)
    assert remote.output == local.output and len(local.output.splitlines()) > 2  # a header, its rule, rows


def test_a_changed_build_replaces_only_the_changed_graphs(server: Server, quads: list[ox.Quad],
                                                          tmp_path: Path) -> None:
    store, record = server.endpoint(), tmp_path / "record.json"
    first = push(quads, store, record=record)
    assert first.loader == "nquads" and first.merge_delta is None  # Oxigraph's /store takes N-Quads
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
    # the merge changed by a delta of a few quads, not rewritten; and back again, deleting the triple
    assert report.merge_delta is not None and report.quads_sent < 50 < count(store)  # count: the merge
    back = push(quads, store, record=record)
    assert back.merge_delta is not None and not store.query("ASK { <urn:x> <urn:y> 'z' }").boolean
    assert sorted(back.written) == sorted(["", gone, changed])  # and its counts were checked


def test_the_merge_is_rewritten_whole_when_the_kept_state_is_not_the_servers(
        server: Server, quads: list[ox.Quad], tmp_path: Path) -> None:
    store, record = server.endpoint(), tmp_path / "record.json"
    push(quads, store, record=record)
    record.with_suffix(".nq").write_text("")  # kept graphs damaged: their digest no longer matches
    extra = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal("z"),
                    next(q.graph_name for q in quads if "/fact/" in q.graph_name.value))
    report = push([*quads, extra], store, record=record)
    assert report.merge_delta is None and "" in report.written  # rewritten whole, and checked
    store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")  # someone writes into the merge
    report = push(quads, store, record=record)
    assert report.merge_delta is None and not store.query("ASK { <urn:a> <urn:b> <urn:c> }").boolean


def test_without_n_quads_big_graphs_go_by_graph_store_put(server: Server, quads: list[ox.Quad],
                                                          tmp_path: Path) -> None:
    class NoDatasets(EndpointStore):  # as Virtuoso 7.2: one graph a request only
        def post_nquads(self, body: bytes) -> None:
            raise EndpointError(self.url, "HTTP 415: unsupported media type", status=415)

        def put_graph(self, graph: str, ntriples: bytes, *, replace: bool = True) -> None:
            put.append(graph)
            super().put_graph(graph, ntriples, replace=replace)

    put: list[str] = []
    store = NoDatasets(server.query_url, update_url=server.update_url, store_url=server.store_url)
    report = push(quads, store, record=tmp_path / "record.json", batch=100)
    sizes = {g: n for g, n in Counter(q.graph_name.value for q in quads).items()}
    big = {g for g, n in sizes.items() if n > 100}
    assert big and len(big) < len(sizes)  # the build has graphs on both sides of the threshold
    assert report.loader == "graphs" and "" in put  # the merge, in the default graph
    assert set(put) - {""} == big  # big graphs only; all counted after


@pytest.mark.parametrize("loader", ["update", "nquads"])
def test_an_interrupted_push_says_what_is_left_and_the_next_one_repairs_it(
        server: Server, quads: list[ox.Quad], tmp_path: Path, loader: str) -> None:
    store, record = server.endpoint(), tmp_path / "record.json"

    class Failing(EndpointStore):
        sent = 0

        def update(self, sparql: str) -> None:
            if "INSERT DATA" in sparql and "push-probe" not in sparql:
                self.fail()
            super().update(sparql)

        def post_nquads(self, body: bytes) -> None:
            if body.count(b"\n") > 2:  # not the probe
                self.fail()
            super().post_nquads(body)

        def fail(self) -> None:
            Failing.sent += 1
            if Failing.sent == 2:  # one request of the build passes
                raise EndpointError(self.url, "HTTP 500: disk full")

    failing = Failing(server.query_url, update_url=server.update_url,
                      store_url=server.store_url if loader == "nquads" else None)
    with pytest.raises(PushInterrupted) as e:  # the small build in many requests: 100 quads, or 250 a POST
        push(quads, failing, record=record, batch=100 if loader == "update" else 10)
    assert e.value.exit_status == 1
    left = json.loads(record.read_text())["not_yet_written"]
    assert f"{len(left)} graphs still hold the previous build or are missing" in str(e.value)
    assert str(record) in str(e.value) and len(left) > 0
    repaired = push(quads, store, record=record, batch=1000)
    assert sorted(repaired.written) == sorted(left) and repaired.loader == "nquads"
    assert json.loads(record.read_text())["not_yet_written"] == []


def test_a_server_that_counts_a_triple_per_graph_is_refused(tiny: Project) -> None:
    with Server(None, port=free_port(), writable=True, union_default_graph=True) as s:
        out = invoke("push", "--endpoint", s.query_url, "--update", s.update_url, project=tiny)
    assert out.exit_code == 1 and len(out.output.strip().splitlines()) == 1
    assert "once per graph" in out.output and "Traceback" not in out.output


def test_kg_query_warns_when_the_default_graph_is_not_the_merge(server: Server, quads: list[ox.Quad],
                                                                 tiny: Project) -> None:
    push(quads, server.endpoint(), default_graph="server")  # named graphs only: default graph empty
    out = invoke("query", "targets-and-outcomes", "--endpoint", server.query_url, project=tiny)
    assert out.exit_code == 0
    assert out.stderr.count("\n") == 1 and "default graph lacks the named graphs' triples" in out.stderr
    push(quads, server.endpoint(), default_graph="copy")
    out = invoke("query", "targets-and-outcomes", "--endpoint", server.query_url, project=tiny)
    assert out.stderr == "" and "gamma-plan" in out.stdout  # the tiny project's target


def test_faults_are_one_line_and_a_non_zero_exit(tiny: Project) -> None:
    down = invoke("push", "--endpoint", f"http://127.0.0.1:{free_port()}/query", project=tiny)
    assert down.exit_code == 1 and "cannot connect" in down.output
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        held: list[object] = []
        threading.Thread(target=lambda: held.append(silent.accept()), daemon=True).start()
        slow = invoke("push", "--endpoint", f"http://127.0.0.1:{silent.getsockname()[1]}/query", "--timeout", "0.2",
                      project=tiny)
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
    assert "--password" not in CliRunner().invoke(main, ["push", "--help"]).output


class _Faulty(http.server.BaseHTTPRequestHandler):
    """A SPARQL server that takes every update and answers every query with ``fault``."""

    fault = "html"

    def do_POST(self) -> None:  # noqa: N802 (the http.server name)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if body.startswith(b"update="):
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ctype, answer = {
            "html": ("text/html", b"<html><body>Sign in</body></html>"),
            "json": ("application/sparql-results+json", b'{"head": {"vars": ["n"]}, "results": '),
            "count": ("application/sparql-results+json",
                      b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", '
                      b'"value": "many"}}]}}'),
            "cut": ("application/sparql-results+json", b'{"head": {"vars": ["n"]}'),
        }[self.fault]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(answer) + (100 if self.fault == "cut" else 0)))
        self.end_headers()
        self.wfile.write(answer)  # "cut": the connection closes 100 bytes short

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def faulty() -> Iterator[str]:
    """The SPARQL URL of a :class:`_Faulty` server, for the module; each test sets its ``fault``."""
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Faulty) as stub:
        threading.Thread(target=stub.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        yield f"http://127.0.0.1:{stub.server_address[1]}/sparql"
        stub.shutdown()


@pytest.mark.parametrize("fault", ["html", "json", "count", "cut"])
def test_a_broken_answer_to_the_probe_or_the_count_check_is_one_line(fault: str, faulty: str, tiny: Project,
                                                                     monkeypatch) -> None:
    monkeypatch.setattr(_Faulty, "fault", fault)
    url = faulty
    outs = [invoke("query", "funders", "--endpoint", url, project=tiny),  # kg query's default-graph probe
            invoke("push", "--endpoint", url, project=tiny),  # kg push's probe
            invoke("push", "--endpoint", url, "--default-graph", "copy", project=tiny)]  # its count query
    for out in outs:
        assert out.exit_code == 1, out.output
        assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output
        assert out.output.startswith(f"kg: SPARQL endpoint {url}")


def test_ctrl_c_in_the_probe_or_the_check_is_one_line_exit_130_and_the_next_push_repairs(
        server: Server, tiny: Project, monkeypatch) -> None:
    args = ("push", "--endpoint", server.query_url, "--update", server.update_url, "--store", server.store_url)
    real_query, real_update = EndpointStore.query, EndpointStore.update

    def interrupt_query(when: str):
        def query(self, sparql: str, **kw):
            if when in sparql:
                raise KeyboardInterrupt
            return real_query(self, sparql, **kw)
        return query

    def interrupt_probe_drop(self, sparql: str) -> None:  # the probe graphs stay behind
        if sparql.startswith("DROP SILENT GRAPH <https://w3id.org/edu-equity-kg/graph/push-probe-1> ;"):
            raise KeyboardInterrupt
        real_update(self, sparql)

    monkeypatch.setattr(EndpointStore, "query", interrupt_query("<urn:kg:probe>"))
    monkeypatch.setattr(EndpointStore, "update", interrupt_probe_drop)
    probe = invoke(*args, project=tiny)
    monkeypatch.setattr(EndpointStore, "update", real_update)
    assert probe.exit_code == 130 and "interrupted while probing the server's default graph" in probe.output
    assert set(PROBE_GRAPHS) <= set(server_counts(server.endpoint()))  # left behind by the Ctrl-C
    monkeypatch.setattr(EndpointStore, "query", interrupt_query("GROUP BY ?g"))
    counting = invoke(*args, project=tiny)
    assert counting.exit_code == 130 and "interrupted while reading the server's graph counts" in counting.output
    calls: list[str] = []

    def interrupt_the_check(self, sparql: str, **kw):
        calls.append(sparql)
        if "GROUP BY ?g" in sparql and sum("GROUP BY ?g" in c for c in calls) == 2:  # the check, after writing
            raise KeyboardInterrupt
        return real_query(self, sparql, **kw)

    monkeypatch.setattr(EndpointStore, "query", interrupt_the_check)
    checking = invoke(*args, project=tiny)
    assert checking.exit_code == 130 and "every graph is written, not checked" in checking.output
    monkeypatch.setattr(EndpointStore, "query", real_query)
    for out in (probe, counting, checking):
        assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output
    again = invoke(*args, project=tiny)
    assert again.exit_code == 0 and "0 graphs written (0 quads)" in again.output  # the check had not run
    assert not set(PROBE_GRAPHS) & set(server_counts(server.endpoint()))


def test_ctrl_c_while_kg_query_probes_the_endpoint_is_one_line_exit_130(server: Server, tiny: Project,
                                                                         monkeypatch) -> None:
    def interrupted(self, request):
        raise KeyboardInterrupt

    monkeypatch.setattr(EndpointStore, "_send", interrupted)
    out = invoke("query", "funders", "--endpoint", server.query_url, project=tiny)
    assert out.exit_code == 130 and out.output == "kg: interrupted\n"


def test_ctrl_c_while_writing_is_exit_130_and_says_what_is_left(server: Server, tiny: Project,
                                                                monkeypatch) -> None:
    real_post = EndpointStore.post_nquads
    posts: list[bytes] = []

    def post(self, body: bytes) -> None:
        posts.append(body)
        if len(posts) == 3:  # the probe, one batch of the build, then Ctrl-C
            raise KeyboardInterrupt
        real_post(self, body)

    monkeypatch.setattr(EndpointStore, "post_nquads", post)
    monkeypatch.setattr("kg.store.push.NQUADS_BATCHES", 1)  # the small build in several POSTs of 100 quads
    args = ("push", "--endpoint", server.query_url, "--update", server.update_url, "--store", server.store_url,
            "--batch", "100")
    out = invoke(*args, project=tiny)
    assert out.exit_code == 130 and "interrupted; the push stopped with" in out.output
    left = int(out.output.split(" written: ")[1].split()[0])
    monkeypatch.setattr(EndpointStore, "post_nquads", real_post)
    again = invoke(*args, project=tiny)
    assert again.exit_code == 0 and f" {left} graphs written" in again.output, again.output
