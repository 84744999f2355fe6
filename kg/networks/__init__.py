"""Dataset -> networkx views of who works with whom, their metrics and exports (no HTML)."""
