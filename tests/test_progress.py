"""Progress of long work: a line on a terminal, nothing anywhere else."""

from __future__ import annotations

import io

from click.testing import CliRunner

from kg import progress
from kg.cli import main


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_the_steps_of_long_work(monkeypatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    screen = Terminal()
    with progress.shown(screen), progress.work():
        progress.stage("loading the store", total=4000)
        progress.advance(1200)
    assert "loading the store" in screen.getvalue()


def test_output_that_is_not_a_terminal_carries_nothing_extra(tmp_path) -> None:
    piped = io.StringIO()
    with progress.shown(piped), progress.work():
        progress.stage("loading the store", total=10)
        progress.advance(10)
    assert piped.getvalue() == ""
    result = CliRunner().invoke(main, ["synth", "--scale", "2k", "-o", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("wrote ") and len(result.output.splitlines()) == 1
