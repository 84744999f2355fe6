"""kg: an open knowledge graph of the actors working on education equity.

The library does the work; ``kg.cli`` is a thin command line over it. Reading order follows
the data: ``curation`` (data/ -> records), ``triples`` (records -> quads), ``build`` (quads ->
dataset under build/), ``validate``, ``store``, then questions, networks and pages.
"""

__version__ = "0.1.0"
