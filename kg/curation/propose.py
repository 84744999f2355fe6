"""Facts proposed from one sentence: roles, posts, amounts of money and whom it serves.

:func:`propose_facts` reads a paragraph with the names found in it (known entities, and the new
organizations and initiatives the draft proposes) and writes each proposal in the form of a fact
of data/README.md, so that a curator who checks it only sets ``review: accepted``:

- **roles** (``actor``, ``role``, ``in``): an actor, a cue word of the role guide, and an
  initiative or event, all in one sentence. The actor is the subject before the cue ("甲主办",
  "Alpha launched"), or follows it where the cue is passive or a field ("organized by Alpha",
  "主办单位：甲", "in partnership with Alpha");
- **posts** (``person``, ``post``, ``org``): an organization, a job title and a person next to
  each other ("甲基金会理事长张三", "Zhang San, Director of Alpha", "Director of Alpha, Zhang San");
- **amounts** (``amount``, ``currency``, ``kind``, ``to``, ``from``, ``qualifier``): money with
  its giver before a giving cue and its recipient in the same sentence, the kind from the verb
  (will, pledged, spent: planned, committed, disbursed);
- **who is served** (``subject``, ``serves``): a group of the ontology's beneficiary scheme
  named by its label or a common wording, next to a cue of serving (为, 面向, 帮助, for, help).

A new name (not yet an entity) is given a proposed id, and the proposal's ``note`` says that the
entity must be added under that id. Nothing here reads an actor's name from a list: every rule is
a wording of the language.

>>> [p.kind for p in propose_facts("甲基金会主办乙论坛。", [Found(0, 4, "jia", "甲基金会", actor=True),
...                                  Found(6, 9, "yi-forum", "乙论坛", occasion=True)], {})]
['role']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.curation.amounts import Amount, find_money, money_qualifier
from kg.curation.zh import jieba_tagger

# ---------------------------------------------------------------------------- what a sentence names


@dataclass(frozen=True)
class Found:
    """A name found in a paragraph: a known entity (``new`` False) or a draft's new name."""

    start: int
    end: int
    target: str  # the entity id, or the id proposed for a new name
    name: str  # the words of the paragraph
    actor: bool = False  # an organization or a person
    occasion: bool = False  # an initiative or an event
    person: bool = False
    new: bool = False
    event: bool = False  # an event (what a speaker or an attendee is at), not an initiative


@dataclass
class Proposal:
    """A fact proposed for review: its kind, its words, its keys in the fact's form, and the names
    it rests on (``names``: key -> the words naming a new entity; for the benchmark, never written)."""

    kind: str  # role, post, amount, serves
    words: str
    fact: dict[str, object]
    names: dict[str, str] = field(default_factory=dict)




def sentences(paragraph: str) -> list[tuple[int, int]]:
    """The sentences of a paragraph as (start, end) offsets.

    >>> [("甲。乙。 Alpha met Mr. Bo. End."[a:b]) for a, b in sentences("甲。乙。 Alpha met Mr. Bo. End.")]
    ['甲。', '乙。', ' Alpha met Mr. Bo.', ' End.']
    """
    out = []
    pos = 0
    for m in re.finditer(r"[。！？；!?;]|\.(?=\s|$)", paragraph):
        if m.group(0) == "." and re.search(r"\b(?:Mr|Ms|Mrs|Dr|Prof|No|St|Jr|Co|Inc|Ltd|[A-Z])$",
                                           paragraph[pos:m.start()]):
            continue  # an abbreviation, not the end of a sentence
        out.append((pos, m.end()))
        pos = m.end()
    if paragraph[pos:].strip():
        out.append((pos, len(paragraph)))
    return out


# ---------------------------------------------------------------------------- roles

# Cue wordings of data/README.md's role guide. ``after``: the actors follow the cue (a passive
# "by", a field "主办单位：", a preposition "with"); otherwise the actor is the subject before it.
_ROLE_CUES_ZH: dict[str, str] = {
    "联合发起": "initiator", "发起": "initiator", "倡议": "initiator", "创立": "initiator",
    "开启": "starts", "启动": "launcher", "推出": "launcher", "发布": "launcher",
    "牵头": "lead", "主导": "lead", "领衔": "lead",
    "实施": "implementer", "执行": "implementer",
    "联合主办": "host", "主办": "host", "承办": "organizer", "协办": "supporter",
    "支持": "supporter", "助力": "supporter",
    "资助": "funder", "出资": "funder", "捐资": "funder", "赞助": "funder", "捐赠": "funder", "捐建": "funder",
    "指导": "guide", "主管": "guide",
    "合作": "partner", "携手": "partner", "签约": "partner", "签署": "partner",
    "出席": "attendee", "参会": "attendee", "见证": "attendee",
    "致辞": "speaker", "发言": "speaker", "演讲": "speaker", "讲话": "speaker",
    "参加": "participant", "参与": "participant",
}
_ROLE_CUES_EN: dict[str, str] = {
    "co-initiated": "initiator", "initiated": "initiator", "co-founded": "initiator", "founded": "initiator",
    "established": "initiator", "started": "starts", "launched": "launcher", "unveiled": "launcher", "led by": "lead",
    "spearheaded": "lead", "implemented": "implementer", "run by": "implementer", "carried out by": "implementer",
    "co-hosted": "host", "hosted": "host", "convened": "host", "co-organized": "organizer",
    "co-organised": "organizer", "organized": "organizer", "organised": "organizer", "held by": "organizer",
    "supported": "supporter", "with the support of": "supporter", "assisted": "supporter",
    "funded": "funder", "financial support": "funder", "donated": "funder", "donate": "funder",
    "donates": "funder", "funds": "funder", "sponsored": "host", "signed": "partner", "agreement": "partner",
    "under the guidance of": "guide", "guided": "guide", "supervised": "guide",
    "in partnership with": "partner", "partnered with": "partner", "in cooperation with": "partner",
    "partnership with": "partner", "partners such as": "partner", "partners including": "partner",
    "partners include": "partner", "cooperated with": "partner", "cooperates with": "partner",
    "together with": "partner", "attended": "attendee", "witnessed": "attendee",
    "spoke": "speaker", "gave a speech": "speaker", "delivered a keynote": "speaker",
    "delivered a speech": "speaker", "delivering a speech": "speaker", "made a speech": "speaker",
    "gave a keynote": "speaker", "addressed": "speaker", "delivered remarks": "speaker",
    "was present": "attendee", "were present": "attendee",
    "took part": "participant", "participated": "participant", "joined": "participant",
}
_NOTES = {"sponsored": "\"sponsored by\" translating 主办 means the host; where money is meant, the role is funder",
          "协办": "协办: supporter, helping the organizer (data/README.md, reading hints)"}
_CUE_ZH = re.compile("|".join(sorted(map(re.escape, _ROLE_CUES_ZH), key=len, reverse=True)))
_CUE_EN = re.compile(r"\b(?:" + "|".join(sorted((re.escape(c).replace(r"\ ", r"\s+") for c in _ROLE_CUES_EN),
                                                key=len, reverse=True)) + r")\b", re.IGNORECASE)
_AFTER_ZH = re.compile(r"^(?:单位|方|机构)?\s*[:：为是]")
_AFTER_EN = re.compile(r"^\s*(?:by|with|of)\b", re.IGNORECASE)


def presence_cue(paragraph: str) -> str | None:
    """The first words of a paragraph that put someone at an event (a speaker's or an attendee's
    cue, or a speech named by its noun), if any: what an event the paragraph does not name is
    referred to by.

    >>> presence_cue("Ms Alpha was delivering a speech."), presence_cue("甲乙出席并致辞。"), presence_cue("No cue.")
    ('delivering a speech', '出席', None)
    >>> presence_cue("Ms Alpha's speech was on rural schools.")
    'speech'
    """
    cue = next((cue for _, _, role, _, cue in _role_cues(paragraph) if role in _EVENT_ROLES), None)
    noun = _SPEECH_EN.search(paragraph)
    return cue or (noun.group(0) if noun else None)


# a speech named by its noun ("Ms Alpha's speech", "in his keynote"): someone spoke at the event
_SPEECH_EN = re.compile(r"\b(?:speech|keynote|remarks)\b")


def _role_cues(sentence: str) -> list[tuple[int, int, str, bool, str]]:
    """The role cues of a sentence: (start, end, role, actors-after, cue)."""
    out = []
    for m in _CUE_ZH.finditer(sentence):
        out.append((m.start(), m.end(), _ROLE_CUES_ZH[m.group(0)], bool(_AFTER_ZH.match(sentence[m.end():])),
                    m.group(0)))
    for m in _CUE_EN.finditer(sentence):
        cue = re.sub(r"\s+", " ", m.group(0).lower())
        after = cue.endswith(("with", "of", " by", "such as", "including", "include")) \
            or bool(_AFTER_EN.match(sentence[m.end():]))
        out.append((m.start(), m.end(), _ROLE_CUES_EN[cue], after, m.group(0)))
    return sorted(out)


def _roles(sentence: str, base: int, found: list[Found], posts: list[Proposal],
           main: Found | None, main_event: Found | None = None) -> list[Proposal]:
    cues = _role_cues(sentence)
    out: list[Proposal] = []
    # "甲公司董事长张三出席": the person attends; the organization only says where the person works
    employers = {str(p.fact["org"]) for p in posts}
    found = [f for f in found if f.target not in employers]
    for n, (a, b, role, after, cue) in enumerate(cues):
        lo = cues[n - 1][1] if n and not after else (0 if not after else b)
        hi = a if not after else (cues[n + 1][0] if n + 1 < len(cues) else len(sentence))
        if after and n + 1 < len(cues) and not cues[n + 1][3]:
            # "organized by A and B, launched C": the next cue's subject ends the list
            hi = cues[n + 1][0]
        actors = [f for f in found if f.actor and lo <= f.start - base and f.end - base <= hi]
        if not after:  # the subject is the last actors before the cue, not the whole clause
            actors = actors[-3:]
        elif role == "partner" and _MUTUAL.search(cue):  # "A partnered with B": A is a partner too
            start = cues[n - 1][1] if n else 0
            actors = [f for f in found if f.actor and start <= f.start - base and f.end - base <= a][-1:] + actors
        # "Director Alpha Li of Beta Fund spoke", "Li, head of Beta Fund, spoke": the person speaks,
        # the organization only says where the person works
        people = [f for f in actors if f.person]
        actors = [f for f in actors if f.person or not any(
            p.end <= f.start and _OF_PERSON.match(sentence[p.end - base:f.start - base]) for p in people)]
        # a speaker or an attendee is at an event; the other roles are in an initiative or an event
        at_event = role in _EVENT_ROLES
        occasions = [f for f in found if f.occasion and (f.event or not at_event)]
        occasion = min((o for o in occasions if o.target not in {x.target for x in actors}),
                       key=lambda o: abs(o.start - base - a), default=None)
        fallback = occasion is None
        occasion = occasion or (main_event if at_event else main)
        if occasion is None:
            continue
        for actor in dict.fromkeys(actors):
            if actor.target == occasion.target:
                continue
            fact: dict[str, object] = {"actor": actor.target, "role": role, "in": occasion.target}
            notes = [_new_note(actor, occasion), _NOTES.get(cue.lower(), ""),
                     ("in: the sentence names no event; this is the one the document names most" if at_event else
                      "in: the sentence names no initiative or event; this is the one the document names most")
                     if fallback else ""]
            if any(notes):
                fact["note"] = "; ".join(n for n in notes if n)
            out.append(Proposal("role", sentence[a:b], fact, _names(actor=actor, in_=occasion)))
    return out


_OF_PERSON = re.compile(r"^\s*(?:,\s*)?(?:(?:[A-Za-z][\w-]*\s+){0,4}(?:of|at|from)\s+(?:the\s+)?|的)$")
_MUTUAL = re.compile(r"^(?:partnership|partnered|cooperated|cooperates)\s+with$", re.IGNORECASE)
_EVENT_ROLES = frozenset({"attendee", "speaker"})  # data/README.md's role guide: present at an event


def proposed_id(name: str) -> str:
    """An id for a new name: its words (a Chinese name's pinyin) in lower case, joined by hyphens.

    >>> proposed_id("Alpha Rural Fund"), proposed_id("甲乙基金会")
    ('alpha-rural-fund', 'jia-yi-ji-jin-hui')
    """
    import unicodedata

    if _is_cjk(name):
        from pypinyin import lazy_pinyin

        name = " ".join(lazy_pinyin(name))
    name = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:80] or "new-entity"


def _new_note(*found: Found) -> str:
    new = [f for f in found if f.new]
    return "; ".join(f"{f.target} is proposed for the new name {f.name}: add the entity, or use a known id"
                     for f in new)


def _names(**found: Found) -> dict[str, str]:
    return {k.rstrip("_"): f.name for k, f in found.items() if f.new}


# ---------------------------------------------------------------------------- posts

_TITLES_ZH = ("董事会主席", "董事会副主席", "董事长", "副董事长", "创始人", "联合创始人", "总裁", "副总裁", "执行董事",
              "董事", "总经理", "副总经理", "会长", "副会长", "理事长", "副理事长", "秘书长", "副秘书长",
              "院长", "副院长", "校长", "副校长", "主任",
              "副主任", "局长", "副局长", "部长", "副部长", "司长", "副司长", "厅长", "副厅长", "主席", "副主席",
              "市长", "副市长", "县长", "副县长", "书记", "副书记", "党委书记", "负责人", "总监", "合伙人", "教授",
              "首席执行官", "CEO", "CTO", "CIO", "COO", "CFO", "理事", "处长", "副处长", "所长", "副所长")
_TITLE_ZH = re.compile(r"(?:(?:高级|执行|常务|首席|联合|名誉|荣誉|前|原|现任|兼|副)*(?:"
                       + "|".join(sorted(_TITLES_ZH, key=len, reverse=True)) + r"))+")
_PERSON_ZH = re.compile(r"[\u4e00-\u9fff]{2,3}")
_TITLES_EN = (r"(?i:(?:(?:Former|Deputy|Vice|Executive|Assistant|Associate|Senior|Honorary|Founding|Co-)[-\s]*)*"
              r"(?:Director|Dean|Secretary|President|Chairman|Chairwoman|Chairperson|Chair|Head|Chief|Minister|"
              r"Principal|Founder|CEO|Commissioner|Representative|Coordinator|Manager|Officer|Professor|"
              r"Vice[-\s]Chancellor|Chancellor|Governor|Mayor|Partner)(?:[-\s]General)?)")
_PERSON_EN = r"(?:(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+)?(?P<person>[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+){1,2})"
_POST_EN_AFTER = re.compile(rf"{_PERSON_EN},\s+(?:the\s+)?(?P<title>{_TITLES_EN}(?:\s+(?:of|for|on)\s+[A-Z][\w&-]*"
                            rf"(?:\s+[A-Z][\w&-]*)*)?)\s+(?:of|at)\s+(?:the\s+)?$")
_POST_EN_BEFORE = re.compile(rf"(?P<title>{_TITLES_EN})\s+(?:of|at)\s+(?:the\s+)?$")


def _person_after(sentence: str, pos: int, found: list[Found], base: int) -> tuple[Found | None, str]:
    """A person named right after ``pos``: a known or new person mention, or a Chinese name jieba
    tags as a person's."""
    for f in found:
        if f.person and 0 <= f.start - base - pos <= 3:
            return f, f.name
    m = re.match(r"\s*[,，、]?\s*" + _PERSON_EN if not _is_cjk(sentence[pos:pos + 1] or "a")
                 else r"\s*(" + _PERSON_ZH.pattern + ")", sentence[pos:])
    if not m:
        return None, ""
    if _is_cjk(m.group(1) if m.lastindex else ""):
        words = list(jieba_tagger().cut(sentence[pos:pos + 8]))
        if not words or not words[0].flag.startswith("nr") or not 2 <= len(words[0].word) <= 3:
            return None, ""
        return None, words[0].word
    return None, m["person"]


def _posts(sentence: str, base: int, found: list[Found]) -> list[Proposal]:
    out: list[Proposal] = []
    orgs = [f for f in found if f.actor and not f.person]
    pending: list[tuple[Found, str, int]] = []  # 甲公司副总裁、乙事业群总裁张三: both posts are 张三's
    for org in orgs:  # 甲基金会理事长张三; Alpha Foundation President Zhang San
        rest = sentence[org.end - base:]
        title = re.match(r"\s*(" + (_TITLE_ZH.pattern if _is_cjk(org.name) else _TITLES_EN) + r")", rest)
        if not title:
            pending = []
            continue
        end = org.end - base + title.end()
        if re.match(r"\s*[、兼和及]", sentence[end:]):
            pending.append((org, title[1], org.start - base))
            continue
        person, name = _person_after(sentence, end, found, base)
        if name:
            stop = sentence.find(name, end) + len(name)
            for earlier, words, start in [*pending, (org, title[1], org.start - base)]:
                out.append(_post(sentence[start:stop], person, name, words, earlier))
        pending = []
    last: tuple[Found | None, str] | None = None
    for org in orgs:  # Zhang San, Director of Alpha (and director of Beta); Director of Alpha, Zhang San
        head = sentence[:org.start - base]
        m = _POST_EN_AFTER.search(head)
        if m:
            person = next((f for f in found if f.person and f.start - base == m.start("person")), None)
            out.append(_post(sentence[m.start("person"):org.end - base], person, m["person"], m["title"], org))
            last = (person, m["person"])
            continue
        before = _POST_EN_BEFORE.search(head)
        if not before:
            continue
        after = re.match(r"\s*,\s*" + _PERSON_EN, sentence[org.end - base:])
        if after:
            person = next((f for f in found if f.person and f.start - base == org.end - base + after.start(
                "person")), None)
            out.append(_post(sentence[before.start():org.end - base], person, after["person"], before["title"], org))
        elif last and re.search(r"(?:\band|,)\s*$", head[:before.start()]):
            out.append(_post(sentence[before.start():org.end - base], last[0], last[1], before["title"], org))
    return out


def _post(words: str, person: Found | None, name: str, title: str, org: Found) -> Proposal:
    who = person or Found(0, 0, proposed_id(name), name, actor=True, person=True, new=True)
    lang = "zh" if _is_cjk(title) else "en"
    fact: dict[str, object] = {"person": who.target, "post": {lang: title.strip()}, "org": org.target}
    note = _new_note(who, org)
    if note:
        fact["note"] = note
    return Proposal("post", words, fact, _names(person=who, org=org))


# ---------------------------------------------------------------------------- amounts

_GIVE = re.compile(r"捐赠|捐资|捐款|捐建|资助|出资|投入|拨付|认捐|援建|donat\w*|fund\w*|invest\w*|pledg\w*|grant\w*|"
                   r"contribut\w*|provid\w*", re.IGNORECASE)
_PLANNED = re.compile(r"将|计划|拟|预计|\bwill\b|\bplan\w*|\bbudget\w*", re.IGNORECASE)
_DISBURSED = re.compile(r"已|累计|共投入|拨付|支出|\bhas\b|\bhave\b|\bspent\b|\bpaid\b|\bdisbursed\b|\binvested\b",
                        re.IGNORECASE)


def _amounts(sentence: str, base: int, found: list[Found]) -> list[Proposal]:
    out: list[Proposal] = []
    for money in find_money(sentence):
        pos = sentence.find(money.words)
        blank = _blank(sentence, found, base)
        give = _GIVE.search(blank)  # a verb of giving, not a word of a name ("... Fund")
        fact: dict[str, object] = {"amount": money.value, "currency": money.currency}
        kind, sure = _kind(blank[max(0, pos - 30):pos + len(money.words) + 12])
        fact["kind"] = kind
        giver = None
        if give:  # the giver is the subject of the giving verb
            givers = [f for f in found if f.actor and f.end - base <= give.start()]
            giver = givers[-1] if givers else None
        receivers = [f for f in found if (f.occasion or f.actor) and f is not giver]
        receiver = min(receivers, key=lambda f: (not f.occasion, abs(f.start - base - pos)), default=None)
        if giver:
            fact["from"] = giver.target
        if receiver:
            fact["to"] = receiver.target
        qualifier = money_qualifier(sentence, pos, money.words)
        if qualifier:
            fact["qualifier"] = qualifier
        fact["stated"] = money.words
        notes = [n for n in (_new_note(*(f for f in (giver, receiver) if f)),
                             "" if sure else "kind guessed: the sentence has no verb of planning, pledging or paying",
                             "" if receiver else "to: the recipient is not named in the sentence") if n]
        if notes:
            fact["note"] = "; ".join(notes)
        names = {k: f.name for k, f in (("from", giver), ("to", receiver)) if f and f.new}
        out.append(Proposal("amount", money.words, fact, names))
    return out


def _blank(sentence: str, found: list[Found], base: int) -> str:
    """The sentence with the names in it blanked out ("... Plan" is no verb of planning)."""
    chars = list(sentence)
    for f in found:
        for k in range(max(0, f.start - base), min(len(chars), f.end - base)):
            chars[k] = " "
    return "".join(chars)


def _kind(sentence: str) -> tuple[str, bool]:
    if _PLANNED.search(sentence):
        return "planned", True
    if _DISBURSED.search(sentence):
        return "disbursed", True
    if re.search(r"捐|认捐|资助|donat|pledg|award|grant", sentence, re.IGNORECASE):
        return "committed", True
    return "committed", False


# ---------------------------------------------------------------------------- who is served

# Common wordings for the groups beside their labels in the ontology (which are read too).
_GROUP_WORDS = {
    "农村教师": "rural-teachers", "乡村老师": "rural-teachers", "农村老师": "rural-teachers",
    "乡村学生": "rural-students", "农村孩子": "rural-students", "乡村孩子": "rural-students",
    "乡村儿童": "rural-students", "农村儿童": "rural-students", "山区孩子": "rural-students",
    "贫困学生": "students-in-poverty-areas", "贫困地区儿童": "students-in-poverty-areas",
    "贫困家庭学生": "students-in-poverty-areas", "农村幼儿": "rural-preschool-children",
    "山村幼儿": "rural-preschool-children", "幼儿": "preschool-children", "乡村学校": "rural-schools",
    "乡村校长": "principals-and-school-leaders", "老师": "teachers",
    "rural teachers": "rural-teachers", "village teachers": "rural-teachers", "rural children": "rural-students",
    "rural students": "rural-students", "left-behind children": "left-behind-children",
    "children left behind": "left-behind-children", "poor students": "students-in-poverty-areas",
    "impoverished students": "students-in-poverty-areas", "young children": "preschool-children",
    "rural schools": "rural-schools", "village schools": "rural-schools", "principals": "principals-and-school-leaders",
    "headmasters": "principals-and-school-leaders", "ethnic minority students": "ethnic-minority-students",
}
_SERVE_BEFORE = re.compile(r"(?:为|面向|帮助|惠及|服务|关爱|资助|培训|覆盖|救助|陪伴|支持)[^。；;]*$|"
                           r"\b(?:for|serv\w*|help\w*|benefit\w*|support\w*|train\w*|reach\w*|assist\w*|"
                           r"empower\w*|target\w*)\b.*$", re.IGNORECASE)
_SERVE = re.compile(r"为|面向|帮助|惠及|受益|服务|关爱|资助|培训|覆盖|改善|提升|支持|help|benefit|serv|support|train|"
                    r"reach|for\b|aim|empower|assist", re.IGNORECASE)


def beneficiary_words(labels: dict[str, dict[str, str]]) -> dict[str, str]:
    """Wordings -> group: the ontology's labels of the groups (``labels``: group -> language ->
    label) and the common wordings above, longest first.

    >>> words = beneficiary_words({"rural-teachers": {"en": "rural teachers", "zh": "乡村教师"}})
    >>> words["乡村教师"], words["village teachers"], list(words)[0]
    ('rural-teachers', 'rural-teachers', 'village teachers')
    """
    words = {label.casefold(): group for group, by_lang in labels.items() for label in by_lang.values()}
    words |= {w.casefold(): g for w, g in _GROUP_WORDS.items() if g in labels or not labels}
    return dict(sorted(words.items(), key=lambda kv: (-len(kv[0]), kv[0])))


def _serves(sentence: str, base: int, found: list[Found], groups: dict[str, str]) -> list[Proposal]:
    if not groups or not _SERVE.search(sentence):
        return []
    out: list[Proposal] = []
    low = sentence.casefold()
    taken: list[tuple[int, int]] = [(f.start - base, f.end - base) for f in found]  # not inside a name
    subjects = [f for f in found if f.occasion] or [f for f in found if f.actor and not f.person]
    for words, group in groups.items():
        for m in re.finditer((r"(?<![a-z])" if words.isascii() else "") + re.escape(words)
                             + (r"(?![a-z])" if words.isascii() else ""), low):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            if not words.isascii() and re.match(r"(?:和|与)?(?:董事|会长|理事|局长|主任)", sentence[m.end():]):
                continue  # 校长 as a person's title, not the group
            taken.append(m.span())
            subject = min(subjects, key=lambda f: abs(f.start - base - m.start()), default=None)
            if not _SERVE_BEFORE.search(sentence[:m.start()]):
                continue  # whom something is for: a cue of serving before the group
            fact: dict[str, object] = {"subject": subject.target if subject else "", "serves": group}
            note = _new_note(subject) if subject else "subject: the sentence names no initiative or organization"
            if note:
                fact["note"] = note
            out.append(Proposal("serves", sentence[m.start():m.end()], fact,
                                {"subject": subject.name} if subject and subject.new else {}))
    return out


# ---------------------------------------------------------------------------- a paragraph


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def propose_facts(paragraph: str, found: list[Found], groups: dict[str, str], *,
                  main: Found | None = None, main_event: Found | None = None) -> list[Proposal]:
    """Role, post, amount and serves proposals of a paragraph, sentence by sentence (``found``:
    the names found in it; ``groups``: :func:`beneficiary_words`; ``main``: the initiative or
    event the document names most, for a role whose sentence names none; ``main_event``: the event
    it names most, for a speaker's or an attendee's)."""
    out: list[Proposal] = []
    for a, b in sentences(paragraph):
        here = sorted((f for f in found if a <= f.start and f.end <= b), key=lambda f: (f.start, -f.end))
        sentence = paragraph[a:b]
        posts = _posts(sentence, a, here)
        out += _roles(sentence, a, here, posts, main, main_event)
        out += posts
        out += _amounts(sentence, a, here)
        out += _serves(sentence, a, here, groups)
    unique: dict[str, Proposal] = {}
    for p in out:  # one proposal per fact and paragraph, at its first words
        unique.setdefault(repr((p.kind, sorted(p.fact.items(), key=str))), p)
    return list(unique.values())


__all__ = ["Amount", "Found", "Proposal", "beneficiary_words", "propose_facts", "sentences"]
