"""Each file in tests/data/invalid/ is one broken curated file and the exact messages it must give.

A case file starts with ``# target: <path in the project>`` and one ``# expect: <message>``
line per problem; the whole file (comments included) replaces or joins the tiny valid project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build, current
from kg.cli import main
from kg.errors import UserError
from kg.validate import validate

CASES = sorted((Path(__file__).parent / "data" / "invalid").glob("*.yaml"))


def _case(path: Path) -> tuple[str, list[str], str]:
    text = path.read_text(encoding="utf-8")
    target = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# target:"))
    expected = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("# expect:")]
    return target, expected, text


def test_there_are_cases():
    assert len(CASES) >= 20


def test_the_tiny_project_is_valid(make_project):
    project = make_project()
    assert validate(project) == []
    b = build(project)
    assert b.quads > 0


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_invalid_case_gives_its_messages(case: Path, make_project):
    target, expected, text = _case(case)
    project = make_project({target: text})
    got = [str(p) for p in validate(project)]
    assert got == sorted(expected)


@pytest.mark.parametrize("case", CASES[:5], ids=[c.stem for c in CASES[:5]])
def test_cli_reports_problems_and_keeps_the_previous_build(case: Path, make_project, monkeypatch):
    target, expected, text = _case(case)
    project = make_project()
    first = build(project)
    (project.root / target).write_text(text, encoding="utf-8")
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for message in expected:
        assert message in result.output
    assert current(project).path == first.path  # the previous build is still the current one
    with pytest.raises(UserError):
        build(project)
