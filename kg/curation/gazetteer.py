"""Countries and provinces from ISO 3166, through pycountry, with the established English and
Chinese names of China's regions from kg's own table (``cn_regions.tsv`` beside this module).

ISO 3166-2 romanizes a region's national name ("Nei Mongol Zizhiqu"); English texts say "Inner
Mongolia". pycountry has the first (and the Chinese name in its zh_CN catalogue) but not the
second, so the table adds it, with the other names texts use, each region once.

>>> r = iso_region("CN-AH")
>>> r.names, r.part_of, r.type
({'en': 'Anhui', 'zh': '安徽省'}, 'CN', 'Province')
>>> iso_region("CN-NM").established["en"], iso_region("CN-NM").names["en"]
('Inner Mongolia', 'Nei Mongol')
>>> iso_region("CN").names["zh"]
'中国'
>>> iso_region("XX-YY") is None
True
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.curation.records import Citation, Region, Where

TABLE = Path(__file__).with_name("cn_regions.tsv")

# What ISO 3166-2 appends to Chinese province names; the short name drops it ("Anhui Sheng").
_SUFFIX = re.compile(r"\s+(?:Sheng|Shi|Zizhiqu|Zhuangzu Zizhiqu|Huizu Zizhiqu|Uygur Zizhiqu|SAR)$")
_ZH_SHORT = re.compile(r"(?:省|市|(?:回族|维吾尔|壮族)?自治区|特别行政区)$")


@dataclass(frozen=True)
class _Names:
    """One row of the table: a region's established names."""

    en: str
    en_aliases: tuple[str, ...]
    zh_aliases: tuple[str, ...]
    zh: str  # the Chinese name where pycountry lacks it, else ""


@cache
def established_names() -> dict[str, _Names]:
    """The table of established names, by ISO code (a malformed row is a bug in kg: it raises).

    >>> established_names()["CN-XZ"].en
    'Tibet'
    """
    rows: dict[str, _Names] = {}
    lines = [line for line in TABLE.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    if header != ["code", "en", "en_aliases", "zh_aliases", "zh"]:
        raise ValueError(f"{TABLE}: unexpected header {header}")
    for number, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != 5 or not cells[1] or cells[0] in rows:
            raise ValueError(f"{TABLE}: data row {number} is malformed or repeats a code: {line!r}")
        code, en, en_aliases, zh_aliases, zh = cells
        rows[code] = _Names(en, tuple(a for a in en_aliases.split("|") if a),
                            tuple(a for a in zh_aliases.split("|") if a), zh)
    return rows


@cache
def _translations(domain: str) -> gettext.NullTranslations:
    import pycountry

    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)


def iso_region(code: str) -> Region | None:
    """The country (``CN``) or province (``CN-AH``) with this ISO 3166 code, or None.

    ``names`` and ``aliases`` are ISO 3166's (cited to it); ``established`` and
    ``established_aliases`` the table's (cited to the curators), with the Chinese name
    shortened (安徽 for 安徽省).
    """
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
    table = established_names().get(code)
    names = {"en": _SUFFIX.sub("", sub.name)}
    zh = (table.zh if table else "") or _translations("iso3166-2").gettext(sub.name)
    if zh != sub.name:
        names["zh"] = zh
    parent = sub.parent_code or sub.country_code
    aliases: dict[str, tuple[str, ...]] = {"en": (sub.name,)} if sub.name != names["en"] else {}
    established: dict[str, str] = {}
    more: dict[str, tuple[str, ...]] = {}
    if table is not None:
        if table.en != names["en"]:
            established["en"] = table.en
        iso_names = {names["en"], sub.name}
        if en_more := tuple(a for a in table.en_aliases if a not in iso_names):
            more["en"] = en_more
        short = _ZH_SHORT.sub("", names.get("zh", ""))
        zh_more = tuple(dict.fromkeys(a for a in ((short,) if len(short) >= 2 and short != names.get("zh") else ())
                                      + table.zh_aliases))
        if zh_more:
            more["zh"] = zh_more
    return Region(code, "Province", names, parent, Citation("iso-3166", code), where, iso=code,
                  aliases=aliases, established=established, established_aliases=more)


@cache
def china_subdivisions() -> dict[str, frozenset[str]]:
    """Every ISO 3166-2:CN code with the names a text may use for it: ISO 3166's English name
    with and without its division word, the established English name and its variants, the
    Chinese name, and its shorter forms (without 省, 市, 自治区 or 特别行政区, and the common
    shorter ones such as 内蒙).

    >>> sorted(china_subdivisions()["CN-GS"])
    ['Gansu', 'Gansu Sheng', '甘肃', '甘肃省']
    >>> "Inner Mongolia" in china_subdivisions()["CN-NM"]
    True
    """
    import pycountry

    out = {}
    for sub in pycountry.subdivisions.get(country_code="CN") or []:
        region = iso_region(sub.code)
        if region is None:
            continue
        out[sub.code] = frozenset(f for f in region.all_names() if len(f) >= 2)
    return out
