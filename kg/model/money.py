"""Amounts of money, defined once: the kinds and forms an amount may have (read from the
ontology's concept schemes ``kg:AmountKinds`` and ``kg:AmountForms``), the currency check
(ISO 4217, with pycountry), and how an amount reads in words.

Amounts are never converted between currencies, nor added across currencies or kinds.

>>> from kg.model.ontology import load_ontology
>>> from kg.project import Project
>>> onto = load_ontology(Project.default().ontology_file)
>>> amount_kinds(onto), amount_forms(onto)
(('committed', 'disbursed', 'planned'), ('cash', 'in-kind'))
>>> check_currency("CNY") is None, check_currency("RMB")
(True, "'RMB' is not an ISO 4217 currency code (write CNY for renminbi)")
>>> amount_text("2200000", "CNY", kind="committed", qualifier="about", forms=("cash", "in-kind"))
'about 2,200,000 CNY committed (cash, in-kind)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from kg.model.ontology import Ontology
from kg.model.vocab import KG, RDF

_CODE = re.compile(r"^[A-Z]{3}$")
#: Names that are not ISO 4217 codes but are often written for one (the hint of an error).
_NOT_CODES = {"RMB": "CNY for renminbi", "YUAN": "CNY for renminbi", "元": "CNY for renminbi",
              "人民币": "CNY for renminbi", "US$": "USD", "$": "USD, HKD, ... as the source means",
              "HK$": "HKD", "MOP$": "MOP", "¥": "CNY or JPY, as the source means", "￥": "CNY"}


def _instances(onto: Ontology, cls: str) -> tuple[str, ...]:
    """The kg: terms typed ``cls`` in the ontology, by local name, sorted."""
    ns = str(KG)
    return tuple(sorted(q.subject.value[len(ns):] for q in onto.quads
                        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(ns)
                        and q.predicate.value == RDF.type and isinstance(q.object, ox.NamedNode)
                        and q.object.value == cls))


def amount_kinds(onto: Ontology) -> tuple[str, ...]:
    """The kinds an amount may have: the concepts of ``kg:AmountKinds`` (planned, committed, disbursed)."""
    return _instances(onto, KG.AmountKind)


def amount_forms(onto: Ontology) -> tuple[str, ...]:
    """The forms an amount may be given in: the concepts of ``kg:AmountForms`` (cash, in-kind)."""
    return _instances(onto, KG.AmountForm)


def check_currency(code: str) -> str | None:
    """None when ``code`` is an ISO 4217 currency code (pycountry's list), else what is wrong.

    >>> check_currency("USD"), check_currency("cny")
    (None, "'cny' is not an ISO 4217 currency code (codes are upper case: CNY)")
    >>> check_currency("XYZ")
    "'XYZ' is not an ISO 4217 currency code"
    """
    import pycountry

    if _CODE.match(code) and pycountry.currencies.get(alpha_3=code) is not None:
        return None
    hint = _NOT_CODES.get(code.upper())
    if hint is None and code.upper() != code and check_currency(code.upper()) is None:
        hint = f"codes are upper case: {code.upper()}"
    elif hint is not None:
        hint = f"write {hint}"
    return f"{code!r} is not an ISO 4217 currency code" + (f" ({hint})" if hint else "")


def grouped(value: str) -> str:
    """A plain number with thousands separators, for reading (``7700000`` -> ``7,700,000``).

    >>> grouped("7700000"), grouped("1234.5"), grouped("12")
    ('7,700,000', '1,234.5', '12')
    """
    whole, dot, fraction = value.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-') or 0):,}{dot}{fraction}"


def amount_text(value: str, currency: str, *, kind: str = "", qualifier: str = "",
                forms: Iterable[str] = ()) -> str:
    """An amount in words, its qualifier first so that it is never read as exact.

    >>> amount_text("3000000", "CNY", kind="committed"), amount_text("50000", "USD", qualifier="up-to")
    ('3,000,000 CNY committed', 'up to 50,000 USD')
    """
    words = [qualifier.replace("-", " "), grouped(value), currency, kind]
    text = " ".join(w for w in words if w)
    forms = sorted(forms)
    return text + (f" ({', '.join(forms)})" if forms else "")
