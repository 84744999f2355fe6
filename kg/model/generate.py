"""Write :mod:`kg.model.kg_terms`, the kg: terms the code may name, from ``ontology/kg.ttl``.

The code names ontology terms as ``KG.Participation``; the names it may use are those the
ontology defines, listed in a module generated from it (as rdflib's namespace modules are
"Generated from" their vocabularies), so that a typo is an error at first use and no list
is typed by hand. After editing kg.ttl, run::

    python -m kg.model.generate

``tests/test_vocab.py`` fails while the module and kg.ttl disagree, in either direction.

>>> from kg.project import Project
>>> "    \\"Participation\\"," in module_text(Project.default().ontology_file)
True
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox

from kg.model.vocab import KG, OWL, RDF

#: Where the generated module lives.
MODULE = Path(__file__).with_name("kg_terms.py")

_GROUPS = (("classes", {OWL.Class}),
           ("properties", {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}),
           ("individuals, concept schemes and the ontology itself", None))


def defined_terms(path: Path) -> dict[str, set[str]]:
    """Local name -> the types kg.ttl gives it, for every kg: term it describes."""
    ns = str(KG)
    out: dict[str, set[str]] = {}
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(ns):
            types = out.setdefault(t.subject.value[len(ns):], set())
            if t.predicate.value == RDF.type:
                types.add(t.object.value)
    return out


def module_text(path: Path) -> str:
    """The text of :mod:`kg.model.kg_terms` for the ontology at ``path``."""
    terms = defined_terms(path)
    lines = ['"""The kg: terms of the ontology, for :data:`kg.model.vocab.KG`.',
             "",
             "Generated from ontology/kg.ttl by ``python -m kg.model.generate``: do not edit.",
             '"""', "", "TERMS = ("]
    left = set(terms)
    for title, types in _GROUPS:
        group = sorted(n for n in left if types is None or terms[n] & types)
        left -= set(group)
        lines.append(f"    # {title}")
        lines += [f'    "{n}",' for n in group]
    lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Regenerate the module from this checkout's ontology (or the file given)."""
    from kg.project import PACKAGE_ROOT, Project

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else Project(PACKAGE_ROOT).ontology_file
    MODULE.write_text(module_text(path), encoding="utf-8")
    print(f"wrote {MODULE} from {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
