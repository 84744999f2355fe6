"""How Chinese names are read in pinyin: phrase readings for the names of organizations and
things, a surname-aware reading for people, and a reviewed list of readings the defaults get
wrong (``readings.tsv`` beside this module, each entry with why).

pypinyin reads text by the most common reading of each word, which misreads surnames (单 as a
surname is Shàn, not dān) and some abbreviations (中少, for 中国少年, is zhōng shào).
pypinyin has no surname mode (its issue #297 asks for one), so the surname rule is kept here:
a person's name splits into a family name (a compound one from the list, else the first
character), read as a surname, and a given name, read character by character (a given name is
no phrase: 子 in 子斌 is zǐ, not the suffix zi). Everything else reads by phrases, with the
list's phrases first.

>>> pinyin("腾讯教育")
'téng xùn jiào yù'
>>> pinyin("中少红卡")
'zhōng shào hóng kǎ'
>>> person_pinyin("单泽兵"), pinyin("单泽兵")
('shàn zé bīng', 'dān zé bīng')
>>> person_pinyin("郑子斌")
'zhèng zǐ bīn'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

TABLE = Path(__file__).with_name("readings.tsv")
SCOPES = ("surname", "phrase", "name")
_HAN = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


@dataclass(frozen=True)
class Reading:
    """One reviewed reading: where it applies, the characters, their pinyin, and why."""

    scope: str
    text: str
    reading: str
    why: str


@cache
def reviewed() -> dict[str, dict[str, Reading]]:
    """The reviewed readings by scope, then by text (a malformed row is a bug in kg: it raises).

    >>> reviewed()["surname"]["单"].reading
    'shàn'
    """
    out: dict[str, dict[str, Reading]] = {scope: {} for scope in SCOPES}
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    if lines[0].split("\t") != ["scope", "text", "reading", "why"]:
        raise ValueError(f"{TABLE}: unexpected header {lines[0]!r}")
    for line in lines[1:]:
        cells = line.split("\t")
        if (len(cells) != 4 or cells[0] not in out or not cells[3].strip() or cells[1] in out[cells[0]]
                or len(cells[2].split()) != len(_HAN.findall(cells[1])) or not _HAN.fullmatch(cells[1][0])):
            raise ValueError(f"{TABLE}: malformed or repeated entry: {line!r}")
        out[cells[0]][cells[1]] = Reading(*cells)
    return out


def _syllables(text: str) -> list[str]:
    """pypinyin's phrase reading of ``text``: one syllable per character, other runs as they are."""
    from pypinyin import Style, lazy_pinyin

    return [w.strip() for w in lazy_pinyin(text, style=Style.TONE)]


def _character(c: str) -> str:
    """One character's reading in a given name: pypinyin's first reading that has a tone (a
    name has no neutral tone: 子 is zǐ, though pypinyin lists the suffix zi first)."""
    from pypinyin import Style
    from pypinyin import pinyin as readings

    found = readings(c, style=Style.TONE, heteronym=True)[0]
    return next((r for r in found if unicodedata.normalize("NFD", r) != r), found[0])


@cache
def _phrase_pattern() -> re.Pattern[str]:
    """The reviewed phrases, longest first, as one pattern."""
    phrases = reviewed()["phrase"]
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


def _phrases(text: str) -> list[str]:
    """``text`` read by phrases, the reviewed phrases first (longest first, left to right)."""
    phrases = reviewed()["phrase"]
    if not phrases:
        return _syllables(text)
    out, at = [], 0
    for m in _phrase_pattern().finditer(text):
        out += _syllables(text[at:m.start()]) + phrases[m.group()].reading.split()
        at = m.end()
    return out + _syllables(text[at:])


def _join(words: list[str]) -> str:
    return " ".join(w for w in words if any(c.isalnum() for c in w))


# A reading depends on the text alone (the reviewed table is read once per process), and the same
# names are read again and again: each build reads every region's, and a process may build often.
@lru_cache(maxsize=1 << 16)
def pinyin(text: str) -> str:
    """The pinyin of the Chinese characters in ``text``, tone marks included, read by phrases
    (the reviewed phrases first): for organizations, initiatives, places and things.

    >>> pinyin("智能教育“光合计划”")
    'zhì néng jiào yù guāng hé jì huà'
    """
    return _join(_phrases(text))


@lru_cache(maxsize=1 << 16)
def person_pinyin(name: str) -> str:
    """The pinyin of a person's Chinese name: the reviewed whole name if listed, else the
    family name read as a surname and the given name character by character.

    >>> person_pinyin("欧阳修"), person_pinyin("曾国藩")
    ('ōu yáng xiū', 'zēng guó fān')
    """
    table = reviewed()
    if name in table["name"]:
        return table["name"][name].reading
    text = name.strip()
    if not text or not _HAN.match(text):  # not a Chinese name as written: read it as any text
        return pinyin(text)
    surnames = table["surname"]
    family = text[:2] if text[:2] in surnames else text[:1]
    head = surnames[family].reading.split() if family in surnames else [_character(family)]
    given = [_character(c) if _HAN.fullmatch(c) else c for c in text[len(family):]]
    return _join(head + given)


def reading(name: str, *, person: bool) -> str:
    """:func:`person_pinyin` for a person's name, else :func:`pinyin`."""
    return person_pinyin(name) if person else pinyin(name)
