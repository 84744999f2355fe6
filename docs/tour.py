"""The command sessions shown in README.md, made by running the commands (cog runs this).

``make docs`` rewrites README.md's sessions with ``cog -r -I docs README.md``; the test
``tests/test_docs.py`` runs ``cog --check`` and fails when a session shown is not what the
commands print. The sessions run in a fresh project made by ``kg init --from-example`` in a
temporary folder, so the first ``kg build`` really builds and nothing depends on this machine.
"""

from __future__ import annotations

import os
import re
import shlex
import tempfile
from pathlib import Path

_HOME: list[Path] = []  # the temporary folder the sessions run in, made once per cog run


def _home() -> Path:
    if not _HOME:
        _HOME.append(Path(tempfile.mkdtemp(prefix="kg-tour-")))
    return _HOME[0]


def run(command: str, cwd: Path) -> str:
    """What ``command`` (``kg ...``) prints, as a user sees it (stdout then stderr)."""
    from click.testing import CliRunner

    from kg.cli import main

    env = {k: None for k in os.environ if k.startswith("KG_")}
    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner(env=env).invoke(main, shlex.split(command)[1:])
    finally:
        os.chdir(before)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return re.sub(r"dataset-[0-9a-f]{16}", "dataset-…", result.output)


def session(*steps: str | tuple[str, int]) -> str:
    """A console session: each step a command (``cd DIR`` moves), or ``(command, lines)`` to
    show only the first ``lines`` lines of its output, then ``…``."""
    out = ["```console"]
    for step in steps:
        command, keep = step if isinstance(step, tuple) else (step, None)
        shown, _, comment = command.partition("  # ")
        out.append(f"$ {command}")
        if shown.startswith("cd "):
            _HOME[0] = _home() / shown[3:].strip()
            continue
        lines = run(shown.strip(), _home()).rstrip("\n").splitlines()
        if keep is not None and len(lines) > keep:
            lines = lines[:keep] + ["…"]
        out += lines
    out.append("```")
    return "\n".join(out)


def show(*steps: str | tuple[str, int]) -> None:
    """Print :func:`session` into the file cog is rewriting."""
    import cog

    cog.outl(session(*steps))
