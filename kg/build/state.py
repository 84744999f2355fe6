"""Whether the current build is fresh: the check every question makes first, kept light.

Apart from :mod:`kg.build.dataset` (the machinery that makes a build) because ``kg query``
runs it on every call. Reading ``build/CURRENT``, the build's ``fingerprint`` file and one
``stat`` per input file costs well under a millisecond, and imports neither the build nor
JSON nor OpenSSL. The inputs' content is hashed only when a file's size or modification
time changed since the build (a ``git checkout`` touches files without changing them: the
build is then still fresh, and the new fingerprint is kept). The rule's one blind spot: an edit
that keeps both a file's size and its nanosecond modification time, which takes a tool that
sets times back; ``kg build --force`` rebuilds then.

>>> from kg.project import Project
>>> from kg.build.dataset import ensure_built
>>> project = Project.default()
>>> fresh_build(project) == ensure_built(project).path
True
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from kg.project import PACKAGE_ROOT, Project

FORMAT_VERSION = "2"  # bump when the layout of build/ changes
# The code whose change can change a dataset: a new page, question or command does not rebuild.
DATASET_CODE = ("curation", "model", "build", "store")
FINGERPRINT_FILE = "fingerprint"  # in a build's folder: the inputs' stat fingerprint, one line


def _files(folder: Path, suffix: str, *, recursive: bool = False) -> list[Path]:
    """The files named ``*suffix`` in ``folder`` (and below), in the order of ``sorted(folder.rglob(...))``.

    ``os.scandir`` and names sorted as text rather than ``glob`` and sorted paths: a pattern
    costs a compiled regular expression in every process, comparing paths costs more than
    comparing names, and this runs on every ``kg query``.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = []
    for entry in entries:
        if entry.is_dir():
            if recursive:
                found += _files(Path(entry.path), suffix, recursive=True)
        elif entry.name.endswith(suffix):
            found.append(Path(entry.path))
    return found


def input_files(project: Project) -> list[Path]:
    """Every file a build depends on: curated data, ontology, checks, code, source texts."""
    files = project.curated_files()
    files += [project.ontology_file, project.shapes_file, *project.ontology_extensions()]
    files += project.check_files()
    files += _code_files()
    files += _files(project.seeds_dir, ".txt")
    return files


@functools.cache
def _code_files() -> tuple[Path, ...]:
    """kg's own files whose change can change a dataset, listed once per process (the code a
    process runs does not change under it; their sizes and times are read at every check)."""
    code = PACKAGE_ROOT / "kg"
    return (*_files(code, ".py"), *(f for part in DATASET_CODE for f in _files(code / part, ".py", recursive=True)))


def fingerprint(files: list[Path]) -> str:
    """A checksum of the files' names, sizes and modification times: cheap, and changes with them.

    CRC-32 rather than SHA-256: it only tells whether to look closer (:func:`content_hash`
    decides), and ``hashlib`` would load OpenSSL on every ``kg query``.
    """
    import zlib

    crc = zlib.crc32(FORMAT_VERSION.encode())
    for f in files:
        st = _stat(f)
        stamp = f"{st.st_size}\0{st.st_mtime_ns}" if st is not None and stat.S_ISREG(st.st_mode) else _kind(f, st)
        crc = zlib.crc32(f"{f}\0{stamp}\n".encode(), crc)
    return f"crc32:{crc:08x}:{len(files)}"


def _stat(path: Path) -> os.stat_result | None:
    """The file's status (symlinks followed), or None for a missing file or a symlink loop."""
    try:
        return path.stat()
    except OSError:
        return None


def _kind(path: Path, st: os.stat_result | None) -> str:
    """What an input is when it is not a regular file: it is never read here (a FIFO would hang
    the build, /dev/zero fill the memory); the curated-file checks report it at its name."""
    if st is None:
        return "missing or a symlink loop"
    return f"not a regular file ({stat.filemode(st.st_mode)[0]})"


# An input larger than this is not read to hash it: its name, size and time stand in (the
# curated-file checks refuse a data file over KG_MAX_FILE_MB before reading it, too).
HASH_LIMIT = 256_000_000


def content_hash(files: list[Path], project: Project) -> str:
    """A hash of the files' names (relative to the project) and contents: what names a build."""
    import hashlib

    h = hashlib.sha256(FORMAT_VERSION.encode())
    for f in files:
        name = project.relative(f) if f.is_relative_to(project.root) else f.name
        h.update(f"{name}\0".encode())
        st = _stat(f)
        if st is None or not stat.S_ISREG(st.st_mode):
            h.update(_kind(f, st).encode())
        elif st.st_size > HASH_LIMIT:
            h.update(f"{st.st_size}\0{st.st_mtime_ns}".encode())
        else:
            try:
                h.update(_digest(f, st.st_size, st.st_mtime_ns))
            except OSError as e:  # unreadable: reported by the checks that read it
                h.update(f"unreadable {e.errno}".encode())
    return h.hexdigest()


@functools.lru_cache(maxsize=1 << 14)
def _digest(path: Path, size: int, mtime_ns: int) -> bytes:
    """The SHA-256 of a file's content, read once per process for each size and modification
    time the file has had: the rule of this module, whose blind spot it shares."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).digest()


def current_path(project: Project) -> Path | None:
    """The folder ``build/CURRENT`` names, or None when there is none."""
    try:
        name = (project.build_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return project.build_dir / name if name else None


def intact(path: Path) -> bool:
    """A finished build: its store, its triples and its manifest are all there (a damaged
    folder, a store removed by hand, is built again rather than opened)."""
    return all((path / name).exists() for name in ("store/CURRENT", "kg.nq", "manifest.json"))


def build_is_fresh(project: Project, path: Path) -> bool:
    """True when the build in ``path`` is intact and was made from the inputs as they are now."""
    if not intact(path):
        return False
    files = input_files(project)
    stamp = fingerprint(files)
    try:
        if (path / FINGERPRINT_FILE).read_text(encoding="utf-8").strip() == stamp:
            return True
    except OSError:  # a build from before the file, or a damaged one: compare the content
        pass
    if content_hash(files, project) != _inputs_hash(path):
        return False
    from kg.files import write_atomic

    write_atomic(path / FINGERPRINT_FILE, stamp + "\n")  # same content, touched files: keep the new stat
    return True


def _inputs_hash(path: Path) -> str | None:
    import json

    try:
        return json.loads((path / "manifest.json").read_text(encoding="utf-8")).get("inputs_hash")
    except (OSError, ValueError, AttributeError):  # gone or damaged: build again
        return None


def fresh_build(project: Project) -> Path | None:
    """The current build's folder when it is fresh, else None (then build: see
    :func:`kg.build.dataset.ensure_built`)."""
    path = current_path(project)
    return path if path is not None and build_is_fresh(project, path) else None
