"""A new project folder: ``kg init DIR`` writes these files (the template beside this module).

:func:`init_project` writes ``kg.toml``, ``.gitignore``, ``data/`` (``sources.yaml``,
``entities/``, ``facts/`` and a short README for curators), ``queries/`` for the project's own
named questions and ``ontology/`` for its own terms; ``example=True`` adds the curated example
data kg comes with. It never overwrites a file, and refuses a folder that is not empty unless
``force=True`` (then it adds only the files that are missing).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "my-graph"
>>> init_project(folder)[:3]
['.gitignore', 'data/README.md', 'data/entities/']
>>> init_project(folder)
Traceback (most recent call last):
...
kg.errors.UserError: ...: not empty; kg init starts a project in a new or empty folder ...
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path, PurePosixPath

from kg.errors import Problem, UserError
from kg.files import write_atomic
from kg.project import packaged

# template file -> where it goes in the project (only those whose name differs)
_RENAMED = {"gitignore": ".gitignore"}
_FOLDERS = ("data/entities/", "data/facts/", "queries/", "ontology/")


def template_files() -> dict[PurePosixPath, bytes]:
    """The files of a new project, by their path in it."""
    root = resources.files(__name__)
    out: dict[PurePosixPath, bytes] = {}
    todo = [(root, PurePosixPath())]
    while todo:
        folder, rel = todo.pop()
        for item in folder.iterdir():
            if item.name.startswith(("__", ".")):
                continue
            if item.is_dir():
                todo.append((item, rel / item.name))
            else:
                out[rel / _RENAMED.get(item.name, item.name)] = item.read_bytes()
    return out


def example_files() -> dict[PurePosixPath, bytes]:
    """The curated example data kg comes with (its data/, with the full format guide)."""
    data = packaged("data")
    return {PurePosixPath("data") / p.relative_to(data).as_posix(): p.read_bytes()
            for p in sorted(data.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def init_project(folder: Path, *, example: bool = False, force: bool = False) -> list[str]:
    """Write a new project into ``folder``; return what was written (folders end with ``/``).

    Raises :class:`UserError` when ``folder`` is a file, or a folder that is not empty and
    ``force`` is not given. Existing files are never overwritten.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError([Problem(str(folder), 0, "is a file; kg init needs a folder")])
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UserError([Problem(str(folder), 0, "not empty; kg init starts a project in a new or empty "
                                                 "folder (--force adds only the missing files)")])
    files = template_files()
    if example:
        files.update(example_files())
    written: list[str] = []
    for sub in _FOLDERS:
        path = folder / sub
        if not path.is_dir():
            path.mkdir(parents=True, exist_ok=True)
            written.append(sub)
    for rel in sorted(files):
        path = folder / rel
        if path.exists() or path.is_symlink():
            continue
        write_atomic(path, files[rel])
        written.append(str(rel))
    return sorted(written)
