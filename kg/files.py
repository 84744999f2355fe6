"""Writing files so that a reader never sees half of one.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
>>> write_atomic(out, "中文\\n") == out, out.read_text(encoding="utf-8")
(True, '中文\\n')
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, data: bytes | str) -> Path:
    """Write ``data`` (text is written as UTF-8) to a temporary file beside ``path``, then
    rename it into place; on any failure the temporary file is removed and ``path`` is as it was."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
