"""How much of what curators wrote `kg draft` proposes: leave-one-out over the curated documents.

For each source with a text: the entities seen only in it are taken out of what is known, the
document is drafted, and the draft is compared with the curation:

- known-entity mentions: (entity, paragraph) pairs of entities known from other documents,
  curated (``seen`` and the entities facts refer to) against proposed; recall and precision;
- new organizations: the organizations seen only in this document, against the candidate new
  organizations (a candidate hits when one of the entity's names contains it or it contains
  one, case folded); recall, and precision over the candidates;
- figures: curated figure values against proposed figure and money values in the same paragraph;
- dates: curated dates (start, end, as_of, published) against proposed dates in the same paragraph;
- seconds to draft the document (jieba's dictionary load is counted once, apart).

usage: python benchmarks/bench_draft.py   (prints a Markdown table; docs/curation.md has one)
"""

from __future__ import annotations

import re
import time
from collections import defaultdict

from kg.curation.archive import find_text, read_text
from kg.curation.draft import draft, fold, jieba_tagger
from kg.curation.reader import load_curation
from kg.project import Project

REF_KEYS = ("actor", "in", "person", "org", "of", "subject", "object", "where", "part_of", "unit_of",
            "location", "publisher", "reaches", "responds_to", "announced_at")
DATE_KEYS = ("start", "end", "as_of", "published")


def paragraphs_of(locator: str) -> list[int]:
    m = re.match(r"^p(\d+)(?:-(\d+))?$", locator)
    return list(range(int(m[1]), int(m[2] or m[1]) + 1)) if m else []


def ratio(hit: int, total: int) -> float | None:
    return hit / total if total else None


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def main() -> None:
    project = Project.default()
    cur, problems = load_curation(project)
    assert not problems, problems
    t0 = time.perf_counter()
    jieba_tagger().lcut("加载")
    jieba_load = time.perf_counter() - t0
    seen_in: dict[str, set[str]] = defaultdict(set)
    for e in cur.entities.values():
        for c in e.seen:
            seen_in[e.id].add(c.source)
    rows = []
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for src in sorted(cur.sources.values(), key=lambda s: s.id):
        path = find_text(project.text_folders(), src.file) if src.file else None
        if path is None:
            continue
        paras = read_text(path)
        only_here = frozenset(e for e, sources in seen_in.items() if sources - {"curators"} == {src.id})
        curated: set[tuple[str, int]] = set()
        for e in cur.entities.values():
            for c in e.seen:
                if c.source == src.id:
                    curated |= {(e.id, p) for p in paragraphs_of(c.locator)}
        figures, dates = set(), set()
        for f in cur.facts:
            if f.source != src.id:
                continue
            ps = paragraphs_of(f.locator)
            for key in REF_KEYS:
                v = f.values.get(key)
                if isinstance(v, str) and v in cur.entities:
                    curated |= {(v, p) for p in ps}
            if f.form == "figure":
                figures |= {(str(f.values["value"]), p) for p in ps}
            for key in DATE_KEYS:
                if isinstance(f.values.get(key), str):
                    dates |= {(f.values[key], p) for p in ps}
            if f.form == "relation" and f.values.get("relation") in DATE_KEYS:
                dates |= {(str(f.values["object"]), p) for p in ps}
        t = time.perf_counter()
        d = draft(cur, src, paras, leave_out=only_here)
        seconds = time.perf_counter() - t
        proposed = {(c.proposal["entity"], int(c.at[1:])) for c in d.candidates if c.kind == "mention"}
        known = {(e, p) for e, p in curated if e not in only_here}
        hit_known = len(known & proposed)
        right = len({(e, p) for e, p in proposed if (e, p) in curated})
        new_orgs = [cur.entities[e] for e in only_here if cur.entities[e].kind == "Organization"]
        candidates = [next(iter(c.proposal["name"].values())) for c in d.candidates if c.kind == "new-organization"]

        def matches(entity, name: str) -> bool:
            forms = set(entity.names.values()) | {a for g in entity.aliases.values() for a in g}
            return any(fold(name) in fold(f) or fold(f) in fold(name) for f in forms)

        found_new = sum(1 for e in new_orgs if any(matches(e, n) for n in candidates))
        orgs = [e for e in cur.entities.values() if e.kind == "Organization"]
        right_new = sum(1 for n in candidates if any(matches(e, n) for e in orgs))
        values = {(str(c.proposal["value"]), int(c.at[1:])) for c in d.candidates if c.kind in ("figure", "money")}
        got_dates = {(str(c.proposal["value"]), int(c.at[1:])) for c in d.candidates if c.kind == "date"}
        counts = {
            "known recall": (hit_known, len(known)), "known precision": (right, len(proposed)),
            "new-org recall": (found_new, len(new_orgs)), "new-org precision": (right_new, len(candidates)),
            "figure recall": (len(figures & values), len(figures)), "date recall": (len(dates & got_dates), len(dates)),
        }
        for k, (a, b) in counts.items():
            totals[k][0] += a
            totals[k][1] += b
        rows.append((src.id, src.language, counts, seconds))
    keys = list(rows[0][2])
    print("| document | lang | " + " | ".join(keys) + " | seconds |")
    print("|---|---|" + "---|" * (len(keys) + 1))
    for sid, lang, counts, seconds in rows:
        cells = [f"{pct(ratio(*counts[k]))} ({counts[k][0]}/{counts[k][1]})" for k in keys]
        print(f"| {sid} | {lang} | " + " | ".join(cells) + f" | {seconds:.2f} |")
    cells = [f"**{pct(ratio(*totals[k]))}** ({totals[k][0]}/{totals[k][1]})" for k in keys]
    print("| all | | " + " | ".join(cells) + f" | {max(r[3] for r in rows):.2f} max |")
    print(f"\njieba's dictionary loaded once in {jieba_load:.2f} s (a cached prefix dictionary after the first run)")


if __name__ == "__main__":
    main()
