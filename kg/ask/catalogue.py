"""The catalogue of named questions, ``queries/README.md``: each question, an example call and
its real output. ``python -m kg.ask.catalogue`` rewrites it; a test fails when it is stale.
"""

from __future__ import annotations

from kg.ask.questions import NamedQuery, list_queries
from kg.ask.running import run_named
from kg.project import Project
from kg.store.base import Result, Store

README_ROWS = 12  # rows of each example output shown in queries/README.md


def example_values(query: NamedQuery, store: Store | None = None) -> dict[str, str]:
    """The parameters the README's example passes: those with no default, at their first value
    (for a class enumeration, the first instance in ``store``)."""
    from kg.ask.parameters import instances

    out = {}
    for p in query.parameters:
        if not p.required or p.default is not None:
            continue
        if p.enum:
            out[p.key] = p.enum[0].partition(":")[2] or p.enum[0]
        elif p.enum_class and store is not None:
            first = next(iter(instances(store, p.enum_class)), None)
            if first is not None:
                out[p.key] = first.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return out


def readme(project: Project, store: Store) -> str:
    """The text of ``queries/README.md``: every named question, an example call and its real output."""
    from kg.ask.results import format_result

    out = [
        "# Named questions",
        "",
        "Each `NN-slug.rq` file here answers one question; `kg queries` lists them and",
        "`kg query SLUG --param name=value` runs one (`--format table|csv|tsv|json|markdown`,",
        "`--lang zh|en`). Parameters are the variables named `?_name` (required) or `?__name`",
        "(optional); `_iri` ones take an entity id, ISO code, prefixed name, IRI or a name in any",
        "language. Build checks live in `checks/`.",
        "",
        "This file is generated: `python -m kg.ask.catalogue` rewrites it, and",
        "`tests/test_queries.py` fails when it is out of date.",
        "",
    ]
    for q in list_queries(project):
        values = example_values(q, store)
        call = " ".join([f"kg query {q.name}"] + [f"--param {k}={v}" for k, v in values.items()])
        result = run_named(store, q, values)
        shown = Result(result.kind, columns=result.columns, rows=result.rows[:README_ROWS])
        out += [f"## {q.number} `{q.name}`", "", f"**{q.summary}.** {q.description}", ""]
        if q.parameters:
            out += [f"- `{p.key}`: {p.describe()[len(p.key) + 2:-1]}" for p in q.parameters] + [""]
        out += ["```", call, "```", "", format_result(shown, "markdown", max_width=50), ""]
        if len(result.rows) > README_ROWS:
            out += [f"({len(result.rows)} rows in all; {README_ROWS} shown.)", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """``python -m kg.ask.catalogue``: rewrite queries/README.md from the real data."""
    import sys

    from kg.graph import open_store

    args = sys.argv[1:] if argv is None else argv
    if args:
        raise SystemExit("usage: python -m kg.ask.catalogue")
    project = Project.default()
    path = project.queries_dir / "README.md"
    path.write_text(readme(project, open_store(project)), encoding="utf-8")
    print(f"wrote {project.relative(path)}")


if __name__ == "__main__":
    main()
