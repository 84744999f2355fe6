"""One rule for "the name in the chosen language, else a fallback", for every output.

The order, first found wins (language tags compared without regard to case):

1. the chosen language tag (``zh-Hans``), then its primary language (``zh``);
2. English, then Chinese, then Chinese in pinyin (``zh-Latn-pinyin``);
3. any other language, by tag (an untagged name first);
4. the fallback the caller gives (usually the id).

>>> names = {"en": "Tencent Education", "zh": "腾讯教育"}
>>> choose_label(names, "zh-Hans"), choose_label(names, "fr"), choose_label({}, "en", "tencent-education")
('腾讯教育', 'Tencent Education', 'tencent-education')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

#: The languages tried after the chosen one, in this order.
FALLBACK_LANGUAGES = ("en", "zh", "zh-latn-pinyin")


def choose_language(tags: Iterable[str], lang: str) -> str | None:
    """Which of ``tags`` (as given) to show for ``lang``, by the order above; None if none.

    >>> choose_language(["zh-Latn-pinyin", "zh"], "en")
    'zh'
    >>> choose_language(["zh-Latn-pinyin", "de"], "en")
    'zh-Latn-pinyin'
    >>> choose_language([], "en") is None
    True
    """
    by_key: dict[str, str] = {}
    for tag in sorted(tags):
        by_key.setdefault(tag.lower(), tag)
    if not by_key:
        return None
    wanted = lang.lower()
    for key in (wanted, wanted.split("-")[0], *FALLBACK_LANGUAGES):
        if key in by_key:
            return by_key[key]
    return by_key[min(by_key)]


def choose_label(labels: Mapping[str, str], lang: str, default: str = "") -> str:
    """The name in ``lang`` from ``labels`` (language tag -> name), by the order above.

    Empty names count as missing.

    >>> choose_label({"zh": "腾讯", "en": ""}, "en", "tencent")
    '腾讯'
    """
    tag = choose_language([t for t, text in labels.items() if text], lang)
    return labels[tag] if tag is not None else default
