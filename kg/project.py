"""Where a project's files live, and where kg's own ontology, shapes and named questions are.

A project is a folder with a ``kg.toml`` (``kg init`` makes one) or a ``data/sources.yaml``: its
curated ``data/``, its own named questions in ``queries/``, an optional ontology extension in
``ontology/*.ttl`` and its ``build/``. kg's own ontology, shapes and named questions ship inside
the package (:func:`packaged`); a project adds to them and never replaces them.

The project used is the one given (``--project`` or ``KG_PROJECT``), else the current folder or
the nearest folder above it that is a project; anywhere else is an error that suggests
``kg init``, never another project's data.

>>> p = Project.default()
>>> p.data_dir.name, p.ontology_file.name, p.ontology_file.parent == packaged("ontology")
('data', 'kg.ttl', True)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Problem, UserError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # the folder holding the kg package
CONFIG_FILE = "kg.toml"  # marks a project folder; its [store] table names a remote endpoint


def packaged(name: str) -> Path:
    """kg's own ``ontology`` or ``queries`` folder, or its example ``data`` (``kg init --from-example``).

    An installed wheel carries them as package data in ``kg/_packaged/``; run from a checkout
    (or an editable install), they are the checkout's top-level folders, the files that are edited.

    >>> (packaged("ontology") / "kg.ttl").is_file(), (packaged("queries") / "checks").is_dir()
    (True, True)
    """
    # beside this module, as a wheel installs it (a file path, not importlib.resources: that costs
    # 7 ms of imports on every `kg query`, and kg is never imported from a zip)
    inside = Path(__file__).resolve().parent / "_packaged" / name
    return inside if inside.is_dir() else PACKAGE_ROOT / name


def is_project(folder: Path) -> bool:
    """A folder with a ``kg.toml`` or a ``data/sources.yaml`` is a project."""
    return (folder / CONFIG_FILE).is_file() or (folder / "data" / "sources.yaml").is_file()


def not_a_project(folder: Path) -> UserError:
    """The error for a folder that is not a project: it says how to start one."""
    return UserError([Problem(str(folder), 0, f"not a kg project (no {CONFIG_FILE} or data/sources.yaml here); "
                                              f"start one with `kg init {_shell_path(folder)}`, "
                                              "or name one with --project DIR")])


def _shell_path(folder: Path) -> str:
    try:
        rel = folder.resolve().relative_to(Path.cwd().resolve())
        return str(rel) if str(rel) != "." else "."
    except ValueError:
        return str(folder)


@dataclass(frozen=True)
class Project:
    """The folders of one project; every path is absolute. ``endpoint``, when set, is a remote
    SPARQL endpoint that questions go to instead of the embedded store (see kg.store.embedded)."""

    root: Path
    endpoint: str | None = None
    build_root: Path | None = None  # where builds go, when not build/ or KG_BUILD (kg diff's checkouts)
    # where kg's own ontology/ and queries/ are read from instead of the installed ones (kg diff,
    # building a git revision of kg's own checkout with that revision's ontology)
    kg_root: Path | None = None
    # insist on a build of the data as it is now: no answering from the last good build (--fresh)
    fresh: bool = False

    @classmethod
    def default(cls) -> Project:
        """The project named by ``KG_PROJECT``, else :meth:`find` from the current folder."""
        env = os.environ.get("KG_PROJECT")
        return cls.at(Path(env)) if env else cls.find(Path.cwd())

    @classmethod
    def at(cls, folder: Path) -> Project:
        """The project in ``folder``; raises :class:`UserError` when it is not one."""
        folder = folder.resolve()
        if not is_project(folder):
            raise not_a_project(folder)
        return cls(folder)

    @classmethod
    def find(cls, start: Path) -> Project:
        """``start`` when it is a project, else the nearest folder above it that is one; raises
        :class:`UserError` suggesting ``kg init`` otherwise."""
        start = start.resolve()
        for folder in (start, *start.parents):
            if is_project(folder):
                return cls(folder)
        raise not_a_project(start)

    def kg_dir(self, name: str) -> Path:
        """kg's own ``ontology`` or ``queries`` folder for this project: :func:`packaged`, unless
        ``kg_root`` names another."""
        return self.kg_root / name if self.kg_root is not None else packaged(name)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def ontology_dir(self) -> Path:
        """The project's ontology extension folder (``ontology/*.ttl``)."""
        return self.root / "ontology"

    @property
    def ontology_file(self) -> Path:
        """kg's own ontology (packaged)."""
        return self.kg_dir("ontology") / "kg.ttl"

    @property
    def shapes_file(self) -> Path:
        """kg's own SHACL shapes (packaged)."""
        return self.kg_dir("ontology") / "shapes.ttl"

    def ontology_extensions(self) -> list[Path]:
        """The project's own ontology files: ``ontology/*.ttl``, less any that is kg's own file
        (a checkout's ontology/ is kg's, and a copy of a packaged file adds nothing)."""
        return _own_files(self.ontology_dir, self.kg_dir("ontology"), ".ttl")

    @property
    def queries_dir(self) -> Path:
        """The project's own named questions (``queries/NN-slug.rq``)."""
        return self.root / "queries"

    def query_dirs(self) -> list[Path]:
        """Where named questions are read from: kg's own, then the project's (when another folder)."""
        own, mine = self.kg_dir("queries"), self.queries_dir
        return [own] if _same(own, mine) or not mine.is_dir() else [own, mine]

    def check_files(self) -> list[Path]:
        """The build checks (``*-violation.rq``): kg's own, then the project's ``queries/checks/``."""
        own = self.kg_dir("queries") / "checks"
        return _named(own, ".rq") + _own_files(self.queries_dir / "checks", own, ".rq")

    @property
    def build_dir(self) -> Path:
        if self.build_root is not None:
            return self.build_root
        return Path(os.environ.get("KG_BUILD", self.root / "build"))

    @property
    def seeds_dir(self) -> Path:
        """Where source texts are read from: ``KG_SEEDS``, else ``../shared/seeds``."""
        env = os.environ.get("KG_SEEDS")
        return Path(env) if env else self.root.parent / "shared" / "seeds"

    @property
    def archive_dir(self) -> Path:
        """Where the texts of added sources are kept (git-ignored, never committed):
        ``KG_ARCHIVE``, else ``archive = "..."`` in kg.toml, else ``archive/``."""
        env = os.environ.get("KG_ARCHIVE")
        if env:
            return Path(env).resolve()
        config = self.root / "kg.toml"
        if config.is_file():
            import tomllib

            try:
                folder = tomllib.loads(config.read_text(encoding="utf-8")).get("archive")
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                folder = None  # reported where kg.toml is read for its settings
            if isinstance(folder, str) and folder:
                return (self.root / folder).resolve()
        return self.root / "archive"

    def text_folders(self) -> list[Path]:
        """Where a source's ``file`` is looked for: the archive, then the seeds."""
        return [self.archive_dir, self.seeds_dir]

    def curated_files(self) -> list[Path]:
        """Every YAML file under data/ but the drafts, in a fixed order: those the build reads,
        and those it reports as never read (so that adding one makes the next build look)."""
        data = self.data_dir
        found = []
        for folder, subfolders, names in os.walk(data):  # os.walk, not rglob: this runs on every query
            if folder == str(data):
                subfolders[:] = [s for s in subfolders if s != "drafts"]
            found += [Path(folder, n) for n in names if n.lower().endswith((".yaml", ".yml"))]
            found += [Path(folder, s) for s in subfolders if s.lower().endswith((".yaml", ".yml"))]  # reported
        return sorted(found, key=_parts)  # the order of sorted(paths), without comparing Path objects

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root when it lies inside, for messages."""
        try:
            full = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: name the link itself
            full = Path(os.path.abspath(path))
        try:
            return str(full.relative_to(self.root))
        except ValueError:
            try:  # a link inside the project to a file outside: named where it is written
                return str(Path(os.path.abspath(path)).relative_to(self.root))
            except ValueError:
                return str(path)


def _parts(path: Path) -> tuple[str, ...]:
    """What ``sorted`` compares two POSIX paths by (their parts), as a plain tuple: cheaper to sort."""
    return tuple(str(path).split(os.sep))


def _same(a: Path, b: Path) -> bool:
    """The same folder or file, however named (symlinks, ``..``): compared by device and inode.

    One ``stat`` each, where comparing resolved paths walks every component; this runs
    on every ``kg query``.

    >>> _same(PACKAGE_ROOT / "kg", PACKAGE_ROOT / "kg" / ".." / "kg"), _same(PACKAGE_ROOT, PACKAGE_ROOT / "kg")
    (True, False)
    """
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them is missing
        return False


def _named(folder: Path, suffix: str) -> list[Path]:
    """The entries of ``folder`` whose names end with ``suffix``, sorted by name (what
    ``sorted(folder.glob("*" + suffix))`` gives, hidden names included); empty when ``folder``
    is not a folder.

    ``os.scandir`` rather than ``glob``: a pattern costs a compiled regular expression in every
    process, and this runs on every ``kg query``.

    >>> [p.name for p in _named(packaged("queries"), ".rq")][:1]
    ['01-partners-of-organization.rq']
    """
    try:
        with os.scandir(folder) as listing:
            names = sorted(e.name for e in listing if e.name.endswith(suffix))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names]


def _own_files(folder: Path, packaged_folder: Path, suffix: str) -> list[Path]:
    """The files of ``folder`` named ``*suffix``, less byte-identical copies of kg's own."""
    if not folder.is_dir() or _same(folder, packaged_folder):
        return []
    own = []
    for path in _named(folder, suffix):
        twin = packaged_folder / path.name
        if not (twin.is_file() and twin.read_bytes() == path.read_bytes()):
            own.append(path)
    return own
