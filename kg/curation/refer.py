"""References without a name, resolved across a document: "the Foundation", "该项目", "TFC".

A press text names an actor or an initiative once and then refers to it without its name: a
definite noun ("the Foundation", "the meeting", "该基金会", "本次大会", a bare "中心" after a
clause break) or an abbreviation it defines ("Alpha Fund (AF)", "甲乙基金会（以下简称“甲乙”）").
:func:`find_references` finds the nouns of a paragraph and :func:`abbreviation_after` the
abbreviation defined after a name. :func:`resolve` gives a noun the entity it refers to, of
those named before it whose kind fits the noun: the nearest in the same paragraph, else the one
the title and lead name first, else the nearest in the earlier paragraphs. A noun that is part
of an organization's name ("Foundation", "中心") needs an antecedent whose name holds it; a noun
of an occasion ("project", "会议") takes the nearest initiative or event, one whose name holds
the noun first. What is resolved is a proposal: the draft marks it as resolved by reference,
with its words and its antecedent's, never as a name found in the text.

>>> refs = find_references("The Alpha Foundation met. Later the Foundation funded the project.")
>>> [(r.words, r.kinds) for r in refs]
[('the Foundation', ('Organization',)), ('the project', ('Initiative',))]
>>> alpha = Referent(1, 4, 20, "alpha-foundation", frozenset({"Organization"}), "Alpha Foundation",
...                  ("alpha foundation",))
>>> resolve(refs[0], 1, [alpha]).target
'alpha-foundation'
>>> resolve(refs[1], 1, [alpha]) is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A definite noun -> the kinds it can refer to, and the words one of which the antecedent's name
# must hold ("" : any entity of the kinds; the nearest whose name holds the noun is still taken first).
_ORG = ("Organization",)
_INITIATIVE = ("Initiative",)
_EVENT = ("Event",)
_OCCASION = ("Initiative", "Event")
_NOUNS_EN: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "foundation": (_ORG, ("foundation", "基金会")),
    "fund": (_ORG + _INITIATIVE, ("fund", "基金")),
    "centre": (_ORG, ("centre", "center", "中心")),
    "center": (_ORG, ("centre", "center", "中心")),
    "institute": (_ORG, ("institute", "研究院", "研究所")),
    "university": (_ORG, ("university", "大学")),
    "ministry": (_ORG, ("ministry", "部")),
    "association": (_ORG, ("association", "协会", "学会")),
    "society": (_ORG, ("society", "学会", "协会")),
    "academy": (_ORG, ("academy", "学院", "研究院")),
    "alliance": (_ORG, ("alliance", "联盟")),
    "federation": (_ORG, ("federation", "联合会")),
    "council": (_ORG, ("council", "理事会")),
    "commission": (_ORG, ("commission", "委员会")),
    "committee": (_ORG, ("committee", "委员会")),
    "bureau": (_ORG, ("bureau", "局")),
    "league": (_ORG, ("league", "团")),
    "company": (_ORG, ("company", "group", "inc", "ltd", "公司", "集团")),
    "organization": (_ORG, ()),
    "organisation": (_ORG, ()),
    "project": (_INITIATIVE, ("project", "program", "programme", "plan", "项目", "计划")),
    "programme": (_INITIATIVE, ("programme", "program", "project", "plan", "项目", "计划")),
    "program": (_INITIATIVE, ("programme", "program", "project", "plan", "项目", "计划")),
    "plan": (_INITIATIVE, ("plan", "program", "programme", "计划")),
    "initiative": (_INITIATIVE, ("initiative", "倡议", "行动")),
    "campaign": (_INITIATIVE, ("campaign", "行动")),
    "meeting": (_EVENT, ("meeting", "会议", "会")),
    "forum": (_EVENT, ("forum", "论坛")),
    "conference": (_EVENT, ("conference", "大会", "会议")),
    "summit": (_EVENT, ("summit", "峰会")),
    "seminar": (_EVENT, ("seminar", "研讨会")),
    "workshop": (_EVENT, ("workshop", "研修班", "培训班")),
    "symposium": (_EVENT, ("symposium", "研讨会")),
    "consultation": (_EVENT, ("consultation", "consultative", "咨询")),
    "event": (_EVENT, ()),
    "ceremony": (_EVENT, ("ceremony", "launch", "仪式")),
}
# Chinese: a determiner, then the noun (该基金会, 本次大会, 这一项目, 此次论坛).
_NOUNS_ZH: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "基金会": (_ORG, ("基金会", "foundation")),
    "中心": (_ORG, ("中心", "centre", "center")),
    "协会": (_ORG, ("协会", "association")),
    "学会": (_ORG, ("学会", "society")),
    "公司": (_ORG, ("公司", "集团", "company", "group")),
    "集团": (_ORG, ("集团", "公司", "group")),
    "研究院": (_ORG, ("研究院", "institute", "academy")),
    "大学": (_ORG, ("大学", "university")),
    "学院": (_ORG, ("学院", "college", "academy")),
    "校": (_ORG, ("大学", "学院", "学校", "中学", "小学", "university", "college", "school")),
    "机构": (_ORG, ()),
    "组织": (_ORG, ()),
    "项目": (_INITIATIVE, ("项目", "计划", "工程", "project", "program", "programme", "plan")),
    "计划": (_INITIATIVE, ("计划", "项目", "plan", "program", "programme")),
    "工程": (_INITIATIVE, ("工程", "项目", "project")),
    "行动": (_INITIATIVE, ("行动", "campaign", "initiative")),
    "活动": (_OCCASION, ()),
    "会议": (_EVENT, ("会议", "大会", "会", "meeting", "conference")),
    "大会": (_EVENT, ("大会", "会议", "conference", "summit")),
    "论坛": (_EVENT, ("论坛", "forum")),
    "峰会": (_EVENT, ("峰会", "summit")),
    "研讨会": (_EVENT, ("研讨会", "seminar", "symposium")),
    "培训班": (_EVENT, ("培训班", "研修班", "workshop")),
    "研修班": (_EVENT, ("研修班", "培训班", "workshop")),
}
_DEFINITE_EN = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s+(?:(?:\d{4}|\w+-day|annual|consultative|international|online|said|above|"
    r"whole|entire|launch|opening)\s+)?(" + "|".join(sorted(_NOUNS_EN, key=len, reverse=True)) + r")\b(?!-)",
    re.IGNORECASE)
# what makes the words part of a name or a plural, not a reference: "the Foundation for X", "the
# Summit Committee", "the meeting's" is still one ("the forums" is not)
_NAME_AFTER_EN = re.compile(r"^(?:s\b|\s+(?:of|for|on|in)\s+(?:the\s+)?[A-Z]|\s+[A-Z][a-z])")
_NOUNS_ZH_LONGEST = sorted(_NOUNS_ZH, key=len, reverse=True)  # an alternation takes the first that matches
_DEFINITE_ZH = re.compile(r"(?:该|本|此|这一|这个|这项|这次|此次|本次|本届|该次|该项|这)(?:"
                          + "|".join(_NOUNS_ZH_LONGEST) + ")")
# Chinese also refers by the bare noun at the start of a clause ("中心具有……", "，基金会将……"), unless
# the noun begins a longer word (中心小学, 项目组).
_BARE_ZH = re.compile(r"(?:^|(?<=[。，,；;：:！？!?、“（(]))"
                      r"(中心|基金会|大会|论坛|峰会|项目|计划|学会|协会|研究院|公司|集团)(?![小中大学校城区组部办店线化点式])")
# An abbreviation a text defines after a name: "Alpha Fund (AF)", "甲乙基金会（以下简称“甲乙”）".
# A few capitalised words in quotes may be one: "(referred to as "Alpha Rural Fund")".
_ABBREVIATION = re.compile(r"^\s*[(（]\s*(?:(?:hereinafter|below)\s+(?:referred\s+to\s+as\s+|called\s+|as\s+)?|"
                           r"(?:referred\s+to\s+as|called)\s+|以下简称|下称|简称)?\s*"
                           r"(?:[\"“]([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){1,3})[\"”]|"
                           r"[\"“‘'《]?([A-Z][A-Za-z&-]{1,11}|[\u4e00-\u9fff]{2,8})[\"”’'》]?)\s*[)）]")


@dataclass(frozen=True)
class Reference:
    """A reference without a name: its offsets in the paragraph, its words, the kinds it can refer
    to, and the words one of which its antecedent's name must hold (none: any of the kinds)."""

    start: int
    end: int
    words: str
    kinds: tuple[str, ...]
    nouns: tuple[str, ...]
    noun: str  # the noun itself, folded: an antecedent whose name holds it is taken first


@dataclass(frozen=True)
class Referent:
    """An entity named in a document, in the order of the text: where (paragraph, offsets), its
    id (or the id proposed for a new name), its kind, its words, and its names folded."""

    para: int
    start: int
    end: int
    target: str
    kinds: frozenset[str]
    words: str
    names: tuple[str, ...]


def find_references(paragraph: str) -> list[Reference]:
    """The definite references of a paragraph that name nothing ("the Foundation", "该项目").

    >>> [r.words for r in find_references("本次大会由甲主办。该项目覆盖10省，中心小学除外；中心将扩建。The forums.")]
    ['本次大会', '该项目', '中心']
    """
    out = []
    for m in _DEFINITE_EN.finditer(paragraph):
        if _NAME_AFTER_EN.match(paragraph[m.end():]):
            continue
        noun = m[1].lower()
        kinds, nouns = _NOUNS_EN[noun]
        out.append(Reference(m.start(), m.end(), m.group(0), kinds, nouns, noun))
    for m in [*_DEFINITE_ZH.finditer(paragraph), *_BARE_ZH.finditer(paragraph)]:
        noun = next(n for n in _NOUNS_ZH_LONGEST if m.group(0).endswith(n))
        kinds, nouns = _NOUNS_ZH[noun]
        out.append(Reference(m.start(), m.end(), m.group(0), kinds, nouns, noun))
    return sorted(out, key=lambda r: r.start)


def is_reference(words: str) -> bool:
    """Whether ``words`` are a reference without a name, not a name ("The Foundation", "该项目").

    >>> is_reference("The Foundation"), is_reference("Alpha Foundation")
    (True, False)
    """
    return any(r.start == 0 and r.end == len(words.strip()) for r in find_references(words.strip()))


def resolve(ref: Reference, para: int, before: list[Referent]) -> Referent | None:
    """The entity ``ref`` (in paragraph ``para``) refers to, of ``before``: the entities named
    before it in the document, in the order of the text. Looked for in the same paragraph first
    (the nearest before it), then in the document's title and lead (the first one named), then
    back through the earlier paragraphs (the nearest); in each, an entity whose kind fits and
    whose name holds one of the noun's words. An organization's noun ("the Foundation") takes
    nothing else; an occasion's noun ("the project"), or a noun with no such words ("该机构"),
    then takes the nearest whose kind fits. None when nothing fits."""
    fits = [r for r in reversed(before) if r.kinds & set(ref.kinds) and (r.para, r.start) < (para, ref.start)]
    held = [r for r in fits if any(_holds(name, w) for name in r.names for w in ref.nouns)]
    if not ref.nouns or not held and set(ref.kinds) <= {"Initiative", "Event"}:
        held = fits
    same = [r for r in held if r.para == para]
    if same:
        return same[0]
    return held[-1] if held and held[-1].para <= LEAD else held[0] if held else None


LEAD = 2  # the title and the first paragraph: what a text is about

# "Both parties": the two organizations that sign, agree or meet, named in the title and lead.
_PAIR = re.compile(r"双方|\b(?:[Bb]oth|[Tt]he\s+two)\s+(?:parties|sides)\b")


def find_pairs(paragraph: str) -> list[tuple[int, int, str]]:
    """The words of a paragraph that refer to two parties at once ("双方", "both parties").

    >>> find_pairs("双方将合作。Both sides agreed.")
    [(0, 2, '双方'), (6, 16, 'Both sides')]
    """
    return [(m.start(), m.end(), m.group(0)) for m in _PAIR.finditer(paragraph)]


def resolve_pair(before: list[Referent]) -> list[Referent]:
    """The parties "both parties" refers to: the first two organizations the title and lead name
    (one, when they name one), of ``before`` (the entities named so far, in the order of the text).

    >>> a, b = (Referent(1, 0, 5, t, frozenset({"Organization"}), t, (t,)) for t in ("alpha", "beta"))
    >>> [r.target for r in resolve_pair([a, b, a])]
    ['alpha', 'beta']
    """
    out: dict[str, Referent] = {}
    for r in before:
        if r.para <= LEAD and "Organization" in r.kinds and len(out) < 2:
            out.setdefault(r.target, r)
    return list(out.values())


def _holds(name: str, word: str) -> bool:
    if re.search(r"[\u4e00-\u9fff]", word):
        return word in name
    return re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", name) is not None


def abbreviation_after(paragraph: str, end: int) -> str | None:
    """The abbreviation a text defines right after a name ending at ``end``, if any.

    >>> text = "the Alpha Rural Fund (ARF) and 甲乙基金会（以下简称“甲乙”）"
    >>> abbreviation_after(text, 20), abbreviation_after(text, 36)
    ('ARF', '甲乙')
    >>> abbreviation_after('the Beta Office (referred to as "Beta Rural Office")', 15)
    'Beta Rural Office'
    """
    m = _ABBREVIATION.match(paragraph[end:])
    return (m[1] or m[2]) if m else None
