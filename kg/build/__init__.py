"""Records -> triples (+ derived summaries) -> a validated dataset under build/, atomically."""
