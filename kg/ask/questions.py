"""Named questions: ``queries/NN-slug.rq`` files and their grlc-style ``#+`` headers.

Each file starts with YAML comment lines (``#+ summary: ...``, ``#+ description: ...``,
``#+ tags: ...``, ``#+ defaults: ...``, ``#+ enumerate: ...``) and names its parameters as
variables (see :mod:`kg.ask.parameters`). Headers are read strictly: every problem is
reported as ``file:line: message``, never read as empty metadata.

>>> from kg.project import Project
>>> q = load_query(Project.default(), "funders")
>>> q.name, [p.key for p in q.parameters]
('funders', ['roll_up'])
"""

from __future__ import annotations

import contextlib
import marshal
import os
import re
import sys
from dataclasses import dataclass, fields
from pathlib import Path

from kg.ask.parameters import XSD_PATTERNS, Parameter, is_parameter
from kg.errors import Problem, UserError
from kg.project import Project
from kg.sparql import projection, query_form, significant

_CLASS_NAME = re.compile(r"^[a-z][a-z0-9]*:[A-Za-z][A-Za-z0-9_-]*$")  # enumerate: kg:Source
HEADER_KEYS = ("summary", "description", "tags", "defaults", "enumerate")
CHECKS_DIR = "checks"
_FILE = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.rq$")


@dataclass(frozen=True)
class NamedQuery:
    """A named question: its file, its header and its parameters."""

    name: str  # the slug: "partners-of-organization"
    number: str  # "01"
    path: Path
    file: str  # how problems name it: "queries/01-partners-of-organization.rq"
    summary: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = ()
    tags: tuple[str, ...] = ()

    def parameter(self, key: str) -> Parameter | None:
        """The parameter called ``key`` (``org``, ``_org_iri`` or ``?_org_iri``)."""
        for p in self.parameters:
            if key.lstrip("?$") in (p.key, p.variable, p.variable.lstrip("_")):
                return p
        return None


def query_files(project: Project) -> list[Path]:
    """The named questions' files: kg's own, then the project's ``queries/`` (``checks/`` holds
    build checks, not these). A project file of the same name and text as one of kg's is that
    question, counted once; another question of a name kg's own questions use is an error.
    """
    files: dict[str, Path] = {}
    problems = []
    for folder in project.query_dirs():
        try:  # os.scandir, not glob: a glob pattern costs a regular expression on every `kg query`
            with os.scandir(folder) as entries:
                names = sorted(e.name for e in entries if _FILE.match(e.name) and e.is_file())
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in names:
            path = folder / name
            slug = _FILE.match(name).group(2)  # type: ignore[union-attr]
            twin = files.get(slug)
            if twin is None:
                files[slug] = path
            elif twin.read_bytes() != path.read_bytes():
                problems.append(Problem(project.relative(path), 1,
                                        f"the named question {slug!r} is one of kg's own ({twin.name}); "
                                        "give yours another name"))
    if problems:
        raise UserError(problems)
    own = project.query_dirs()[0]  # once: each call resolves paths (40 calls were 20% of `kg query`)
    return sorted(files.values(), key=lambda p: (p.parent != own, p.name))


def list_queries(project: Project) -> list[NamedQuery]:
    """Every named question, parsed; raises :class:`UserError` listing every bad header."""
    queries, problems = [], []
    cache = ParsedQueries(project)
    for path in query_files(project):
        try:
            queries.append(cache.parse(path))
        except UserError as e:
            problems += e.problems
    cache.save()
    if problems:
        raise UserError(problems)
    return queries


def load_query(project: Project, name: str) -> NamedQuery:
    """The named question ``name``: its slug (``funders``), file stem (``02-funders``) or number."""
    files = query_files(project)
    slugs: list[str] = []
    for path in files:
        m = _FILE.match(path.name)
        if m is None:  # query_files() lists only names that match
            continue
        number, slug = m.groups()
        if name in (slug, path.stem, path.name, number, number.lstrip("0")):
            cache = ParsedQueries(project)
            query = cache.parse(path)
            cache.save()
            return query
        slugs.append(slug)
    known = ", ".join(slugs)
    raise UserError(f"no named question {name!r}; the named questions are: {known}")


class ParsedQueries:
    """Named questions parsed before, kept in ``build/queries.marshal`` so that ``kg query NAME``
    need not load the YAML parser (about a quarter of its time) to read a header it read before.

    An entry is used only when the file's text is the text it was parsed from and the parser's
    code and Python are unchanged; a header with problems is never kept, so its problems are
    always told. ``marshal`` (plain values only) because it costs no import, unlike JSON.

    >>> from kg.project import Project
    >>> project = Project.default()
    >>> ParsedQueries(project).parse(query_files(project)[0]).name
    'partners-of-organization'
    """

    FILE = "queries.marshal"

    def __init__(self, project: Project):
        self.project = project
        self.path = project.build_dir / self.FILE
        kg_dir = Path(__file__).parent.parent
        parser = (Path(__file__), kg_dir / "ask" / "parameters.py", kg_dir / "sparql.py",
                  kg_dir / "curation" / "yamlio.py")
        self.stamp = ":".join([sys.version, *(f"{st.st_size}-{st.st_mtime_ns}" for st in map(Path.stat, parser))])
        self.entries: dict[str, dict] | None = None
        self.changed = False

    def _load(self) -> dict[str, dict]:
        if self.entries is None:
            try:
                saved = marshal.loads(self.path.read_bytes())
                self.entries = saved["queries"] if saved.get("parser") == self.stamp else {}
            except (OSError, ValueError, EOFError, KeyError, TypeError, AttributeError):  # none yet, or damaged
                self.entries = {}
        return self.entries

    def parse(self, path: Path) -> NamedQuery:
        """The named question in ``path``, as :func:`parse_query_file` reads it."""
        file = self.project.relative(path)
        text = path.read_text(encoding="utf-8")
        entry = self._load().get(str(path))
        if entry is not None and entry.get("text") == text and entry.get("file") == file:
            try:
                return NamedQuery(**{**entry, "path": path, "tags": tuple(entry["tags"]),
                                     "parameters": tuple(Parameter(**{**p, "enum": tuple(p["enum"])})
                                                         for p in entry["parameters"])})
            except (KeyError, TypeError):  # written by another version: parse again
                pass
        query = _parse_text(text, path, file)
        entry = {f.name: _plain(getattr(query, f.name)) for f in fields(NamedQuery) if f.name != "path"}
        entry["parameters"] = [{f.name: _plain(getattr(p, f.name)) for f in fields(Parameter)}
                               for p in query.parameters]
        self._load()[str(path)] = entry
        self.changed = True
        return query

    def save(self) -> None:
        """Keep what was parsed; a build folder that cannot be written to only costs time."""
        if not self.changed:
            return
        from kg.files import write_atomic

        with contextlib.suppress(OSError):
            write_atomic(self.path, marshal.dumps({"parser": self.stamp, "queries": self.entries}))
        self.changed = False


def _plain(value: object) -> object:
    """``value`` with str subclasses (the YAML reader's texts, which remember their line) as str.

    >>> type(_plain((type("Text", (str,), {})("x"),))[0])
    <class 'str'>
    """
    if isinstance(value, str):
        return str(value)
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    return value


def parse_query_file(path: Path, file: str | None = None) -> NamedQuery:
    """Read a ``.rq`` file and its ``#+`` header strictly; ``file`` names it in problems."""
    name = file or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise UserError(f"{name}: not UTF-8 text (byte {e.start}); save the query as UTF-8") from None
    except OSError as e:
        raise UserError(f"{name}: cannot read the file ({e.strerror or e})") from None
    return _parse_text(text, path, name)


def _parse_text(text: str, path: Path, file: str) -> NamedQuery:
    m = _FILE.match(path.name)
    number, name = m.groups() if m else ("", path.stem)
    return parse_query(text, file, name=name, number=number, path=path)


def parse_query(text: str, file: str, *, name: str = "query", number: str = "",
                path: Path | None = None) -> NamedQuery:
    """Parse a query's ``#+`` header and parameters; every problem is ``file:line: message``.

    >>> q = parse_query("#+ summary: Foundations\\nSELECT ?f WHERE { ?f a kg:Foundation }", "x.rq")
    >>> q.summary, q.parameters
    ('Foundations', ())
    >>> parse_query("#+ summary: [oops\\nSELECT * {}", "x.rq")
    Traceback (most recent call last):
    ...
    kg.errors.UserError: x.rq:1: header: YAML syntax error: ...
    """
    from kg.curation.yamlio import Map, Seq, parse_yaml

    lines = text.splitlines()
    header_lines: list[int] = []
    problems: list[Problem] = []
    for n, text_line in enumerate(lines, 1):
        if text_line.startswith("#+"):
            if header_lines and header_lines[-1] != n - 1:
                problems.append(Problem(file, n, "a #+ header line after the query began; keep the header on top"))
            header_lines.append(n)
        elif not header_lines and text_line.strip():
            break
    block = "\n".join(lines[n - 1][2:] for n in header_lines)

    def at(block_line: int) -> int:
        return header_lines[min(max(block_line, 1), len(header_lines)) - 1] if header_lines else 1

    header, yaml_problems = parse_yaml(_dedent(block), file)
    problems += [Problem(file, at(p.line), "header: " + re.sub(r"(?<=line )(\d+)", lambda m: str(at(int(m.group(1)))),
                                                             p.message)) for p in yaml_problems]
    if problems:
        raise UserError(problems)
    if not header_lines:
        raise UserError([Problem(file, 1, "no #+ header: start the file with '#+ summary: ...'")])
    if not isinstance(header, Map):
        raise UserError([Problem(file, at(1), "header: expected 'key: value' lines (summary, description, ...)")])
    for key in header:
        if key not in HEADER_KEYS:
            problems.append(Problem(file, at(header.line_of(key)),
                                    f"header: unknown key {key!r}; known keys: {', '.join(HEADER_KEYS)}"))
    summary = header.get("summary")
    if not isinstance(summary, str) or not summary.strip():
        problems.append(Problem(file, at(header.line_of("summary")), "header: 'summary' must be a line of text"))
    description = header.get("description") or ""
    if not isinstance(description, str):
        problems.append(Problem(file, at(header.line_of("description")), "header: 'description' must be text"))
    tags = header.get("tags") or ()
    if isinstance(tags, str):
        tags = (tags,)
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags):
        problems.append(Problem(file, at(header.line_of("tags")), "header: 'tags' must be a list of words"))
        tags = ()

    params: dict[str, Parameter] = {}
    bad_types: set[str] = set()
    for token in significant(text):
        if token.kind != "var" or not is_parameter(token.text[1:]):
            continue
        p = Parameter.from_variable(token.text[1:])
        if p.variable in bad_types:
            continue
        if p.datatype and p.datatype.rsplit("#", 1)[1] not in XSD_PATTERNS:
            problems.append(Problem(file, token.line, f"parameter ?{p.variable}: unknown type xsd:{p.type_name}; "
                                                      f"known: {', '.join('xsd:' + t for t in XSD_PATTERNS)}"))
            bad_types.add(p.variable)
            continue
        other = next((q for q in params.values() if q.key == p.key and q.variable != p.variable), None)
        if other:
            problems.append(Problem(file, token.line, f"parameters ?{other.variable} and ?{p.variable} share "
                                                      f"the name {p.key!r}"))
            continue
        params.setdefault(p.variable, p)

    defaults: dict[str, str] = {}
    enums: dict[str, tuple[str, ...]] = {}
    enum_classes: dict[str, str] = {}  # {instances_of: kg:Source}: the values are the data's
    value_lines: dict[str, int] = {}
    for key in ("defaults", "enumerate"):
        section = header.get(key)
        if section is None:
            continue
        items: list[tuple[str, object, int]] = []
        if isinstance(section, Map):
            items = [(k, v, section.line_of(k)) for k, v in section.items()]
        elif isinstance(section, Seq) and all(isinstance(i, Map) and len(i) == 1 for i in section):
            items = [(k, v, i.line_of(k)) for i in section for k, v in i.items()]
        else:
            problems.append(Problem(file, at(header.line_of(key)),
                                    f"header: '{key}' must list '- name: value' items, one per parameter"))
        for k, v, line in items:
            named = next((q for q in params.values() if k in (q.key, q.variable, q.variable.lstrip("_"))), None)
            if named is None:
                known = ", ".join(q.key for q in params.values()) or "none"
                problems.append(Problem(file, at(line), f"header: {key} names {k!r}, which is no parameter of "
                                                        f"this query (parameters: {known})"))
            elif key == "defaults" and isinstance(v, str):
                defaults[named.variable] = v
                value_lines[f"{key} {named.variable}"] = line
            elif key == "enumerate" and isinstance(v, list) and v and all(isinstance(x, str) for x in v):
                enums[named.variable] = tuple(v)
                value_lines[f"{key} {named.variable}"] = line
            elif (key == "enumerate" and isinstance(v, Map) and set(v) == {"instances_of"}
                  and isinstance(v["instances_of"], str) and _CLASS_NAME.match(v["instances_of"])):
                enum_classes[named.variable] = str(v["instances_of"])
                value_lines[f"{key} {named.variable}"] = line
            elif key == "defaults":
                problems.append(Problem(file, at(line), f"header: the default of {k!r} must be one value"))
            else:
                problems.append(Problem(file, at(line), f"header: enumerate {k!r} must list its values, or say "
                                                        "whose instances they are: {instances_of: kg:Source}"))
    if problems:
        raise UserError(problems)

    final = []
    for p in params.values():
        default = defaults.get(p.variable)
        enum = enums.get(p.variable, ())
        enum_class = enum_classes.get(p.variable)
        if default is not None and enum and default not in enum:
            problems.append(Problem(file, at(value_lines[f"defaults {p.variable}"]),
                                    f"header: the default {default!r} of {p.key!r} is not one of its values"))
        final.append(Parameter(p.variable, p.key, p.kind, p.datatype, p.required, default, enum, enum_class))
    problems += _projection_problems(text, file, [p.variable for p in final])
    if problems:
        raise UserError(problems)
    return NamedQuery(name=name, number=number, path=path or Path(file), file=file, summary=str(summary).strip(),
                      description=" ".join(str(description).split()), text=text, parameters=tuple(final),
                      tags=tuple(tags))


def _dedent(block: str) -> str:
    lines = block.splitlines()
    indents = [len(x) - len(x.lstrip(" ")) for x in lines if x.strip()]
    cut = min(indents, default=0)
    return "\n".join(x[cut:] for x in lines) + "\n"


def _projection_problems(text: str, file: str, variables: list[str]) -> list[Problem]:
    """Parameters must be projected, so that every row says which value it answers for (the
    column is hidden unless asked for); the same text then works with any binding method."""
    if not variables:
        return []
    form = query_form(text)
    if form is None or form.text.upper() != "SELECT":
        return [Problem(file, form.line if form else 1, "a query with parameters must be a SELECT query")]
    select, projected = projection(text) or (form, [])
    if projected == ["*"]:
        return []
    return [Problem(file, select.line, f"parameter ?{v} is not in the SELECT projection; every answer says "
                                       f"which value it is for: add ?{v} to SELECT (or GROUP BY it)")
            for v in variables if v not in projected]
