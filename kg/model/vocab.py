"""Namespaces and terms, in one place.

IRIs are plain strings so that fast paths (``kg query``) need no RDF library.
A term that a namespace does not define is an error at import time, not a
silently wrong IRI (the habit of rdflib's ``DefinedNamespace`` with ``_fail``):

>>> KG.Participation
'https://w3id.org/edu-equity-kg/ontology#Participation'
>>> KG.Partcipation
Traceback (most recent call last):
...
AttributeError: kg: has no term 'Partcipation'
"""

from __future__ import annotations

from kg.model.kg_terms import TERMS

BASE = "https://w3id.org/edu-equity-kg/"


class Vocab:
    """A namespace whose terms are fixed: ``Vocab(iri, "A B")`` knows only A and B."""

    def __init__(self, prefix: str, iri: str, terms: str = "", *, open_: bool = False):
        self._prefix = prefix
        self._iri = iri
        self._terms = frozenset(terms.split())
        self._open = open_

    def __getattr__(self, name: str) -> str:
        iri = self[name]
        setattr(self, name, iri)  # kept: the next ``KG.x`` is a plain attribute (hot loops)
        return iri

    def __getitem__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        if not self._open and name not in self._terms:
            raise AttributeError(f"{self._prefix}: has no term {name!r}")
        return self._iri + name

    def __str__(self) -> str:
        return self._iri

    @property
    def terms(self) -> frozenset[str]:
        return self._terms


# --- the project's own namespaces -------------------------------------------------------------

# The terms are those ontology/kg.ttl defines, generated from it (kg/model/generate.py).
KG = Vocab("kg", BASE + "ontology#", " ".join(TERMS))

ID = Vocab("kgid", BASE + "id/", open_=True)  # entities, by their curated id
ROLE = Vocab("role", BASE + "role/", open_=True)  # concepts of the role scheme
THEME = Vocab("theme", BASE + "theme/", open_=True)  # concepts of the theme scheme
BENEFICIARY = Vocab("beneficiary", BASE + "beneficiary/", open_=True)  # concepts of the beneficiary groups
SRC = Vocab("src", BASE + "source/", open_=True)  # registered source documents
FACT = Vocab("fact", BASE + "fact/", open_=True)  # one named graph per curated fact
GRAPH = Vocab("graph", BASE + "graph/", "ontology provenance sources regions derived")
DERIVED = Vocab("derived", BASE + "derived/", open_=True)  # nodes the build derives (kg/derive.py)

# --- W3C and other reused vocabularies -----------------------------------------------------------

RDF = Vocab("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#", open_=True)
RDFS = Vocab("rdfs", "http://www.w3.org/2000/01/rdf-schema#", open_=True)
OWL = Vocab("owl", "http://www.w3.org/2002/07/owl#", open_=True)
XSD = Vocab("xsd", "http://www.w3.org/2001/XMLSchema#", open_=True)
SKOS = Vocab("skos", "http://www.w3.org/2004/02/skos/core#", open_=True)
ORG = Vocab("org", "http://www.w3.org/ns/org#", open_=True)
PROV = Vocab("prov", "http://www.w3.org/ns/prov#", open_=True)
SCHEMA = Vocab("schema", "https://schema.org/", open_=True)
TIME = Vocab("time", "http://www.w3.org/2006/time#", open_=True)
DCTERMS = Vocab("dcterms", "http://purl.org/dc/terms/", open_=True)
FOAF = Vocab("foaf", "http://xmlns.com/foaf/0.1/", open_=True)
SH = Vocab("sh", "http://www.w3.org/ns/shacl#", open_=True)

PREFIXES: dict[str, str] = {
    v._prefix: v._iri
    for v in (KG, ID, ROLE, THEME, BENEFICIARY, SRC, FACT, GRAPH, DERIVED, RDF, RDFS, OWL, XSD, SKOS, ORG, PROV,
              SCHEMA, TIME, DCTERMS, FOAF, SH)
}


def sparql_prefixes() -> str:
    """The PREFIX lines for every namespace above, for queries that leave them out.

    >>> "PREFIX kg: <https://w3id.org/edu-equity-kg/ontology#>" in sparql_prefixes()
    True
    """
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """A prefixed name for ``iri`` where a namespace above covers it, else ``<iri>``.

    >>> shorten("https://w3id.org/edu-equity-kg/id/tencent")
    'kgid:tencent'
    >>> shorten("http://example.org/x")
    '<http://example.org/x>'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]):]
        if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
            return f"{best}:{local}"
    return f"<{iri}>"


def short_id(iri: str) -> str:
    """How results name an IRI: an entity's id (``tencent``) for ``kgid:``, else the prefixed name.

    >>> short_id("https://w3id.org/edu-equity-kg/id/tencent"), short_id("https://w3id.org/edu-equity-kg/role/funder")
    ('tencent', 'role:funder')
    """
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else shorten(iri)
