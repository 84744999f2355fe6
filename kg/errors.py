"""User errors: problems in the user's files or arguments, reported as ``file:line: message``.

A bug raises with its traceback; a problem with the user's input is a :class:`Problem`, and
all of them are reported at once through :class:`UserError`:

>>> str(Problem("data/facts/x.yaml", 3, "unknown role 'leader'"))
"data/facts/x.yaml:3: unknown role 'leader'"
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Problem(NamedTuple):
    """One problem at one place: a file (relative to the project when possible) and a line.

    A named tuple (immutable, ordered by file, line, message) rather than a dataclass: every
    ``kg`` command imports this, and a frozen, ordered dataclass costs about a millisecond to
    define at import.
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class UserError(Exception):
    """The user's input has problems; ``problems`` lists every one, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem] | str):
        if isinstance(problems, str):
            problems = [Problem("kg", 0, problems)]
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def message(self) -> str:
        return str(self)
