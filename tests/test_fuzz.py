"""Property-based tests: whatever curated files a user writes, kg gives a build or clean problems.

Hypothesis writes entities and facts files, valid and broken: well-formed records with wrong
values, hostile and right-to-left labels, then half-finished YAML (cut short, a character
dropped, a tab, a lone CR, a bidi override pasted in). For each, :func:`kg.build.dataset.build`
must succeed and give the same bytes twice, or refuse with problems, never another exception;
every problem must point into a curated file at a line it has, and
:func:`kg.build.validate.validate` must report the same problems. Each property states its
examples for `make test` (derandomized: the same each run, about 15 s of CPU for this file);
``pytest -m slow --hypothesis-profile=long`` draws ten times as many, afresh (see conftest.py).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

from kg.build.dataset import build
from kg.build.triples import dataset_quads, serialize_nquads
from kg.build.validate import validate
from kg.curation.reader import load_curation
from kg.curation.yamlio import INVISIBLE, Map, Seq, Text, parse_yaml
from kg.errors import Problem, UserError
from kg.project import Project

from conftest import copy_tiny, examples

# The budgets of `make test` (the profile in conftest.py scales them): a valid build of a drawn
# project costs about 0.35 s of CPU (its SHACL run most of it), a refused one about 40 ms. The two
# curation properties split the drawing: 100 examples of hand-damaged files (about one in twenty
# still builds; 5 s of CPU) and 20 of careful curation (all build; 7 s). Once one property drew
# both kinds, and half of its 40 examples were careful curation built again. Reading YAML or
# checking a query text costs milliseconds, so those get 300.
BUILDS = settings(max_examples=examples(100))
CAREFUL = settings(max_examples=examples(20))
QUERIES = settings(max_examples=examples(60))  # a query run or a CLI command: ~30 ms each
FAST = settings(max_examples=examples(300))

# ---------------------------------------------------------------------------- strategies

ENTITIES = ["alpha-foundation", "beta-network", "gamma-plan"]
NEW_IDS = ["delta", "epsilon-co", "zeta-summit", "eta-2021", "theta"]
TYPES = ["Company", "Foundation", "Program", "Summit", "Person", "Document", "Goal", "Charity", "company"]
ROLES = ["initiator", "funder", "partner", "lead", "attendee", "leader", "Funder"]
RELATIONS = ["part_of", "location", "start", "end", "published", "reaches", "theme", "announced_at"]
HOSTILE = [
    "<script>alert(1)</script>", "\"'><img src=x onerror=alert(1)>", "{{7*7}}", "${jndi:ldap://x}",
    "'; DROP TABLE x; --", "مؤسسة دلتا", "מוסד דלתא", "腾讯教育", "Ünïcödé", "e\u0301cole", "a\u202eb",
    "zero\u200bwidth", "tab\there", "line\nbreak", "no", "yes", "~", "null", "2018-05-10", "1,000",
    "@ref", "!tag", "& anchor", "* alias", "- dash", "# hash", "key: value", "[x]", "{x}", "%", "|",
    "\\", "\"", "'", "x" * 600, "\ufeffbom", "\x07bell", "\U0001f600",
]
LOCATORS = ["p1", "p2", "p3", "p1-3", "p3-1", "p9", "p0", "page 3", "p²", "", "P1"]
DATES = ["2021", "2021-04", "2021-04-20", "--12-04", "2021-02-30", "2021-13", "20 18", "1e3", "99999"]
NUMBERS = ["100", "0", "-3", "2.5", "1,000", "10 000", "1e6", "NaN", "０１２"]

any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
label = st.one_of(st.sampled_from(["Delta", "Epsilon Co", "德尔塔"]), st.sampled_from(HOSTILE), any_text)
scalar = st.one_of(st.integers(-10**12, 10**12), st.floats(allow_nan=True), st.booleans(), st.none(), label)
junk = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(label, inner, max_size=3),
                    max_leaves=6)


def maybe(value: st.SearchStrategy, junk_share: int = 8, *, good: bool = False) -> st.SearchStrategy:
    """Mostly ``value``, sometimes anything at all (never when ``good``)."""
    return value if good else st.one_of(*[value] * junk_share, junk)


# What a careful curator writes: known ids, types, roles, locators, dates; any legal label.
GOOD_LABEL = st.one_of(st.sampled_from(["Delta", "Epsilon Co", "德尔塔", "<script>alert(1)</script>",
                                        "\"'><img src=x onerror=alert(1)>", "مؤسسة دلتا", "מוסד דלתא",
                                        "e\u0301cole", "'; DROP TABLE x; --", "{{7*7}}", "no", "~ null",
                                        "\U0001f600 emoji", "x" * 500]),
                       st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
                               min_size=1, max_size=30).filter(str.strip))


ident = st.one_of(st.sampled_from(ENTITIES + NEW_IDS + ["CN", "CN-AH", "cn-ah", "Delta_Co"]), any_text)
citation = st.builds(lambda s, loc: f"{s}:{loc}", st.sampled_from(["doc-a", "curators", "doc-z"]),
                     st.sampled_from(LOCATORS))
langmap = st.dictionaries(st.sampled_from(["en", "zh", "fr"]), label, min_size=1, max_size=2)


@st.composite
def entity(draw, good: bool = False) -> dict:
    if good:
        kind = draw(st.sampled_from(["Company", "Foundation", "Program", "Summit", "Person"]))
        e = {"id": f"{draw(st.sampled_from(NEW_IDS))}-{kind.lower()}", "type": kind,
             "name": draw(st.dictionaries(st.sampled_from(["en", "zh"]), GOOD_LABEL, min_size=1, max_size=2)),
             "seen": draw(st.lists(st.sampled_from(["doc-a:p1", "doc-a:p2", "doc-a:p1-3", "curators:any text"]),
                                   min_size=1, max_size=2))}
    else:
        e = {"id": draw(maybe(st.sampled_from(NEW_IDS + ENTITIES), 4)), "type": draw(maybe(st.sampled_from(TYPES))),
             "name": draw(maybe(langmap)), "seen": draw(maybe(st.lists(citation, min_size=1, max_size=3)))}
    text = GOOD_LABEL if good else label
    if draw(st.booleans()):
        e["alias"] = draw(maybe(st.dictionaries(st.sampled_from(["en", "zh"]), st.lists(text, max_size=2)),
                                good=good))
    if draw(st.booleans()):
        e["note"] = draw(maybe(text, good=good))
    return e if good else _mutate(draw, e)


ORGS = ["alpha-foundation", "beta-network"]


@st.composite
def fact(draw, good: bool = False) -> dict:
    form = draw(st.sampled_from(["role", "figure", "relation"] + ([] if good else ["post", "none"])))
    ids = st.sampled_from(ENTITIES) if good else ident
    f: dict = {"at": draw(st.sampled_from(["p1", "p2", "p3", "p1-2"])) if good else
               draw(maybe(st.sampled_from(LOCATORS)))}
    if form == "role":
        f |= {"actor": draw(st.sampled_from(ORGS)) if good else draw(ident),
              "role": draw(st.sampled_from(ROLES[:5]) if good else maybe(st.sampled_from(ROLES))),
              "in": "gamma-plan" if good else draw(ident)}
    elif form == "figure":
        f |= {draw(st.sampled_from(["target", "outcome", "statistic"])):
              draw(st.sampled_from(["100", "0", "2.5"]) if good else maybe(st.sampled_from(NUMBERS))),
              "of": draw(ids), "counts": draw(maybe(langmap, good=good)) if not good else {"en": draw(GOOD_LABEL)}}
        if draw(st.booleans()):
            f["as_of"] = draw(st.sampled_from(DATES[:4] if good else DATES))
    elif form == "relation":
        key = draw(st.sampled_from(["start", "end", "theme", "reaches"] if good else RELATIONS))
        obj = st.sampled_from(DATES[:4] if good else DATES) if key in ("start", "end", "published") else \
            st.sampled_from(["rural-education"] if good else ["rural-education", "rural"]) if key == "theme" else \
            st.sampled_from(["CN-AH", "CN", "CN-BJ"]) if good else ident
        f |= {"subject": "gamma-plan" if good else draw(ident), key: draw(maybe(obj, good=good))}
    elif form == "post":
        f |= {"person": draw(ident), "post": draw(maybe(langmap)), "org": draw(ident)}
    for key in ("note", "confidence", "stated", "inferred"):
        if draw(st.integers(0, 5)) == 0:
            f[key] = draw(maybe(st.sampled_from(["high", "low"] if good else ["high", "low", "sure"])
                                if key == "confidence" else GOOD_LABEL if good else label, good=good))
    if good and "stated" in f:  # a careful curator's stated words are the cited paragraph's
        f["stated"] = STATED_IN[f["at"]]
    return f if good else _mutate(draw, f)


# words of tests/data/tiny/seeds/doc-a.txt, by the locator that cites them
STATED_IN = {"p1": "Gamma Plan", "p2": "100 rural schools", "p3": "伽马计划", "p1-2": "Anhui by 2025"}


def _mutate(draw, record: dict) -> dict:
    """Sometimes drop a key or add an unknown one."""
    if record and draw(st.integers(0, 6)) == 0:
        record.pop(draw(st.sampled_from(sorted(record))))
    if draw(st.integers(0, 8)) == 0:
        record[draw(st.sampled_from(["since", "Name", "id ", "role"]))] = draw(junk)
    return record


def dump(draw, value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=draw(st.booleans()), sort_keys=False, width=10**6,
                          default_flow_style=draw(st.sampled_from([False, None, True])))


@st.composite
def damaged(draw, text: str) -> str:
    """``text`` as a hand edit might leave it: cut short, a character lost or pasted in."""
    kind = draw(st.sampled_from(["intact"] * 4 + ["cut", "drop", "insert", "line", "crlf"]))
    if not text or kind == "intact":
        return text
    i = draw(st.integers(0, len(text) - 1))
    if kind == "cut":
        return text[:i]
    if kind == "drop":
        return text[:i] + text[i + 1:]
    if kind == "insert":
        c = draw(st.sampled_from(["\t", ":", "[", "{", "-", "\r", "\x07", "\u202e", "\ufeff", "'", '"', "&", "*",
                                  "\n", "  ", "#", "\u2028", "\x85"]))
        return text[:i] + c + text[i:]
    if kind == "line":
        lines = text.split("\n")
        j = draw(st.integers(0, len(lines) - 1))
        return "\n".join(lines[:j] + [lines[j]] + lines[j:])
    return text.replace("\n", "\r\n")


@st.composite
def curated_files(draw, good: bool = False) -> dict[str, bytes]:
    """An entities file and a facts file for the tiny project; when not ``good``, often broken."""
    entities = draw(st.lists(entity(good), max_size=4, unique_by=lambda e: str(e.get("id"))))
    facts = draw(st.lists(fact(good), min_size=1 if good else 0, max_size=5))
    facts_doc: object = {"source": draw(maybe(st.sampled_from(["doc-a"]), 12, good=good)), "facts": facts}
    files = {"data/entities/more.yaml": dump(draw, entities), "data/facts/doc-a.yaml": dump(draw, facts_doc)}
    if good and not entities:
        del files["data/entities/more.yaml"]
    out = {}
    for path, text in files.items():
        text = text if good else draw(damaged(text))
        if draw(st.booleans()):
            text = text.replace("\n", "\r\n")
        data = text.encode("utf-8")
        encoding = draw(st.sampled_from(["utf-8"] * 6 + ["bom"] + ([] if good else ["latin-1"])))
        if encoding == "bom":
            data = b"\xef\xbb\xbf" + data
        elif encoding == "latin-1":
            data = text.encode("latin-1", errors="replace")
        out[path] = data
    return out


# ---------------------------------------------------------------------------- helpers


@contextmanager
def tiny_project(files: dict[str, bytes]) -> Iterator[Project]:
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_tiny(Path(tmp))
        for rel, data in files.items():
            (project.root / rel).parent.mkdir(parents=True, exist_ok=True)
            (project.root / rel).write_bytes(data)
        yield project


def assert_clean(problems: list[Problem], project: Project) -> None:
    """Every problem names a curated file and a line it has (or the file as a whole)."""
    assert isinstance(problems, list)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.message and "Traceback" not in p.message
        path = project.root / p.file
        assert p.file.startswith("data/") and path.is_file(), str(p)
        lines = path.read_bytes().count(b"\n") + 1
        assert 0 <= p.line <= lines, f"{p} (the file has {lines} lines)"


# ---------------------------------------------------------------------------- properties


@BUILDS
@given(curated_files())
def test_any_curated_files_give_a_build_or_clean_problems(files):
    """Files as a hurried hand leaves them: wrong values, unknown keys, damaged YAML. (What a
    careful curator writes goes through the same check below, where it must also build.)"""
    check_build_or_problems(files)


@CAREFUL
@given(curated_files(good=True))
def test_careful_curation_builds(files):
    """What a careful curator writes (hostile and right-to-left labels included) builds."""
    problems = check_build_or_problems(files)
    assert problems == [], problems


def check_build_or_problems(files: dict[str, bytes]) -> list[Problem]:
    """``kg build`` either succeeds or refuses with clean problems, the very ones ``kg validate``
    reports. The build first: it runs the same checks as :func:`validate` on the store it writes,
    so a build that succeeds has been validated (validating again doubled the cost of a valid
    example, the SHACL run being most of it)."""
    with tiny_project(files) as project:
        try:
            first = build(project)
        except UserError as refused:
            problems = refused.problems
            assert problems, "a refused build names its problems"
            assert_clean(problems, project)
            assert sorted(set(validate(project))) == sorted(set(problems))  # kg validate says the same
            event("problems")
            return problems
        event("a valid build")
        assert first.quads > 0
        again = serialize_nquads(dataset_quads(load_curation(project)[0]))  # deterministic
        assert again == first.nquads.read_bytes()
        assert len(list(ox.parse(path=str(first.nquads), format=ox.RdfFormat.N_QUADS))) == first.quads
        return []


@FAST
@given(st.text(max_size=300) | st.binary(max_size=300).map(lambda b: b.decode("utf-8", errors="replace")))
def test_the_yaml_reader_never_raises(text):
    value, problems = parse_yaml(text, "f.yaml")
    lines = text.count("\n") + 1
    for p in problems:
        assert 0 <= p.line <= lines, p
    if problems:
        return
    assert value is None or isinstance(value, Map | Seq | Text)


@FAST
@given(st.recursive(st.none() | st.text(max_size=8) | st.integers(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
                    max_leaves=20))
def test_well_formed_yaml_reads_back_as_text(value):
    """Any YAML document PyYAML writes is read without problems, every scalar kept as text."""
    text = yaml.safe_dump(value, allow_unicode=True)
    if re.search(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{INVISIBLE}]", text):
        return  # characters the reader refuses on purpose (see data/README.md)
    if "<<" in _keys(value):
        return  # a merge key, also refused on purpose
    doc, problems = parse_yaml(text, "f.yaml")
    assert problems == []
    assert _plain(doc) == _as_text(value)


def _keys(v) -> set:
    if isinstance(v, dict):
        return {str(k) for k in v} | {k for x in v.values() for k in _keys(x)}
    if isinstance(v, list):
        return {k for x in v for k in _keys(x)}
    return set()


def _plain(v):
    if isinstance(v, Map):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, Seq):
        return [_plain(x) for x in v]
    return None if v is None else str(v)


def _as_text(v):
    if isinstance(v, dict):
        return {("" if k is None else str(k)): _as_text(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_as_text(x) for x in v]
    return None if v is None else str(v)


# ---------------------------------------------------------------------------- found by fuzzing, kept


def test_a_hundred_thousand_nested_brackets_are_a_problem_not_a_crash():
    """Deep nesting crashed the C composer (segmentation fault) and the converter (RecursionError)."""
    text = "facts: " + "[" * 100_000 + "]" * 100_000 + "\n"
    _, problems = parse_yaml(text, "f.yaml")
    # which reader stops it first (ours at 32 levels, or libyaml's own limit since PyYAML 6.0.4)
    # is theirs to change: assert the place and that it is one problem, not their words
    assert [(p.file, p.line) for p in problems] == [("f.yaml", 1)]


def test_free_text_locators_build(make_project):
    """A source without a file takes any short text as locator; 'page 3' made an invalid IRI."""
    # (the curators' source, without a file, may state affiliations only, each with a note)
    project = make_project({"data/facts/curators.yaml": "source: curators\nfacts:\n"
                            "  - at: page 3 ¶2\n    subject: alpha-foundation\n    member_of: beta-network\n"
                            "    note: well known\n"
                            "  - at: p²\n    subject: beta-network\n    founded_by: alpha-foundation\n"
                            "    note: well known\n"})
    assert validate(project) == []
    quads = list(ox.parse(path=str(build(project).nquads), format=ox.RdfFormat.N_QUADS))
    locators = {q.object.value for q in quads if q.predicate.value.endswith("#locator")}
    assert {"page 3 ¶2", "p²"} <= locators


# ---------------------------------------------------------------------------- SPARQL text
# Whatever query text a user types, kg answers or refuses it with a UserError: never a crash,
# never another exception. rdflib's parser is the referee: text it rejects, kg must refuse.

HEADS = ["SELECT *", "SELECT ?s", "SELECT DISTINCT ?s ?service", "SELECT (COUNT(*) AS ?n)", "ASK",
         "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s", "PREFIX ex: <urn:ex#>\nSELECT ?s", "BASE <urn:b/> SELECT *",
         "DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "WITH <urn:g> DELETE { ?s ?p ?o }"]
PATTERNS = ["?s ?p ?o .", "?s a kg:Foundation .", "?s skos:prefLabel ?l . FILTER (lang(?l) = 'zh')",
            "OPTIONAL { ?s kg:x ?y }", "{ ?s ?p ?o } UNION { ?o ?p ?s }", "BIND (STR(?s) AS ?t)",
            "VALUES ?s { kgid:tencent <urn:x> }", "FILTER NOT EXISTS { ?s ?p ?q }",
            "?s (org:unitOf|^org:hasUnit)+ ?u .",
            "SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }", "GRAPH ?g { ?s ?p ?o }",
            '?s ?p """a "long"\nstring { with # and SERVICE""" .', "# a comment { SERVICE\n", "?s ?p 'it\\'s' .",
            '?s ?p "x"@zh-Hans .', '?s ?p "1"^^xsd:integer .', "?s ex:p ?o .", "FILTER (?o > 1.5e3 && !BOUND(?x))",
            "{ SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 }", "?service ?p ?o ."]
TAILS = ["", "LIMIT 3", "ORDER BY DESC(?s)", "GROUP BY ?s", "OFFSET 1 LIMIT 1"]
PIECES = ["{", "}", "(", ")", "[", "]", '"', "'", '"""', "<", ">", "#", "?", "$", ":", ".", ";", ",", "\\", "\n",
          "SERVICE", "DROP", "SELECT", "WHERE", "腾讯", "\u202e", "\x00", "@", "^^", "_:b", "*"]


@st.composite
def query_text(draw) -> str:
    """A query as a user might write it, often broken: pieces cut, dropped, doubled or nested."""
    body = " ".join(draw(st.lists(st.sampled_from(PATTERNS), max_size=4)))
    text = f"{draw(st.sampled_from(HEADS))} WHERE {{ {body} }} {draw(st.sampled_from(TAILS))}"
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        how = draw(st.sampled_from(["insert", "drop", "cut", "nest"]))
        if how == "insert":
            piece = draw(st.sampled_from(PIECES) | st.characters(blacklist_categories=("Cs",)))
            text = text[:at] + piece + text[at:]
        elif how == "drop":
            text = text[:at] + text[at + 1:]
        elif how == "cut":
            text = text[:at]
        else:
            depth, (left, right) = draw(st.integers(1, 100)), draw(st.sampled_from(["{}", "()", "[]"]))
            text = text[:at] + left * depth + text[at:] + right * depth
    return text


def _rdflib_rejects(text: str) -> bool:
    from rdflib.plugins.sparql import prepareQuery

    from kg.model.vocab import PREFIXES

    try:
        prepareQuery(text, initNs=PREFIXES)
    except Exception:  # noqa: BLE001 - any refusal counts: a parse error, a bad prefix, recursion
        return True
    return False


@pytest.fixture(scope="module")
def tiny_store():
    from kg.model.vocab import ID, KG, RDF, SKOS
    from kg.store.embedded import EmbeddedStore

    g = ox.NamedNode("https://w3id.org/edu-equity-kg/fact/x/p1")
    t = ox.NamedNode(ID.tencent)
    return EmbeddedStore(quads=[ox.Quad(t, ox.NamedNode(RDF.type), ox.NamedNode(KG.Foundation), g),
                                ox.Quad(t, ox.NamedNode(SKOS.prefLabel), ox.Literal("腾讯", language="zh"), g)])


@QUERIES
@given(query_text())
def test_any_query_text_is_answered_or_refused_cleanly(tiny_store, text):
    from kg.ask.running import run
    from kg.errors import UserError

    rejected = _rdflib_rejects(text)
    event("rdflib rejects" if rejected else "rdflib accepts")
    try:
        run(tiny_store, text, timeout=20)
    except UserError as e:
        assert str(e).strip(), text
        event("kg refuses")
        return
    assert not rejected, f"rdflib rejects, kg runs: {text!r}"


@FAST
@given(st.text(max_size=200) | query_text())
def test_the_text_checks_never_raise_anything_but_a_user_error(text):
    from kg.errors import UserError
    from kg.sparql import check_query, strip_literals, tokens

    assert "".join(t.text for t in tokens(text)) == text
    assert len(strip_literals(text)) == len(text)
    try:
        check_query(text)
    except UserError as e:
        assert len(e.problems) == 1


# ---------------------------------------------------------------------------- every CLI argument


_ARG = st.one_of(st.text(max_size=30), st.sampled_from(["", "-", "--", "nan", "inf", "-1", "0", "1e309", "..",
                                                        "/dev/null", "<x>", "kg:", "腾讯", "\udcff", "=", "a=b"]))
_COMMANDS = [["describe"], ["search"], ["query", "partners-of-organization", "-p"], ["query", "--sparql"],
             ["network", "stats", "--entity"], ["network", "stats", "--view"], ["network", "stats", "--since"],
             ["viz", "--depth"], ["stats", "--by-source", "--lang"], ["queries"], ["classes"]]


@QUERIES
@given(st.sampled_from(_COMMANDS), st.lists(_ARG, max_size=3))
def test_any_cli_arguments_give_an_answer_or_a_user_error(built, command, args):
    """Whatever a user types after a command: an answer, a usage error (2) or a user error (1);
    never a traceback."""
    from click.testing import CliRunner

    from kg.cli import main

    value = [a.replace("=", "", 1) if command[-1] == "-p" and i else a for i, a in enumerate(args)]
    result = CliRunner().invoke(main, [*command, *value])
    assert result.exit_code in (0, 1, 2), (command, value, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        (command, value, repr(result.exception))
