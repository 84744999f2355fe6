"""The path of a cold ``kg query``: light on imports, and its shortcuts never give a stale answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ask.questions import ParsedQueries, load_query
from kg.errors import UserError
from kg.project import Project

from conftest import ROOT


def test_a_named_question_loads_no_heavy_library(built) -> None:
    """Parsing YAML, hashing, HTTP, networks and DataFrames are not what a question needs."""
    code = ("import sys\nfrom kg.cli import main\n"
            "try:\n    main(['query', 'funders'])\nexcept SystemExit: pass\n"
            "heavy = ('yaml', 'hashlib', 'urllib.request', 'networkx', 'pandas', 'rdflib', 'pyshacl',\n"
            "         'kg.build.dataset')\n"
            "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)")
    env = {**os.environ, "KG_PROJECT": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)  # keeps the headers
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "tencent-charity-foundation" in proc.stdout
    assert proc.stderr.strip().splitlines()[-1] == "[]"


QUESTION = "#+ summary: Who funds what, in a project's own words\nSELECT ?f WHERE { ?f ?p ?o }\n"


@pytest.fixture
def queries_project(tmp_path: Path) -> Project:
    """A project with one named question of its own (kg's own questions are never written to)."""
    root = tmp_path / "proj"
    (root / "queries").mkdir(parents=True)
    (root / "queries" / "90-my-funders.rq").write_text(QUESTION, encoding="utf-8")
    return Project(root)


def test_a_kept_header_is_used_only_while_the_file_is_unchanged(queries_project: Project) -> None:
    first = load_query(queries_project, "my-funders")
    assert (queries_project.build_dir / ParsedQueries.FILE).is_file()
    assert load_query(queries_project, "my-funders") == first
    path = first.path
    assert path.is_relative_to(queries_project.root)
    path.write_text(path.read_text(encoding="utf-8").replace("Who funds what", "Who pays for what"),
                    encoding="utf-8")
    assert load_query(queries_project, "my-funders").summary.startswith("Who pays for what")
    path.write_text("#+ summary: [oops\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    with pytest.raises(UserError, match="90-my-funders.rq:1: header: YAML syntax error"):
        load_query(queries_project, "my-funders")


def test_a_damaged_or_foreign_cache_is_read_as_empty(queries_project: Project) -> None:
    cache = queries_project.build_dir / ParsedQueries.FILE
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"\x00not marshal")
    assert load_query(queries_project, "my-funders").name == "my-funders"
    assert load_query(queries_project, "my-funders").parameters == ()


def test_the_stat_shortcut_still_sees_every_edit(make_project) -> None:
    """Freshness is decided by the inputs' names, sizes and modification times, and their content
    is hashed only when one of those changed: so an edit that keeps a file's size (one letter
    for another) is seen, as are a file added to data/ and a file removed. (The rule's one gap,
    an edit that keeps both the size and the nanosecond mtime, needs a tool that resets mtimes.)"""
    from kg.build.dataset import build
    from kg.build.state import fresh_build

    project = make_project()
    made = build(project).path
    assert fresh_build(project) == made
    facts = project.data_dir / "facts" / "doc-a.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "target: 100\n" in text
    same_size = text.replace("target: 100\n", "target: 200\n", 1)
    assert len(same_size.encode()) == len(text.encode())
    before = facts.stat().st_mtime_ns
    facts.write_text(same_size, encoding="utf-8")
    os.utime(facts, ns=(before + 1_000_000, before + 1_000_000))  # a clock coarser than the edit
    assert fresh_build(project) is None
    facts.write_text(text, encoding="utf-8")  # back as it was, touched: the old build serves again
    assert fresh_build(project) == made
    extra = project.data_dir / "facts" / "doc-b.yaml"
    extra.write_text("# nothing yet\n", encoding="utf-8")
    assert fresh_build(project) is None
    extra.unlink()
    assert fresh_build(project) == made
