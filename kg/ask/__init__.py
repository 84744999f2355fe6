"""Questions over a store: named SPARQL questions, results, names, describe, search, counts."""
