"""Where a dataset lives: embedded Oxigraph, a remote SPARQL endpoint, a server (never builds)."""
