"""The build: output is deterministic, rebuilds only on change, atomic.

That the curated data validates is checked once, by the doctest of kg.graph.Graph.validate (the
command's answer by test_cli.py::test_validate_passes_on_a_valid_project); every build checks it too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pyoxigraph as ox

from kg.build.dataset import build, current, ensure_built, is_fresh
from kg.store.embedded import EmbeddedStore


def test_two_builds_are_byte_identical(make_project, tmp_path):
    project = make_project()
    first = build(project, force=True).nquads.read_bytes()
    second = build(project, force=True).nquads.read_bytes()
    assert first == second
    assert first.count(b"\n") > 100


def test_rebuilds_only_when_an_input_changes(make_project):
    project = make_project()
    b1 = build(project)
    assert b1.rebuilt
    b2 = build(project)
    assert not b2.rebuilt and b2.path == b1.path
    # touching a file without changing it keeps the build
    facts = project.data_dir / "facts" / "doc-a.yaml"
    os.utime(facts, (time.time() + 5, time.time() + 5))
    assert is_fresh(project)
    # a real change rebuilds
    facts.write_text(facts.read_text(encoding="utf-8") + "  - at: p1\n    subject: gamma-plan\n"
                     "    theme: rural-education\n", encoding="utf-8")
    assert not is_fresh(project)
    b3 = ensure_built(project)
    assert b3.rebuilt and b3.path != b1.path
    assert b1.path.exists()  # the previous build stays for processes still reading it
    assert current(project).path == b3.path
    facts.write_text(facts.read_text(encoding="utf-8") + "  - at: p1\n    subject: gamma-plan\n"
                     "    theme: education-equity\n", encoding="utf-8")
    b4 = build(project)
    assert b4.rebuilt and not b1.path.exists() and b3.path.exists()  # older ones are cleaned up


def test_an_edit_that_keeps_the_size_is_seen(make_project):
    """The content decides, not the size: a process that has hashed a file reads it again
    once its modification time changed (kg.build.state keeps each digest per size and time)."""
    project = make_project()
    build(project)
    facts = project.data_dir / "facts" / "doc-a.yaml"
    text = facts.read_text(encoding="utf-8")
    edited = text.replace("p1", "p2", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    os.utime(facts, (time.time() + 5, time.time() + 5))
    assert is_fresh(project)  # touched: its content hashed again, and the same
    facts.write_text(edited, encoding="utf-8")
    assert not is_fresh(project)


def test_a_damaged_build_is_made_again_and_opened_anew(make_project):
    """A build whose folder was damaged by hand is made again under the same name; a process that
    had it open then reads the new one (kg.store.embedded.build_store keeps opened stores)."""
    import shutil

    from kg.graph import open_store

    project = make_project()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    first = open_store(project)
    assert open_store(project) is first  # kept open
    path = current(project).path
    shutil.rmtree(path / "store")  # removed by hand: the build is no longer intact
    again = open_store(project)
    assert current(project).path == path and again is not first
    assert again.query(count).rows == first.query(count).rows


def test_every_triple_traces_to_a_source_and_locator(built):
    store = EmbeddedStore(built.store_path)
    untraced = store.query("""
        SELECT (COUNT(*) AS ?n) WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER (?g NOT IN (graph:ontology, graph:sources, graph:provenance, graph:derived))
          FILTER NOT EXISTS { ?g prov:wasDerivedFrom ?src ; kg:locator ?loc . ?src a kg:Source }
        }""")
    assert int(untraced.rows[0][0].value) == 0


def test_provenance_of_a_role_is_queryable(built):
    store = EmbeddedStore(built.store_path)
    result = store.query("""
        SELECT ?source ?locator WHERE {
          GRAPH ?fact { ?p prov:agent kgid:tencent-education ; prov:hadRole role:lead ;
                        kg:activity kgid:guanghe-plan }
          ?fact prov:wasDerivedFrom ?source ; kg:locator ?locator .
        }""")
    cites = {(r[0].value.rsplit("/", 1)[1], r[1].value) for r in result.rows}
    assert ("guanghe-2019", "p1") in cites


def test_default_graph_counts_a_triple_once(built):
    store = EmbeddedStore(built.store_path)
    # Tencent is named in several documents; its English name is still one triple
    result = store.query('SELECT (COUNT(*) AS ?n) WHERE { kgid:tencent skos:prefLabel "Tencent"@en }')
    assert result.rows[0][0].value == "1"


def test_an_interrupted_build_leaves_the_previous_one(make_project):
    project = make_project()
    first = build(project)
    facts = project.data_dir / "facts" / "doc-a.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("rural schools reached", "schools"),
                     encoding="utf-8")
    code = (
        "import os, sys, kg.build.dataset as b\n"
        "from kg.project import Project\n"
        "orig = b._write\n"
        "def dying(*a, **k):\n"
        "    import kg.build.triples as t\n"
        "    real = t.serialize_nquads\n"
        "    def half(q):\n"
        "        data = real(q)\n"
        "        os._exit(9)\n"
        "    return orig(*a[:5], half, *a[6:], **k)\n"
        "b._write = dying\n"
        f"b.build(Project(__import__('pathlib').Path({str(project.root)!r})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert proc.returncode == 9
    assert current(project).path == first.path
    store = EmbeddedStore(current(project).store_path)
    assert store.query("ASK { ?s a kg:Target }").boolean
    assert ox.NamedNode  # the store still opens and answers after the killed build
