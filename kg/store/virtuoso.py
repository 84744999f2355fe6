"""A Virtuoso open-source server (Debian: ``virtuoso-opensource``) on a scratch database, for
tests and benchmarks: loopback only, its own ports, stopped and removed afterwards.

>>> v = Virtuoso(Path("/tmp/v"), port=8890, sql_port=1111)
>>> v.query_url, v.update_url, v.store_url
('http://127.0.0.1:8890/sparql', 'http://127.0.0.1:8890/sparql-auth', 'http://127.0.0.1:8890/sparql-graph-crud-auth')
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from kg.errors import UserError
from kg.store.endpoint import EndpointError, EndpointStore
from kg.store.server import terminate

DBA = ("dba", "dba")  # a fresh database's administrator (this scratch server listens on loopback only)

_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{port}
ServerRoot = {d}/vsp
MaxClientConnections = 4
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 0
MaxQueryCostEstimationTime = 0
"""


def virtuoso_binary() -> str:
    """The ``virtuoso-t`` program (Debian's ``virtuoso-opensource``), or a :class:`UserError`."""
    found = shutil.which("virtuoso-t")
    if not found:
        raise UserError("Virtuoso is not installed: apt-get install virtuoso-opensource (or: make virtuoso)")
    return found


class Virtuoso:
    """A Virtuoso server over a scratch database folder, as a context manager.

    Queries go to ``query_url`` (anonymous, read-only); updates to ``update_url``
    (``/sparql-auth``) and graphs to ``store_url`` (``/sparql-graph-crud-auth``), with HTTP
    digest authentication as :data:`DBA`.
    """

    def __init__(self, location: Path, *, port: int, sql_port: int, memory_mb: int = 400):
        self.location = location
        self.port = port
        self.sql_port = sql_port
        self.memory_mb = memory_mb
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql-auth"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol URL (digest authentication, as ``update_url``)."""
        return f"http://127.0.0.1:{self.port}/sparql-graph-crud-auth"

    def endpoint(self, *, default_graph: str | None = None) -> EndpointStore:
        """An :class:`EndpointStore` for this server that may update it."""
        return EndpointStore(self.query_url, update_url=self.update_url, store_url=self.store_url,
                             credentials=DBA, default_graph=default_graph)

    def start(self, *, wait: float = 120.0) -> Virtuoso:
        """Write the configuration, start the server and wait until it answers SPARQL."""
        self.location.mkdir(parents=True, exist_ok=True)
        (self.location / "vsp").mkdir(exist_ok=True)
        buffers = self.memory_mb * 1024 * 1024 // 8700  # Virtuoso: about 8.5 kB a buffer
        ini = self.location / "virtuoso.ini"
        ini.write_text(_INI.format(d=self.location, port=self.port, sql_port=self.sql_port,
                                   buffers=buffers, dirty=buffers * 3 // 4), encoding="utf-8")
        self.process = proc = subprocess.Popen([virtuoso_binary(), "+foreground", "+configfile", str(ini)],
                                               cwd=self.location, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL)
        probe = EndpointStore(self.query_url, timeout=5)
        deadline = time.monotonic() + wait
        while True:
            if proc.poll() is not None:
                log = self.location / "virtuoso.log"
                tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.is_file() else []
                raise UserError(f"Virtuoso stopped: {tail[0] if tail else f'exit status {proc.returncode}'}")
            try:
                probe.query("ASK {}")
                return self
            except EndpointError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise UserError(f"Virtuoso did not answer on {self.query_url} in {wait:.0f} s") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 20 s)."""
        if self.process is not None:
            terminate(self.process, grace=20)
        self.process = None

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
