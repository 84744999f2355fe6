"""Named questions: ``queries/NN-slug.rq`` files with grlc-style ``#+`` headers, run safely.

Each file starts with YAML comment lines (``#+ summary: ...``, ``#+ description: ...``,
``#+ defaults: ...``, ``#+ enumerate: ...``) and names its parameters as variables:
``?_org_iri`` (an IRI), ``?_year_xsd_gYear`` (a typed literal), ``?_text`` (a string);
``?__name`` (two underscores) is optional. Values are bound by the engine, never pasted
into the text, so a parameter value cannot change what a query does.

>>> from kg.project import Project
>>> from kg.graph import open_store
>>> project = Project.default()
>>> q = load_query(project, "funders")
>>> q.name, [p.key for p in q.parameters]
('funders', [])
>>> result = run(open_store(project), q.text)
>>> "funder" in result.columns
True
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import Problem, UserError
from kg.model.vocab import ID, PREFIXES, ROLE, SRC, THEME, XSD
from kg.project import Project
from kg.store.base import Result, Store, Term

HEADER_KEYS = ("summary", "description", "tags", "defaults", "enumerate")
CHECKS_DIR = "checks"
_FILE = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.rq$")
_PARAM = re.compile(r"[?$](__?[A-Za-z][A-Za-z0-9_]*)")

# Patterns of the typed literals a parameter may ask for (``?_year_xsd_gYear``).
XSD_PATTERNS: dict[str, str] = {
    "string": r".*",
    "integer": r"[+-]?\d+",
    "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    "boolean": r"true|false|1|0",
    "gYear": r"-?\d{4}",
    "gYearMonth": r"-?\d{4}-(0[1-9]|1[0-2])",
    "date": r"-?\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])",
    "dateTime": r"-?\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
}

# Namespaces a bare name (``tencent``, ``rural-education``, ``funder``) may belong to.
_BARE_NAMESPACES = (str(ID), str(THEME), str(ROLE), str(SRC), PREFIXES["kg"])


class QueryTimeout(UserError):
    """The query ran longer than its time limit."""


# --- named questions and their headers ----------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named question, read off its variable name.

    >>> p = Parameter.from_variable("_year_xsd_gYear")
    >>> p.key, p.kind, p.datatype, p.required
    ('year', 'literal', 'http://www.w3.org/2001/XMLSchema#gYear', True)
    """

    variable: str  # without "?": "_org_iri"
    key: str  # what users type: "org"
    kind: str  # "iri" or "literal"
    datatype: str | None = None  # full IRI of the literal's datatype; None for a plain string
    required: bool = True
    default: str | None = None
    enum: tuple[str, ...] = ()

    @classmethod
    def from_variable(cls, variable: str) -> Parameter:
        required = not variable.startswith("__")
        name = variable.lstrip("_")
        if name.endswith("_iri"):
            return cls(variable, name[:-4], "iri", required=required)
        if "_xsd_" in name:
            key, _, xsd_type = name.partition("_xsd_")
            return cls(variable, key, "literal", XSD[xsd_type], required=required)
        return cls(variable, name, "literal", required=required)

    @property
    def type_name(self) -> str:
        """``iri``, ``string`` or the XSD type's local name (``gYear``)."""
        if self.kind == "iri":
            return "iri"
        return self.datatype.rsplit("#", 1)[1] if self.datatype else "string"

    def describe(self) -> str:
        """One line for listings: ``org (iri, default tencent-education)``."""
        extras = [self.type_name]
        if not self.required:
            extras.append("optional")
        if self.default is not None:
            extras.append(f"default {self.default}")
        if self.enum:
            extras.append("one of " + ", ".join(self.enum))
        return f"{self.key} ({'; '.join(extras)})"


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
    """The named questions' files, in order (``queries/checks/`` holds build checks, not these)."""
    folder = project.queries_dir
    return sorted(p for p in folder.glob("*.rq") if _FILE.match(p.name)) if folder.is_dir() else []


def list_queries(project: Project) -> list[NamedQuery]:
    """Every named question, parsed; raises :class:`UserError` listing every bad header."""
    queries, problems = [], []
    for path in query_files(project):
        try:
            queries.append(parse_query_file(path, project.relative(path)))
        except UserError as e:
            problems += e.problems
    if problems:
        raise UserError(problems)
    return queries


def load_query(project: Project, name: str) -> NamedQuery:
    """The named question ``name``: its slug (``funders``), file stem (``02-funders``) or number."""
    files = query_files(project)
    for path in files:
        number, slug = _FILE.match(path.name).groups()
        if name in (slug, path.stem, path.name, number, number.lstrip("0")):
            return parse_query_file(path, project.relative(path))
    known = ", ".join(_FILE.match(p.name).group(2) for p in files)
    raise UserError(f"no named question {name!r}; the named questions are: {known}")


def parse_query_file(path: Path, file: str | None = None) -> NamedQuery:
    """Read a ``.rq`` file and its ``#+`` header strictly; ``file`` names it in problems."""
    file = file or str(path)
    m = _FILE.match(path.name)
    number, name = m.groups() if m else ("", path.stem)
    return parse_query(path.read_text(encoding="utf-8"), file, name=name, number=number, path=path)


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
    for n, line in enumerate(lines, 1):
        if line.startswith("#+"):
            if header_lines and header_lines[-1] != n - 1:
                problems.append(Problem(file, n, "a #+ header line after the query began; keep the header on top"))
            header_lines.append(n)
        elif not header_lines and line.strip():
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

    body = strip_literals(text)
    params: dict[str, Parameter] = {}
    bad_types: set[str] = set()
    for m in _PARAM.finditer(body):
        p = Parameter.from_variable(m.group(1))
        line = body.count("\n", 0, m.start()) + 1
        if p.variable in bad_types:
            continue
        if p.datatype and p.datatype.rsplit("#", 1)[1] not in XSD_PATTERNS:
            problems.append(Problem(file, line, f"parameter ?{p.variable}: unknown type xsd:{p.type_name}; "
                                                f"known: {', '.join('xsd:' + t for t in XSD_PATTERNS)}"))
            bad_types.add(p.variable)
            continue
        other = next((q for q in params.values() if q.key == p.key and q.variable != p.variable), None)
        if other:
            problems.append(Problem(file, line, f"parameters ?{other.variable} and ?{p.variable} share the name "
                                                f"{p.key!r}"))
            continue
        params.setdefault(p.variable, p)

    values: dict[str, dict[str, object]] = {"defaults": {}, "enumerate": {}}
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
            p = next((q for q in params.values() if k in (q.key, q.variable, q.variable.lstrip("_"))), None)
            if p is None:
                known = ", ".join(q.key for q in params.values()) or "none"
                problems.append(Problem(file, at(line), f"header: {key} names {k!r}, which is no parameter of "
                                                        f"this query (parameters: {known})"))
            elif key == "defaults" and not isinstance(v, str):
                problems.append(Problem(file, at(line), f"header: the default of {k!r} must be one value"))
            elif key == "enumerate" and not (isinstance(v, list) and v and all(isinstance(x, str) for x in v)):
                problems.append(Problem(file, at(line), f"header: enumerate {k!r} must list its values"))
            else:
                values[key][p.variable] = v
                value_lines[f"{key} {p.variable}"] = line
    if problems:
        raise UserError(problems)

    final = []
    for p in params.values():
        default = values["defaults"].get(p.variable)
        enum = tuple(values["enumerate"].get(p.variable, ()))
        if default is not None and enum and default not in enum:
            problems.append(Problem(file, at(value_lines[f"defaults {p.variable}"]),
                                    f"header: the default {default!r} of {p.key!r} is not one of its values"))
        final.append(Parameter(p.variable, p.key, p.kind, p.datatype, p.required, default, enum))
    problems += _projection_problems(body, file, [p.variable for p in final])
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


_SELECT = re.compile(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{|\bFROM\b)", re.IGNORECASE | re.DOTALL)
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _projection_problems(body: str, file: str, variables: list[str]) -> list[Problem]:
    """Parameters must be projected, so that every row says which value it answers for (the
    column is hidden unless asked for); the same text then works with any binding method."""
    if not variables:
        return []
    form = _FORM.search(body)
    if form is None or form.group(1).upper() != "SELECT":
        line = body.count("\n", 0, form.start()) + 1 if form else 1
        return [Problem(file, line, "a query with parameters must be a SELECT query")]
    m = _SELECT.search(body, form.start())
    line = body.count("\n", 0, m.start()) + 1
    clause = m.group(1)
    if clause.replace("DISTINCT", "").replace("REDUCED", "").strip() == "*":
        return []
    depth, top = 0, []
    for ch in clause:  # only the variables outside "( ... AS ?x )" expressions
        depth += ch == "("
        depth -= ch == ")"
        top.append(ch if depth == 0 and ch != ")" else " ")
    projected = {v for v in re.findall(r"[?$]([A-Za-z0-9_]+)", "".join(top))}
    return [Problem(file, line, f"parameter ?{v} is not in the SELECT projection; every answer says "
                                f"which value it is for: add ?{v} to SELECT (or GROUP BY it)")
            for v in variables if v not in projected]


# --- reading query text safely ---------------------------------------------------------------------

_LEX = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r'|#[^\n]*',
    re.DOTALL,
)


def strip_literals(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, same lines).

    >>> strip_literals('SELECT * { ?s ?p "SERVICE" } # DROP ALL')
    'SELECT * { ?s ?p           }           '
    """
    return _LEX.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), sparql)


_UPDATE = re.compile(r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_PROLOGUE = re.compile(r"\s*(?:(?:BASE\s*|PREFIX\s+[A-Za-z0-9_.-]*:\s*)\s*)*", re.IGNORECASE)
_SERVICE = re.compile(r"\bSERVICE\b", re.IGNORECASE)


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Refuse what ``kg query`` must not run: updates, and federation unless allowed.

    >>> check_query("DROP ALL")
    Traceback (most recent call last):
    ...
    kg.errors.UserError: kg: refused: DROP is a SPARQL UPDATE operation; kg query only reads the graph
    """
    body = strip_literals(sparql)
    start = _PROLOGUE.match(body).end()
    m = _UPDATE.match(body, start)
    if m:
        raise UserError(f"refused: {m.group(1).upper()} is a SPARQL UPDATE operation; kg query only reads the graph")
    if not _FORM.match(body, start) and _UPDATE.search(body, start):
        word = _UPDATE.search(body, start).group(1).upper()
        raise UserError(f"refused: {word} is a SPARQL UPDATE operation; kg query only reads the graph")
    s = _SERVICE.search(body)
    if s and not allow_service:
        line = body.count("\n", 0, s.start()) + 1
        raise UserError(f"refused: SERVICE (line {line}) queries a remote endpoint; pass --allow-service to "
                        "allow federation")


# --- parameter values ---------------------------------------------------------------------------


def bind_parameters(store: Store, query: NamedQuery, values: Mapping[str, str]) -> dict[str, Term]:
    """Check ``values`` (by parameter key) against ``query`` and turn them into RDF terms.

    Unknown names, missing required values and values outside an enumeration are errors that
    list the valid choices. IRIs may be given as an entity id, ISO code, prefixed name, full
    IRI, or a label or alias in English, Chinese or pinyin.
    """
    problems = []
    by_key: dict[str, str] = {}
    for key, value in values.items():
        p = query.parameter(key)
        if p is None:
            valid = ", ".join(p.describe() for p in query.parameters) or "none"
            problems.append(f"{query.name}: unknown parameter {key!r}; its parameters: {valid}")
        else:
            by_key[p.variable] = value
    for p in query.parameters:
        if p.variable not in by_key and p.default is None and p.required:
            problems.append(f"{query.name}: missing parameter {p.key!r}: give --param {p.key}=VALUE "
                            f"({p.describe()})")
    if problems:
        raise UserError([Problem("kg", 0, m) for m in problems])
    bindings: dict[str, Term] = {}
    for p in query.parameters:
        value = by_key.get(p.variable, p.default)
        if value is None:
            continue
        bindings[p.variable] = parameter_term(store, p, value, query.name)
    return bindings


def parameter_term(store: Store, p: Parameter, value: str, query_name: str = "query") -> Term:
    """The RDF term for ``value`` of parameter ``p``, checked against its type and enumeration."""
    where = f"{query_name}: parameter {p.key!r}"
    if p.kind == "iri":
        if p.enum:  # an enumerated value may be given by its local name: "meet-2021" for src:meet-2021
            chosen = [v for v in p.enum if value.strip() in (v, v.partition(":")[2])]
            if chosen:
                return ox.NamedNode(resolve_iri(store, chosen[0], what=where))
            outside = UserError(f"{where}: {value!r} is not one of its values: {', '.join(p.enum)}")
            try:
                term = ox.NamedNode(resolve_iri(store, value, what=where))
            except UserError:
                raise outside from None
            if term.value not in {resolve_iri(store, v, what=where) for v in p.enum}:
                raise outside
            return term
        return ox.NamedNode(resolve_iri(store, value, what=where))
    if p.enum and value not in p.enum:
        raise UserError(f"{where}: {value!r} is not one of its values: {', '.join(p.enum)}")
    if p.datatype is None:
        return ox.Literal(value)
    pattern = XSD_PATTERNS[p.type_name]
    if not re.fullmatch(pattern, value):
        raise UserError(f"{where}: {value!r} is not a valid xsd:{p.type_name}")
    return ox.Literal(value, datatype=ox.NamedNode(p.datatype))


_ANY = "SELECT ?x ?p WHERE { ?x ?p ?o } LIMIT 1"


def resolve_iri(store: Store, value: str, *, what: str = "value") -> str:
    """The IRI ``value`` names: a full IRI, a prefixed name, an id, or an unambiguous label.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> store = open_store(Project.default())
    >>> [resolve_iri(store, v) for v in ("tencent", "kgid:tencent", "腾讯", "CN-AH")][-1]
    'https://w3id.org/edu-equity-kg/id/CN-AH'
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        try:
            return ox.NamedNode(text).value
        except ValueError as e:
            raise UserError(f"{what}: {value!r} is not a valid IRI ({e})") from None
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES and re.fullmatch(r"[^\s<>\"{}|^`\\]*", local):
        return PREFIXES[prefix] + local
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", text):
        found = [ns + text for ns in _BARE_NAMESPACES
                 if store.query(_ANY, bindings={"x": ox.NamedNode(ns + text)}).rows]
        if found and found[0].startswith(str(ID)):  # an entity's id wins: meet-2021 the summit, not the source
            return found[0]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            from kg.model.vocab import shorten

            raise UserError(f"{what}: {value!r} is ambiguous: {', '.join(shorten(f) for f in found)}; "
                            "give the prefixed name")
    from kg.ask.search import exact_matches, search

    hits, how = exact_matches(store, text), "names"
    if not hits:  # a name's unambiguous beginning: 安徽 for 安徽省
        hits = [h for h in search(store, text, limit=10) if h.score >= 80 and h.matched != h.id]
        how = "begins the names of"
    if len(hits) == 1:
        return hits[0].iri
    if len(hits) > 1:
        listed = "; ".join(f"{h.id} ({h.label})" for h in sorted(hits, key=lambda h: h.id))
        raise UserError(f"{what}: {value!r} {how} {len(hits)} entities: {listed}; give one id")
    near = search(store, text, limit=5)
    hint = f"; did you mean: {', '.join(f'{h.id} ({h.label})' for h in near)}" if near else \
        "; try `kg search` to find an id"
    raise UserError(f"{what}: nothing is called {value!r}{hint}")


# --- running ------------------------------------------------------------------------------------


def run(store: Store, sparql: str, *, bindings: Mapping[str, Term] | None = None, file: str = "query",
        timeout: float | None = None, allow_service: bool = False, lang: str = "en") -> Result:
    """Check and run ``sparql``; fill ``?xLabel`` columns; stop waiting after ``timeout`` seconds.

    A projected variable ``?xLabel`` that the query leaves unbound gets the label of ``?x`` in
    ``lang`` (else in the other language, else its pinyin), as Wikidata's label service does.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> r = run(open_store(Project.default()), "SELECT ?f ?fLabel WHERE { ?f a kg:Foundation }", lang="zh")
    >>> "腾讯公益慈善基金会" in {row[1].value for row in r.rows}
    True
    """
    check_query(sparql, allow_service=allow_service)
    result = _execute(store, sparql, bindings or {}, file, timeout)
    if result.kind == "select":
        result = fill_labels(store, result, lang)
    return result


def _execute(store: Store, sparql: str, bindings: Mapping[str, Term], file: str, timeout: float | None) -> Result:
    if timeout is None:
        return _guarded(store, sparql, bindings, file)
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["result"] = _guarded(store, sparql, bindings, file)
        except BaseException as e:  # handed to the waiting thread, re-raised there
            # The engine's result objects must be dropped on the thread that made them: keep the
            # traceback as text and let the frames (and what they hold) go here.
            if not isinstance(e, UserError):
                import traceback

                e.add_note("in the query thread:\n" + "".join(traceback.format_exception(e)))
            box["error"] = e.with_traceback(None)
            e.__context__ = e.__cause__ = None

    # The engine releases the GIL while it works, so the caller can stop waiting; the daemon
    # thread ends with the process.
    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped (--timeout); "
                           "narrow it down or give more time")
    if "error" in box:
        raise box["error"]
    return box["result"]


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _guarded(store: Store, sparql: str, bindings: Mapping[str, Term], file: str) -> Result:
    try:
        return store.query(sparql, bindings=bindings)
    except SyntaxError as e:
        m = _POSITION.match(str(e))
        if m:
            line, col, msg = m.groups()
            raise UserError([Problem(file, int(line), f"SPARQL syntax error at line {line}, column {col}: "
                                                      f"{msg.strip()}")]) from None
        raise UserError([Problem(file, 0, f"SPARQL syntax error: {e}")]) from None
    except (RuntimeError, OSError) as e:  # the engine's evaluation errors (e.g. a failed SERVICE call)
        raise UserError([Problem(file, 0, f"the query failed: {e}")]) from None


@dataclass
class Labels:
    """Names of entities per language, to show ``?xLabel`` columns in the asked language."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, iris: Iterable[str]) -> Labels:
        """The names of just these IRIs (a whole-graph label scan costs too much at scale)."""
        names: dict[str, dict[str, str]] = {}
        for iri, labels in store.labels(iris).items():
            for label in sorted(labels, key=str):
                lang = (label.language or "").lower()
                names.setdefault(iri, {}).setdefault("pinyin" if "pinyin" in lang else lang, label.value)
        return cls(names)

    def get(self, iri: str, lang: str) -> ox.Literal | None:
        names = self.names.get(iri)
        if not names:
            return None
        for choice in (lang, "en" if lang == "zh" else "zh", "pinyin", ""):
            if choice in names:
                tag = "zh-Latn-pinyin" if choice == "pinyin" else choice
                return ox.Literal(names[choice], language=tag) if tag else ox.Literal(names[choice])
        return None


def fill_labels(store: Store, result: Result, lang: str) -> Result:
    """Fill unbound ``?xLabel`` cells from the label of ``?x`` in ``lang``."""
    index = {c: i for i, c in enumerate(result.columns)}
    pairs = [(index[c[:-5]], i) for c, i in index.items() if c.endswith("Label") and c[:-5] in index]
    if not pairs:
        return result
    wanted = {row[src].value for row in result.rows for src, _ in pairs if isinstance(row[src], ox.NamedNode)}
    labels = Labels.load(store, wanted)
    rows = []
    for row in result.rows:
        cells = list(row)
        for src, dst in pairs:
            term = cells[src]
            if cells[dst] is None and isinstance(term, ox.NamedNode):
                cells[dst] = labels.get(term.value, lang)
        rows.append(tuple(cells))
    return Result(result.kind, columns=result.columns, rows=rows)


def run_named(store: Store, query: NamedQuery, values: Mapping[str, str] | None = None, **options: object) -> Result:
    """Bind ``values`` to ``query``'s parameters and run it (options as for :func:`run`)."""
    bindings = bind_parameters(store, query, values or {})
    return run(store, query.text, bindings=bindings, file=query.file, **options)


# --- the catalogue in queries/README.md -------------------------------------------------------------

def example_values(query: NamedQuery) -> dict[str, str]:
    """The parameters the README's example passes: those with no default, at their first value."""
    return {p.key: p.enum[0].partition(":")[2] or p.enum[0]
            for p in query.parameters if p.required and p.default is None and p.enum}
