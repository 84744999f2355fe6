"""Reliability, round two: outputs never replace anything but a regular file, and settings read
from the environment are checked where they are read (one line, never a traceback)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.dataset import build
from kg.cli import main
from kg.errors import UserError
from kg.files import write_atomic
from kg.project import Project

from conftest import copy_tiny


def _specials(tmp_path: Path) -> dict[str, Path]:
    """Paths kg must not replace: a device, a FIFO, a folder, a symlink (to a file and to a device)."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    target = tmp_path / "target.txt"
    target.write_text("keep me", encoding="utf-8")
    to_file = tmp_path / "to-file"
    to_file.symlink_to(target)
    to_device = tmp_path / "to-device"
    to_device.symlink_to("/dev/null")
    return {"device": Path("/dev/null"), "fifo": fifo, "folder": folder, "symlink to a file": to_file,
            "symlink to a device": to_device}


def test_write_atomic_replaces_only_regular_files(tmp_path):
    for what, path in _specials(tmp_path).items():
        before = os.lstat(path)
        with pytest.raises(UserError):
            write_atomic(path, "x")
        after = os.lstat(path)
        assert (before.st_mode, before.st_ino) == (after.st_mode, after.st_ino), f"{what} was replaced"
    assert (tmp_path / "target.txt").read_text(encoding="utf-8") == "keep me"
    assert not list(tmp_path.glob(".*.tmp")), "a temporary file was left behind"
    with pytest.raises(UserError):
        write_atomic("", "x")


@pytest.fixture(scope="module")
def tiny_built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The tiny project, built once for the tests that only read it."""
    project = copy_tiny(tmp_path_factory.mktemp("tiny"))
    build(project)
    return project


@pytest.mark.parametrize("command", [["export", "--format", "nt", "-o"], ["viz", "-o"],
                                     ["network", "export", "--format", "gexf", "-o"]])
def test_every_output_option_refuses_special_files(command, tmp_path, tiny_built):
    # the tiny project: what is written does not matter here, only where (the curated graph made
    # each of these 18 commands draw or export 19k quads, 15 s of CPU for the three); built once
    # for the three (the outputs go to tmp_path, never into the project)
    at = ["--project", str(tiny_built.root)]
    for what, path in _specials(tmp_path).items():
        result = CliRunner().invoke(main, [*command, str(path), *at])
        assert result.exit_code != 0 and "Traceback" not in result.output, (what, result.output)
        assert str(path) in result.output.strip().splitlines()[-1], (what, result.output)  # says which
    result = CliRunner().invoke(main, [*command, "", *at])
    assert result.exit_code != 0 and "Traceback" not in result.output
    result = CliRunner().invoke(main, [*command, str(tmp_path / "fine.out"), *at])
    assert result.exit_code == 0 and (tmp_path / "fine.out").stat().st_size > 0, result.output  # a real file


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "lots"])
def test_the_file_size_limit_from_the_environment_is_checked(value, monkeypatch, make_project):
    project = make_project()
    monkeypatch.setenv("KG_MAX_FILE_MB", value)
    result = CliRunner().invoke(main, ["validate", "--project", str(project.root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "KG_MAX_FILE_MB" in result.output and len(result.output.strip().splitlines()) == 1


# ---------------------------------------------------------------------------- inputs: kinds checked before reading


def _odd_inputs(root: Path, tmp_path: Path) -> dict[str, Path]:
    facts = root / "data" / "facts"
    fifo = facts / "fifo.yaml"
    os.mkfifo(fifo)
    (facts / "folder.yaml").mkdir()
    (facts / "zero.yaml").symlink_to("/dev/zero")
    (facts / "loop.yaml").symlink_to(facts / "loop.yaml")
    outside = tmp_path / "outside.yaml"
    outside.write_text("source: doc-a\nfacts: []\n", encoding="utf-8")
    (facts / "outside.yaml").symlink_to(outside)
    return {"fifo": fifo, "folder": facts / "folder.yaml", "device": facts / "zero.yaml",
            "loop": facts / "loop.yaml", "outside": facts / "outside.yaml"}


def test_build_checks_the_kind_of_every_input_before_reading_it(make_project, tmp_path):
    """A FIFO would hang the build and /dev/zero fill the memory: each is a problem at its name."""
    import subprocess
    import sys

    project = make_project()
    odd = _odd_inputs(project.root, tmp_path)
    proc = subprocess.run([sys.executable, "-m", "kg", "build", "--project", str(project.root)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    for what, path in odd.items():
        assert any(line.startswith(f"data/facts/{path.name}:") for line in proc.stderr.splitlines()), \
            (what, proc.stderr)


# ---------------------------------------------------------------------------- builds: one at a time, no leftovers


def test_two_builds_at_once_both_succeed_and_leftovers_are_removed(make_project):
    import subprocess
    import sys

    project = make_project()
    leftover = project.build_dir / ".tmp-dataset-0123456789abcdef-99999"
    leftover.mkdir(parents=True)
    (leftover / "kg.nq").write_bytes(b"half")
    cmd = [sys.executable, "-m", "kg", "build", "--force", "--project", str(project.root)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert not leftover.exists(), "a dead build's temporary folder was left"
    assert not list(project.build_dir.glob(".tmp-*"))


def test_a_build_folder_that_is_a_file_is_one_line(make_project, tmp_path, monkeypatch):
    project = make_project()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KG_BUILD", str(blocker))
    result = CliRunner().invoke(main, ["build", "--project", str(project.root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and str(blocker) in result.output


# ---------------------------------------------------------------------------- the last good build answers


def test_questions_answer_from_the_last_good_build_and_fresh_insists(make_project):
    project = make_project()
    ask = ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Source }", "--project", str(project.root)]
    assert CliRunner().invoke(main, ask).exit_code == 0
    facts = project.data_dir / "facts" / "doc-a.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "  - at: p99\n    subject: gamma-plan\n"
                     "    theme: rural-education\n", encoding="utf-8")
    result = CliRunner().invoke(main, ask)
    assert result.exit_code == 0, result.output
    assert "last good build" in result.stderr and "data/facts/doc-a.yaml:" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    fresh = CliRunner().invoke(main, [*ask, "--fresh"])
    assert fresh.exit_code == 1 and "data/facts/doc-a.yaml:" in fresh.output


# ---------------------------------------------------------------------------- arguments: one line, never a traceback


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "soon"])
def test_a_time_limit_must_be_a_positive_finite_number(value, built):
    result = CliRunner().invoke(main, ["query", "funders", "--timeout", value])
    assert result.exit_code == 2 and "Traceback" not in result.output and "--timeout" in result.output


def test_a_query_file_that_is_not_utf8_is_one_line(tmp_path, built):
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"SELECT \xff WHERE {}")
    result = CliRunner().invoke(main, ["query", "--file", str(bad)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().splitlines() == [f"kg: {bad}: not UTF-8 text (byte 7); save the query as UTF-8"]


def test_a_damaged_build_is_built_again_not_opened(make_project):
    import shutil

    from kg.build.state import current_path

    project = make_project()
    ask = ["query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Source }", "--project", str(project.root)]
    assert CliRunner().invoke(main, ask).exit_code == 0
    damaged = current_path(project)
    assert damaged is not None
    shutil.rmtree(damaged / "store")
    result = CliRunner().invoke(main, ask)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert (current_path(project) / "store").is_dir()  # type: ignore[operator]


def test_a_parameter_given_twice_is_refused(built):
    result = CliRunner().invoke(main, ["query", "partners-of-organization", "-p", "org=tencent",
                                       "-p", "org=tencent-education"])
    assert result.exit_code == 2 and "'org' is given twice" in result.output
