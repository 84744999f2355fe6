"""A remote SPARQL 1.1 endpoint (QLever, Virtuoso, GraphDB, Neptune, an Oxigraph server) that
holds the graph instead of the embedded store, read through the SPARQL 1.1 Protocol, and
:func:`load_endpoint` to put a build into it; :func:`endpoint_settings` says which one to use.

>>> EndpointStore("http://127.0.0.1:7878/query").url
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import UserError
from kg.project import Project
from kg.sparql import with_prefixes, with_values
from kg.store.base import Result, Term, is_label, union_default_graph, value_of

if TYPE_CHECKING:  # HTTP and TOML are imported where used: `kg query` on the embedded store needs neither
    import ssl
    import urllib.request

ENDPOINT_ENV = "KG_ENDPOINT"  # environment variable naming a remote SPARQL endpoint
CONFIG_FILE = "kg.toml"  # project settings: [store] endpoint = "...", update = "...", store = "..."
USER_ENV, PASSWORD_ENV = "KG_ENDPOINT_USER", "KG_ENDPOINT_PASSWORD"  # credentials, if the server wants them
CREDENTIALS_ENV = "KG_ENDPOINT_CREDENTIALS"  # or a file holding "user:password", readable by its owner only
SETTINGS = ("endpoint", "update", "store", "credentials")


class EndpointError(UserError):
    """The endpoint could not be reached, or refused a request (its message says why)."""

    def __init__(self, url: str, message: str, *, status: int | None = None):
        super().__init__(f"SPARQL endpoint {url}: {message}")
        self.status = status  # the HTTP status the server answered, if it answered


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
                 timeout: float = 300.0, headers: Mapping[str, str] | None = None,
                 default_graph: str | None = None, credentials: tuple[str, str] | None = None):
        url, from_url = split_default_graph(url)
        self.url = url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self.headers = dict(headers or {})
        self.default_graph = default_graph or from_url
        self.credentials = credentials
        self._opener: urllib.request.OpenerDirector | None = None  # one for all requests: digest auth state
        self._passwords: urllib.request.HTTPPasswordMgrWithDefaultRealm | None = None
        if credentials and not _safe_for_credentials(url, update_url, store_url):
            raise EndpointError(url, "credentials go only over HTTPS (or plain HTTP to this machine, "
                                     "127.0.0.1 or localhost)")

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> Result:
        """Send a query with the project's prefixes declared and ``bindings`` as ``VALUES``."""
        text = with_prefixes(sparql)
        if bindings:
            text = with_values(text, bindings)
        form = {"query": text}
        if self.default_graph:  # the SPARQL 1.1 Protocol's dataset: this graph is the default graph
            form["default-graph-uri"] = self.default_graph
        body, ctype = self._post(self.url, form,
                                 accept="application/sparql-results+json, application/n-triples;q=0.9, "
                                        "text/turtle;q=0.5")
        if "html" in ctype:  # a web page: a login page, a proxy's, or not the query URL
            raise EndpointError(self.url, f"it answered a web page ({ctype.split(';')[0]}), not SPARQL results: "
                                          "is this the server's SPARQL query URL?")
        try:
            if "json" in ctype:
                return parse_json_results(body)
            fmt = ox.RdfFormat.TURTLE if "turtle" in ctype else ox.RdfFormat.N_TRIPLES
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
            return Result("graph", triples=triples)
        except (ValueError, LookupError, TypeError, AttributeError, SyntaxError) as e:  # json, pyoxigraph
            raise EndpointError(self.url, f"its answer is not SPARQL results ({type(e).__name__}: "
                                          f"{_short(str(e), 120)})") from None

    def count(self, sparql: str) -> int:
        """The integer in the first column of the first row of ``sparql``'s answer (0 when none).

        A server's answer that is not a whole number is an :class:`EndpointError`, not a crash.
        """
        rows = self.query(sparql).rows
        value = rows[0][0] if rows and rows[0] else None
        return 0 if value is None else as_count(self.url, value)

    def quads(self) -> list[ox.Quad]:
        """Every quad in a named graph (the default graph is derived from them)."""
        result = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        # An endpoint binds all four, with terms fit for their places; the checks say so to mypy.
        return [ox.Quad(s, p, o, g) for s, p, o, g in result.rows
                if isinstance(s, ox.NamedNode | ox.BlankNode) and isinstance(p, ox.NamedNode) and o is not None
                and isinstance(g, ox.NamedNode | ox.BlankNode)]

    def labels(self, iris: Iterable[str]) -> dict[str, list[ox.Literal]]:
        """The preferred labels (and pinyin) of these IRIs, asked in batches of 500."""
        out: dict[str, list[ox.Literal]] = {}
        todo = list(dict.fromkeys(iris))
        for start in range(0, len(todo), 500):
            values = " ".join(str(ox.NamedNode(iri)) for iri in todo[start:start + 500])
            result = self.query(f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} "
                                "VALUES ?p { skos:prefLabel skos:altLabel } ?x ?p ?l }")
            for x, p, label in result.rows:
                if isinstance(label, ox.Literal) and is_label(value_of(p), label):
                    out.setdefault(value_of(x), []).append(label)
        return out

    def update(self, sparql: str) -> None:
        """Send a SPARQL 1.1 Update to ``update_url`` (the query URL when none is set), as the
        request's body (``application/sparql-update``): a push's updates are long, and encoding
        them as a form took longer than building them."""
        import urllib.request

        headers = {"Content-Type": "application/sparql-update", "Accept": "*/*", **self.headers}
        self._send(urllib.request.Request(self.update_url or self.url, data=sparql.encode("utf-8"),
                                          headers=headers, method="POST"))

    def post_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add ``quads`` (named graphs and the default graph at once) to the server: one Graph
        Store HTTP Protocol POST of N-Quads to ``store_url`` (Oxigraph's ``/store`` takes a dataset)."""
        self.post_nquads(ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS) or b"")

    def post_nquads(self, body: bytes) -> None:
        """POST an N-Quads document to ``store_url`` (see :meth:`post_quads`)."""
        self._send_store("", body, "application/n-quads", "POST")

    def put_graph(self, graph: str, ntriples: bytes, *, replace: bool = True) -> None:
        """Replace (``PUT``) or add to (``POST``) one graph by the Graph Store HTTP Protocol: ``graph``
        is its IRI, ``""`` the default graph; ``ntriples`` an N-Triples document, sent as Turtle,
        which every Graph Store takes (Virtuoso 7.2 takes no N-Triples or N-Quads media type there)."""
        import urllib.parse

        where = "default" if graph == "" else "graph=" + urllib.parse.quote(graph, safe="")
        self._send_store(where, ntriples, "text/turtle; charset=utf-8", "PUT" if replace else "POST")

    def _send_store(self, query: str, body: bytes, ctype: str, method: str) -> None:
        import urllib.request

        if not self.store_url:
            raise EndpointError(self.url, "no Graph Store URL (--store, or kg.toml [store] store)")
        url = self.store_url + (("&" if "?" in self.store_url else "?") + query if query else "")
        self._send(urllib.request.Request(url, data=body, method=method,
                                          headers={"Content-Type": ctype, **self.headers}))

    def default_graph_problem(self) -> str | None:
        """What is wrong with the endpoint's default graph for ``kg``, in one line, or None.

        ``kg`` queries read the default graph as the merge of all named graphs, each triple
        once. One cheap probe: a triple of one fact graph must be in the default graph exactly
        once (never: the merge is missing; twice: the server unions its graphs and a copy was
        loaded too, or it counts a triple once per graph that holds it).
        """
        import json

        from kg.model.vocab import BASE

        rows = self.query("SELECT ?s ?p ?o (COUNT(?seen) AS ?n) WHERE { { SELECT ?s ?p ?o WHERE { "
                          f"GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), {json.dumps(BASE + 'fact/')})) }} "
                          "LIMIT 1 } OPTIONAL { ?s ?p ?o BIND (1 AS ?seen) } } GROUP BY ?s ?p ?o").rows
        if rows and len(rows[0]) != 4:
            raise EndpointError(self.url, f"its answer to a query of 4 columns has {len(rows[0])}")
        if not rows or rows[0][3] is None:
            return "it holds no fact graphs of kg (push a build there: kg push)"
        n = as_count(self.url, rows[0][3])
        if n == 0:
            return ("its default graph lacks the named graphs' triples: questions without GRAPH find nothing "
                    "(docs/endpoints.md says how to set up each engine)")
        if n > 1:
            return (f"its default graph holds a triple of one fact graph {n} times: answers will repeat rows "
                    "(docs/endpoints.md says how to set up each engine)")
        return None

    def _post(self, url: str, form: Mapping[str, str], *, accept: str) -> tuple[bytes, str]:
        import urllib.parse  # only remote stores need HTTP: keep it off the embedded path
        import urllib.request

        data = urllib.parse.urlencode(form).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, **self.headers}
        return self._send(urllib.request.Request(url, data=data, headers=headers, method="POST"))

    def _send(self, request: urllib.request.Request) -> tuple[bytes, str]:
        import http.client
        import ssl
        import urllib.error
        import urllib.parse
        import urllib.request

        if self._opener is None:
            handlers: list[urllib.request.BaseHandler] = [urllib.request.HTTPSHandler(context=_tls_context())]
            if self.credentials:
                self._passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                handlers += [urllib.request.HTTPBasicAuthHandler(self._passwords), _digest_handler(self._passwords)]
            self._opener = urllib.request.build_opener(*handlers)
        if self._passwords is not None:
            parts = urllib.parse.urlsplit(request.full_url)
            root = f"{parts.scheme}://{parts.netloc}/"
            if self._passwords.find_user_password(None, root) == (None, None) and self.credentials:
                self._passwords.add_password(None, root, *self.credentials)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except http.client.HTTPException as e:  # an answer cut short or not HTTP (not an OSError)
            raise EndpointError(request.full_url, f"its answer broke off ({type(e).__name__}"
                                                  f"{': ' + _short(str(e), 80) if str(e) else ''})") from None
        except urllib.error.HTTPError as e:
            if e.code in (401, 403):
                why = "refused the credentials" if self.credentials else "needs credentials (see docs/endpoints.md)"
                raise EndpointError(request.full_url, f"{why} (HTTP {e.code})", status=e.code) from None
            try:
                detail = " ".join(e.read().decode("utf-8", "replace").split())
            except (http.client.HTTPException, OSError):
                detail = ""
            detail = _short(detail.split(" SPARQL query:")[0], 300)  # Virtuoso repeats the whole request
            raise EndpointError(request.full_url, f"HTTP {e.code}: {detail or e.reason}", status=e.code) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, TimeoutError) or isinstance(e, TimeoutError):
                raise EndpointError(request.full_url, f"no answer within {self.timeout:g} s (timed out)") from None
            if isinstance(reason, ssl.SSLCertVerificationError):
                why = f"its HTTPS certificate is not trusted ({reason.verify_message})"
                raise EndpointError(request.full_url, why) from None
            raise EndpointError(request.full_url, f"cannot connect ({reason})") from None


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The TLS context of every store: certificates verified against the system's. Made once a
    process, as loading those certificates costs some 50 ms of CPU (a push or a test run makes
    many stores).

    >>> _tls_context() is _tls_context() and _tls_context().verify_mode.name
    'CERT_REQUIRED'
    """
    import ssl

    return ssl.create_default_context()


def as_count(url: str, term: Term | None) -> int:
    """A count the server answered, as an int; anything else is an :class:`EndpointError`.

    >>> as_count("http://h/q", ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    3
    """
    try:
        return int(value_of(term)) if term is not None else 0
    except ValueError:
        raise EndpointError(url, f"it answered a count that is not a number: {_short(value_of(term), 40)}") from None


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _digest_handler(passwords: urllib.request.HTTPPasswordMgr) -> urllib.request.BaseHandler:
    """urllib's HTTP Digest handler that, once challenged, authenticates every later request
    up front. urllib's own sends each request bare first and only answers the server's 401: a
    big request body then races the server closing the connection (Virtuoso: broken pipe)."""
    import urllib.request

    class Digest(urllib.request.HTTPDigestAuthHandler):
        challenge: dict | None = None

        def retry_http_digest_auth(self, req, auth):  # type: ignore[no-untyped-def]
            from urllib.request import parse_http_list, parse_keqv_list

            self.challenge = parse_keqv_list([x for x in parse_http_list(auth.split(" ", 1)[1]) if x])
            return super().retry_http_digest_auth(req, auth)

        def http_request(self, req):  # type: ignore[no-untyped-def]
            if self.challenge and not req.has_header("Authorization"):
                authorization = self.get_authorization(req, self.challenge)
                if authorization:
                    req.add_unredirected_header("Authorization", f"Digest {authorization}")
            return req

        https_request = http_request

    return Digest(passwords)


def split_default_graph(url: str) -> tuple[str, str | None]:
    """An endpoint URL without its ``default-graph-uri`` parameter, and that parameter's value.

    The SPARQL 1.1 Protocol names the default graph of a query by this parameter; written in the
    endpoint's URL it applies to every query (Virtuoso: the graph ``kg push`` fills with the merge
    of all graphs, see docs/endpoints.md).

    >>> split_default_graph("http://h:8890/sparql?default-graph-uri=urn%3Aunion")
    ('http://h:8890/sparql', 'urn:union')
    >>> split_default_graph("http://h:7878/query")
    ('http://h:7878/query', None)
    """
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    graphs = [v for k, v in pairs if k == "default-graph-uri"]
    if not graphs:
        return url, None
    rest = urllib.parse.urlencode([(k, v) for k, v in pairs if k != "default-graph-uri"])
    return urllib.parse.urlunsplit(parts._replace(query=rest)), graphs[-1]


def _safe_for_credentials(*urls: str | None) -> bool:
    """Credentials only over HTTPS, or plain HTTP to this machine (nothing on the wire)."""
    import urllib.parse

    for url in filter(None, urls):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "::1", "localhost"):
            return False
    return True


def parse_json_results(body: bytes) -> Result:
    """SPARQL 1.1 Query Results JSON -> :class:`Result` (also Virtuoso's ``typed-literal``).

    >>> r = parse_json_results(b'{"head": {"vars": ["n"]}, "results": {"bindings": '
    ...     b'[{"n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}')
    >>> r.columns, r.rows[0][0].value
    (['n'], '1')
    """
    import json

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
    return "\n".join(["INSERT DATA {", *quad_lines(quads), "}"])


def quad_lines(quads: Iterable[ox.Quad]) -> list[str]:
    """Quads as the body of an ``INSERT DATA``: triples, each run of one named graph in its
    ``GRAPH <g> { ... }`` block (quads of the default graph bare).

    >>> g, s = ox.NamedNode("urn:g"), ox.NamedNode("urn:s")
    >>> quad_lines([ox.Quad(s, s, s, g), ox.Quad(s, s, s)])
    ['GRAPH <urn:g> {', '<urn:s> <urn:s> <urn:s> .', '}', '<urn:s> <urn:s> <urn:s> .']
    """
    parts: list[str] = []
    graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None
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
    return parts


def _post_nquads(store: EndpointStore, quads: list[ox.Quad], batch: int) -> None:
    for chunk in _by_graph_batches(quads, batch * 5):
        store.post_quads(chunk)


# ---------------------------------------------------------------------------- choosing a store


def endpoint_settings(project: Project, endpoint: str | None = None) -> dict[str, str]:
    """The remote endpoint to use, if any: ``endpoint``, else ``KG_ENDPOINT``, else ``kg.toml``.

    ``kg.toml`` at the project root may say::

        [store]
        endpoint = "http://localhost:7878/query"    # SPARQL 1.1 Protocol query URL
        update = "http://localhost:7878/update"     # optional: SPARQL Update URL, for loading
        store = "http://localhost:7878/store"       # optional: Graph Store Protocol URL
        credentials = "~/.config/kg/credentials"    # optional: a file "user:password", mode 0600

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
    import tomllib

    try:
        settings = tomllib.loads(config.read_text(encoding="utf-8")).get("store", {})
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"{CONFIG_FILE}: {e}") from None
    unknown = set(settings) - set(SETTINGS)
    if unknown:
        raise UserError(f"{CONFIG_FILE}: unknown key(s) in [store]: {', '.join(sorted(unknown))}; "
                        f"expected {', '.join(SETTINGS)}")
    if not settings.get("endpoint") or settings["endpoint"] == "embedded":
        return {}
    return {k: str(v) for k, v in settings.items()}




def endpoint_store(settings: Mapping[str, str], *, timeout: float = 300.0) -> EndpointStore:
    """The :class:`EndpointStore` that ``settings`` (see :func:`endpoint_settings`) describe, with
    the credentials :func:`endpoint_credentials` finds.

    >>> endpoint_store({"endpoint": "http://127.0.0.1:8890/sparql?default-graph-uri=urn%3Au"}).default_graph
    'urn:u'
    """
    return EndpointStore(settings["endpoint"], update_url=settings.get("update"), store_url=settings.get("store"),
                         credentials=endpoint_credentials(settings), timeout=timeout)


def endpoint_credentials(settings: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The user and password for the endpoint: ``KG_ENDPOINT_USER`` and ``KG_ENDPOINT_PASSWORD``,
    else the file named by ``KG_ENDPOINT_CREDENTIALS`` or kg.toml's ``credentials``, which holds
    ``user:password`` on its first line and must be readable by its owner only (mode 0600).
    Never from the command line, where other users see it (``ps``) and the shell keeps it.

    >>> endpoint_credentials({"credentials": "/nonexistent/kg-credentials"})
    Traceback (most recent call last):
    kg.errors.UserError: kg: /nonexistent/kg-credentials: cannot read the credentials file (No such file or directory)
    """
    from pathlib import Path

    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user and password is not None:
        return user, password
    if user or password is not None:
        raise UserError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
    name = os.environ.get(CREDENTIALS_ENV) or (settings or {}).get("credentials")
    if not name:
        return None
    path = Path(name).expanduser()
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UserError(f"{path}: cannot read the credentials file ({e.strerror})") from None
    if info.st_mode & 0o077 or info.st_uid != os.getuid():
        raise UserError(f"{path}: the credentials file must be yours and readable by you alone "
                        f"(mode {info.st_mode & 0o777:o}; run: chmod 600 {path})")
    user, colon, password = text.splitlines()[0].partition(":") if text.strip() else ("", "", "")
    if not colon or not user:
        raise UserError(f"{path}: write the credentials as user:password on the first line")
    return user, password
