"""Naming an entity: the one place where text a user types becomes the IRI it names.

``kg describe``, the ``_iri`` parameters of named questions and the centre of the ego
network all read names here, so what works in one works in all: an entity id
(``tencent``), an ISO 3166 or division code (``CN-AH``, ``cn-ah``), a prefixed name
(``kgid:tencent``, ``role:funder``), a full IRI, or a name or alias in any language or in
pinyin (``腾讯``, ``Tencent Education``, ``guang he ji hua``).

>>> from kg.project import Project
>>> from kg.graph import open_store
>>> store = open_store(Project.default())
>>> resolve_entity(store, "腾讯教育") == resolve_entity(store, "tencent-education")
True
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.errors import UserError
from kg.model.vocab import BENEFICIARY, ID, PREFIXES, ROLE, SRC, THEME, short_id, shorten
from kg.store.base import Store, value_of

# Namespaces a bare name (``tencent``, ``rural-education``, ``rural-teachers``, ``funder``) may belong to; an
# entity's id comes first and wins (``meet-2021`` the summit, not the source).
_BARE_NAMESPACES = (str(ID), str(THEME), str(BENEFICIARY), str(ROLE), str(SRC), PREFIXES["kg"])
_ANY = "SELECT ?x ?p WHERE { ?x ?p ?o } LIMIT 1"
_CODE = "SELECT ?x WHERE { { ?x kg:isoCode ?code } UNION { ?x kg:divisionCode ?code } }"
_ISO_LIKE = re.compile(r"[A-Za-z]{2}(?:-[A-Za-z0-9]{1,3})?|\d{6}")


def resolve_entity(store: Store, text: str, *, what: str = "entity") -> str:
    """The IRI that ``text`` names; a :class:`kg.errors.UserError` (starting with ``what``)
    when it names nothing (with the closest names) or several things (with their ids).

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> store = open_store(Project.default())
    >>> [resolve_entity(store, v) for v in ("tencent", "kgid:tencent", "腾讯", "cn-ah")][-1]
    'https://w3id.org/edu-equity-kg/id/CN-AH'
    >>> resolve_entity(store, "Tencnet Educaton")
    Traceback (most recent call last):
    ...
    kg.errors.UserError: kg: entity: nothing is called 'Tencnet Educaton'; did you mean: tencent-education (...)
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
        try:
            return ox.NamedNode(value).value
        except ValueError as e:
            raise UserError(f"{what}: {text!r} is not a valid IRI ({e})") from None
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and re.fullmatch(r"[^\s<>\"{}|^`\\]*", local):
        return PREFIXES[prefix] + local
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
        found = [ns + value for ns in _BARE_NAMESPACES
                 if store.query(_ANY, bindings={"x": ox.NamedNode(ns + value)}).rows]
        if found and found[0].startswith(str(ID)):
            return found[0]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UserError(f"{what}: {text!r} is ambiguous: {', '.join(shorten(f) for f in found)}; "
                            "give the prefixed name")
    if _ISO_LIKE.fullmatch(value):
        coded = {value_of(row[0]) for row in store.query(_CODE, bindings={"code": ox.Literal(value.upper())}).rows}
        if len(coded) == 1:
            return coded.pop()
    return _by_name(store, text, value, what)


def _by_name(store: Store, text: str, value: str, what: str) -> str:
    from kg.ask.search import Hit, exact_matches, name_index, search

    index = name_index(store)  # read once for both looks (most of the time a name takes)
    hits, how = exact_matches(store, value, index=index), "names"
    ranked: list[Hit] = []
    if not hits:  # a name's unambiguous beginning: 安徽 for 安徽省
        ranked = search(store, value, limit=10, index=index)
        hits = [h for h in ranked if h.score >= 80 and h.matched != h.id]
        how = "begins the names of"
    if len(hits) == 1:
        return hits[0].iri
    if len(hits) > 1:
        listed = "; ".join(f"{h.id} ({h.label})" for h in sorted(hits, key=lambda h: h.id))
        raise UserError(f"{what}: {text!r} {how} {len(hits)} entities: {listed}; give one id")
    near = ranked[:5]  # the best five of the search above (it ran: no name matched exactly)
    hint = f"; did you mean: {', '.join(f'{h.id} ({h.label})' for h in near)}" if near else \
        "; try `kg search` to find an id"
    raise UserError(f"{what}: nothing is called {text!r}{hint}")


def entity_id(store: Store, text: str, *, what: str = "entity") -> str:
    """The short id (``tencent``; a prefixed name outside ``kgid:``) of what ``text`` names,
    as networks and results name entities.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> entity_id(open_store(Project.default()), "腾讯教育")
    'tencent-education'
    """
    return short_id(resolve_entity(store, text, what=what))
