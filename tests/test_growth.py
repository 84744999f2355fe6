"""The real-data checks hold on a grown graph: a copy of the real project with a new source and
facts added the way data/README.md says (kg source add, then facts citing it)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from kg.ask.catalogue import example_values
from kg.ask.questions import list_queries
from kg.ask.running import run_named
from kg.build.dataset import build
from kg.cli import main
from kg.curation.lint import lint
from kg.graph import open_store
from kg.project import Project

from conftest import ROOT

TEXT = ("The Omega Rural Schools Foundation and Tencent Charity Foundation launched the Omega Reading Plan.\n"
        "The plan funded libraries in Gansu in 2025.\n")


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> Project:
    base = tmp_path_factory.mktemp("grown")
    root = base / "proj"
    for part in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / part, root / part)
    (base / "shared").mkdir()
    (base / "shared" / "seeds").symlink_to(Project(ROOT).seeds_dir.resolve())
    project = Project(root)
    doc = base / "omega.txt"
    doc.write_text(TEXT, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("KG_ARCHIVE", str(base / "archive"))
    result = CliRunner().invoke(main, ["source", "add", str(doc), "--id", "omega-2025", "--title", "Omega",
                                       "--url", "https://example.org/omega", "--project", str(root)])
    assert result.exit_code == 0, result.output
    (root / "data" / "entities" / "omega.yaml").write_text(
        "- id: omega-foundation\n  type: Foundation\n  name: {en: Omega Rural Schools Foundation}\n"
        "  seen: [omega-2025:p1]\n- id: omega-reading-plan\n  type: Plan\n  name: {en: Omega Reading Plan}\n"
        "  seen: [omega-2025:p1]\n", encoding="utf-8")
    (root / "data" / "facts" / "omega-2025.yaml").write_text(
        "source: omega-2025\nfacts:\n"
        "  - at: p1\n    actor: omega-foundation\n    role: launcher\n    in: omega-reading-plan\n"
        "  - at: p1\n    actor: tencent-charity-foundation\n    role: launcher\n    in: omega-reading-plan\n"
        "  - at: p2\n    actor: omega-foundation\n    role: funder\n    in: omega-reading-plan\n"
        "  - at: p2\n    subject: omega-reading-plan\n    reaches: CN-GS\n"
        "  - at: p2\n    subject: omega-reading-plan\n    start: '2025'\n", encoding="utf-8")
    yield project
    mp.undo()


def test_the_grown_project_is_valid_and_lint_clean(grown):
    # the build runs every check of kg validate and refuses, with their problems, what they find
    # (validating first cost as much again as this build, which the questions below reuse)
    assert build(grown).quads > 0
    assert lint(grown) == []


def test_every_named_question_answers_on_the_grown_graph_and_cites_its_sources(grown):
    store = open_store(grown)
    for q in list_queries(grown):
        result = run_named(store, q, example_values(q, store))
        if "source" in result.columns:
            assert all(row[result.columns.index("source")] is not None for row in result.rows), q.name


def test_the_new_source_can_be_asked_about(grown):
    store = open_store(grown)
    q = next(q for q in list_queries(grown) if q.name == "facts-from-source")
    result = run_named(store, q, {"source": "omega-2025"})
    assert result.rows, "a new source's facts are found by the question that lists facts by source"
    funders = run_named(store, next(q for q in list_queries(grown) if q.name == "funders"))
    assert any(row[0].value.endswith("/omega-foundation") for row in funders.rows)
