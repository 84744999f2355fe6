"""Strict YAML with line numbers.

PyYAML's composer (the C one when available) gives a node tree with positions; we turn it
into plain Python values that remember their line, and keep every scalar as text: the
schema, not YAML 1.1's guessing, decides what is a date or a number (``no`` stays "no",
``2018-05-10`` stays "2018-05-10"). Duplicate keys, anchors and aliases, tabs and several
documents in one file are errors.

>>> doc, problems = parse_yaml("a: 1\\nb: [x, y]\\n", "f.yaml")
>>> doc["b"], doc.line_of("b"), problems
(['x', 'y'], 2, [])
>>> parse_yaml("a: 1\\na: 2\\n", "f.yaml")[1]
[Problem(file='f.yaml', line=2, message="duplicate key 'a' (first on line 1)")]
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.errors import Problem

try:  # the C loader is several times faster on large files
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_NULL = "tag:yaml.org,2002:null"


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


def parse_yaml(text: str, file: str) -> tuple[Value, list[Problem]]:
    """Parse one YAML document into :class:`Map`/:class:`Seq`/:class:`Text`; never raises on bad input."""
    problems: list[Problem] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            problems.append(Problem(file, n, "a tab indents this line; indent with spaces"))
    if problems:
        return None, problems
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(str(x) for x in (e.context, e.problem) if x)
        return None, [Problem(file, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as e:
        return None, [Problem(file, 0, f"YAML error: {e}")]
    if len(nodes) > 1:
        return None, [Problem(file, nodes[1].start_mark.line + 1, "more than one YAML document in the file")]
    if not nodes:
        return None, []
    seen: set[int] = set()
    return _convert(nodes[0], file, problems, seen), problems


def read_yaml(path: Path, file: str) -> tuple[Value, list[Problem]]:
    """Read ``path`` as UTF-8 and parse it; ``file`` is the name used in problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        return None, [Problem(file, line, "not valid UTF-8 text")]
    return parse_yaml(text, file)


def _convert(node: yaml.Node, file: str, problems: list[Problem], seen: set[int]) -> Value:
    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.append(Problem(file, line, "YAML anchors and aliases (&, *) are not allowed"))
        return INVALID
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _NULL and not node.style:
            return None
        return Text(node.value, line)
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(_convert(item, file, problems, seen) for item in node.value)
        seq.line = line
        return seq
    assert isinstance(node, yaml.MappingNode)
    result = Map()
    result.line = line
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(file, key_line, "a key must be plain text"))
            continue
        key = key_node.value
        if key == "<<":
            problems.append(Problem(file, key_line, "YAML merge keys (<<) are not allowed"))
            continue
        if key in result.key_lines:
            problems.append(
                Problem(file, key_line, f"duplicate key {key!r} (first on line {result.key_lines[key]})")
            )
            continue
        result.key_lines[key] = key_line
        result[key] = _convert(value_node, file, problems, seen)
    return result
