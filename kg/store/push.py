"""Pushing a build into a shared SPARQL 1.1 server, graph by graph, and checking it arrived.

A build is a set of named graphs (one per curated fact, plus the ontology, provenance,
sources, regions and derived graphs). :func:`push` compares it with what the server holds and
what the last push from this checkout recorded, then replaces only the graphs that changed:

- each changed graph is replaced whole, the fastest way the server takes (:func:`load_mode`):
  one N-Quads POST for many graphs to its Graph Store (Oxigraph), a Graph Store PUT for each big
  graph (Virtuoso), or ``DROP SILENT GRAPH`` and ``INSERT DATA`` in one SPARQL Update request for
  several graphs; graphs the build no longer has are dropped, and graphs outside the project's
  namespace (``https://w3id.org/edu-equity-kg/``) are never touched;
- the merge of all graphs, which ``kg`` queries as the default graph, is written last where the
  server does not make it itself (see :func:`default_graph_mode`): by ``DELETE DATA`` and
  ``INSERT DATA`` of what changed where the last push left it intact, else whole;
- afterwards every graph's quad count on the server is checked against the build.

What was written is recorded in ``build/pushed/<endpoint>.json`` (and the pushed graphs kept
beside it, for the merge's delta); an interrupted push lists the graphs not yet written in
that file, and the next push writes them. Pushing from another checkout (no record) rewrites
every graph.

>>> sorted(graph_digests([ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o"),
...                                ox.NamedNode("urn:g"))]).items())[0][1].count
1
"""

from __future__ import annotations

import functools
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
from kg.store.endpoint import EndpointError, EndpointStore, as_count

DEFAULT = ""  # the key of the server's default graph among graph IRIs
UNION_GRAPH = BASE + "graph/union"  # where the merge goes on servers without a default graph of their own
PROBE_GRAPHS = (BASE + "graph/push-probe-1", BASE + "graph/push-probe-2")
MODES = ("auto", "server", "copy")
GRAPHS_A_REQUEST = 200  # Virtuoso 7.2 compiles each DROP to SQL and refuses requests of over 10,000 lines
NQUADS_BATCHES = 25  # an N-Quads POST holds this many SPARQL Update batches (50,000 quads by default)
GSP_BATCHES = 10  # a Graph Store PUT or POST of one graph: 20,000 quads (Virtuoso resets a 15 MB request)


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
    loader: str = ""  # how graphs were sent: "nquads", "graphs" or "update" (see load_mode)
    merge_delta: int | None = None  # quads the merge's DELETE DATA / INSERT DATA sent, when not rewritten
    seconds: float = 0.0


class PushInterrupted(UserError):
    """A push stopped halfway: the message says which graphs hold the new build and which not.

    ``exit_status`` is 130 when Ctrl-C (SIGINT) stopped it, as a shell reports an interrupted
    program, else 1.
    """

    def __init__(self, message: str, *, interrupted: bool = False):
        super().__init__(message)
        self.exit_status = 130 if interrupted else 1


def graph_digests(quads: Iterable[ox.Quad]) -> dict[str, GraphInfo]:
    """Each named graph's :class:`GraphInfo`, by graph IRI.

    >>> g, s = ox.NamedNode("urn:g"), ox.NamedNode("urn:s")
    >>> graph_digests([ox.Quad(s, s, s, g)])["urn:g"].count
    1
    """
    return {g: _info(ls) for g, ls in graph_lines(quads).items()}


def graph_lines(quads: Iterable[ox.Quad]) -> dict[str, list[str]]:
    """Each named graph's triples as N-Triples lines, by graph IRI (the default graph left out).

    One N-Quads serialization by pyoxigraph, then split: at a million quads this is seconds
    faster than formatting each term in Python, and the lines are what every request sends.

    >>> g, s = ox.NamedNode("urn:g"), ox.NamedNode("urn:s")
    >>> graph_lines([ox.Quad(s, s, ox.Literal("a b"), g), ox.Quad(s, s, s)])
    {'urn:g': ['<urn:s> <urn:s> "a b" .']}
    """
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    out: dict[str, list[str]] = {}
    for line in (ox.serialize(named, format=ox.RdfFormat.N_QUADS) or b"").decode("utf-8").splitlines():
        head, graph, _ = line.rsplit(" ", 2)  # every line ends "<graph> ." (an IRI holds no space)
        out.setdefault(graph[1:-1] if graph.startswith("<") else graph, []).append(head + " .")
    return out


def _info(lines: list[str]) -> GraphInfo:
    return GraphInfo(len(lines), hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest())


def server_counts(store: EndpointStore, *, namespace: str = BASE, default: bool = False) -> dict[str, int]:
    """The quad count of every graph on the server whose IRI starts with ``namespace`` (and of
    its default graph, as ``""``, when ``default``).

    Virtuoso counts a triple once per graph that holds it in its default graph, so the default
    graph is counted only on servers where it is a graph of its own (``copy`` mode).
    """
    result = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                         f"FILTER (STRSTARTS(STR(?g), {json.dumps(namespace)})) }} GROUP BY ?g")
    if result.rows and len(result.rows[0]) != 2:
        raise EndpointError(store.url, f"its answer to a query of 2 columns has {len(result.rows[0])}")
    counts = {g.value: as_count(store.url, n) for g, n in result.rows if g is not None and n is not None}
    if default:
        counts[DEFAULT] = _plain(store).count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return counts


def _plain(store: EndpointStore) -> EndpointStore:
    """The same endpoint without ``default-graph-uri``: its own default graph."""
    return EndpointStore(store.url, timeout=store.timeout, headers=store.headers, credentials=store.credentials)


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
        seen = _plain(store).count(f"SELECT (COUNT(*) AS ?n) WHERE {{ {s} {p} {o} }}")
    finally:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in PROBE_GRAPHS))
    if seen == 0:
        return "copy"
    if seen == 1:
        return "server"
    raise UserError(f"SPARQL endpoint {store.url}: its default graph counts a triple once per graph that holds "
                    "it, so answers would repeat rows; docs/endpoints.md gives each engine's setting (Virtuoso: "
                    f"--endpoint '{store.url}?default-graph-uri={UNION_GRAPH}')")


def load_mode(store: EndpointStore) -> str:
    """The fastest way this server takes whole graphs, found by a probe.

    ``"nquads"``: its Graph Store URL takes a dataset as N-Quads in one POST (Oxigraph's
    ``/store``): everything goes that way. ``"graphs"``: it takes one graph a request by the
    Graph Store HTTP Protocol (Virtuoso's ``/sparql-graph-crud-auth``): big graphs go that way,
    small ones by SPARQL Update (one request a graph costs more than one ``INSERT DATA`` holding
    hundreds). ``"update"``: no Graph Store URL given, SPARQL Update only.
    """
    if not store.store_url:
        return "update"
    thing, label = ox.NamedNode(BASE + "id/push-probe"), ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
    probe = [ox.Quad(thing, label, ox.Literal("探针", language="zh"), ox.NamedNode(PROBE_GRAPHS[0])),
             ox.Quad(thing, label, ox.Literal("probe", language="en"), ox.NamedNode(PROBE_GRAPHS[1]))]
    graphs = " ".join(f"<{g}>" for g in PROBE_GRAPHS)
    try:
        store.post_quads(probe)
        taken = store.count(f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}")
    except EndpointError as e:
        if e.status in (None, 401, 403):  # down, or credentials: no fallback would do better
            raise
        taken = 0  # the media type refused
    finally:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in PROBE_GRAPHS))
    return "nquads" if taken == len(probe) else "graphs"  # Virtuoso 7.2 says 200 and keeps nothing


Step = tuple[Callable[[], None], list[str], int]  # send one request; graphs complete after it; quads it sends


def push(quads: Iterable[ox.Quad], store: EndpointStore, *, record: Path | None = None,
         default_graph: str = "auto", batch: int = 2_000, namespace: str = BASE,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """Make the server hold the build's named graphs ``quads`` (and their merge), changing only
    graphs that differ; check every graph's quad count afterwards.

    ``default_graph``: ``"auto"`` probes the server (:func:`default_graph_mode`); ``"server"``
    trusts it to union its graphs; ``"copy"`` writes the merge into its default graph. When the
    store has a ``default_graph`` (from ``default-graph-uri`` in its URL) the merge goes into that
    named graph instead. With a ``store_url`` graphs go by the Graph Store HTTP Protocol where the
    server takes it (:func:`load_mode`). ``record`` is the file that remembers each graph's digest
    as pushed (and, beside it, the pushed graphs, so that the next push changes the merge by a
    delta); ``progress`` is called after each request with the quads it sent and the total to send.

    Raises :class:`PushInterrupted` when a request fails or Ctrl-C comes (having recorded what
    was written), :class:`UserError` when the counts on the server differ from the build.
    """
    if default_graph not in MODES:
        raise ValueError(f"default_graph must be one of {MODES}")
    started = time.monotonic()
    by_graph = graph_lines(quads)  # graph -> N-Triples lines: what is digested, kept and sent
    report = PushReport()
    if store.default_graph and not store.default_graph.startswith(namespace):
        raise UserError(f"the graph for the merge of all graphs must be in {namespace}; got {store.default_graph}")
    phase = "checking that the server takes updates"
    try:
        store.update(f"DROP SILENT GRAPH <{PROBE_GRAPHS[0]}>")  # may we write? (refused credentials show here)
        phase = "probing the server's default graph"
        if store.default_graph:
            mode, union_key = store.default_graph, store.default_graph
        else:
            mode = default_graph_mode(store) if default_graph == "auto" else default_graph
            union_key = DEFAULT
        phase = "probing the server's Graph Store"
        loader = load_mode(store)
        phase = "reading the server's graph counts"
        count_default = union_key == DEFAULT and mode == "copy"
        on_server = server_counts(store, namespace=namespace, default=count_default)
    except KeyboardInterrupt:
        raise PushInterrupted(f"interrupted while {phase}: nothing of the build was written; "
                              "run kg push again", interrupted=True) from None
    report.default_graph, report.loader = mode, loader
    named = dict(by_graph)  # what is kept for the next push's merge delta
    if mode != "server":  # the merge: each distinct triple once
        by_graph[union_key] = sorted({line for lines in named.values() for line in lines})
    target = {g: _info(lines) for g, lines in by_graph.items()}
    report.graphs = len(target)
    recorded, merge_state = _read_record(record, store)
    write = [g for g in sorted(target)
             if recorded.get(g) != target[g].digest or on_server.get(g, 0) != target[g].count]
    drop = sorted(g for g in on_server if g not in target and g != DEFAULT)
    report.unchanged = len(target) - len(write)
    done: dict[str, str] = {g: d for g, d in recorded.items() if g in target and g not in write}
    graphs = [g for g in write if g != union_key or mode == "server"]
    steps = list(_graph_steps(graphs, by_graph, on_server, loader, store, batch))
    steps += [(functools.partial(store.update, " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in part)), [], 0)
              for part in _parts(drop, GRAPHS_A_REQUEST)]
    if union_key in write and mode != "server":
        delta = _merge_delta(store, record, merge_state, on_server.get(union_key), by_graph, write, union_key,
                             batch)
        if delta is not None:
            report.merge_delta = sum(n for _, _, n in delta)
            steps += [(do, [union_key] if i == len(delta) - 1 else [], n) for i, (do, _, n) in enumerate(delta)]
        else:
            steps += _graph_steps([union_key], by_graph, on_server, loader, store, batch)
    to_send = sum(n for _, _, n in steps)
    try:
        for do, complete, sent in steps:
            do()
            for g in complete:
                done[g] = target[g].digest
            report.written += complete
            report.quads_sent += sent
            if progress:
                progress(sent, to_send)
        report.dropped = drop
    except (EndpointError, KeyboardInterrupt) as e:
        pending = [g for g in write if g not in done]
        _write_record(record, store, done, pending)
        where = f" (listed in {record})" if record else ""
        why = e.problems[0].message if isinstance(e, EndpointError) else "interrupted"
        raise PushInterrupted(f"{why}; the push stopped with {len(report.written)} of {len(write)} changed graphs "
                              f"written: {len(pending)} graphs still hold the previous build or are "
                              f"missing{where}; run kg push again to finish",
                              interrupted=isinstance(e, KeyboardInterrupt)) from None
    state = _save_state(record, named, by_graph.get(union_key) if mode != "server" else None,
                        fresh=bool(write or drop), kept=merge_state)
    _write_record(record, store, done, [], state)
    try:
        differ = check_counts(store, target, namespace=namespace, default=count_default)
    except KeyboardInterrupt:
        raise PushInterrupted("interrupted while checking the counts: every graph is written, not checked; "
                              "run kg push again to check", interrupted=True) from None
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


Chunk = list[tuple[str, list[str]]]  # (graph, N-Triples lines) in one request


def _requests(graphs: list[str], by_graph: dict[str, list[str]], batch: int, on_server: dict[str, int],
              max_graphs: int = GRAPHS_A_REQUEST) -> Iterator[tuple[list[str], Chunk, list[str]]]:
    """Requests of about ``batch`` quads and at most ``max_graphs`` graphs, as (graphs to drop
    first: those the server has, the graphs' lines, graphs complete after it): whole graphs
    grouped; a bigger graph in several requests (the first replaces it, the others add to it)."""
    names: list[str] = []
    chunk: Chunk = []
    size = 0
    for g in graphs:
        lines = by_graph[g]
        if len(lines) > batch:
            starts = range(0, len(lines), batch)
            for start in starts:
                yield ([g] if start == 0 and g in on_server else []), [(g, lines[start:start + batch])], \
                    ([g] if start == starts[-1] else [])
            continue
        if chunk and (size + len(lines) > batch or len(names) >= max_graphs):
            yield [n for n in names if n in on_server], chunk, names
            names, chunk, size = [], [], 0
        names.append(g)
        chunk.append((g, lines))
        size += len(lines)
    if names:
        yield [n for n in names if n in on_server], chunk, names


def _graph_steps(graphs: list[str], by_graph: dict[str, list[str]], on_server: dict[str, int], loader: str,
                 store: EndpointStore, batch: int) -> Iterator[Step]:
    """The requests that replace ``graphs`` whole, by the fastest way the server takes (:func:`load_mode`)."""
    if loader == "nquads":  # drop what the server has, then one N-Quads POST for many graphs
        for drops, chunk, complete in _requests(graphs, by_graph, batch * NQUADS_BATCHES, on_server,
                                                max_graphs=len(graphs)):
            yield functools.partial(_drop_then_post, store, drops, chunk), complete, _size(chunk)
        return
    small = [g for g in graphs if loader == "update" or len(by_graph[g]) <= batch]
    for drops, chunk, complete in _requests(small, by_graph, batch, on_server):
        yield functools.partial(store.update, _replace_graphs(drops, chunk)), complete, _size(chunk)
    size = batch * GSP_BATCHES
    for g in (g for g in graphs if loader != "update" and len(by_graph[g]) > batch):  # PUT, then POST the rest
        lines = by_graph[g]
        for start in range(0, len(lines), size):
            part = lines[start:start + size]
            body = ("\n".join(part) + "\n").encode("utf-8")
            yield (functools.partial(store.put_graph, g, body, replace=start == 0),
                   [g] if start + size >= len(lines) else [], len(part))


def _size(chunk: Chunk) -> int:
    return sum(len(lines) for _, lines in chunk)


def _drop_then_post(store: EndpointStore, drops: list[str], chunk: Chunk) -> None:
    for part in _parts(drops, GRAPHS_A_REQUEST):
        store.update(_replace_graphs(part, []))
    store.post_nquads("".join(_nquads(g, lines) for g, lines in chunk).encode("utf-8"))


def _nquads(graph: str, lines: list[str]) -> str:
    """N-Triples lines as N-Quads of ``graph`` (``""``: the default graph)."""
    if graph == DEFAULT:
        return "".join(line + "\n" for line in lines)
    tail = f" <{graph}> .\n"
    return "".join(line[:-2] + tail for line in lines)  # "... ." -> "... <graph> ."


def _parts(items: list, size: int) -> list[list]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def _merge_delta(store: EndpointStore, record: Path | None, state: dict | None, on_server: int | None,
                 by_graph: dict[str, list[str]], write: list[str], union_key: str, batch: int
                 ) -> list[Step] | None:
    """The ``DELETE DATA`` and ``INSERT DATA`` requests that turn the merge the last push wrote
    into this build's, or None where a whole rewrite is needed or cheaper.

    The last completed push kept its named graphs beside the record (``<record>.nq``, its
    SHA-256 and the merge's count in the record). Only when that file is intact and the server's
    merge has the count it had then: the triples of the changed and removed graphs as they were
    and are not in the new merge are deleted; those of the changed graphs as they are now and
    were in none of them are inserted (a triple another graph also holds is in both merges).
    """
    if record is None or not state or on_server != state.get("count"):
        return None
    try:
        text = _state_file(record).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(text).hexdigest() != state.get("sha256"):
        return None
    changed = {g for g in write if g != union_key}
    old: set[str] = set()
    for line in text.decode("utf-8").splitlines():
        head, graph, _ = line.rsplit(" ", 2)
        key = graph[1:-1] if graph.startswith("<") else graph
        if key in changed or key not in by_graph:
            old.add(head + " .")
    merge = by_graph[union_key]
    remove = old.difference(merge)
    add = {line for g in changed for line in by_graph[g]} - old
    if 2 * (len(remove) + len(add)) > len(merge) or any("_:" in line for line in remove | add):
        return None  # DATA cannot name blank nodes ("_:" in a literal only costs a rewrite); big: rewrite
    steps: list[Step] = []
    for verb, lines in (("DELETE", remove), ("INSERT", add)):
        for part in _parts(sorted(lines), batch):
            steps.append((functools.partial(store.update, _data(verb, [(union_key, part)])), [], len(part)))
    return steps or [(lambda: None, [], 0)]


def _state_file(record: Path) -> Path:
    return record.with_suffix(".nq")


def _save_state(record: Path | None, named: dict[str, list[str]], merge: list[str] | None, *, fresh: bool,
                kept: dict | None) -> dict | None:
    """Keep the pushed named graphs beside the record, for the next push's merge delta; returns
    what the record says of them (the merge's count and the file's SHA-256)."""
    if record is None or merge is None:
        return None
    path = _state_file(record)
    if not fresh and kept and path.is_file():
        return kept
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(_nquads(g, lines) for g, lines in sorted(named.items())).encode("utf-8")
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_bytes(text)
    tmp.replace(path)
    return {"count": len(merge), "sha256": hashlib.sha256(text).hexdigest()}


def _replace_graphs(graphs: list[str], chunk: Chunk) -> str:
    """One SPARQL Update request: drop ``graphs``, then insert ``chunk``."""
    ops = [("DROP SILENT DEFAULT" if g == DEFAULT else f"DROP SILENT GRAPH <{g}>") for g in graphs]
    if chunk:
        ops.append(_data("INSERT", chunk))
    return " ;\n".join(ops)


def _data(verb: str, chunk: Chunk) -> str:
    """``INSERT DATA`` or ``DELETE DATA`` of N-Triples lines, each graph's in its ``GRAPH`` block.

    >>> print(_data("DELETE", [("urn:g", ["<urn:s> <urn:p> <urn:o> ."]), ("", ["<urn:s> <urn:p> 1 ."])]))
    DELETE DATA {
    GRAPH <urn:g> {
    <urn:s> <urn:p> <urn:o> .
    }
    <urn:s> <urn:p> 1 .
    }
    """
    parts = [f"{verb} DATA {{"]
    for g, lines in chunk:
        parts += [*lines] if g == DEFAULT else [f"GRAPH <{g}> {{", *lines, "}"]
    return "\n".join([*parts, "}"])


def _read_record(path: Path | None, store: EndpointStore) -> tuple[dict[str, str], dict | None]:
    """The digests a record holds, by graph, and what it says of the kept named graphs."""
    if path is None or not path.is_file():
        return {}, None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, None  # an unreadable record: every graph is rewritten
    if not isinstance(doc, dict) or doc.get("endpoint") != (store.update_url or store.url):
        return {}, None
    graphs, merge = doc.get("graphs"), doc.get("merge")
    return (dict(graphs) if isinstance(graphs, dict) else {}), (merge if isinstance(merge, dict) else None)


def _write_record(path: Path | None, store: EndpointStore, graphs: dict[str, str], pending: list[str],
                  merge: dict | None = None) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"endpoint": store.update_url or store.url, "default_graph": store.default_graph,
           "graphs": dict(sorted(graphs.items())), "not_yet_written": pending, "merge": merge}
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
