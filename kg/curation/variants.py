"""Near spellings of known names: the forms a text writes a known name in that the data does not hold.

A curator records an actor's established names; a new text writes one of them another way:
a person's name in the other order ("Jianling XU", "XU Jianling"), the other spelling (Centre,
Center), the owner first or last ("Education Bureau of Alpha City", "Alpha Education Bureau";
"Faculty of X of Beta University", "... at Beta University"), Fund for Foundation, "China's"
for "Chinese", the title of a ministry's head for the ministry ("Minister of Education"), the
word of an initiative on the other side ("Project Hope", "Hope Project"), or, in Chinese, the
name without the words short forms drop (公益, 慈善 inside an organization's name: 甲公益慈善基金会,
甲基金会; 计划, 项目 at the end of an initiative's: 乙丙计划, 乙丙). :func:`english_variants` and
:func:`chinese_variants` give these forms with a note that says which rule made each: the draft
proposes a match of one as a *near* match, with the known name it rests on and that note, so a
reviewer tells it from a name found as written.

>>> english_variants("Jianling XU", person=True)
[('XU Jianling', 'the name in the other order')]
>>> [v for v, _ in english_variants("Education Bureau of Alpha Municipality", organization=True)]
['Education Bureau at Alpha Municipality', 'Alpha Municipality Education Bureau', 'Alpha Education Bureau']
>>> chinese_variants("甲乙公益慈善基金会", organization=True)[0]
('甲乙基金会', 'the name without 公益慈善')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations

# British and American spellings of the words of names
_SPELLINGS = {"centre": "center", "center": "centre", "programme": "program", "program": "programme",
              "organisation": "organization", "organization": "organisation"}
# the words a place's name drops before an office it owns ("Alpha Municipality" -> "Alpha Education Bureau")
_PLACE_WORDS = re.compile(r"\s+(?:Municipality|Municipal Government|City|Province|County|District)$")
_OWNER = re.compile(r"^(?P<head>.+?)\s+(?P<prep>of|at)\s+(?:the\s+)?(?P<owner>(?:[A-Z][\w'.-]*\s+){0,4}[A-Z][\w'.-]*)$")
_INITIATIVE_WORDS = ("Project", "Program", "Programme", "Plan", "Initiative")
# words a Chinese organization's short name drops from inside it, and an initiative's from its end
_ZH_INNER = ("公益", "慈善")
_ZH_INITIATIVE_END = re.compile(r"(?:支教)?(?:计划|项目|工程|行动)$")


def english_variants(name: str, *, person: bool = False, organization: bool = False, initiative: bool = False,
                     owners: Iterable[str] = ()) -> list[tuple[str, str]]:
    """Other ways an English text writes ``name``, each with the rule that gives it.

    ``owners``: the known names of actors (folded), so that "Alpha Center for X" is also written
    "Center for X of Alpha". The forms are not checked against other names: the caller drops a
    form that is another entity's name, or that two entities share.

    >>> for form in english_variants("Alpha Centre for Rural Education", organization=True, owners=["alpha"]):
    ...     print(form)
    ('Alpha Center for Rural Education', 'the other spelling of Centre')
    ('Centre for Rural Education of the Alpha', 'the owner written last')
    ('Centre for Rural Education of Alpha', 'the owner written last')
    >>> english_variants("Project Hope", initiative=True)
    [('Hope Project', 'Project written last')]
    """
    out: list[tuple[str, str]] = []
    words = name.split()
    if len(words) < 2:
        return out
    if person and len(words) <= 3:
        out.append((" ".join(words[-1:] + words[:-1]), "the name in the other order"))
        return out
    swapped = [_SPELLINGS.get(w.lower(), w) for w in words]
    if swapped != [w.lower() if w.lower() in _SPELLINGS else w for w in words]:
        changed = next(w for w in words if w.lower() in _SPELLINGS)
        out.append((" ".join(s.capitalize() if w[0].isupper() else s for w, s in zip(words, swapped, strict=True)),
                    f"the other spelling of {changed}"))
    if organization:
        if words[-1] == "Foundation":
            out.append((" ".join(words[:-1] + ["Fund"]), "Fund for Foundation"))
        if words[0] == "Chinese":
            out.append((" ".join(["China's"] + words[1:]), "China's for Chinese"))
            if "for" in words[2:]:  # "Chinese Alpha Council for Beta": "Alpha Council of China for Beta"
                k = words.index("for", 2)
                out += [(" ".join(words[1:k] + ["of", *country] + words[k:]), f"of {' '.join(country)} for Chinese")
                        for country in (["China"], ["the", "People's", "Republic", "of", "China"])]
        if words[0] == "Ministry" and len(words) > 2 and words[1] == "of":
            out.append((" ".join(["Minister"] + words[1:]), "the title of the ministry's head"))
        m = _OWNER.match(name)
        if m and len(m["head"].split()) <= 5:
            head, owner = m["head"], m["owner"]
            other = "at" if m["prep"] == "of" else "of"
            out.append((f"{head} {other} {owner}", f"{other} for {m['prep']}"))
            out.append((f"{owner} {head}", "the owner written first"))
            place = _PLACE_WORDS.sub("", owner)
            if place != owner:
                out.append((f"{place} {head}", "the owner written first, without its word of place"))
        else:
            folded = [w.casefold() for w in words]
            for n in range(len(words) - 2, 0, -1):  # the longest known owner first, two words left at least
                if " ".join(folded[:n]) in owners:
                    owner, head = " ".join(words[:n]), " ".join(words[n:])
                    out += [(f"{head} of the {owner}", "the owner written last"),
                            (f"{head} of {owner}", "the owner written last")]
                    break
    if initiative and len(words) <= 4:
        if words[0] in _INITIATIVE_WORDS:
            out.append((" ".join(words[1:] + words[:1]), f"{words[0]} written last"))
        elif words[-1] in _INITIATIVE_WORDS:
            out.append((" ".join(words[-1:] + words[:-1]), f"{words[-1]} written first"))
    return [(v, note) for v, note in dict.fromkeys(out) if v != name]


def chinese_variants(name: str, *, organization: bool = False, initiative: bool = False) -> list[tuple[str, str]]:
    """Short forms of a Chinese name: an organization's without 公益 or 慈善 inside it, an
    initiative's without its last word (计划, 项目, 工程, 行动), four characters left at least.

    >>> chinese_variants("甲乙丙丁计划", initiative=True)
    [('甲乙丙丁', 'the name without 计划')]
    """
    out: list[tuple[str, str]] = []
    if organization:
        inner = [w for w in _ZH_INNER if w in name[1:]]
        for n in range(len(inner), 0, -1):
            for drop in combinations(inner, n):
                short = name
                for w in drop:
                    short = short[:1] + short[1:].replace(w, "", 1)
                if len(short) >= 4:
                    out.append((short, f"the name without {''.join(drop)}"))
    if initiative:
        m = _ZH_INITIATIVE_END.search(name)
        if m and m.start() >= 4:
            out.append((name[:m.start()], f"the name without {m[0]}"))
    return list(dict.fromkeys(out))
