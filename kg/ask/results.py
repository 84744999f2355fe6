"""Query results as text: an aligned table, CSV, TSV, SPARQL 1.1 JSON or Markdown.

IRIs print as entity ids (``tencent``) or prefixed names (``role:funder``) unless
``full_iris``; columns whose name starts with ``_`` (a named question's parameters) are
hidden unless ``show_hidden``. The table measures Chinese (double-width) text by its
display width, so columns line up in a terminal.

>>> from kg.store.base import Result
>>> import pyoxigraph as ox
>>> r = Result("select", columns=["org", "name"],
...            rows=[(ox.NamedNode("https://w3id.org/edu-equity-kg/id/tencent"), ox.Literal("腾讯"))])
>>> print(format_result(r, "table"))
org      name
-------  ----
tencent  腾讯
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pyoxigraph as ox

from kg.model.vocab import XSD, short_id
from kg.store.base import Result, Term

_STRING = XSD.string


def cell(term: Term | ox.Triple | None, *, full_iris: bool = False) -> str:
    """The text of one value: an id, a prefixed name or an IRI; a literal's lexical form.

    >>> cell(ox.NamedNode("https://w3id.org/edu-equity-kg/role/funder"))
    'role:funder'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if full_iris:
            return term.value
        return short_id(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):  # RDF-star, from a CONSTRUCT; not used by this graph
        return str(term)
    return term.value


def width(text: str) -> int:
    """Display width in a terminal: East Asian wide and full-width characters count two.

    >>> width("腾讯 Tencent")
    12
    """
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _clip(text: str, limit: int | None) -> str:
    text = " ".join(text.split()) if "\n" in text or "\t" in text else text
    if limit is None or width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def visible(result: Result, show_hidden: bool = False) -> tuple[list[str], list[tuple[Term | ox.Triple | None, ...]]]:
    """The columns and rows a reader sees: parameter columns (``_org``) hidden unless
    ``show_hidden``; an ASK answer as one ``answer`` cell; a graph as subject, predicate, object.

    >>> visible(Result("select", columns=["_org", "partner"], rows=[(None, None)]))
    (['partner'], [(None,)])
    """
    if result.kind == "graph":
        columns = ["subject", "predicate", "object"]
        return columns, [(t.subject, t.predicate, t.object) for t in result.triples]
    if result.kind == "ask":
        return ["answer"], [(ox.Literal("true" if result.boolean else "false"),)]
    keep = [i for i, c in enumerate(result.columns) if show_hidden or not c.startswith("_")]
    return [result.columns[i] for i in keep], [tuple(row[i] for i in keep) for row in result.rows]


def table(result: Result, *, full_iris: bool = False, show_hidden: bool = False, max_width: int | None = 60) -> str:
    """Columns aligned by display width; long values cut at ``max_width`` with an ellipsis."""
    columns, rows = visible(result, show_hidden)
    texts = [[_clip(cell(t, full_iris=full_iris), max_width) for t in row] for row in rows]
    sizes = [max([width(c)] + [width(r[i]) for r in texts]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, s) for c, s in zip(columns, sizes, strict=True)).rstrip(),
             "  ".join("-" * s for s in sizes)]
    lines += ["  ".join(_pad(c, s) for c, s in zip(r, sizes, strict=True)).rstrip() for r in texts]
    return "\n".join(lines)


def markdown(result: Result, *, full_iris: bool = False, show_hidden: bool = False,
             max_width: int | None = None) -> str:
    """A GitHub Markdown table (``|`` in values escaped)."""
    columns, rows = visible(result, show_hidden)

    def esc(text: str) -> str:
        return _clip(text, max_width).replace("|", "\\|")

    texts = [[esc(cell(t, full_iris=full_iris)) for t in row] for row in rows]
    sizes = [max([width(c), 3] + [width(r[i]) for r in texts]) for i, c in enumerate(columns)]
    lines = ["| " + " | ".join(_pad(c, s) for c, s in zip(columns, sizes, strict=True)) + " |",
             "| " + " | ".join("-" * s for s in sizes) + " |"]
    lines += ["| " + " | ".join(_pad(c, s) for c, s in zip(r, sizes, strict=True)) + " |" for r in texts]
    return "\n".join(lines)


def _delimited(result: Result, dialect: str, full_iris: bool, show_hidden: bool) -> str:
    import csv  # here and in sparql_json: a table, the usual answer, needs neither
    import io

    columns, rows = visible(result, show_hidden)
    out = io.StringIO()
    if dialect == "tsv":
        def clean(text: str) -> str:
            return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(clean(cell(t, full_iris=full_iris)) for t in row) + "\n")
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(t, full_iris=full_iris) for t in row] for row in rows)
    return out.getvalue().rstrip("\n")


def csv_text(result: Result, *, full_iris: bool = False, show_hidden: bool = False, **_: object) -> str:
    """RFC 4180 CSV with a header row."""
    return _delimited(result, "csv", full_iris, show_hidden)


def tsv_text(result: Result, *, full_iris: bool = False, show_hidden: bool = False, **_: object) -> str:
    """Tab-separated values; tabs and newlines inside values escaped as ``\\t``, ``\\n``."""
    return _delimited(result, "tsv", full_iris, show_hidden)


def json_term(term: Term | ox.Triple) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format.

    >>> json_term(ox.Literal("腾讯", language="zh"))
    {'type': 'literal', 'value': '腾讯', 'xml:lang': 'zh'}
    """
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}  # RDF-star; not used by this graph


def sparql_json(result: Result, *, show_hidden: bool = False, **_: object) -> str:
    """The SPARQL 1.1 Query Results JSON format (IRIs in full, as the format requires)."""
    import json

    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2)
    columns, rows = visible(result, show_hidden)
    bindings = [{c: json_term(t) for c, t in zip(columns, row, strict=True) if t is not None} for row in rows]
    doc = {"head": {"vars": columns}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2)


Formatter = Callable[..., str]

FORMATS: dict[str, Formatter] = {
    "table": table,
    "csv": csv_text,
    "tsv": tsv_text,
    "json": sparql_json,
    "markdown": markdown,
}


def format_result(result: Result, fmt: str = "table", *, full_iris: bool = False, show_hidden: bool = False,
                  max_width: int | None = 60) -> str:
    """``result`` as text in format ``fmt`` (a key of :data:`FORMATS`)."""
    formatter = FORMATS[fmt]
    if fmt in ("table", "markdown"):
        return formatter(result, full_iris=full_iris, show_hidden=show_hidden, max_width=max_width)
    return formatter(result, full_iris=full_iris, show_hidden=show_hidden)
