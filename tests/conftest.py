"""Shared fixtures: the real project, and tiny projects made from YAML snippets."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).resolve().parent / "data" / "tiny"


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

    The layout mirrors a checkout: ``<tmp>/proj`` with the real ontology and checks, and the
    source texts in ``<tmp>/shared/seeds`` beside it.
    """

    made = []

    def make(files: dict[str, str] | None = None) -> Project:
        base = tmp_path / f"checkout{len(made)}"
        made.append(base)
        root = base / "proj"
        shutil.copytree(TINY / "data", root / "data")
        shutil.copytree(TINY / "seeds", base / "shared" / "seeds")
        shutil.copytree(ROOT / "ontology", root / "ontology")
        shutil.copytree(ROOT / "queries" / "checks", root / "queries" / "checks")
        for rel, text in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return Project(root)

    return make
