"""Shared fixtures: the real project, and tiny projects made from YAML snippets.

Test modules take the paths from here (``from conftest import ROOT, TINY``): the checkout and
the tiny project are defined once, from this file's place, never from the working directory.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent  # the checkout: kg/, data/, ontology/, queries/
TESTS_DATA = ROOT / "tests" / "data"
TINY = TESTS_DATA / "tiny"  # the tiny valid project: data/ and the source texts in seeds/


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
    The browser tests carry the marker themselves."""
    from hypothesis import is_hypothesis_test

    for item in items:
        if isinstance(item, pytest.Function) and is_hypothesis_test(item.obj):
            item.add_marker(pytest.mark.slow)


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
