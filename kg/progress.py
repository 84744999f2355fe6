"""Progress of long work, shown on a terminal: the library says what it is doing, the command
line draws it.

Library code wraps a long piece of work in :func:`work`, calls :func:`stage` as each long step
begins (with a ``total`` when it can count) and :func:`advance` as it goes; all cost nothing
unless a display is on. The command line turns one on with :func:`shown`: on a terminal it draws
one line with rich (a spinner, the step, a bar when the total is known, the time taken) and
clears it when the outermost :func:`work` ends, before the command prints its result; anywhere
else (a pipe, a file, CI) it draws nothing, so output that is not a terminal carries nothing extra.

>>> import io
>>> with shown(io.StringIO()), work():  # not a terminal: nothing is drawn
...     stage("counting", total=3)
...     advance(3)
>>> stage("outside a display")          # and without a display, a no-op
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any

_display: ContextVar[_Display | None] = ContextVar("kg_progress", default=None)


def stage(name: str, *, total: int | None = None) -> None:
    """A long step begins: ``name`` says what it does; ``total`` is how many :func:`advance`
    units it has, when known."""
    display = _display.get()
    if display is not None:
        display.stage(name, total)


def advance(n: int = 1) -> None:
    """``n`` more units of the current step are done."""
    display = _display.get()
    if display is not None:
        display.advance(n)


@contextmanager
def work() -> Iterator[None]:
    """A long piece of work: its progress line is cleared when it ends (nested ones: the outermost)."""
    display = _display.get()
    if display is None:
        yield
        return
    display.depth += 1
    try:
        yield
    finally:
        display.depth -= 1
        if display.depth == 0:
            display.close()


def on_terminal(stream: IO[str]) -> bool:
    """True when ``stream`` is an interactive terminal that can redraw a line."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


@contextmanager
def shown(stream: IO[str] | None = None) -> Iterator[None]:
    """Draw the steps reported inside this block on ``stream`` (default: standard error), when
    it is a terminal; the line is cleared when the block ends."""
    stream = stream if stream is not None else sys.stderr
    if not on_terminal(stream):
        yield
        return
    display = _Display(stream)
    token = _display.set(display)
    try:
        yield
    finally:
        _display.reset(token)
        display.close()


class _Display:
    """One rich progress line, started at the first step (a command with none draws nothing)."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.progress: Any = None
        self.task: Any = None
        self.depth = 0

    def stage(self, name: str, total: int | None) -> None:
        if self.progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            count = TextColumn("{task.fields[count]}")  # "1,200/4,000" when the total is known
            self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), count,
                                     TimeElapsedColumn(), console=Console(file=self.stream), transient=True)
            self.progress.start()
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(name, total=total, count=self._count(0, total))
        self.done, self.total = 0, total

    def advance(self, n: int) -> None:
        if self.task is not None:
            self.done += n
            self.progress.update(self.task, advance=n, count=self._count(self.done, self.total))

    @staticmethod
    def _count(done: int, total: int | None) -> str:
        return f"{done:,}/{total:,}" if total else ""

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
        self.progress = self.task = None
