"""Serving a build: the Oxigraph SPARQL server over a store folder, read-only by default.

>>> Server(Path("build/x/store"), port=7878).query_url
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import UserError
from kg.store.endpoint import EndpointError, EndpointStore


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
