"""SPARQL text: project prefixes added, values bound as a ``VALUES`` block (one term each).

Both the stores (which send text) and the questions (which check it) use these.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.model.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal

_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def with_prefixes(sparql: str) -> str:
    """``sparql`` with a ``PREFIX`` line for each project prefix it does not declare itself.

    >>> with_prefixes("PREFIX kg: <urn:x#> ASK {}").count("PREFIX kg:")
    1
    >>> "PREFIX schema: <https://schema.org/>" in with_prefixes("ASK {}")
    True
    """
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(sparql)}
    lines = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return lines + sparql


# One RDF term as pyoxigraph writes it in N-Triples: an IRI, or a literal with its escapes and an
# optional language tag or datatype IRI. Anything else in a VALUES block would be a bug.
_TERM = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>'
                   r'|"(?:[^"\\\n\r]|\\.)*"(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^<[^<>"{}|^`\\\x00-\x20]*>)?')


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
    """The offset of the ``{`` that opens the outermost WHERE group (skips IRIs, strings, comments)."""
    i, n, depth, first = 0, len(sparql), 0, -1
    after_where = False
    while i < n:
        c = sparql[i]
        if c == "#":
            i = sparql.find("\n", i)
            i = n if i < 0 else i
            continue
        if c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not sparql.startswith(quote, j):
                j += 2 if sparql[j] == "\\" else 1
            i = j + len(quote)
            continue
        if c == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", sparql[i:]):
            i = sparql.index(">", i) + 1
            continue
        if c == "{":
            if depth == 0 and (after_where or first < 0):
                if after_where:
                    return i
                first = i
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and sparql[i:i + 5].upper() == "WHERE" and not _word(sparql, i - 1) \
                and not _word(sparql, i + 5):
            after_where = True
        i += 1
    if first < 0:
        raise ValueError("the query has no WHERE group to bind values in")
    return first


def _word(s: str, i: int) -> bool:
    return 0 <= i < len(s) and (s[i].isalnum() or s[i] in "_?$")


