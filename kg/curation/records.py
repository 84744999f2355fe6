"""The records that curated files become: sources, entities, regions and facts, with where
each was written; the value rules (ids, locators, numbers, dates) they are checked against.

>>> check_date("2021-04-20") is None, date_type("2021-04")
(True, 'gYearMonth')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.model.ontology import Ontology
from kg.model.relations import FIGURE_CLASSES

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_RE = re.compile(r"^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$")
LOCATOR_RE = re.compile(r"^p([1-9][0-9]*)(?:-([1-9][0-9]*))?$")
NUMBER_RE = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")
DATE_RES = {
    "gYear": re.compile(r"^([0-9]{4})$"),
    "gYearMonth": re.compile(r"^([0-9]{4})-([0-9]{2})$"),
    "date": re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$"),
    "gMonthDay": re.compile(r"^--([0-9]{2})-([0-9]{2})$"),
}
DRAFTS_DIR = "drafts"  # data/drafts/: candidates awaiting review, which the build never reads
URL_RE = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
LANGUAGES = {"en": "English", "zh": "Chinese"}
SOURCE_KINDS = ("web-page", "news-article", "press-release", "encyclopedia-entry", "report",
                "gazetteer", "curation")
CONFIDENCE = ("high", "medium", "low")
QUALIFIERS = ("about", "more-than", "at-least", "fewer-than", "up-to")
FIGURE_KINDS = tuple(FIGURE_CLASSES)
REGION_TYPES = ("City", "District", "RegionGroup")
META_KEYS = ("at", "note", "confidence", "stated", "inferred")
MAX_ID = 100  # characters in an id (the longest curated one has about 60)
MAX_LABEL = 500  # characters in a name, alias, title or counted thing
MAX_TEXT = 5000  # characters in a note or any other free text
MAX_LOCATOR = 100  # characters in a free-text locator

#: The keys of a fact whose value is an entity or region id, in any form.
REF_KEYS = ("actor", "in", "person", "org", "of", "where", "subject", "object", "according_to", "from", "to")

FORM_KEYS = {
    "role": ("actor", "role", "in", "start", "end"),
    "post": ("person", "post", "org", "start", "end"),
    "figure": ("of", "counts", "unit", "as_of", "where", "qualifier", "according_to"),
    "amount": ("amount", "currency", "kind", "form", "from", "to", "as_of", "start", "end", "where",
               "qualifier"),
}


@dataclass(frozen=True)
class Where:
    """A place in a curated file."""

    file: str
    line: int


@dataclass(frozen=True)
class Citation:
    """A source and a locator in it."""

    source: str
    locator: str


@dataclass
class Source:
    id: str
    title: dict[str, str]
    language: str
    kind: str
    where: Where
    file: str | None = None
    publisher: str | None = None
    date: str | None = None  # the date the document was published
    note: str | None = None
    url: str | None = None
    author: str | None = None
    accessed: str | None = None  # the date the document was read at its url
    licence: str | None = None


@dataclass
class Entity:
    id: str
    types: tuple[str, ...]
    names: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    seen: tuple[Citation, ...]
    where: Where
    note: str | None = None
    kinds: frozenset[str] = frozenset()
    distinct_from: tuple[str, ...] = ()


@dataclass
class Region:
    id: str
    type: str
    names: dict[str, str]
    part_of: str | None
    source: Citation
    where: Where
    iso: str | None = None
    code: str | None = None
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # established names from kg's table of China's regions (kg/curation/cn_regions.tsv): cited
    # to the curators, not to ``source``; a name here is preferred over ``names`` in its language
    established: dict[str, str] = field(default_factory=dict)
    established_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str | None = None

    def all_names(self) -> set[str]:
        """Every name and alias, in every language."""
        return ({*self.names.values(), *self.established.values()}
                | {a for table in (self.aliases, self.established_aliases) for group in table.values() for a in group})


@dataclass
class Fact:
    """One curated statement: its form (role, post, figure, amount, relation) and values."""

    source: str
    locator: str
    form: str
    values: dict[str, Any]
    where: Where
    lines: dict[str, int] = field(default_factory=dict)
    note: str | None = None
    confidence: str | None = None
    stated: str | None = None
    inferred: str | None = None


@dataclass
class Curation:
    """Everything read from data/, with the ontology it was checked against."""

    ontology: Ontology
    sources: dict[str, Source] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    count_only: list[str] = field(default_factory=list)  # sources whose text is not at hand: checked by count


def check_date(value: str) -> str | None:
    """None when ``value`` is a date the data accepts, else what is wrong with it.

    >>> check_date("2021-04-20"), check_date("--12-04"), check_date("2021")
    (None, None, None)
    >>> check_date("2021-02-30")
    "'2021-02-30' is not a real date"
    >>> check_date("20 18")
    "'20 18' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD)"
    >>> check_date("0000")
    "'0000' is not a real date (there is no year 0)"
    """
    for name, rx in DATE_RES.items():
        m = rx.match(value)
        if not m:
            continue
        if name != "gMonthDay" and int(m[1]) == 0:
            return f"{value!r} is not a real date (there is no year 0)"
        try:
            if name == "gYearMonth":
                dt.date(int(m[1]), int(m[2]), 1)
            elif name == "date":
                dt.date(int(m[1]), int(m[2]), int(m[3]))
            elif name == "gMonthDay":
                dt.date(2000, int(m[1]), int(m[2]))  # a leap year: --02-29 is a real day
        except ValueError:
            return f"{value!r} is not a real date"
        return None
    return f"{value!r} is not a date (YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD)"


def date_type(value: str) -> str:
    """The XSD datatype name of a checked date: ``gYear``, ``gYearMonth``, ``date`` or ``gMonthDay``."""
    return next(name for name, rx in DATE_RES.items() if rx.match(value))


