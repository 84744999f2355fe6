"""Findings that are not errors but deserve a curator's look.

- likely duplicates: two entities with the same normalized name, the same pinyin, or the
  same Chinese characters in another order (中国教育发展战略学会 / 中国教育战略发展学会);
- unused entities: defined, but no fact refers to them;
- unregistered sources: a citation to a source that ``sources.yaml`` does not list.

A pair that is rightly two entities is explained in the data with ``distinct_from``.

>>> from kg.project import Project
>>> lint(Project.default())
[]
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

from kg.curation.reader import load_curation
from kg.curation.records import REF_KEYS, Curation
from kg.errors import Problem
from kg.project import Project


def normalize(name: str) -> str:
    """Case, width, punctuation and spacing folded away.

    >>> normalize("Tencent  Education, Ltd.") == normalize("tencent education ltd")
    True
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"[\W_]+", "", text)


def lint(project: Project) -> list[Problem]:
    """Every lint finding for the curated data, as ``file:line: message``."""
    cur, problems = load_curation(project)
    findings = [p for p in problems if "unknown source" in p.message]
    findings += duplicates(cur) + unused(cur)
    return sorted(set(findings))


def _keys(cur: Curation) -> dict[str, set[str]]:
    from kg.build.triples import pinyin

    keys: dict[str, set[str]] = {}
    for e in cur.entities.values():
        names = list(e.names.values()) + [a for v in e.aliases.values() for a in v]
        k = {"name:" + normalize(n) for n in names if normalize(n)}
        for n in (e.names.get("zh"), *e.aliases.get("zh", ())):
            if n:
                k.add("pinyin:" + normalize(pinyin(n)))
                han = [c for c in n if "\u4e00" <= c <= "\u9fff"]
                if len(han) >= 4:
                    k.add("chars:" + "".join(sorted(han)))
        keys[e.id] = k
    return keys


def duplicates(cur: Curation) -> list[Problem]:
    """Pairs of entities that share a normalized name, pinyin or set of characters."""
    keys = _keys(cur)
    by_key: dict[str, list[str]] = {}
    for eid, k in keys.items():
        for key in k:
            by_key.setdefault(key, []).append(eid)
    pairs: dict[tuple[str, str], str] = {}
    for key, ids in sorted(by_key.items()):
        for a, b in combinations(sorted(set(ids)), 2):
            pairs.setdefault((a, b), key.split(":", 1)[0])
    out = []
    for (a, b), why in sorted(pairs.items()):
        ea, eb = cur.entities[a], cur.entities[b]
        if b in ea.distinct_from or a in eb.distinct_from:
            continue
        what = {"name": "the same name", "pinyin": "the same pinyin",
                "chars": "the same characters in another order"}[why]
        out.append(Problem(eb.where.file, eb.where.line,
                           f"likely duplicate: {b!r} and {a!r} ({ea.where.file}:{ea.where.line}) have {what}; "
                           f"merge them, or say `distinct_from: [{a}]`"))
    return out


def unused(cur: Curation) -> list[Problem]:
    """Entities that no fact refers to."""
    used = {f.values.get(k) for f in cur.facts for k in REF_KEYS}
    used |= {r.part_of for r in cur.regions.values()}
    return [Problem(e.where.file, e.where.line, f"unused entity {e.id!r}: no fact refers to it")
            for e in cur.entities.values() if e.id not in used]
