"""The store layer: choosing a store, binding values for a remote endpoint, reading its answers."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import UserError
from kg.graph import open_store
from kg.project import Project
from kg.sparql import with_prefixes, with_values
from kg.store.embedded import EmbeddedStore
from kg.store.endpoint import EndpointError, EndpointStore, endpoint_settings, load_endpoint, parse_json_results

EX = "http://example.org/"
G1, G2 = ox.NamedNode(EX + "g1"), ox.NamedNode(EX + "g2")
S, P = ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p")


def test_default_graph_is_the_merge_of_named_graphs() -> None:
    quads = [ox.Quad(S, P, ox.Literal("a"), G1), ox.Quad(S, P, ox.Literal("a"), G2),
             ox.Quad(S, P, ox.Literal("b"), G2)]
    store = EmbeddedStore(quads=quads)
    assert len(store.query("SELECT * WHERE { ?s ?p ?o }").rows) == 2  # each distinct triple once
    assert len(store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows) == 3
    assert sorted(map(str, store.quads())) == sorted(map(str, quads))


def test_values_block_goes_into_the_outer_where_group() -> None:
    q = "CONSTRUCT { ?x <urn:p> ?y } WHERE { ?x <urn:p> ?y . FILTER (?y != '{') }"
    bound = with_values(q, {"x": ox.NamedNode("urn:a")})
    assert bound.startswith("CONSTRUCT { ?x <urn:p> ?y } WHERE { VALUES (?x) { (<urn:a>) }")
    # no WHERE keyword: the first group; braces in strings, IRIs and comments are skipped
    q2 = "# { not this\nSELECT * { ?s ?p \"}{\" }"
    assert with_values(q2, {"s": S}).endswith('{ VALUES (?s) { (<http://example.org/s>) }\n ?s ?p "}{" }')


def test_values_serialize_terms_and_refuse_the_rest() -> None:
    tricky = ox.Literal('a "quoted" } value\n', language="en")
    text = with_values("SELECT ?o WHERE { ?s ?p ?o }", {"o": tricky})
    store = EmbeddedStore(quads=[ox.Quad(S, P, tricky, G1), ox.Quad(S, P, ox.Literal("other"), G1)])
    assert [r[0] for r in store.query(text).rows] == [tricky]  # the literal round-trips exactly
    with pytest.raises(ValueError, match="only IRIs and literals"):
        with_values("SELECT * { ?s ?p ?o }", {"s": ox.BlankNode("b")})
    with pytest.raises(ValueError, match="not a SPARQL variable"):
        with_values("SELECT * { ?s ?p ?o }", {"s }": S})


def test_prefixes_are_added_unless_declared() -> None:
    text = with_prefixes("PREFIX kg: <urn:mine#>\nASK { ?s a kg:X }")
    assert text.count("PREFIX kg:") == 1 and "PREFIX prov:" in text


def test_json_results_with_every_kind_of_term() -> None:
    body = b"""{"head": {"vars": ["a", "b", "c", "d", "e"]}, "results": {"bindings": [
      {"a": {"type": "uri", "value": "urn:x"}, "b": {"type": "literal", "value": "hi", "xml:lang": "en"},
       "c": {"type": "typed-literal", "value": "2", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
       "d": {"type": "bnode", "value": "b0"}}]}}"""
    r = parse_json_results(body)
    assert r.columns == ["a", "b", "c", "d", "e"]
    a, b, c, d, e = r.rows[0]
    assert (a, b, c, e) == (ox.NamedNode("urn:x"), ox.Literal("hi", language="en"),
                            ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), None)
    assert isinstance(d, ox.BlankNode)
    assert parse_json_results(b'{"head": {}, "boolean": true}').boolean is True


def test_endpoint_is_chosen_by_argument_then_env_then_config(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project(tmp_path)
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    assert endpoint_settings(project) == {}
    (tmp_path / "kg.toml").write_text('[store]\nendpoint = "http://conf/sparql"\nupdate = "http://conf/up"\n')
    assert endpoint_settings(project) == {"endpoint": "http://conf/sparql", "update": "http://conf/up"}
    monkeypatch.setenv("KG_ENDPOINT", "http://env/sparql")
    assert endpoint_settings(project) == {"endpoint": "http://env/sparql"}
    assert endpoint_settings(project, "http://arg/sparql") == {"endpoint": "http://arg/sparql"}
    assert endpoint_settings(project, "embedded") == {}
    store = open_store(project, "http://arg/sparql")
    assert isinstance(store, EndpointStore) and store.url == "http://arg/sparql"
    monkeypatch.delenv("KG_ENDPOINT")
    store = open_store(project)
    assert isinstance(store, EndpointStore) and store.update_url == "http://conf/up"


def test_bad_config_is_a_user_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_ENDPOINT", raising=False)
    (tmp_path / "kg.toml").write_text('[store]\nendpiont = "http://x"\n')
    with pytest.raises(UserError, match="unknown key"):
        endpoint_settings(Project(tmp_path))


def test_unreachable_endpoint_says_so() -> None:
    from kg.store.server import free_port

    store = EndpointStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(EndpointError, match="cannot connect"):
        store.query("ASK {}")
    with pytest.raises(EndpointError, match="cannot connect"):
        load_endpoint([ox.Quad(S, P, S, G1)], store)


def test_the_label_index_gives_the_names_the_store_gives(built, monkeypatch):
    """Answers naming thousands of entities read the build's labels.json; it must say what a
    lookup in the store says, entity by entity."""
    import kg.store.embedded

    store = EmbeddedStore(built.store_path)
    iris = [r[0].value for r in store.query("SELECT DISTINCT ?s WHERE { ?s a ?c FILTER (isIRI(?s)) }").rows]
    assert len(iris) > 500
    monkeypatch.setattr(kg.store.embedded, "_BYTES_PER_LOOKUP", 0)
    looked_up = store.labels(iris)  # one lookup per entity: never worth reading the index
    assert store._labels is None
    monkeypatch.setattr(kg.store.embedded, "_BYTES_PER_LOOKUP", 10**9)
    indexed = store.labels(iris)
    assert store._labels is not None
    def names(labels: dict) -> dict:
        return {iri: sorted(map(str, found)) for iri, found in labels.items()}

    assert names(indexed) == names(looked_up)
    assert "téng xùn" in {lit.value for lit in indexed["https://w3id.org/edu-equity-kg/id/tencent"]}
