"""Every check in one report: curated-file checks, SHACL shapes, and ``*-violation.rq`` queries.

Problems found in the RDF are traced back to the curated file and line the focus node came
from, so that every problem reads ``file:line: message``:

>>> from kg.project import Project
>>> validate(Project.default())
[]
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import progress
from kg.errors import Problem
from kg.model import hierarchy
from kg.model.vocab import RDF, RDFS, SH, shorten
from kg.project import Project

if TYPE_CHECKING:  # rdflib is imported where it is used (it takes a while to import)
    import rdflib
    from rdflib.term import Node

    _Keys = Callable[[Node, set[str]], dict[str, list[Node]] | None]


@progress.work()
def validate(project: Project) -> list[Problem]:
    """All problems in data/, as the build would find them; empty when the data is valid."""
    return validate_with_notes(project)[0]


def validate_with_notes(project: Project) -> tuple[list[Problem], list[str]]:
    """The problems, and notes on what could be checked less than fully (never silently):
    sources whose text is not at hand, so their locators were checked by count only."""
    from kg.build.triples import dataset_quads
    from kg.curation.reader import load_curation

    cur, problems = load_curation(project)
    notes = []
    if cur.count_only:
        notes.append("checked by paragraph count only, their texts not being at hand (no stated words, no "
                     f"changed text found): {', '.join(sorted(cur.count_only))}")
    if problems:
        return problems, notes
    locations: dict = {}
    quads = dataset_quads(cur, locations)
    return rdf_problems(project, quads, locations), notes


def rdf_problems(project: Project, quads: list[ox.Quad], locations: dict, *,
                 store: ox.Store | None = None) -> list[Problem]:
    """SHACL violations and violation-query rows, each placed at its focus node's curated line.

    ``store``, when given, already holds ``quads`` and their merge as the default graph (the
    build passes the store it is writing); otherwise one is made in memory.
    """
    progress.stage("checking shapes and rules")
    if store is None:
        store = _union_store(quads)  # one Oxigraph store for the SHACL screen and the check queries
    problems = shacl_problems(project.shapes_file, quads, locations, store=store)
    problems += check_query_problems(project.check_files(), quads, locations, store=store)
    return sorted(set(problems))


def _place(iri: str, locations: dict) -> tuple[str, int]:
    where = locations.get(iri)
    if where is None:
        return "build", 0
    return where.file, where.line


def shacl_problems(shapes_file: Path, quads: list[ox.Quad], locations: dict, *,
                   store: ox.Store | None = None) -> list[Problem]:
    """Run the SHACL shapes over all quads together; one problem per violation.

    Fast at any size: the shapes are first compiled into SPARQL queries that find every focus
    node that *may* violate a shape (a superset), run by Oxigraph over the whole dataset; only
    those nodes, with the triples their shapes read (their own, the types of their values, the
    class hierarchy), then go through pySHACL, which words the report as before. Shapes using
    a feature the compiler does not know are run by pySHACL over everything, as before.
    ``store`` is an Oxigraph store whose default graph already holds the merge of ``quads``.
    """
    shapes = _shapes(shapes_file.read_bytes())
    if store is None:
        store = _union_store(quads)
    screens = screen_queries(shapes, store)
    if screens is None:
        triples = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                               format=ox.RdfFormat.N_TRIPLES)
        return pyshacl_problems(rdflib.Graph().parse(data=triples, format="nt"), shapes, locations)
    # The engine releases the GIL while it evaluates, so the screens run side by side (2x on 2 cores).
    def focus_nodes(sparql: str) -> set[ox.NamedNode | ox.BlankNode]:
        answer = store.query(sparql)
        assert isinstance(answer, ox.QuerySolutions)  # every screen is a SELECT ?focus query
        return {node for row in answer if isinstance(node := row[0], (ox.NamedNode, ox.BlankNode))}

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        suspects: set[ox.NamedNode | ox.BlankNode] = set().union(*pool.map(focus_nodes, screens))
    if not suspects:
        return []
    return pyshacl_problems(_neighbourhood(store, suspects), shapes, locations,
                             only={str(s.value) for s in suspects})


@functools.lru_cache(maxsize=4)
def _shapes(turtle: bytes) -> rdflib.Graph:
    """The shapes graph parsed from its Turtle text, once per process and text (a build parses
    it once, a process building many projects, such as the tests, once for all). Shared: pySHACL
    only adds its few system triples to it, the same ones every time."""
    import rdflib

    return rdflib.Graph().parse(data=turtle, format="turtle")


def _union_store(quads: list[ox.Quad]) -> ox.Store:
    from kg.store.base import union_default_graph

    store = ox.Store()
    store.bulk_extend(quads)
    store.bulk_extend(union_default_graph(quads))
    return store


def pyshacl_problems(data: rdflib.Graph, shapes: rdflib.Graph, locations: dict, *,
                      only: set[str] | None = None) -> list[Problem]:
    """pySHACL over the rdflib graph ``data``; results for focus nodes in ``only`` when given."""
    import rdflib
    from pyshacl import validate as shacl_validate

    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none",
                                         advanced=True, allow_warnings=True)
    if conforms:
        return []
    problems = []
    sh = rdflib.Namespace(str(SH))
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        if only is not None and str(focus) not in only:
            continue
        path = report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage)
        value = report.value(result, sh.value)
        file, line = _place(str(focus), locations)
        text = f"SHACL: {shorten(str(focus))}"
        if path is not None:
            text += f" {shorten(str(path))}"
        text += f": {message}"
        if value is not None:
            text += f" (value: {value})"
        problems.append(Problem(file, line, text))
    return problems


def _neighbourhood(store: ox.Store, nodes: set[ox.NamedNode | ox.BlankNode]) -> rdflib.Graph:
    """An rdflib graph with what the shapes read about ``nodes``: their triples, the types
    of their values, and every ``rdfs:subClassOf`` triple."""
    import rdflib

    rdf_type, sub_class = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RDFS.subClassOf))
    default = ox.DefaultGraph()
    triples: set[ox.Triple] = set()
    for node in nodes:
        for q in store.quads_for_pattern(node, None, None, default):
            triples.add(ox.Triple(q.subject, q.predicate, q.object))
            if not isinstance(q.object, ox.Literal):
                triples.update(ox.Triple(t.subject, t.predicate, t.object)
                               for t in store.quads_for_pattern(q.object, rdf_type, None, default))
    triples.update(ox.Triple(q.subject, q.predicate, q.object)
                   for q in store.quads_for_pattern(None, sub_class, None, default))
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    assert text is not None  # given no output, serialize returns the bytes
    return rdflib.Graph().parse(data=text, format="nt")


# The SHACL core features the screen compiles; a shape with anything else runs in pySHACL.
_NODE_KEYS = {"targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "property",
              "message", "severity", "name", "description", "class", "or"}
_PROPERTY_KEYS = {"path", "message", "severity", "name", "description", "minCount", "maxCount",
                  "class", "datatype", "uniqueLang", "pattern", "flags", "minLength", "maxLength",
                  "in", "or", "nodeKind", "hasValue"}
_OR_KEYS = {"class", "datatype"}
_LEXICAL = "STR(?v) = STR(<{d}>(STR(?v)))"  # well-formed (and canonical) for XSD datatypes


def screen_queries(shapes: rdflib.Graph, store: ox.Store) -> list[str] | None:
    """SPARQL queries whose ``?focus`` rows include every node that violates a shape; None
    when a shape uses a feature not compiled here."""
    import rdflib

    sh = rdflib.Namespace(str(SH))
    g = shapes
    ignored = {rdflib.RDF.type, rdflib.RDFS.comment, rdflib.RDFS.label}

    def keys(node: Node, allowed: set[str]) -> dict[str, list[Node]] | None:
        out: dict[str, list[Node]] = {}
        for p, o in g.predicate_objects(node):
            if p in ignored:
                continue
            if not str(p).startswith(str(sh)) or str(p)[len(str(sh)):] not in allowed:
                return None
            out.setdefault(str(p)[len(str(sh)):], []).append(o)
        return out

    closure = _class_closure(store)
    node_shapes = set(g.subjects(rdflib.RDF.type, sh.NodeShape)) | set(g.subjects(sh.property, None))
    for s in g.subjects(rdflib.RDF.type, sh.PropertyShape):
        if s not in set(g.objects(None, sh.property)):
            return None  # a property shape with its own targets
    queries = []
    for ns in sorted(node_shapes, key=str):
        if (ns, rdflib.RDF.type, rdflib.RDFS.Class) in g or (ns, rdflib.RDF.type, rdflib.OWL.Class) in g:
            return None  # implicit class target
        k = keys(ns, _NODE_KEYS)
        if k is None:
            return None
        targets = []
        classes = set().union(*(closure(str(c)) for c in k.get("targetClass", [])))
        if classes:
            targets.append(f"VALUES ?tc {{ {' '.join(f'<{c}>' for c in sorted(classes))} }} ?focus a ?tc .")
        if k.get("targetNode"):
            targets.append(f"VALUES ?focus {{ {' '.join(_term(t) for t in k['targetNode'])} }}")
        targets += [f"?focus <{p}> ?tany ." for p in k.get("targetSubjectsOf", [])]
        targets += [f"?tany <{p}> ?focus ." for p in k.get("targetObjectsOf", [])]
        if not targets:
            continue
        target = " UNION ".join(f"{{ {t} }}" for t in targets)
        focus = f"{{ SELECT DISTINCT ?focus WHERE {{ {target} }} }}"
        wheres = _node_screens(g, k, closure, keys)
        for ps in k.get("property", []):
            pk = keys(ps, _PROPERTY_KEYS)
            if pk is None or len(pk.get("path", [])) != 1 or not isinstance(pk["path"][0], rdflib.URIRef):
                return None
            more = _property_screens(g, sh, pk, f"<{pk['path'][0]}>", closure, keys)
            wheres = None if wheres is None or more is None else wheres + more
        if wheres is None:
            return None
        queries += [q.replace(_FOCUS, focus) for q in wheres]
    return queries


_FOCUS = "%FOCUS%"  # where a screen puts the subquery that selects the shape's targets


def _property_screens(g: rdflib.Graph, sh: rdflib.Namespace, pk: dict[str, list[Node]], path: str,
                      closure: Callable[[str], frozenset[str]], keys: _Keys) -> list[str] | None:
    """Queries that find possible violations of one property shape, each with ``%FOCUS%`` where
    the subquery selecting the shape's targets goes.

    They read the property first and meet the targets last, through hashed joins (a subquery,
    MINUS), so that a shape over many nodes costs a scan of its property, not one index lookup
    per node per constraint: 2-8x faster at a million triples.
    """
    import rdflib

    out: list[str] = []

    def found(pattern: str, having: str | None = None) -> str:
        inner = (f"SELECT DISTINCT ?focus WHERE {{ {pattern} }}" if having is None else
                 f"SELECT ?focus WHERE {{ {pattern} }} GROUP BY ?focus HAVING ({having})")
        return f"SELECT DISTINCT ?focus WHERE {{ {{ {inner} }} {_FOCUS} }}"

    def value_filter(cond: str) -> str:
        return found(f"?focus {path} ?v . FILTER ({cond})")

    for n in pk.get("minCount", []):
        least = int(str(n))
        if least == 1:
            out.append(f"SELECT DISTINCT ?focus WHERE {{ {_FOCUS} MINUS {{ ?focus {path} ?v }} }}")
        elif least > 1:
            out.append(f"SELECT ?focus WHERE {{ {_FOCUS} OPTIONAL {{ ?focus {path} ?v }} }} "
                       f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?v) < {least})")
    for n in pk.get("maxCount", []):
        out.append(found(f"?focus {path} ?v", f"COUNT(DISTINCT ?v) > {int(str(n))}"))
    for c in pk.get("class", []):  # the class's members are few: anti-join them, hashed
        out.append(found(f"?focus {path} ?v MINUS {{ VALUES ?vc {{ {_members(closure, c)} }} ?v a ?vc }}"))
    for d in pk.get("datatype", []):
        out.append(value_filter(f"!{_datatype_ok(d)}"))
    for flag in pk.get("uniqueLang", []):
        if isinstance(flag, rdflib.Literal) and flag.toPython() is True:
            out.append(found(f"?focus {path} ?v, ?w . FILTER (!sameTerm(?v, ?w) && LANG(?v) != \"\" "
                             "&& LCASE(LANG(?v)) = LCASE(LANG(?w)))"))
    flags = pk.get("flags", [])
    for pattern in pk.get("pattern", []):
        f = f", {_term(flags[0])}" if flags else ""
        out.append(value_filter(f"isBLANK(?v) || !REGEX(STR(?v), {_term(pattern)}{f})"))
    for n in pk.get("minLength", []):
        out.append(value_filter(f"isBLANK(?v) || STRLEN(STR(?v)) < {int(str(n))}"))
    for n in pk.get("maxLength", []):
        out.append(value_filter(f"isBLANK(?v) || STRLEN(STR(?v)) > {int(str(n))}"))
    for lst in pk.get("in", []):
        choices = list(rdflib.collection.Collection(g, lst))
        same = " || ".join(f"sameTerm(?v, {_term(m)})" for m in choices) or "false"
        out.append(value_filter(f"!({same})"))
    for kind in pk.get("nodeKind", []):
        ok = {"IRI": "isIRI(?v)", "BlankNode": "isBLANK(?v)", "Literal": "isLITERAL(?v)",
              "BlankNodeOrIRI": "!isLITERAL(?v)", "BlankNodeOrLiteral": "!isIRI(?v)",
              "IRIOrLiteral": "!isBLANK(?v)"}.get(str(kind)[len(str(sh)):])
        if ok is None:
            return None
        out.append(value_filter(f"!({ok})"))
    for value in pk.get("hasValue", []):  # no value is the given one
        out.append(f"SELECT DISTINCT ?focus WHERE {{ {_FOCUS} MINUS {{ ?focus {path} {_term(value)} }} }}")
    for lst in pk.get("or", []):
        either = _or_condition(g, lst, closure, keys)
        if either is None:
            return None
        out.append(value_filter(f"!({either})"))
    return out


def _node_screens(g: rdflib.Graph, k: dict[str, list[Node]], closure: Callable[[str], frozenset[str]],
                  keys: _Keys) -> list[str] | None:
    """Queries that find possible violations of a node shape's own constraints, those on the
    focus node itself (``sh:class``, ``sh:or``), each with ``%FOCUS%`` like a property screen."""
    out: list[str] = []
    for c in k.get("class", []):
        out.append(f"SELECT DISTINCT ?focus WHERE {{ {_FOCUS} MINUS {{ VALUES ?vc {{ {_members(closure, c)} }} "
                   "?focus a ?vc } }")
    for lst in k.get("or", []):
        either = _or_condition(g, lst, closure, keys)
        if either is None:
            return None
        out.append(f"SELECT DISTINCT ?focus WHERE {{ {_FOCUS} BIND (?focus AS ?v) FILTER (!({either})) }}")
    return out


def _or_condition(g: rdflib.Graph, lst: Node, closure: Callable[[str], frozenset[str]],
                  keys: _Keys) -> str | None:
    """The SPARQL condition that ``?v`` meets one of an ``sh:or`` list's alternatives (each one
    ``sh:class`` or one ``sh:datatype``); None when an alternative is anything else."""
    import rdflib

    alternatives = []
    for member in rdflib.collection.Collection(g, lst):
        mk = keys(member, _OR_KEYS)
        if mk is None or len(mk) != 1 or len(next(iter(mk.values()))) != 1:
            return None
        (key, (value,)), = mk.items()
        alternatives.append(_class_ok(closure, value) if key == "class" else _datatype_ok(value))
    return " || ".join(alternatives) or "false"


def _class_ok(closure: Callable[[str], frozenset[str]], c: Node) -> str:
    """``?v`` is an instance of ``c`` or of a class below it."""
    return f"EXISTS {{ VALUES ?vc {{ {_members(closure, c)} }} ?v a ?vc }}"


def _members(closure: Callable[[str], frozenset[str]], c: Node) -> str:
    """``c`` and every class below it, as the IRIs of a ``VALUES`` block."""
    return " ".join(f"<{x}>" for x in sorted(closure(str(c))))


def _datatype_ok(d: Node) -> str:
    """``?v`` is a literal of datatype ``d``, well-formed for it."""
    import rdflib

    iri = str(d)
    if iri in (str(rdflib.XSD.string), str(rdflib.RDF.langString)):
        return f"(isLITERAL(?v) && DATATYPE(?v) = <{iri}>)"
    return f"(isLITERAL(?v) && DATATYPE(?v) = <{iri}> && COALESCE({_LEXICAL.format(d=iri)}, false))"


def _class_closure(store: ox.Store) -> Callable[[str], frozenset[str]]:
    """``closure(C)``: C and every class below it by ``rdfs:subClassOf`` in the dataset."""
    below: dict[str, set[str]] = {}
    sub_class = ox.NamedNode(str(RDFS.subClassOf))
    for q in store.quads_for_pattern(None, sub_class, None, ox.DefaultGraph()):
        if not isinstance(q.subject, ox.Triple) and not isinstance(q.object, ox.Triple):  # no RDF-star here
            below.setdefault(q.object.value, set()).add(q.subject.value)
    return functools.partial(hierarchy.closure, below)


def _term(t: Node) -> str:
    """An rdflib term in SPARQL syntax."""
    return t.n3()


def check_query_problems(checks: Path | list[Path], quads: list[ox.Quad], locations: dict, *,
                         store: ox.Store | None = None) -> list[Problem]:
    """Run each ``*-violation.rq`` (of a folder, or of a list of files); every row it returns is
    a problem at its ``?focus``.

    ``store``, when given, already holds ``quads`` and their merge as the default graph.
    """
    files = sorted(checks.glob("*-violation.rq")) if isinstance(checks, Path) else \
        [f for f in checks if f.name.endswith("-violation.rq")]
    if not files:
        return []
    from kg.model.vocab import PREFIXES
    from kg.store.base import result_of, value_of

    if store is None:
        store = _union_store(quads)
    problems = []
    for f in files:
        result = result_of(store.query(f.read_text(encoding="utf-8"), prefixes=PREFIXES))
        for row in result.rows:
            values = dict(zip(result.columns, row, strict=True))
            focus = value_of(values.get("focus"))
            message = value_of(m) if (m := values.get("message")) is not None else f.stem
            file, line = _place(focus, locations)
            problems.append(Problem(file, line, f"{f.stem}: {shorten(focus)}: {message}"))
    return problems
