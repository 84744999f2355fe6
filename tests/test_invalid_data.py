"""Each file in tests/data/invalid/ is one broken curated file and the exact messages it must give.

A case file starts with ``# target: <path in the project>`` and one ``# expect: <message>``
line per problem; the whole file, byte for byte (comments, a byte order mark, CRLF line
endings and odd characters included), replaces or joins the tiny valid project. A line
``# pad-to: <N> MB`` makes the file that large at test time, by repeating its last list item,
so that a 50 MB case need not be committed. A message ending in ``...`` gives our words (the
place and the kind of problem, ``file:7: YAML syntax error: ...``); what follows is the YAML
parser's own wording, which its next release may change.

Every case is checked twice: :func:`kg.build.validate.validate` must give exactly the expected
messages, and ``kg build`` must print exactly them (and their count) on stderr, exit with
status 1 without a traceback, and leave the previous build current and usable.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.dataset import build, current
from kg.build.validate import validate
from kg.cli import main
from kg.project import Project
from kg.store.embedded import EmbeddedStore

from conftest import TESTS_DATA, copy_tiny

CASES = sorted((TESTS_DATA / "invalid").glob("*.yaml"))


@dataclass(frozen=True)
class Case:
    target: str
    expected: list[str]
    data: bytes
    padded: bool


def _case(path: Path) -> Case:
    raw = path.read_bytes()
    head = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
    lines = [line.rstrip("\r") for line in head.split("\n")]

    def header(name: str) -> list[str]:
        return [line.split(":", 1)[1].strip() for line in lines if line.startswith(f"# {name}:")]

    target = header("target")[0]
    data = raw
    pad = header("pad-to")
    if pad:
        size = int(float(pad[0].split()[0]) * 1_000_000)
        starts = [m.start() for m in re.finditer(rb"(?m)^  - ", raw)]
        item = raw[starts[-1]:]
        data = raw + item * ((size - len(raw)) // len(item) + 1)
    return Case(target, header("expect"), data, bool(pad))


def _messages(problems_or_lines: list) -> list[str]:
    return sorted(str(p) for p in problems_or_lines)


def _unmatched(got: list[str], expected: list[str]) -> tuple[list[str], list[str]]:
    """The messages not expected, and the expectations not met (``...`` at the end: any rest)."""
    left = sorted(got)
    missing = []
    for e in sorted(expected, key=lambda e: e.endswith("...")):  # exact expectations first
        hit = next((g for g in left if g == e or (e.endswith("...") and g.startswith(e[:-3]))), None)
        if hit is None:
            missing.append(e)
        else:
            left.remove(hit)
    return left, missing


def test_an_expectation_ending_in_dots_matches_only_its_start():
    assert _unmatched(["f:7: YAML syntax error: while parsing"], ["f:7: YAML syntax error: ..."]) == ([], [])
    assert _unmatched(["f:8: YAML syntax error: x"], ["f:7: YAML syntax error: ..."]) == \
        (["f:8: YAML syntax error: x"], ["f:7: YAML syntax error: ..."])
    assert _unmatched(["f:7: a", "f:7: a"], ["f:7: a"]) == (["f:7: a"], [])


def test_there_are_cases():
    assert len(CASES) >= 40


def test_the_tiny_project_is_valid(make_project):
    project = make_project()
    assert validate(project) == []
    b = build(project)
    assert b.quads > 0


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_invalid_case_gives_its_messages(case_file: Path, make_project):
    case = _case(case_file)
    assert case.expected, f"{case_file.name} has no '# expect:' line"
    project = make_project()
    (project.root / case.target).parent.mkdir(parents=True, exist_ok=True)
    (project.root / case.target).write_bytes(case.data)
    started = time.perf_counter()
    got = _messages(validate(project))
    if case.padded:  # a huge file is refused at once, not read
        assert time.perf_counter() - started < 5
    assert _unmatched(got, case.expected) == ([], []), got


@pytest.fixture(scope="module")
def prebuilt(tmp_path_factory) -> Path:
    """A checkout of the tiny project with a finished build, to copy for each case."""
    base = tmp_path_factory.mktemp("prebuilt")
    build(copy_tiny(base))
    return base


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_cli_reports_problems_and_keeps_the_previous_build(case_file: Path, prebuilt: Path, tmp_path,
                                                           monkeypatch):
    case = _case(case_file)
    base = tmp_path / "checkout"
    shutil.copytree(prebuilt, base)
    project = Project(base / "proj")
    monkeypatch.delenv("KG_BUILD", raising=False)
    first = current(project)
    assert first is not None
    (project.root / case.target).parent.mkdir(parents=True, exist_ok=True)
    (project.root / case.target).write_bytes(case.data)
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1, result.output
    # the command's exit, not a crash: the library's build refused with a UserError, whose problems
    # are the lines checked below (building again in the library doubled this test's time)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    n = len(case.expected)
    assert lines == sorted(lines, key=_line_order)  # sorted by file, then line number
    assert _unmatched(lines, case.expected + ([f"{n} problems"] if n > 1 else [])) == ([], []), lines
    assert current(project).path == first.path  # the previous build is still the current one
    assert EmbeddedStore(first.store_path).query("ASK { ?s a kg:Target }").boolean


def _line_order(line: str) -> tuple:
    m = re.match(r"^(.*?):(\d+): ", line) or re.match(r"^(\S+?)(): ", line)
    return (0, m[1], int(m[2] or 0)) if m else (1, line, 0)


def test_a_folder_named_like_a_curated_file_is_a_problem_not_a_crash(make_project):
    project = make_project()
    (project.data_dir / "entities" / "odd.yaml").mkdir()
    assert _messages(validate(project)) == ["data/entities/odd.yaml:1: not a regular file"]


def test_the_size_limit_is_configurable(make_project, monkeypatch):
    project = make_project()
    monkeypatch.setenv("KG_MAX_FILE_MB", "0.0003")  # 300 bytes
    files = sorted(p for p in project.data_dir.rglob("*.yaml") if p.stat().st_size > 300)
    assert files
    expected = [f"{project.relative(p)}:1: the file is {p.stat().st_size} bytes; a curated file may be at "
                "most 300 bytes (split it, or raise KG_MAX_FILE_MB)" for p in files]
    assert set(expected) <= set(_messages(validate(project)))
    monkeypatch.setenv("KG_MAX_FILE_MB", "1")
    assert validate(project) == []
