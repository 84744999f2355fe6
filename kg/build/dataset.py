"""data/ + ontology/ -> a validated dataset under build/, rebuilt only when an input changed.

A build writes, into a fresh folder ``build/dataset-<hash>/``:

- ``kg.nq``: every quad, sorted, as N-Quads: the same inputs give byte-identical output;
- ``store/``: the same quads in an on-disk Oxigraph store, opened read-only by queries;
- ``manifest.json``: the inputs' hash and counts; ``locations.json``: IRI -> file:line;
- ``labels.json``: every entity's names, for answers that name thousands of entities;
- ``fingerprint``: the inputs' sizes and times, to tell cheaply that the build is fresh
  (:mod:`kg.build.state`).

Only then does ``build/CURRENT`` (renamed into place, so atomically) point to it: a failed or
interrupted build leaves the previous one in use, and nothing half-written. The build before
the current one is kept, so that a process still reading it is not cut off; older ones go.

>>> from kg.project import Project
>>> result = build(Project.default())
>>> result.quads > 1000
True
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg import progress
from kg.build.gc_pause import paused_gc
from kg.build.state import (
    FINGERPRINT_FILE,
    FORMAT_VERSION,
    build_is_fresh,
    content_hash,
    current_path,
    fingerprint,
    input_files,
    intact,
)
from kg.errors import UserError
from kg.files import write_atomic
from kg.project import Project

if TYPE_CHECKING:
    import pyoxigraph as ox

    from kg.errors import Problem

__all__ = ["Build", "build", "current", "ensure_built", "input_files", "is_fresh"]

_SLICE = 250_000  # quads handed to the store's bulk loader at a time


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


def current(project: Project) -> Build | None:
    """The build ``build/CURRENT`` points to, or None when there is none."""
    path = current_path(project)
    if path is None:
        return None
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return Build(path, manifest["quads"], manifest["inputs_hash"], rebuilt=False)


def is_fresh(project: Project, build_: Build | None = None) -> bool:
    """True when the current build (or ``build_``) was made from the inputs as they are now."""
    b = build_ or current(project)
    return b is not None and build_is_fresh(project, b.path)


def ensure_built(project: Project) -> Build:
    """The current build, made first if it is missing or stale."""
    b = current(project)
    if b is not None and is_fresh(project, b):
        return b
    return build(project)


def build(project: Project, *, force: bool = False) -> Build:
    """Check data/ and build the dataset; raises :class:`UserError` listing every problem.

    One build of a project at a time: a second waits for the first (and says so), then finds
    the build fresh or makes its own. Holding the lock, it removes what dead builds left behind.
    """
    b = current(project)
    if b is not None and not force and is_fresh(project, b):
        return b
    with _build_lock(project):
        b = current(project)
        if b is not None and not force and is_fresh(project, b):
            return b  # another build made it while this one waited
        # the collector paused: millions of small objects, it would cost 3-4 s at 1M
        with paused_gc(), progress.work():
            try:
                return _build(project)
            except OSError as e:  # a full disk, a read-only folder: the previous build stays in use
                raise UserError(f"{project.relative(project.build_dir)}: cannot write the build "
                                f"({e.strerror or e}); the previous build, if any, stays in use") from None


LOCK_FILE = ".lock"  # in build/: held by the build in progress


@contextmanager
def _build_lock(project: Project) -> Iterator[None]:
    """Hold ``build/.lock`` (waiting for another build that holds it); remove dead builds' leftovers."""
    import fcntl

    root = project.build_dir
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / LOCK_FILE, "a+b")  # noqa: SIM115 - held for the whole build
    except OSError as e:
        raise UserError(f"{root}: cannot make the build folder ({e.strerror or e})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"kg: waiting for another build of {project.relative(project.root) or '.'} to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        for leftover in root.glob(".tmp-dataset-*"):  # no build is running but this one
            shutil.rmtree(leftover, ignore_errors=True)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(project: Project) -> Build:
    from kg.build.triples import dataset_quads, serialize_nquads
    from kg.build.validate import rdf_problems
    from kg.curation.reader import load_curation

    files = input_files(project)
    progress.stage("reading data/")
    inputs_hash = content_hash(files, project)
    cur, problems = load_curation(project)
    if problems:
        raise UserError(problems)
    locations: dict = {}
    progress.stage("making triples")
    quads = dataset_quads(cur, locations)
    return _write(project, quads, locations, inputs_hash, fingerprint(files), serialize_nquads,
                  rdf_problems)


def _load_and_check(folder: Path, quads: list[ox.Quad], check: Callable[[ox.Store], list[Problem]]) -> list[Problem]:
    """Load ``quads`` (the content of ``folder/kg.nq``) into ``folder/store`` with the merged
    default graph, and check it.

    The store is closed when this returns (its lock released), whatever the checks found.
    """
    import pyoxigraph as ox

    from kg.store.embedded import write_label_index

    store = ox.Store(str(folder / "store"))
    # From the quads in hand rather than parsing kg.nq again (faster), in slices: the bulk loader
    # holds what it is given in memory, 0.8 GB at 1M quads in one call, 0.1 GB in slices.
    progress.stage("loading the store (quads)", total=len(quads))
    for i in range(0, len(quads), _SLICE):
        store.bulk_extend(quads[i:i + _SLICE])
        # the default graph is the merge of the named graphs; the store keeps each triple once
        store.bulk_extend([ox.Quad(q.subject, q.predicate, q.object) for q in quads[i:i + _SLICE]])
        progress.advance(len(quads[i:i + _SLICE]))
    progress.stage("optimizing the store")
    store.optimize()  # merge the slices' files: whole-graph scans are 2x slower without it
    store.flush()
    progress.stage("indexing names")
    write_label_index(store, folder / "labels.json")
    return check(store)


def _write(project: Project, quads: list[ox.Quad], locations: dict, inputs_hash: str, stamp: str,
           serialize: Callable[[list[ox.Quad]], bytes], check: Callable[..., list[Problem]]) -> Build:
    """Write the build into a temporary folder, load and check its store, then put it in place.

    The SHACL shapes and violation queries run on the very store the build writes, so a large
    dataset is loaded once, not also into memory; when they find problems, nothing is kept.
    """
    root = project.build_dir
    root.mkdir(parents=True, exist_ok=True)
    name = f"dataset-{inputs_hash[:16]}"
    tmp = root / f".tmp-{name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        progress.stage("writing kg.nq")
        text = serialize(quads)
        (tmp / "kg.nq").write_bytes(text)
        count = text.count(b"\n")  # distinct quads: the same fact stated twice is one quad
        del text  # 0.2 GB at 1M quads, not needed while the store loads
        problems = _load_and_check(tmp, quads, lambda store: check(project, quads, locations, store=store))
        if problems:
            raise UserError(problems)
        where = {iri: f"{w.file}:{w.line}" for iri, w in sorted(locations.items())}
        (tmp / "locations.json").write_text(json.dumps(where, indent=0, ensure_ascii=False),
                                            encoding="utf-8")
        manifest = {"format": FORMAT_VERSION, "inputs_hash": inputs_hash, "quads": count}
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True),
                                           encoding="utf-8")
        (tmp / FINGERPRINT_FILE).write_text(stamp + "\n", encoding="utf-8")
        final = root / name
        if intact(final):  # a finished build of the very same inputs: keep it
            shutil.rmtree(tmp)
        else:  # none, or a damaged one
            shutil.rmtree(final, ignore_errors=True)
            tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    previous = current(project)
    write_atomic(root / "CURRENT", name + "\n")
    # Keep the previous build too: a process that opened it (a notebook, a server) keeps working.
    keep = {name, previous.path.name if previous else ""}
    for old in root.glob("dataset-*"):
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    return Build(final, count, inputs_hash, rebuilt=True)
