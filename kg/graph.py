"""The graph from Python: named questions as DataFrames, networks, pages and facts.

A thin layer for notebooks and scripts over the same functions the command line uses:
:mod:`kg.ask.running` runs questions, :mod:`kg.networks.views` builds networks, :mod:`kg.page.render` draws
them and :mod:`kg.ask.describe` tells an entity's facts. Nothing here runs a query, builds a
network or renders a page itself. pandas is needed only for :meth:`Graph.query` and
:meth:`Graph.describe` (``pip install 'edu-equity-kg[notebooks]'``).

>>> import kg
>>> g = kg.open()                                   # the built graph, built first if needed
>>> partners = g.query("partners-of-organization", org="tencent-education")
>>> "china-society-of-education-development-strategy" in set(partners["partner"])
True
>>> net = g.network("coparticipation", sources="meet-2021")
>>> net.has_edge("tencent-charity-foundation", "unesco-ichei")
True
>>> facts = g.describe("tencent-charity-foundation")
>>> facts[facts.statement.str.contains("funder")].values.tolist()
[['Tencent Charity Foundation — funder — International Institute of Online Education', 'meet-2021:p3', '']]
"""

from __future__ import annotations

import html as _html
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import UserError
from kg.project import Project
from kg.store.base import Result, Store
from kg.store.embedded import EmbeddedStore
from kg.store.endpoint import EndpointStore, endpoint_settings, endpoint_store

if TYPE_CHECKING:  # imported lazily: pandas is an extra, networkx costs time at import
    import networkx as nx
    import pandas as pd

    from kg.networks.views import NetworkData

__all__ = ["Graph", "Page", "open_graph"]

_NUMBERS = {"integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
            "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"}
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("kg's DataFrames need pandas: pip install 'edu-equity-kg[notebooks]'") from None
    return pandas


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Any:
    """One cell for a DataFrame: ids and prefixed names for IRIs, numbers for numeric literals.

    >>> _value(ox.NamedNode("https://w3id.org/edu-equity-kg/id/tencent")), _value(ox.Literal("3", datatype=
    ...     ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    ('tencent', 3)
    """
    from kg.ask.results import cell

    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(_XSD):
        kind = term.datatype.value[len(_XSD):]
        try:
            if kind in _NUMBERS:
                number = float(term.value)
                return int(number) if kind not in ("decimal", "double", "float") else number
            if kind == "boolean":
                return term.value in ("true", "1")
        except ValueError:  # an ill-typed literal stays text
            return term.value
    return cell(term)


def _frame(result: Result) -> pd.DataFrame | bool:
    """A query's answer as a DataFrame (an ASK query's as a bool)."""
    from kg.ask.results import visible

    pd = _pandas()
    if result.kind == "ask":
        return bool(result.boolean)
    columns, rows = visible(result)
    return pd.DataFrame([[_value(t) for t in row] for row in rows], columns=columns)


def _looks_like_sparql(text: str) -> bool:
    """A named question's name or number has no spaces or braces; SPARQL text has.

    >>> _looks_like_sparql("funders"), _looks_like_sparql("DROP ALL"), _looks_like_sparql("ASK{}")
    (False, True, True)
    """
    return not text.strip().endswith(".rq") and (len(text.split()) > 1 or "{" in text)


@dataclass(frozen=True)
class Page:
    """An interactive network page; Jupyter shows it inline in an isolated iframe.

    ``_repr_html_`` puts the whole page (from :func:`kg.page.render.render_html`) into the
    iframe's ``srcdoc``, escaped, with ``sandbox="allow-scripts"``: the page's scripts run in
    an opaque origin that cannot reach the notebook, and JupyterLab, classic Notebook and
    VS Code, which do not run inline scripts in outputs, show it all the same. ``html`` is
    the page itself; :meth:`save` writes it.

    >>> Page("<p>A &amp; B</p>", title="A & B")._repr_html_()[:73]
    '<iframe srcdoc="&lt;p&gt;A &amp;amp; B&lt;/p&gt;" sandbox="allow-scripts"'
    """

    html: str
    title: str = ""
    height: int = 600

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'title="{_html.escape(self.title, quote=True)}" width="100%" height="{int(self.height)}" '
                'style="border: 1px solid #d9e2ec; border-radius: 6px;" loading="lazy"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (a self-contained file that works offline) and return it."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


class Graph:
    """The knowledge graph, opened for questions; see :func:`kg.open`.

    ``store`` is where the dataset lives (any :class:`kg.store.base.Store`); ``project`` is where
    the named questions are read from.
    """

    def __init__(self, store: Store, project: Project | None = None):
        self.store = store
        self.project = project or Project.default()

    def __repr__(self) -> str:
        return f"<kg.Graph of {self.project.root}>"

    # --- questions ------------------------------------------------------------------------

    def questions(self) -> pd.DataFrame:
        """The named questions: name, number, summary and parameters, as a DataFrame.

        >>> import kg
        >>> kg.open().questions().loc[0, "name"]
        'partners-of-organization'
        """
        from kg.ask.questions import list_queries

        pd = _pandas()
        return pd.DataFrame([(q.name, q.number, q.summary, ", ".join(p.describe() for p in q.parameters))
                             for q in list_queries(self.project)],
                            columns=["name", "number", "summary", "parameters"])

    def query(self, name_or_sparql: str, params: Mapping[str, Any] | None = None, /, *, lang: str = "en",
              timeout: float | None = 30.0, **kwargs: Any) -> pd.DataFrame | bool:
        """Answer a named question (or run SPARQL text) and return a DataFrame.

        ``name_or_sparql`` is a named question (``"funders"``, ``"02"``, a path to a ``.rq``
        file) or SPARQL text. Parameters go as keywords (``org="tencent-education"``; a
        trailing ``_`` is dropped, so ``from_=2019`` gives ``from``) or as a mapping; they are
        bound by :func:`kg.ask.running.run_named`, never pasted into the text. ``?xLabel`` columns
        are filled in ``lang``; IRIs become ids (``tencent``) or prefixed names
        (``role:funder``); numbers are numbers. An ASK query returns a bool.

        >>> import kg
        >>> g = kg.open()
        >>> g.query("funders")[["funder", "funded", "source", "locator"]].values.tolist()
        [['tencent-charity-foundation', 'iioe', 'src:meet-2021', 'p3']]
        >>> g.query("SELECT ?f ?fLabel WHERE { ?f a kg:Foundation } ORDER BY ?f", lang="zh").iloc[-1, 1]
        '腾讯公益慈善基金会'
        """
        from kg.ask.questions import load_query, parse_query_file
        from kg.ask.running import run, run_named

        values = {k.rstrip("_"): v for k, v in {**(params or {}), **kwargs}.items()}
        values = {k: str(v) if not isinstance(v, str) else v for k, v in values.items()}
        options: dict[str, Any] = {"lang": lang, "timeout": timeout}
        if _looks_like_sparql(name_or_sparql):
            if values:
                raise UserError("parameters go with a named question; bind values in SPARQL text yourself "
                                "with VALUES, or write a .rq file with a #+ header")
            return _frame(run(self.store, name_or_sparql, file="sparql", **options))
        if name_or_sparql.endswith(".rq"):
            path = Path(name_or_sparql)
            query = parse_query_file(path, self.project.relative(path))
        else:
            query = load_query(self.project, name_or_sparql)
        return _frame(run_named(self.store, query, values, **options))

    # --- networks ------------------------------------------------------------------------

    @cached_property
    def _network_data(self) -> NetworkData:
        from kg.networks.views import load

        return load(self.store)

    def network(self, view: str = "participation", *, entity: str | None = None, depth: int = 2,
                lang: str = "en", **filters: Any) -> nx.Graph:
        """A networkx view of who works with whom (see :data:`kg.networks.views.VIEWS`).

        ``filters`` are those of :class:`kg.networks.views.Filters`: ``types``, ``roles``,
        ``sources``, ``regions`` (each one value or a list), ``since``, ``until`` (years) and
        ``min_weight``. ``entity`` (and ``depth``) pick the centre of the ego view, named as
        :func:`kg.ask.names.resolve_entity` reads names; giving an entity alone implies that
        view. Nodes carry ``labels``, ``kind`` and the metrics
        ``degree``, ``weighted_degree``, ``betweenness``, ``community``; edges ``roles``,
        ``weight``, ``via`` and ``sources``.

        >>> import kg
        >>> g = kg.open().network("participation", roles="funder")
        >>> list(g.edges(data="sources"))
        [('iioe', 'tencent-charity-foundation', ['meet-2021:p3'])]
        """
        return self._view(view, entity, depth, lang, filters, for_page=False)

    def _view(self, view: str, entity: str | None, depth: int, lang: str, filters: Mapping[str, Any], *,
              for_page: bool) -> nx.Graph:
        from kg.ask.names import entity_id
        from kg.networks.views import network

        if entity and view == "participation":
            view = "ego"
        entity = entity_id(self.store, entity) if entity else None
        return network(self._network_data, view, _filters(filters), entity=entity, depth=depth, lang=lang,
                       for_page=for_page)

    def metrics(self, view: str | nx.Graph = "participation", *, lang: str = "en", **options: Any) -> pd.DataFrame:
        """A view's nodes with their metrics, one row each, the biggest brokers first.

        Columns: ``label`` (in ``lang``), ``kind``, ``degree``, ``weighted_degree``,
        ``betweenness``, ``community``, ``component``; the index is the entity id, and rows
        are sorted by betweenness, then degree. ``view`` and the keywords are those of
        :meth:`network` (or give a graph it made).

        >>> import kg
        >>> m = kg.open().metrics("participation")
        >>> m[m.kind.isin(["Organization", "Person"])].index[0]
        'tang-daosheng'
        """
        pd = _pandas()
        if isinstance(view, str):
            entity, depth = options.pop("entity", None), options.pop("depth", 2)
            graph = self._view(view, entity, depth, lang, options, for_page=True)
        else:
            graph = view
        entities = self._network_data.entities
        columns = ["degree", "weighted_degree", "betweenness", "community", "component"]
        rows = {n: {"label": entities[n].label(lang) if n in entities else n, "kind": a.get("kind"),
                    **{c: a.get(c) for c in columns}} for n, a in graph.nodes(data=True)}
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["label", "kind", *columns])
        return frame.sort_values(["betweenness", "degree"], ascending=False, kind="stable")

    def show(self, view: str | nx.Graph = "participation", *, lang: str = "en", title: str | None = None,
             height: int = 600, size_by: str | None = "degree", **options: Any) -> Page:
        """The interactive network page of a view (or of a networkx graph), shown inline in Jupyter.

        ``view`` and the keywords are those of :meth:`network`; a graph made by
        :meth:`network` may be given instead. The page is :func:`kg.page.render.render_html`'s,
        the same as ``kg viz`` writes; ``.save(path)`` writes it to a file.

        >>> import kg
        >>> page = kg.open().show("coparticipation", sources="meet-2021", height=400)
        >>> page.title, 'sandbox="allow-scripts"' in page._repr_html_()
        ('Organizations linked by shared initiatives and events (source=meet-2021)', True)
        """
        from kg.networks.views import page_title
        from kg.page.render import render_html

        if isinstance(view, str):
            entity, depth = options.pop("entity", None), options.pop("depth", 2)
            graph = self._view(view, entity, depth, lang, options, for_page=True)
        else:
            graph = view
        title = title or page_title(graph, lang)
        return Page(render_html(graph, lang=lang, title=title, size_by=size_by), title=title, height=height)

    # --- facts ---------------------------------------------------------------------------

    def describe(self, entity: str, *, lang: str = "en") -> pd.DataFrame:
        """Everything the sources say about ``entity``: one row per statement, with its sources.

        Columns: ``statement`` (in words, as ``kg describe`` prints it), ``sources`` (every
        ``source:locator`` that states it, with ``[medium]`` or ``[low]`` where the reading is
        uncertain) and ``notes`` (the text as stated, what a value is inferred from, the
        curator's note). ``.attrs`` holds the entity's ``id``, ``names`` and ``types``; the
        full :class:`kg.ask.describe.Description` is :meth:`description`.

        >>> import kg
        >>> facts = kg.open().describe("iioe")
        >>> facts.attrs["names"]["en"], facts.columns.tolist()
        ('International Institute of Online Education', ['statement', 'sources', 'notes'])
        """
        pd = _pandas()
        d = self.description(entity, lang=lang)
        frame = pd.DataFrame([(s.text, ", ".join(s.cites), "; ".join(s.notes)) for s in d.statements],
                             columns=["statement", "sources", "notes"])
        frame.attrs.update(id=d.id, names=dict(d.names), types=list(d.types))
        return frame

    def description(self, entity: str, *, lang: str = "en") -> Any:
        """The :class:`kg.ask.describe.Description` of ``entity`` (names, types, statements)."""
        from kg.ask.describe import describe

        return describe(self.store, entity, lang=lang)


def _filters(options: Mapping[str, Any]) -> Any:
    """:class:`kg.networks.views.Filters` from keywords; one value or a list for the list filters."""
    from kg.networks.views import Filters

    names = [f.name for f in fields(Filters)]
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise UserError(f"unknown filter(s) {', '.join(map(repr, unknown))}; the filters are: {', '.join(names)}")
    plural = {"types", "roles", "sources", "regions"}
    clean = {k: ((v,) if isinstance(v, str) else tuple(v)) if k in plural else v for k, v in options.items()}
    return Filters(**clean)


def open_store(project: Project, endpoint: str | None = None) -> EmbeddedStore | EndpointStore:
    """The store to query: a remote endpoint when one is set (see
    :func:`kg.store.endpoint.endpoint_settings`), else the current build's embedded store,
    building first when it is missing or stale."""
    settings = endpoint_settings(project, endpoint if endpoint is not None else project.endpoint)
    if settings:
        return endpoint_store(settings)
    from kg.build.dataset import ensure_built

    return EmbeddedStore(ensure_built(project).store_path)


def open_graph(path: str | Path | None = None, *, store: Store | None = None,
               endpoint: str | None = None) -> Graph:
    """The graph at ``path`` (a project folder or a build folder), or in ``store``.

    Without arguments: the current project's graph (see :meth:`kg.project.Project.default`),
    built first when it is missing or stale, or the SPARQL endpoint its settings name.

    >>> open_graph().store.query("ASK { kgid:tencent a kg:Company }").boolean
    True
    """
    if store is not None:
        return Graph(store, Project(Path(path).resolve()) if path is not None else None)
    if path is None:
        project = Project.default()
        return Graph(open_store(project, endpoint), project)
    path = Path(path).resolve()
    if (path / "data").is_dir():
        project = Project(path)
        return Graph(open_store(project, endpoint), project)
    if (path / "store").is_dir():
        return Graph(EmbeddedStore(path / "store"))
    raise UserError(f"{path}: neither a project folder (with data/) nor a build folder (with store/)")
