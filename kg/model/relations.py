"""The relation keys of a curated fact (``part_of``, ``location``, ``theme`` ...), defined once:
what the object is, the kinds the subject and the object may have, and the property it
becomes in RDF (by the kinds of its two ends where it differs). Also the figure keys and
the classes they become.

The curation reader checks facts against this table and the build writes triples from it;
``tests/test_vocab.py`` checks that every kind named here is a kind of the ontology.

>>> RELATIONS["reaches"].property_for({"Initiative"}, {"Region"})
'https://schema.org/areaServed'
>>> RELATIONS["part_of"].property_for({"Organization"}, {"Organization"})
'http://www.w3.org/ns/org#subOrganizationOf'
>>> RELATIONS["founded_by"].property
'https://schema.org/founder'
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from kg.model.vocab import DCTERMS, KG, ORG, SCHEMA

#: A rule of :attr:`Relation.cases`: (subject kinds, object kinds, property); None matches any.
Case = tuple[frozenset[str] | None, frozenset[str] | None, str]


@dataclass(frozen=True)
class Relation:
    """One relation key. ``target`` is what the object is: ``ref`` (an entity or region id),
    ``date``, ``theme`` or ``beneficiary`` (a group of kg:BeneficiaryGroups); ``objects`` is
    empty unless the object is a ref."""

    key: str
    target: str
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    property: str
    cases: tuple[Case, ...] = ()

    def property_for(self, subject_kinds: Set[str], object_kinds: Set[str]) -> str:
        """The property for a subject and an object of these kinds: the first case that
        matches, else :attr:`property`."""
        for subjects, objects, prop in self.cases:
            if (subjects is None or subjects & subject_kinds) and (objects is None or objects & object_kinds):
                return prop
        return self.property


def _kinds(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_PARTS = _kinds("Organization Initiative Event Document Venue Product Goal")
_SCHEDULED = _kinds("Event Initiative Organization Document Product")

#: The key of a figure fact -> the class of the figure (all under kg:Measurement).
FIGURE_CLASSES: dict[str, str] = {"target": KG.Target, "outcome": KG.Outcome, "statistic": KG.Statistic}

#: Every relation key, in the order the reader lists them.
RELATIONS: dict[str, Relation] = {r.key: r for r in (
    Relation("part_of", "ref", _PARTS, (*_PARTS[:5], "Region", *_PARTS[5:]), SCHEMA.isPartOf, (
        (frozenset({"Organization"}), frozenset({"Organization"}), ORG.subOrganizationOf),
        (None, frozenset({"Region"}), SCHEMA.containedInPlace),
        (frozenset({"Venue"}), None, SCHEMA.containedInPlace),
    )),
    Relation("unit_of", "ref", _kinds("Organization"), _kinds("Organization"), ORG.unitOf),
    # affiliations (kg.model.rollup says which of them roll an organization up to another)
    Relation("founded_by", "ref", _kinds("Organization"), _kinds("Organization Person"), SCHEMA.founder),
    Relation("affiliated_with", "ref", _kinds("Organization"), _kinds("Organization"), KG.affiliatedWith),
    Relation("member_of", "ref", _kinds("Organization Person"), _kinds("Organization"), ORG.memberOf),
    Relation("location", "ref", _kinds("Event Organization Initiative Venue"),
             _kinds("Region Venue Organization"), SCHEMA.location),
    Relation("start", "date", _SCHEDULED, (), SCHEMA.startDate),
    Relation("end", "date", _SCHEDULED, (), SCHEMA.endDate),
    Relation("published", "date", _kinds("Document"), (), SCHEMA.datePublished),
    Relation("publisher", "ref", _kinds("Document"), _kinds("Organization Person"), SCHEMA.publisher),
    Relation("reaches", "ref", _kinds("Initiative Organization Event Product"), _kinds("Region"),
             SCHEMA.areaServed),
    Relation("responds_to", "ref", _kinds("Initiative Event Document Organization"),
             _kinds("Initiative Document Goal"), KG.respondsTo),
    Relation("announced_at", "ref", _kinds("Initiative Document Product Event"), _kinds("Event"),
             KG.announcedAt),
    Relation("theme", "theme", _kinds("Initiative Event Document Organization Product Goal"), (),
             DCTERMS.subject),
    # who is served (issue 14): a beneficiary group, and the members of a region group
    Relation("serves", "beneficiary", _kinds("Initiative Event Organization Product"), (), SCHEMA.audience),
    Relation("includes", "ref", _kinds("Region"), _kinds("Region"), SCHEMA.containsPlace),
)}
