"""Safety: no network, no remote documents, bound parameters, read-only by default, escaped HTML.

See SECURITY.md for what kg promises; each promise has a test here or names the test that
keeps it (updates and SERVICE in test_query_cli.py, the server in test_server.py, labels in a
real browser in test_render_browser.py, killed builds in test_build.py).
"""

from __future__ import annotations

import contextlib
import inspect
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.ask.questions import list_queries
from kg.ask.running import run, run_named
from kg.build.dataset import Build, build
from kg.build.export import export_bytes
from kg.errors import UserError
from kg.project import Project
from kg.store.embedded import EmbeddedStore

from conftest import ROOT, TINY, copy_tiny, examples

HOSTILE = "<script>alert('kg')</script>"

# Run in a fresh interpreter: every outbound connection and name lookup raises, and is logged.
NO_NETWORK = textwrap.dedent("""
    import socket, sys
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args)[:200])
        raise OSError("network access is blocked in this test")

    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.socket.sendto = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.gethostbyname = refuse

    from click.testing import CliRunner
    from kg.cli import main

    code = 0
    for args in {commands!r}:
        result = CliRunner().invoke(main, args)
        print("$ kg", " ".join(args), "->", result.exit_code)
        print(result.output)
        if result.exception and not isinstance(result.exception, SystemExit):
            import traceback
            traceback.print_exception(result.exception)
        code = code or result.exit_code
    print("ATTEMPTS", attempts)
    sys.exit(code or (3 if attempts else 0))
""")


HOSTILE_FILES = {"data/entities/more.yaml": textwrap.dedent(f"""\
    - id: delta-foundation
      type: Foundation
      name: {{en: "{HOSTILE}", zh: "</script><img src=x onerror=alert(1)>"}}
      seen: [doc-a:p1]
    """), "data/facts/doc-a.yaml": (TINY / "data" / "facts" / "doc-a.yaml").read_text(encoding="utf-8")
    + "  - at: p1\n    actor: delta-foundation\n    role: funder\n    in: gamma-plan\n"}


def _with_questions(project: Project) -> Project:
    """``project`` with the real named questions of queries/."""
    for rq in (ROOT / "queries").glob("*.rq"):
        shutil.copy(rq, project.queries_dir / rq.name)
    return project


@pytest.fixture
def hostile_project(make_project) -> Project:
    """The tiny project with the real named questions and an entity whose name is markup."""
    return _with_questions(make_project(HOSTILE_FILES))


def test_build_query_and_viz_work_with_the_network_blocked(hostile_project: Project, tmp_path: Path):
    page = tmp_path / "page.html"
    p = ["--project", str(hostile_project.root)]
    commands = [["build", *p], ["validate", *p], ["query", "funders", *p],
                ["query", "--sparql", "SELECT ?s WHERE { ?s a kg:Foundation }", *p],
                ["describe", "delta-foundation", *p],
                ["export", "--format", "jsonld", "-o", str(tmp_path / "x.jsonld"), *p],
                ["viz", "-o", str(page), *p]]
    proc = subprocess.run([sys.executable, "-c", NO_NETWORK.format(commands=commands)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ATTEMPTS []" in proc.stdout
    assert "delta-foundation" in proc.stdout  # the query did answer
    html = page.read_text(encoding="utf-8")
    assert HOSTILE not in html and "</script><img" not in html  # the labels are in the page, escaped
    assert "alert(" in html


def test_no_label_becomes_markup_in_the_page(asked: tuple[Build, Project], tmp_path: Path):
    """Parsed as HTML, the page has no element or handler that a label brought in (the hostile
    project as the parameter tests below have it built: the page only reads it)."""
    from html.parser import HTMLParser

    from click.testing import CliRunner

    from kg.cli import main

    page = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["viz", "-o", str(page), "--project", str(asked[1].root)])
    assert result.exit_code == 0, result.output
    tags: list[tuple[str, list]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Tags().feed(page.read_text(encoding="utf-8"))
    assert not [t for t in tags if t[0] == "img"]
    assert not [t for t in tags if any(name.startswith("on") for name, _ in t[1])]
    scripts = [attrs for tag, attrs in tags if tag == "script"]
    assert all("src" not in dict(a) or not str(dict(a)["src"]).startswith("http") for a in scripts)


# ---------------------------------------------------------------------------- RDF parsing


def test_exported_json_ld_names_no_remote_context(built):
    """A consumer of the JSON-LD export has no context to fetch."""
    doc = json.loads(export_bytes(built.nquads, "jsonld"))
    contexts = [d["@context"] for d in _dicts(doc) if "@context" in d]
    assert all(isinstance(c, dict) for c in contexts), contexts[:3]


def _dicts(doc):
    if isinstance(doc, dict):
        yield doc
        for v in doc.values():
            yield from _dicts(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _dicts(v)


def test_json_ld_remote_contexts_are_not_fetched():
    code = NO_NETWORK.split("from click.testing")[0] + textwrap.dedent("""
        import pyoxigraph as ox
        doc = b'{"@context": "https://example.org/context.jsonld", "@id": "https://example.org/a", "name": "x"}'
        try:
            quads = list(ox.parse(doc, format=ox.RdfFormat.JSON_LD))
            print("PARSED", len(quads))
        except (SyntaxError, ValueError, OSError) as e:
            print("REFUSED", type(e).__name__)
        print("ATTEMPTS", attempts)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "ATTEMPTS []" in proc.stdout, proc.stdout + proc.stderr
    assert "REFUSED" in proc.stdout or "PARSED 0" in proc.stdout


def test_kg_parses_only_formats_without_entities_or_remote_documents():
    """kg reads N-Quads (its builds), N-Triples and Turtle (its ontology, endpoint answers) only.

    None of these has entities or remote contexts. RDF/XML must stay out: Oxigraph 0.5's
    RDF/XML parser expands nested internal DTD entities (five levels of ten give 300,000
    characters from one reference; nine levels took 40 s), and JSON-LD may name remote
    contexts. This scans kg/ for every parse call and the formats it names.
    """
    import re

    allowed = {"N_QUADS", "N_TRIPLES", "TURTLE", "nt", "nquads", "turtle"}
    found = 0
    for path in sorted((ROOT / "kg").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\.parse\((.*?)\)\s*(?:\)|$|\n)", text, re.DOTALL):
            call = m.group(1)
            if "format" not in call:
                continue  # not an RDF parse (json, html, dates)
            variable = re.search(r"format=([a-z_]\w*)\b", call)
            if variable:  # format=fmt: the formats its assignments name
                call += " ".join(re.findall(rf"^\s*{variable.group(1)}\s*=\s*(.*)$", text, re.MULTILINE))
            formats = set(re.findall(r"RdfFormat\.(\w+)|format=\"([\w-]+)\"", call))
            named = {a or b for a, b in formats}
            assert named and named <= allowed, f"{path.relative_to(ROOT)}: parses {named or call!r}"
            found += 1
    assert found >= 5  # builds, the ontology, the shapes, SHACL data, endpoint answers


def test_external_entities_are_not_read(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    doc = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="https://example.org/">'
           '<rdf:Description rdf:about="https://example.org/a"><e:p>&x;</e:p></rdf:Description></rdf:RDF>')
    try:
        quads = list(ox.parse(doc.encode(), format=ox.RdfFormat.RDF_XML))
    except SyntaxError:
        return
    assert not any("TOP-SECRET" in q.object.value for q in quads)


# ---------------------------------------------------------------------------- SPARQL


class Recording:
    """An embedded store whose engine records every query text it is sent, as the engine
    receives it (with the ``VALUES`` block of bound terms), and every set of bindings."""

    def __init__(self, store: EmbeddedStore):
        self.store, self.texts, self.bound = store, [], []
        self.engine = engine = store._store
        recording = self

        class Engine:
            def query(self, text, **kw):
                recording.texts.append(text)
                return engine.query(text, **kw)

            def __getattr__(self, name):
                return getattr(engine, name)

        store._store = Engine()

    def query(self, sparql, *, bindings=None):
        self.bound.append((sparql, dict(bindings or {})))
        return self.store.query(sparql, bindings=bindings)

    def quads(self):
        return self.store.quads()

    def size(self) -> int:
        """How many quads the store holds (counted by the engine, not listed)."""
        return len(self.engine)

    def labels(self, iris):
        return self.store.labels(iris)


_VALUES = re.compile(r" VALUES \((?:\?\w+ ?)+\) \{ \((.*)\) \}\n")  # one line: terms escape line breaks


MARK = "kgMARKkg"


INJECTIONS = [f'{MARK}" }} ; DROP ALL ; #', f"{MARK}> . ?s ?p ?o }} #", f"{MARK}' ) UNION {{ ?a ?b ?c }}",
              f"<https://{MARK}.example/>", f"kgid:{MARK}", f"{MARK}\\u0022", f"\n}}\n{MARK}", f"{MARK}*"]


@pytest.fixture(scope="module")
def asked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Project]:
    """The hostile project, built once for the parameter tests, which only read it. Every named
    question and its parameters are the real ones; on a small graph a name that is not there is
    looked for in a third of the time (the did-you-mean search for it was most of the 1 s each
    value took on the curated graph), and the binding does not depend on the graph's size."""
    project = _with_questions(copy_tiny(tmp_path_factory.mktemp("asked")))
    for rel, text in HOSTILE_FILES.items():
        (project.root / rel).write_text(text, encoding="utf-8")
    return build(project), project


def _try_every_parameter(asked: tuple[Build, Project], value: str) -> None:
    built, project = asked
    store = Recording(EmbeddedStore(built.store_path))
    before = store.size()
    for query in list_queries(project):
        for p in query.parameters:
            with contextlib.suppress(UserError):  # refused: not an entity, not a number, not a choice
                run_named(store, query, {p.key: value})
    originals = {text for text, _ in store.bound}
    assert any(MARK in text for text in store.texts), "no question took the value (nothing was tested)"
    for text in store.texts:
        if MARK not in text:
            continue
        # the value reached the engine only as one RDF term of the VALUES block of bindings:
        # take the block out and what is left is a query text the program wrote, unchanged
        block = _VALUES.search(text)
        assert block is not None, text
        assert text[:block.start()] + text[block.end():] in originals
        assert MARK not in text[:block.start()] + text[block.end():]
        terms = [t for _, b in store.bound for t in b.values() if MARK in str(t)]
        assert any(str(t) in block.group(1) for t in terms)
        assert all(isinstance(t, ox.Literal | ox.NamedNode) for t in terms)
    assert store.size() == before


@pytest.mark.parametrize("value", INJECTIONS)
def test_parameter_values_are_bound_never_spliced(asked, value):
    """Whatever a user passes as a parameter, it never becomes part of a query's text."""
    _try_every_parameter(asked, value)


# Ten random texts beside the eight crafted INJECTIONS above: each tries every parameter of every
# named question (about 0.2 s of CPU on the hostile project, mostly the did-you-mean search, over
# the ontology's labels too, for a name that is not there; 0.35 s while it read the names twice).
@settings(max_examples=examples(10))
@given(st.text(max_size=20).map(lambda s: s + MARK))
def test_any_parameter_text_is_bound_never_spliced(asked, value):
    _try_every_parameter(asked, value)


@pytest.mark.parametrize("sparql", [
    "DROP ALL", "CLEAR DEFAULT", "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }", "LOAD <https://example.org/x.ttl>",
    "PREFIX x: <urn:x#> WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
])
def test_updates_and_service_are_refused_by_default(built, sparql):
    store = EmbeddedStore(built.store_path)
    with pytest.raises(UserError, match="refused"):
        run(store, sparql)


def test_the_server_defaults_to_loopback_and_read_only():
    import click

    from kg.cli.scale import serve_cmd
    from kg.store.server import Server

    defaults = inspect.signature(Server.__init__).parameters
    assert defaults["bind"].default == "127.0.0.1"
    assert defaults["writable"].default is False
    ctx = click.Context(serve_cmd)
    options = {p.name: p for p in serve_cmd.params}
    assert options["bind"].get_default(ctx) == "127.0.0.1"
    assert options["writable"].get_default(ctx) is False


def test_build_outputs_stay_inside_the_build_folder(hostile_project: Project):
    b = build(hostile_project)
    assert b.path.parent == hostile_project.build_dir
    assert not list(hostile_project.root.glob(".tmp-*"))
