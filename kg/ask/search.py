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
from dataclasses import dataclass
from difflib import SequenceMatcher

import pyoxigraph as ox

from kg.model.labels import choose_label
from kg.model.vocab import PREFIXES, short_id, shorten
from kg.store.base import Store, value_of

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
    """How well ``name`` (normalized) matches ``query`` (normalized): 0 to 100."""
    if not query or not name:
        return 0
    q, n = query.replace(" ", ""), name.replace(" ", "")
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


def _index(store: Store) -> dict[str, list[tuple[str, str, bool]]]:
    entries: dict[str, list[tuple[str, str, bool]]] = {}
    for x, p, label in store.query(_INDEX).rows:
        if isinstance(label, ox.Literal):
            entries.setdefault(value_of(x), []).append((label.value, (label.language or "").lower(),
                                                        value_of(p) == _PREF))
    return entries


def _preferred(names: list[tuple[str, str, bool]], lang: str) -> str:
    prefs = {language: text for text, language, pref in names if pref}
    return choose_label(prefs, lang, names[0][0])  # an entity with no preferred label: a name it has


def search(store: Store, text: str, *, limit: int = 20, lang: str = "en") -> list[Hit]:
    """Entities whose id, label or alias matches ``text``, best first."""
    query = normalize(text)
    hits = []
    for iri, names in _index(store).items():
        ident = short_id(iri)
        best, matched = _score(query, normalize(ident.split(":")[-1])), ident
        for name, _, pref in names:
            score = _score(query, normalize(name))
            score += 5 if score and pref else 0
            if score > best:
                best, matched = score, name
        if best:
            hits.append(Hit(iri, ident, _preferred(names, lang), matched, best))
    hits.sort(key=lambda h: (-h.score, len(h.matched), h.id))
    hits = hits[:limit]
    types: dict[str, list[str]] = {}
    for h in hits:
        for _, t in store.query(_TYPES, bindings={"x": ox.NamedNode(h.iri)}).rows:
            types.setdefault(h.iri, []).append(shorten(value_of(t)))
    return [Hit(h.iri, h.id, h.label, h.matched, h.score, tuple(sorted(types.get(h.iri, ()))))
            for h in hits]


def exact_matches(store: Store, text: str, *, lang: str = "en") -> list[Hit]:
    """Entities one of whose names is ``text`` (ignoring case, tone marks and spacing).

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
    for iri, names in _index(store).items():
        matches = [(name, language) for name, language, _ in names if normalize(name).replace(" ", "") == query]
        if matches:
            hit = Hit(iri, short_id(iri), _preferred(names, lang), matches[0][0], 100)
            (romanized if all(language == PINYIN for _, language in matches) else written).append(hit)
    return sorted(written or romanized, key=lambda h: h.id)
