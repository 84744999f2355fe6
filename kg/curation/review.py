"""Accepting reviewed draft candidates: from data/drafts/ID.yaml into data/facts/ and data/entities/.

A curator reviews a candidate of ``kg draft`` by editing it, in place, into a fact as
data/README.md describes (``at`` and the keys of one form) or into an entity (``id``, ``type``,
``name``; its ``at`` becomes its ``seen`` citation), and by setting ``review: accepted``;
``review: rejected`` marks one to drop. :func:`accept` then moves every accepted candidate into
``data/facts/ID.yaml`` (facts) or an entities file (entities), drops the rejected ones, and
shrinks the draft, removing it once it holds no candidate.

The candidate's own lines move, comments and all, less the draft's keys (``review``, ``kind``,
``words``). Nothing is written unless the data, with the candidates in it, reads without a
problem: each problem of a moved candidate is reported at its line in the draft, all at once.
Every file is written through a temporary file and renamed into place, after all are ready.

>>> block = ["  - review: accepted", "    kind: figure", "    at: p2", "    words: '100个'", "    target: 100"]
>>> [text for text, _ in _reshape(block, first_line=1, indent=2, drop=DRAFT_KEYS, seen=None)]
['  - at: p2', '    target: 100']
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kg.curation.draft import drafts_dir, pending
from kg.curation.records import DRAFTS_DIR
from kg.curation.yamlio import Map, Seq, read_yaml
from kg.errors import Problem, UserError
from kg.project import Project

DRAFT_KEYS = ("review", "kind", "words")  # what a draft adds to a candidate, dropped when it moves
# ... except an amount's ``kind``, which is the fact's (planned, committed, disbursed): an amount
# candidate has no draft kind of its own, its ``amount`` key says what it is
AMOUNT_DRAFT_KEYS = ("review", "words")
_KEY = re.compile(r"^(\s*)(?:-\s+)?([A-Za-z_][\w-]*)\s*:(?:\s|$)")


@dataclass
class Accepted:
    """What :func:`accept` did: per draft, the facts and entities moved and the candidates dropped."""

    facts: dict[str, int] = field(default_factory=dict)  # target file -> facts appended
    entities: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    removed: list[str] = field(default_factory=list)  # drafts removed, now empty
    left: dict[str, int] = field(default_factory=dict)  # drafts that still hold candidates -> how many


@dataclass(frozen=True)
class _Staged(Project):
    """A copy of the project's data/ in a temporary folder, checked with the project's texts."""

    folders: tuple[Path, ...] = ()

    def text_folders(self) -> list[Path]:
        return list(self.folders)


def _reshape(block: list[str], *, first_line: int, indent: int, drop: tuple[str, ...],
             seen: str | None) -> list[tuple[str, int]]:
    """A candidate's lines as a list item at ``indent``, less the keys ``drop``; with ``seen``, its
    ``at`` line becomes ``seen: [seen]``. Each line comes with its line number in the draft."""
    head = re.match(r"^(\s*)-(\s+)", block[0])
    assert head is not None  # the caller passes a block-style item
    dash, content = len(head[1]), len(head[0])
    lines = [" " * content + block[0][content:]] + block[1:]
    keys: list[tuple[str | None, list[tuple[str, int]]]] = []
    for n, text in enumerate(lines, first_line):
        m = _KEY.match(text)
        if m and len(m[1]) == content:
            keys.append((m[2], [(text, n)]))
        elif text.lstrip().startswith("#"):  # a comment stays, whatever key it follows
            keys.append((None, [(text, n)]))
        elif keys:
            keys[-1][1].append((text, n))
        else:
            keys.append((None, [(text, n)]))
    out: list[tuple[str, int]] = []
    cited: list[tuple[str, int]] = []
    if seen is not None:  # an entity: its id first, its citation last, as data/entities/ writes them
        keys.sort(key=lambda kv: kv[0] != "id")
    for key, part in keys:
        if key in drop:
            continue
        if key == "at" and seen is not None:
            cited = [(" " * content + f"seen: [{seen}]", part[0][1])]
            continue
        out += part
    out += cited
    if not out:
        return []
    shift = indent - dash
    first, n = out[0]
    out[0] = (" " * dash + "-" + " " * (content - dash - 1) + first[content:], n)
    return [((" " * shift + t) if shift >= 0 else t[-shift:] if t[:-shift].strip() == "" else t.lstrip(), n)
            for t, n in out]


def _blocks(text: str, items: list[Map]) -> list[tuple[int, int]]:
    """Each item's lines (first, last; 1-based), trailing blank and comment lines left out."""
    lines = text.splitlines()
    starts = [item.line for item in items]
    out = []
    for i, start in enumerate(starts):
        end = (starts[i + 1] - 1) if i + 1 < len(starts) else len(lines)
        while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        out.append((start, end))
    return out


def accept(project: Project, source_id: str | None = None, *, entities_file: str = "organizations.yaml") -> Accepted:
    """Move the candidates marked ``review: accepted`` into data/, drop those marked ``rejected``.

    ``source_id`` limits it to that source's draft; entities go to ``data/entities/<entities_file>``.
    Raises :class:`UserError` with every problem (``file:line``) and writes nothing when any
    accepted candidate cannot enter the data as it stands.
    """
    from kg.curation.reader import load_curation
    from kg.model.ontology import load_project_ontology

    _, problems = pending(project)
    if problems:
        raise UserError(problems)
    folder = drafts_dir(project.data_dir)
    drafts = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if source_id is not None:
        drafts = [d for d in drafts if d.stem == source_id]
        if not drafts:
            raise UserError(f"no draft of {source_id} in {project.relative(folder)}/")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*\.yaml", entities_file):
        raise UserError(f"--entities names a file in data/entities/, such as organizations.yaml, not {entities_file!r}")

    writes: dict[Path, str | None] = {}  # path -> new text, or None to remove it
    origin: dict[tuple[Path, int], tuple[str, int]] = {}  # (target, line) -> (draft file, line)
    result = Accepted()
    moved: list[Problem] = []
    for path in drafts:
        file = project.relative(path)
        text = path.read_text(encoding="utf-8")
        doc, _ = read_yaml(path, file)
        assert isinstance(doc, Map)  # pending() found no problem in it
        source = str(doc.get("source", path.stem))
        items = [c for c in (doc.get("candidates") or Seq()) if isinstance(c, Map)]
        lines = text.splitlines()
        keep = set(range(1, len(lines) + 1))
        for item, (start, end) in zip(items, _blocks(text, items), strict=True):
            decision = str(item.get("review", ""))
            if decision == "needed":
                continue
            keep -= set(range(start, end + 1))
            if decision == "rejected":
                result.rejected += 1
                continue
            if not re.match(r"^\s*-\s+[A-Za-z_]", lines[start - 1]):
                moved.append(Problem(file, start, "an accepted candidate is written in block style "
                                                  "(one key a line), as kg draft writes it"))
                continue
            entity = "id" in item
            target = project.data_dir / ("entities" if entity else "facts") / \
                (entities_file if entity else f"{source}.yaml")
            at = str(item.get("at", "")) if entity and "at" in item and "seen" not in item else None
            block = _reshape(lines[start - 1:end], first_line=start, indent=0 if entity else 2,
                             drop=AMOUNT_DRAFT_KEYS if "amount" in item else DRAFT_KEYS,
                             seen=f"{source}:{at}" if at else None)
            current = writes.get(target)
            if current is None:
                current = target.read_text(encoding="utf-8") if target.is_file() else \
                    (f"source: {source}\nfacts:\n" if not entity else "")
            if current and not current.endswith("\n"):
                current += "\n"
            if entity and current:
                current += "\n"
            base = current.count("\n")
            for k, (_, n) in enumerate(block, 1):
                origin[(target, base + k)] = (file, n)
            writes[target] = current + "".join(t + "\n" for t, _ in block)
            counts = result.entities if entity else result.facts
            name = project.relative(target)
            counts[name] = counts.get(name, 0) + 1
        if len(keep) == len(lines):
            continue  # nothing decided in this draft
        left = sum(1 for c in items if str(c.get("review", "")) == "needed")
        if left:
            writes[path] = "".join(line + "\n" for n, line in enumerate(lines, 1) if n in keep)
            result.left[file] = left
        else:
            writes[path] = None
            result.removed.append(file)
    if moved:
        raise UserError(moved)
    if not writes:
        return result

    with tempfile.TemporaryDirectory(prefix="kg-review-") as tmp:
        staged = _Staged(Path(tmp), kg_root=project.kg_root, folders=tuple(project.text_folders()))
        shutil.copytree(project.data_dir, staged.data_dir, ignore=shutil.ignore_patterns(DRAFTS_DIR))
        for target, new in writes.items():
            if target.parent == folder:
                continue
            where = staged.data_dir / target.relative_to(project.data_dir)
            where.parent.mkdir(parents=True, exist_ok=True)
            where.write_text(new or "", encoding="utf-8")
        _, found = load_curation(staged, load_project_ontology(project))
    if found:
        by_name = {project.relative(t): t for t, _ in origin}
        out = []
        for p in found:
            moved_to = by_name.get(p.file)
            if moved_to is not None and (moved_to, p.line) in origin:
                out.append(Problem(*origin[(moved_to, p.line)], p.message))
            else:
                out.append(p)
        raise UserError(out)
    _replace_all(writes)
    return result


def _replace_all(writes: dict[Path, str | None]) -> None:
    """Write every file to a temporary file beside it, then rename them all into place (and remove
    those to remove): a failure while writing leaves every file as it was."""
    ready: list[tuple[str, Path]] = []
    try:
        for path, text in writes.items():
            if text is None:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            ready.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            os.chmod(tmp, 0o644)
    except OSError as e:
        for tmp, _ in ready:
            Path(tmp).unlink(missing_ok=True)
        raise UserError(f"cannot write ({e.strerror or e}); nothing was changed") from None
    for tmp, path in ready:
        os.replace(tmp, path)
    for path, text in writes.items():
        if text is None:
            path.unlink(missing_ok=True)
