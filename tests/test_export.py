"""Exports: each format re-imports isomorphic to the build, and is deterministic."""

from __future__ import annotations

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.build.export import FORMATS, export_bytes
from kg.cli import main

RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "nt": "nt", "nquads": "nquads", "jsonld": "json-ld"}


def _as_dataset(data: bytes, fmt: str) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
    return ds


@pytest.fixture(scope="module")
def reference(built):
    ds = rdflib.Dataset()
    ds.parse(built.nquads, format="nquads")
    return ds


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_reimports_isomorphic(fmt, built, reference):
    data = export_bytes(built.nquads, fmt)
    assert data == export_bytes(built.nquads, fmt)  # deterministic
    back = _as_dataset(data, fmt)
    if FORMATS[fmt][1]:  # quad formats keep every fact graph
        graphs = {g.identifier for g in reference.graphs() if len(g)}
        assert {g.identifier for g in back.graphs() if len(g)} == graphs
        for name in sorted(graphs)[:50] + sorted(graphs)[-50:]:
            assert isomorphic(back.graph(name), reference.graph(name)), name
        assert sum(len(g) for g in back.graphs()) == sum(len(g) for g in reference.graphs())
    else:  # triple formats hold the merge of all graphs
        merged = rdflib.Graph()
        for s, p, o, _ in reference.quads((None, None, None, None)):
            merged.add((s, p, o))
        flat = rdflib.Graph()
        for s, p, o, _ in back.quads((None, None, None, None)):
            flat.add((s, p, o))
        assert isomorphic(flat, merged)


def test_cli_export_nquads_writes_the_dataset(tmp_path, built, project):
    out = tmp_path / "x.nq"
    result = CliRunner().invoke(main, ["export", "--format", "nquads", "-o", str(out),
                                       "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == built.nquads.read_bytes()
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left behind
