"""Registering a new source document: ``kg source add`` and ``kg source show``.

Adding a source reads the document (.txt, .html or .pdf), keeps its numbered paragraphs in
the project's archive folder (never committed), writes its fingerprint to
``data/sources/ID.yaml`` and appends its entry to ``data/sources.yaml`` with the url, the
accessed date and what the document says of itself. Everything is checked before anything is
written, so a refused document leaves the project as it was.

>>> import tempfile, pathlib, shutil
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "data").mkdir(); _ = (root / "data" / "sources.yaml").write_text("sources:\\n")
>>> doc = root / "page.txt"; _ = doc.write_text("A title line\\n\\nA second paragraph.\\n")
>>> from kg.project import Project
>>> added = add_source(Project(root), doc, source_id="page-2024", title="A page", accessed="2024-05-01")
>>> added.paragraphs, (root / "archive" / "page-2024.txt").read_text().splitlines()[1]
(2, 'A second paragraph.')
>>> shutil.rmtree(root)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kg.curation.archive import (
    FINGERPRINT_DIR,
    Document,
    find_text,
    fingerprint_of,
    fingerprint_path,
    read_document,
    read_fingerprint,
    read_text,
    today,
)
from kg.curation.records import ID_RE, SOURCE_KINDS, URL_RE, check_date
from kg.errors import Problem, UserError
from kg.files import write_atomic
from kg.project import Project


@dataclass
class AddedSource:
    """What ``add_source`` wrote."""

    id: str
    paragraphs: int
    text: Path
    fingerprint: Path
    registry: Path


def _language(paras: list[str]) -> str:
    """``zh`` when most letters are Chinese characters, else ``en``."""
    text = "".join(paras)
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    letters = sum(1 for c in text if c.isalpha())
    return "zh" if letters and han / letters > 0.3 else "en"


def _registered_ids(registry: Path) -> set[str]:
    from kg.curation.yamlio import Map, read_yaml

    doc, _ = read_yaml(registry, "data/sources.yaml")
    items = doc.get("sources") if isinstance(doc, Map) else None
    return {str(s.get("id")) for s in items or [] if isinstance(s, Map)}


def _entry(source_id: str, doc: Document, *, title: str, language: str, kind: str, url: str | None,
           accessed: str, publisher: str | None) -> str:
    def q(value: str) -> str:  # a JSON string is a YAML double-quoted scalar
        return json.dumps(value, ensure_ascii=False)

    lines = [f"  - id: {source_id}", f"    file: {source_id}.txt", f"    title: {{{language}: {q(title)}}}"]
    if url:
        lines.append(f"    url: {q(url)}")
    lines.append(f'    accessed: "{accessed}"')
    if publisher:
        lines.append(f"    publisher: {q(publisher)}")
    if doc.author:
        lines.append(f"    author: {q(doc.author)}")
    lines += [f"    language: {language}", f"    kind: {kind}"]
    return "\n".join(lines) + "\n"


def add_source(project: Project, path: Path, *, source_id: str, url: str | None = None, title: str | None = None,
               kind: str = "web-page", language: str | None = None, publisher: str | None = None,
               accessed: str | None = None) -> AddedSource:
    """Read ``path``, archive its paragraphs, fingerprint them and register the source."""
    problems = []
    if not ID_RE.match(source_id):
        problems.append(f"--id {source_id!r}: an id is lower-case letters, digits and single hyphens")
    if kind not in SOURCE_KINDS:
        problems.append(f"--kind {kind!r}: expected one of {', '.join(SOURCE_KINDS)}")
    if url is not None and not URL_RE.match(url):
        problems.append(f"--url {url!r} is not an http(s) address")
    if language is not None and language not in ("en", "zh"):
        problems.append(f"--language {language!r}: expected en or zh")
    accessed = accessed or today()
    if check_date(accessed):
        problems.append(f"--accessed: {check_date(accessed)}")
    registry = project.data_dir / "sources.yaml"
    if not registry.is_file():
        problems.append(f"{project.relative(registry)}: not found; is {project.root} a kg project?")
    elif source_id in _registered_ids(registry):
        problems.append(f"--id {source_id!r} is already a registered source (data/sources.yaml)")
    if problems:
        raise UserError([Problem("kg", 0, m) for m in problems])
    doc = read_document(path)
    fingerprint = fingerprint_of(source_id, doc.paragraphs)
    for other in sorted((project.data_dir / FINGERPRINT_DIR).glob("*.yaml")):
        known, _ = read_fingerprint(other, project.relative(other))
        if known is not None and known.hashes == fingerprint.hashes:
            raise UserError(f"{path}: this text is already registered as source {known.source!r}")
    title = title or doc.title
    if not title:
        raise UserError(f"{path}: the document names no title; give one with --title")
    archive = project.archive_dir
    text_path = archive / f"{source_id}.txt"
    fp_path = fingerprint_path(project.data_dir, source_id)
    for out in (text_path, fp_path):
        if out.exists() or out.is_symlink():
            raise UserError(f"{out}: already exists; remove it or choose another --id")
    entry = _entry(source_id, doc, title=title, language=language or _language(doc.paragraphs), kind=kind,
                   url=url or doc.url, accessed=accessed, publisher=publisher)
    old = registry.read_text(encoding="utf-8")
    archive.mkdir(parents=True, exist_ok=True)
    fp_path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(text_path, "\n".join(doc.paragraphs) + "\n")
    write_atomic(fp_path, fingerprint.text())
    write_atomic(registry, old + ("" if old.endswith("\n") or not old else "\n") + "\n" + entry)
    return AddedSource(source_id, len(doc.paragraphs), text_path, fp_path, registry)


def source_paragraphs(project: Project, source_id: str) -> list[str]:
    """The numbered paragraphs of a registered source whose text is at hand."""
    from kg.curation.reader import load_curation

    cur, _ = load_curation(project)
    src = cur.sources.get(source_id)
    if src is None:
        raise UserError(f"unknown source {source_id!r}; the sources are: {', '.join(sorted(cur.sources))}")
    if src.file is None:
        raise UserError(f"source {source_id!r} has no text file (its locators are free text)")
    path = find_text(project.text_folders(), src.file)
    if path is None:
        raise UserError(f"source {source_id!r}: its text {src.file!r} is not in "
                        + " or ".join(str(f) for f in project.text_folders()))
    return read_text(path)
