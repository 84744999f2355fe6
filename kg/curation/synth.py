"""A synthetic curated dataset of a chosen size, in the format of data/, for benchmarks.

:func:`write_synthetic` writes a complete project (``data/`` with sources, regions, entities
and one facts file per source, and a ``kg.toml`` marking the project) whose build
holds about ``scale`` triples: organizations with bilingual names (some Chinese only, so
pinyin is made), units and sub-organizations, people and their posts, initiatives and events
with qualified roles, documents and policies, regions at every level (ISO 3166 provinces,
cities, districts), figures, amounts of money, themes, and sources cited by locator. Participation is skewed
as in the real field: a few hubs take part in much, most actors in one or two things. The
same ``seed`` and ``scale`` give byte-identical files.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     stats = write_synthetic(Path(d), scale=3000, seed=7)
...     (Path(d) / "data" / "sources.yaml").is_file(), stats.organizations > 10
(True, True)
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg import progress as steps
from kg.project import CONFIG_FILE

# Triples in a build per organization of the synthetic mix (measured: ~62 at every size).
TRIPLES_PER_ORG = 62

PROVINCES = ["CN-AH", "CN-BJ", "CN-CQ", "CN-FJ", "CN-GD", "CN-GS", "CN-GX", "CN-GZ", "CN-HA",
             "CN-HB", "CN-HE", "CN-HI", "CN-HL", "CN-HN", "CN-JL", "CN-JS", "CN-JX", "CN-LN",
             "CN-NM", "CN-NX", "CN-QH", "CN-SC", "CN-SD", "CN-SH", "CN-SN", "CN-SX", "CN-TJ",
             "CN-XJ", "CN-XZ", "CN-YN", "CN-ZJ"]
ORG_TYPES = [("School", 30), ("NonProfit", 14), ("Company", 12), ("GovernmentBody", 10),
             ("Foundation", 8), ("University", 8), ("Organization", 6), ("ResearchInstitute", 4),
             ("Alliance", 2), ("InternationalOrganization", 1)]
INITIATIVE_TYPES = [("Program", 5), ("Project", 5), ("Initiative", 3), ("Plan", 2), ("PlatformProgram", 1)]
EVENT_TYPES = [("Forum", 4), ("Workshop", 4), ("Summit", 2), ("Launch", 2), ("Event", 1)]
INITIATIVE_ROLES = [("participant", 20), ("partner", 12), ("implementer", 8), ("supporter", 6),
                    ("funder", 5), ("beneficiary", 5), ("member", 4), ("initiator", 3), ("lead", 3),
                    ("guide", 2), ("launcher", 1)]
EVENT_ROLES = [("attendee", 20), ("speaker", 8), ("organizer", 3), ("host", 3), ("partner", 2)]
THEMES = ["digital-transformation", "education-equity", "education-informatization", "higher-education",
          "online-education", "poverty-alleviation", "preschool-education", "rural-education",
          "school-leadership", "smart-education", "steam-education", "teacher-development"]
SOURCE_KINDS = [("news-article", 6), ("web-page", 4), ("press-release", 3), ("report", 2),
                ("encyclopedia-entry", 1)]
ZH_SYLLABLES = "华育才星光明德爱心希望未来智慧云海山川阳春晨曦启航远方"
ZH_SUFFIX = {"School": "学校", "NonProfit": "公益协会", "Company": "科技有限公司", "GovernmentBody": "教育局",
             "Foundation": "基金会", "University": "大学", "Organization": "教育中心",
             "ResearchInstitute": "研究院", "Alliance": "联盟", "InternationalOrganization": "国际组织"}
EN_WORDS = ["Bright", "Future", "Hope", "Sunrise", "Harbor", "Cloud", "River", "Summit", "Star",
            "Pine", "Bridge", "Spring", "Horizon", "Lantern", "Maple", "Compass"]
TITLES = [({"en": "President", "zh": "总裁"}), ({"en": "Director", "zh": "主任"}),
          ({"en": "Secretary-General", "zh": "秘书长"}), ({"en": "Principal", "zh": "校长"}),
          ({"en": "Chair", "zh": "理事长"}), ({"zh": "副院长"}), ({"en": "Head of Programs"})]


@dataclass
class SynthStats:
    """What :func:`write_synthetic` wrote."""

    organizations: int = 0
    people: int = 0
    initiatives: int = 0
    events: int = 0
    documents: int = 0
    regions: int = 0
    sources: int = 0
    facts: int = 0
    files: int = 0


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([w for w, _ in weighted], [n for _, n in weighted])[0]


def _hub(rng: random.Random, n: int, skew: float = 3.0) -> int:
    """An index in range(n), heavily skewed to the first ones (the hubs)."""
    return min(n - 1, int(n * rng.random() ** skew))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _names(d: dict[str, str]) -> str:
    return "{" + ", ".join(f"{k}: {_q(v)}" for k, v in d.items()) + "}"


def _date(rng: random.Random, lo: int = 2012, hi: int = 2024) -> str:
    y = rng.randint(lo, hi)
    shape = rng.random()
    if shape < 0.3:
        return f"{y}"
    if shape < 0.5:
        return f"{y}-{rng.randint(1, 12):02d}"
    return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class _Writer:
    """Builds the curated files in memory, one list of lines per file."""

    def __init__(self, scale: int, seed: int):
        self.rng = random.Random(seed)
        self.money_rng = random.Random(seed * 7919 + 14)  # its own stream: amounts leave the rest as it was
        n_org = max(20, scale // TRIPLES_PER_ORG)
        self.n = {
            "org": n_org,
            "person": max(5, n_org // 4),
            "initiative": max(5, n_org // 6),
            "event": max(3, n_org // 12),
            "document": max(3, n_org // 25),
            "source": max(4, n_org // 40),
            "city": max(3, min(600, n_org // 30)),
        }
        self.files: dict[str, list[str]] = {}
        self.facts: dict[str, list[str]] = {}
        self.stats = SynthStats()
        self.sources: list[tuple[str, str]] = []  # (id, language)
        self.paragraphs = 40

    # ---- helpers

    def cite(self) -> tuple[str, str]:
        """A (source, locator) pair; popular sources are cited more."""
        sid = self.sources[_hub(self.rng, len(self.sources), 1.5)][0]
        return sid, f"p{self.rng.randint(1, self.paragraphs)}"

    def fact(self, source: str, locator: str, body: dict[str, str]) -> None:
        lines = [f"  - at: {locator}"] + [f"    {k}: {v}" for k, v in body.items()]
        self.facts[source].append("\n".join(lines))
        self.stats.facts += 1

    def some_fact(self, body: dict[str, str]) -> None:
        self.fact(*self.cite(), body)

    def entity(self, file: str, eid: str, type_: str, names: dict[str, str],
               aliases: dict[str, list[str]] | None = None, n_seen: int = 1) -> None:
        seen = sorted({":".join(self.cite()) for _ in range(n_seen)})
        lines = [f"- id: {eid}", f"  type: {type_}", f"  name: {_names(names)}"]
        if aliases:
            lines.append("  alias:")
            lines += [f"    {lang}: [{', '.join(_q(a) for a in al)}]" for lang, al in aliases.items()]
        lines.append(f"  seen: [{', '.join(seen)}]")
        self.files.setdefault(file, []).append("\n".join(lines))

    def zh_name(self, i: int, suffix: str) -> str:
        s = ZH_SYLLABLES
        return s[i % len(s)] + s[(i // len(s)) % len(s)] + s[(i // len(s) ** 2) % len(s)] + suffix

    # ---- parts

    def write_sources(self) -> None:
        rng = self.rng
        lines = ["sources:"]
        for i in range(self.n["source"]):
            sid = f"synth-doc-{i:05d}"
            lang = "zh" if rng.random() < 0.45 else "en"
            title = {"zh": f"教育公平报道第{i}号"} if lang == "zh" else {"en": f"Education equity report {i}"}
            lines += [f"  - id: {sid}", f"    title: {_names(title)}", f"    language: {lang}",
                      f"    kind: {_pick(rng, SOURCE_KINDS)}", f"    date: \"{_date(rng)}\""]
            if rng.random() < 0.5:
                lines.append(f"    publisher: {_q(rng.choice(EN_WORDS) + ' Daily')}")
            self.sources.append((sid, lang))
            self.facts[sid] = []
        lines += ["  - id: curators", "    title: {en: \"Curators' knowledge\"}", "    language: en",
                  "    kind: curation",
                  "  - id: iso-3166", "    title: {en: \"ISO 3166 codes (via pycountry)\"}",
                  "    language: en", "    kind: gazetteer"]
        self.files["sources.yaml"] = ["\n".join(lines)]
        self.stats.sources = len(self.sources)

    def write_regions(self) -> None:
        rng = self.rng
        lines = ["regions:"]
        self.cities: list[str] = []
        self.districts: list[str] = []
        code = 110000
        for i in range(self.n["city"]):
            cid = f"synth-city-{i:04d}"
            code += 100
            lines += [f"  - id: {cid}", "    type: City", f"    code: \"{code}\"",
                      f"    name: {{en: Synth City {i}, zh: {self.zh_name(i, '市')}}}",
                      f"    part_of: {PROVINCES[i % len(PROVINCES)]}"]
            self.cities.append(cid)
            for j in range(rng.randint(1, 4)):
                did = f"{cid}-d{j}"
                lines += [f"  - id: {did}", "    type: District", f"    code: \"{code + j + 1}\"",
                          f"    name: {{zh: {self.zh_name(i * 7 + j, '区')}}}", f"    part_of: {cid}"]
                self.districts.append(did)
        self.files["regions.yaml"] = ["\n".join(lines)]
        self.stats.regions = len(self.cities) + len(self.districts) + len(PROVINCES) + 1

    def place(self) -> str:
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(PROVINCES)
        if r < 0.7:
            return self.cities[_hub(self.rng, len(self.cities), 2)]
        return self.rng.choice(self.districts)

    def write_organizations(self) -> None:
        rng = self.rng
        self.orgs: list[str] = []
        for i in range(self.n["org"]):
            type_ = "Company" if i < 3 else _pick(rng, ORG_TYPES)
            oid = f"org-{i:06d}"
            en = f"{rng.choice(EN_WORDS)} {rng.choice(EN_WORDS)} {type_} {i}"
            zh = self.zh_name(i, ZH_SUFFIX[type_])
            names = {"zh": zh} if rng.random() < 0.15 else {"en": en, "zh": zh}
            aliases = {"en": [f"{en.split()[0]} {i}"]} if "en" in names and rng.random() < 0.2 else None
            hub = i < self.n["org"] // 100 + 3
            self.entity("organizations.yaml", oid, type_, names, aliases, n_seen=3 if hub else rng.randint(1, 2))
            self.orgs.append(oid)
            if i > 0 and rng.random() < 0.25:  # a parent among the earlier (bigger) organizations
                self.some_fact({"subject": oid, "part_of": self.orgs[_hub(rng, i, 2)]})
            if rng.random() < 0.5:
                self.some_fact({"subject": oid, "location": self.place()})
            if rng.random() < 0.2:
                self.some_fact({"subject": oid, "theme": rng.choice(THEMES)})
            if hub:  # the hubs have units
                for u in range(rng.randint(1, 3)):
                    uid = f"{oid}-unit-{u}"
                    self.entity("organizations.yaml", uid, "OrganizationalUnit",
                                {"en": f"{en} Unit {u}", "zh": zh + f"第{u}部"})
                    self.some_fact({"subject": uid, "unit_of": oid})
        self.stats.organizations = len(self.orgs)

    def write_people(self) -> None:
        rng = self.rng
        self.people = []
        for i in range(self.n["person"]):
            pid = f"person-{i:06d}"
            names = {"en": f"{rng.choice(EN_WORDS)} Lee {i}", "zh": self.zh_name(i * 3, "")[:2] + "某"}
            if rng.random() < 0.3:
                del names["en"]
            self.entity("people.yaml", pid, "Person", names)
            self.people.append(pid)
            for _ in range(1 + (rng.random() < 0.2)):
                title = TITLES[rng.randrange(len(TITLES))]
                self.some_fact({"person": pid, "post": _names(title),
                                "org": self.orgs[_hub(rng, len(self.orgs), 2)]})
        self.stats.people = len(self.people)

    def write_documents(self) -> None:
        rng = self.rng
        self.documents = []
        for i in range(self.n["document"]):
            did = f"doc-{i:05d}"
            type_ = "Policy" if rng.random() < 0.4 else "Document"
            self.entity("documents.yaml", did, type_, {"en": f"Plan for equity {i}", "zh": f"教育公平规划第{i}号"})
            self.documents.append(did)
            self.some_fact({"subject": did, "publisher": self.orgs[_hub(rng, len(self.orgs), 2)]})
            self.some_fact({"subject": did, "published": _date(rng)})
        self.stats.documents = len(self.documents)

    def write_activities(self) -> None:
        rng = self.rng
        self.events = []
        for i in range(self.n["event"]):
            eid = f"event-{i:05d}"
            self.entity("events.yaml", eid, _pick(rng, EVENT_TYPES),
                        {"en": f"Education Forum {i}", "zh": f"教育论坛第{i}届"}, n_seen=2)
            self.events.append(eid)
            self.some_fact({"subject": eid, "start": _date(rng)})
            self.some_fact({"subject": eid, "location": self.place()})
            self.roles(eid, EVENT_ROLES, 2 + int(rng.paretovariate(1.3)))
        self.initiatives = []
        for i in range(self.n["initiative"]):
            iid = f"initiative-{i:05d}"
            self.entity("initiatives.yaml", iid, _pick(rng, INITIATIVE_TYPES),
                        {"en": f"Equity Program {i}", "zh": f"公益计划第{i}期"}, n_seen=2)
            self.initiatives.append(iid)
            self.some_fact({"subject": iid, "start": _date(rng)})
            for _ in range(rng.randint(1, 3)):
                self.some_fact({"subject": iid, "reaches": self.place()})
            self.some_fact({"subject": iid, "theme": rng.choice(THEMES)})
            if self.documents and rng.random() < 0.3:
                self.some_fact({"subject": iid, "responds_to": rng.choice(self.documents)})
            if self.events and rng.random() < 0.2:
                self.some_fact({"subject": iid, "announced_at": rng.choice(self.events)})
            if i > 0 and rng.random() < 0.1:
                self.some_fact({"subject": iid, "part_of": self.initiatives[_hub(rng, i, 2)]})
            self.roles(iid, INITIATIVE_ROLES, 2 + int(rng.paretovariate(1.2)))
            for _ in range(rng.randint(0, 2)):
                self.figure(iid)
            self.amounts(iid)
        self.stats.events, self.stats.initiatives = len(self.events), len(self.initiatives)

    def roles(self, activity: str, roles: list[tuple[str, int]], n: int) -> None:
        rng = self.rng
        done = set()
        for k in range(min(n, 400)):
            actor = (self.people[_hub(rng, len(self.people), 2)] if rng.random() < 0.15
                     else self.orgs[_hub(rng, len(self.orgs))])
            role = "lead" if k == 0 and roles is INITIATIVE_ROLES else _pick(rng, roles)
            if (actor, role) in done:
                continue
            done.add((actor, role))
            body = {"actor": actor, "role": role, "in": activity}
            if rng.random() < 0.1:
                body["start"] = _date(rng)
            if rng.random() < 0.05:
                body["confidence"] = "medium"
                body["note"] = _q("The source names the actor only in passing.")
            self.some_fact(body)

    def figure(self, about: str) -> None:
        rng = self.rng
        kind = rng.choice(["target", "outcome", "statistic"])
        body = {kind: str(rng.randint(1, 100000)), "of": about,
                "counts": _names({"en": "students reached", "zh": "受益学生"}), "unit": "student"}
        if rng.random() < 0.6:
            body["as_of"] = _date(rng)
        if rng.random() < 0.5:
            body["where"] = self.place()
        self.some_fact(body)

    def amounts(self, initiative: str) -> None:
        """Now and then an amount of money for the initiative: its budget, or a funder's."""
        rng = self.money_rng
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            body = {"amount": str(rng.randint(1, 500) * 10000), "currency": rng.choice(["CNY"] * 8 + ["USD", "HKD"]),
                    "kind": rng.choice(["planned", "committed", "disbursed"])}
            if rng.random() < 0.7:
                body["from"] = self.orgs[_hub(rng, len(self.orgs))]
            body["to"] = initiative
            form = rng.random()
            if form < 0.7:
                body["form"] = "cash" if form < 0.5 else "[cash, in-kind]"
            if rng.random() < 0.25:
                body["qualifier"] = rng.choice(["about", "about", "more-than", "up-to"])
            if rng.random() < 0.5:
                body["as_of"] = _date(rng)
            sid = self.sources[_hub(rng, len(self.sources), 1.5)][0]
            self.fact(sid, f"p{rng.randint(1, self.paragraphs)}", body)

    # ---- output

    def write(self, root: Path, progress: Callable[[int], None] | None) -> None:
        data = root / "data"
        shutil.rmtree(data, ignore_errors=True)
        (data / "entities").mkdir(parents=True)
        (data / "facts").mkdir()
        for name, blocks in self.files.items():
            path = data / name if name.endswith(("sources.yaml", "regions.yaml")) else data / "entities" / name
            path.write_text(f"# synthetic data (kg synth)\n{chr(10).join(blocks)}\n", encoding="utf-8")
            self.stats.files += 1
        for sid, blocks in self.facts.items():
            text = f"source: {sid}\nfacts:\n" + "\n".join(blocks) + "\n" if blocks else f"source: {sid}\nfacts:\n"
            (data / "facts" / f"{sid}.yaml").write_text(text, encoding="utf-8")
            self.stats.files += 1
            if progress:
                progress(1)
        config = root / CONFIG_FILE  # kg's own ontology and questions come with the package
        if not config.exists():
            config.write_text("# a synthetic kg project (kg synth)\n", encoding="utf-8")


@steps.work()
def write_synthetic(root: Path, *, scale: int, seed: int = 1,
                    progress: Callable[[int], None] | None = None) -> SynthStats:
    """Write a synthetic project of about ``scale`` triples into ``root`` (its ``data/`` is replaced).

    ``progress``, when given, is called with 1 for each of the ``synth_steps(scale)`` files written;
    otherwise the steps go to :mod:`kg.progress` (a progress line on a terminal).
    """
    steps.stage(f"making a synthetic project of {scale:,} triples")
    if progress is None:
        progress = steps.advance
    w = _Writer(scale, seed)
    w.write_sources()
    w.write_regions()
    w.write_organizations()
    w.write_people()
    w.write_documents()
    w.write_activities()
    root.mkdir(parents=True, exist_ok=True)
    steps.stage("writing its files", total=synth_steps(scale))
    w.write(root, progress)
    return w.stats


def synth_steps(scale: int) -> int:
    """How many progress steps :func:`write_synthetic` reports for ``scale`` (one per facts file).

    >>> synth_steps(10_000)
    4
    """
    return max(4, max(20, scale // TRIPLES_PER_ORG) // 40)


def parse_scale(text: str) -> int:
    """``10k`` -> 10000, ``1M`` -> 1000000, ``2500`` -> 2500.

    >>> parse_scale("100k"), parse_scale("1.5M"), parse_scale("300")
    (100000, 1500000, 300)
    """
    t = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    number = t[:-1] if mult > 1 else t
    try:
        value = int(float(number) * mult)
    except ValueError:
        raise ValueError(f"not a size: {text!r} (for example 10k, 100k, 1M)") from None
    if value <= 0:
        raise ValueError(f"not a size: {text!r}")
    return value
