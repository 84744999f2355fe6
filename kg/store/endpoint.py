"""A remote SPARQL 1.1 endpoint (QLever, Virtuoso, GraphDB, Neptune, an Oxigraph server) that
holds the graph instead of the embedded store, read through the SPARQL 1.1 Protocol, and
:func:`load_endpoint` to put a build into it; :func:`endpoint_settings` says which one to use.

>>> EndpointStore("http://127.0.0.1:7878/query").url
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import json
import os
import tomllib
import urllib.request
from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox

from kg.errors import UserError
from kg.project import Project
from kg.sparql import with_prefixes, with_values
from kg.store.base import Result, Term, is_label, union_default_graph

ENDPOINT_ENV = "KG_ENDPOINT"  # environment variable naming a remote SPARQL endpoint
CONFIG_FILE = "kg.toml"  # project settings: [store] endpoint = "...", update = "...", store = "..."


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
                if isinstance(label, ox.Literal) and is_label(p.value, label):
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

    >>> from pathlib import Path
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


