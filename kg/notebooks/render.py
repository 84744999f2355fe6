"""Run a notebook top to bottom on a fresh kernel and write the executed copy as one HTML page.

``make notebooks`` (``python -m kg.notebooks.render``) does it for every notebook in the
project's notebooks/, into build/notebooks/NAME.html, so that a reader sees the tables and
charts without Jupyter. The committed notebooks stay without outputs; only the copies are run.

The kernel is this interpreter (a kernelspec written to a temporary folder), so the notebooks
cannot pick up another Python that lacks kg, and ``KG_PROJECT`` points it at the project.
The page is JupyterLab's (nbconvert's ``lab`` template) less every script it would fetch from
the network (``offline.html.j2`` beside this module): charts are embedded PNGs, tables plain
HTML, network pages iframes that carry their own scripts. Needs the notebooks extra
(``pip install 'edu-equity-kg[notebooks]'``).

>>> from kg.project import Project
>>> [p.name for p in notebooks(Project.default())][:1]
['01-partnership-links.ipynb']
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from kg.files import write_atomic
from kg.project import Project

KERNEL = "kg-python"
TEMPLATE = "offline.html.j2"
#: A cell that runs longer than this stops the notebook (a hung query, say).
CELL_TIMEOUT = 300


def notebooks(project: Project) -> list[Path]:
    """The project's notebooks, in name order."""
    return sorted((project.root / "notebooks").glob("*.ipynb"))


@contextmanager
def _kernel_specs() -> Iterator[Any]:
    """A kernelspec manager that knows one kernel, :data:`KERNEL`: this interpreter."""
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory(prefix="kg-kernel-") as tmp:
        spec = Path(tmp) / KERNEL
        spec.mkdir()
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "kg", "language": "python",
        }), encoding="utf-8")
        yield KernelSpecManager(kernel_dirs=[tmp])


def execute(path: Path, project: Project, *, timeout: int = CELL_TIMEOUT) -> Any:
    """The notebook at ``path``, run top to bottom on a fresh kernel in its own folder.

    Raises nbclient's ``CellExecutionError`` (with the cell and its traceback) when a cell fails.
    """
    import nbformat
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = {**os.environ, "KG_PROJECT": str(project.root),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    with _kernel_specs() as specs:
        km = KernelManager(kernel_name=KERNEL, kernel_spec_manager=specs)
        client = NotebookClient(nb, km=km, timeout=timeout, allow_errors=False,
                                resources={"metadata": {"path": str(path.parent)}})
        # given a kernel manager, nbclient leaves the kernel running (it is the caller's): shut it
        # down here, or each notebook's kernel lived on, idle, until the process ended
        client.execute(env=env, cleanup_kc=True)
    return nb


def to_html(nb: Any, *, title: str) -> str:
    """An executed notebook as one HTML page that loads nothing from the network."""
    from nbconvert import HTMLExporter

    with resources.as_file(resources.files("kg.notebooks")) as here:
        exporter = HTMLExporter(template_name="lab", extra_template_paths=[str(here)], embed_images=True)
        exporter.template_file = TEMPLATE
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return str(body)


def render(path: Path, out_dir: Path, project: Project, *, timeout: int = CELL_TIMEOUT) -> Path:
    """Execute the notebook at ``path`` and write it as ``out_dir/NAME.html``; return that path.

    Nothing is written when a cell fails (the error is raised).
    """
    nb = execute(path, project, timeout=timeout)
    return write_atomic(out_dir / f"{path.stem}.html", to_html(nb, title=path.stem))


def main(argv: list[str] | None = None) -> int:
    """Render the notebooks named in ``argv`` (all of notebooks/ when none) under build/notebooks/."""
    project = Project.default()
    chosen = [Path(a) for a in argv] if argv else notebooks(project)
    out_dir = project.root / "build" / "notebooks"
    for path in chosen:
        started = time.monotonic()
        written = render(path, out_dir, project)
        print(f"wrote {project.relative(written)} ({time.monotonic() - started:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
