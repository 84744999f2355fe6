"""Drafting a new source: what its archived text mentions, proposed for a curator's review.

:func:`draft` reads a source's numbered paragraphs and proposes, each with its locator and the
few words it rests on (never a sentence), and each marked ``review: needed``:

- **mentions** of known entities and regions: every name, alias and pinyin form the curated
  data holds, matched longest first (whole words in English, any position in Chinese); and, as
  *near* matches that say so (``by: near`` or ``by: inside``, the known name, a note,
  ``confidence: low``), the other spellings :mod:`kg.curation.variants` gives, an event's series
  inside its name, and the organization a unit's English name begins with;
- **new organizations**: in English, capitalised spans ending in an organization word
  ("... Foundation", "Ministry of ..."); in Chinese, jieba's organization tags and word runs
  ending in an organization suffix (基金会, 公司, 大学, 学会, ...); each with the known entities
  whose names are close, in case it is one of them under another spelling;
- **regions** with their ISO 3166-2 codes (pycountry's names in English and Chinese);
- **figures** with their units, and **money** with its currency (元, 万元, 亿元, RMB, yuan, USD);
- **dates**, absolute, and relative ones (今年, last year) resolved against the document's
  date and marked inferred;
- **roles** from cue words (发起, 主办, 承办, 资助, 支持, 指导, 合作; launched, funded, organized,
  hosted, supported, in partnership with) near the actors a paragraph mentions.

Nothing here enters the graph: drafts live in ``data/drafts/``, which the build leaves out;
``kg review`` lists what awaits review. No network and no model download: jieba's dictionary
ships inside its package.

>>> from kg.curation.draft import find_money
>>> [(m.value, m.currency) for m in find_money("资助300万元，另有2.2亿元和 USD 5,000")]
[('3000000', 'CNY'), ('220000000', 'CNY'), ('5000', 'USD')]
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

from kg.curation.amounts import EN_MULT, MONEY, NUM, ZH_MULT, find_money, number, qualifier  # noqa: F401 (find_money: the module's doctest and callers)
from kg.curation.propose import Found, beneficiary_words, presence_cue, propose_facts
from kg.curation.records import DRAFTS_DIR, Curation, Source, check_date
from kg.curation.refer import (
    Referent,
    abbreviation_after,
    find_pairs,
    find_references,
    is_reference,
    resolve,
    resolve_pair,
)
from kg.curation.variants import chinese_variants, english_variants
from kg.curation.zh import jieba_tagger
from kg.errors import Problem, UserError
from kg.project import Project

MAX_WORDS = 40  # characters of source text a candidate may quote: a few words, never a sentence

# ---------------------------------------------------------------------------- what a draft holds


@dataclass
class Candidate:
    """One proposal: its kind, where it is, the words it rests on, and what it proposes."""

    kind: str  # mention, new-organization, region, figure, money, date, role
    at: str
    words: str
    proposal: dict[str, object] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # key -> the words naming a new entity (never written)

    def yaml(self) -> str:
        # an amount's kind is the fact's (planned, committed, disbursed): its `amount` key says what it is
        kind = [] if "amount" in self.proposal else [f"    kind: {self.kind}"]
        lines = ["  - review: needed", *kind, f"    at: {self.at}", f"    words: {_q(self.words[:MAX_WORDS])}"]
        for key, value in self.proposal.items():
            if isinstance(value, list | tuple):
                lines.append(f"    {key}: [{', '.join(_q(str(v)) for v in value)}]")
            elif isinstance(value, dict):
                lines.append(f"    {key}: {{{', '.join(f'{k}: {_q(str(v))}' for k, v in value.items())}}}")
            else:
                lines.append(f"    {key}: {_q(str(value))}")
        return "\n".join(lines)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------------------- names


def fold(text: str) -> str:
    """Case and accents folded, for matching English and pinyin."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


# An alias that is a common phrase (启动仪式, 研修班, "the launch ceremony") names any such occasion,
# in any caption: the draft does not match it, whatever entity it is an alias of.
GENERIC_ALIAS = re.compile(
    r"^(?:第.{1,3}[次届]|首届|国际|全国|年度|本次|此次)?(?:启动|签约|揭牌|颁奖|开幕|闭幕|捐赠|发布)?"
    r"(?:仪式|会议|大会|论坛|研修班|培训班|理事会|座谈会|发布会|研讨会|典礼|活动)$"
    r"|^(?:the\s+)?(?:(?:launch|launching|signing|opening|closing|award|donation)\s+)?"
    r"(?:ceremony|meeting|forum|conference|summit|workshop|seminar|board|event)s?$", re.IGNORECASE)


@dataclass
class Name:
    text: str
    target: str  # entity id, or a region id / ISO code
    kind: str  # "entity" or "region"
    actor: bool = False  # an organization's or a person's name
    occasion: bool = False  # an initiative's or an event's: what roles are played in
    person: bool = False
    kinds: frozenset[str] = frozenset()  # an entity's kinds (Organization, Initiative, ...)
    near: str = ""  # a near spelling (kg.curation.variants): the rule that made it from ...
    of: str = ""  # ... this known name
    open_end: bool = False  # a Chinese short form that drops the name's last word: not when the text goes on


def known_names(cur: Curation, *, leave_out: frozenset[str] = frozenset()) -> list[Name]:
    """Every name, alias and pinyin form of the curated entities and regions (longest first)."""
    from kg.build.triples import pinyin
    from kg.curation.gazetteer import china_subdivisions

    names: list[Name] = []
    for e in cur.entities.values():
        if e.id in leave_out:
            continue
        forms = set(e.names.values()) | {a for group in e.aliases.values() for a in group
                                         if not GENERIC_ALIAS.search(a)}
        forms |= {pinyin(n) for n in forms if _is_cjk(n)}
        actor = bool(e.kinds & set(cur.ontology.actor_kinds))
        occasion = bool(e.kinds & set(cur.ontology.activity_kinds))
        person = "Person" in e.kinds
        names += [Name(f, e.id, "entity", actor, occasion, person, e.kinds) for f in forms if len(f) >= 2]
    for r in cur.regions.values():
        forms = set(r.names.values()) | {a for group in r.aliases.values() for a in group}
        names += [Name(f, r.iso or r.id, "region") for f in forms if len(f) >= 2]
    for code, region_forms in china_subdivisions().items():
        names += [Name(f, code, "region") for f in region_forms]
    unique = {(n.text, n.target): n for n in names}
    return sorted(unique.values(), key=lambda n: (-len(n.text), n.text, n.target))


def with_variants(names: list[Name]) -> list[Name]:
    """``names`` with the near spellings of the entities' names (:mod:`kg.curation.variants`),
    longest first; a spelling that is a known name, or that two entities share, is left out.

    >>> [(n.text, n.near) for n in with_variants([Name("Jianling XU", "xu", "entity", person=True)])]
    [('Jianling XU', ''), ('XU Jianling', 'the name in the other order')]
    """
    taken = {fold(n.text) for n in names}
    owners = frozenset(fold(n.text) for n in names if n.actor and not n.person)
    made: dict[str, list[Name]] = {}
    for n in names:
        if n.kind != "entity" or n.near:
            continue
        org, initiative = "Organization" in n.kinds, "Initiative" in n.kinds
        if _is_cjk(n.text):
            forms = chinese_variants(n.text, organization=org, initiative=initiative)
        else:
            forms = english_variants(n.text, person=n.person, organization=org, initiative=initiative, owners=owners)
        for text, rule in forms:
            if fold(text) not in taken and not GENERIC_ALIAS.search(text):
                made.setdefault(fold(text), []).append(
                    Name(text, n.target, "entity", n.actor, n.occasion, n.person, n.kinds, rule, n.text,
                         open_end=_is_cjk(text) and text[-1] != n.text[-1]))
    near = [ns[0] for ns in made.values() if len({m.target for m in ns}) == 1]
    return sorted(names + near, key=lambda n: (-len(n.text), n.text, n.target))


@cache
def _pattern_is_cjk(text: str) -> bool:
    return _is_cjk(text)


@cache
def _pattern(text: str) -> re.Pattern[str]:
    if _is_cjk(text):
        return re.compile(re.escape(text))
    # words apart in one spelling are joined or hyphenated in another ("Tong Chai", "Tongchai", "Tong-Chai")
    # and a text may put an abbreviation between them: "Alpha Youth League (AYL) Central Committee"
    return re.compile(r"(?<![\w])" + re.escape(fold(text)).replace(r"\ ", r"(?:\s*\([a-z]{2,8}\))?[\s-]*")
                      + r"(?![\w])")


# What may follow a Chinese short form that drops its name's last word (阳光起点 of 阳光起点计划): no
# character, or one that begins no noun (a particle, a preposition, a verb of saying or acting).
_AFTER_SHORT_ZH = frozenset("的在为是将与和于及等已也把被由从对向以通开提发举实启推获")


def _continues(paragraph: str, end: int) -> bool:
    """Whether the words at ``end`` may go on the name that ends there (阳光起点 + 体系)."""
    return end < len(paragraph) and _is_cjk(paragraph[end]) and paragraph[end] not in _AFTER_SHORT_ZH


def find_mentions(paragraph: str, names: list[Name]) -> list[tuple[int, int, Name]]:
    """Non-overlapping matches of ``names`` in ``paragraph``, longest first."""
    folded = fold(paragraph)
    taken: list[tuple[int, int]] = []
    found = []
    for name in names:
        haystack = paragraph if _pattern_is_cjk(name.text) else folded
        for m in _pattern(name.text).finditer(haystack):
            if any(m.start() < b and a < m.end() for a, b in taken) or name.open_end and _continues(paragraph, m.end()):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), name))
    return sorted(found, key=lambda f: f[0])


# ---------------------------------------------------------------------------- new organizations

# Words that end (or, with "of", begin) an English organization's name. "Education" is not one:
# it ends themes and titles ("STEM Education") far more often than names.
_ORG_WORDS = ("Foundation", "University", "Association", "Institute", "Ministry", "Bureau", "Company", "Group",
              "Council", "Center", "Centre", "Society", "School", "College", "Committee", "Federation",
              "Alliance", "Network", "Office", "Department", "Fund", "Trust", "Organization", "Organisation",
              "Commission", "Agency", "Corporation", "Academy", "League", "Union", "Charity", "Club",
              "Administration", "Bank", "Press", "Lab", "Laboratory", "Media", "Inc", "Ltd", "Faculty")
_ORG_WORD = "(?:" + "|".join(_ORG_WORDS) + ")"
_CAP = r"(?:[A-Z][\w&'.-]*)"
_TAIL = rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?(?:(?:{_CAP}|and)\s+){{0,4}}{_CAP}){{0,2}}"
# the lower-case word of a local body's level that its name keeps ("the municipal Youth League Committee")
_LOCAL = r"(?:municipal|provincial|county|prefectural)"
# A name ends at its organization word unless another capitalised word follows ("China University
# Students' ... Plan" is not "China University").
_ORG_EN = re.compile(
    rf"\b(?:the\s+)?((?:{_LOCAL}\s+)?(?:{_CAP}\s+)(?:(?:{_CAP}|of|for|and|on|in|the|&)\s+){{0,8}}{_ORG_WORD}\b"
    rf"(?!\s+[A-Z])(?!-){_TAIL}|{_ORG_WORD}\s+of\s+(?:the\s+)?(?:(?:{_CAP}|and)\s+){{0,4}}{_CAP}{_TAIL})")
# Press conventions that name an organization: a byline ("Source: X"), a cited source of data
# ("according to X", "根据X数据"), the subject of a role verb ("X launched").
_FIELD_EN = re.compile(r"\b(?:Source|Author|Publisher|Organi[sz]ers?|Organi[sz]ation|Host|Sponsor)\s*[:：]\s*"
                       rf"((?:{_CAP}\s+){{0,5}}{_CAP})")
_ACCORDING_EN = re.compile(rf"\b[Aa]ccording to (?:data from |statistics from )?(?:the\s+)?((?:{_CAP}\s+)"
                           rf"(?:(?:{_CAP}|of|for|and|the)\s+){{0,6}}{_CAP})")
_SUBJECT_EN = re.compile(rf"(?:^|[.,;:]\s+)((?:{_CAP}\s+){{0,4}}(?:[A-Z][A-Z\d]+(?:-[A-Z\d]+)*|{_CAP}))\s+"
                         r"(?:launched|initiated|funded|sponsored|hosted|organi[sz]ed|co-organi[sz]ed|released|"
                         r"donated|founded|established)\b")
_NAME_TOKEN = rf"(?![A-Z]{{2,}}\s+[A-Z][a-z]){_CAP}"  # not a surname in capitals before a given name (FU Manqing)
# English job titles, written once: what is stripped before and after a name ("Vice-President of X",
# "X Executive Director") and what marks the organization a title is "of".
_TITLE_WORDS = ("Director", "Dean", "Secretary", "President", "Chairman", "Chairwoman", "Chairperson", "Chair", "Head",
                "Minister", "Commissioner", "Professor", "Principal", "Founder", "CEO")
_TITLE_MODS = ("Deputy", "Vice", "Executive", "Former", "Associate", "Assistant", "Senior")
_TITLE_WORD = rf"(?:{'|'.join(_TITLE_WORDS)})(?:[-\s]General)?"
_JOB_TITLE = rf"(?:(?:{'|'.join(_TITLE_MODS)})[-\s]+)*{_TITLE_WORD}"
_TITLED_EN = re.compile(rf"\b{_JOB_TITLE}\s+of\s+"
                        rf"(?:the\s+)?((?:{_NAME_TOKEN}\s+(?:(?:and|of|for|the|&)\s+)*){{0,7}}{_NAME_TOKEN})")
_ZH_SOURCE = re.compile(r"(?:根据|据|来自|来源[:：]\s*)([^\s，,。；;：:、“”]{2,16}?)(?:的)?"
                        r"(?:数据|统计|调查|报告|发布|消息)")
_ZH_FIELD = re.compile(r"(?:来源|作者|主办|承办|主办单位|承办单位|发布单位)[:：]\s*([^\s，,。；;、]{2,20})")
_ORG_ZH_SUFFIX = ("基金会", "公司", "大学", "学会", "协会", "中心", "教育局", "研究院", "研究所", "委员会", "学院",
                  "集团", "联合会", "联盟", "教育部", "教育厅", "团委", "中学", "小学", "幼儿园", "出版社", "银行",
                  "事务所", "办公室", "促进会", "总会", "实验室", "事业群", "事业部", "工作室", "研究会", "商会",
                  "完小", "团队")
_ZH_PART_FLAGS = {"ns", "nt", "nz", "n", "nr", "j", "eng", "vn", "an", "nrt", "nrfg", "b", "l", "s", "f", "ng"}
# A job title after a name marks the name as an organization's: "X董事长Y", "X CEO Y" (Chinese press
# introduces people as organization + title + person); modifiers such as 执行, 联合 belong to the title.
_ZH_TITLES = ("董事长", "副董事长", "创始人", "总裁", "副总裁", "执行董事", "董事", "总经理", "副总经理", "会长",
              "副会长", "理事长", "副理事长", "秘书长", "院长", "副院长", "校长", "副校长", "主任", "副主任", "局长",
              "副局长", "部长", "司长", "厅长", "主席", "负责人", "CEO", "CTO", "CIO", "COO", "CFO", "总监", "合伙人")
_ZH_TITLE_MODS = ("高级", "执行", "常务", "首席", "联合", "名誉", "荣誉", "前", "现任", "兼", "副")
_ZH_TITLED = re.compile(r"([^，,。；;：:、（）()“”\"《》\s&][^，,。；;：:、（）()“”\"《》&]{1,24}?)\s*"
                        rf"(?:{'|'.join(_ZH_TITLE_MODS)})*(?:{'|'.join(sorted(_ZH_TITLES, key=len, reverse=True))})")
_ZH_COUNT = re.compile(r"\d|[一二两三四五六七八九十百千万]+[名个所位家]")
# a common noun, not a name; a team with a short word before it (教师团队) is a team, not one's name
_ZH_GENERIC = re.compile(r"^(?:机构|单位|企业|公司|学校|院校|高校|部门|政府|平台|团队)$|^.{1,3}团队$"
                         r"|^(?:各|相关|有关|其他|多家|部分|全国|地方|当地|该|本|我们|他们|我|其|这|那|及|和|与|是|为|在|由|于)")


_TITLE = re.compile(rf"^(?:{_JOB_TITLE}|Organization|Organizer|Publisher)\s+(?:of\s+(?:the\s+)?)?")
_TRAILING_TITLE = re.compile(rf"(?:\s+(?:{'|'.join(_TITLE_MODS)}))*[-\s]+{_TITLE_WORD}$")
_ORG_END = re.compile(rf"{_ORG_WORD}$")
_OF_THE = re.compile(rf"\s+of\s+(?:the\s+)?((?:{_CAP}\s+|and\s+){{0,5}}{_ORG_WORD}"
                     rf"(?:\s+of\s+(?:{_CAP}\s+){{0,3}}{_CAP})?)$")
_BRAND = re.compile(r"^(?:[A-Z]+[a-z]+[A-Z][A-Za-z]*|[A-Z][A-Z\d]{2,}(?:-[A-Z\d]+)*)$")  # ClassIn, VIPKID, UNESCO-X
# Items of an enumeration that are common words or clauses, not names (学校、老师、家庭; 在管理 ...).
_ZH_LIST_GENERIC = re.compile(r"^(?:学校|老师|教师|学生|家长|家庭|政府|社会|企业|社区|医院|高校|媒体|公众|个人)$"
                              r"|^(?:部门|机构)$|^(?:在|对|为|把|被|将|让|使|与|和|从|向|到|持续|推动|保证|开创|输送)")
_ZH_LIST_EDGE = re.compile(r"^(?:包括|其中|如|有|和|与|及|以及|等)+|(?:等+|等单位|等机构|等企业|等公司)$")
# What follows 等 when a list names organizations ("甲、乙等合作伙伴"), not products or places.
_ZH_LIST_OF_ORGS = re.compile(r"^等[^，,。；;]{0,8}?"
                              r"(?:机构|单位|企业|公司|伙伴|参与方|组织|基金会|高校|院校|部门|团体|媒体)")


_NAME_BEFORE = re.compile(rf"{_CAP}\s+(?:(?:and|of|for|the)\s+)?$")


def _english_spans(span: str, known: frozenset[str], *, inside: bool = False) -> list[str]:
    """An English span without a leading title, the organization it is "of", and its conjuncts.

    >>> _english_spans("Vice-President of Alpha Cloud and Beta Education", frozenset({"beta education"}))
    ['Alpha Cloud']
    >>> _english_spans("Central Office of the Gamma League", frozenset())
    ['Central Office of the Gamma League', 'Gamma League']
    """
    span = re.split(r"\.\s+", span)[-1]  # a sentence's end inside the span: the name follows it
    span = re.sub(r"(?<=[a-z]{2})\.$", "", span)  # and the full stop after it
    if " and the " in span and not inside:  # "Alpha Bureau and the Beta Bank": two names
        return [s for part in span.split(" and the ") for s in _english_spans(part, known, inside=True)]
    span = _TRAILING_TITLE.sub("", _TITLE.sub("", re.sub(r"^The\s+", "", span))).strip()
    out = [span] if len(span.split()) >= 2 else [span] if _BRAND.match(span) else []
    of_the = _OF_THE.search(span)
    if of_the and len(of_the[1].split()) >= 2:
        out.append(of_the[1])
    parts = _join_name_parts([p.strip() for p in span.split(" and ")], known)
    if len(parts) > 1:
        whole = [p for p in parts if fold(p) in known or _ORG_END.search(p) or _BRAND.match(p)]
        # A coordination of names ("Alpha Lab and Beta Foundation", "X and a known name") splits into
        # its names; "National Development and Reform Commission" is one name and stays whole.
        if any(fold(p) in known for p in parts) or len(whole) == len(parts):
            rest = [p for p in parts if fold(p) not in known and _CAPITALISED_NAME.fullmatch(p)
                    and (len(p.split()) >= 2 or _BRAND.match(p))]
            out = [o for o in out if o != span]
            out += [p for p in (whole if inside else rest) if p not in out and fold(p) not in known]
        elif inside:  # the tail of a longer name: only its conjuncts that end as names are sure
            out = [o for o in out if o != span] + [p for p in whole if len(p.split()) >= 2 and fold(p) not in known]
    return out


_CAPITALISED_NAME = re.compile(rf"{_CAP}(?:\s+(?:(?:and|of|for|the|&)\s+)*{_CAP})*")
_OCCASION_END = re.compile(r"(?:Plan|Program|Programme|Project|Initiative|Forum|Conference|Summit|Campaign)$")


def _join_name_parts(parts: list[str], known: frozenset[str]) -> list[str]:
    """The conjuncts of "A and B and C" with a part that ends no name joined to the next one when
    that one is not a known name: "National Development", "Reform Commission", "Ministry of
    Finance" are two names.

    >>> _join_name_parts(["National Development", "Reform Commission", "Ministry of Finance"], frozenset())
    ['National Development and Reform Commission', 'Ministry of Finance']
    """
    out: list[str] = []
    held = ""
    for n, part in enumerate(parts):
        part = f"{held} and {part}" if held else part
        held = ""
        ends_name = fold(part) in known or _ORG_END.search(part) or _BRAND.match(part) or _OCCASION_END.search(part)
        if not ends_name and n + 1 < len(parts) and fold(parts[n + 1]) not in known:
            held = part
            continue
        out.append(part)
    return out


def _english_list(paragraph: str) -> list[str]:
    """The other capitalised items of a comma list in which two items end with an organization word."""
    out = []
    for clause in re.split(r"[.;:()]", paragraph):
        items = [re.sub(r"^(?:and|or|from|by|with|including)\s+", "", i.strip()) for i in re.split(r",\s*", clause)]
        if sum(1 for i in items if _ORG_END.search(i)) < 2:
            continue
        for n, item in enumerate(items):  # the first item's run ends it ("... from A"), the others' begin them
            m = re.match(rf"({_CAP}(?:\s+{_CAP}){{0,3}})(?:\s+and\b.*)?$", item) if n else None
            m = m or re.search(rf"(?:^|\s)({_CAP}(?:\s+{_CAP}){{0,3}})$", item)
            if m and not _ORG_END.search(m[1]):
                out.append(m[1])
    return out


def _chinese_lists(paragraph: str, known: frozenset[str]) -> list[str]:
    """The items of enumerations (甲、乙、丙等机构) that name organizations.

    A list counts when 等 and an organization word follow it, or when one of its items is a known
    name or ends with an organization suffix (lists of products and places do not count).
    """
    out = []
    for m in re.finditer(r"[^，,。；;：:！？!?（）()“”\"《》]+", paragraph):
        clause = m.group(0)
        if "、" not in clause:
            continue
        head, _, after = clause.partition("等")
        items = re.split(r"、", head)
        last = re.split(r"和|与|及", items[-1])
        items = [_ZH_LIST_EDGE.sub("", i.strip()) for i in items[:-1] + last]
        items = [re.sub(r"^.*(?:包括|其中|如|以及|携手|联合|和|与|及)", "", i) for i in items]
        orgs = _ZH_LIST_OF_ORGS.match("等" + after) if after or clause.endswith("等") else None
        if not orgs and not any(i in known or i.endswith(_ORG_ZH_SUFFIX) for i in items):
            continue
        items = [i for i in items if 2 <= len(i) <= 14 and not re.fullmatch(r"[\d\s]+", i)
                 and not _ZH_LIST_GENERIC.search(i) and fold(i) not in known]
        if not orgs:  # a list known by one organization in it: only its items that are named like one
            items = [i for i in items if i.endswith(_ORG_ZH_SUFFIX)]
        out += items
    return out


def _grown_left(words: list[tuple[str, str]], i: int, *, limit: int) -> str:
    """Word ``i`` of jieba's tagged ``words`` with the Chinese name parts before it, at most
    ``limit`` characters in all: the whole of a name jieba cut into pieces.

    >>> _grown_left([("在", "p"), ("古丈", "ns"), ("县", "n"), ("教育局", "nt")], 3, limit=20)
    '古丈县教育局'
    """
    j = i
    while j > 0 and words[j - 1][1] in _ZH_PART_FLAGS and _is_cjk(words[j - 1][0]) \
            and sum(len(w) for w, _ in words[j - 1:i + 1]) <= limit:
        j -= 1
    return "".join(w for w, _ in words[j:i + 1])


def find_organizations(paragraph: str, known: frozenset[str] = frozenset()) -> list[str]:
    """Spans that look like organization names, in order of appearance (``known``: folded known names).

    >>> find_organizations("Vice-President of Alpha Cloud and Beta Education ZHOU Wei spoke.",
    ...                    frozenset({"beta education"}))
    ['Alpha Cloud']
    >>> find_organizations("甲乙基金会秘书长张三，丙丁科技CEO李四，以及戊己、庚辛等合作伙伴出席。根据工信部数据")
    ['甲乙基金会', '丙丁科技', '戊己', '庚辛', '工信部']
    """
    out: list[str] = []
    for m in _ORG_EN.finditer(paragraph):
        inside = bool(_NAME_BEFORE.search(paragraph[:m.start(1)]))  # the tail of a longer name
        out += _english_spans(m.group(1).strip(), known, inside=inside)
    for rx in (_FIELD_EN, _ACCORDING_EN, _SUBJECT_EN, _TITLED_EN):
        for m in rx.finditer(paragraph):
            out += [s for s in _english_spans(m.group(1).strip(), known) or [m.group(1).strip()]
                    if len(s.split()) >= 2 or _BRAND.match(s)]
    out += _english_list(paragraph)
    if _is_cjk(paragraph):
        out += _chinese_lists(paragraph, known)
        for rx in (_ZH_TITLED, _ZH_SOURCE, _ZH_FIELD):
            for m in rx.finditer(paragraph):
                span = m.group(1).strip()
                first = next(iter(jieba_tagger().cut(span)), None)
                if first is None or _ZH_COUNT.search(span) or (first.flag in ("v", "p", "r", "c")
                                                               and len(first.word) > 1):
                    continue  # a count ("培养一万名"), or a clause that begins with a verb or a pronoun
                out.append(span)
        words = [(w.word, w.flag) for w in jieba_tagger().cut(paragraph)]
        for i, (word, flag) in enumerate(words):
            if flag == "nt" and len(word) >= 3:
                out.append(word)
                continue
            if not word.endswith(_ORG_ZH_SUFFIX):
                continue
            span = _grown_left(words, i, limit=20)
            if len(span) > len(word):
                out.append(span)
    out = [o for o in out if not (_is_cjk(o) and (_ZH_GENERIC.search(o) or _ZH_COUNT.search(o) or len(o) < 2))]
    # jieba cuts a name it does not know: drop a Chinese span inside a longer one (教育集团 of X教育集团)
    out = [o for o in out if not (_is_cjk(o) and any(x != o and o in x for x in out))]
    return sorted(dict.fromkeys(out), key=lambda o: (paragraph.find(o), o))


def similar_entities(name: str, names: list[Name], *, limit: int = 3) -> list[str]:
    """Known entities whose names are close to ``name`` (near misses, another spelling)."""
    key = fold(name)
    scored = []
    for n in names:
        if n.kind != "entity" or _is_cjk(n.text) != _is_cjk(name):
            continue
        ratio = difflib.SequenceMatcher(None, key, fold(n.text)).ratio()
        if ratio >= 0.75:
            scored.append((-ratio, n.target))
    return list(dict.fromkeys(t for _, t in sorted(scored)))[:limit]


# ---------------------------------------------------------------------------- figures and money

_FIGURE = re.compile(
    rf"(?P<n>{NUM})\s*(?P<m>万|亿|千|million|thousand|billion)?\s*(?P<pct>%|％|percent\b|per cent\b)?"
    r"(?P<more>多|余|以上|左右)?\s*"
    r"(?P<unit>所|名|位|个|人次|人|家|场|节|门|套|台|间|省|县|市|万|[A-Za-z][a-z-]+(?:\s[a-z-]+)?)?")
# Numbers that are no figures: a time of day (10:51:42), a telephone number (010-84883561), a
# number inside a name (COVID-19), an ordinal (第38次), a year range of a page's footer (2004-2020).
_NOT_A_FIGURE = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)|(?:\+?86[-\s]?)?\(?0\d{2,3}\)?[-\s]?\d{7,8}(?!\d)"
                           r"|(?<=[A-Za-z]-)\d+|(?<=第)[\d一二三四五六七八九十百]+|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
_NOT_UNITS = {"year", "years", "and", "to", "of", "in", "on", "at", "the", "a", "an", "by", "with", "for"}
_RANGE = re.compile(rf"(?P<a>{NUM})\s*(?:-|–|~|～|至|到|to)\s*(?P<b>{NUM})\s*(?P<m>万|亿|million|thousand)?")
_FRACTION = re.compile(r"(?<![\d/])(?P<a>\d)\s*/\s*(?P<b>\d{1,2})(?![\d/])"
                       r"|(?P<zb>[二三四五六七八九十]+)分之(?P<za>[一二三四五六七八九十]+)")
# Machine translation of Chinese web pages garbles numbers in two known ways: a digit group split by
# a space ("202 1" for 2021, "5 1" for 51), and "1" written as "65,438+0" ("2065,438+06" for 2016).
_SPLIT_NUMBER = re.compile(r"(?<!\d)(?<!\d[,.])(\d{1,3}) (\d{1,2})(?!\d|[,.]\d|\s*(?:to|-|–|and)\s*\d)")
_GARBLED_ONE = re.compile(r"\d*65,?438\+0\d*")
GARBLED = "a number as machine translation garbles it; the reading is a guess: check the original"


@dataclass
class Figure:
    """A number the text gives, with its unit and qualifier, and a note when the reading is a guess."""

    value: str
    unit: str
    words: str
    qualifier: str = ""
    note: str = ""
    year: bool = False  # a guessed reading that is a year: proposed as a date

    def proposal(self) -> dict[str, object]:
        out: dict[str, object] = {"value": self.value}
        if self.unit:
            out["unit"] = self.unit
        if self.qualifier:
            out["qualifier"] = self.qualifier
        if self.note:
            out |= {"stated": self.words, "confidence": "low", "note": self.note}
        return out


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_ZH_UNITS_OF = {"十": 10, "百": 100, "千": 1000}
_ZH_FIGURE = re.compile(r"(?P<n>[零〇一二两三四五六七八九十百千万亿]{1,8})"
                        r"(?P<unit>所|名|位|家|场|节|门|套|台|间|个省|个县|个市|个区|个)")


def zhnumber(text: str) -> int:
    """A number written in Chinese numerals.

    >>> zhnumber("百"), zhnumber("一千二百"), zhnumber("三万"), zhnumber("两亿五千万"), zhnumber("十五")
    (100, 1200, 30000, 250000000, 15)
    """
    total = section = num = 0
    for c in text:
        if c in _ZH_DIGITS:
            num = _ZH_DIGITS[c]
        elif c in _ZH_UNITS_OF:
            section += (num or 1) * _ZH_UNITS_OF[c]
            num = 0
        elif c in ("万", "亿"):
            section += num
            total += (section or 1) * (10_000 if c == "万" else 100_000_000)
            section = num = 0
    return total + section + num


def find_figures(paragraph: str) -> list[Figure]:
    """Numbers with their unit and qualifier. Years and money are left to dates and money.

    >>> [(f.value, f.unit, f.qualifier) for f in find_figures("超过96%的学校，约三分之二的学生，培训150名教师")]
    [('96', 'percent', 'more-than'), ('150', '名', ''), ('66.7', 'percent', 'about')]
    >>> [(f.value, f.note != "") for f in find_figures("5 1 students and 1,200-1,500 teachers")]
    [('5', False), ('1', False), ('1200', False), ('1500', False), ('51', True)]
    """
    taken = [m.span() for m in MONEY.finditer(paragraph)]
    taken += [m.span() for m in _DATE.finditer(paragraph) if not m["rel"]]
    taken += [m.span() for m in _NOT_A_FIGURE.finditer(paragraph)]
    out = []
    for m in _FIGURE.finditer(paragraph):
        if any(a <= m.start() < b for a, b in taken):
            continue
        n = m["n"]
        if re.fullmatch(r"(19|20)\d\d", n) and not m["m"] and not m["pct"]:
            continue  # a year
        unit = "percent" if m["pct"] else (m["unit"] or "").strip()
        if unit.lower() in _NOT_UNITS or unit.lower().startswith(("year", "yr")):
            unit = ""
        mult = ZH_MULT.get(m["m"] or "", 0) or EN_MULT.get((m["m"] or "").lower(), 1)
        out.append(Figure(number(n, mult), unit, m.group(0).strip(), qualifier(paragraph, m.start(), m["more"])))
    for m in _RANGE.finditer(paragraph):  # "1,200-1,500": the high end too, with the range's multiplier
        if not any(a <= m.start() < b for a, b in taken) and not re.fullmatch(r"(19|20)\d\d", m["b"]):
            mult = ZH_MULT.get(m["m"] or "", 0) or EN_MULT.get((m["m"] or "").lower(), 1)
            for part in (m["a"], m["b"]):
                value = number(part, mult)
                if not any(f.value == value for f in out):
                    out.append(Figure(value, "", m.group(0).strip(), "", "a range: check which end is meant"))
    for m in _ZH_FIGURE.finditer(paragraph):
        if m["n"] != "一":  # 一名, 一所: "a", not a count
            out.append(Figure(str(zhnumber(m["n"])), m["unit"], m.group(0), qualifier(paragraph, m.start(), None)))
    for m in _FRACTION.finditer(paragraph):  # 2/3, 三分之二: a share, as a percentage
        a, b = (int(m["a"]), int(m["b"])) if m["a"] else (zhnumber(m["za"]), zhnumber(m["zb"]))
        if 0 < a < b:
            value = format(round(Decimal(100 * a) / b, 1).normalize(), "f")
            out.append(Figure(value, "percent", m.group(0), qualifier(paragraph, m.start(), None)))
    if not _is_cjk(paragraph):
        for m in _SPLIT_NUMBER.finditer(paragraph):
            joined = m[1] + m[2]
            out.append(Figure(joined, "", m.group(0), "", GARBLED, year=bool(re.fullmatch(r"(19|20)\d\d", joined))))
    for m in _GARBLED_ONE.finditer(paragraph):
        repaired = re.sub(r"65,?438\+0", "1", m.group(0))
        out.append(Figure(repaired, "", m.group(0), "", GARBLED, year=bool(re.fullmatch(r"(19|20)\d\d", repaired))))
    return out


# ---------------------------------------------------------------------------- dates

_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], 1)}
_DATE = re.compile(
    r"(?P<range>(?P<d1>\d{1,2})\s*(?:to|-|–|and)\s*(?P<d2>\d{1,2})\s+(?P<mon4>January|February|March|April|May|"
    r"June|July|August|September|October|November|December),?\s+(?P<y4>(?:19|20)\d\d))"
    r"|(?P<zy>(?:19|20)\d\d)\s*年(?:\s*(?P<zm>\d{1,2})\s*月(?:\s*(?P<zd>\d{1,2})\s*日)?)?"
    r"|(?P<end>(?:(?:by|at|until|till|to)\s+)?the\s+end\s+of\s+(?P<ey>(?:19|20)\d\d)|(?P<zey>(?:19|20)\d\d)\s*年\s*(?:底|末))"
    r"|(?P<iso>(?:19|20)\d\d-\d\d(?:-\d\d)?)(?!\d)"
    r"|(?P<dmy>(?<![\d.])(?P<dd>\d{1,2})\.(?P<dmm>\d{1,2})\.(?P<dyy>(?:19|20)\d\d)(?![\d.]))"
    r"|(?P<dot>(?<![\d.])(?P<oy>(?:19|20)\d\d)[./](?P<om>\d{1,2})[./](?P<od>\d{1,2})(?![\d.]))"
    r"|(?P<mdd>(?P<mon5>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?P<da>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:to|-|–|and)\s*(?P<db>\d{1,2})(?:st|nd|rd|th)?)?(?!\d)"
    r"(?:,?\s+(?P<y5>(?:19|20)\d\d)(?!\d))?)"
    r"|(?P<md>(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?:(?P<day>\d{1,2}),?\s+)?(?P<y>(?:19|20)\d\d))"
    r"|(?P<dm>(?P<day2>\d{1,2})\s+(?P<mon2>January|February|March|April|May|June|July|August|September|October|"
    r"November|December),?\s+(?P<y2>(?:19|20)\d\d))"
    r"|(?P<zmd>(?<!\d)(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*日)"
    r"|(?P<bare>(?<!\d)(?<!\d[.,])(?:19|20)\d\d(?!\d|[.,]\d|%))"
    r"|(?P<rel>今年|去年|明年|this year|last year|next year)"
    r"|(?P<nthday>(?:on\s+)?the\s+(?P<nth>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:century|anniversary|of\s+[A-Z]))"
    r"|(?<![\d月])(?P<zday>[1-9]|[12]\d|3[01])\s*日)", re.IGNORECASE)


def _latest_date(document_date: str, month: int, day: int) -> str | None:
    """The latest date with this month and day on or before ``document_date``.

    >>> _latest_date("2019-12-20", 12, 7), _latest_date("2020-03-01", 12, 7), _latest_date("2021-03-01", 2, 29)
    ('2019-12-07', '2019-12-07', '2020-02-29')
    """
    import datetime as dt

    end = dt.date.fromisoformat(document_date)
    for year in range(end.year, end.year - 8, -1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            continue
        if when <= end:
            return when.isoformat()
    return None


def _latest_day(document_date: str, day: int) -> str | None:
    """The latest date with this day of the month on or before ``document_date`` (within a year).

    >>> _latest_day("2022-08-02", 24), _latest_day("2022-08-30", 24), _latest_day("2022-03-02", 31)
    ('2022-07-24', '2022-08-24', '2022-01-31')
    """
    import datetime as dt

    end = dt.date.fromisoformat(document_date)
    year, month = end.year, end.month
    for _ in range(12):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            when = None
        if when and when <= end:
            return when.isoformat()
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def find_dates(paragraph: str, document_date: str | None) -> list[tuple[str, str, str | None]]:
    """Dates as (value, words, inferred-from or None): YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD."""
    year = int(document_date[:4]) if document_date else None
    out: list[tuple[str, str, str | None]] = []
    for m in _DATE.finditer(paragraph):
        if m["end"]:  # the end of a year: its last day
            out.append((f"{m['ey'] or m['zey']}-12-31", m.group(0), None))
        elif m["dmy"]:  # 26.12.2016: day, month, year
            if check_date(value := f"{m['dyy']}-{int(m['dmm']):02d}-{int(m['dd']):02d}") is None:
                out.append((value, m.group(0), None))
        elif m["dot"]:
            if check_date(value := f"{m['oy']}-{int(m['om']):02d}-{int(m['od']):02d}") is None:
                out.append((value, m.group(0), None))
        elif m["nthday"] or m["zday"]:  # a day of the month only: the latest such day up to the document's date
            nth = int(m["nth"] or m["zday"])
            if document_date and len(document_date) == 10:
                when = _latest_day(document_date, nth)
                if when:
                    out.append((when, m.group(0), f"the latest day {nth} of a month up to the document's date "
                                                  f"{document_date}"))
        elif m["zy"]:
            parts = [m["zy"]] + [f"{int(x):02d}" for x in (m["zm"], m["zd"]) if x]
            out.append(("-".join(parts), m.group(0), None))
        elif m["iso"]:
            out.append((m["iso"], m.group(0), None))
        elif m["mdd"]:  # April 2, April 2nd and 3rd, 2020; without a year, the latest such day up to the document's
            mon = _MONTHS[m["mon5"].lower()]
            for d in filter(None, (m["da"], m["db"])):
                if check_date(f"--{mon:02d}-{int(d):02d}") is not None:
                    continue
                if m["y5"]:
                    out.append((f"{m['y5']}-{mon:02d}-{int(d):02d}", m.group(0), None))
                    continue
                out.append((f"--{mon:02d}-{int(d):02d}", m.group(0), None))
                when = _latest_date(document_date, mon, int(d)) if document_date and len(document_date) == 10 else None
                if when:
                    out.append((when, m.group(0), f"the latest such day up to the document's date {document_date}"))
        elif m["md"] or m["dm"]:
            mon = _MONTHS[(m["mon"] or m["mon2"]).lower()]
            day = m["day"] or m["day2"]
            y = m["y"] or m["y2"]
            out.append((f"{y}-{mon:02d}" + (f"-{int(day):02d}" if day else ""), m.group(0), None))
        elif m["zmd"]:
            value = f"--{int(m['m3']):02d}-{int(m['d3']):02d}"
            out.append((value, m.group(0), None))
            if year:
                out.append((f"{year}{value[1:]}", m.group(0), f"the year of the document's date {document_date}"))
        elif m["range"]:
            mon = _MONTHS[m["mon4"].lower()]
            for day in (m["d1"], m["d2"]):
                out.append((f"{m['y4']}-{mon:02d}-{int(day):02d}", m.group(0), None))
        elif m["bare"]:
            out.append((m["bare"], m.group(0), None))
        elif m["rel"] and year:
            shift = {"今年": 0, "this year": 0, "去年": -1, "last year": -1, "明年": 1, "next year": 1}
            out.append((str(year + shift[m["rel"].lower()]), m.group(0),
                        f"relative to the document's date {document_date}"))
    return out


# ---------------------------------------------------------------------------- initiatives and events

# Words that end the name of an initiative or an event ("... Plan", "...论坛").
_OCCASION_WORDS = ("Plan", "Program", "Programme", "Project", "Initiative", "Forum", "Conference", "Summit",
                   "Meeting", "Workshop", "Seminar", "Campaign", "Award", "Awards", "Day", "Action", "Week",
                   "Festival", "Competition", "Symposium", "Dialogue", "Ceremony", "Consultation", "Fellowship")
_OCCASION_EN = re.compile(rf"\b((?:{_CAP}\s+)(?:(?:{_CAP}|of|for|and|on|in|the|&|\d{{4}})\s+){{0,8}}"
                          rf"(?:{'|'.join(_OCCASION_WORDS)})(?!\s+[A-Z]){_TAIL})\b")
_OCCASION_ZH_SUFFIX = ("计划", "项目", "工程", "行动", "论坛", "会议", "大会", "峰会", "研讨会", "研修班", "座谈会",
                       "发布会", "年会", "启动仪式", "签约仪式", "公益日", "挑战赛", "培训班")
_QUOTED_ZH = re.compile(r"[“「『]([^”」』]{2,24})[”」』]")
_OCCASION_GENERIC = re.compile(r"^(?:the|this|that|a|an|该|本|此|这|那|各|其|此次|本次|这次|会议|活动|项目|计划)$"
                               r"|^(?:该|本|此|这|此次|本次|这次|今年|去年|相关|有关|上述|其他)", re.IGNORECASE)


def find_occasions(paragraph: str) -> list[str]:
    """Spans that look like the names of initiatives and events: capitalised English spans ending
    in an occasion word, Chinese names in quotes, and word runs ending in an occasion suffix.

    >>> find_occasions("The Alpha Rural Teachers Plan met at the 2024 Beta Forum.")
    ['Alpha Rural Teachers Plan', 'Beta Forum']
    >>> find_occasions("甲基金会发起“乙丙计划”，并举办乡村教育论坛。")
    ['乙丙计划', '乡村教育论坛']
    """
    out: list[str] = []
    for m in _OCCASION_EN.finditer(paragraph):
        span = re.sub(r"^(?:The|A|An|This|At|In|On|By)\s+", "", m.group(1))
        span = re.sub(r"^(?:\d{4}\s+)", "", span)
        if len(span.split()) >= 2:
            out.append(span)
    if _is_cjk(paragraph):
        out += [m[1] for m in _QUOTED_ZH.finditer(paragraph) if _is_cjk(m[1]) and not re.search(r"[，,。、]", m[1])]
        words = [(w.word, w.flag) for w in jieba_tagger().cut(paragraph)]
        for i, (word, _flag) in enumerate(words):
            if not word.endswith(_OCCASION_ZH_SUFFIX) and not (i + 1 < len(words) and
                                                                 (word + words[i + 1][0]).endswith(("启动仪式",))):
                continue
            span = _grown_left(words, i, limit=16)
            if len(span) > len(word) + 1:
                out.append(span)
    out = [o for o in out if not _OCCASION_GENERIC.search(o)]
    out = [o for o in out if not (_is_cjk(o) and any(x != o and o in x for x in out))]
    return sorted(dict.fromkeys(out), key=lambda o: (paragraph.find(o), o))


# ---------------------------------------------------------------------------- the draft


@dataclass
class Draft:
    source: str
    candidates: list[Candidate]

    def yaml(self) -> str:
        head = [f"# Draft of source {self.source}, proposed by `kg draft` from its archived text.",
                "# Review each candidate: set `review: rejected`, or edit it into a fact or an entity",
                "# (data/README.md, \"Adding a document\") and set `review: accepted`; a role, post,",
                "# amount or serves candidate is already in a fact's form. `kg review --accept` moves",
                "# what is accepted into data/. The build never reads this folder.",
                f"source: {self.source}", "candidates:"]
        return "\n".join(head + [c.yaml() for c in self.candidates]) + "\n"


def _beneficiary_labels(cur: Curation) -> dict[str, dict[str, str]]:
    """The beneficiary groups of the ontology with their labels (group -> language -> label)."""
    prefix = "/beneficiary/"
    return {iri.rsplit("/", 1)[1]: labels for iri, labels in cur.ontology.labels.items()
            if prefix in iri and iri.rsplit("/", 1)[1] in cur.ontology.beneficiaries}


def draft(cur: Curation, source: Source, paras: list[str], *, names: list[Name] | None = None) -> Draft:
    """Propose the candidates of one source's paragraphs (``names``: the known names, else all of ``cur``'s)."""
    from kg.curation.propose import proposed_id

    names = with_variants(known_names(cur) if names is None else names)
    actor_names = [n for n in names if n.actor]
    exact_names = [n for n in names if not n.near]
    occasion_names = [n for n in exact_names if n.occasion]
    org_names = [n for n in exact_names if n.actor and not n.person]
    names_by_target: dict[str, list[Name]] = {}
    for n in names:
        names_by_target.setdefault(n.target, []).append(n)
    known = frozenset(fold(n.text) for n in names)
    groups = beneficiary_words(_beneficiary_labels(cur))
    out: list[Candidate] = []
    per_para: list[tuple[str, str, list[Found], int]] = []
    entity_kinds: dict[str, frozenset[str]] = {}
    entity_names: dict[str, set[str]] = {}
    for n in names:
        if n.kind == "entity":
            entity_kinds[n.target] = n.kinds
            entity_names.setdefault(n.target, set()).add(fold(n.text))
    referents: list[Referent] = []  # what the document has named so far, in the order of the text
    abbreviations: dict[str, Referent] = {}  # "TFC" after "Teach For China (TFC)"
    for i, para in enumerate(paras, 1):
        at = f"p{i}"
        mentions = [(a, b, replace(n, near="the name with an abbreviation inside it", of=n.text)
                     if not n.near and "(" in para[a:b] and "(" not in n.text else n)
                    for a, b, n in find_mentions(para, names)]
        # An event or initiative named after an actor ("Alpha's Summit") mentions that actor too.
        mentions += [(start + a, start + b, inner) for start, end, name in mentions if not name.actor
                     and name.kind == "entity" for a, b, inner in find_mentions(para[start:end], actor_names)
                     if inner.target != name.target]
        # A near match keeps the names found as written inside it ("Alpha" in "Center for X of Alpha").
        mentions += [(a, b, n) for a, b, n, _ in _within(para, mentions, exact_names, lambda n: bool(n.near))]
        # An initiative's or an event's name inside another's (the series in the name of one of its
        # editions), and the organization that a unit's English name begins with ("Alpha Center for
        # X"), are near matches.
        inside = {(a, b, n.target): outer for a, b, n, outer in
                  _within(para, mentions, occasion_names, lambda n: n.occasion and not n.near)}
        inside |= {(start + a, start + b, inner.target): para[start:end] for start, end, name in mentions
                   if name.actor and not name.person and not name.near and not _is_cjk(name.text)
                   for a, b, inner in find_mentions(para[start:end], [n for n in org_names if n.target != name.target])
                   if a == 0 and _UNIT_EN.match(para[start + b:end])}
        mentions += [(a, b, n) for a, b, t in inside for n in names_by_target[t][:1]]
        found: list[Found] = []
        for start, end, name in sorted(mentions, key=lambda m: (m[0], -m[1])):
            words = para[start:end]
            if name.kind == "entity":
                out.append(Candidate("mention", at, words, _mention(name, inside.get((start, end, name.target)))))
                found.append(Found(start, end, name.target, words, actor=name.actor, occasion=name.occasion,
                                   person=name.person, event="Event" in name.kinds))
            else:
                out.append(Candidate("region", at, words, {"region": name.target}))
        mentioned = [(a, b) for a, b, _ in mentions]

        def inside_known(span: str, pos: int, mentioned: list[tuple[int, int]] = mentioned) -> bool:
            return fold(span) in known or any(a <= pos and pos + len(span) <= b for a, b in mentioned)

        for occ in find_occasions(para):
            pos = para.find(occ)
            if inside_known(occ, pos) or any(f.start <= pos < f.end for f in found if not f.new):
                continue
            lang = "zh" if _is_cjk(occ) else "en"
            out.append(Candidate("new-initiative", at, occ, {"name": {lang: occ}}))
            found.append(Found(pos, pos + len(occ), proposed_id(occ), occ, occasion=True, new=True,
                               event=bool(_EVENT_WORDS.search(occ))))
        references = {r.start for r in find_references(para)}
        for org in find_organizations(para, known):
            pos = para.find(org)
            if inside_known(org, pos) or _is_cjk(org) and any(f.new and f.start <= pos < f.end for f in found) \
                    or is_reference(org) or _is_cjk(org) and pos in references:
                continue  # a known entity's name, or part of one, or of a new initiative's; "the Foundation",
                # or a Chinese clause that begins with one ("中心实行……")
            lang = "zh" if _is_cjk(org) else "en"
            proposal: dict[str, object] = {"name": {lang: org}}
            near = similar_entities(org, exact_names)  # a near spelling is no suggestion of its own
            if near:
                proposal["similar"] = near
            out.append(Candidate("new-organization", at, org, proposal))
            found.append(Found(pos, pos + len(org), near[0] if len(near) == 1 and fold(org) in known
                               else proposed_id(org), org, actor=True, new=True))
        # a new span round another name ("Alpha Bureau and the Beta Bank") is not one actor
        found = sorted((f for f in found if not (f.new and any(g is not f and f.start <= g.start and g.end <= f.end
                                                                and (g.end - g.start) < (f.end - f.start)
                                                                for g in found))), key=lambda f: (f.start, -f.end))
        found = _resolve_references(i, para, found, referents, abbreviations, out, entity_kinds, entity_names)
        for fig in find_figures(para):
            if fig.year:
                out.append(Candidate("date", at, fig.words, {"value": fig.value, "stated": fig.words,
                                                             "confidence": "low", "note": fig.note}))
            else:
                out.append(Candidate("figure", at, fig.words, fig.proposal()))
        for value, words, inferred in find_dates(para, source.date):
            out.append(Candidate("date", at, words, {"value": value, "inferred": inferred} if inferred
                                 else {"value": value}))
        per_para.append((at, para, found, len(out)))
    # the initiative or event the document names most: what a role is in when its sentence names none
    counts = Counter(f.target for _, _, found, _ in per_para for f in found if f.occasion)
    first = {f.target: f for _, _, found, _ in reversed(per_para) for f in found if f.occasion}
    main, main_event = (first[max(c, key=lambda t: (c[t], -min(n for n, (_, _, fs, _) in enumerate(per_para)
                                                               for f in fs if f.target == t)))] if c else None
                        for c in (counts, Counter({t: n for t, n in counts.items() if first[t].event})))
    for at, para, found, end in reversed(per_para):  # each paragraph's facts after its other candidates
        out[end:end] = [Candidate(p.kind, at, p.words, p.fact, p.names)
                        for p in propose_facts(para, found, groups, main=main, main_event=main_event)]
        # someone speaks or attends in a paragraph that names no event: the event the document names most
        cue = presence_cue(para) if main_event and not main_event.new and not any(f.event for f in found) else None
        if cue and main_event:
            out[end:end] = [Candidate("mention", at, cue, {
                "entity": main_event.target, "by": "reference",
                "antecedent": {"at": next(a for a, _, fs, _ in per_para if main_event in fs), "words": main_event.name},
                "note": "a speaker or an attendee in a paragraph that names no event: the event the document "
                        "names most"})]
    return Draft(source.id, out)


# the word after an organization's name that begins the name of one of its units ("Alpha Center for X")
_UNIT_EN = re.compile(r"\s+(?:Center|Centre|Institute|Office|Department|Faculty|School|College|Lab|Laboratory)\b")


def _within(para: str, mentions: list[tuple[int, int, Name]], names: list[Name],
            outer: Callable[[Name], bool]) -> list[tuple[int, int, Name, str]]:
    """The ``names`` of other entities found inside each mention whose name ``outer`` accepts:
    (start, end, name, the outer mention's words)."""
    return [(start + a, start + b, inner, para[start:end]) for start, end, name in mentions if outer(name)
            for a, b, inner in find_mentions(para[start:end], [n for n in names if n.target != name.target])]


def _mention(name: Name, outer: str | None) -> dict[str, object]:
    """A mention's proposal: a name found as written, a near spelling of one (the known name it
    rests on and the rule), or a name found inside a longer one (its words)."""
    if name.near:
        return {"entity": name.target, "by": "near", "near": name.of, "confidence": "low",
                "note": f"a near match: {name.near}"}
    if outer is not None:
        return {"entity": name.target, "by": "inside", "near": outer[:MAX_WORDS], "confidence": "low",
                "note": "a name inside a longer known name"}
    return {"entity": name.target}


_EVENT_WORDS = re.compile(r"(?:Forum|Conference|Summit|Meeting|Workshop|Seminar|Day|Week|Festival|Competition|"
                          r"Symposium|Dialogue|Ceremony|Consultation|论坛|会议|大会|峰会|研讨会|研修班|座谈会|发布会|年会|"
                          r"仪式|公益日|挑战赛|培训班)$")


def _kinds_of(f: Found, entity_kinds: dict[str, frozenset[str]]) -> frozenset[str]:
    if not f.new:
        return entity_kinds.get(f.target, frozenset())
    if f.person:
        return frozenset({"Person"})
    if f.actor:
        return frozenset({"Organization"})
    return frozenset({"Event" if f.event else "Initiative"})


def _resolve_references(para_no: int, para: str, found: list[Found], referents: list[Referent],
                        abbreviations: dict[str, Referent], out: list[Candidate],
                        entity_kinds: dict[str, frozenset[str]], entity_names: dict[str, set[str]]) -> list[Found]:
    """Propose the entities a paragraph refers to without their names ("the Foundation", "该项目",
    an abbreviation defined earlier), each marked as resolved by reference; return ``found`` with
    them (a role's actor may be "the Foundation"). ``referents`` and ``abbreviations`` grow with
    what the paragraph names, for the paragraphs after it."""
    at = f"p{para_no}"

    def referent(f: Found, start: int, end: int, words: str) -> Referent:
        forms = entity_names.get(f.target, set()) if not f.new else {fold(f.name)}
        return Referent(para_no, start, end, f.target, _kinds_of(f, entity_kinds), words, tuple(sorted(forms)))

    here = [referent(f, f.start, f.end, f.name) for f in found]
    for f in found:
        abbr = abbreviation_after(para, f.end) if not f.person else None
        if abbr and fold(abbr) not in entity_names.get(f.target, set()):
            abbreviations.setdefault(abbr, referent(f, f.start, f.end, f.name))
    taken = [(f.start, f.end) for f in found]
    hits: list[tuple[int, int, str, Referent, str]] = []
    for abbr, defined in abbreviations.items():
        rx = re.escape(abbr) if _is_cjk(abbr) else r"(?<![\w-])" + re.escape(abbr) + r"(?![\w-])"
        for m in re.finditer(rx, para):
            if (para_no, m.start()) > (defined.para, defined.end):
                hits.append((m.start(), m.end(), m.group(0), defined, "abbreviation"))
    for r in find_references(para):
        antecedent = resolve(r, para_no, referents + here)
        if antecedent is not None:
            hits.append((r.start, r.end, r.words, antecedent, "reference"))
    pairs = find_pairs(para)
    for start, end, words in pairs:
        hits += [(start, end, words, party, "reference") for party in resolve_pair(referents + here)]

    def blocked(start: int, end: int, by: str) -> bool:
        """Part of a name found in the paragraph; an abbreviation may hold a shorter one ("Alpha
        Office"), and "both parties" are two mentions of its words."""
        for a, b in taken:
            holds = by == "abbreviation" and start <= a and b <= end and b - a < end - start
            pair = (a, b) == (start, end) and any(p[:2] == (a, b) for p in pairs)
            if a < end and start < b and not holds and not pair:
                return True
        return False
    named = {f.target for f in found}
    proposed: set[str] = set()
    for start, end, words, ref, by in sorted(hits, key=lambda h: (h[0], h[1], h[3].target)):
        if blocked(start, end, by):
            continue
        taken.append((start, end))
        new = ref.target not in entity_kinds
        found.append(Found(start, end, ref.target, ref.words if new else words,
                           actor=bool(ref.kinds & {"Organization", "Person"}),
                           occasion=bool(ref.kinds & {"Initiative", "Event"}), person="Person" in ref.kinds, new=new,
                           event="Event" in ref.kinds))
        here.append(Referent(para_no, start, end, ref.target, ref.kinds, ref.words, ref.names))
        if ref.target in named or ref.target in proposed:
            continue  # the paragraph names it already: one mention is enough
        proposed.add(ref.target)
        proposal: dict[str, object] = {"entity": ref.target, "by": by,
                                       "antecedent": {"at": f"p{ref.para}", "words": ref.words[:MAX_WORDS]}}
        notes = ["two parties: the first two organizations the title and lead name"] \
            if any(p[:2] == (start, end) for p in pairs) else []
        if new:
            notes.append(f"{ref.target} is proposed for the new name {ref.words}: add the entity, or use a known id")
        if notes:
            proposal["note"] = "; ".join(notes)
        out.append(Candidate("mention", at, words, proposal, {"entity": ref.words} if new else {}))
    referents += sorted(here, key=lambda r: r.start)
    return sorted(found, key=lambda f: (f.start, -f.end))


def drafts_dir(data_dir: Path) -> Path:
    return data_dir / DRAFTS_DIR


# ---------------------------------------------------------------------------- drafts on disk


def write_draft(project: Project, source_id: str, *, force: bool = False) -> tuple[Path, Draft]:
    """Draft a registered source whose text is archived into ``data/drafts/ID.yaml``."""
    from kg.curation.reader import load_curation
    from kg.curation.sources import source_paragraphs
    from kg.files import write_atomic

    paras = source_paragraphs(project, source_id)
    cur, _ = load_curation(project)
    out = drafts_dir(project.data_dir) / f"{source_id}.yaml"
    if out.exists() and not force:
        raise UserError(f"{project.relative(out)} exists: review it first, or pass --force to draft again")
    result = draft(cur, cur.sources[source_id], paras)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, result.yaml())
    return out, result


@dataclass
class Pending:
    """A candidate that awaits review."""

    file: str
    line: int
    kind: str
    at: str
    words: str
    decision: str = "needed"  # or accepted, rejected: for kg review --accept to move or drop


# A candidate's review: still to do; edited into a fact or an entity and to move into data/; to drop.
DECISIONS = ("needed", "accepted", "rejected")


def pending(project: Project) -> tuple[list[Pending], list[Problem]]:
    """Every candidate in data/drafts/ (still ``review: needed``, or decided and not yet moved by
    ``kg review --accept``), and any problem in those files."""
    from kg.curation.yamlio import Map, Seq, read_yaml

    found: list[Pending] = []
    problems: list[Problem] = []
    folder = drafts_dir(project.data_dir)
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        file = project.relative(path)
        if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
            problems.append(Problem(file, 0, "data/drafts/ holds only the .yaml files kg draft writes"))
            continue
        doc, probs = read_yaml(path, file)
        problems += probs
        if probs:
            continue
        if not isinstance(doc, Map) or not isinstance(doc.get("candidates"), Seq | type(None)):
            problems.append(Problem(file, 1, "expected the keys source and candidates (a list), as kg draft writes"))
            continue
        for item in doc.get("candidates") or []:
            line = getattr(item, "line", 1)
            if not isinstance(item, Map):
                problems.append(Problem(file, line, "each candidate is a mapping of keys"))
                continue
            line = item.line_of("review") if "review" in item else line
            decision = str(item.get("review", ""))
            if decision not in DECISIONS:
                problems.append(Problem(file, line, "a candidate's review is 'needed', 'accepted' (edited into a fact "
                                        "or an entity, for kg review --accept to move into data/) or 'rejected'"))
                continue
            kind = "amount" if "amount" in item else str(item.get("kind", ""))
            found.append(Pending(file, line, kind, str(item.get("at", "")),
                                 str(item.get("words", "")), decision))
    return found, problems
