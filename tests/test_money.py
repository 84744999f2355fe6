"""Money: amounts with currency, kind, cash or in kind, giver and recipient (issue 14).

A copy of the tiny project with an illustrative project note (tests/data/money/: a budget of
7.7 million yuan in all, 3 million pledged by one foundation, 2.2 million including in-kind
resources from another, about 1 million paid out, up to 50,000 US dollars from a network):
the amounts are written with currency, giver and kind, and the funding questions answer with
totals per currency that never add a qualified amount as exact.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import TESTS_DATA, TINY

MONEY = TESTS_DATA / "money"


@pytest.fixture(scope="module")
def funded(tmp_path_factory):
    """The tiny project with the project note's source, entities and amounts, built."""
    from conftest import copy_tiny

    base = tmp_path_factory.mktemp("money")
    project = copy_tiny(base)
    tiny = TINY / "data"
    (base / "shared" / "seeds" / "doc-b.txt").write_text((MONEY / "doc-b.txt").read_text(encoding="utf-8"),
                                                         encoding="utf-8")
    sources = (tiny / "sources.yaml").read_text(encoding="utf-8") + (
        "  - id: doc-b\n    file: doc-b.txt\n    title: {en: A project note (an illustration)}\n"
        "    date: \"2025-01-15\"\n    language: en\n    kind: web-page\n")
    files = {
        "data/sources.yaml": sources,
        "data/entities/all.yaml": (tiny / "entities" / "all.yaml").read_text(encoding="utf-8")
        + (MONEY / "entities.yaml").read_text(encoding="utf-8"),
        "data/facts/doc-b.yaml": (MONEY / "facts.yaml").read_text(encoding="utf-8"),
    }
    for rel, text in files.items():
        (project.root / rel).write_text(text, encoding="utf-8")
    result = kg(project, "build")
    assert result.exit_code == 0, result.output
    return project


def kg(project, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def rows(project, query: str) -> list[dict[str, str]]:
    result = kg(project, "query", query, "--format", "json")
    assert result.exit_code == 0, result.output
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(result.output)["results"]["bindings"]]
