"""Where a project's files live: data/, ontology/, queries/, build/ and the source texts.

The project is the folder given (``--project`` or ``KG_PROJECT``), else the current folder
when it has a ``data/`` folder, else the checkout this package was installed from.

>>> p = Project.default()
>>> p.data_dir.name, p.ontology_file.name
('data', 'kg.ttl')
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """The folders of one project; every path is absolute. ``endpoint``, when set, is a remote
    SPARQL endpoint that questions go to instead of the embedded store (see kg.store.embedded)."""

    root: Path
    endpoint: str | None = None
    build_root: Path | None = None  # where builds go, when not build/ or KG_BUILD (kg diff's checkouts)

    @classmethod
    def default(cls) -> Project:
        """The project named by ``KG_PROJECT``, the current folder, or this checkout."""
        env = os.environ.get("KG_PROJECT")
        if env:
            return cls(Path(env).resolve())
        cwd = Path.cwd()
        if (cwd / "data").is_dir() and (cwd / "ontology").is_dir():
            return cls(cwd.resolve())
        return cls(PACKAGE_ROOT)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def ontology_file(self) -> Path:
        return self.ontology_dir / "kg.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

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
        return sorted(found)

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root when it lies inside, for messages."""
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)
