"""Serving a build over HTTP, safe to expose read-only: a checking front before the Oxigraph server.

``kg serve`` runs two pieces. The **engine** (:class:`Server`) is the Oxigraph SPARQL server,
bound to a private loopback port. The **front** (:class:`Front`, built on Tornado) is what
clients reach. It speaks the SPARQL 1.1 Protocol and, before the engine sees a query, checks it
with the same checks as ``kg query`` (read-only, SERVICE refused unless allowed, size and
nesting limits). It stops waiting after a time limit, refuses answers of more than a cap of
rows, and restarts the engine (and logs why) if the engine dies or is still busy with a query a
few seconds past the time limit (Oxigraph's own limit does not stop every query).

>>> Server(Path("build/x/store"), port=7878).query_url
'http://127.0.0.1:7878/query'
>>> Front(Path("build/x/store"), port=7878).query_url
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import asyncio
import collections
import csv
import functools
import io
import json
import logging
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from tornado import httputil, web
from tornado.http1connection import HTTP1Connection
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest, HTTPResponse
from tornado.httpserver import HTTPServer
from tornado.simple_httpclient import HTTPTimeoutError

from kg.errors import UserError
from kg.sparql import MAX_QUERY_CHARS, check_query
from kg.store.endpoint import EndpointError, EndpointStore

log = logging.getLogger("kg.serve")


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program from the ``oxigraph`` PyPI package (next to this Python first)."""
    import shutil
    import sys

    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise UserError("the Oxigraph server is not installed: pip install oxigraph")
    return found


def _url(bind: str, port: int) -> str:
    host = f"[{bind}]" if ":" in bind else bind
    return f"http://{host}:{port}/"



def terminate(proc: subprocess.Popen, *, grace: float) -> None:
    """Stop a child process: terminate it, then kill it if it is still there after ``grace`` seconds.

    >>> import subprocess, sys
    >>> child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    >>> terminate(child, grace=5); child.returncode is not None
    True
    """
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

class Server:
    """An Oxigraph SPARQL server over a store folder, as a context manager.

    Read-only by default (``serve-read-only``: other processes may read the same folder);
    ``writable=True`` runs ``serve``, which accepts SPARQL Update and Graph Store Protocol
    writes: into the folder, or with ``location=None`` into memory, gone when the server stops (a
    scratch server: filling it costs a quarter of the CPU, no disk). It binds loopback unless
    told otherwise. Its endpoints: ``query_url``, ``update_url``, ``store_url``; its web query
    page is ``url``. What it writes on stderr is kept (the last lines, in ``stderr_tail``) and
    handed to ``on_stderr`` line by line.

    This is the engine alone: it runs SERVICE and has no nesting limit, so expose it only
    through :class:`Front`.

    >>> Server(Path("build/x/store"), port=7878).query_url
    'http://127.0.0.1:7878/query'
    >>> Server(None, port=7878, writable=True).command()[1:]
    ['serve', '--bind', '127.0.0.1:7878']
    """

    def __init__(self, location: Path | None, *, port: int = 7878, bind: str = "127.0.0.1",
                 writable: bool = False, union_default_graph: bool = False,
                 timeout_s: float | None = None, on_stderr: Callable[[str], None] | None = None):
        if location is None and not writable:
            raise ValueError("a read-only server needs a store folder (location)")
        self.location = location
        self.timeout_s = timeout_s
        self.port = port
        self.bind = bind
        self.writable = writable
        self.union_default_graph = union_default_graph
        self.on_stderr = on_stderr
        self.stderr_tail: collections.deque[str] = collections.deque(maxlen=20)
        self.process: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return _url(self.bind, self.port)

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
        cmd = [oxigraph_binary(), "serve" if self.writable else "serve-read-only"]
        if self.location is not None:
            cmd += ["--location", str(self.location)]
        cmd += ["--bind", f"{self.bind}:{self.port}"]
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
        self.stderr_tail.clear()
        self.process = proc = subprocess.Popen(self.command(), stdout=subprocess.DEVNULL,
                                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        # Drain stderr all along: a pipe nobody reads fills up and blocks the engine.
        self._reader = threading.Thread(target=self._read_stderr, args=(proc,), name="kg-engine-stderr",
                                        daemon=True)
        self._reader.start()
        deadline = time.monotonic() + wait
        probe = EndpointStore(self.query_url, timeout=2)
        while True:
            if proc.poll() is not None:
                self._reader.join(timeout=2)
                err = " ".join(self.stderr_tail).strip()
                raise UserError(f"the Oxigraph server stopped: {err or exit_status(proc.returncode)}")
            try:
                probe.query("ASK {}")
                return self
            except EndpointError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise UserError(f"the Oxigraph server did not answer on {self.url} in {wait:.0f} s") \
                        from None
                time.sleep(0.05)

    def _read_stderr(self, proc: subprocess.Popen) -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self.stderr_tail.append(line)
                if self.on_stderr is not None:
                    self.on_stderr(line)

    @property
    def pid(self) -> int | None:
        """The engine's process id while it runs."""
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 5 s)."""
        proc = self.process
        if proc is not None:
            terminate(proc, grace=5)
        if self._reader is not None:
            self._reader.join(timeout=2)
        if proc is not None and proc.stderr:
            proc.stderr.close()
        self.process = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def exit_status(code: int | None) -> str:
    """How a process ended, in words.

    >>> exit_status(-11)
    'killed by signal 11 (SIGSEGV)'
    >>> exit_status(0)
    'exit status 0'
    """
    if code is not None and code < 0:
        try:
            name = f" ({signal.Signals(-code).name})"
        except ValueError:
            name = ""
        return f"killed by signal {-code}{name}"
    return f"exit status {code}"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now.

    >>> 0 < free_port() < 65536
    True
    """
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# --- the front --------------------------------------------------------------------------------------

MAX_REQUEST_BYTES = 1 << 20  # a query (URL or body) longer than this is refused with 413
MAX_ANSWER_BYTES = 64 << 20  # an answer longer than this is refused with 413, whatever its rows
MAX_WRITE_BYTES = 1 << 30  # with --writable: one update or Graph Store request
# Queries the engine works on at once; others wait in the front (their time limit runs). More
# would not answer sooner on few cores, and the engine's memory grows with them (bench_serve.py).
ENGINE_CONNECTIONS = max(4, 2 * (os.cpu_count() or 1))
# A query the engine is still working on this long past the time limit is a runaway: the front
# restarts the engine. Oxigraph's own limit (--timeout-s, a second after ours) stops most queries,
# but not all: on the ~18k-quad graph a COUNT over a three-way cross join runs on for minutes, also
# when its client has gone. The rest of the grace is for a loaded machine; a restart fails every
# query in flight at that moment, so it must stay the last resort.
RUNAWAY_GRACE_S = 3.0
STATIC = ("/", "/yasgui.min.js", "/yasgui.min.css", "/logo.svg")  # the engine's web query page


def _json_rows(body: bytes) -> int:
    results = json.loads(body).get("results") or {}
    return len(results.get("bindings") or ())


def _csv_rows(body: bytes) -> int:
    return max(sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8", "replace")))) - 1, 0)


# How many rows (solutions, or triples) an answer holds, by media type. Answers in other formats
# (Turtle, RDF/XML, JSON-LD, ...) are limited by MAX_ANSWER_BYTES alone.
ROW_COUNTERS: dict[str, Callable[[bytes], int]] = {
    "application/sparql-results+json": _json_rows,
    "application/json": _json_rows,
    "application/sparql-results+xml": lambda b: b.count(b"<result>"),
    "text/tab-separated-values": lambda b: max(b.count(b"\n") - 1, 0),
    "text/csv": _csv_rows,
    "application/n-triples": lambda b: b.count(b"\n"),
    "application/n-quads": lambda b: b.count(b"\n"),
}


def count_rows(content_type: str, body: bytes) -> int | None:
    """The rows of an answer in a format whose rows can be counted, else None.

    >>> count_rows("text/tab-separated-values; charset=utf-8", b"?x\\n<urn:a>\\n<urn:b>\\n")
    2
    >>> count_rows("text/turtle", b"<urn:a> <urn:b> <urn:c> .") is None
    True
    """
    counter = ROW_COUNTERS.get(content_type.partition(";")[0].strip().lower())
    return None if counter is None else counter(body)


# Rows as an answer streams in, by media type: a pattern that marks a row (or a line), the lines
# before the first row, and whether quoted fields may hold line breaks (CSV). Each gives at most the
# rows the answer holds, so that refusing an answer early, before it is all read, is never wrong.
# In SPARQL JSON a row is an object that opens after another one closes, ``},{"var"``, which a
# string cannot contain unescaped; the first row opens the bindings. (A row with no variable bound,
# ``{}``, is left to the exact count at the end.)
_STREAMED_ROWS: dict[str, tuple[re.Pattern[bytes], int, bool]] = {
    "application/sparql-results+json": (re.compile(rb'"bindings"\s*:\s*\[\s*\{|\}\s*,\s*\{\s*"[^\s"\\,}\]]'), 0, False),
    "application/sparql-results+xml": (re.compile(rb"<result>"), 0, False),
    "text/tab-separated-values": (re.compile(rb"\n"), 1, False),
    "text/csv": (re.compile(rb"\n"), 1, True),
    "application/n-triples": (re.compile(rb"\n"), 0, False),
    "application/n-quads": (re.compile(rb"\n"), 0, False),
}
_STREAMED_ROWS["application/json"] = _STREAMED_ROWS["application/sparql-results+json"]


class RowCounter:
    """The rows of an answer seen so far, fed piece by piece as it streams in; never more than the
    answer holds (it may be fewer: the exact count is :func:`count_rows`, once the answer is whole).

    >>> rows = RowCounter.for_type("text/csv; charset=utf-8")
    >>> rows.feed(b'x\\r\\n"a\\nb"\\r\\n"c"'), rows.feed(b'\\r\\n')
    (1, 2)
    >>> json = RowCounter.for_type("application/sparql-results+json")
    >>> json.feed(b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"},{"}},{"x')
    2
    >>> RowCounter.for_type("text/turtle") is None
    True
    """

    TAIL = 64  # bytes kept from one piece to the next, so that a mark cut in two is still seen

    def __init__(self, mark: re.Pattern[bytes], header: int, quoted: bool):
        self.mark, self.header, self.quoted = mark, header, quoted
        self.marks = 0
        self._tail = b""
        self._in_quotes = False

    @classmethod
    def for_type(cls, content_type: str) -> RowCounter | None:
        """A counter for answers of this media type, or None when its rows are not counted."""
        known = _STREAMED_ROWS.get(content_type.partition(";")[0].strip().lower())
        return None if known is None else cls(*known)

    def feed(self, chunk: bytes) -> int:
        """Count the rows in the next piece; return the rows seen so far."""
        if self.quoted:  # a line break ends a row only outside quotes ("" inside is two toggles)
            for part in chunk.split(b'"'):
                if not self._in_quotes:
                    self.marks += part.count(b"\n")
                self._in_quotes = not self._in_quotes
            self._in_quotes = not self._in_quotes  # n parts have n - 1 quotes between them
        else:
            text = self._tail + chunk
            self.marks += sum(1 for m in self.mark.finditer(text) if m.end() > len(self._tail))
            self._tail = text[-self.TAIL:]
        return max(self.marks - self.header, 0)


class Refused(Exception):
    """A request the front answers itself, with an HTTP status and one line of text."""

    def __init__(self, status: int, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def _over_rows(max_rows: int) -> Refused:
    return Refused(413, f"the answer has more than {max_rows} rows (the server's limit); "
                        "add a LIMIT or narrow the query")


def _over_bytes() -> Refused:
    return Refused(413, f"the answer is longer than {MAX_ANSWER_BYTES >> 20} MB (the server's limit); "
                        "add a LIMIT or ask for less")


class _Cut(httputil.HTTPInputError):
    """Raised in Tornado's callbacks to drop the engine's answer: Tornado lets this kind of exception
    pass without a logged traceback, closes the connection (a streaming engine stops writing) and
    ends the fetch with an error."""


@dataclass(eq=False)
class _Flight:
    """A request sent to the engine and not answered yet: to which engine, when (the event loop's
    clock), and whether a client still waits for it."""

    engine: Server
    sent: float
    abandoned: bool = False


def checked(query: str, *, allow_service: bool) -> None:
    """Refuse a query the engine must not see, with :func:`kg.sparql.check_query` (the checks of
    ``kg query``), as :class:`Refused`: 413 when too long, 403 for what is refused on purpose
    (updates, SERVICE, nesting or terms past the limits), 400 for what cannot be read.

    >>> def status(q):
    ...     try:
    ...         checked(q, allow_service=False)
    ...     except Refused as r:
    ...         return r.status
    >>> status("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    403
    >>> status("SELECT * WHERE " + "{" * 5000 + "}" * 5000)
    403
    >>> status("ASK {} #" + "x" * 100_000)
    413
    >>> status("SELECT * WHERE { ?s ?p ?o }") is None
    True
    """
    try:
        check_query(query, allow_service=allow_service)
    except UserError as e:
        message = "; ".join(p.message for p in e.problems)
        status = 413 if len(query) > MAX_QUERY_CHARS else 403 if message.startswith("refused") else 400
        raise Refused(status, message) from None


class Front:
    """The SPARQL 1.1 Protocol front of ``kg serve``: checks queries, then asks the engine.

    Binds ``bind:port`` (loopback by default) when :meth:`listen` is called (a port in use is a
    :class:`UserError`), runs the engine on a private loopback port, and serves until stopped:

    - ``/query`` and ``/sparql``: GET ``?query=``, POST form, POST ``application/sparql-query``;
      the Accept header is passed to the engine. A refused query is 400, 403 or 413; an answer
      over ``max_rows`` rows (counted as it streams in) or MAX_ANSWER_BYTES is 413; past
      ``timeout_s`` the client gets 504. A query the engine is still working on ``grace_s``
      (RUNAWAY_GRACE_S) after that gets the engine restarted. Requests that come while the engine
      restarts wait for it (their time limit runs); those it was answering get 503 (Retry-After).
    - ``/update`` (and ``update=`` on ``/sparql``), Graph Store writes on ``/store``: 403 unless
      ``writable``; ``/store`` GET reads; ``/`` the engine's web query page.

    >>> f = Front(Path("build/x/store"), port=7878, timeout_s=5)
    >>> f.url, f.timeout_s, f.grace_s
    ('http://127.0.0.1:7878/', 5, 3.0)
    """

    def __init__(self, location: Path, *, port: int = 7878, bind: str = "127.0.0.1", writable: bool = False,
                 allow_service: bool = False, timeout_s: float = 30.0, max_rows: int = 100_000,
                 union_default_graph: bool = False, grace_s: float = RUNAWAY_GRACE_S):
        self.location = location
        self.port = port
        self.bind = bind
        self.writable = writable
        self.allow_service = allow_service
        self.timeout_s = timeout_s
        self.grace_s = grace_s  # RUNAWAY_GRACE_S; tests wait less for a runaway to be stopped
        self.max_rows = max_rows
        self.union_default_graph = union_default_graph
        self.engine: Server | None = None
        self.restarts = 0
        self._flights: set[_Flight] = set()  # requests the engine is working on
        self._slots: asyncio.Semaphore | None = None  # ENGINE_CONNECTIONS, made in _main()
        self._sockets: list = []
        self._ready: asyncio.Event | None = None  # made in serve(), on its loop
        self._done: asyncio.Event | None = None
        self._stopping = False
        self._failure: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def url(self) -> str:
        return _url(self.bind, self.port)

    @property
    def query_url(self) -> str:
        return self.url + "query"

    def listen(self) -> None:
        """Bind the public socket now, so that a port in use is an error before anything starts."""
        import errno

        from tornado.netutil import bind_sockets

        try:
            self._sockets = bind_sockets(self.port, self.bind)
        except OSError as e:
            reasons = {errno.EADDRINUSE: "the port is in use; choose another with --port",
                       errno.EACCES: "permission denied (ports below 1024 need privileges)",
                       errno.EADDRNOTAVAIL: "this machine has no such address"}
            why = reasons.get(e.errno or 0) or e.strerror
            raise UserError(f"cannot listen on {self.bind}:{self.port}: {why}") from None
        except Exception as e:  # socket.gaierror: not an address
            raise UserError(f"cannot listen on {self.bind}:{self.port}: {e}") from None
        if self.port == 0:
            self.port = self._sockets[0].getsockname()[1]

    def _new_engine(self) -> Server:
        # The engine's own limit comes a second after ours: the client hears 504 from us first,
        # and the engine still stops the work.
        return Server(self.location, port=free_port(), writable=self.writable,
                      union_default_graph=self.union_default_graph, timeout_s=self.timeout_s + 1,
                      on_stderr=lambda line: log.info("engine: %s", line))

    def _start_engine(self) -> None:
        """Start a new engine as ``self.engine`` (set at once, so that whoever stops the front stops it,
        even when it was started on another thread while the front was told to stop)."""
        last: UserError | None = None
        for _ in range(3):  # the private port may be taken between choosing and binding it
            self.engine = self._new_engine()
            try:
                self.engine.start()
                log.info("engine: oxigraph pid %d on %s", self.engine.pid, self.engine.url)
                return
            except UserError as e:
                last = e
        assert last is not None
        raise last

    def serve(self, *, on_ready: Callable[[], None] | None = None) -> None:
        """Start the engine and serve until SIGINT/SIGTERM (or :meth:`stop`); restart the engine if it
        dies. ``on_ready`` is called once clients can be answered. Raises :class:`UserError` if the
        engine cannot be started, or started again."""
        if not self._sockets:
            self.listen()
        try:
            self._start_engine()
            asyncio.run(self._main(on_ready))
        finally:
            if self.engine is not None:
                self.engine.stop()
            for s in self._sockets:
                s.close()
        if self._failure:
            raise UserError(self._failure)

    def stop(self) -> None:
        """Stop serving (from any thread)."""
        self._stopping = True
        if self._loop is not None and self._done is not None:
            self._loop.call_soon_threadsafe(self._done.set)

    async def _main(self, on_ready: Callable[[], None] | None) -> None:
        self._done = asyncio.Event()
        self._ready = asyncio.Event()
        self._ready.set()
        self._slots = asyncio.Semaphore(ENGINE_CONNECTIONS)
        self._loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                self._loop.add_signal_handler(sig, self.stop)
            except (ValueError, RuntimeError):  # not the main thread: stop() is called instead
                break
        if self._stopping:
            self._done.set()
        self.client = AsyncHTTPClient(force_instance=True, max_clients=ENGINE_CONNECTIONS,
                                      max_body_size=MAX_ANSWER_BYTES + (4 << 20))
        server = HTTPServer(self._application(), max_header_size=MAX_REQUEST_BYTES + 16384,
                            idle_connection_timeout=60, body_timeout=60)
        server.add_sockets(self._sockets)
        watcher = asyncio.create_task(self._watch())
        if on_ready is not None:
            on_ready()
        try:
            await self._done.wait()
        finally:
            watcher.cancel()
            server.stop()
            self.client.close()

    async def _watch(self) -> None:
        """Restart the engine when it dies or is still busy with a query past the time limit and its
        grace (:meth:`trouble`); give up (and stop) when it cannot be started again."""
        ready = self._ready
        assert ready is not None  # _main() makes it before it starts watching
        loop = asyncio.get_running_loop()
        while not self._stopping:
            await asyncio.sleep(0.1)
            engine = self.engine
            why = None if engine is None else self.trouble(engine, now=loop.time())
            if engine is None or engine.process is None or why is None:
                continue
            log.error("engine: oxigraph pid %d %s; restarting it", engine.process.pid, why)
            ready.clear()  # from now on requests wait for the new engine
            try:
                await loop.run_in_executor(None, self._restart_engine, engine)
            except UserError as e:
                self._failure = f"the SPARQL engine {why} and could not be restarted: {e.message}"
                log.error("%s", self._failure)
                self.stop()
                return
            self.restarts += 1
            ready.set()

    def trouble(self, engine: Server, *, now: float) -> str | None:
        """Why ``engine`` must be restarted, in words, or None: it stopped, or it is still working on a
        query sent more than the time limit and ``grace_s`` ago (``now`` on the event loop's clock).

        >>> Front(Path("build/x/store")).trouble(Server(Path("build/x/store")), now=0.0) is None
        True
        """
        if engine.process is None:
            return None
        if engine.process.poll() is not None:
            return f"stopped ({exit_status(engine.process.returncode)})"
        oldest = min((f.sent for f in self._flights if f.engine is engine), default=now)
        if now - oldest > self.timeout_s + self.grace_s:
            return (f"is still busy with a query sent {now - oldest:.0f} s ago (the limit is {self.timeout_s:g} s, "
                    f"the grace {self.grace_s:g} s)")
        return None

    def _restart_engine(self, engine: Server) -> None:
        engine.stop()
        self._start_engine()

    def _application(self) -> web.Application:
        routes = [(r"/(query|sparql)", _QueryHandler), (r"/(update)", _UpdateHandler),
                  (r"/(store)", _StoreHandler)]
        routes += [(path, _PageHandler) for path in STATIC]
        return web.Application(routes, front=self, log_function=_log_request, default_handler_class=_NotFound)

    async def forward(self, url: str, *, method: str = "GET", body: bytes | None = None,
                      headers: dict[str, str] | None = None, capped: bool = False, write: bool = False) -> Answer:
        """Send one request to the engine and return its answer; raise :class:`Refused` when the answer
        cannot be had within the time limit, which runs from now (waiting for a free engine connection,
        or for an engine being restarted, counts): 504 too slow, 413 too long (over ``max_rows`` rows
        when ``capped``, counted as the answer streams in, or MAX_ANSWER_BYTES), 503 when the engine
        was restarted while answering or is not back in time. A read the engine is still working on
        ``grace_s`` past the limit gets the engine restarted (:meth:`trouble`); a ``write`` does
        not (a restart would cut it short)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout_s
        ready, slots = self._ready, self._slots
        assert ready is not None and slots is not None  # made by _main()
        while True:
            if not ready.is_set():
                try:
                    await asyncio.wait_for(ready.wait(), max(deadline - loop.time(), 0.001))
                except TimeoutError:
                    raise Refused(503, "the SPARQL engine is restarting; try again in a moment",
                                  retry_after=1) from None
            if slots.locked():
                try:
                    await asyncio.wait_for(slots.acquire(), max(deadline - loop.time(), 0.001))
                except TimeoutError:
                    raise self._too_slow() from None
            else:
                await slots.acquire()
            if ready.is_set():
                break
            slots.release()  # a restart began while this request waited for a connection
        engine = self.engine
        assert engine is not None
        flight = _Flight(engine, loop.time())
        chunks: list[bytes] = []
        size = 0
        rows: RowCounter | None = None
        cut: Refused | None = None  # why the answer was dropped before its end

        def header(line: str) -> None:
            nonlocal rows, cut
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length" and value.strip().isdigit() and int(value) > MAX_ANSWER_BYTES:
                cut = _over_bytes()
                raise _Cut()
            if name == "content-type" and capped:
                rows = RowCounter.for_type(value)

        def collect(chunk: bytes) -> None:
            nonlocal size, cut
            if flight.abandoned:  # the client has had its 504: a streaming answer stops here
                raise _Cut()
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                cut = _over_bytes()
            elif rows is not None and rows.feed(chunk) > self.max_rows:
                cut = _over_rows(self.max_rows)
            if cut is not None:
                raise _Cut()
            chunks.append(chunk)

        # No request_timeout of its own beyond a backstop: the engine's answer is awaited after the
        # client's 504, so that the watcher sees a runaway (the fetch ends when the engine is stopped).
        request = HTTPRequest(engine.url + url, method=method, body=body, headers=headers or {}, connect_timeout=5,
                              request_timeout=self.timeout_s + self.grace_s + 30, streaming_callback=collect,
                              header_callback=header, follow_redirects=False, decompress_response=False)

        async def fetch() -> HTTPResponse:
            try:
                return await self.client.fetch(request, raise_error=False)
            finally:
                self._flights.discard(flight)
                slots.release()

        if not write:
            self._flights.add(flight)
        task = asyncio.ensure_future(fetch())
        done, _ = await asyncio.wait({task}, timeout=max(deadline - loop.time(), 0))
        if not done:
            flight.abandoned = True
            task.add_done_callback(_outcome_unused)
            raise self._too_slow()
        try:
            response = task.result()
        except HTTPTimeoutError:
            raise self._too_slow() from None
        except (HTTPClientError, OSError) as e:
            if cut is not None:  # the front dropped the answer itself
                raise cut from None
            await asyncio.sleep(0.3)  # the connection broke: give the watcher time to see a dead engine
            if engine is not self.engine or not ready.is_set() or engine.pid is None:
                raise Refused(503, "the SPARQL engine stopped while answering and is being restarted; "
                                   "try again in a moment", retry_after=1) from None
            raise Refused(502, f"the SPARQL engine did not answer: {e}") from None
        return Answer(response.code, response.headers.get("Content-Type", "application/octet-stream"),
                      b"".join(chunks))

    def _too_slow(self) -> Refused:
        return Refused(504, f"the query ran longer than the server's limit of {self.timeout_s:g} s and was "
                            "stopped; narrow it down")


def _outcome_unused(task: asyncio.Future) -> None:
    """Read the outcome of a request nobody waits for any more, so that asyncio does not log it."""
    if not task.cancelled():
        task.exception()


@dataclass(frozen=True)
class Answer:
    """The engine's answer to one request."""

    code: int
    content_type: str
    body: bytes


def _log_request(handler: web.RequestHandler) -> None:
    status = handler.get_status()
    if status >= 400:
        r = handler.request
        log.warning("%d %s %s (%.0f ms) %s", status, r.method, r.path, 1000 * r.request_time(),
                    getattr(handler, "refusal", ""))


class _Base(web.RequestHandler):
    """Shared by the handlers: plain-text refusals, and bodies read in pieces with a size limit."""

    refusal = ""

    @property
    def front(self) -> Front:
        return self.settings["front"]

    def body_limit(self) -> int:
        return MAX_REQUEST_BYTES

    def prepare(self) -> None:
        # A body over the limit is read and dropped, then refused: a client that is still sending
        # would not hear a refusal sent early. Past 16 times the limit Tornado drops the connection.
        connection = self.request.connection
        if isinstance(connection, HTTP1Connection):  # always, for Tornado's own server
            connection.set_max_body_size(16 * self.body_limit())
        self._chunks: list[bytes] = []
        self._size = 0

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size <= self.body_limit():
            self._chunks.append(chunk)

    def check_size(self) -> None:
        """Refuse a body over the limit (413)."""
        if self._size > self.body_limit():
            raise Refused(413, f"the request is longer than {self.body_limit()} bytes")

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)

    def refuse(self, r: Refused) -> None:
        if self._finished:
            return
        self.refusal = str(r)
        self.clear()
        self.set_status(r.status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        if r.retry_after is not None:
            self.set_header("Retry-After", str(r.retry_after))
        self.finish(str(r) + "\n")

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(f"{self._reason}\n")

    async def relay(self, answer: Answer, *, count: bool = False) -> None:
        """Pass the engine's answer on: its status, media type and body."""
        code, body, ctype = answer.code, answer.body, answer.content_type
        if code >= 500:
            message = body.decode("utf-8", "replace").strip().splitlines()[:1]
            log.error("engine: HTTP %d %s", code, message[0] if message else "")
            raise Refused(502, "the SPARQL engine failed: " + (message[0] if message else f"HTTP {code}"))
        if 200 <= code < 300 and count:  # a long answer is counted on another thread, the front answering
            try:
                rows = count_rows(ctype, body) if len(body) < (1 << 20) else \
                    await asyncio.get_running_loop().run_in_executor(None, count_rows, ctype, body)
            except ValueError:  # not the JSON it says: the engine stopped in the middle
                log.error("engine: an answer in %s that does not parse (%d bytes)", ctype, len(body))
                raise Refused(502, "the SPARQL engine's answer was cut short; try again") from None
            if rows is not None and rows > self.front.max_rows:
                raise _over_rows(self.front.max_rows)
        self.set_status(code)
        if code in (204, 304):
            self.finish()
            return
        self.set_header("Content-Type", ctype)
        self.finish(body)

    def arguments(self) -> dict[str, list[str]]:
        """The request's parameters: the URL's, and a form body's."""
        args: dict[str, list[bytes]] = {k: list(v) for k, v in self.request.query_arguments.items()}
        ctype = self.request.headers.get("Content-Type", "")
        if ctype.partition(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            form: dict[str, list[bytes]] = {}
            httputil.parse_body_arguments(ctype, self.body, form, {})
            for k, v in form.items():
                args.setdefault(k, []).extend(v)
        try:
            return {k: [x.decode("utf-8") for x in v] for k, v in args.items()}
        except UnicodeDecodeError:
            raise Refused(400, "the request's parameters are not UTF-8") from None


@web.stream_request_body
class _QueryHandler(_Base):
    """``/query`` and ``/sparql``: SPARQL 1.1 Protocol queries (and updates on /sparql, if writable)."""

    async def get(self, path: str) -> None:
        await self.answer(path)

    async def post(self, path: str) -> None:
        await self.answer(path)

    def body_limit(self) -> int:
        return MAX_WRITE_BYTES if self.front.writable else MAX_REQUEST_BYTES

    async def answer(self, path: str) -> None:
        if self._finished:
            return
        try:
            self.check_size()
            args = self.arguments()
            ctype = self.request.headers.get("Content-Type", "").partition(";")[0].strip().lower()
            if self.request.method == "POST" and ctype == "application/sparql-update" or "update" in args:
                await self.update(args)
                return
            if self.request.method == "POST" and ctype == "application/sparql-query":
                try:
                    args.setdefault("query", []).append(self.body.decode("utf-8"))
                except UnicodeDecodeError:
                    raise Refused(400, "the query is not UTF-8") from None
            elif self.request.method == "POST" and ctype != "application/x-www-form-urlencoded":
                raise Refused(415, "send a query as ?query=, as a form, or as application/sparql-query")
            queries = args.get("query", [])
            if len(queries) != 1:
                raise Refused(400, "give exactly one query (?query=...)" if queries else
                              "no query: give one as ?query=..., as a form field, or as application/sparql-query")
            if len(queries[0].encode("utf-8")) > MAX_REQUEST_BYTES:
                raise Refused(413, f"the query is longer than {MAX_REQUEST_BYTES} bytes")
            if len(queries[0]) < 8192:
                checked(queries[0], allow_service=self.front.allow_service)
            else:  # reading a long query takes a while (~60 ms for 80 KB): the front answers others meanwhile
                await asyncio.get_running_loop().run_in_executor(
                    None, functools.partial(checked, queries[0], allow_service=self.front.allow_service))
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            if "Accept" in self.request.headers:
                headers["Accept"] = self.request.headers["Accept"]
            body = urlencode([(k, v) for k, vs in args.items() for v in vs]).encode("ascii")
            response = await self.front.forward("query", method="POST", body=body, headers=headers, capped=True)
            await self.relay(response, count=True)
        except Refused as r:
            self.refuse(r)

    async def update(self, args: dict[str, list[str]]) -> None:
        if not self.front.writable:
            raise Refused(403, "this server is read-only: updates are refused (start it with --writable)")
        ctype = self.request.headers.get("Content-Type", "application/x-www-form-urlencoded")
        body = self.body if "update" not in args else urlencode(
            [(k, v) for k, vs in args.items() for v in vs]).encode("ascii")
        if "update" in args:
            ctype = "application/x-www-form-urlencoded"
        response = await self.front.forward("update", method="POST", body=body, headers={"Content-Type": ctype},
                                           write=True)
        await self.relay(response)


@web.stream_request_body
class _UpdateHandler(_QueryHandler):
    """``/update``: SPARQL 1.1 Update, only when the server is writable."""

    async def answer(self, path: str) -> None:
        if self._finished:
            return
        try:
            self.check_size()
            if self.request.method != "POST":
                raise Refused(405, "send updates with POST")
            args = self.arguments() if self.front.writable else {}
            await self.update(args)
        except Refused as r:
            self.refuse(r)


@web.stream_request_body
class _StoreHandler(_Base):
    """``/store``: Graph Store Protocol; reads always, writes only when writable."""

    def body_limit(self) -> int:
        return MAX_WRITE_BYTES if self.front.writable else MAX_REQUEST_BYTES

    async def get(self, path: str) -> None:
        await self.pass_on(count=True)

    async def head(self, path: str) -> None:
        await self.pass_on()

    async def put(self, path: str) -> None:
        await self.pass_on(write=True)

    async def post(self, path: str) -> None:
        await self.pass_on(write=True)

    async def delete(self, path: str) -> None:
        await self.pass_on(write=True)

    async def pass_on(self, *, write: bool = False, count: bool = False) -> None:
        if self._finished:
            return
        try:
            self.check_size()
            if write and not self.front.writable:
                raise Refused(403, "this server is read-only: Graph Store writes are refused "
                                   "(start it with --writable)")
            headers = {k: self.request.headers[k] for k in ("Accept", "Content-Type")
                       if k in self.request.headers}
            url = "store" + (f"?{self.request.query}" if self.request.query else "")
            body = self.body if self.request.method in ("PUT", "POST") else None
            response = await self.front.forward(url, method=self.request.method, body=body, headers=headers,
                                               capped=count, write=write)
            await self.relay(response, count=count)
        except Refused as r:
            self.refuse(r)


class _PageHandler(_Base):
    """The engine's web query page and its scripts."""

    async def get(self) -> None:
        try:
            accept = {"Accept": self.request.headers.get("Accept", "*/*")}
            response = await self.front.forward(self.request.path.lstrip("/"), headers=accept)
            await self.relay(response)
        except Refused as r:
            self.refuse(r)


class _NotFound(_Base):
    def prepare(self) -> None:
        super().prepare()
        self.refuse(Refused(404, "no such page: the SPARQL endpoint is /query"))
