"""Every curated fact and every entity sighting is backed by the text it cites.

Independent of the loader: plain ``yaml.safe_load`` over data/, and the source texts from
the archive folder (``KG_ARCHIVE``, default: archive/ in the repository, where ``kg source add``
keeps them) or the folder in ``KG_SEEDS`` (default: ../shared/seeds next to the repository).
A text at hand in neither is checked through its fingerprint (data/sources/<id>.yaml): its
paragraph count bounds the locators, as ``kg validate`` does.

For each fact in data/facts/*.yaml: the cited paragraph(s) exist in the source file, and
they contain a name (label or alias, any language, case-insensitive) of at least one entity
or region the fact refers to. For each entity: every ``seen`` paragraph names it.
"""

from __future__ import annotations

import gettext
import os
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

DATA = ROOT / "data"
SEEDS = Path(os.environ.get("KG_SEEDS") or ROOT.parent / "shared" / "seeds")
ARCHIVE = Path(os.environ.get("KG_ARCHIVE") or ROOT / "archive")

# keys whose value is the id of an entity or a region
REF_KEYS = ("actor", "in", "person", "org", "of", "subject", "object", "where",
            "part_of", "unit_of", "location", "publisher", "reaches", "responds_to",
            "announced_at", "from", "to", "founded_by", "affiliated_with", "member_of",
            "includes")
LOCATOR = re.compile(r"^p(\d+)(?:-(\d+))?$")
ISO = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
# pycountry's subdivision names carry the division type; the texts do not
ISO_SUFFIX = re.compile(r"\s+(?:Sheng|Shi|(?:\w+\s+)?Zizhiqu|Tebiexingzhengqu)$")
ZH_SUFFIX = re.compile(r"(?:省|市|(?:回族|维吾尔|壮族)?自治区|特别行政区)$")


def _load(path: Path):
    """A curated file as plain data (libyaml's safe loader where there is one: read at collection,
    in every worker, the pure-Python one took 0.7 s)."""
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"source texts not found: {SEEDS} does not exist "
                    "(set KG_SEEDS to the folder holding the seed documents)")
    return SEEDS


@cache
def sources() -> dict[str, dict]:
    return {s["id"]: s for s in _load(DATA / "sources.yaml")["sources"]}


def _text_path(source_id: str) -> Path | None:
    """Where a source's text is at hand: the archive first, then the seeds folder."""
    name = sources()[source_id]["file"]
    for folder in (ARCHIVE, _seeds()):
        if (folder / name).is_file():
            return folder / name
    return None


@cache
def fingerprint_count(source_id: str) -> int | None:
    """The paragraph count in a source's fingerprint, or None when it has none."""
    path = DATA / "sources" / f"{source_id}.yaml"
    return int(_load(path)["paragraphs"]) if path.is_file() else None


@cache
def paragraphs(source_id: str) -> list[str] | None:
    """The non-empty lines of a source's file, or None for a source without a file
    or whose text is not at hand (then only its fingerprint's paragraph count is known)."""
    src = sources()[source_id]
    if not src.get("file"):
        return None
    path = _text_path(source_id)
    if path is None:
        if fingerprint_count(source_id) is None:
            pytest.fail(f"source {source_id}: {src['file']} is in neither {ARCHIVE} nor {SEEDS}, "
                        "and it has no fingerprint")
        return None
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _names(record: dict) -> set[str]:
    out: set[str] = set()
    for value in (record.get("name") or {}).values():
        out.add(str(value))
    for values in (record.get("alias") or {}).values():
        out.update(str(v) for v in (values if isinstance(values, list) else [values]))
    return out


@cache
def entities() -> dict[str, dict]:
    """The entity records of data/entities/*.yaml by id, read once for all the tests."""
    out: dict[str, dict] = {}
    for path in sorted((DATA / "entities").glob("*.yaml")):
        for ent in _load(path) or []:
            assert ent["id"] not in out, f"{path.name}: entity {ent['id']} defined twice"
            out[ent["id"]] = ent
    return out


@cache
def entity_names() -> dict[str, set[str]]:
    out = {eid: _names(ent) for eid, ent in entities().items()}
    regions = DATA / "regions.yaml"
    if regions.is_file():
        for reg in (_load(regions) or {}).get("regions") or []:
            assert reg["id"] not in out, f"regions.yaml: id {reg['id']} also an entity"
            out[reg["id"]] = _names(reg)
    return out


@cache
def iso_names(code: str) -> set[str]:
    import pycountry

    if "-" in code:
        rec, domain = pycountry.subdivisions.get(code=code), "iso3166-2"
    else:
        rec, domain = pycountry.countries.get(alpha_2=code), "iso3166-1"
    if rec is None:
        return set()
    english = {rec.name, ISO_SUFFIX.sub("", rec.name)}
    for attr in ("common_name", "official_name"):
        if getattr(rec, attr, None):
            english.add(getattr(rec, attr))
    try:
        catalog = gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"])
        zh = catalog.gettext(rec.name)
    except OSError:
        zh = rec.name
    names = set(english)
    if zh != rec.name:
        names |= {zh, ZH_SUFFIX.sub("", zh)}
    return {n for n in names if n}


def names_of(ref: str) -> set[str]:
    if ref in entity_names():
        return entity_names()[ref]
    if ISO.match(ref):
        return iso_names(ref)
    return set()


def cited_text(source_id: str, locator: str, where: str) -> str | None:
    """The text of the cited paragraphs; fails when they do not exist."""
    assert source_id in sources(), f"{where}: unknown source {source_id!r}"
    paras = paragraphs(source_id)
    count = len(paras) if paras is not None else fingerprint_count(source_id)
    if count is None:
        return None
    m = LOCATOR.match(str(locator))
    assert m, f"{where}: locator {locator!r} is not p<N> or p<N>-<M>"
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    assert 1 <= first <= last <= count, (
        f"{where}: {source_id} has paragraphs 1..{count}, cited {locator}")
    return "\n".join(paras[first - 1:last]) if paras is not None else None


def _contains_any(text: str, names: set[str]) -> bool:
    low = text.casefold()
    return any(n.casefold() in low for n in names)


def _fact_files() -> list[Path]:
    return sorted((DATA / "facts").glob("*.yaml"))


def _entity_ids() -> list[str]:
    return sorted(entity_names())


def test_source_texts_at_hand_or_fingerprinted():
    """A source with a file has its text in the archive or the seeds, or a fingerprint."""
    assert _seeds().is_dir()
    for sid, src in sources().items():
        if src.get("file"):
            assert _text_path(sid) is not None or fingerprint_count(sid) is not None, (
                f"source {sid}: {src['file']} is in neither {ARCHIVE} nor {SEEDS}, "
                "and it has no fingerprint")


@pytest.mark.parametrize("path", _fact_files(), ids=lambda p: p.name)
def test_facts_cite_text_naming_their_actors(path: Path):
    doc = _load(path)
    source_id = doc["source"]
    assert path.stem == source_id, f"{path.name}: source is {source_id!r}, file named {path.stem!r}"
    problems = []
    for i, fact in enumerate(doc.get("facts") or [], 1):
        where = f"{path.name} fact #{i} (at {fact.get('at')})"
        try:
            text = cited_text(source_id, fact["at"], where)
        except AssertionError as e:
            problems.append(str(e))
            continue
        refs = [str(fact[k]) for k in REF_KEYS if k in fact]
        unknown = [r for r in refs if not names_of(r)]
        if unknown:
            problems.append(f"{where}: unknown or nameless ids {unknown}")
            continue
        if not refs:
            problems.append(f"{where}: refers to no entity")
            continue
        if text is not None and not any(_contains_any(text, names_of(r)) for r in refs):
            problems.append(f"{where}: none of {refs} is named in {source_id}:{fact['at']}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("entity_id", _entity_ids())
def test_entity_seen_where_named(entity_id: str):
    if entity_id not in entities():  # a region from regions.yaml
        return
    seen = entities()[entity_id].get("seen")
    assert seen, f"entity {entity_id}: no seen citations"
    problems = []
    for cite in seen:
        source_id, _, locator = str(cite).partition(":")
        try:
            text = cited_text(source_id, locator, f"entity {entity_id} seen {cite}")
        except AssertionError as e:
            problems.append(str(e))
            continue
        if text is not None and not _contains_any(text, entity_names()[entity_id]):
            problems.append(f"entity {entity_id}: no name of it in {cite}")
    assert not problems, "\n".join(problems)
