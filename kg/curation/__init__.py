"""Reading the curated files in data/: strict YAML with line numbers -> checked records."""
