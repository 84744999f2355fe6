"""Writing files so that a reader never sees half of one, and nothing but a regular file is replaced.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
>>> write_atomic(out, "中文\\n") == out, out.read_text(encoding="utf-8")
(True, '中文\\n')
>>> write_atomic("/dev/null", "x")
Traceback (most recent call last):
...
kg.errors.UserError: kg: /dev/null: not a regular file; kg replaces only regular files (choose another path)
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from kg.errors import UserError


def check_output(path: Path | str) -> Path:
    """``path`` as a place kg may write: absent, or a regular file (never a device, a FIFO, a
    folder or a symlink, which replacing would destroy), in a folder that is a folder."""
    if str(path) == "":
        raise UserError("the output path is empty")
    target = Path(path)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise UserError(f"{target}: cannot write here ({e.strerror or e})") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise UserError(f"{target}: not a regular file; kg replaces only regular files (choose another path)")
    if target.parent.exists() and not target.parent.is_dir():
        raise UserError(f"{target}: {target.parent} is not a folder")
    return target


def write_atomic(path: Path | str, data: bytes | str) -> Path:
    """Write ``data`` (text is written as UTF-8) to a temporary file beside ``path``, then
    rename it into place; on any failure the temporary file is removed and ``path`` is as it was.
    A full disk or a folder kg may not write to is a :class:`UserError`, not a traceback."""
    target = check_output(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise UserError(f"{target}: cannot write ({e.strerror or e}); nothing was changed") from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    return target
