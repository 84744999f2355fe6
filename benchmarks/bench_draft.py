"""How much of what curators wrote `kg draft` proposes: leave-one-out over the curated documents.

For each source with a text, what the curators learnt from it is taken out of what is known,
the document is drafted, and the draft is compared with the curation (docs/curation.md gives
these definitions with the table):

- **left out**: the entities whose ``seen`` cites no other document, and, of the others, every
  alias that only this document's text uses (a spelling learnt from it; an actor's preferred
  name in each language stays, as a curator knows an established name);
- **known-entity mentions**: (entity, locator) pairs of the entities still known, from their
  ``seen`` citations and the facts that refer to them; one is recalled when the draft proposes
  a mention of the entity in a paragraph the locator covers (``p3-5``: any of p3, p4, p5).
  Precision: a proposed (entity, paragraph) is right when a curated locator of that entity
  covers the paragraph (a lower bound: ``seen`` lists are not exhaustive). *Named* known recall
  counts only the pairs whose paragraphs write one of the entity's names or aliases (curators
  also cite a paragraph that says "the meeting" or "it", which no name matching finds);
- **new organizations**: the left-out entities of kind Organization. A candidate *names* an
  organization when, case and spaces folded and a leading "the" dropped, one of its names or
  aliases occurs in the candidate (as whole words in English) and makes up at least half of
  it: "Foundation A and Foundation B" names both, a fragment ("教育集团" of "爱学习教育集团")
  or a long span round a short name ("Vice-President of X and Y" for "X") names none.
  Recall: new organizations some candidate names; precision: candidates that name any
  organization of the curation;
- **figures**: the curated figures; one is recalled when a figure or money candidate with the
  same value is proposed in a paragraph its locator covers;
- **dates**: the curated dates (a fact's ``as_of``, ``start``, ``end``, a ``start``, ``end`` or
  ``published`` relation), recalled likewise by a date candidate with the same value;
- figures and dates count once per (value, locator), however many facts repeat them;
- **roles, posts, amounts, who is served**: the curated facts of each form; one is recalled when
  a candidate of that form in a paragraph its locator covers agrees on the role's actor, role and
  what it is in, the post's person and organization, the amount's value, currency and recipient,
  or the group served (an entity left out agrees when the candidate's words for it name it).
  Precision: the candidates that agree with a curated fact. "role recall, actor" asks only the
  actor and the role, as the corpus branches' notes counted;
- **seconds** to draft the document, wall clock and processor time (jieba's dictionary load is
  counted once, apart).

usage: python benchmarks/bench_draft.py [--misses] [--exclude ID,ID]
(prints a Markdown table; docs/curation.md has one. Sources registered but not curated yet
are skipped; --exclude leaves out the sources named. --misses lists, per document, what the
draft did not find and the candidates counted wrong; it quotes the texts, so keep it out of
the repository.)
"""

from __future__ import annotations

import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field

from kg.curation.archive import find_text, read_text
from kg.curation.draft import Candidate, draft, fold, jieba_tagger, known_names
from kg.curation.reader import load_curation
from kg.curation.records import Curation, Entity
from kg.project import Project

REF_KEYS = ("actor", "in", "person", "org", "of", "subject", "object", "where", "part_of", "unit_of",
            "location", "publisher", "reaches", "responds_to", "announced_at", "according_to")
DATE_KEYS = ("start", "end", "as_of", "published")


def paragraphs_of(locator: str) -> frozenset[int]:
    m = re.match(r"^p(\d+)(?:-(\d+))?$", locator)
    return frozenset(range(int(m[1]), int(m[2] or m[1]) + 1)) if m else frozenset()


def ratio(hit: int, total: int) -> float | None:
    return hit / total if total else None


def pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def norm(name: str) -> str:
    """A name case and spaces folded, edge punctuation and a leading "the" dropped."""
    name = re.sub(r"\s+", " ", fold(name)).strip(" \t\"'“”‘’()（）《》「」,，.。、:：;；")
    return re.sub(r"^the ", "", name)


def forms(entity: Entity) -> set[str]:
    return set(entity.names.values()) | {a for group in entity.aliases.values() for a in group}


def names_it(candidate: str, entity: Entity) -> bool:
    """The candidate holds one of the entity's names whole, and that name is at least half of it."""
    cand = norm(candidate)
    for form in map(norm, forms(entity)):
        if not form or 2 * len(form) < len(cand):
            continue
        if re.search(r"[\u4e00-\u9fff]", form):
            if form in cand:
                return True
        elif re.search(r"(?<!\w)" + re.escape(form) + r"(?!\w)", cand):
            return True
    return False


@dataclass
class Score:
    counts: dict[str, tuple[int, int]]
    seconds: float
    cpu: float  # processor seconds: what the draft costs on a machine shared with other work
    misses: list[str] = field(default_factory=list)


def score(project: Project, cur: Curation, source_id: str, texts: dict[str, str]) -> Score | None:
    src = cur.sources[source_id]
    path = find_text(project.text_folders(), src.file) if src.file else None
    if path is None:
        return None
    paras = read_text(path)
    here = fold(texts[source_id])
    elsewhere = fold("\n".join(t for s, t in texts.items() if s != source_id))
    only_here = frozenset(e.id for e in cur.entities.values()
                          if {c.source for c in e.seen} - {"curators"} == {source_id})
    if not only_here and not any(f.source == source_id for f in cur.facts) and \
            not any(c.source == source_id for e in cur.entities.values() for c in e.seen):
        return None  # registered but not curated yet: nothing to compare with

    learnt_here = {(a, e.id) for e in cur.entities.values() for group in e.aliases.values() for a in group
                   if fold(a) in here and fold(a) not in elsewhere and a not in e.names.values()}
    names = [n for n in known_names(cur, leave_out=only_here) if (n.text, n.target) not in learnt_here]

    curated: dict[str, list[frozenset[int]]] = defaultdict(list)
    for e in cur.entities.values():
        curated[e.id] += [paragraphs_of(c.locator) for c in e.seen if c.source == source_id]
    figures: set[tuple[str, frozenset[int]]] = set()
    dates: set[tuple[str, frozenset[int]]] = set()
    for f in cur.facts:
        if f.source != source_id:
            continue
        ps = paragraphs_of(f.locator)
        for key in REF_KEYS:
            v = f.values.get(key)
            if isinstance(v, str) and v in cur.entities:
                curated[v].append(ps)
        if f.form == "figure":
            figures.add((str(f.values["value"]), ps))
        for key in DATE_KEYS:
            if isinstance(f.values.get(key), str):
                dates.add((f.values[key], ps))
        if f.form == "relation" and f.values.get("relation") in DATE_KEYS:
            dates.add((str(f.values["object"]), ps))

    t, c = time.perf_counter(), time.process_time()
    d = draft(cur, src, paras, names=names)
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    misses: list[str] = []

    def at(c: Candidate) -> int:
        return int(c.at[1:])

    mentions = [c for c in d.candidates if c.kind == "mention" and "entity" not in c.names]  # not a new entity's
    proposed = {(str(c.proposal["entity"]), at(c)) for c in mentions}
    by_reference = {(str(c.proposal["entity"]), at(c)) for c in mentions if c.proposal.get("by") in ("reference",
                                                                                                   "abbreviation")}
    near: dict[tuple[str, int], str] = {}  # (entity, paragraph) -> the note of its first near match
    for c in mentions:
        if c.proposal.get("by") in ("near", "inside"):
            near.setdefault((str(c.proposal["entity"]), at(c)), str(c.proposal["note"]))
    known = {(e, ps) for e, loci in curated.items() if e not in only_here for ps in loci if ps}
    hit_known = {(e, ps) for e, ps in known if any((e, p) in proposed for p in ps)}
    folded = [fold(p) for p in paras]

    def named(e: str, ps: frozenset[int]) -> bool:  # a cited paragraph writes one of its names
        return any(fold(f) in folded[p - 1] for f in forms(cur.entities[e]) for p in ps if p <= len(folded))

    named_known = {(e, ps) for e, ps in known if named(e, ps)}
    misses += [f"known {e} at p{min(ps)}" + ("" if (e, ps) in named_known else " (no name of it in the paragraph)")
               for e, ps in sorted(known - hit_known, key=str)]
    right_known = {(e, p) for e, p in proposed if any(p in ps for ps in curated.get(e, []))}
    misses += [f"mention not curated: {e} at p{p}" + (" (by reference)" if (e, p) in by_reference
                                                      else f" ({near[e, p]})" if (e, p) in near else "")
               for e, p in sorted(proposed - right_known)]

    orgs = [e for e in cur.entities.values() if "Organization" in e.kinds]
    new_orgs = [cur.entities[e] for e in sorted(only_here) if "Organization" in cur.entities[e].kinds]
    candidates = [(str(next(iter(c.proposal["name"].values()))), c.at)  # type: ignore[attr-defined]
                  for c in d.candidates if c.kind == "new-organization"]
    found_new = [e for e in new_orgs if any(names_it(n, e) for n, _ in candidates)]
    misses += [f"new organization not found: {e.id} {sorted(forms(e))}" for e in new_orgs if e not in found_new]
    right_new = [(n, a) for n, a in candidates if any(names_it(n, e) for e in orgs)]
    misses += [f"candidate names no organization: {n} at {a}" for n, a in candidates if (n, a) not in right_new]

    values = {(str(c.proposal.get("value", c.proposal.get("amount"))), at(c)) for c in d.candidates
              if c.kind in ("figure", "amount")}
    hit_fig = [(v, ps) for v, ps in figures if any((v, p) in values for p in ps)]
    misses += [f"figure {v} at p{min(ps)}" for v, ps in sorted(figures, key=str) if (v, ps) not in hit_fig]
    got_dates = {(str(c.proposal["value"]), at(c)) for c in d.candidates if c.kind == "date"}
    hit_dates = [(v, ps) for v, ps in dates if any((v, p) in got_dates for p in ps)]
    misses += [f"date {v} at p{min(ps)}" for v, ps in sorted(dates, key=str) if (v, ps) not in hit_dates]
    facts = fact_counts(cur, source_id, d.candidates, only_here, misses)
    counts = {
        "known recall": (len(hit_known), len(known)),
        "named known recall": (len(hit_known & named_known), len(named_known)),
        "known precision": (len(right_known), len(proposed)),
        "reference precision": (len(right_known & by_reference), len(by_reference)),
        "near precision": (len(right_known & set(near)), len(near)),
        "new-org recall": (len(found_new), len(new_orgs)), "new-org precision": (len(right_new), len(candidates)),
        "figure recall": (len(hit_fig), len(figures)), "date recall": (len(hit_dates), len(dates)),
        **facts,
    }
    return Score(counts, seconds, cpu, misses)


# The fact forms a draft proposes: the curated facts' keys that must agree (entity references
# first; ``names`` lets a candidate name a left-out entity by its words), per candidate kind.
FACT_KEYS = {"role": ("actor", "in", "role"), "post": ("person", "org"), "amount": ("to", "value", "currency"),
             "serves": ("serves",)}
ENTITY_KEYS = ("actor", "in", "person", "org", "to")


def curated_facts(cur: Curation, source_id: str) -> dict[str, set[tuple[tuple[str, ...], frozenset[int]]]]:
    """The curated roles, posts, amounts and serves of a source: kind -> {(values, paragraphs)}."""
    out: dict[str, set[tuple[tuple[str, ...], frozenset[int]]]] = {k: set() for k in FACT_KEYS}
    for f in cur.facts:
        if f.source != source_id:
            continue
        v = dict(f.values)
        kind = "serves" if f.form == "relation" and v.get("relation") == "serves" else f.form
        if kind == "serves":
            v["serves"] = v["object"]
        if kind in FACT_KEYS:
            out[kind].add((tuple(str(v.get(k) or "") for k in FACT_KEYS[kind]), paragraphs_of(f.locator)))
    return out


def fact_counts(cur: Curation, source_id: str, candidates: list[Candidate], only_here: frozenset[str],
                misses: list[str]) -> dict[str, tuple[int, int]]:
    """Recall and precision of the role, post, amount and serves candidates (docs/curation.md).

    A candidate agrees with a curated fact when it is proposed in a paragraph the fact's locator
    covers and each key of ``FACT_KEYS`` agrees: an entity by its id, or, for an entity the
    benchmark left out, by the candidate's words for it naming it (:func:`names_it`). Roles are
    also counted without ``in`` ("role recall, actor"), as the corpus notes counted them.
    """
    curated = curated_facts(cur, source_id)

    def agrees(kind: str, c: Candidate, values: tuple[str, ...], *, keys: tuple[str, ...] | None = None) -> bool:
        got = dict(c.proposal)
        if kind == "amount":
            got["value"] = got.get("amount")
        for key, want in zip(FACT_KEYS[kind], values, strict=True):
            if keys is not None and key not in keys:
                continue
            have = str(got.get(key) or "")
            if have == want or key == "actor" and want in map(str, got.get("actors") or ()):  # type: ignore[call-overload]
                continue  # (drafts before 2026-11-30 listed a role's actors, with no `in`)
            name = getattr(c, "names", {}).get(key)
            if key in ENTITY_KEYS and name and want in only_here and want in cur.entities \
                    and names_it(name, cur.entities[want]):
                continue
            return False
        return True

    out: dict[str, tuple[int, int]] = {}
    for kind in FACT_KEYS:
        proposed = [c for c in candidates if c.kind == kind]
        facts = curated[kind]

        def hit(values: tuple[str, ...], ps: frozenset[int], kind: str = kind, proposed: list[Candidate] = proposed,
                keys: tuple[str, ...] | None = None) -> bool:
            return any(int(c.at[1:]) in ps and agrees(kind, c, values, keys=keys) for c in proposed)

        found = [(v, ps) for v, ps in facts if hit(v, ps)]
        right = [c for c in proposed if any(int(c.at[1:]) in ps and agrees(kind, c, v) for v, ps in facts)]
        misses += [f"{kind} not proposed: {' '.join(v)} at p{min(ps)}" for v, ps in sorted(facts, key=str)
                   if (v, ps) not in found and ps]
        misses += [f"{kind} candidate not curated: {c.proposal} at {c.at}" for c in proposed if c not in right]
        out[f"{kind} recall"] = (len(found), len(facts))
        if kind == "role":
            out["role recall, actor"] = (sum(1 for v, ps in facts if hit(v, ps, keys=("actor", "role"))), len(facts))
        out[f"{kind} precision"] = (len(right), len(proposed))
    return out


def main() -> None:
    args = sys.argv[1:]
    show_misses = "--misses" in args
    exclude = set(args[args.index("--exclude") + 1].split(",")) if "--exclude" in args else set()
    project = Project.default()
    cur, problems = load_curation(project)
    assert not problems, problems
    t0, c0 = time.perf_counter(), time.process_time()
    jieba_tagger().lcut("加载")
    jieba_load, jieba_cpu = time.perf_counter() - t0, time.process_time() - c0
    texts = {}
    for src in cur.sources.values():
        path = find_text(project.text_folders(), src.file) if src.file else None
        if path is not None:
            texts[src.id] = "\n".join(read_text(path))
    rows = []
    for sid in sorted(set(texts) - exclude):
        result = score(project, cur, sid, texts)
        if result is not None:
            rows.append((sid, cur.sources[sid].language, result))
    keys = list(rows[0][2].counts)
    print("| document | lang | " + " | ".join(keys) + " | seconds |")
    print("|---|---|" + "---|" * (len(keys) + 1))
    for sid, lang, result in rows:
        cells = [f"{pct(ratio(*result.counts[k]))} ({result.counts[k][0]}/{result.counts[k][1]})" for k in keys]
        print(f"| {sid} | {lang} | " + " | ".join(cells) + f" | {result.seconds:.2f} ({result.cpu:.2f} cpu) |")
    seeds = {sid for sid in texts if (path := find_text(project.text_folders(), cur.sources[sid].file or ""))
             and path.is_relative_to(project.seeds_dir)}
    groups = {"seeds": [r for r in rows if r[0] in seeds],
              "en": [r for r in rows if r[0] not in seeds and r[1] == "en"],
              "zh": [r for r in rows if r[0] not in seeds and r[1] == "zh"], "all": rows}
    for group, members in groups.items():
        if not members:
            continue
        totals = {k: [sum(r[2].counts[k][0] for r in members), sum(r[2].counts[k][1] for r in members)] for k in keys}
        cells = [f"**{pct(ratio(*totals[k]))}** ({totals[k][0]}/{totals[k][1]})" for k in keys]
        label = {"seeds": "seeds", "en": "corpus, en", "zh": "corpus, zh", "all": "all"}[group]
        print(f"| {label} ({len(members)}) | | " + " | ".join(cells) + f" | {max(r[2].seconds for r in members):.2f} "
              f"({max(r[2].cpu for r in members):.2f} cpu) max |")
    print(f"\njieba's dictionary loaded once in {jieba_load:.2f} s ({jieba_cpu:.2f} cpu; a cached prefix dictionary "
          "after the first run)")
    if show_misses:
        for sid, _, result in rows:
            print(f"\n{sid}:")
            for line in result.misses:
                print(f"  {line}")


if __name__ == "__main__":
    main()
