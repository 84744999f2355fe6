"""SPARQL text: one lexer, the read-only checks, project prefixes added, values bound.

Everything that reads query text goes through :func:`tokens`, so a string, an IRI or a
comment is never mistaken for a keyword (``SELECT ?service`` is no ``SERVICE`` and
``"DROP ALL"`` is no update). The stores (which send text), the named questions (which
read their parameters and projection) and every front that runs a user's text (``kg query``,
the server front) use these.

>>> [t.text for t in tokens('SELECT ?service { ?s kg:x "SERVICE" } # DROP') if t.kind == "word"]
['SELECT']
>>> check_query("SELECT ?service WHERE { ?service a kg:Service }")
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import UserError
from kg.model.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal

# --- the lexer ------------------------------------------------------------------------------------

_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
# The token kinds, tried in this order at each position; "other" takes any one character, so
# every text lexes, and "open" is a string that never closes (it runs to the end of the text).
_TOKEN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in (
    ("space", r"\s+"),
    ("comment", r"#[^\n\r]*"),
    ("string", r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
               r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''),
    ("open", r'"""|\'\'\'|["\']'),
    ("iri", _IRI),
    ("var", r"[?$]\w+"),
    ("blank", r"_:\w(?:[\w.-]*[\w-])?"),
    ("pname", r"(?:[^\W\d_](?:[\w.-]*[\w-])?)?:(?:[\w:%-]|\\[_~.\-!$&'()*+,;=/?#@%]|\.(?=[\w:%-]))*"),
    ("number", r"(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?"),
    ("word", r"[A-Za-z_]\w*"),
    ("lang", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*+\-/|^!=<>?]"),
    ("other", r"."),
)), re.DOTALL)

#: Kinds that carry no meaning for the checks.
QUIET = frozenset({"space", "comment"})


@dataclass(frozen=True, slots=True)
class Token:
    """One token of SPARQL text: its kind, its text, where it starts (offset and line).

    Kinds: ``space``, ``comment``, ``string``, ``open`` (a string that never closes),
    ``iri``, ``var``, ``blank``, ``pname``, ``number``, ``word`` (keywords, function names,
    ``a``, ``true``), ``lang``, ``punct`` and ``other``.
    """

    kind: str
    text: str
    start: int
    line: int

    def is_word(self, *words: str) -> bool:
        """A keyword among ``words`` (upper case; SPARQL keywords ignore case)."""
        return self.kind == "word" and self.text.upper() in words


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of ``sparql``, every character in exactly one token.

    >>> [(t.kind, t.text) for t in tokens("ASK{<urn:a>?p'''x'''}") if t.kind != "punct"]
    [('word', 'ASK'), ('iri', '<urn:a>'), ('var', '?p'), ('string', "'''x'''")]
    """
    line = 1
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind == "open":  # an unclosed string runs to the end of the text
            yield Token(kind, sparql[m.start():], m.start(), line)
            return
        yield Token(kind, m.group(), m.start(), line)
        line += m.group().count("\n")


def significant(sparql: str) -> list[Token]:
    """The tokens of ``sparql`` without spaces and comments."""
    return [t for t in tokens(sparql) if t.kind not in QUIET]


def strip_literals(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked out (same length, same lines).

    >>> strip_literals('SELECT * { ?s ?p "SERVICE" } # DROP ALL')
    'SELECT * { ?s ?p           }           '
    """
    return "".join(re.sub(r"[^\n]", " ", t.text) if t.kind in ("string", "open", "iri", "comment") else t.text
                   for t in tokens(sparql))


# --- what a front may run -------------------------------------------------------------------------

#: The longest query text a front runs, in characters, and in tokens: the engine's parser
#: recurses, and a long chain of operators (``1+1+...``, 7,000 of them) crashes pyoxigraph.
MAX_QUERY_CHARS = 100_000
MAX_QUERY_TOKENS = 10_000
#: The deepest nesting of ``{``, ``(`` and ``[`` a front runs (pyoxigraph crashes near 3,000).
MAX_NESTING = 64

UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_OPEN, _CLOSE = "{([", "})]"


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Refuse what a front must not run: updates, SERVICE unless allowed, and text too big or
    too deeply nested for the engine's parser. Raises :class:`kg.errors.UserError`; returns
    ``None`` for text the engine may parse (its syntax errors are the engine's to report).

    >>> check_query("DROP ALL")
    Traceback (most recent call last):
    ...
    kg.errors.UserError: kg: refused: DROP is a SPARQL UPDATE operation; kg query only reads the graph
    >>> check_query("SELECT * WHERE " + "{" * 100 + "}" * 100)
    Traceback (most recent call last):
    ...
    kg.errors.UserError: kg: refused: the query nests brackets deeper than 64 levels (line 1)
    """
    if len(sparql) > MAX_QUERY_CHARS:
        raise UserError(f"refused: the query is {len(sparql):,} characters long; the limit is {MAX_QUERY_CHARS:,}")
    words = significant(sparql)
    depth = 0
    for t in words:
        if t.kind == "open":
            raise UserError(f"SPARQL syntax error at line {t.line}: a string that never closes")
        if t.kind == "punct" and t.text in _OPEN:
            depth += 1
            if depth > MAX_NESTING:
                raise UserError(f"refused: the query nests brackets deeper than {MAX_NESTING} levels (line {t.line})")
        elif t.kind == "punct" and t.text in _CLOSE:
            depth -= 1
    if len(words) > MAX_QUERY_TOKENS:
        raise UserError(f"refused: the query has {len(words):,} terms and operators; the limit is "
                        f"{MAX_QUERY_TOKENS:,}")
    for t in words:
        if t.is_word(*UPDATE_WORDS):
            raise UserError(f"refused: {t.text.upper()} is a SPARQL UPDATE operation; kg query only reads the graph")
    for t in words:
        if t.is_word("SERVICE") and not allow_service:
            raise UserError(f"refused: SERVICE (line {t.line}) queries a remote endpoint; pass --allow-service to "
                            "allow federation")


def query_form(sparql: str) -> Token | None:
    """The keyword that says what the query is: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.

    >>> query_form("PREFIX select: <urn:x#> ASK { ?s select:x ?o }").text
    'ASK'
    """
    return next((t for t in tokens(sparql) if t.is_word("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)


def projection(sparql: str) -> tuple[Token, list[str]] | None:
    """The first ``SELECT`` and the variables it projects (``["*"]`` for ``SELECT *``); ``None``
    when the query has no SELECT. Variables inside ``( ... AS ?x )`` count only as ``x``.

    >>> projection("SELECT DISTINCT ?a (COUNT(?b) AS ?n) WHERE { ?a ?p ?b }")[1]
    ['a', 'n']
    """
    words = significant(sparql)
    at = next((i for i, t in enumerate(words) if t.is_word("SELECT")), None)
    if at is None:
        return None
    names, depth, prev = [], 0, words[at]
    for t in words[at + 1:]:
        if t.is_word("WHERE", "FROM") or (t.kind == "punct" and t.text == "{"):
            break
        if t.kind == "punct" and t.text in "()":
            depth += 1 if t.text == "(" else -1
        elif depth == 0 and t.kind == "var":
            names.append(t.text[1:])
        elif depth == 0 and t.kind == "punct" and t.text == "*":
            names.append("*")
        elif depth == 1 and t.kind == "var" and prev.is_word("AS"):
            names.append(t.text[1:])
        prev = t
    return words[at], names


# --- prefixes and values --------------------------------------------------------------------------


def with_prefixes(sparql: str) -> str:
    """``sparql`` with a ``PREFIX`` line for each project prefix it does not declare itself.

    >>> with_prefixes("PREFIX kg: <urn:x#> ASK {}").count("PREFIX kg:")
    1
    >>> "PREFIX schema: <https://schema.org/>" in with_prefixes("ASK {}")
    True
    """
    words = significant(sparql)
    declared = {b.text[:-1] for a, b in zip(words, words[1:], strict=False)
                if a.is_word("PREFIX") and b.kind == "pname" and b.text.endswith(":") and b.text.count(":") == 1}
    lines = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return lines + sparql


# One RDF term as pyoxigraph writes it in N-Triples: an IRI, or a literal with its escapes and an
# optional language tag or datatype IRI. Anything else in a VALUES block would be a bug.
_TERM = re.compile(_IRI + r'|"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^' + _IRI + ")?")


def with_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """Bind variables with a ``VALUES`` block first in the outermost ``WHERE`` group.

    Each value is an RDF term object serialized by pyoxigraph (IRIs are checked when the
    term is made, quotes and line breaks in literals are escaped), and each serialized term
    is checked again to be exactly one term: a value is data, never query text.

    >>> with_values("SELECT ?n WHERE { ?x rdfs:label ?n }", {"x": ox.NamedNode("urn:a")})
    'SELECT ?n WHERE { VALUES (?x) { (<urn:a>) }\\n ?x rdfs:label ?n }'
    >>> with_values("SELECT * WHERE { ?x ?p ?v }", {"v": ox.Literal('x" } ; DROP ALL ; #')})
    'SELECT * WHERE { VALUES (?v) { ("x\\\\" } ; DROP ALL ; #") }\\n ?x ?p ?v }'
    """
    names, terms = [], []
    for name, term in bindings.items():
        if not re.fullmatch(r"[A-Za-z_][\w]*", name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if not isinstance(term, ox.NamedNode | ox.Literal):
            raise ValueError(f"?{name}: only IRIs and literals can be bound")
        text = str(term)
        if not _TERM.fullmatch(text):
            raise ValueError(f"?{name}: {text!r} is not a single RDF term")
        names.append(f"?{name}")
        terms.append(text)
    at = _where_brace(sparql)
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}\n"
    return sparql[: at + 1] + block + sparql[at + 1:]


def _where_brace(sparql: str) -> int:
    """The offset of the ``{`` that opens the outermost WHERE group (else the first group)."""
    depth, first, after_where = 0, -1, False
    for t in significant(sparql):
        if t.kind != "punct" and not t.is_word("WHERE"):
            continue
        if t.text == "{":
            if depth == 0 and after_where:
                return t.start
            if depth == 0 and first < 0:
                first = t.start
            depth += 1
        elif t.text == "}":
            depth -= 1
        elif depth == 0 and t.kind == "word":
            after_where = True
    if first < 0:
        raise ValueError("the query has no WHERE group to bind values in")
    return first
