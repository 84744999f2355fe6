"""Pushing a build into a shared SPARQL 1.1 server, graph by graph, and checking it arrived.

A build is a set of named graphs (one per curated fact, plus the ontology, provenance,
sources, regions and derived graphs). :func:`push` compares it with what the server holds and
what the last push from this checkout recorded, then replaces only the graphs that changed:

- each changed graph is replaced whole (``DROP SILENT GRAPH`` and ``INSERT DATA`` in one SPARQL
  Update request, several graphs a request), graphs the build no longer has are dropped, and
  graphs outside the project's namespace (``https://w3id.org/edu-equity-kg/``) are never touched;
- the merge of all graphs, which ``kg`` queries as the default graph, is written as well where
  the server does not make it itself (see :func:`default_graph_mode`);
- afterwards every graph's quad count on the server is checked against the build.

What was written is recorded in ``build/pushed/<endpoint>.json``; an interrupted push leaves
each graph either as the previous build had it or as the new one has it (a graph too big for
one request excepted: it is then incomplete), lists the graphs not yet written in that file,
and the next push writes them. Pushing from another checkout (no record) rewrites every graph.

>>> sorted(graph_digests([ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"),
...                                ox.NamedNode("urn:g"))]).items())[0][1].count
1
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UserError
from kg.model.vocab import BASE
from kg.store.base import union_default_graph
from kg.store.endpoint import EndpointError, EndpointStore, quad_lines

DEFAULT = ""  # the key of the server's default graph among graph IRIs
UNION_GRAPH = BASE + "graph/union"  # where the merge goes on servers without a default graph of their own
PROBE_GRAPHS = (BASE + "graph/push-probe-1", BASE + "graph/push-probe-2")
MODES = ("auto", "server", "copy")
GRAPHS_A_REQUEST = 200  # Virtuoso 7.2 compiles each DROP to SQL and refuses requests of over 10,000 lines


@dataclass(frozen=True)
class GraphInfo:
    """One graph of a build: its quad count and a digest of its sorted N-Triples lines."""

    count: int
    digest: str


@dataclass
class PushReport:
    """What :func:`push` did: graphs written, dropped and kept, quads sent, and how long it took."""

    graphs: int = 0
    written: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    unchanged: int = 0
    quads_sent: int = 0
    default_graph: str = ""  # how the merge of all graphs is made: "server", "copy" or a graph IRI
    seconds: float = 0.0


class PushInterrupted(UserError):
    """A push stopped halfway: the message says which graphs hold the new build and which not."""


def graph_digests(quads: Iterable[ox.Quad]) -> dict[str, GraphInfo]:
    """Each graph's :class:`GraphInfo`, by graph IRI (``""`` for the default graph).

    >>> g, s = ox.NamedNode("urn:g"), ox.NamedNode("urn:s")
    >>> graph_digests([ox.Quad(s, s, s, g)])["urn:g"].count
    1
    """
    lines: dict[str, list[str]] = {}
    for q in quads:
        key = DEFAULT if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        lines.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .")
    return {g: GraphInfo(len(ls), hashlib.sha256("\n".join(sorted(ls)).encode("utf-8")).hexdigest())
            for g, ls in lines.items()}


def server_counts(store: EndpointStore, *, namespace: str = BASE, default: bool = False) -> dict[str, int]:
    """The quad count of every graph on the server whose IRI starts with ``namespace`` (and of
    its default graph, as ``""``, when ``default``).

    Virtuoso counts a triple once per graph that holds it in its default graph, so the default
    graph is counted only on servers where it is a graph of its own (``copy`` mode).
    """
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                         f"FILTER (STRSTARTS(STR(?g), {json.dumps(namespace)})) }} GROUP BY ?g")
    counts = {g.value: int(n.value) for g, n in result.rows if g is not None and n is not None}
    if default:
        plain = EndpointStore(store.url, timeout=store.timeout, headers=store.headers,
                              credentials=store.credentials)
        rows = plain.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        counts[DEFAULT] = int(rows[0][0].value) if rows and rows[0][0] is not None else 0
    return counts


def default_graph_mode(store: EndpointStore) -> str:
    """How the server's default graph relates to its named graphs, found by writing a probe.

    ``"copy"``: a graph of its own (Oxigraph, Fuseki without ``unionDefaultGraph``): the push
    writes the merge of all graphs into it. ``"server"``: the union of all named graphs, each
    triple once (Oxigraph ``--union-default-graph``, Fuseki with ``unionDefaultGraph``). Raises
    :class:`UserError` when it counts a triple once per graph that holds it (Virtuoso, and
    RDF4J/GraphDB): such a server must be given a graph for the merge, as its endpoint URL's
    ``default-graph-uri`` (docs/endpoints.md).
    """
    s, p, o = "<urn:kg:probe>", "<urn:kg:probe>", '"probe"'
    inserts = " ".join(f"GRAPH <{g}> {{ {s} {p} {o} }}" for g in PROBE_GRAPHS)
    store.update(f"INSERT DATA {{ {inserts} }}")
    try:
        plain = EndpointStore(store.url, timeout=store.timeout, headers=store.headers,
                              credentials=store.credentials)
        rows = plain.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {s} {p} {o} }}").rows
        seen = int(rows[0][0].value) if rows and rows[0][0] is not None else 0
    finally:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in PROBE_GRAPHS))
    if seen == 0:
        return "copy"
    if seen == 1:
        return "server"
    raise UserError(f"SPARQL endpoint {store.url}: its default graph counts a triple once per graph that holds "
                    "it, so answers would repeat rows; docs/endpoints.md gives each engine's setting (Virtuoso: "
                    f"--endpoint '{store.url}?default-graph-uri={UNION_GRAPH}')")


def push(quads: Iterable[ox.Quad], store: EndpointStore, *, record: Path | None = None,
         default_graph: str = "auto", batch: int = 2_000, namespace: str = BASE,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Make the server hold the build's named graphs ``quads`` (and their merge), changing only
    graphs that differ; check every graph's quad count afterwards.

    ``default_graph``: ``"auto"`` probes the server (:func:`default_graph_mode`); ``"server"``
    trusts it to union its graphs; ``"copy"`` writes the merge into its default graph. When the
    store has a ``default_graph`` (from ``default-graph-uri`` in its URL) the merge goes into that
    named graph instead. ``record`` is the file that remembers each graph's digest as pushed;
    ``progress`` is called after each request with the quads it sent and the total to send.

    Raises :class:`PushInterrupted` when a request fails halfway (having recorded what was
    written), :class:`UserError` when the counts on the server differ from the build.
    """
    if default_graph not in MODES:
        raise ValueError(f"default_graph must be one of {MODES}")
    started = time.monotonic()
    store.update(f"DROP SILENT GRAPH <{PROBE_GRAPHS[0]}>")  # may we write? (refused credentials show here)
    quads = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    report = PushReport()
    if store.default_graph:
        if not store.default_graph.startswith(namespace):
            raise UserError(f"the graph for the merge of all graphs must be in {namespace}; "
                            f"got {store.default_graph}")
        mode, union_key = store.default_graph, store.default_graph
        union_graph: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(store.default_graph)
    else:
        mode = default_graph_mode(store) if default_graph == "auto" else default_graph
        union_key, union_graph = DEFAULT, ox.DefaultGraph()
    report.default_graph = mode
    by_graph: dict[str, list[ox.Quad]] = {}
    for q in quads:
        if not isinstance(q.graph_name, ox.DefaultGraph):  # left out above; this says so to mypy
            by_graph.setdefault(q.graph_name.value, []).append(q)
    if mode != "server":
        by_graph[union_key] = [ox.Quad(q.subject, q.predicate, q.object, union_graph)
                               for q in union_default_graph(quads)]
    target = {g: graph_digests(qs)[g] for g, qs in by_graph.items()}
    report.graphs = len(target)
    recorded = _read_record(record, store)
    on_server = server_counts(store, namespace=namespace, default=union_key == DEFAULT and mode == "copy")
    write = [g for g in sorted(target)
             if recorded.get(g) != target[g].digest or on_server.get(g, 0) != target[g].count]
    drop = sorted(g for g in on_server if g not in target and g != DEFAULT)
    report.unchanged = len(target) - len(write)
    done: dict[str, str] = {g: d for g, d in recorded.items() if g in target and g not in write}
    to_send = sum(len(by_graph[g]) for g in write)
    try:
        for drops, chunk, complete in _requests(write, by_graph, batch, on_server):
            store.update(_replace_graphs(drops, chunk))
            for g in complete:
                done[g] = target[g].digest
            report.written += complete
            report.quads_sent += len(chunk)
            if progress:
                progress(len(chunk), to_send)
        for start in range(0, len(drop), GRAPHS_A_REQUEST):
            store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in drop[start:start + GRAPHS_A_REQUEST]))
        report.dropped = drop
    except (EndpointError, KeyboardInterrupt) as e:
        pending = [g for g in write if g not in done]
        _write_record(record, store, done, pending)
        where = f" (listed in {record})" if record else ""
        why = e.problems[0].message if isinstance(e, EndpointError) else "interrupted"
        raise PushInterrupted(f"{why}; the push stopped with {len(report.written)} of {len(write)} changed graphs "
                              f"written: {len(pending)} graphs still hold the previous build or are "
                              f"missing{where}; run kg push again to finish") from None
    _write_record(record, store, done, [])
    differ = check_counts(store, target, namespace=namespace, default=union_key == DEFAULT and mode == "copy")
    if differ:
        raise UserError(f"SPARQL endpoint {store.url}: after the push {len(differ)} graphs differ from the "
                        f"build, e.g. {differ[0]}")
    report.seconds = time.monotonic() - started
    return report


def check_counts(store: EndpointStore, target: dict[str, GraphInfo], *, namespace: str = BASE,
                 default: bool = False) -> list[str]:
    """The graphs whose quad count on the server differs from ``target`` (and graphs the
    server has in ``namespace`` that ``target`` lacks), each as one readable line."""
    counts = server_counts(store, namespace=namespace, default=default)
    out = [f"{g or 'the default graph'}: {counts.get(g, 0)} quads on the server, {info.count} in the build"
           for g, info in sorted(target.items()) if counts.get(g, 0) != info.count]
    out += [f"{g}: on the server, not in the build" for g in sorted(set(counts) - set(target)) if g != DEFAULT]
    return out


def record_file(build_dir: Path, store: EndpointStore) -> Path:
    """Where the digests of what was pushed to ``store`` are kept: ``build/pushed/<hash>.json``."""
    key = f"{store.update_url or store.url} {store.default_graph or ''}"
    return build_dir / "pushed" / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"


def _requests(graphs: list[str], by_graph: dict[str, list[ox.Quad]], batch: int, on_server: dict[str, int]
              ) -> Iterator[tuple[list[str], list[ox.Quad], list[str]]]:
    """Requests of about ``batch`` quads and at most :data:`GRAPHS_A_REQUEST` graphs, as (graphs
    to drop first: those the server has, quads, graphs complete after it): whole graphs grouped;
    a bigger graph in several requests (the first replaces it, the others add to it)."""
    names: list[str] = []
    chunk: list[ox.Quad] = []
    for g in graphs:
        qs = by_graph[g]
        if len(qs) > batch:
            starts = range(0, len(qs), batch)
            for start in starts:
                yield ([g] if start == 0 and g in on_server else []), qs[start:start + batch], \
                    ([g] if start == starts[-1] else [])
            continue
        if chunk and (len(chunk) + len(qs) > batch or len(names) >= GRAPHS_A_REQUEST):
            yield [n for n in names if n in on_server], chunk, names
            names, chunk = [], []
        names.append(g)
        chunk += qs
    if names:
        yield [n for n in names if n in on_server], chunk, names


def _replace_graphs(graphs: list[str], quads: list[ox.Quad]) -> str:
    """One SPARQL Update request: drop ``graphs``, then insert ``quads``."""
    ops = [("DROP SILENT DEFAULT" if g == DEFAULT else f"DROP SILENT GRAPH <{g}>") for g in graphs]
    parts = quad_lines(sorted(quads, key=lambda q: str(q.graph_name)))
    if parts:
        ops.append("INSERT DATA {\n" + "\n".join(parts) + "\n}")
    return " ;\n".join(ops)


def _read_record(path: Path | None, store: EndpointStore) -> dict[str, str]:
    if path is None or not path.is_file():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # an unreadable record: every graph is rewritten
    return dict(doc.get("graphs", {})) if doc.get("endpoint") == (store.update_url or store.url) else {}


def _write_record(path: Path | None, store: EndpointStore, graphs: dict[str, str], pending: list[str]) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"endpoint": store.update_url or store.url, "default_graph": store.default_graph,
           "graphs": dict(sorted(graphs.items())), "not_yet_written": pending}
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
