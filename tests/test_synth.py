"""Synthetic data: same seed, same files; a valid build of about the asked size; skewed roles."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build.dataset import build
from kg.cli import main
from kg.curation.synth import parse_scale, write_synthetic
from kg.project import Project
from kg.store.embedded import EmbeddedStore


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
                "kg:Summit", "kg:Program", "kg:Amount"):
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
    assert (out / "data" / "facts").is_dir() and (out / "kg.toml").is_file()


def test_screened_shacl_reports_what_full_pyshacl_reports(tmp_path: Path) -> None:
    """The fast SHACL path (SPARQL screen, then pySHACL on the suspects) finds the same problems
    as pySHACL over everything, on data broken in many ways at once. (A synthetic project of
    scale 3,000, not the 10,000 built above: pySHACL over everything is most of this test's time,
    a third of it here, and the same 80 breakages give as many problems, of as many kinds.)"""
    import random

    import pyoxigraph as ox
    import rdflib

    from kg.build.triples import dataset_quads
    from kg.build.validate import pyshacl_problems, shacl_problems
    from kg.curation.reader import load_curation

    write_synthetic(tmp_path, scale=3_000, seed=1)
    project = Project(tmp_path)
    cur, _ = load_curation(project)
    locations: dict = {}
    quads = dataset_quads(cur, locations)
    rng = random.Random(11)
    for _ in range(40):
        quads.pop(rng.randrange(len(quads)))
    quads.remove(next(q for q in quads if q.predicate.value == "http://www.w3.org/2004/02/skos/core#inScheme"
                      and "/beneficiary/" in q.subject.value))  # a group out of its scheme (sh:hasValue)
    xsd, n = "http://www.w3.org/2001/XMLSchema#", ox.NamedNode
    preds = ["http://www.w3.org/2004/02/skos/core#prefLabel", "https://schema.org/value",
             "https://schema.org/startDate", "http://www.w3.org/ns/prov#agent",
             "https://w3id.org/edu-equity-kg/ontology#isoCode", "https://w3id.org/edu-equity-kg/ontology#locator",
             "https://schema.org/containedInPlace", "https://w3id.org/edu-equity-kg/ontology#confidence",
             "http://www.w3.org/ns/org#subOrganizationOf", "https://w3id.org/edu-equity-kg/ontology#sourceKind",
             "http://www.w3.org/ns/org#memberOf", "https://w3id.org/edu-equity-kg/ontology#rollsUpTo",
             "https://schema.org/containsPlace", "https://schema.org/audience"]
    objs = [ox.Literal("x", language="en"), ox.Literal("2019", datatype=n(xsd + "gYear")),
            ox.Literal("20x9", datatype=n(xsd + "gYear")), ox.Literal(""), ox.Literal("cn-xx"),
            ox.Literal("5", datatype=n(xsd + "decimal")), n("https://w3id.org/edu-equity-kg/id/CN"),
            n("https://w3id.org/edu-equity-kg/ontology#high"), ox.Literal("blog")]
    subjects = sorted({q.subject.value for q in quads})
    graph = n("https://w3id.org/edu-equity-kg/fact/test/p1-0")
    quads += [ox.Quad(n(rng.choice(subjects)), n(rng.choice(preds)), rng.choice(objs), graph) for _ in range(40)]
    text = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES)
    shapes = rdflib.Graph().parse(project.shapes_file, format="turtle")
    full = sorted(set(pyshacl_problems(rdflib.Graph().parse(data=text, format="nt"), shapes, locations)))
    fast = sorted(set(shacl_problems(project.shapes_file, quads, locations)))
    assert len(full) > 10 and fast == full


def test_every_shape_is_screened(project: Project) -> None:
    """The ontology's shapes all compile into the SPARQL screen, so a build sends only the
    suspects through pySHACL, never the whole dataset (a shape using a feature the screen does
    not know would make every build as slow as pySHACL over everything)."""
    import pyoxigraph as ox
    import rdflib

    from kg.build.validate import screen_queries

    shapes = rdflib.Graph().parse(project.shapes_file, format="turtle")
    assert screen_queries(shapes, ox.Store()) is not None
