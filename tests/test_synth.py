"""Synthetic data: same seed, same files; a valid build of about the asked size; skewed roles."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import main
from kg.project import Project
from kg.store import EmbeddedStore
from kg.synth import parse_scale, write_synthetic


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted((root / "data").rglob("*.yaml")):
        h.update(f.relative_to(root).as_posix().encode() + f.read_bytes())
    return h.hexdigest()


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    write_synthetic(tmp_path / "a", scale=4000, seed=3)
    write_synthetic(tmp_path / "b", scale=4000, seed=3)
    write_synthetic(tmp_path / "c", scale=4000, seed=4)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b") != _digest(tmp_path / "c")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, EmbeddedStore]:
    root = tmp_path_factory.mktemp("synth")
    write_synthetic(root, scale=10_000, seed=1)
    project = Project(root)
    b = build(project)
    return project, EmbeddedStore(b.store_path)


def test_build_is_valid_and_about_the_asked_size(built: tuple[Project, EmbeddedStore]) -> None:
    _, store = built
    n = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].value)
    assert 7_000 <= n <= 14_000


def test_every_part_of_the_model_is_exercised(built: tuple[Project, EmbeddedStore]) -> None:
    _, store = built
    for cls in ("kg:Participation", "org:Post", "kg:Target", "kg:Outcome", "kg:Statistic", "kg:City",
                "kg:District", "kg:Province", "kg:Country", "kg:OrganizationalUnit", "kg:Policy",
                "kg:Summit", "kg:Program"):
        assert store.query(f"ASK {{ ?x a {cls} }}").boolean, cls
    sparql = "SELECT DISTINCT (LANG(?l) AS ?g) { ?x skos:prefLabel|skos:altLabel ?l }"
    langs = {r[0].value for r in store.query(sparql).rows}
    assert {"en", "zh", "zh-latn-pinyin"} <= {x.lower() for x in langs}
    assert store.query("ASK { ?o a kg:Company ; skos:prefLabel ?en, ?zh "
                       "FILTER (LANG(?en) = 'en' && LANG(?zh) = 'zh') }").boolean


def test_participation_is_skewed(built: tuple[Project, EmbeddedStore]) -> None:
    _, store = built
    rows = store.query("SELECT ?a (COUNT(*) AS ?n) WHERE { ?p prov:agent ?a } GROUP BY ?a").rows
    counts = sorted((int(n.value) for _, n in rows), reverse=True)
    assert counts[0] >= 10 * counts[len(counts) // 2]  # a hub has ten times the roles of the median actor
    assert Counter(counts)[1] > len(counts) / 3  # and many actors have one role only


def test_scale_parsing() -> None:
    assert parse_scale("10k") == 10_000 and parse_scale("1M") == 1_000_000
    with pytest.raises(ValueError):
        parse_scale("lots")


def test_cli_refuses_to_overwrite_curated_data(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sources.yaml").write_text("sources: []\n")
    result = CliRunner().invoke(main, ["synth", "--scale", "2k", "-o", str(tmp_path)])
    assert result.exit_code == 1 and "not synthetic" in result.output
    out = tmp_path / "new"
    result = CliRunner().invoke(main, ["synth", "--scale", "2k", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "data" / "facts").is_dir() and (out / "ontology" / "shapes.ttl").is_file()
