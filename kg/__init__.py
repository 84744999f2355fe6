"""kg: an open knowledge graph of the actors working on education equity.

The library does the work; ``kg.cli`` is a thin command line over it, and both go through
one face, :func:`kg.open` -> :class:`kg.graph.Graph`. The packages follow the data:
``curation`` (data/ -> records), ``model`` (terms read from the ontology), ``build`` (records
-> triples -> a validated dataset under build/), ``store`` (where a dataset lives), ``ask``
(questions, names, describe), ``networks`` (networkx views) and ``page`` (the HTML page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported lazily at run time, so that ``import kg`` stays light
    from pathlib import Path

    from kg.graph import Graph
    from kg.project import Project
    from kg.store.base import Store

__version__ = "0.1.0"


def open(path: str | Path | None = None, *, project: Project | str | Path | None = None,  # noqa: A001 - kg.open() reads like open(); the builtin is untouched elsewhere
         store: Store | None = None, endpoint: str | None = None) -> Graph:
    """The knowledge graph as a :class:`kg.graph.Graph`: ``g = kg.open()``.

    ``path`` is a project folder (with data/) or a build folder; ``project`` a
    :class:`kg.project.Project` (or its folder); ``store`` any :class:`kg.store.base.Store`;
    ``endpoint`` a SPARQL endpoint's query URL. Without any: the current project's graph,
    built first if needed. The command line opens the graph the same way, so a method of the
    graph does what its command does. Imported lazily, so ``import kg`` stays light.

    >>> import kg
    >>> g = kg.open()
    >>> "tencent-charity-foundation" in set(g.query("funders")["funder"])
    True
    """
    from kg.graph import open_graph

    return open_graph(path, project=project, store=store, endpoint=endpoint)
