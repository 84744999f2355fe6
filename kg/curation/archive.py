"""Source texts: read a document, cut it into numbered paragraphs, archive it, fingerprint it.

A paragraph is a non-empty line, counted from 1 (the seeds' rule, ``../shared/seeds/README.md``),
with its spaces normalised (Unicode NFC, runs of white space as one space, trimmed). The text
of a document is never committed: it is kept in the project's archive folder (git-ignored),
and ``data/sources/ID.yaml`` records its paragraph count and one SHA-256 per paragraph, so that
locators are checked by count even where the text is not at hand, and a changed text is found
where it is.

>>> paragraphs("  first   line \\n\\n second\\tline\\n")
['first line', 'second line']
>>> digest("first line")[:12]
'1de24ae78ad0'
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kg.errors import Problem, UserError

MAX_SOURCE_MB = 20  # a source document larger than this is refused (a book belongs in parts)
SUFFIXES = (".txt", ".html", ".htm", ".pdf")
FINGERPRINT_DIR = "sources"  # under data/
_SPACE = re.compile(r"\s+")
_HEX = re.compile(r"^[0-9a-f]{64}$")


def paragraphs(text: str) -> list[str]:
    """The numbered paragraphs of a text: its non-empty lines, spaces normalised."""
    out = []
    for line in text.splitlines():
        para = _SPACE.sub(" ", unicodedata.normalize("NFC", line)).strip()
        if para:
            out.append(para)
    return out


def digest(paragraph: str) -> str:
    """The SHA-256 of one normalised paragraph, as hex."""
    return hashlib.sha256(paragraph.encode("utf-8")).hexdigest()


def _regular_file(path: Path, what: str) -> int:
    """The size of ``path`` if it is a regular file we may read, else a UserError."""
    try:
        st = path.stat()
    except OSError as e:
        raise UserError(f"{path}: cannot read the {what} ({e.strerror or e})") from None
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{path}: not a regular file")
    if st.st_size > MAX_SOURCE_MB * 1_000_000:
        raise UserError(f"{path}: the file is {st.st_size} bytes; a source may be at most {MAX_SOURCE_MB} MB")
    return st.st_size


@dataclass
class Document:
    """A document read from a file: its paragraphs and what the file says of itself."""

    paragraphs: list[str]
    title: str | None = None
    author: str | None = None
    url: str | None = None


def read_document(path: Path) -> Document:
    """Read a .txt, .html or .pdf file into paragraphs (HTML: its main text only)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(f"{path}: unsupported kind of file {suffix or '(no suffix)'!r}; "
                        f"expected one of {', '.join(SUFFIXES)}")
    _regular_file(path, "document")
    data = path.read_bytes()
    if suffix == ".pdf":
        doc = _read_pdf(path, data)
    elif suffix in (".html", ".htm"):
        doc = _read_html(path, data)
    else:
        try:
            doc = Document(paragraphs(data.decode("utf-8-sig")))
        except UnicodeDecodeError as e:
            raise UserError(f"{path}: not UTF-8 text (byte {e.start})") from None
    if not doc.paragraphs:
        raise UserError(f"{path}: no text found")
    return doc


def _read_html(path: Path, data: bytes) -> Document:
    """The main text of a page (trafilatura drops menus, footers and page furniture)."""
    import trafilatura  # only `kg source add` needs it

    text = trafilatura.extract(data, include_comments=False, include_tables=True, favor_precision=True)
    if not text or not text.strip():
        raise UserError(f"{path}: no main text found in the page")
    meta = trafilatura.extract_metadata(data)
    # its date is left out on purpose: trafilatura guesses one (a bare "2024" becomes 2024-01-01),
    # and a guessed date is not a fact; the curator adds the date the page states
    return Document(paragraphs(text), title=getattr(meta, "title", None) or None,
                    author=getattr(meta, "author", None) or None, url=getattr(meta, "url", None) or None)


def _read_pdf(path: Path, data: bytes) -> Document:
    """The text layer of a PDF (a scanned PDF has none: that is an error, not an empty source)."""
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UserError(f"{path}: the PDF is encrypted; decrypt it first")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as e:
        raise UserError(f"{path}: not a readable PDF ({type(e).__name__})") from None
    if not text.strip():
        raise UserError(f"{path}: the PDF has no text layer (a scan?); add a text version instead")
    title = reader.metadata.title if reader.metadata else None
    return Document(paragraphs(text), title=str(title) if title else None)


# ---------------------------------------------------------------------------- fingerprints


@dataclass
class Fingerprint:
    """What ``data/sources/ID.yaml`` records of a source text: its paragraphs' count and hashes."""

    source: str
    count: int
    hashes: list[str]

    def text(self) -> str:
        lines = ["# Written by `kg source add`: the paragraph count and one SHA-256 per normalised",
                 "# paragraph of the archived text (the text itself is not committed).",
                 f"source: {self.source}", f"paragraphs: {self.count}", "sha256:"]
        lines += [f"  - {h}  # p{i}" for i, h in enumerate(self.hashes, 1)]
        return "\n".join(lines) + "\n"

    def first_difference(self, paras: list[str]) -> int | None:
        """The first paragraph number where ``paras`` differ from the fingerprint, or None."""
        for i, (h, p) in enumerate(zip(self.hashes, paras, strict=False), 1):
            if digest(p) != h:
                return i
        return None if len(paras) == self.count else min(len(paras), self.count) + 1


def fingerprint_of(source: str, paras: list[str]) -> Fingerprint:
    """The fingerprint of a text's paragraphs."""
    return Fingerprint(source, len(paras), [digest(p) for p in paras])


def fingerprint_path(data_dir: Path, source: str) -> Path:
    return data_dir / FINGERPRINT_DIR / f"{source}.yaml"


def read_fingerprint(path: Path, file: str) -> tuple[Fingerprint | None, list[Problem]]:
    """A fingerprint file, or None and its problems."""
    from kg.curation.yamlio import Map, Seq, read_yaml

    doc, problems = read_yaml(path, file)
    if problems:
        return None, problems
    if not isinstance(doc, Map) or set(doc) != {"source", "paragraphs", "sha256"}:
        return None, [Problem(file, 1, "expected the keys source, paragraphs and sha256 (written by kg source add)")]
    hashes = doc["sha256"]
    count = str(doc["paragraphs"])
    if not isinstance(hashes, Seq) or not count.isdigit() or int(count) != len(hashes):
        return None, [Problem(file, doc.line_of("paragraphs"), "paragraphs must count the sha256 entries")]
    bad = [h for h in hashes if not _HEX.match(str(h))]
    if bad:
        return None, [Problem(file, getattr(bad[0], "line", doc.line_of("sha256")), "not a SHA-256 in hex")]
    return Fingerprint(str(doc["source"]), int(count), [str(h) for h in hashes]), []


# ---------------------------------------------------------------------------- where texts live


def check_file_name(name: str) -> str | None:
    """None when ``name`` is a plain file name (no folder), else what is wrong.

    >>> check_file_name("000_836617eb89593644.txt") is None
    True
    >>> check_file_name("../../../../etc/passwd")
    "'../../../../etc/passwd' is not a plain file name in the archive (no folders, no '..')"
    """
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        return f"{name!r} is not a plain file name in the archive (no folders, no '..')"
    return None


def find_text(folders: list[Path], name: str) -> Path | None:
    """The first of ``folders`` that holds the file ``name``, resolved inside that folder."""
    if check_file_name(name):
        return None
    for folder in folders:
        path = folder / name
        if path.exists() or path.is_symlink():
            return path
    return None


def read_text(path: Path) -> list[str]:
    """The paragraphs of an archived text file (UserError when it is not readable text)."""
    _regular_file(path, "source text")
    try:
        return paragraphs(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        raise UserError(f"{path}: not UTF-8 text (byte {e.start})") from None


def today() -> str:
    return dt.date.today().isoformat()
