"""The ontology file: every term documented, every vocab term defined, shapes cover the data."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.model.vocab import GRAPH, KG, SH

KGNS = rdflib.Namespace(str(KG))


def _graph(path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def test_ontology_has_version_iri_and_labels(project):
    g = _graph(project.ontology_file)
    onto = KGNS.ontology
    assert (onto, RDF.type, OWL.Ontology) in g
    assert g.value(onto, OWL.versionIRI) is not None
    langs = {lit.language for lit in g.objects(onto, RDFS.label)}
    assert {"en", "zh"} <= langs


def test_every_class_and_property_has_english_and_chinese_labels_and_a_comment(project):
    g = _graph(project.ontology_file)
    terms = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.ObjectProperty)) \
        | set(g.subjects(RDF.type, OWL.DatatypeProperty))
    terms = {t for t in terms if str(t).startswith(str(KG))}
    assert len(terms) > 40
    for t in sorted(terms):
        langs = {lit.language for lit in g.objects(t, RDFS.label)}
        assert {"en", "zh"} <= langs, t
        assert any(c.language == "en" for c in g.objects(t, RDFS.comment)), t


def test_every_term_the_code_uses_is_defined(project):
    g = _graph(project.ontology_file)
    defined = {str(s)[len(str(KG)):] for s in g.subjects() if str(s).startswith(str(KG))}
    assert KG.terms <= defined, sorted(KG.terms - defined)


def test_every_role_has_both_labels_and_is_in_the_scheme(project):
    g = _graph(project.ontology_file)
    roles = set(g.subjects(RDF.type, KGNS.Role))
    assert {r.split("/")[-1] for r in roles} >= {
        "initiator", "lead", "funder", "implementer", "partner", "supporter", "guide", "host",
        "organizer", "participant", "beneficiary"}
    for r in roles:
        assert (r, SKOS.inScheme, KGNS.Roles) in g
        assert {lit.language for lit in g.objects(r, SKOS.prefLabel)} >= {"en", "zh"}


def test_shapes_cover_every_class_the_data_uses(project, built):
    shapes = _graph(project.shapes_file)
    onto = _graph(project.ontology_file)
    sh = rdflib.Namespace(str(SH))
    targets = set(shapes.objects(None, sh.targetClass))
    data = rdflib.Dataset()
    data.parse(built.nquads, format="nquads")
    ontology_graph = rdflib.URIRef(GRAPH.ontology)
    used = {o for _, _, o, g in data.quads((None, RDF.type, None, None)) if g != ontology_graph}
    assert len(used) > 20
    for cls in sorted(used):
        ancestors = set(onto.transitive_objects(cls, RDFS.subClassOf))
        assert ancestors & targets, f"no shape targets {cls} or a superclass"
