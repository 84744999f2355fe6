"""Every check in one report: curated-file checks, SHACL shapes, and ``*-violation.rq`` queries.

Problems found in the RDF are traced back to the curated file and line the focus node came
from, so that every problem reads ``file:line: message``:

>>> from kg.project import Project
>>> validate(Project.default())
[]
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.errors import Problem
from kg.project import Project
from kg.vocab import SH, shorten


def validate(project: Project) -> list[Problem]:
    """All problems in data/, as the build would find them; empty when the data is valid."""
    from kg.curation.records import load_curation
    from kg.triples import dataset_quads

    cur, problems = load_curation(project)
    if problems:
        return problems
    locations: dict = {}
    quads = dataset_quads(cur, locations)
    return rdf_problems(project, quads, locations)


def rdf_problems(project: Project, quads: list[ox.Quad], locations: dict) -> list[Problem]:
    """SHACL violations and violation-query rows, each placed at its focus node's curated line."""
    problems = shacl_problems(project.shapes_file, quads, locations)
    problems += check_query_problems(project.queries_dir / "checks", quads, locations)
    return sorted(set(problems))


def _place(iri: str, locations: dict) -> tuple[str, int]:
    where = locations.get(iri)
    if where is None:
        return "build", 0
    return where.file, where.line


def shacl_problems(shapes_file: Path, quads: list[ox.Quad], locations: dict) -> list[Problem]:
    """Run the SHACL shapes over all quads together; one problem per violation."""
    import rdflib
    from pyshacl import validate as shacl_validate

    triples = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                           format=ox.RdfFormat.N_TRIPLES)
    data = rdflib.Graph().parse(data=triples, format="nt")
    shapes = rdflib.Graph().parse(shapes_file, format="turtle")
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none",
                                         advanced=True, allow_warnings=True)
    if conforms:
        return []
    problems = []
    sh = rdflib.Namespace(str(SH))
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
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


def check_query_problems(checks_dir: Path, quads: list[ox.Quad], locations: dict) -> list[Problem]:
    """Run each ``*-violation.rq``; every row it returns is a problem at its ``?focus``."""
    files = sorted(checks_dir.glob("*-violation.rq"))
    if not files:
        return []
    from kg.store import EmbeddedStore

    store = EmbeddedStore(quads=quads)
    problems = []
    for f in files:
        result = store.query(f.read_text(encoding="utf-8"))
        for row in result.rows:
            values = dict(zip(result.columns, row, strict=True))
            focus = values["focus"].value if values.get("focus") is not None else ""
            message = values["message"].value if values.get("message") is not None else f.stem
            file, line = _place(focus, locations)
            problems.append(Problem(file, line, f"{f.stem}: {shorten(focus)}: {message}"))
    return problems
