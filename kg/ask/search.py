"""Find entities by name: labels and aliases in English, Chinese or pinyin, ranked.

Matching ignores case, tone marks and spaces, so ``tengxun``, ``Téng Xùn`` and ``腾讯`` all
find what is so named (pinyin is matched where the graph holds it: for names given only in
Chinese).

>>> from kg.project import Project
>>> from kg.graph import open_store
>>> store = open_store(Project.default())
>>> [h.id for h in search(store, "tencent education")][:1]
['tencent-education']
>>> search(store, "guang he ji hua")[0].id
'guanghe-plan'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

import pyoxigraph as ox

from kg.model.labels import choose_label
from kg.model.vocab import PREFIXES, short_id, shorten
from kg.store.base import Store, kept, value_of

_INDEX = """
SELECT ?x ?p ?l WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel }
  ?x ?p ?l .
  FILTER (STRSTARTS(STR(?x), STR(kgid:)) || STRSTARTS(STR(?x), STR(theme:)) || STRSTARTS(STR(?x), STR(role:))
          || STRSTARTS(STR(?x), STR(beneficiary:)))
}
"""
_TYPES = "SELECT ?x ?t WHERE { ?x a ?t }"
_PREF = PREFIXES["skos"] + "prefLabel"
PINYIN = "zh-latn-pinyin"  # the language tag of generated pinyin, as the index lower-cases it


@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, short id, preferred label, the name that matched, a score."""

    iri: str
    id: str
    label: str
    matched: str
    score: int
    types: tuple[str, ...] = ()


def normalize(text: str) -> str:
    """Lower case, no tone marks or punctuation, single spaces: how names are compared.

    >>> normalize("Téng Xùn  Jiào-Yù")
    'teng xun jiao yu'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", kept).split())


def _score(query: str, name: str) -> int:
    """How well ``name`` (normalized) matches ``query`` (normalized): 0 to 100.

    >>> _score("tengxun", "teng xun"), _score("teng", "teng xun jiao yu"), _score("clasin", "classin")
    (100, 80, 20)
    """
    return _scored(query, query.replace(" ", ""), name, name.replace(" ", ""))


def _scored(query: str, q: str, name: str, n: str) -> int:
    """:func:`_score`, given both texts also without their spaces (``q``, ``n``)."""
    if not query or not name:
        return 0
    if name == query or n == q:
        return 100
    if n.startswith(q):
        return 80
    if any(word.startswith(query) for word in name.split()) or f" {query}" in f" {name}":
        return 60
    if q in n:
        return 40
    if len(q) >= 4 and _close(q, n):  # a typo: "clasin" for ClassIn
        return 20
    return 0


def _close(a: str, b: str) -> bool:
    """``SequenceMatcher(None, a, b).ratio() >= 0.8``, its cheap upper bounds tried first (as
    difflib.get_close_matches does): most names are told apart without the full comparison.

    >>> _close("clasin", "classin"), _close("tencent", "unesco")
    (True, False)
    """
    if 2 * min(len(a), len(b)) < 0.8 * (len(a) + len(b)):  # real_quick_ratio(), before any set-up
        return False
    m = SequenceMatcher(None, a, b)
    return m.quick_ratio() >= 0.8 and m.ratio() >= 0.8


class Name(NamedTuple):
    """One name of an entity, with the normalized forms it is compared by."""

    text: str
    language: str  # lower case; "" for none
    preferred: bool  # skos:prefLabel (else an alias)
    key: str  # normalize(text)
    compact: str  # the key without its spaces


@dataclass(frozen=True)
class Named:
    """An entity of the name index: its IRI, short id (and the id's local part normalized, with
    and without spaces), names."""

    iri: str
    id: str
    id_key: str
    id_compact: str
    names: tuple[Name, ...]

    def label(self, lang: str) -> str:
        """The preferred label in ``lang`` (:func:`kg.model.labels.choose_label`); an entity with
        no preferred label: a name it has."""
        prefs = {n.language: n.text for n in self.names if n.preferred}
        return choose_label(prefs, lang, self.names[0].text)


def name_index(store: Store) -> tuple[Named, ...]:
    """Every entity with a name (labels and aliases of entities, themes, roles and groups served),
    each name normalized once: read it once and pass it to :func:`search` and
    :func:`exact_matches` when a name is looked for both ways (:mod:`kg.ask.names`). A store
    that does not change (a build's) keeps it, read once for all the names looked up in it.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> index = name_index(open_store(Project.default()))
    >>> next(n for n in index if n.id == "tencent").label("zh")
    '腾讯'
    """
    return kept(store, "name_index", lambda: _read_names(store))


def _read_names(store: Store) -> tuple[Named, ...]:
    names: dict[str, list[Name]] = {}
    for x, p, label in store.query(_INDEX).rows:
        if isinstance(label, ox.Literal):
            key = normalize(label.value)
            names.setdefault(value_of(x), []).append(
                Name(label.value, (label.language or "").lower(), value_of(p) == _PREF, key, key.replace(" ", "")))
    index = []
    for iri, found in names.items():
        ident = short_id(iri)
        key = normalize(ident.split(":")[-1])
        index.append(Named(iri, ident, key, key.replace(" ", ""), tuple(found)))
    return tuple(index)


def search(store: Store, text: str, *, limit: int = 20, lang: str = "en",
           index: Sequence[Named] | None = None) -> list[Hit]:
    """Entities whose id, label or alias matches ``text``, best first (over ``index`` when
    given, else the store's :func:`name_index`)."""
    query = normalize(text)
    q = query.replace(" ", "")
    hits = []
    for entity in name_index(store) if index is None else index:
        best, matched = _scored(query, q, entity.id_key, entity.id_compact), entity.id
        for name in entity.names:
            score = _scored(query, q, name.key, name.compact)
            score += 5 if score and name.preferred else 0
            if score > best:
                best, matched = score, name.text
        if best:
            hits.append(Hit(entity.iri, entity.id, entity.label(lang), matched, best))
    hits.sort(key=lambda h: (-h.score, len(h.matched), h.id))
    hits = hits[:limit]
    types: dict[str, list[str]] = {}
    for h in hits:
        for _, t in store.query(_TYPES, bindings={"x": ox.NamedNode(h.iri)}).rows:
            types.setdefault(h.iri, []).append(shorten(value_of(t)))
    return [Hit(h.iri, h.id, h.label, h.matched, h.score, tuple(sorted(types.get(h.iri, ()))))
            for h in hits]


def exact_matches(store: Store, text: str, *, lang: str = "en", index: Sequence[Named] | None = None) -> list[Hit]:
    """Entities one of whose names is ``text`` (ignoring case, tone marks and spacing), over
    ``index`` when given, else the store's :func:`name_index`.

    A name as written beats generated pinyin, which loses the tones that tell names apart:
    "Shanxi" is the province 山西 (shān xī), not 陕西 (shǎn xī, written Shaanxi).

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> [h.id for h in exact_matches(open_store(Project.default()), "shanxi")]
    ['CN-SX']
    """
    query = normalize(text).replace(" ", "")
    if not query:
        return []
    written: list[Hit] = []
    romanized: list[Hit] = []
    for entity in name_index(store) if index is None else index:
        matches = [name for name in entity.names if name.compact == query]
        if matches:
            hit = Hit(entity.iri, entity.id, entity.label(lang), matches[0].text, 100)
            (romanized if all(name.language == PINYIN for name in matches) else written).append(hit)
    return sorted(written or romanized, key=lambda h: h.id)
