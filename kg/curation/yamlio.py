"""Strict YAML with line numbers.

PyYAML's event parser (the C one when available) gives the document as a stream of events
with positions; we build plain Python values that remember their line, and keep every scalar
as text: the schema, not YAML 1.1's guessing, decides what is a date or a number (``no``
stays "no", ``2018-05-10`` stays "2018-05-10"). Duplicate keys, anchors and aliases, tabs
that indent, several documents in one file, and nesting deeper than :data:`MAX_DEPTH` are
errors. The tree is built without recursion, so no input can exhaust the stack.

Lines are what every editor and ``grep -n`` count: a line ends with LF or CRLF (a file may
mix them). A leading byte order mark is skipped. Characters that make a file read
differently from how it looks are errors, each reported at its line: control characters,
lone CRs and other line terminators (NEL, U+2028, U+2029), and the invisible characters of
:data:`INVISIBLE` (bidirectional marks, overrides and isolates, zero-width spaces, the soft
hyphen, tag characters, a byte order mark inside the text). Right-to-left scripts themselves
are ordinary text.

>>> doc, problems = parse_yaml("a: 1\\nb: [x, y]\\n", "f.yaml")
>>> doc["b"], doc.line_of("b"), problems
(['x', 'y'], 2, [])
>>> parse_yaml("a: 1\\na: 2\\n", "f.yaml")[1]
[Problem(file='f.yaml', line=2, message="duplicate key 'a' (first on line 1)")]
>>> parse_yaml("a: 1\\r\\nb: x\\u202ey\\n", "f.yaml")[1][0].message
'invisible character U+202E (RIGHT-TO-LEFT OVERRIDE): it makes text display differently from what it is; delete it'
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml

from kg.errors import Problem, UserError

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # the C parser is several times faster on large files
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_NULL = "tag:yaml.org,2002:null"
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})

MAX_DEPTH = 32  # curated files nest four or five levels; deeper is a mistake or an attack
MAX_FILE_MB_ENV = "KG_MAX_FILE_MB"  # the size limit of one curated file, in MB
DEFAULT_MAX_FILE_MB = 32.0
MAX_CHARACTER_PROBLEMS = 20  # per file; a binary file would otherwise give one per byte

# The one definition of what curated text must not hold, because it makes text read differently
# from how it looks: invisible characters (the soft hyphen, the Arabic letter mark, the
# left-to-right and right-to-left marks, zero-width space, word joiner and invisible operators,
# bidirectional embeddings, overrides and isolates, a byte order mark inside the text, tag
# characters, noncharacters) and line terminators other than LF and CRLF. ZWNJ and ZWJ
# (U+200C, U+200D) stay: Persian and Indic names need them. Control characters come on top.
INVISIBLE = ("\u00ad\u061c\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f"
             "\ufeff\ufff9-\ufffb\ufffe\uffff\U000e0000-\U000e007f")
# In the file: also control characters other than tab, LF and CR, and a CR that ends no line.
_ODD = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{INVISIBLE}]|\r(?!\n)")
# In a value (where a quoted escape such as "\x07" or "\u202e" could bring them in): every
# control character, tab and line break included (where line breaks are allowed, see below).
_ODD_IN_VALUE = re.compile(f"[\x00-\x1f\x7f-\x9f{INVISIBLE}]")


_CONTROL_NAMES = {"\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\t": "TAB", "\n": "LINE FEED",
                  "\x0b": "LINE TABULATION", "\x0c": "FORM FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE",
                  "\x7f": "DELETE", "\x85": "NEXT LINE"}


class _Invalid:
    """What an already-reported bad node becomes, so that it is not reported twice."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()


class Text(str):
    """A scalar: text that knows its line."""

    line: int

    def __new__(cls, value: str, line: int) -> Text:
        self = super().__new__(cls, value)
        self.line = line
        return self


class Seq(list):
    """A sequence that knows its line."""

    line: int = 0


class Map(dict):
    """A mapping that knows its line and the line of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """The line of ``key``, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


Value = Map | Seq | Text | _Invalid | None


def describe_character(c: str) -> str:
    """``U+202E (RIGHT-TO-LEFT OVERRIDE)``: a character as a message names it.

    >>> describe_character("\\x07"), describe_character("\\u200b")
    ('U+0007 (BELL)', 'U+200B (ZERO WIDTH SPACE)')
    """
    return f"U+{ord(c):04X} ({unicodedata.name(c, '') or _CONTROL_NAMES.get(c, 'a control character')})"


def odd_character(value: str, *, newlines: bool = False) -> str | None:
    """The first character of ``value`` that must not be in curated text, or None.

    Line breaks and tabs only where ``newlines`` (notes may have several lines and indents);
    never in a name, an id or a citation.

    >>> odd_character("Tencent"), odd_character("腾讯教育"), odd_character("مؤسسة دلتا")
    (None, None, None)
    >>> odd_character("x\\u202ey"), odd_character("a\\nb"), odd_character("a\\nb", newlines=True)
    ('\\u202e', '\\n', None)
    >>> odd_character("Ten\\tcent"), odd_character("soft\\u00adhyphen"), odd_character("tag\\U000e0041")
    ('\\t', '\\xad', '\\U000e0041')
    """
    for m in _ODD_IN_VALUE.finditer(value):
        c = m.group()
        if c in "\n\t" and newlines:
            continue
        return c
    return None


def _character_problems(text: str, file: str) -> list[Problem]:
    """Tabs that indent, and every character that makes the file look other than it reads."""
    problems: list[Problem] = []
    line, pos = 1, 0
    for odd, m in enumerate(_ODD.finditer(text), 1):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        c = m.group()
        if odd > MAX_CHARACTER_PROBLEMS:
            problems.append(Problem(file, line, "more characters like these follow; is this a text file?"))
            break
        if c == "\r":
            message = ("a carriage return (CR) without a line feed: end lines with LF or CRLF, "
                       "or editors and kg count lines differently")
        elif c in "\x85\u2028\u2029":
            message = (f"unusual line terminator {describe_character(c)}: editors and YAML disagree on "
                       "where the line ends; replace it with a line break or a space")
        elif c == "\ufeff":
            message = "a byte order mark (U+FEFF) inside the text; delete it"
        elif "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069":
            message = (f"invisible character {describe_character(c)}: it makes text display differently "
                       "from what it is; delete it")
        elif re.fullmatch(f"[{INVISIBLE}]", c):
            message = f"invisible character {describe_character(c)}; delete it"
        else:
            message = f"control character {describe_character(c)}; delete it"
        problems.append(Problem(file, line, message))
    for n, text_line in enumerate(text.split("\n"), 1):
        if text_line.lstrip(" ").startswith("\t"):
            problems.append(Problem(file, n, "a tab indents this line; indent with spaces"))
    return problems


def parse_yaml(text: str, file: str) -> tuple[Value, list[Problem]]:
    """Parse one YAML document into :class:`Map`/:class:`Seq`/:class:`Text`; never raises on bad input."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problems = _character_problems(text, file)
    if problems:
        return None, problems
    try:
        doc = _build(yaml.parse(text, Loader=_Loader), file, problems)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        # at the end of a file without a final newline, libyaml places the mark on a line after it
        line = min(mark.line + 1, text.count("\n") + 1) if mark else 0
        what = " ".join(str(x) for x in (e.context, e.problem) if x)
        return None, [*problems, Problem(file, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as e:
        return None, [*problems, Problem(file, 0, f"YAML error: {e}")]
    return doc, problems


def max_file_bytes() -> int:
    """The size limit of one curated file: ``KG_MAX_FILE_MB`` megabytes (default 32)."""
    raw = os.environ.get(MAX_FILE_MB_ENV, "")
    if not raw.strip():
        return int(DEFAULT_MAX_FILE_MB * 1_000_000)
    try:
        mb = float(raw)
    except ValueError:
        mb = math.nan
    if not math.isfinite(mb) or mb <= 0:
        raise UserError(f"{MAX_FILE_MB_ENV}={raw!r}: expected a positive number of megabytes")
    return int(mb * 1_000_000)


def read_yaml(path: Path, file: str) -> tuple[Value, list[Problem]]:
    """Read ``path`` as UTF-8 and parse it; ``file`` is the name used in problems.

    A file larger than :func:`max_file_bytes` is refused before it is read.
    """
    try:
        if not path.is_file():
            return None, [Problem(file, 1, "not a regular file")]
        size = path.stat().st_size
        limit = max_file_bytes()
        if size > limit:
            return None, [Problem(file, 1, f"the file is {_size(size)}; a curated file may be at most "
                                           f"{_size(limit)} (split it, or raise {MAX_FILE_MB_ENV})")]
        data = path.read_bytes()
    except OSError as e:
        return None, [Problem(file, 1, f"cannot read the file: {e.strerror or e}")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return None, [Problem(file, line, "not valid UTF-8 text; save the file as UTF-8")]
    return parse_yaml(text, file)


def _size(n: int) -> str:
    """``52.4 MB``, or ``812 bytes`` below 0.1 MB."""
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} bytes"


class _Frame:
    """A mapping or sequence being built, and for a mapping the key waiting for its value."""

    __slots__ = ("value", "key", "key_line", "has_key")

    def __init__(self, value: Map | Seq) -> None:
        self.value = value
        self.key: str | None = None  # None: the key was bad, drop its value
        self.key_line = 0
        self.has_key = False


def _build(events: Iterable[yaml.Event], file: str, problems: list[Problem]) -> Value:
    """The first document of ``events`` as plain values, without recursion."""
    stack: list[_Frame] = []
    root: Value = None
    documents = 0

    def problem(line: int, message: str) -> None:
        problems.append(Problem(file, line, message))

    def attach(value: Value, line: int) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        if isinstance(frame.value, Seq):
            frame.value.append(value)
            return
        m = frame.value
        if not frame.has_key:
            frame.has_key, frame.key, frame.key_line = True, None, line
            if not isinstance(value, Text):
                if value is not INVALID:
                    problem(line, "a key must be plain text")
            elif value == "<<":
                problem(line, "YAML merge keys (<<) are not allowed")
            elif value in m.key_lines:
                problem(line, f"duplicate key {str(value)!r} (first on line {m.key_lines[value]})")
            else:
                frame.key = str(value)
            return
        if frame.key is not None:
            m.key_lines[frame.key] = frame.key_line
            m[frame.key] = value
        frame.has_key = False

    for event in events:
        mark = event.start_mark  # the parser marks every event
        line = mark.line + 1 if mark is not None else 0
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                problem(line, "more than one YAML document in the file")
                return None
            continue
        if isinstance(event, yaml.NodeEvent) and not isinstance(event, yaml.AliasEvent) and event.anchor:
            problem(line, "YAML anchors and aliases (&, *) are not allowed")
        if isinstance(event, yaml.AliasEvent):
            problem(line, "YAML anchors and aliases (&, *) are not allowed")
            attach(INVALID, line)
        elif isinstance(event, yaml.ScalarEvent):
            if not event.style and (event.tag is None and event.value in _NULL_WORDS or event.tag in (_NULL, "!!null")):
                attach(None, line)
            else:
                attach(Text(event.value, line), line)
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                # stop here: libyaml takes time quadratic in the depth to read what follows
                problem(line, f"nested more than {MAX_DEPTH} levels deep")
                return None
            container: Map | Seq = Map() if isinstance(event, yaml.MappingStartEvent) else Seq()
            container.line = line
            stack.append(_Frame(container))
        elif isinstance(event, yaml.CollectionEndEvent):
            frame = stack.pop()
            attach(frame.value, frame.value.line)
    return root
