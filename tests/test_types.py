"""kg/ is type-checked: mypy over what ``[tool.mypy]`` in pyproject.toml names, as ``make lint`` runs it.

``make test`` runs it here, as one test of the suite, so that pytest-xdist checks the types on one
core while the other tests run on the rest (a cold mypy takes about 16 s of one core; run before
pytest, as it was, it added them all to the wall time). A failure shows mypy's own report.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_kg_type_checks() -> None:
    # in its own process, from the checkout (where pyproject.toml and .mypy_cache are): nothing of
    # mypy's stays in the test worker, and its cache is what `make lint` uses
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"mypy finds type errors in kg/:\n{proc.stdout}{proc.stderr}"
