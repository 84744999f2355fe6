"""Every notebook in notebooks/ runs top to bottom, and is committed clean.

The kernel is this interpreter (``sys.executable``), through a kernelspec written to a
temporary folder on ``JUPYTER_PATH``: a fresh machine needs no ``jupyter kernelspec install``,
and the notebooks cannot pick up another Python that lacks kg. ``KG_PROJECT`` points the
kernel at this checkout. One kernel runs the notebooks, each from ``%reset -f`` (no name of
the one before is left): a kernel's start and kg's imports were 40% of the CPU of five fresh
kernels. A fresh kernel, as ``make notebooks`` uses, runs one of them (:data:`RENDERED`) in
test_make_notebooks_writes_a_page_that_opens_offline, which runs it to the same checks: it is
not run a second time on the shared kernel (about 1.2 s).
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # each notebook runs on a Jupyter kernel

nbformat = pytest.importorskip("nbformat", reason="pip install 'kg[notebooks]'")
nbclient = pytest.importorskip("nbclient", reason="pip install 'kg[notebooks]'")
pytest.importorskip("ipykernel", reason="pip install 'kg[notebooks]'")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
RENDERED = ROOT / "notebooks" / "03-provenance-audit.ipynb"  # run and written as a page, on a fresh kernel
SHARED = [p for p in NOTEBOOKS if p != RENDERED]  # run on the module's kernel
KERNEL = "kg-test-python"
EXPECTED = {"01-partnership-links.ipynb", "02-reach-and-outcomes.ipynb", "03-provenance-audit.ipynb",
            "04-money-and-who-is-served.ipynb", "05-how-the-map-grew.ipynb"}


@pytest.fixture(scope="module")
def kernel(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A kernelspec for this Python, found through JUPYTER_PATH; returns its name."""
    base = tmp_path_factory.mktemp("jupyter")
    spec = base / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg tests", "language": "python",
    }), encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        # first on the path, before what was there (nbconvert's templates may be found through it)
        mp.setenv("JUPYTER_PATH", os.pathsep.join([str(base), *filter(None, [os.environ.get("JUPYTER_PATH")])]))
        mp.setenv("KG_PROJECT", str(ROOT))
        mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        yield KERNEL


@pytest.fixture(scope="module")
def shared_kernel(kernel: str, built) -> Iterator[Any]:
    """One started kernel (a jupyter_client KernelManager) in notebooks/, for the module's runs."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=kernel)
    km.start_kernel(cwd=str(ROOT / "notebooks"))
    try:
        yield km
    finally:
        km.shutdown_kernel(now=True)


def test_the_stories_are_there() -> None:
    assert {p.name for p in NOTEBOOKS} >= EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    stored = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert stored == [], f"{path.name}: cells {stored} keep outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_tells_a_story_over_the_api(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds[0] == "markdown" and nb.cells[0].source.startswith("# "), "open with a title"
    assert kinds.count("markdown") >= 5, "tell the story in markdown between the cells"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "kg.open()" in code
    for outside in ("open(", "read_csv", "urlopen", "requests", "http://", "https://"):
        assert outside not in code.replace("kg.open(", ""), f"{path.name} reads something besides the graph"


@pytest.mark.parametrize("path", SHARED, ids=[p.stem for p in SHARED])
def test_notebook_runs_top_to_bottom(path: Path, shared_kernel) -> None:
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell("%reset -f"))  # what the notebook before left is gone
    client = nbclient.NotebookClient(nb, km=shared_kernel, timeout=120, allow_errors=False)
    started = time.monotonic()
    try:
        client.execute()  # raises CellExecutionError, with the cell and its traceback, on any error
    finally:
        if client.kc is not None:
            client.kc.stop_channels()  # the kernel is the module's, its client this test's
    took = time.monotonic() - started
    assert took < 60, f"{path.name} took {took:.0f} s"
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o for o in outputs if "text/html" in o.get("data", {})]
    assert html, "the answers show as tables"
    if "g.show(" in "".join(c.source for c in nb.cells):
        pages = [o["data"]["text/html"] for o in html if "<iframe srcdoc=" in o["data"]["text/html"]]
        assert pages and all('sandbox="allow-scripts"' in p for p in pages)


def test_make_notebooks_writes_a_page_that_opens_offline(tmp_path: Path, built) -> None:
    pytest.importorskip("nbconvert", reason="pip install 'kg[notebooks]'")
    from kg.notebooks.render import render
    from kg.project import Project

    path = RENDERED
    assert path in NOTEBOOKS
    started = time.monotonic()
    page = render(path, tmp_path, Project.at(ROOT))  # raises on a cell's error, as the run above
    assert time.monotonic() - started < 60 + 30, "the notebook took over 60 s (30 s for a kernel's start)"
    assert page == tmp_path / "03-provenance-audit.html"
    html = page.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>")
    loads = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|@import\s+url\(\s*["']?(?:https?:)?//""", html, re.I)
    assert loads == [], "the page loads something from the network"
    assert "<table" in html and "Provenance audit" in html, "the answers show as tables, with the story"
    assert "jp-OutputArea-output" in html, "the executed outputs are in the page"
    if "g.show(" in path.read_text(encoding="utf-8"):  # its network pages, sandboxed (as checked above)
        frames = re.findall(r"<iframe srcdoc=[^>]*>", html)
        assert frames and all('sandbox="allow-scripts"' in f for f in frames)
    assert nbformat.read(path, as_version=4).cells[1].outputs == [], "the committed notebook is left as it was"
