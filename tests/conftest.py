"""Shared fixtures: the real project, tiny projects made from YAML snippets, and one headless
Chromium per worker for the page tests (its tabs and helpers in tests/browsing.py).

Test modules take the paths from here (``from conftest import ROOT, TINY``): the checkout and
the tiny project are defined once, from this file's place, never from the working directory.
"""

from __future__ import annotations

import functools
import gc
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from kg.project import Project

if TYPE_CHECKING:
    from browsing import Opened, Tabs

ROOT = Path(__file__).resolve().parent.parent  # the checkout: kg/, data/, ontology/, queries/
TESTS_DATA = ROOT / "tests" / "data"
TINY = TESTS_DATA / "tiny"  # the tiny valid project: data/ and the source texts in seeds/


# The tests hold big object graphs (rdflib datasets of the curated build, networkx views) for a
# whole module; at Python's default thresholds the collector walked them again and again: 4.4 s
# of a 42 s run over the rdflib-heavy files, 10 s of the suite's CPU. Collected less often, the
# same run spent 0.9 s (the tests are unchanged; only when unreachable cycles are freed).
gc.set_threshold(50_000, 50, 100)

# Hypothesis: every property test states its budget for `make test` as ``examples(n)``; a profile
# multiplies them all. "kg" (loaded here, what make test runs): the stated budgets, derandomized
# (the same examples every run), no example database (nothing written, nothing shared between
# parallel workers). "long": ten times the examples, drawn afresh each run, for a night's search:
#   pytest -m slow --hypothesis-profile=long
_HYPOTHESIS = {"deadline": None, "database": None, "print_blob": True,
               "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture]}
settings.register_profile("kg", max_examples=100, derandomize=True, **_HYPOTHESIS)
settings.register_profile("long", max_examples=1000, derandomize=False, **_HYPOTHESIS)
settings.load_profile("kg")  # pytest's --hypothesis-profile, read later, takes precedence


def examples(n: int) -> int:
    """A property test's number of examples: ``n`` under the "kg" profile (make test), scaled
    with the loaded profile's ``max_examples`` (ten times ``n`` under "long"). Used as
    ``@settings(max_examples=examples(30))``; the other settings come from the profile."""
    return max(1, n * settings().max_examples // 100)


def copy_tiny(base: Path) -> Project:
    """The tiny project copied under ``base`` as a checkout lays it out: ``base/proj`` with the
    real ontology and checks, the source texts in ``base/shared/seeds`` beside it."""
    root = base / "proj"
    shutil.copytree(TINY / "data", root / "data")
    shutil.copytree(TINY / "seeds", base / "shared" / "seeds")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "queries" / "checks", root / "queries" / "checks")
    return Project(root)


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every property-based (Hypothesis) test is ``slow``: a new one needs no marker of its own.
    The files that start a browser, a server, a kernel or a virtual environment carry the marker
    themselves.

    The files with a slow test come first: ``make test`` hands the files out in this order
    (``--no-loadscope-reorder``), so the long ones start early and the short ones fill the end,
    where a long file handed out last kept one worker busy while the other had finished.
    """
    from hypothesis import is_hypothesis_test

    for item in items:
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.slow)
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # stable: the order within each file kept


@pytest.fixture(scope="session")
def project() -> Project:
    """The real project: data/, ontology/ and queries/ of this checkout."""
    return Project(ROOT)


@pytest.fixture(scope="session")
def built(project: Project):
    """The real dataset, built (or reused when nothing changed)."""
    from kg.build.dataset import ensure_built

    return ensure_built(project)


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """A copy of the tiny test project, with files replaced or added: ``make_project({path: text})``.

    The layout mirrors a checkout (see :func:`copy_tiny`).
    """

    made = []

    def make(files: dict[str, str] | None = None) -> Project:
        base = tmp_path / f"checkout{len(made)}"
        made.append(base)
        project = copy_tiny(base)
        for rel, text in (files or {}).items():
            path = project.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return project

    return make


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tabs]:
    """One headless Chromium per worker, its tabs kept from test to test (tests/browsing.py).
    Skipped when Playwright or Chromium is missing, except in CI (``CI=true``): a failure there."""
    from browsing import IN_CI, launched, missing

    why = missing()
    if why:
        if IN_CI:
            pytest.fail(f"{why} (CI=true: the browser tests must run)")
        pytest.skip(f"{why} (set CI=true to fail instead)")
    with launched(tmp_path_factory.mktemp("pages")) as tabs:
        yield tabs


@pytest.fixture
def tabs(chromium: Tabs) -> Iterator[Tabs]:
    """The browser's tabs for one test: every tab it took is blank and free again after it."""
    yield chromium
    chromium.release()


@pytest.fixture
def open_graph(tabs: Tabs, tmp_path: Path) -> Callable[..., Opened]:
    """Open a graph's page offline and wait until vis has drawn it (:meth:`browsing.Tabs.open_graph`)."""
    return functools.partial(tabs.open_graph, folder=tmp_path)
