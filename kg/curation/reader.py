"""The curated files of data/ as checked records.

:func:`load_curation` reads ``sources.yaml``, ``regions.yaml``, ``entities/*.yaml`` and
``facts/*.yaml``, checks each value against the schema of ``data/README.md`` and every
reference against the ontology, the entities, the regions and the sources, and returns the
records with **every** problem found (never stopping at the first):

>>> from kg.project import Project
>>> cur, problems = load_curation(Project.default())
>>> problems
[]
>>> cur.sources["meet-2021"].language
'en'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.curation.archive import (
    FINGERPRINT_DIR,
    check_file_name,
    find_text,
    fingerprint_path,
    read_fingerprint,
    read_text,
)
from kg.curation.gazetteer import china_subdivisions, iso_region
from kg.curation.records import (
    CONFIDENCE,
    DRAFTS_DIR,
    FIGURE_KINDS,
    FORM_KEYS,
    ID_RE,
    ISO_RE,
    LANGUAGES,
    LOCATOR_RE,
    MAX_ID,
    MAX_LABEL,
    MAX_LOCATOR,
    MAX_TEXT,
    META_KEYS,
    NUMBER_RE,
    QUALIFIERS,
    REF_KEYS,
    REGION_TYPES,
    SOURCE_KINDS,
    URL_RE,
    Citation,
    Curation,
    Entity,
    Fact,
    Region,
    Source,
    Where,
    check_date,
)
from kg.curation.yamlio import INVALID, Map, Seq, Text, Value, describe_character, odd_character, read_yaml
from kg.errors import Problem, UserError
from kg.model.money import amount_forms, amount_kinds, check_currency
from kg.model.ontology import Ontology, load_project_ontology
from kg.model.relations import RELATIONS
from kg.model.rollup import AFFILIATIONS, cycles
from kg.project import Project


def load_curation(project: Project, ontology: Ontology | None = None) -> tuple[Curation, list[Problem]]:
    """Read and check every curated file; return the records and all problems found."""
    onto = ontology or load_project_ontology(project)
    reader = _Reader(project, Curation(onto))
    reader.read_all()
    return reader.cur, sorted(set(reader.problems))


# --------------------------------------------------------------------------------------------


class _Reader:
    def __init__(self, project: Project, cur: Curation):
        self.project = project
        self.cur = cur
        self.problems: list[Problem] = []
        self.file = ""
        self.texts: dict[str, list[str] | int | None] = {}  # source id -> paragraphs, or a count only
        self.money: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # amount kinds and forms

    # ---- helpers

    def problem(self, line: int, message: str, file: str | None = None) -> None:
        self.problems.append(Problem(file or self.file, line, message))

    def open(self, path: Path) -> Value:
        self.file = self.project.relative(path)
        self.cur.files.append(path)
        if path.is_symlink():
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                self.problem(1, "a symbolic link that leads nowhere (missing, or a loop)")
                return None
            if not target.is_relative_to(self.project.root.resolve()):
                self.problem(1, f"a symbolic link to {target}, outside the project; copy the file in instead")
                return None
        doc, problems = read_yaml(path, self.file)
        self.problems += problems
        if doc is None and not problems:
            self.problem(1, "the file is empty")
        return doc

    def line(self, value: Any, default: int) -> int:
        return getattr(value, "line", default)

    def keys(self, m: Map, allowed: tuple[str, ...], required: tuple[str, ...], what: str) -> bool:
        ok = True
        for key in m:
            if key not in allowed:
                self.problem(m.line_of(key), f"unknown key {key!r} in {what}; expected one of: "
                             + ", ".join(allowed))
                ok = False
        for key in required:
            value = m.get(key)
            if value in (None, "") or (isinstance(value, Map | Seq) and not value):  # name: {}, seen: []
                if key in m:
                    self.problem(m.line_of(key), f"{what}: {key!r} is empty")
                else:
                    self.problem(m.line, f"{what}: missing required key {key!r}")
                ok = False
        return ok

    def text(self, m: Map, key: str, what: str) -> str | None:
        v = m.get(key)
        if v is None or v is INVALID:  # absent, or already reported
            return None
        if not isinstance(v, Text):
            self.problem(m.line_of(key), f"{what}: {key!r} must be text, not a {_shape(v)}")
            return None
        odd = odd_character(v, newlines=True)
        if odd is not None:
            self.problem(v.line, f"{what}: {key!r} contains the character {describe_character(odd)}; "
                         "delete it")
            return None
        if len(v) > MAX_TEXT:
            self.problem(v.line, f"{what}: {key!r} is {len(v)} characters long (at most {MAX_TEXT})")
            return None
        return str(v).strip()

    def ident(self, m: Map, key: str, what: str) -> str | None:
        v = self.text(m, key, what)
        if v is not None and len(v) > MAX_ID:
            self.problem(m.line_of(key), f"{what}: an id of {len(v)} characters is too long (at most {MAX_ID})")
            return None
        if v is not None and not ID_RE.match(v):
            self.problem(m.line_of(key), f"{what}: {v!r} is not a valid id "
                         "(lowercase letters, digits and single hyphens)")
            return None
        return v

    def ref(self, m: Map, key: str, what: str) -> str | None:
        """An entity id or an ISO 3166 code."""
        v = self.text(m, key, what)
        if v is not None and not (ID_RE.match(v) or ISO_RE.match(v)):
            self.problem(m.line_of(key), f"{what}: {v!r} is not an id or an ISO 3166 code")
            return None
        return v

    def date(self, m: Map, key: str, what: str) -> str | None:
        v = self.text(m, key, what)
        if v is None:
            return None
        problem = check_date(v)
        if problem:
            self.problem(m.line_of(key), f"{what}: {key!r}: {problem}")
            return None
        return v

    def number(self, m: Map, key: str, what: str) -> str | None:
        v = self.text(m, key, what)
        if v is None:
            return None
        if not NUMBER_RE.match(v):
            self.problem(m.line_of(key), f"{what}: {key!r} is not a plain number: {v!r}{_number_hint(v)}")
            return None
        return v

    def langmap(self, m: Map, key: str, what: str, *, many: bool = False) -> dict | None:
        v = m.get(key)
        if v is None or v is INVALID:
            return None
        if not isinstance(v, Map):
            self.problem(m.line_of(key), f"{what}: {key!r} must map languages to text "
                         f"(for example {key}: {{en: ..., zh: ...}})")
            return None
        out: dict = {}
        for lang in v:
            line = v.line_of(lang)
            if lang not in LANGUAGES:
                self.problem(line, f"{what}: unknown language {lang!r} in {key!r}; expected one of: "
                             + ", ".join(LANGUAGES))
                continue
            item = v[lang]
            items = item if many and isinstance(item, Seq) else [item]
            texts = []
            for x in items:
                if not isinstance(x, Text) or not x.strip():
                    self.problem(self.line(x, line), f"{what}: {key}.{lang} must be non-empty text")
                    continue
                odd = odd_character(x)
                if odd is not None:
                    self.problem(x.line, f"{what}: {key}.{lang} contains the character "
                                 f"{describe_character(odd)}; delete it")
                    continue
                if len(x) > MAX_LABEL:
                    self.problem(x.line, f"{what}: {key}.{lang} is {len(x)} characters long "
                                 f"(at most {MAX_LABEL})")
                    continue
                texts.append(str(x).strip())
            if texts:
                out[lang] = tuple(texts) if many else texts[0]
        return out

    def citation(self, value: Value, line: int, what: str) -> Citation | None:
        if not isinstance(value, Text) or ":" not in value:
            self.problem(line, f"{what}: {value!r} is not a citation source:locator "
                         "(for example meet-2021:p2)")
            return None
        odd = odd_character(value)
        if odd is not None:
            self.problem(line, f"{what}: the citation {str(value)!r} contains the character "
                         f"{describe_character(odd)}; delete it")
            return None
        source, _, locator = str(value).partition(":")
        return Citation(source.strip(), locator.strip())

    # ---- files

    def read_all(self) -> None:
        data = self.project.data_dir
        if not data.is_dir():
            self.problem(0, "no data/ folder here", file=self.project.relative(data))
            return
        if (data / "sources.yaml").exists():
            self.read_sources(data / "sources.yaml")
        else:
            self.problem(0, "missing: the registry of sources", file=self.project.relative(data / "sources.yaml"))
        if (data / "regions.yaml").exists():
            self.read_regions(data / "regions.yaml")
        for path in sorted((data / "entities").glob("*.yaml")):
            self.read_entities(path)
        for path in sorted((data / "facts").glob("*.yaml")):
            self.read_facts(path)
        for src in self.cur.sources.values():  # every text is checked, cited yet or not
            if src.file is not None:
                self.source_text(src)
        self.report_unread(data)
        self.add_iso_regions()
        self.check_references()
        self.check_affiliations()

    def report_unread(self, data: Path) -> None:
        """Every YAML-looking file under data/ that nothing reads is a problem, not silence."""
        read = {data / "sources.yaml", data / "regions.yaml"}
        read |= set((data / "entities").glob("*.yaml")) | set((data / "facts").glob("*.yaml"))
        read |= {fingerprint_path(data, s) for s, src in self.cur.sources.items() if src.file is not None}
        for path in sorted(data.rglob("*")):
            rel = path.relative_to(data)
            if path in read or rel.parts[0] == DRAFTS_DIR or path.suffix.lower() not in (".yaml", ".yml"):
                continue  # drafts are kg review's to read
            if rel.parts[0] == FINGERPRINT_DIR and len(rel.parts) == 2 and path.suffix == ".yaml":
                why = f"a fingerprint for {path.stem!r}, which sources.yaml does not register with a file"
            else:
                why = ("never read: kg reads sources.yaml, regions.yaml, entities/*.yaml and facts/*.yaml "
                       "(.yaml in lower case, no sub-folders); rename or move it")
            self.problem(0, why, file=self.project.relative(path))

    def list_under(self, doc: Value, key: str | None) -> Seq | None:
        if doc is None:
            return None
        if key is not None:
            if not isinstance(doc, Map) or key not in doc:
                self.problem(self.line(doc, 1), f"expected a mapping with the key {key!r}")
                return None
            extra = [k for k in doc if k != key]
            for k in extra:
                self.problem(doc.line_of(k), f"unknown key {k!r}; expected only {key!r}")
            doc = doc[key]
        if doc is None:
            return Seq()
        if not isinstance(doc, Seq):
            self.problem(self.line(doc, 1), f"expected a list, not a {_shape(doc)}")
            return None
        return doc

    def items(self, seq: Seq | None, what: str) -> Iterator[Map]:
        if seq is None:
            return
        for item in seq:
            if isinstance(item, Map):
                yield item
            elif item is not INVALID:
                self.problem(self.line(item, seq.line), f"each {what} must be a mapping of keys, "
                             f"not a {_shape(item)}")

    def read_sources(self, path: Path) -> None:
        seq = self.list_under(self.open(path), "sources")
        allowed = ("id", "file", "title", "publisher", "author", "date", "url", "accessed", "language", "kind",
                   "licence", "note")
        for m in self.items(seq, "source"):
            what = "source"
            self.keys(m, allowed, ("id", "title", "language", "kind"), what)
            sid = self.ident(m, "id", what)
            lang = self.text(m, "language", what)
            if lang is not None and lang not in LANGUAGES:
                self.problem(m.line_of("language"), f"source {sid}: unknown language {lang!r}; "
                             "expected one of: " + ", ".join(LANGUAGES))
            kind = self.text(m, "kind", what)
            if kind is not None and kind not in SOURCE_KINDS:
                self.problem(m.line_of("kind"), f"source {sid}: unknown kind {kind!r}; expected one of: "
                             + ", ".join(SOURCE_KINDS))
            title = self.langmap(m, "title", what)
            if sid is None or lang is None or kind is None or not title:
                continue
            if sid in self.cur.sources:
                first = self.cur.sources[sid].where
                self.problem(m.line_of("id"), f"duplicate source id {sid!r} (first at {first.file}:{first.line})")
                continue
            file = self.text(m, "file", what)
            if file is not None and check_file_name(file):
                self.problem(m.line_of("file"), f"source {sid}: file {check_file_name(file)}")
                file = None
            url = self.text(m, "url", what)
            if url is not None and not URL_RE.match(url):
                self.problem(m.line_of("url"), f"source {sid}: url {url!r} is not an http(s) address")
                url = None
            self.cur.sources[sid] = Source(
                sid, title, lang, kind, Where(self.file, m.line),
                file=file, publisher=self.text(m, "publisher", what),
                date=self.date(m, "date", what), note=self.text(m, "note", what), url=url,
                author=self.text(m, "author", what), accessed=self.date(m, "accessed", what),
                licence=self.text(m, "licence", what))

    def read_regions(self, path: Path) -> None:
        seq = self.list_under(self.open(path), "regions")
        allowed = ("id", "type", "code", "name", "part_of", "source", "note")
        for m in self.items(seq, "region"):
            self.keys(m, allowed, ("id", "type", "name", "part_of"), "region")
            rid = self.ident(m, "id", "region")
            rtype = self.text(m, "type", "region")
            if rtype is not None and rtype not in REGION_TYPES:
                self.problem(m.line_of("type"), f"region {rid}: type must be one of: "
                             + ", ".join(REGION_TYPES))
                rtype = None
            code = self.text(m, "code", "region")
            if code is not None and not re.match(r"^[0-9]{6}$", code):
                self.problem(m.line_of("code"), f"region {rid}: code {code!r} is not a 6-digit "
                             "administrative division code")
            names = self.langmap(m, "name", "region")
            part_of = self.ref(m, "part_of", "region")
            src = self.text(m, "source", "region") or "curators"
            note = self.text(m, "note", "region")
            if rid is None or rtype is None or part_of is None or not names:
                continue
            self.add_entity_id(rid, m)
            self.cur.regions[rid] = Region(rid, rtype, names, part_of, Citation(src, rid),
                                           Where(self.file, m.line), code=code,
                                           note=note if rtype == "RegionGroup" else None)

    def add_entity_id(self, eid: str, m: Map) -> bool:
        """Record that ``eid`` is defined here; False (and a problem) when defined before."""
        for table in (self.cur.entities, self.cur.regions):
            if eid in table:
                first = table[eid].where
                self.problem(m.line_of("id"), f"duplicate id {eid!r} (first defined at "
                             f"{first.file}:{first.line})")
                return False
        return True

    def read_entities(self, path: Path) -> None:
        seq = self.list_under(self.open(path), None)
        allowed = ("id", "type", "name", "alias", "seen", "note", "distinct_from")
        onto = self.cur.ontology
        for m in self.items(seq, "entity"):
            self.keys(m, allowed, ("id", "type", "name", "seen"), "entity")
            eid = self.ident(m, "id", "entity")
            what = f"entity {eid}" if eid else "entity"
            raw = m.get("type")
            raw_types = raw if isinstance(raw, Seq) else [raw] if raw is not None else []
            types: list[str] = []
            kinds: set[str] = set()
            for t in raw_types:
                kind = onto.kind_of(t) if isinstance(t, Text) and t in onto.classes else None
                if kind is None or kind not in onto.entity_kinds:
                    self.problem(self.line(t, m.line_of("type")), f"{what}: unknown type {t!r}; "
                                 "expected one of: " + ", ".join(onto.entity_classes()))
                    continue
                types.append(str(t))
                kinds.add(kind)
            names = self.langmap(m, "name", what)
            aliases = self.langmap(m, "alias", what, many=True) or {}
            seen_v = m.get("seen")
            seen: list[Citation] = []
            if seen_v is not None and not isinstance(seen_v, Seq):
                seen_v = Seq([seen_v])
                seen_v.line = m.line_of("seen")
            for c in seen_v or ():
                cit = self.citation(c, self.line(c, m.line_of("seen")), what)
                if cit:
                    seen.append(cit)
                    self.check_citation(cit, self.line(c, m.line_of("seen")), what)
            note = self.text(m, "note", what)
            distinct = m.get("distinct_from")
            distinct_ids = tuple(str(x) for x in distinct if isinstance(x, Text) and ID_RE.match(x)) \
                if isinstance(distinct, Seq) else ()
            if distinct is not None and (not isinstance(distinct, Seq) or len(distinct_ids) != len(distinct)):
                self.problem(m.line_of("distinct_from"), f"{what}: distinct_from must be a list of ids")
            if eid is None or not types or not names or not seen or not self.add_entity_id(eid, m):
                continue
            self.cur.entities[eid] = Entity(eid, tuple(types), names, aliases, tuple(seen),
                                            Where(self.file, m.line), note, frozenset(kinds), distinct_ids)

    def read_facts(self, path: Path) -> None:
        doc = self.open(path)
        if doc is None:
            return
        if not isinstance(doc, Map):
            self.problem(self.line(doc, 1), "expected a mapping with the keys 'source' and 'facts'")
            return
        self.keys(doc, ("source", "facts"), ("source", "facts"), "the file")
        source = self.ident(doc, "source", "the file")
        if source is not None:
            if source not in self.cur.sources:
                self.problem(doc.line_of("source"), f"unknown source {source!r}; register it in data/sources.yaml")
            if path.stem != source:
                self.problem(doc.line_of("source"), f"the file is named {path.stem!r} but cites source "
                             f"{source!r}; name it facts/{source}.yaml")
        seq = doc.get("facts")
        if seq is not None and not isinstance(seq, Seq):
            self.problem(doc.line_of("facts"), "'facts' must be a list")
            return
        for m in self.items(seq, "fact"):
            fact = self.read_fact(m, source)
            if fact:
                self.cur.facts.append(fact)

    def read_fact(self, m: Map, source: str | None) -> Fact | None:
        figure = [k for k in FIGURE_KINDS if k in m]
        relation = [k for k in RELATIONS if k in m]
        if "role" in m:
            form, extra = "role", FORM_KEYS["role"]
        elif "post" in m:
            form, extra = "post", FORM_KEYS["post"]
        elif figure:
            form, extra = "figure", FORM_KEYS["figure"] + tuple(FIGURE_KINDS)
        elif "amount" in m:
            form, extra = "amount", FORM_KEYS["amount"]
        elif "subject" in m:
            form, extra = "relation", ("subject", *RELATIONS)
        else:
            self.problem(m.line, "a fact needs one of the keys role, post, target, outcome, statistic, "
                         "amount or subject (see data/README.md)")
            return None
        what = f"{form} fact"
        required = {"role": ("actor", "role", "in"), "post": ("person", "post", "org"),
                    "figure": ("of", "counts"), "amount": ("currency", "kind", "to"),
                    "relation": ("subject",)}[form]
        ok = self.keys(m, META_KEYS + extra, ("at", *required), what)
        values: dict[str, Any] = {}
        if form == "role":
            values["actor"] = self.ref(m, "actor", what)
            values["role"] = self.text(m, "role", what)
            values["in"] = self.ref(m, "in", what)
        elif form == "post":
            values["person"] = self.ref(m, "person", what)
            values["post"] = self.langmap(m, "post", what)
            values["org"] = self.ref(m, "org", what)
        elif form == "figure":
            if len(figure) > 1:
                self.problem(m.line_of(figure[1]), f"a figure is one of {', '.join(FIGURE_KINDS)}, not several")
                ok = False
            values["kind"] = figure[0]
            values["value"] = self.number(m, figure[0], what)
            if values["value"] is not None and values["value"].startswith("-") and figure[0] != "statistic":
                self.problem(m.line_of(figure[0]), f"{what}: a {figure[0]} counts something: "
                             f"{values['value']!r} is negative")
                values["value"] = None
            values["of"] = self.ref(m, "of", what)
            values["counts"] = self.langmap(m, "counts", what)
            values["unit"] = self.text(m, "unit", what)
            values["as_of"] = self.date(m, "as_of", what)
            values["where"] = self.ref(m, "where", what)
            values["according_to"] = self.ref(m, "according_to", what)
            values["qualifier"] = self.text(m, "qualifier", what)
            if values["qualifier"] is not None and values["qualifier"] not in QUALIFIERS:
                self.problem(m.line_of("qualifier"), f"{what}: qualifier must be one of: " + ", ".join(QUALIFIERS))
                ok = False
        elif form == "amount":
            ok = self.read_amount(m, what, values) and ok
        else:
            values["subject"] = self.ref(m, "subject", what)
            if len(relation) != 1:
                self.problem(m.line, "a relation fact needs exactly one of: " + ", ".join(RELATIONS)
                             + (f" (found {', '.join(relation)})" if relation else ""))
                return None
            key = relation[0]
            values["relation"] = key
            target = RELATIONS[key].target
            values["object"] = (self.date(m, key, what) if target == "date"
                                else self.text(m, key, what) if target in ("theme", "beneficiary")
                                else self.ref(m, key, what))
        if form in ("role", "post", "amount"):
            values["start"] = self.date(m, "start", what)
            values["end"] = self.date(m, "end", what)
        locator = self.text(m, "at", what)
        confidence = self.text(m, "confidence", what)
        if confidence is not None and confidence not in CONFIDENCE:
            self.problem(m.line_of("confidence"), f"{what}: confidence must be one of: " + ", ".join(CONFIDENCE))
            ok = False
        meta = {k: self.text(m, k, what) for k in ("note", "stated", "inferred")}
        if source in self.cur.sources and self.cur.sources[source].kind == "curation":
            if values.get("relation") not in AFFILIATIONS:
                self.problem(m.line, f"{what}: the curators' own knowledge ({source}) may state affiliations "
                             f"only ({', '.join(AFFILIATIONS)}); anything else needs a document")
                ok = False
            elif not meta["note"]:
                self.problem(m.line, f"{what}: a fact from the curators' own knowledge ({source}) needs a "
                             "note saying what the knowledge rests on")
                ok = False
        if locator and source and source in self.cur.sources:
            self.check_citation(Citation(source, locator), m.line_of("at"), what, stated=meta["stated"])
        required_values = [v for k, v in values.items() if k in required or k in ("value", "object")]
        if not ok or source is None or locator is None or any(v in (None, {}) for v in required_values):
            return None
        return Fact(source, locator, form, values, Where(self.file, m.line), dict(m.key_lines),
                    note=meta["note"], confidence=confidence, stated=meta["stated"], inferred=meta["inferred"])

    def read_amount(self, m: Map, what: str, values: dict[str, Any]) -> bool:
        """The values of an amount fact; False when one of them is wrong (each reported)."""
        ok = True
        values["value"] = self.number(m, "amount", what)
        if values["value"] is not None and values["value"].startswith("-"):
            self.problem(m.line_of("amount"), f"{what}: an amount of money is not negative: {values['value']!r}")
            values["value"] = None
        values["currency"] = self.text(m, "currency", what)
        if values["currency"]:
            problem = check_currency(values["currency"])
            if problem:
                self.problem(m.line_of("currency"), f"{what}: currency: {problem}")
                values["currency"] = None
        kinds, forms = self.money_terms()
        values["kind"] = self.text(m, "kind", what)
        if values["kind"] and values["kind"] not in kinds:
            self.problem(m.line_of("kind"), f"{what}: unknown kind of amount {values['kind']!r}; "
                         "expected one of: " + ", ".join(kinds))
            values["kind"] = None
        given = m.get("form")
        items = list(given) if isinstance(given, Seq) else [] if given is None else [given]
        found: list[str] = []
        for item in items:
            if not isinstance(item, Text) or str(item).strip() not in forms:
                self.problem(self.line(item, m.line_of("form")), f"{what}: form must be one of: "
                             + ", ".join(forms) + " (or a list of them)")
                ok = False
            elif str(item).strip() in found:
                self.problem(self.line(item, m.line_of("form")), f"{what}: form {str(item)!r} is given twice")
                ok = False
            else:
                found.append(str(item).strip())
        values["form"] = sorted(found)
        values["from"] = self.ref(m, "from", what)
        values["to"] = self.ref(m, "to", what)
        values["as_of"] = self.date(m, "as_of", what)
        values["where"] = self.ref(m, "where", what)
        values["qualifier"] = self.text(m, "qualifier", what)
        if values["qualifier"] is not None and values["qualifier"] not in QUALIFIERS:
            self.problem(m.line_of("qualifier"), f"{what}: qualifier must be one of: " + ", ".join(QUALIFIERS))
            ok = False
        return ok and values["value"] is not None

    def money_terms(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The amount kinds and forms of the ontology, read once."""
        if self.money is None:
            self.money = (amount_kinds(self.cur.ontology), amount_forms(self.cur.ontology))
        return self.money

    # ---- checks across files

    def check_citation(self, cit: Citation, line: int, what: str, *, stated: str | None = None) -> None:
        src = self.cur.sources.get(cit.source)
        if src is None:
            self.problem(line, f"{what}: unknown source {cit.source!r}; register it in data/sources.yaml")
            return
        if not cit.locator:
            self.problem(line, f"{what}: empty locator for source {cit.source!r}")
            return
        if src.file is None:
            if len(cit.locator) > MAX_LOCATOR:
                self.problem(line, f"{what}: a locator of {len(cit.locator)} characters is too long "
                             f"(at most {MAX_LOCATOR})")
            return
        match = LOCATOR_RE.match(cit.locator)
        if not match:
            self.problem(line, f"{what}: locator {cit.locator!r} is not p<N> or p<N>-<M>")
            return
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            self.problem(line, f"{what}: locator {cit.locator!r} ends before it starts")
            return
        text = self.source_text(src)
        count = len(text) if isinstance(text, list) else text
        if count is not None and last > count:
            self.problem(line, f"{what}: locator {cit.locator!r} is past the end of {cit.source} "
                         f"({count} paragraphs)")
        elif stated and isinstance(text, list):
            cited = _loose(" ".join(text[first - 1:last]))
            if _loose(stated) not in cited:
                self.problem(line, f"{what}: the stated words {stated!r} are not in {cit.source}:{cit.locator}")

    def source_text(self, src: Source) -> list[str] | int | None:
        """A source's paragraphs when its text is at hand, else the count its fingerprint records.

        Never silently nothing: a text that cannot be read, a text that differs from its
        fingerprint, and a text that is neither at hand nor fingerprinted are problems.
        """
        if src.id in self.texts:
            return self.texts[src.id]
        assert src.file is not None
        fingerprint = None
        fp_path = fingerprint_path(self.project.data_dir, src.id)
        fp_file = self.project.relative(fp_path)
        if fp_path.exists():
            fingerprint, problems = read_fingerprint(fp_path, fp_file)
            self.problems += problems
            if fingerprint is not None and fingerprint.source != src.id:
                self.problem(1, f"fingerprints source {fingerprint.source!r}, but the file is named for "
                             f"{src.id!r}", file=fp_file)
        paras: list[str] | None = None
        path = find_text(self.project.text_folders(), src.file)
        if path is not None:
            try:
                paras = read_text(path)
            except UserError as e:
                self.problem(src.where.line, f"source {src.id}: {e}", file=src.where.file)
                self.texts[src.id] = None
                return None
        found: list[str] | int | None
        if paras is not None:
            found = paras
            differs = fingerprint.first_difference(paras) if fingerprint is not None else None
            if differs is not None:
                self.problem(1, f"the text of {src.id} ({path}) is not the text fingerprinted here: it "
                             f"differs from paragraph {differs} on (re-add it with kg source add, or restore it)",
                             file=fp_file)
        elif fingerprint is not None:
            found = fingerprint.count
            self.cur.count_only.append(src.id)
        else:
            folders = " or ".join(str(f) for f in self.project.text_folders())
            self.problem(src.where.line, f"source {src.id}: its text {src.file!r} is in neither {folders}, "
                         f"and {fp_file} does not fingerprint it, so its locators cannot be checked "
                         "(add it with kg source add, or set KG_ARCHIVE or KG_SEEDS)", file=src.where.file)
            found = None
        self.texts[src.id] = found
        return found

    def add_iso_regions(self) -> None:
        """Add the countries and provinces (ISO 3166) that the data refers to, with their parents,
        and every province-level region of China (so that each can be named in a question, a
        search or a filter before any document mentions it)."""
        wanted = {r.part_of for r in self.cur.regions.values()} | set(china_subdivisions())
        for fact in self.cur.facts:
            for key in REF_KEYS:
                v = fact.values.get(key)
                if isinstance(v, str) and ISO_RE.match(v):
                    wanted.add(v)
        wanted.add("CN")
        todo = sorted(w for w in wanted if w and ISO_RE.match(w))
        while todo:
            code = todo.pop()
            if code in self.cur.regions:
                continue
            region = iso_region(code)
            if region is None:
                continue  # reported by check_references
            self.cur.regions[code] = region
            if region.part_of:
                todo.append(region.part_of)
        if "iso-3166" not in self.cur.sources and self.cur.sources:
            self.problem(0, "register the gazetteer source 'iso-3166' for ISO 3166 regions",
                         file="data/sources.yaml")

    def check_references(self) -> None:
        cur, onto = self.cur, self.cur.ontology
        for region in cur.regions.values():
            if region.part_of and region.part_of not in cur.regions:
                self.problem(region.where.line, f"region {region.id}: unknown part_of {region.part_of!r}",
                             file=region.where.file)
            if region.source.source not in cur.sources and region.iso is None:
                self.problem(region.where.line, f"region {region.id}: unknown source "
                             f"{region.source.source!r}", file=region.where.file)

        def kinds(ref: str) -> frozenset[str]:
            if ref in cur.entities:
                return cur.entities[ref].kinds
            if ref in cur.regions:
                return frozenset({"Region"})
            return frozenset()

        def match(ref: str, allowed: tuple[str, ...]) -> str | None:
            """None when ``ref`` exists and has an allowed kind, else the problem."""
            have = kinds(ref)
            if not have:
                hint = (" (ISO 3166 codes are upper case, such as CN-AH)"
                        if ref.upper() != ref and ISO_RE.match(ref.upper()) else "")
                return f"unknown entity or region {ref!r}{hint}"
            if allowed and not have & set(allowed):
                return (f"{ref!r} is {_article(' and '.join(sorted(have)))}; "
                        f"expected {_article(' or '.join(allowed))}")
            return None

        def expect(fact: Fact, key: str, kinds: tuple[str, ...]) -> None:
            ref = fact.values.get(key)
            if ref is None:
                return
            line = fact.lines.get(key, fact.where.line)
            problem = match(ref, kinds)
            if problem:
                self.problems.append(Problem(fact.where.file, line, f"{key}: {problem}"))

        for e in cur.entities.values():
            for other in e.distinct_from:
                if other == e.id or other not in cur.entities:
                    what = "itself" if other == e.id else f"the unknown entity {other!r}"
                    self.problems.append(Problem(e.where.file, e.where.line,
                                                 f"entity {e.id}: distinct_from names {what}"))
        for fact in cur.facts:
            v = fact.values
            if fact.form == "role":
                expect(fact, "actor", onto.actor_kinds)
                expect(fact, "in", onto.activity_kinds)
                if v["role"] not in onto.roles:
                    self.problems.append(Problem(fact.where.file, fact.lines["role"],
                                                 f"unknown role {v['role']!r}; expected one of: "
                                                 + ", ".join(sorted(onto.roles))))
            elif fact.form == "post":
                expect(fact, "person", ("Person",))
                expect(fact, "org", ("Organization",))
            elif fact.form == "figure":
                expect(fact, "of", ())
                expect(fact, "where", ("Region",))
                expect(fact, "according_to", ("Organization", "Person", "Document"))
            elif fact.form == "amount":
                expect(fact, "from", onto.actor_kinds)
                expect(fact, "to", (*onto.activity_kinds, "Organization"))
                expect(fact, "where", ("Region",))
                if v.get("from") is not None and v["from"] == v["to"]:
                    self.problems.append(Problem(fact.where.file, fact.lines.get("to", fact.where.line),
                                                 "to: an amount goes from one actor to another, not to itself"))
            else:
                key = v["relation"]
                relation = RELATIONS[key]
                expect(fact, "subject", relation.subjects)
                if relation.target == "ref" and v["object"] == v["subject"] and key != "includes":
                    self.problems.append(Problem(fact.where.file, fact.lines.get(key, fact.where.line),
                                                 f"{key}: an entity is not {key} itself"))
                elif relation.target == "ref":
                    problem = match(v["object"], relation.objects)
                    if problem:
                        self.problems.append(Problem(fact.where.file, fact.lines.get(key, fact.where.line),
                                                     f"{key}: {problem}"))
                elif relation.target == "theme" and v["object"] not in onto.themes:
                    self.problems.append(Problem(fact.where.file, fact.lines.get(key, fact.where.line),
                                                 f"unknown theme {v['object']!r}; expected one of: "
                                                 + ", ".join(sorted(onto.themes))))
                elif relation.target == "beneficiary" and v["object"] not in onto.beneficiaries:
                    self.problems.append(Problem(fact.where.file, fact.lines.get(key, fact.where.line),
                                                 f"serves: {v['object']!r} is not a beneficiary group of the "
                                                 "scheme; expected one of: " + ", ".join(sorted(onto.beneficiaries))))
                if key == "includes":
                    self.check_group_member(fact)
        self.check_group_cycles()

    def check_group_member(self, fact: Fact) -> None:
        """The subject of ``includes`` must be a region group (``type: RegionGroup``)."""
        group = self.cur.regions.get(fact.values["subject"])
        if group is not None and group.type != "RegionGroup":
            self.problems.append(Problem(fact.where.file, fact.lines.get("subject", fact.where.line),
                                         f"includes: {group.id!r} is a {group.type}, not a region group; "
                                         "only a region of type RegionGroup (in regions.yaml) lists members"))

    def check_group_cycles(self) -> None:
        """A region group never contains itself, directly or through other groups: every
        ``includes`` fact on a cycle is reported, with the cycle."""
        edges: dict[str, list[Fact]] = {}
        for fact in self.cur.facts:
            if fact.form == "relation" and fact.values["relation"] == "includes":
                edges.setdefault(fact.values["subject"], []).append(fact)
        graph = {g: {f.values["object"] for f in fs} for g, fs in edges.items()}
        for group, facts in sorted(edges.items()):
            for fact in facts:
                path = _path(graph, fact.values["object"], group)
                if path is not None:
                    cycle = " -> ".join([group, *path])
                    self.problems.append(Problem(fact.where.file, fact.lines.get("includes", fact.where.line),
                                                 f"includes: the region group {group!r} would contain itself "
                                                 f"({cycle})"))

    def check_affiliations(self) -> None:
        """Every cycle among the links that roll organizations up (kg.model.rollup), once, at
        the fact that closes it: the link from the cycle's last organization back to its first."""
        cur = self.cur
        links = {(f.values["subject"], f.values["relation"], f.values["object"]): f for f in cur.facts
                 if f.form == "relation" and f.values["relation"] in AFFILIATIONS
                 and f.values["subject"] in cur.entities and f.values["object"] in cur.entities}
        up = cur.ontology.ancestors
        classes = {e.id: frozenset().union(*(up(t) for t in e.types)) for e in cur.entities.values()}
        for cycle in cycles(links, classes):
            around = " -> ".join([*cycle, cycle[0]])
            closing = [f for (a, _k, b), f in links.items() if a == cycle[-1] and b == cycle[0]]
            fact = min(closing, key=lambda f: (f.where.file, f.where.line))
            self.problems.append(Problem(fact.where.file, fact.lines.get(fact.values["relation"], fact.where.line),
                                         f"affiliation cycle: {around} (an organization cannot roll up "
                                         "to itself)"))


def _path(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The nodes from ``start`` to ``goal`` along ``graph``'s edges (both included), or None.

    >>> _path({"a": {"b"}, "b": {"c"}, "c": {"a"}}, "b", "a")
    ['b', 'c', 'a']
    >>> _path({"a": {"b"}}, "b", "a") is None
    True
    """
    came: dict[str, str | None] = {start: None}
    todo = [start]
    while todo:
        node = todo.pop(0)
        if node == goal:
            out = []
            at: str | None = node
            while at is not None:
                out.append(at)
                at = came[at]
            return out[::-1]
        for nxt in sorted(graph.get(node, ())):
            if nxt not in came:
                came[nxt] = node
                todo.append(nxt)
    return None


def _article(noun: str) -> str:
    """``noun`` with its indefinite article.

    >>> _article("Organization"), _article("Event or Initiative")
    ('an Organization', 'an Event or Initiative')
    """
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _shape(value: Value) -> str:
    shapes: dict[type, str] = {Map: "mapping", Seq: "list", Text: "text"}
    return shapes.get(type(value), "nothing")


def _loose(text: str) -> str:
    """Text compared for evidence: case folded, spaces normalised, quotes made plain.

    >>> _loose("  The “Cloud”\tPlan ")
    'the "cloud" plan'
    """
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2018", "'").replace("\u2019", "'")
    return " ".join(text.split()).casefold()


def _number_hint(text: str) -> str:
    """What is wrong with a number that is not plain, where it can be told.

    >>> _number_hint("1,200"), _number_hint("5.")
    (' (write it without thousands separators)', ' (a number does not end with a point)')
    >>> _number_hint("007"), _number_hint("about 5")
    (' (write it without leading zeros)', '')
    """
    if re.fullmatch(r"-?[0-9]{1,3}(?:[, ][0-9]{3})+(?:\.[0-9]+)?", text):
        return " (write it without thousands separators)"
    if re.fullmatch(r"-?[0-9]+\.", text):
        return " (a number does not end with a point)"
    if re.fullmatch(r"-?0[0-9]+(?:\.[0-9]+)?", text):
        return " (write it without leading zeros)"
    return ""
