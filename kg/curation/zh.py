"""jieba, the Chinese word cutter and part-of-speech tagger, imported once and only when a Chinese
text is drafted (its dictionary ships inside its package: no download)."""

from __future__ import annotations

from functools import cache
from types import ModuleType


@cache
def jieba_tagger() -> ModuleType:
    """``jieba.posseg``, quiet. ``[(w.word, w.flag) for w in jieba_tagger().cut(text)]``."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg
