"""Reliability, round two: outputs never replace anything but a regular file, and settings read
from the environment are checked where they are read (one line, never a traceback)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import UserError
from kg.files import write_atomic


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


@pytest.mark.parametrize("command", [["export", "--format", "nt", "-o"], ["viz", "-o"],
                                     ["network", "export", "--format", "gexf", "-o"]])
def test_every_output_option_refuses_special_files(command, tmp_path, built):
    for what, path in _specials(tmp_path).items():
        result = CliRunner().invoke(main, [*command, str(path)])
        assert result.exit_code != 0 and "Traceback" not in result.output, (what, result.output)
        assert str(path) in result.output.strip().splitlines()[-1], (what, result.output)  # says which
    result = CliRunner().invoke(main, [*command, ""])
    assert result.exit_code != 0 and "Traceback" not in result.output


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "lots"])
def test_the_file_size_limit_from_the_environment_is_checked(value, monkeypatch, make_project):
    project = make_project()
    monkeypatch.setenv("KG_MAX_FILE_MB", value)
    result = CliRunner().invoke(main, ["validate", "--project", str(project.root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "KG_MAX_FILE_MB" in result.output and len(result.output.strip().splitlines()) == 1
