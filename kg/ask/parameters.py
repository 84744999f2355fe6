"""Parameters of named questions: read off their variable names, and their values bound.

A question names its parameters as variables: ``?_org_iri`` (an IRI), ``?_year_xsd_gYear``
(a typed literal), ``?_text`` (a string); ``?__name`` (two underscores) is optional. A value
becomes one RDF term, bound by the engine, never pasted into the text, so a parameter value
cannot change what a query does.

>>> p = Parameter.from_variable("_year_xsd_gYear")
>>> parameter_term(None, p, "2021").value
'2021'
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

from kg.ask.names import resolve_entity
from kg.errors import Problem, UserError
from kg.model.vocab import XSD
from kg.store.base import Store, Term

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

# A variable that names a parameter: one underscore (required) or two (optional), then a name.
_PARAMETER = re.compile(r"__?[A-Za-z][A-Za-z0-9_]*")


def is_parameter(variable: str) -> bool:
    """Whether a variable (without ``?``) names a parameter.

    >>> is_parameter("_org_iri"), is_parameter("__since_xsd_gYear"), is_parameter("org")
    (True, True, False)
    """
    return _PARAMETER.fullmatch(variable) is not None


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
    enum_class: str | None = None  # "kg:Source": the values are the instances of this class in the graph

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
        if self.enum_class:
            extras.append(f"a {self.enum_class} of the graph")
        return f"{self.key} ({'; '.join(extras)})"


class Parametrized(Protocol):
    """What has parameters to bind: a :class:`kg.ask.questions.NamedQuery`."""

    @property
    def name(self) -> str: ...

    @property
    def parameters(self) -> tuple[Parameter, ...]: ...

    def parameter(self, key: str) -> Parameter | None: ...


def bind_parameters(store: Store, query: Parametrized, values: Mapping[str, str]) -> dict[str, Term]:
    """Check ``values`` (by parameter key) against ``query`` and turn them into RDF terms.

    Unknown names, missing required values and values outside an enumeration are errors that
    list the valid choices. IRIs are named as :func:`kg.ask.names.resolve_entity` reads them:
    an entity id, ISO code, prefixed name, full IRI, or a name in English, Chinese or pinyin.
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
            choices = ""
            if p.enum_class:
                from kg.model.vocab import shorten

                found = [shorten(i).removeprefix("kgid:") for i in instances(store, p.enum_class)]
                choices = f"; these are: {', '.join(found[:15])}" + (", ..." if len(found) > 15 else "")
            problems.append(f"{query.name}: missing parameter {p.key!r}: give --param {p.key}=VALUE "
                            f"({p.describe()}){choices}")
    if problems:
        raise UserError([Problem("kg", 0, m) for m in problems])
    bindings: dict[str, Term] = {}
    for p in query.parameters:
        given = by_key.get(p.variable, p.default)
        if given is None:
            continue
        bindings[p.variable] = parameter_term(store, p, given, query.name)
    return bindings


def parameter_term(store: Store, p: Parameter, value: str, query_name: str = "query") -> Term:
    """The RDF term for ``value`` of parameter ``p``, checked against its type and enumeration."""
    where = f"{query_name}: parameter {p.key!r}"
    if p.enum_class:
        return _instance(store, p.enum_class, value, where)
    if p.kind == "iri":
        if p.enum:  # an enumerated value may be given by its local name: "meet-2021" for src:meet-2021
            chosen = [v for v in p.enum if value.strip() in (v, v.partition(":")[2])]
            if chosen:
                return ox.NamedNode(resolve_entity(store, chosen[0], what=where))
            outside = UserError(f"{where}: {value!r} is not one of its values: {', '.join(p.enum)}")
            try:
                term = ox.NamedNode(resolve_entity(store, value, what=where))
            except UserError:
                raise outside from None
            if term.value not in {resolve_entity(store, v, what=where) for v in p.enum}:
                raise outside
            return term
        return ox.NamedNode(resolve_entity(store, value, what=where))
    if p.enum and value not in p.enum:
        raise UserError(f"{where}: {value!r} is not one of its values: {', '.join(p.enum)}")
    if p.datatype is None:
        return ox.Literal(value)
    pattern = XSD_PATTERNS[p.type_name]
    if not re.fullmatch(pattern, value):
        raise UserError(f"{where}: {value!r} is not a valid xsd:{p.type_name}")
    return ox.Literal(value, datatype=ox.NamedNode(p.datatype))


def instances(store: Store, class_name: str) -> list[str]:
    """The IRIs of the instances of a class (prefixed name) and its subclasses, sorted."""
    rows = store.query(f"SELECT DISTINCT ?x WHERE {{ ?x a/rdfs:subClassOf* {class_name} FILTER (isIRI(?x)) }}"
                       " ORDER BY STR(?x)").rows
    return [row[0].value for row in rows if row[0] is not None]


def _instance(store: Store, class_name: str, value: str, where: str) -> ox.NamedNode:
    """``value`` as one of the instances of ``class_name``: its IRI, prefixed name, local name
    or a name of it in any language (``乡村教师`` for ``beneficiary:rural-teachers``)."""
    from kg.model.vocab import shorten

    known = instances(store, class_name)
    text = value.strip().strip("<>")
    for iri in known:
        short = shorten(iri)
        if text in (iri, short, short.partition(":")[2], iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]):
            return ox.NamedNode(iri)
    with contextlib.suppress(UserError):  # a name, where it names one of them
        named = resolve_entity(store, text, what=where)
        if named in known:
            return ox.NamedNode(named)
    shown = ", ".join(shorten(i).removeprefix("kgid:") for i in known[:15]) + (", ..." if len(known) > 15 else "")
    raise UserError(f"{where}: {value!r} is not a {class_name} of the graph; these are: {shown or 'none'}")
