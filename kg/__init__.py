"""kg: an open knowledge graph of the actors working on education equity.

The library does the work; ``kg.cli`` is a thin command line over it. Reading order follows
the data: ``curation`` (data/ -> records), ``triples`` (records -> quads), ``build`` (quads ->
dataset under build/), ``validate``, ``store``, then questions, networks and pages.
"""

__version__ = "0.1.0"


def open(path=None, *, store=None):  # noqa: A001 - kg.open() reads like open(); the builtin is untouched elsewhere
    """The knowledge graph as a :class:`kg.api.Graph`: ``g = kg.open()``.

    ``path`` is a project folder (with data/) or a build folder; ``store`` any
    :class:`kg.store.Store` (a remote endpoint). Without either: the current project's
    graph, built first if needed. Imported lazily, so ``import kg`` stays light.

    >>> import kg
    >>> g = kg.open()
    >>> g.query("funders").loc[0, "funder"]
    'tencent-charity-foundation'
    """
    from kg.api import open_graph

    return open_graph(path, store=store)
