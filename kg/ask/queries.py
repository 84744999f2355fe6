"""The old import path of named questions, kept while other branches still import it.

The work is done in :mod:`kg.ask.questions` (files and headers), :mod:`kg.ask.parameters`
(parameters and their binding), :mod:`kg.ask.running` (running a query),
:mod:`kg.ask.names` (naming an entity) and :mod:`kg.sparql` (reading query text). Import
from those; this module only re-exports them and goes once no caller is left.
"""

from __future__ import annotations

from kg.ask.catalogue import example_values
from kg.ask.names import resolve_entity
from kg.ask.parameters import XSD_PATTERNS, Parameter, bind_parameters, parameter_term
from kg.ask.questions import (
    CHECKS_DIR,
    HEADER_KEYS,
    NamedQuery,
    list_queries,
    load_query,
    parse_query,
    parse_query_file,
    query_files,
)
from kg.ask.running import Labels, QueryTimeout, fill_labels, run, run_named
from kg.sparql import check_query, strip_literals

resolve_iri = resolve_entity

__all__ = ["CHECKS_DIR", "HEADER_KEYS", "XSD_PATTERNS", "Labels", "NamedQuery", "Parameter", "QueryTimeout",
           "bind_parameters", "check_query", "example_values", "fill_labels", "list_queries", "load_query",
           "parameter_term", "parse_query", "parse_query_file", "query_files", "resolve_entity", "resolve_iri",
           "run", "run_named", "strip_literals"]
