"""Countries and provinces from ISO 3166, through pycountry (names in English and Chinese).

>>> r = iso_region("CN-AH")
>>> r.names, r.part_of, r.type
({'en': 'Anhui', 'zh': '安徽省'}, 'CN', 'Province')
>>> iso_region("CN").names["zh"]
'中国'
>>> iso_region("XX-YY") is None
True
"""

from __future__ import annotations

import gettext
import re
from functools import cache

from kg.curation.records import Citation, Region, Where

# Names pycountry's zh_CN catalogue lacks (checked against pycountry 26.2), from the same
# ISO 3166-2 list in Chinese.
_ZH_MISSING = {"CN-NX": "宁夏回族自治区"}

# What ISO 3166-2 appends to Chinese province names; the short name drops it ("Anhui Sheng").
_SUFFIX = re.compile(r"\s+(?:Sheng|Shi|Zizhiqu|Zhuangzu Zizhiqu|Huizu Zizhiqu|Uygur Zizhiqu|SAR)$")


@cache
def _translations(domain: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def iso_region(code: str) -> Region | None:
    """The country (``CN``) or province (``CN-AH``) with this ISO 3166 code, or None."""
    import pycountry

    where = Where("ISO 3166 (pycountry)", 0)
    if "-" not in code:
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return None
        names = {"en": country.name}
        zh = _translations("iso3166-1").gettext(country.name)
        if zh != country.name:
            names["zh"] = zh
        return Region(code, "Country", names, None, Citation("iso-3166", code), where, iso=code)
    sub = pycountry.subdivisions.get(code=code)
    if sub is None:
        return None
    names = {"en": _SUFFIX.sub("", sub.name)}
    zh = _ZH_MISSING.get(code) or _translations("iso3166-2").gettext(sub.name)
    if zh != sub.name:
        names["zh"] = zh
    parent = sub.parent_code or sub.country_code
    aliases: dict[str, tuple[str, ...]] = {"en": (sub.name,)} if sub.name != names["en"] else {}
    return Region(code, "Province", names, parent, Citation("iso-3166", code), where, iso=code,
                  aliases=aliases)


_ZH_SHORT = re.compile(r"(?:省|市|(?:回族|维吾尔|壮族)?自治区|特别行政区)$")


@cache
def china_subdivisions() -> dict[str, frozenset[str]]:
    """Every ISO 3166-2:CN code with the names a text may use for it: pycountry's English name
    with and without its division word, the Chinese name, and the Chinese name without 省, 市,
    自治区 or 特别行政区.

    >>> sorted(china_subdivisions()["CN-GS"])
    ['Gansu', 'Gansu Sheng', '甘肃', '甘肃省']
    """
    import pycountry

    out = {}
    for sub in pycountry.subdivisions.get(country_code="CN") or []:
        region = iso_region(sub.code)
        if region is None:
            continue
        forms = set(region.names.values()) | {a for group in region.aliases.values() for a in group}
        if "zh" in region.names:
            short = _ZH_SHORT.sub("", region.names["zh"])
            if len(short) >= 2:
                forms.add(short)
        out[sub.code] = frozenset(f for f in forms if len(f) >= 2)
    return out
