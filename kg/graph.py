"""The one face of kg: :func:`kg.open` -> :class:`Graph`, which the command line and notebooks both call.

Every ``kg`` command is: parse options, one :class:`Graph` method, format the result. So the
checks of what a user asks for (a view, filters, an entity named in any language, a question
and its parameters, an empty view) live here or below, and raise :class:`kg.errors.UserError`
with the same words whichever face was used. The work itself is done by the packages:
:mod:`kg.build` (the dataset), :mod:`kg.ask` (questions, names, describe, search, counts),
:mod:`kg.networks` (networkx views), :mod:`kg.page` (the page). pandas is needed only for the
DataFrame methods (:meth:`Graph.query`, :meth:`Graph.questions`, :meth:`Graph.describe`,
:meth:`Graph.metrics`; ``pip install 'edu-equity-kg[notebooks]'``).

>>> import kg
>>> g = kg.open()                                   # the built graph, built first if needed
>>> partners = g.query("partners-of-organization", org="tencent-education")
>>> "china-society-of-education-development-strategy" in set(partners["partner"])
True
>>> net = g.network("coparticipation", sources="meet-2021")
>>> net.has_edge("tencent-charity-foundation", "unesco-ichei")
True
>>> facts = g.describe("腾讯公益慈善基金会")          # an entity by id, name (any language) or IRI
>>> funds = facts[facts.statement.str.contains("— funder — International Institute of Online Education")]
>>> len(funds), "meet-2021:p3" in funds.sources.iloc[0]    # one line, all its sources
(1, True)
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import UserError
from kg.project import Project
from kg.store.base import Result, Store, kept

if TYPE_CHECKING:  # imported where used: pandas is an extra, networkx and the build cost time at import
    import networkx as nx
    import pandas as pd

    from kg.ask.describe import Description
    from kg.ask.questions import NamedQuery
    from kg.ask.search import Hit
    from kg.build.dataset import Build
    from kg.curation.draft import Pending
    from kg.errors import Problem
    from kg.networks.views import NetworkData, NetworkStats
    from kg.store.embedded import EmbeddedStore
    from kg.store.endpoint import EndpointStore

__all__ = ["Graph", "Page", "open_graph", "open_store"]

_NUMBERS = {"integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
            "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong"}
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("kg's DataFrames need pandas: pip install 'edu-equity-kg[notebooks]'") from None
    return pandas


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Any:
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


#: Up to this many nodes a page holds its view both with and without roll-up, with a switch.
ROLL_UP_SWITCH_MAX = 2000


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
    nodes: int = 0  # what the page draws at first
    edges: int = 0

    def _repr_html_(self) -> str:
        from html import escape

        return (f'<iframe srcdoc="{escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'title="{escape(self.title, quote=True)}" width="100%" height="{int(self.height)}" '
                'style="border: 1px solid #d9e2ec; border-radius: 6px;" loading="lazy"></iframe>')

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` atomically (a self-contained file that works offline); return it."""
        from kg.files import write_atomic

        return write_atomic(path, self.html)


class Graph:
    """The knowledge graph of one project: its data, its questions, its networks.

    ``store`` is where the dataset lives (any :class:`kg.store.base.Store`); when none is
    given it is opened on first use: the SPARQL endpoint the project's settings name, else the
    project's build, made first when missing or stale. So ``kg.open().validate()`` checks
    data/ without building it. ``project`` is where data/, the ontology and the named
    questions are read from.

    >>> import kg
    >>> kg.open().classes()["roles"][:2]
    ['attendee', 'beneficiary']
    """

    def __init__(self, store: Store | None = None, project: Project | None = None, *,
                 endpoint: str | None = None, build_dir: Path | None = None):
        self.project = project or Project.default()
        self._store = store
        self._endpoint = endpoint
        self._build_dir = build_dir
        self._opened = False  # True when the store is the one open_store() chose: a new build replaces it
        self._network_data: NetworkData | None = None

    def __repr__(self) -> str:
        return f"<kg.Graph of {self.project.root}>"

    @property
    def store(self) -> Store:
        """Where the dataset lives; opened (and built when needed) on first use."""
        if self._store is None:
            self._store, self._opened = open_store(self.project, self._endpoint), True
        return self._store

    # --- the curated data and the dataset ---------------------------------------------------

    def build(self, *, force: bool = False) -> Build:
        """Check data/ and build the dataset under build/ (only when an input changed, or ``force``).

        Raises :class:`UserError` listing every problem; nothing is written then.
        """
        from kg.build.dataset import build

        made = build(self.project, force=force)
        if made.rebuilt and self._opened:  # the store read the build before: open the new one when next asked
            self._store, self._opened, self._network_data = None, False, None
        return made

    def validate(self) -> list[Problem]:
        """Every problem in data/ (YAML, references, roles, dates, SHACL shapes, checks), as
        ``file:line: message``; empty when all is well.

        >>> import kg
        >>> kg.open().validate()
        []
        """
        return self.check()[0]

    def check(self) -> tuple[list[Problem], list[str]]:
        """:meth:`validate`'s problems, and notes on what could be checked less than fully
        (``kg validate`` prints both): sources whose text is not at hand, say."""
        from kg.build.validate import validate_with_notes

        return validate_with_notes(self.project)

    def drafts(self) -> list[Pending]:
        """The candidate facts in data/drafts/ still awaiting review (not in the graph until reviewed)."""
        from kg.curation.draft import pending

        return pending(self.project)[0]

    def lint(self) -> list[Problem]:
        """Findings for a curator's look: likely duplicates, unused entities, unregistered sources."""
        from kg.curation.lint import lint

        return lint(self.project)

    def classes(self) -> dict[str, list[str]]:
        """The entity ``classes``, ``roles``, ``themes``, beneficiary groups (``serves``) and the kinds
        and forms of amounts of money that data/ may use, as the ontology defines them."""
        from kg.model.money import amount_forms, amount_kinds
        from kg.model.ontology import load_project_ontology

        onto = load_project_ontology(self.project)
        return {"classes": list(onto.entity_classes()), "roles": sorted(onto.roles), "themes": sorted(onto.themes),
                "serves": sorted(onto.beneficiaries),
                "amount-kinds": list(amount_kinds(onto)), "amount-forms": list(amount_forms(onto))}

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        """Counts by class, role, group served, source and language, and totals: ``{section: [(what, n), ...]}``.

        >>> import kg
        >>> sorted(kg.open().stats())
        ['by class', 'by group served', 'by language', 'by role', 'by source', 'totals']
        """
        from kg.ask.stats import dataset_stats

        return dataset_stats(self.store)

    def source_stats(self) -> list[tuple[str, int, int, int]]:
        """For each source: ``(source, entities, statements, figures)``."""
        from kg.ask.stats import source_stats

        return source_stats(self.store)

    def _nquads(self) -> Path:
        if self._build_dir is not None:
            return self._build_dir / "kg.nq"
        from kg.build.dataset import ensure_built

        return ensure_built(self.project).nquads

    def export(self, fmt: str = "trig") -> bytes:
        """The whole dataset with its provenance in ``fmt`` (a key of :data:`kg.build.export.FORMATS`).

        >>> import kg
        >>> kg.open().export("nquads")[:1]
        b'<'
        """
        from kg.build.export import export_bytes

        return export_bytes(self._nquads(), _choice(fmt, _export_formats(), "format"))

    def write_export(self, path: str | Path, fmt: str = "trig") -> int:
        """Write :meth:`export` to ``path`` atomically; return the number of bytes written."""
        from kg.build.export import write_export

        return write_export(self._nquads(), _choice(fmt, _export_formats(), "format"), Path(path))

    # --- names ------------------------------------------------------------------------------

    def resolve(self, text: str, *, what: str = "entity") -> str:
        """The IRI that ``text`` names: an id, an ISO code, a prefixed name, an IRI, or a name in
        English, Chinese or pinyin. Every place a user names an entity goes through here.

        >>> import kg
        >>> kg.open().resolve("腾讯")
        'https://w3id.org/edu-equity-kg/id/tencent'
        """
        from kg.ask.names import resolve_entity

        return resolve_entity(self.store, text, what=what)

    def warnings(self) -> list[str]:
        """What may make answers wrong without being an error, one line each: a remote endpoint
        whose default graph is not the merge of the named graphs (``kg query`` prints these)."""
        from kg.store.endpoint import EndpointStore

        store = self.store
        if isinstance(store, EndpointStore) and (problem := store.default_graph_problem()):
            return [f"SPARQL endpoint {store.url}: {problem}"]
        return []

    def _entity_id(self, text: str) -> str:
        """An entity's id (``tencent``; a prefixed name outside ``kgid:``) from anything :meth:`resolve` takes."""
        from kg.ask.names import entity_id

        return entity_id(self.store, text)

    def search(self, text: str, *, limit: int = 20, lang: str = "en") -> list[Hit]:
        """Entities whose id, name or alias matches ``text`` (English, Chinese or pinyin), best first.

        >>> import kg
        >>> kg.open().search("guang he ji hua")[0].id
        'guanghe-plan'
        """
        from kg.ask.search import search

        return search(self.store, text, limit=limit, lang=lang)

    # --- questions ------------------------------------------------------------------------

    def named_questions(self) -> list[NamedQuery]:
        """The named questions of the project's queries/, parsed (see :meth:`questions` for a table)."""
        from kg.ask.questions import list_queries

        return list_queries(self.project)

    def questions(self) -> pd.DataFrame:
        """The named questions: name, number, summary and parameters, as a DataFrame.

        >>> import kg
        >>> kg.open().questions().loc[0, "name"]
        'partners-of-organization'
        """
        pd = _pandas()
        return pd.DataFrame([(q.name, q.number, q.summary, ", ".join(p.describe() for p in q.parameters))
                             for q in self.named_questions()],
                            columns=["name", "number", "summary", "parameters"])

    def result(self, question: str | Path | None = None, params: Mapping[str, Any] | None = None, /, *,
               file: str | Path | None = None, sparql: str | None = None, lang: str = "en",
               timeout: float | None = 30.0, allow_service: bool = False, **kwargs: Any) -> Result:
        """Answer one question and return the engine's :class:`kg.store.base.Result` (``kg query``).

        The question is ``question`` (a named question's name or number, a path to a ``.rq``
        file, or SPARQL text), or ``file``, or ``sparql``: exactly one. Parameters go as a
        mapping or as keywords (a trailing ``_`` is dropped: ``from_=2019`` gives ``from``) and
        are bound by :func:`kg.ask.running.run_named`, never pasted into the text; an IRI
        parameter may name its entity as :meth:`resolve` does. ``?xLabel`` columns are filled in
        ``lang``. Updates are refused, and SERVICE unless ``allow_service``.

        >>> import kg
        >>> r = kg.open().result("funders")
        >>> r.columns[:2], len(r.rows) > 0
        (['funder', 'funderLabel'], True)
        """
        from kg.ask.questions import load_query, parse_query_file
        from kg.ask.running import run, run_named

        given = [x for x in (question, file, sparql) if x]
        if len(given) != 1:
            raise UserError("give exactly one question: a named question (see `kg queries`), a .rq file "
                            "or SPARQL text")
        if isinstance(question, str) and _looks_like_sparql(question):
            sparql = question
        elif question is not None and (isinstance(question, Path) or str(question).endswith(".rq")):
            file = question
        values = {k.rstrip("_"): v for k, v in {**(params or {}), **kwargs}.items()}
        values = {k: v if isinstance(v, str) else str(v) for k, v in values.items()}
        options: dict[str, Any] = {"lang": lang, "timeout": timeout, "allow_service": allow_service}
        if sparql is not None:
            if values:
                raise UserError("parameters go with a named question or a .rq file, not with SPARQL text; "
                                "bind values in the text with VALUES")
            return run(self.store, sparql, file="sparql", **options)
        if file is not None:
            path = Path(file)
            if not path.is_file():
                raise UserError(f"{path}: no such query file")
            query = parse_query_file(path, self.project.relative(path))
        else:
            query = load_query(self.project, str(question))
        return run_named(self.store, query, values, **options)

    def query(self, question: str | Path, params: Mapping[str, Any] | None = None, /, *, lang: str = "en",
              timeout: float | None = 30.0, **kwargs: Any) -> pd.DataFrame | bool:
        """Answer a named question (or run SPARQL text) and return a DataFrame.

        As :meth:`result`, as a table: IRIs become ids (``tencent``) or prefixed names
        (``role:funder``), numbers are numbers, the parameter columns are left out; an ASK
        query gives a bool.

        >>> import kg
        >>> g = kg.open()
        >>> funders = g.query("funders")[["funder", "funded", "source", "locator"]].values.tolist()
        >>> ['tencent-charity-foundation', 'iioe', 'src:meet-2021', 'p3'] in funders
        True
        >>> "腾讯公益慈善基金会" in set(g.query("SELECT ?f ?fLabel WHERE { ?f a kg:Foundation }", lang="zh").fLabel)
        True
        """
        return _frame(self.result(question, params, lang=lang, timeout=timeout, **kwargs))

    # --- facts ---------------------------------------------------------------------------

    def description(self, entity: str, *, lang: str = "en") -> Description:
        """The :class:`kg.ask.describe.Description` of ``entity`` (``kg describe``): its names,
        types and statements, each with its sources. ``entity`` as :meth:`resolve` takes it.

        >>> import kg
        >>> kg.open().description("腾讯公益慈善基金会").id
        'tencent-charity-foundation'
        """
        from kg.ask.describe import describe

        return describe(self.store, self._entity_id(entity), lang=lang)

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

    # --- networks ------------------------------------------------------------------------

    def network(self, view: str | None = None, *, entity: str | None = None, depth: int = 2,
                lang: str = "en", for_page: bool = False, **filters: Any) -> nx.Graph:
        """A networkx view of who works with whom (see :data:`kg.networks.views.VIEWS`).

        ``view`` defaults to ``participation``, or to ``ego`` when an ``entity`` is given (its
        centre, named as :meth:`resolve` takes it, to ``depth`` steps); an entity with another
        view is an error. ``filters`` are those of :class:`kg.networks.views.Filters`:
        ``types``, ``roles``, ``sources``, ``regions``, ``serves`` (each one value or a list), ``since``,
        ``until`` (years) and ``min_weight``; a view that nothing matches is an empty graph
        (a page, an export or stats of it are errors: see :meth:`drawable`). Nodes
        carry ``labels``, ``kind`` and the metrics ``degree``, ``weighted_degree``,
        ``betweenness``, ``community``; edges ``roles``, ``weight``, ``via`` and ``sources``.
        ``for_page``: betweenness as a page has it, estimated sooner on big views
        (:func:`kg.networks.views.network`).

        >>> import kg
        >>> g = kg.open().network("participation", roles="funder")
        >>> funds = g.edges["tencent-charity-foundation", "iioe"]
        >>> funds["roles"], "meet-2021:p3" in funds["sources"]
        (['funder'], True)
        """
        from kg.networks.views import DEFAULT_VIEW, load, network

        view = view or ("ego" if entity else DEFAULT_VIEW)
        chosen = _filters(filters)
        if self._network_data is None:
            store = self.store  # a build's store keeps what was read from it, for every Graph on it
            self._network_data = kept(store, "network_data", lambda: load(store))
        if chosen.regions:  # a region by id, ISO code or any of its names ("Inner Mongolia", 内蒙)
            from kg.ask.names import entity_id

            known = set(self._network_data.regions)
            chosen = replace(chosen, regions=tuple(r if r in known else entity_id(self.store, r, what="region")
                                                   for r in chosen.regions))
        center = self._entity_id(entity) if entity else None
        return network(self._network_data, view, chosen, entity=center, depth=depth, lang=lang, for_page=for_page)

    def drawable(self, view: str | nx.Graph | None = None, *, lang: str = "en", **options: Any) -> nx.Graph:
        """:meth:`network` (or the graph given), refused when empty: what a page, an export and
        stats are made of, since one of nothing is a mistake in the filters, not an answer.

        >>> import kg
        >>> kg.open().drawable("participation", since=2099)
        Traceback (most recent call last):
        ...
        kg.errors.UserError: kg: the view is empty: nothing matches the filters (since=2099)
        """
        graph = self.network(view, lang=lang, **options) if view is None or isinstance(view, str) else view
        if not graph:
            raise UserError(f"the view is empty: nothing matches the filters ({graph.graph.get('filters', '')})")
        return graph

    def network_stats(self, view: str | None = None, *, top: int = 10, lang: str = "en",
                      **options: Any) -> NetworkStats:
        """A view's size, components and communities, and its top ``top`` actors by each metric
        (``kg network stats``); ``view`` and the keywords are those of :meth:`network`.

        >>> import kg
        >>> kg.open().network_stats("coparticipation", top=1).view
        'coparticipation'
        """
        from kg.networks.views import network_stats

        return network_stats(self.drawable(view, lang=lang, **options), top=top, lang=lang)

    def export_network(self, view: str | nx.Graph | None, fmt: str, path: str | Path, *, lang: str = "en",
                       **options: Any) -> list[Path]:
        """Write a view (or a graph :meth:`network` made) as ``fmt`` (a key of
        :data:`kg.networks.export.FORMATS`: gexf, graphml, csv) to ``path``; return the files
        written (for csv, ``nodes.csv`` and ``edges.csv`` in the folder ``path``)."""
        from kg.networks.export import FORMATS, export_network

        fmt = _choice(fmt, FORMATS, "format")
        return export_network(self.drawable(view, lang=lang, **options), fmt, path, lang=lang)

    def metrics(self, view: str | nx.Graph | None = None, *, lang: str = "en", **options: Any) -> pd.DataFrame:
        """A view's nodes with their metrics, one row each, the biggest brokers first.

        Columns: ``label`` (in ``lang``), ``kind``, ``degree``, ``weighted_degree``,
        ``betweenness``, ``community``, ``component``; the index is the entity id, and rows
        are sorted by betweenness, then degree. ``view`` and the keywords are those of
        :meth:`network` (or give a graph it made).

        >>> import kg
        >>> m = kg.open().metrics("participation")
        >>> m.betweenness.is_monotonic_decreasing, m.loc["tang-daosheng", "kind"]
        (True, 'Person')
        """
        pd = _pandas()
        if view is None or isinstance(view, str):  # the metrics a page of the view shows
            graph = self.network(view, lang=lang, for_page=True, **options)
        else:
            graph = view
        columns = ["degree", "weighted_degree", "betweenness", "community", "component"]

        def label(node: str, attrs: Mapping[str, Any]) -> str:
            labels = attrs.get("labels") or {}
            return labels.get(lang) or labels.get("en") or labels.get("zh") or node

        rows = {n: {"label": label(n, a), "kind": a.get("kind"), **{c: a.get(c) for c in columns}}
                for n, a in graph.nodes(data=True)}
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=["label", "kind", *columns])
        return frame.sort_values(["betweenness", "degree"], ascending=False, kind="stable")

    def show(self, view: str | nx.Graph | None = None, *, lang: str = "en", title: str | None = None,
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

        graph = self.drawable(view, lang=lang, for_page=True, **options)
        title = title or page_title(graph, lang)
        other = self._rolled_the_other_way(view, graph, lang=lang, **options)
        return Page(render_html(graph, lang=lang, title=title, size_by=size_by, other=other), title=title,
                    height=height, nodes=graph.number_of_nodes(), edges=graph.number_of_edges())

    def _rolled_the_other_way(self, view: str | nx.Graph | None, graph: nx.Graph, *, lang: str,
                              **options: Any) -> nx.Graph | None:
        """The view of a page with roll-up switched the other way, for the page's switch: None
        for a graph given as such, and where roll-up changes nothing in the view."""
        if not (view is None or isinstance(view, str)) or not (self._network_data and self._network_data.roll_up):
            return None
        if graph.number_of_nodes() > ROLL_UP_SWITCH_MAX:  # a second view would double a big page's wait
            return None
        try:
            other = self.network(view, lang=lang, for_page=True, **{**options, "roll_up": not options.get("roll_up")})
        except UserError:  # an ego centre that is rolled into its parent
            return None
        return other if other and sorted(other) != sorted(graph) else None


def _choice(value: str, registry: Mapping[str, Any], what: str) -> str:
    """``value`` when it is a key of ``registry``, else a :class:`UserError` listing the keys."""
    if value not in registry:
        raise UserError(f"unknown {what} {value!r}; one of: {', '.join(registry)}")
    return value


def _export_formats() -> Mapping[str, Any]:
    from kg.build.export import FORMATS

    return FORMATS


def _filters(options: Mapping[str, Any]) -> Any:
    """:class:`kg.networks.views.Filters` from keywords; one value or a list for the list filters."""
    from kg.networks.views import Filters

    names = [f.name for f in fields(Filters)]
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise UserError(f"unknown filter(s) {', '.join(map(repr, unknown))}; the filters are: {', '.join(names)}")
    plural = {"types", "roles", "sources", "regions", "serves"}
    clean: dict[str, Any] = {k: ((v,) if isinstance(v, str) else tuple(v)) if k in plural else v
                             for k, v in options.items() if v is not None}
    return Filters(**clean)


def open_store(project: Project, endpoint: str | None = None) -> EmbeddedStore | EndpointStore:
    """The store to query: a remote endpoint when one is set (see
    :func:`kg.store.endpoint.endpoint_settings`), else the current build's embedded store,
    building first when it is missing or stale.

    The freshness check (:func:`kg.build.state.fresh_build`) is light; the build machinery is
    imported only when a build is due, and HTTP only for a remote endpoint.
    """
    from kg.store.endpoint import endpoint_settings

    settings = endpoint_settings(project, endpoint if endpoint is not None else project.endpoint)
    if settings:
        from kg.store.endpoint import endpoint_store

        return endpoint_store(settings)
    from kg.build.state import fresh_build
    from kg.store.embedded import build_store

    path = fresh_build(project)
    if path is None:
        from kg.build.dataset import build
        from kg.build.state import current_path

        try:
            path = build(project).path
        except UserError as e:  # the data changed and has problems: the last good build still answers
            last = current_path(project)
            if project.fresh or last is None or not (last / "store").is_dir():
                raise
            more = f" and {len(e.problems) - 1} more" if len(e.problems) > 1 else ""
            print(f"kg: answering from the last good build: data/ has problems ({e.problems[0]}{more}; "
                  "kg validate lists them, --fresh refuses)", file=sys.stderr, flush=True)
            path = last
    return build_store(path / "store")


def open_graph(path: str | Path | None = None, *, project: Project | str | Path | None = None,
               store: Store | None = None, endpoint: str | None = None) -> Graph:
    """The graph of a project, of a build folder, or in a store.

    ``path`` is a project folder (with data/) or a build folder (with store/); ``project`` a
    :class:`kg.project.Project` or its folder; ``store`` any store; ``endpoint`` a SPARQL
    endpoint's query URL (``"embedded"``: the build, whatever the settings say). Without
    any: the current project (see :meth:`kg.project.Project.default`). The store is opened,
    and the build made when needed, on first use.

    >>> open_graph().store.query("ASK { kgid:tencent a kg:Company }").boolean
    True
    """
    if project is not None:
        if path is not None:
            raise UserError("give a path or a project, not both")
        chosen = project if isinstance(project, Project) else Project(Path(project).resolve())
        return Graph(store, chosen, endpoint=endpoint)
    if path is None:
        return Graph(store, Project.default(), endpoint=endpoint)
    folder = Path(path).resolve()
    if (folder / "data").is_dir():
        return Graph(store, Project(folder), endpoint=endpoint)
    if store is not None:
        return Graph(store, None, endpoint=endpoint)
    if (folder / "store").is_dir():
        from kg.store.embedded import EmbeddedStore

        return Graph(EmbeddedStore(folder / "store"), build_dir=folder)
    raise UserError(f"{folder}: neither a project folder (with data/) nor a build folder (with store/)")
