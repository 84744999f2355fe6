"""Running a query: its text checked, its values bound, a time limit, errors placed, labels filled.

>>> from kg.project import Project
>>> from kg.graph import open_store
>>> result = run(open_store(Project.default()), "SELECT ?funder WHERE { ?funder a kg:Foundation }")
>>> "funder" in result.columns
True
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.ask.parameters import bind_parameters
from kg.ask.questions import NamedQuery
from kg.errors import Problem, UserError
from kg.model.labels import choose_language
from kg.sparql import check_query
from kg.store.base import Result, Store, Term


class QueryTimeout(UserError):
    """The query ran longer than its time limit."""


def run(store: Store, sparql: str, *, bindings: Mapping[str, Term] | None = None, file: str = "query",
        timeout: float | None = None, allow_service: bool = False, lang: str = "en") -> Result:
    """Check and run ``sparql``; fill ``?xLabel`` columns; stop waiting after ``timeout`` seconds.

    The text is checked first by :func:`kg.sparql.check_query` (read-only, SERVICE only when
    allowed, not too big or deep for the engine). A projected variable ``?xLabel`` that the
    query leaves unbound gets the label of ``?x`` in ``lang`` (else in the other language,
    else its pinyin), as Wikidata's label service does.

    >>> from kg.project import Project
    >>> from kg.graph import open_store
    >>> r = run(open_store(Project.default()), "SELECT ?f ?fLabel WHERE { ?f a kg:Foundation }", lang="zh")
    >>> "腾讯公益慈善基金会" in {row[1].value for row in r.rows}
    True
    """
    check_query(sparql, allow_service=allow_service)
    result = _execute(store, sparql, bindings or {}, file, timeout)
    if result.kind == "select":
        result = fill_labels(store, result, lang)
    return result


def run_named(store: Store, query: NamedQuery, values: Mapping[str, str] | None = None, *,
              timeout: float | None = None, allow_service: bool = False, lang: str = "en") -> Result:
    """Bind ``values`` to ``query``'s parameters and run it (options as for :func:`run`)."""
    bindings = bind_parameters(store, query, values or {})
    return run(store, query.text, bindings=bindings, file=query.file, timeout=timeout,
               allow_service=allow_service, lang=lang)


def _execute(store: Store, sparql: str, bindings: Mapping[str, Term], file: str, timeout: float | None) -> Result:
    if timeout is None:
        return _guarded(store, sparql, bindings, file)
    results: list[Result] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(_guarded(store, sparql, bindings, file))
        except BaseException as e:  # handed to the waiting thread, re-raised there
            # The engine's result objects must be dropped on the thread that made them: keep the
            # traceback as text and let the frames (and what they hold) go here.
            if not isinstance(e, UserError):
                import traceback

                e.add_note("in the query thread:\n" + "".join(traceback.format_exception(e)))
            errors.append(e.with_traceback(None))
            e.__context__ = e.__cause__ = None

    # The engine releases the GIL while it works, so the caller can stop waiting; the daemon
    # thread ends with the process.
    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped (--timeout); "
                           "narrow it down or give more time")
    if errors:
        raise errors[0]
    return results[0]


_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _guarded(store: Store, sparql: str, bindings: Mapping[str, Term], file: str) -> Result:
    try:
        return store.query(sparql, bindings=bindings)
    except SyntaxError as e:
        m = _POSITION.match(str(e))
        if m:
            line, col, msg = m.groups()
            raise UserError([Problem(file, int(line), f"SPARQL syntax error at line {line}, column {col}: "
                                                      f"{msg.strip()}")]) from None
        raise UserError([Problem(file, 0, f"SPARQL syntax error: {e}")]) from None
    except (RuntimeError, OSError) as e:  # the engine's evaluation errors (e.g. a failed SERVICE call)
        raise UserError([Problem(file, 0, f"the query failed: {e}")]) from None


@dataclass
class Labels:
    """Names of entities per language, to show ``?xLabel`` columns in the asked language."""

    names: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, iris: Iterable[str]) -> Labels:
        """The names of just these IRIs (a whole-graph label scan costs too much at scale)."""
        names: dict[str, dict[str, str]] = {}
        for iri, labels in store.labels(iris).items():
            for label in sorted(labels, key=str):
                lang = (label.language or "").lower()
                names.setdefault(iri, {}).setdefault("zh-Latn-pinyin" if "pinyin" in lang else lang, label.value)
        return cls(names)

    def get(self, iri: str, lang: str) -> ox.Literal | None:
        names = self.names.get(iri)
        if not names:
            return None
        tag = choose_language(names, lang)
        if tag is None:
            return None
        return ox.Literal(names[tag], language=tag) if tag else ox.Literal(names[tag])


def fill_labels(store: Store, result: Result, lang: str) -> Result:
    """Fill unbound ``?xLabel`` cells from the label of ``?x`` in ``lang``."""
    index = {c: i for i, c in enumerate(result.columns)}
    pairs = [(index[c[:-5]], i) for c, i in index.items() if c.endswith("Label") and c[:-5] in index]
    if not pairs:
        return result
    wanted = {t.value for row in result.rows for src, _ in pairs if isinstance(t := row[src], ox.NamedNode)}
    labels = Labels.load(store, wanted)
    rows = []
    for row in result.rows:
        cells = list(row)
        for src, dst in pairs:
            term = cells[src]
            if cells[dst] is None and isinstance(term, ox.NamedNode):
                cells[dst] = labels.get(term.value, lang)
        rows.append(tuple(cells))
    return Result(result.kind, columns=result.columns, rows=rows)
