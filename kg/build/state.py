"""Which build is current, and whether it is fresh: the check every question makes first.

Kept apart from :mod:`kg.build.dataset` (the machinery that makes a build) and light on
imports, because ``kg query`` runs it on every call: reading ``build/CURRENT`` and the
manifest, and one ``stat`` per input file, cost about a millisecond. The inputs' content is
hashed only when a file's size or modification time changed since the build (a ``git
checkout`` touches files without changing them: the build is then still fresh).

>>> from kg.project import Project
>>> from kg.build.dataset import ensure_built
>>> project = Project.default()
>>> b = ensure_built(project)
>>> fresh_build(project) == b.path
True
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from kg.project import PACKAGE_ROOT, Project

FORMAT_VERSION = "2"  # bump when the layout of build/ changes
# The code whose change can change a dataset: a new page, question or command does not rebuild.
DATASET_CODE = ("curation", "model", "build", "store")


@dataclass(frozen=True)
class Build:
    """A finished build: its folder and what is in it."""

    path: Path
    quads: int
    inputs_hash: str
    rebuilt: bool

    @property
    def nquads(self) -> Path:
        return self.path / "kg.nq"

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    def locations(self) -> dict[str, str]:
        """IRI -> ``file:line`` where it was curated."""
        return json.loads((self.path / "locations.json").read_text(encoding="utf-8"))


def _files(folder: Path, suffix: str, *, recursive: bool = False) -> list[Path]:
    """The files named ``*suffix`` in ``folder`` (and below), in the order of ``sorted(folder.rglob(...))``.

    ``os.scandir`` and names sorted as text rather than ``glob`` and sorted paths: a pattern
    costs a compiled regular expression in every process, comparing paths costs more than
    comparing names, and this runs on every ``kg query``.
    """
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except FileNotFoundError:
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
    files += _files(project.ontology_dir, ".ttl")
    files += _files(project.queries_dir / "checks", ".rq")
    code = PACKAGE_ROOT / "kg"
    files += _files(code, ".py")
    for part in DATASET_CODE:
        files += _files(code / part, ".py", recursive=True)
    files += _files(project.seeds_dir, ".txt")
    return files


def fingerprint(files: list[Path]) -> str:
    """A checksum of the files' names, sizes and modification times: cheap, and changes with them.

    CRC-32 rather than SHA-256: it only tells whether to look closer (:func:`content_hash`
    decides), and ``hashlib`` would load OpenSSL on every ``kg query``.
    """
    import zlib

    crc = zlib.crc32(FORMAT_VERSION.encode())
    for f in files:
        st = f.stat()
        crc = zlib.crc32(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode(), crc)
    return f"crc32:{crc:08x}:{len(files)}"


def content_hash(files: list[Path], project: Project) -> str:
    """A hash of the files' names (relative to the project) and contents: what names a build."""
    import hashlib

    h = hashlib.sha256(FORMAT_VERSION.encode())
    for f in files:
        name = project.relative(f) if f.is_relative_to(project.root) else f.name
        h.update(f"{name}\0".encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _manifest(project: Project) -> tuple[Path, dict] | None:
    pointer = project.build_dir / "CURRENT"
    try:
        path = project.build_dir / pointer.read_text(encoding="utf-8").strip()
        return path, json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or damaged: build again
        return None


def current(project: Project) -> Build | None:
    """The build ``build/CURRENT`` points to, or None when there is none."""
    found = _manifest(project)
    if found is None:
        return None
    path, manifest = found
    return Build(path, manifest["quads"], manifest["inputs_hash"], rebuilt=False)


def is_fresh(project: Project, build_: Build | None = None) -> bool:
    """True when the current build (or ``build_``) was made from the inputs as they are now."""
    path = build_.path if build_ is not None else None
    if path is None:
        found = _manifest(project)
        if found is None:
            return False
        path = found[0]
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # gone or damaged: build again
        return False
    return _fresh(project, path, manifest)


def _fresh(project: Project, path: Path, manifest: dict) -> bool:
    files = input_files(project)
    stamp = fingerprint(files)
    if manifest.get("fingerprint") == stamp:
        return True
    if content_hash(files, project) != manifest.get("inputs_hash"):
        return False
    from kg.files import write_atomic

    manifest["fingerprint"] = stamp  # same content, touched files: remember the new stat
    write_atomic(path / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    return True


def fresh_build(project: Project) -> Path | None:
    """The current build's folder when it is fresh, else None (then build, see
    :func:`kg.build.dataset.ensure_built`). Reads the manifest once."""
    found = _manifest(project)
    if found is None:
        return None
    path, manifest = found
    return path if _fresh(project, path, manifest) else None
