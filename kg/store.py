"""Where the dataset lives, behind one small interface.

The embedded default is the on-disk Oxigraph store of the current build, opened read-only
(several ``kg`` processes can read it at once; opening it takes milliseconds at any size).
A remote SPARQL 1.1 endpoint (QLever, Virtuoso, GraphDB, Neptune, an Oxigraph server) can
hold the graph instead: :class:`EndpointStore` speaks the SPARQL 1.1 Protocol over HTTP, and
:func:`load_endpoint` puts a build into it. Code above this module calls :meth:`Store.query`
and never asks which store it has; :func:`open_store` picks one (see :func:`endpoint_url`).

>>> from kg.project import Project
>>> store = open_store(Project.default())
>>> result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Source }")
>>> result.columns, int(result.rows[0][0].value) > 3
(['n'], True)
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from kg.errors import UserError
from kg.project import Project
from kg.vocab import PREFIXES, SKOS

if TYPE_CHECKING:
    import urllib.request

Term = ox.NamedNode | ox.BlankNode | ox.Literal

ENDPOINT_ENV = "KG_ENDPOINT"  # environment variable naming a remote SPARQL endpoint
CONFIG_FILE = "kg.toml"  # project settings: [store] endpoint = "...", update = "...", store = "..."


@dataclass
class Result:
    """A query's answer: rows for SELECT, ``boolean`` for ASK, ``triples`` for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "graph"
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)


class Store(Protocol):
    """What every store offers: SPARQL over the union of all graphs, parameters bound."""

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Result: ...

    def quads(self) -> list[ox.Quad]: ...

    def labels(self, iris: Iterable[str]) -> dict[str, list[ox.Literal]]: ...


LABEL_PREDICATES = (SKOS.prefLabel, SKOS.altLabel)


def _is_label(predicate: str, literal: ox.Literal) -> bool:
    """A name to show: a preferred label, or the pinyin alias (for names only in Chinese)."""
    return predicate == SKOS.prefLabel or (literal.language or "").lower() == "zh-latn-pinyin"


def union_default_graph(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The default graph as the merge of all named graphs: each distinct triple once.

    Queries read the default graph, so a triple that two sources state counts once; ``GRAPH``
    patterns reach the fact graphs and their provenance.

    >>> g = ox.NamedNode("http://example.org/g")
    >>> s = ox.NamedNode("http://example.org/s")
    >>> len(union_default_graph([ox.Quad(s, s, s, g), ox.Quad(s, s, s, s)]))
    1
    """
    return list({ox.Quad(q.subject, q.predicate, q.object) for q in quads})


class EmbeddedStore:
    """An Oxigraph store: on disk and read-only, or in memory from a list of named-graph quads."""

    def __init__(self, path: Path | None = None, *, quads: list[ox.Quad] | None = None):
        self._labels: dict[str, list[list[str]]] | None = None
        self._labels_file = Path(path).parent / "labels.json" if path is not None else None
        if path is not None:
            self._store = ox.Store.read_only(str(path))
        else:
            self._store = ox.Store()
            self._store.extend(quads or [])
            self._store.extend(union_default_graph(quads or []))

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Result:
        """Run a SPARQL query with the project's prefixes predeclared and ``bindings`` bound.

        Bindings are data, passed the SPARQL 1.1 way: a ``VALUES`` block of RDF terms that
        pyoxigraph serializes (see :func:`with_values`), so a value is one term and can never
        change the query. (Oxigraph's own substitution, SEP-0007, gives the same answers, but
        its planner then treats the variable as free: 25 s instead of 0.44 s for
        partners-of-organization at 1M triples, 1.5 s instead of 0.07 s to describe an entity.)
        """
        text = with_values(sparql, bindings) if bindings else sparql
        return _result(self._store.query(text, prefixes=PREFIXES))

    def quads(self) -> list[ox.Quad]:
        """The named-graph quads (the dataset as built, without the derived default graph)."""
        return [q for q in self._store.quads_for_pattern(None, None, None, None)
                if not isinstance(q.graph_name, ox.DefaultGraph)]

    def labels(self, iris: Iterable[str]) -> dict[str, list[ox.Literal]]:
        """The preferred labels (and pinyin) of just these IRIs, read straight from the index.

        >>> from kg.project import Project
        >>> store = open_store(Project.default())
        >>> sorted(str(l) for l in store.labels(["https://w3id.org/edu-equity-kg/id/tencent"])[
        ...     "https://w3id.org/edu-equity-kg/id/tencent"])[:2]
        ['"Tencent"@en', '"téng xùn"@zh-latn-pinyin']
        """
        wanted = list(dict.fromkeys(iris))
        index = self._label_index(len(wanted))
        if index is not None:
            return {iri: [ox.Literal(v, language=lang) if lang else ox.Literal(v) for v, lang in index[iri]]
                    for iri in wanted if iri in index}
        out: dict[str, list[ox.Literal]] = {}
        for iri in wanted:
            found = _labels_of(self._store, ox.NamedNode(iri))
            if found:
                out[iri] = found
        return out

    def _label_index(self, wanted: int) -> dict[str, list[list[str]]] | None:
        """The build's ``labels.json`` beside the store, once reading it is cheaper than
        ``wanted`` lookups (then kept), or None."""
        if self._labels is None and self._labels_file is not None:
            try:
                size = self._labels_file.stat().st_size
            except OSError:  # a build from before the index: look the names up
                return None
            if wanted * _BYTES_PER_LOOKUP >= size:
                self._labels = json.loads(self._labels_file.read_text(encoding="utf-8"))
        return self._labels


# One lookup in the store costs about what reading 3 kB of the label index does (~50 us), so
# an answer naming more entities than the index has kB/3 reads the whole index: at 1M triples
# 4 MB, from 1,400 entities on (20k entities: 1.1 s looked up, 0.07 s from the index).
_BYTES_PER_LOOKUP = 3000


def _labels_of(store: ox.Store, node: ox.NamedNode) -> list[ox.Literal]:
    default = ox.DefaultGraph()
    return [q.object for pred in LABEL_PREDICATES
            for q in store.quads_for_pattern(node, ox.NamedNode(pred), None, default)
            if isinstance(q.object, ox.Literal) and _is_label(pred, q.object)]


def write_label_index(store: ox.Store, path: Path) -> None:
    """Write every entity's labels (as :meth:`EmbeddedStore.labels` gives them) to ``path`` as
    JSON: IRI -> [[text, language], ...], sorted, so the same data gives the same bytes."""
    index: dict[str, list[list[str]]] = {}
    for pred in LABEL_PREDICATES:
        for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, ox.DefaultGraph()):
            if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.Literal) and _is_label(pred, q.object):
                index.setdefault(q.subject.value, []).append([q.object.value, q.object.language or ""])
    text = json.dumps({iri: sorted(labels) for iri, labels in sorted(index.items())}, ensure_ascii=False,
                      separators=(",", ":"))
    path.write_text(text, encoding="utf-8")


def _result(answer: object) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        columns = [v.value for v in answer.variables]
        rows = [tuple(solution[c] for c in columns) for solution in answer]
        return Result("select", columns=columns, rows=rows)
    return Result("graph", triples=list(answer))


# ---------------------------------------------------------------------------- remote endpoints


class EndpointError(UserError):
    """The endpoint could not be reached, or refused a request (its message says why)."""

    def __init__(self, url: str, message: str):
        super().__init__(f"SPARQL endpoint {url}: {message}")


class EndpointStore:
    """A remote SPARQL 1.1 endpoint, read through the SPARQL 1.1 Protocol (HTTP POST).

    The endpoint must answer queries without ``GRAPH`` from the merge of all named graphs,
    as the embedded store does: :func:`load_endpoint` writes that merge into the default
    graph, or the server unions its graphs itself (``docs/endpoints.md`` says how for each).

    Bindings travel as on the embedded store: a SPARQL 1.1 ``VALUES`` block placed first in
    the query's outermost ``WHERE`` group, built from RDF terms (:func:`with_values`). A
    subquery does not see the bound value (SPARQL evaluates it first), so named questions
    bind only variables of the outer query.

    >>> EndpointStore("http://127.0.0.1:7878/query").url
    'http://127.0.0.1:7878/query'
    """

    def __init__(self, url: str, *, update_url: str | None = None, store_url: str | None = None,
                 timeout: float = 300.0, headers: Mapping[str, str] | None = None):
        self.url = url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self.headers = dict(headers or {})

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Result:
        """Send a query with the project's prefixes declared and ``bindings`` as ``VALUES``."""
        text = with_prefixes(sparql)
        if bindings:
            text = with_values(text, bindings)
        body, ctype = self._post(self.url, {"query": text},
                                 accept="application/sparql-results+json, application/n-triples;q=0.9, "
                                        "text/turtle;q=0.5")
        if "json" in ctype:
            return parse_json_results(body)
        fmt = ox.RdfFormat.TURTLE if "turtle" in ctype else ox.RdfFormat.N_TRIPLES
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
        return Result("graph", triples=triples)

    def quads(self) -> list[ox.Quad]:
        """Every quad in a named graph (the default graph is derived from them)."""
        result = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [ox.Quad(s, p, o, g) for s, p, o, g in result.rows]

    def labels(self, iris: Iterable[str]) -> dict[str, list[ox.Literal]]:
        """The preferred labels (and pinyin) of these IRIs, asked in batches of 500."""
        out: dict[str, list[ox.Literal]] = {}
        todo = list(dict.fromkeys(iris))
        for start in range(0, len(todo), 500):
            values = " ".join(str(ox.NamedNode(iri)) for iri in todo[start:start + 500])
            result = self.query(f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} "
                                "VALUES ?p { skos:prefLabel skos:altLabel } ?x ?p ?l }")
            for x, p, label in result.rows:
                if isinstance(label, ox.Literal) and _is_label(p.value, label):
                    out.setdefault(x.value, []).append(label)
        return out

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update to ``update_url`` (the query URL when none is set)."""
        self._post(self.update_url or self.url, {"update": sparql}, accept="*/*")

    def _post(self, url: str, form: Mapping[str, str], *, accept: str) -> tuple[bytes, str]:
        import urllib.parse  # only remote stores need HTTP: keep it off the embedded path
        import urllib.request

        data = urllib.parse.urlencode(form).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, **self.headers}
        return self._send(urllib.request.Request(url, data=data, headers=headers, method="POST"))

    def _send(self, request: urllib.request.Request) -> tuple[bytes, str]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip()[:2000]
            raise EndpointError(request.full_url, f"HTTP {e.code}: {detail or e.reason}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise EndpointError(request.full_url, f"cannot connect ({reason})") from None


_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def with_prefixes(sparql: str) -> str:
    """``sparql`` with a ``PREFIX`` line for each project prefix it does not declare itself.

    >>> with_prefixes("PREFIX kg: <urn:x#> ASK {}").count("PREFIX kg:")
    1
    >>> "PREFIX schema: <https://schema.org/>" in with_prefixes("ASK {}")
    True
    """
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    lines = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return lines + sparql


# One RDF term as pyoxigraph writes it in N-Triples: an IRI, or a literal with its escapes and an
# optional language tag or datatype IRI. Anything else in a VALUES block would be a bug.
_TERM = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>'
                   r'|"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>"{}|^`\\\x00-\x20]*>)?')


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """Bind variables with a ``VALUES`` block first in the outermost ``WHERE`` group.

    Each value is an RDF term object serialized by pyoxigraph (IRIs are checked when the
    term is made, quotes and line breaks in literals are escaped), and each serialized term
    is checked again to be exactly one term: a value is data, never query text.

    >>> with_values("SELECT ?n WHERE { ?x rdfs:label ?n }", {"x": ox.NamedNode("urn:a")})
    'SELECT ?n WHERE { VALUES (?x) { (<urn:a>) }\\n ?x rdfs:label ?n }'
    >>> with_values("SELECT * WHERE { ?x ?p ?v }", {"v": ox.Literal('x" } ; DROP ALL ; #')})
    'SELECT * WHERE { VALUES (?v) { ("x\\\\" } ; DROP ALL ; #") }\\n ?x ?p ?v }'
    """
    names, terms = [], []
    for name, term in bindings.items():
        if not re.fullmatch(r"[A-Za-z_][\w]*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise ValueError(f"?{name}: only IRIs and literals can be bound")
        text = str(term)
        if not _TERM.fullmatch(text):
            raise ValueError(f"?{name}: {text!r} is not a single RDF term")
        names.append(f"?{name}")
        terms.append(text)
    at = _where_brace(sparql)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"
    return sparql[: at + 1] + block + sparql[at + 1:]


def _where_brace(sparql: str) -> int:
    """The offset of the ``{`` that opens the outermost WHERE group (skips IRIs, strings, comments)."""
    i, n, depth, first = 0, len(sparql), 0, -1
    after_where = False
    while i < n:
        c = sparql[i]
        if c == "#":
            i = sparql.find("\n", i)
            i = n if i < 0 else i
            continue
        if c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:]):
            i = sparql.index(">", i) + 1
            continue
        if c == "{":
            if depth == 0 and (after_where or first < 0):
                if after_where:
                    return i
                first = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and sparql[i:i + 5].upper() == "WHERE" and not _word(sparql, i - 1) \
                and not _word(sparql, i + 5):
            after_where = True
        i += 1
    if first < 0:
        raise ValueError("the query has no WHERE group to bind values in")
    return first


def _word(s: str, i: int) -> bool:
    return 0 <= i < len(s) and (s[i].isalnum() or s[i] in "_?$")


def parse_json_results(body: bytes) -> Result:
    """SPARQL 1.1 Query Results JSON -> :class:`Result` (also Virtuoso's ``typed-literal``).

    >>> r = parse_json_results(b'{"head": {"vars": ["n"]}, "results": {"bindings": '
    ...     b'[{"n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}')
    >>> r.columns, r.rows[0][0].value
    (['n'], '1')
    """
    doc = json.loads(body)
    if "boolean" in doc:
        return Result("ask", boolean=bool(doc["boolean"]))
    columns = list(doc["head"].get("vars", []))
    rows = [tuple(_json_term(b[c]) if c in b else None for c in columns)
            for b in doc["results"]["bindings"]]
    return Result("select", columns=columns, rows=rows)


def _json_term(t: Mapping) -> Term:
    kind, value = t["type"], t["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    lang = t.get("xml:lang")
    if lang:
        return ox.Literal(value, language=lang)
    datatype = t.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


# ---------------------------------------------------------------------------- loading an endpoint


def load_endpoint(quads: Iterable[ox.Quad], store: EndpointStore, *, method: str = "update",
                  union: bool = True, replace: bool = False, batch: int = 20_000) -> int:
    """Write the named-graph ``quads`` into a remote endpoint; returns how many were sent.

    ``method="update"`` sends SPARQL 1.1 Update ``INSERT DATA`` requests of about ``batch``
    quads each (every engine that takes updates); ``method="gsp"`` POSTs N-Quads to the
    endpoint's store URL (``store_url``: Oxigraph's ``/store``, Fuseki's ``/<ds>/data``,
    GraphDB's ``/repositories/<id>/statements``). ``union`` also writes the merge of all
    graphs into the default graph, as the embedded store has it; leave it off for servers
    whose default graph already is that union (Virtuoso, GraphDB, Neptune, QLever).
    ``replace`` first empties the endpoint (``DROP ALL``; ``update`` method only).

    >>> load_endpoint([], EndpointStore("http://127.0.0.1:9/none"))
    0
    """
    quads = sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject)))
    if union:
        quads += union_default_graph(quads)
    if not quads:
        return 0
    if method == "gsp":
        if not store.store_url:
            raise EndpointError(store.url, "method 'gsp' needs the endpoint's store URL (store_url)")
        _post_nquads(store, quads, batch)
    elif method == "update":
        if replace:
            store.update("DROP ALL")
        for chunk in _by_graph_batches(quads, batch):
            store.update(_insert_data(chunk))
    else:
        raise ValueError(f"unknown load method {method!r}; expected 'update' or 'gsp'")
    return len(quads)


def _by_graph_batches(quads: list[ox.Quad], size: int) -> Iterator[list[ox.Quad]]:
    """Batches of about ``size`` quads that do not split a graph unless it alone is larger
    (blank node labels are scoped to one request)."""
    chunk: list[ox.Quad] = []
    for i, q in enumerate(quads):
        chunk.append(q)
        nxt = quads[i + 1] if i + 1 < len(quads) else None
        if len(chunk) >= size and (nxt is None or nxt.graph_name != q.graph_name or len(chunk) >= 4 * size):
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _insert_data(quads: list[ox.Quad]) -> str:
    parts = ["INSERT DATA {"]
    graph: object = None
    for q in quads:
        if q.graph_name != graph:
            if graph is not None and not isinstance(graph, ox.DefaultGraph):
                parts.append("}")
            graph = q.graph_name
            if not isinstance(graph, ox.DefaultGraph):
                parts.append(f"GRAPH {graph} {{")
        parts.append(f"{q.subject} {q.predicate} {q.object} .")
    if graph is not None and not isinstance(graph, ox.DefaultGraph):
        parts.append("}")
    parts.append("}")
    return "\n".join(parts)


def _post_nquads(store: EndpointStore, quads: list[ox.Quad], batch: int) -> None:
    import urllib.request

    for chunk in _by_graph_batches(quads, batch * 5):
        data = ox.serialize(chunk, format=ox.RdfFormat.N_QUADS)
        request = urllib.request.Request(
            store.store_url or "", data=data, method="POST",
            headers={"Content-Type": "application/n-quads", **store.headers})
        store._send(request)


# ---------------------------------------------------------------------------- choosing a store


def endpoint_settings(project: Project, endpoint: str | None = None) -> dict[str, str]:
    """The remote endpoint to use, if any: ``endpoint``, else ``KG_ENDPOINT``, else ``kg.toml``.

    ``kg.toml`` at the project root may say::

        [store]
        endpoint = "http://localhost:7878/query"    # SPARQL 1.1 Protocol query URL
        update = "http://localhost:7878/update"     # optional: SPARQL Update URL, for loading
        store = "http://localhost:7878/store"       # optional: Graph Store Protocol URL

    Returns ``{}`` for the embedded store (also for ``endpoint=""`` or ``"embedded"``).

    >>> endpoint_settings(Project(Path("/nonexistent")), "http://h/sparql")
    {'endpoint': 'http://h/sparql'}
    """
    if endpoint is None:
        endpoint = os.environ.get(ENDPOINT_ENV)
    if endpoint is not None:
        return {} if endpoint in ("", "embedded") else {"endpoint": endpoint}
    config = project.root / CONFIG_FILE
    if not config.is_file():
        return {}
    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8")).get("store", {})
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{CONFIG_FILE}: {e}") from None
    unknown = set(settings) - {"endpoint", "update", "store"}
    if unknown:
        raise UserError(f"{CONFIG_FILE}: unknown key(s) in [store]: {', '.join(sorted(unknown))}; "
                        "expected endpoint, update, store")
    if not settings.get("endpoint") or settings["endpoint"] == "embedded":
        return {}
    return {k: str(v) for k, v in settings.items()}


def open_store(project: Project, endpoint: str | None = None) -> EmbeddedStore | EndpointStore:
    """The store to query: a remote endpoint when one is set (see :func:`endpoint_settings`),
    else the current build's embedded store, building first when it is missing or stale."""
    settings = endpoint_settings(project, endpoint if endpoint is not None else project.endpoint)
    if settings:
        return EndpointStore(settings["endpoint"], update_url=settings.get("update"),
                             store_url=settings.get("store"))
    from kg.build import ensure_built

    return EmbeddedStore(ensure_built(project).store_path)


# ---------------------------------------------------------------------------- serving a build


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program from the ``oxigraph`` PyPI package (next to this Python first)."""
    import shutil
    import sys

    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise UserError("the Oxigraph server is not installed: pip install oxigraph")
    return found


class Server:
    """An Oxigraph SPARQL server over a store folder, as a context manager.

    Read-only by default (``serve-read-only``: other processes may read the same folder);
    ``writable=True`` runs ``serve``, which accepts SPARQL Update and Graph Store Protocol
    writes. It binds loopback unless told otherwise. Its endpoints: ``query_url``,
    ``update_url``, ``store_url``; its web query page is ``url``.

    >>> Server(Path("build/x/store"), port=7878).query_url
    'http://127.0.0.1:7878/query'
    """

    def __init__(self, location: Path, *, port: int = 7878, bind: str = "127.0.0.1",
                 writable: bool = False, union_default_graph: bool = False,
                 timeout_s: float | None = None):
        self.location = location
        self.timeout_s = timeout_s
        self.port = port
        self.bind = bind
        self.writable = writable
        self.union_default_graph = union_default_graph
        self.process: object = None

    @property
    def url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        return self.url + "query"

    @property
    def update_url(self) -> str:
        return self.url + "update"

    @property
    def store_url(self) -> str:
        return self.url + "store"

    def command(self) -> list[str]:
        """The command line that runs the server."""
        cmd = [oxigraph_binary(), "serve" if self.writable else "serve-read-only",
               "--location", str(self.location), "--bind", f"{self.bind}:{self.port}"]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        if self.timeout_s:
            cmd += ["--timeout-s", str(max(1, round(self.timeout_s)))]
        return cmd

    def endpoint(self) -> EndpointStore:
        """An :class:`EndpointStore` for this server."""
        return EndpointStore(self.query_url, update_url=self.update_url if self.writable else None,
                             store_url=self.store_url if self.writable else None)

    def start(self, *, wait: float = 30.0) -> Server:
        """Start the server and wait until it answers (raises :class:`UserError` if it exits)."""
        import subprocess
        import time

        self.process = proc = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL,
                                               stderr=subprocess.PIPE)
        deadline = time.monotonic() + wait
        probe = EndpointStore(self.query_url, timeout=2)
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode("utf-8", "replace").strip() if proc.stderr else ""
                raise UserError(f"the Oxigraph server stopped: {err or f'exit status {proc.returncode}'}")
            try:
                probe.query("ASK {}")
                return self
            except EndpointError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise UserError(f"the Oxigraph server did not answer on {self.url} in {wait:.0f} s") \
                        from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 5 s)."""
        import subprocess

        proc = self.process
        if isinstance(proc, subprocess.Popen) and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if isinstance(proc, subprocess.Popen) and proc.stderr:
            proc.stderr.close()
        self.process = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now.

    >>> 0 < free_port() < 65536
    True
    """
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]
