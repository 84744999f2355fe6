"""Money and qualified numbers in a text: amounts with their ISO 4217 currency, and the words that
qualify a number (约, 超过, about, more than, up to).

>>> [(m.value, m.currency) for m in find_money("资助300万元，另有2.2亿元和 USD 5,000")]
[('3000000', 'CNY'), ('220000000', 'CNY'), ('5000', 'USD')]
>>> money_qualifier("超过300万元", 2, "300万元"), money_qualifier("about USD 5,000", 6, "USD 5,000")
('more-than', 'about')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

ZH_MULT = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}
EN_MULT = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000}
NUM = r"\d[\d,]*(?:\.\d+)?"


@dataclass
class Amount:
    value: str
    currency: str
    words: str


def number(text: str, mult: int = 1) -> str:
    """A number's canonical text, times ``mult``, exactly (2.2 亿 is 220000000, not 2.2e+08)."""
    raw = Decimal(text.replace(",", "")) * mult
    return str(raw.quantize(Decimal(1))) if raw == raw.to_integral_value() else format(raw.normalize(), "f")


MONEY = re.compile(
    rf"(?P<zh>(?P<zn>{NUM})\s*(?P<zm>[万亿千])?\s*(?P<zq>多|余)?\s*(?:元|块)(?:人民币)?)"
    rf"|(?P<cur>RMB|CNY|USD|US\$|\$|¥|￥)\s*(?P<cn>{NUM})\s*(?P<cm>million|billion|thousand|万|亿)?"
    rf"|(?P<en>(?P<en_n>{NUM})\s*(?P<em>million|billion|thousand)?\s*(?P<unit>yuan|RMB|renminbi|dollars|USD))",
    re.IGNORECASE)
_CURRENCY = {"rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY", "yuan": "CNY", "renminbi": "CNY",
             "usd": "USD", "us$": "USD", "$": "USD", "dollars": "USD"}


def find_money(paragraph: str) -> list[Amount]:
    """Amounts of money with their ISO 4217 currency (no conversion)."""
    out = []
    for m in MONEY.finditer(paragraph):
        if m["zh"]:
            out.append(Amount(number(m["zn"], ZH_MULT.get(m["zm"] or "", 1)), "CNY", m.group(0)))
        elif m["cur"]:
            mult = EN_MULT.get((m["cm"] or "").lower()) or ZH_MULT.get(m["cm"] or "", 1)
            out.append(Amount(number(m["cn"], mult), _CURRENCY[m["cur"].lower()], m.group(0)))
        else:
            mult = EN_MULT.get((m["em"] or "").lower(), 1)
            out.append(Amount(number(m["en_n"], mult), _CURRENCY[m["unit"].lower()], m.group(0)))
    return out


# Words before a number that qualify it, and what data/README.md calls the qualifier.
_QUALIFIERS = {"约": "about", "大约": "about", "近": "about", "将近": "about", "接近": "about", "超过": "more-than",
               "逾": "more-than", "超": "more-than", "达": "", "至少": "at-least", "不少于": "at-least",
               "不到": "fewer-than", "不足": "fewer-than", "多达": "up-to", "最多": "up-to", "about": "about",
               "around": "about", "approximately": "about", "nearly": "about", "almost": "about",
               "some": "about", "more than": "more-than", "over": "more-than", "at least": "at-least",
               "fewer than": "fewer-than", "less than": "fewer-than", "under": "fewer-than", "up to": "up-to"}
_QUALIFIER_BEFORE = re.compile(r"(?:^|(?<=\W)|(?<=[\u4e00-\u9fff]))(" + "|".join(
    sorted(map(re.escape, _QUALIFIERS), key=len, reverse=True)) + r")\s*(?:已|了)?\s*$", re.IGNORECASE)
_AFTER_QUALIFIERS = {"多": "more-than", "余": "more-than", "以上": "more-than", "左右": "about"}


def qualifier(paragraph: str, start: int, after: str | None) -> str:
    """The qualifier of the number at ``start``: from the words before it, else ``after`` (多, 余 ...)."""
    m = _QUALIFIER_BEFORE.search(paragraph[max(0, start - 16):start])
    if m:
        return _QUALIFIERS[m[1].lower()]
    return _AFTER_QUALIFIERS.get(after or "", "")


def money_qualifier(text: str, start: int, words: str) -> str:
    """The qualifier of the amount ``words`` at ``start``: before it, inside (300万余元) or after (左右)."""
    inside = re.search(r"多|余", words)
    following = re.match(r"\s*(以上|左右|多)", text[start + len(words):])
    return qualifier(text, start, inside[0] if inside else following[1] if following else None)
