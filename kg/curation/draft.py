"""Drafting a new source: what its archived text mentions, proposed for a curator's review.

:func:`draft` reads a source's numbered paragraphs and proposes, each with its locator and the
few words it rests on (never a sentence), and each marked ``review: needed``:

- **mentions** of known entities and regions: every name, alias and pinyin form the curated
  data holds, matched longest first (whole words in English, any position in Chinese);
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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType

from kg.curation.records import DRAFTS_DIR, Curation, Source
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

    def yaml(self) -> str:
        lines = ["  - review: needed", f"    kind: {self.kind}", f"    at: {self.at}",
                 f"    words: {_q(self.words[:MAX_WORDS])}"]
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


@dataclass
class Name:
    text: str
    target: str  # entity id, or a region id / ISO code
    kind: str  # "entity" or "region"


def known_names(cur: Curation, *, leave_out: frozenset[str] = frozenset()) -> list[Name]:
    """Every name, alias and pinyin form of the curated entities and regions (longest first)."""
    from kg.build.triples import pinyin
    from kg.curation.gazetteer import china_subdivisions

    names: list[Name] = []
    for e in cur.entities.values():
        if e.id in leave_out:
            continue
        forms = set(e.names.values()) | {a for group in e.aliases.values() for a in group}
        forms |= {pinyin(n) for n in forms if _is_cjk(n)}
        names += [Name(f, e.id, "entity") for f in forms if len(f) >= 2]
    for r in cur.regions.values():
        forms = set(r.names.values()) | {a for group in r.aliases.values() for a in group}
        names += [Name(f, r.iso or r.id, "region") for f in forms if len(f) >= 2]
    for code, region_forms in china_subdivisions().items():
        names += [Name(f, code, "region") for f in region_forms]
    unique = {(n.text, n.target): n for n in names}
    return sorted(unique.values(), key=lambda n: (-len(n.text), n.text, n.target))


@cache
def _pattern(text: str) -> re.Pattern[str]:
    if _is_cjk(text):
        return re.compile(re.escape(text))
    return re.compile(r"(?<![\w])" + re.escape(fold(text)).replace(r"\ ", r"\s+") + r"(?![\w])")


def find_mentions(paragraph: str, names: list[Name]) -> list[tuple[int, int, Name]]:
    """Non-overlapping matches of ``names`` in ``paragraph``, longest first."""
    folded = fold(paragraph)
    taken: list[tuple[int, int]] = []
    found = []
    for name in names:
        haystack = paragraph if _is_cjk(name.text) else folded
        for m in _pattern(name.text).finditer(haystack):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), name))
    return sorted(found, key=lambda f: f[0])


# ---------------------------------------------------------------------------- new organizations

_ORG_WORDS = ("Foundation", "University", "Association", "Institute", "Ministry", "Bureau", "Company", "Group",
              "Council", "Center", "Centre", "Society", "School", "College", "Committee", "Federation",
              "Alliance", "Network", "Office", "Department", "Fund", "Trust", "Organization", "Organisation",
              "Commission", "Agency", "Corporation", "Academy", "League", "Union", "Charity", "Club",
              "Administration", "Bank", "Press", "Platform", "Lab", "Laboratory", "Education")
_CAP = r"(?:[A-Z][\w&'.-]*|UNESCO|UNICEF)"
_ORG_EN = re.compile(
    rf"\b(?:the\s+)?((?:{_CAP}\s+)(?:(?:{_CAP}|of|for|and|on|in|the)\s+){{0,8}}(?:{'|'.join(_ORG_WORDS)})"
    rf"(?:\s+(?:of|for|on)\s+(?:{_CAP}\s+){{0,4}}{_CAP})?|(?:{'|'.join(_ORG_WORDS)})\s+of\s+(?:the\s+)?"
    rf"(?:{_CAP}\s+){{0,4}}{_CAP})")
_ORG_ZH_SUFFIX = ("基金会", "公司", "大学", "学会", "协会", "中心", "教育局", "研究院", "研究所", "委员会", "学院",
                  "集团", "联合会", "联盟", "教育部", "教育厅", "团委", "中学", "小学", "幼儿园", "出版社", "银行",
                  "事务所", "办公室", "促进会", "总会", "实验室", "平台")
_ZH_PART_FLAGS = {"ns", "nt", "nz", "n", "nr", "j", "eng", "vn", "an", "nrt", "nrfg", "b", "l"}


@cache
def jieba_tagger() -> ModuleType:  # imported once, and only by drafts of Chinese text
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg


_TITLE = re.compile(r"^(?:(?:Deputy|Vice|Executive|Former)\s+)?(?:Director|Dean|Secretary|President|Chairman|"
                    r"Chairwoman|Head|Minister|Professor|Principal|Founder|CEO|Organization|Organizer|Publisher)"
                    r"(?:[-\s]General)?\s+(?:of\s+(?:the\s+)?)?")
_ORG_END = re.compile(rf"(?:{'|'.join(_ORG_WORDS)})$")
_ZH_LIST_SPLIT = re.compile(r"[，,。；;：:！？!?（）()“”\"《》]")
_ZH_LIST_EDGE = re.compile(r"^(?:包括|其中|如|有|和|与|及|以及|等)+|(?:等+|等单位|等机构|等企业|等公司)$")


def _english_spans(span: str) -> list[str]:
    """An English span without a leading title, and its parts either side of "and" that are names."""
    span = _TITLE.sub("", span).strip()
    out = [span] if len(span.split()) >= 2 else []
    if " and " in span:
        for part in span.split(" and "):
            part = part.strip()
            if len(part.split()) >= 2 and _ORG_END.search(part) and part not in out:
                out.append(part)
    return out


def _chinese_lists(paragraph: str) -> list[str]:
    """The items of enumerations (甲、乙、丙): Chinese press lists partners this way."""
    out = []
    for clause in _ZH_LIST_SPLIT.split(paragraph):
        if clause.count("、") < 2:
            continue
        items = clause.split("、")
        last = re.split(r"和|与|及", items[-1])
        items = items[:-1] + last
        for item in items:
            item = _ZH_LIST_EDGE.sub("", item.strip())
            if 2 <= len(item) <= 14 and not re.fullmatch(r"[\d\s]+", item):
                out.append(item)
    return out


def find_organizations(paragraph: str) -> list[str]:
    """Spans that look like organization names, in order of appearance."""
    out: list[str] = []
    for m in _ORG_EN.finditer(paragraph):
        out += _english_spans(m.group(1).strip())
    out += _chinese_lists(paragraph)
    if _is_cjk(paragraph):
        words = [(w.word, w.flag) for w in jieba_tagger().cut(paragraph)]
        for i, (word, flag) in enumerate(words):
            if flag == "nt" and len(word) >= 3:
                out.append(word)
                continue
            if not word.endswith(_ORG_ZH_SUFFIX):
                continue
            j = i
            while j > 0 and words[j - 1][1] in _ZH_PART_FLAGS and _is_cjk(words[j - 1][0]) \
                    and sum(len(w) for w, _ in words[j - 1:i + 1]) <= 20:
                j -= 1
            span = "".join(w for w, _ in words[j:i + 1])
            if len(span) > len(word):
                out.append(span)
    return list(dict.fromkeys(out))


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

_ZH_MULT = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}
_EN_MULT = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000}
_NUM = r"\d[\d,]*(?:\.\d+)?"


@dataclass
class Amount:
    value: str
    currency: str
    words: str


def _number(text: str, mult: int = 1) -> str:
    """A number's canonical text, times ``mult``, exactly (2.2 亿 is 220000000, not 2.2e+08)."""
    from decimal import Decimal

    raw = Decimal(text.replace(",", "")) * mult
    return str(raw.quantize(Decimal(1))) if raw == raw.to_integral_value() else format(raw.normalize(), "f")


_MONEY = re.compile(
    rf"(?P<zh>(?P<zn>{_NUM})\s*(?P<zm>[万亿千])?\s*(?:元|块)(?:人民币)?)"
    rf"|(?P<cur>RMB|CNY|USD|US\$|\$|¥|￥)\s*(?P<cn>{_NUM})\s*(?P<cm>million|billion|thousand|万|亿)?"
    rf"|(?P<en>(?P<en_n>{_NUM})\s*(?P<em>million|billion|thousand)?\s*(?P<unit>yuan|RMB|renminbi|dollars|USD))",
    re.IGNORECASE)
_CURRENCY = {"rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY", "yuan": "CNY", "renminbi": "CNY",
             "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD"}


def find_money(paragraph: str) -> list[Amount]:
    """Amounts of money with their ISO 4217 currency (no conversion)."""
    out = []
    for m in _MONEY.finditer(paragraph):
        if m["zh"]:
            out.append(Amount(_number(m["zn"], _ZH_MULT.get(m["zm"] or "", 1)), "CNY", m.group(0)))
        elif m["cur"]:
            mult = _EN_MULT.get((m["cm"] or "").lower()) or _ZH_MULT.get(m["cm"] or "", 1)
            out.append(Amount(_number(m["cn"], mult), _CURRENCY[m["cur"].lower()], m.group(0)))
        else:
            mult = _EN_MULT.get((m["em"] or "").lower(), 1)
            out.append(Amount(_number(m["en_n"], mult), _CURRENCY[m["unit"].lower()], m.group(0)))
    return out


_FIGURE = re.compile(
    rf"(?P<n>{_NUM})\s*(?P<m>万|亿|千|million|thousand|billion)?\s*(?:多|余|more than\s+)?\s*"
    r"(?P<unit>所|名|位|个|人次|人|家|场|节|门|套|台|间|省|县|市|万|[A-Za-z][a-z-]+(?:\s[a-z-]+)?)?")
_NOT_UNITS = {"year", "years", "and", "to", "of", "in", "on", "at", "the", "a", "an", "by", "with", "for"}


_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_ZH_UNITS_OF = {"十": 10, "百": 100, "千": 1000}
_ZH_FIGURE = re.compile(r"(?P<n>[零〇一二两三四五六七八九十百千万亿]{1,8})"
                        r"(?P<unit>所|名|位|家|场|节|门|套|台|间|个省|个县|个市)")


def zh_number(text: str) -> int:
    """A number written in Chinese numerals.

    >>> zh_number("百"), zh_number("一千二百"), zh_number("三万"), zh_number("两亿五千万")
    (100, 1200, 30000, 250000000)
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


def find_figures(paragraph: str) -> list[tuple[str, str, str]]:
    """Numbers with their unit word: (value, unit, words). Years and money are left to dates and money."""
    taken = [m.span() for m in _MONEY.finditer(paragraph)]
    taken += [m.span() for m in _DATE.finditer(paragraph) if not m["rel"]]
    out = []
    for m in _FIGURE.finditer(paragraph):
        if any(a <= m.start() < b for a, b in taken):
            continue
        n = m["n"]
        if re.fullmatch(r"(19|20)\d\d", n) and not m["m"]:
            continue  # a year
        unit = (m["unit"] or "").strip()
        if unit.lower() in _NOT_UNITS or unit.lower().startswith(("year", "yr")):
            unit = ""
        mult = _ZH_MULT.get(m["m"] or "", 0) or _EN_MULT.get((m["m"] or "").lower(), 1)
        out.append((_number(n, mult), unit, m.group(0).strip()))
    for m in _ZH_FIGURE.finditer(paragraph):
        if m["n"] != "一":  # 一名, 一所: "a", not a count
            out.append((str(zh_number(m["n"])), m["unit"], m.group(0)))
    return out


# ---------------------------------------------------------------------------- dates

_MONTHS = {m: i for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"], 1)}
_DATE = re.compile(
    r"(?P<range>(?P<d1>\d{1,2})\s*(?:to|-|–|and)\s*(?P<d2>\d{1,2})\s+(?P<mon4>January|February|March|April|May|"
    r"June|July|August|September|October|November|December),?\s+(?P<y4>(?:19|20)\d\d))"
    r"|(?P<zy>(?:19|20)\d\d)\s*年(?:\s*(?P<zm>\d{1,2})\s*月(?:\s*(?P<zd>\d{1,2})\s*日)?)?"
    r"|(?P<iso>(?:19|20)\d\d-\d\d(?:-\d\d)?)"
    r"|(?P<md>(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?:(?P<day>\d{1,2}),?\s+)?(?P<y>(?:19|20)\d\d))"
    r"|(?P<dm>(?P<day2>\d{1,2})\s+(?P<mon2>January|February|March|April|May|June|July|August|September|October|"
    r"November|December),?\s+(?P<y2>(?:19|20)\d\d))"
    r"|(?P<zmd>(?<!\d)(?P<m3>\d{1,2})\s*月\s*(?P<d3>\d{1,2})\s*日)"
    r"|(?P<bare>(?<!\d)(?<!\d[.,])(?:19|20)\d\d(?!\d|[.,]\d|%))"
    r"|(?P<rel>今年|去年|明年|this year|last year|next year)", re.IGNORECASE)


def find_dates(paragraph: str, document_date: str | None) -> list[tuple[str, str, str | None]]:
    """Dates as (value, words, inferred-from or None): YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD."""
    year = int(document_date[:4]) if document_date else None
    out: list[tuple[str, str, str | None]] = []
    for m in _DATE.finditer(paragraph):
        if m["zy"]:
            parts = [m["zy"]] + [f"{int(x):02d}" for x in (m["zm"], m["zd"]) if x]
            out.append(("-".join(parts), m.group(0), None))
        elif m["iso"]:
            out.append((m["iso"], m.group(0), None))
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


# ---------------------------------------------------------------------------- roles

CUES: dict[str, str] = {
    "发起": "initiator", "主办": "organizer", "承办": "host", "协办": "supporter", "指导": "guide",
    "支持": "supporter", "资助": "funder", "捐赠": "funder", "合作": "partner", "参与": "participant",
    "实施": "implementer", "launched": "launcher", "launch": "launcher", "initiated": "initiator",
    "funded": "funder", "donated": "funder", "organized": "organizer", "organised": "organizer",
    "hosted": "host", "supported": "supporter", "guided": "guide", "in partnership with": "partner",
    "partnered": "partner", "implemented": "implementer", "co-organized": "supporter", "sponsored": "funder",
}
_CUE = re.compile("|".join(sorted((re.escape(c) for c in CUES), key=len, reverse=True)), re.IGNORECASE)


# ---------------------------------------------------------------------------- the draft


@dataclass
class Draft:
    source: str
    candidates: list[Candidate]

    def yaml(self) -> str:
        head = [f"# Draft of source {self.source}, proposed by `kg draft` from its archived text.",
                "# Review each candidate: put what is right into data/entities or data/facts (with its",
                "# locator), then delete it here; `kg review` lists what is left. The build never reads",
                "# this folder.",
                f"source: {self.source}", "candidates:"]
        return "\n".join(head + [c.yaml() for c in self.candidates]) + "\n"


def draft(cur: Curation, source: Source, paras: list[str], *, leave_out: frozenset[str] = frozenset()) -> Draft:
    """Propose the candidates of one source's paragraphs (``leave_out``: entities to treat as unknown)."""
    names = known_names(cur, leave_out=leave_out)
    out: list[Candidate] = []
    for i, para in enumerate(paras, 1):
        at = f"p{i}"
        mentions = find_mentions(para, names)
        actors = []
        for start, end, name in mentions:
            words = para[start:end]
            if name.kind == "entity":
                out.append(Candidate("mention", at, words, {"entity": name.target}))
                actors.append((start, name.target))
            else:
                out.append(Candidate("region", at, words, {"region": name.target}))
        mentioned = [(a, b) for a, b, _ in mentions]
        for org in find_organizations(para):
            pos = para.find(org)
            if any(a <= pos and pos + len(org) <= b for a, b in mentioned):
                continue  # a known entity's name, or part of one
            lang = "zh" if _is_cjk(org) else "en"
            proposal: dict[str, object] = {"name": {lang: org}}
            near = similar_entities(org, names)
            if near:
                proposal["similar"] = near
            out.append(Candidate("new-organization", at, org, proposal))
        for amount in find_money(para):
            out.append(Candidate("money", at, amount.words, {"value": amount.value, "currency": amount.currency}))
        for value, unit, words in find_figures(para):
            out.append(Candidate("figure", at, words, {"value": value, "unit": unit} if unit else {"value": value}))
        for value, words, inferred in find_dates(para, source.date):
            out.append(Candidate("date", at, words, {"value": value, "inferred": inferred} if inferred
                                 else {"value": value}))
        for cue in _CUE.finditer(para):
            role = CUES[cue.group(0).lower()] if cue.group(0).lower() in CUES else CUES[cue.group(0)]
            near_actors = sorted({a for pos, a in actors if abs(pos - cue.start()) <= 60})
            if near_actors:
                out.append(Candidate("role", at, cue.group(0), {"role": role, "actors": near_actors}))
    return Draft(source.id, out)


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


def pending(project: Project) -> tuple[list[Pending], list[Problem]]:
    """Every candidate in data/drafts/ still marked ``review: needed``, and any problem in those files."""
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
            if str(item.get("review", "")) != "needed":
                problems.append(Problem(file, line, "a candidate's review is 'needed'; once reviewed, move it into "
                                        "data/entities or data/facts and delete it here"))
                continue
            found.append(Pending(file, line, str(item.get("kind", "")), str(item.get("at", "")),
                                 str(item.get("words", ""))))
    return found, problems
