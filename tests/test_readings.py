"""Names read right: every generated pinyin in the real data comes from the right path (a
person's name surname-aware, any other name by phrases) with the reviewed readings applied, and
every reviewed reading is one pypinyin knows for its characters."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pypinyin import Style
from pypinyin import pinyin as heteronyms

from kg.curation.reader import load_curation
from kg.model import readings
from kg.model.readings import person_pinyin, pinyin, reviewed
from kg.store.embedded import EmbeddedStore

_PINYIN = """
SELECT ?x ?l WHERE { ?x skos:altLabel ?l FILTER (LANG(?l) = "zh-latn-pinyin") }"""


def _toned(syllable: str) -> bool:
    return unicodedata.normalize("NFD", syllable) != syllable


@pytest.mark.parametrize("entry", [e for table in reviewed().values() for e in table.values()],
                         ids=lambda e: f"{e.scope}-{e.text}")
def test_each_reviewed_reading_is_one_pypinyin_knows_and_says_why(entry):
    chars = [c for c in entry.text if re.match(r"[\u3400-\u9fff]", c)]
    for char, syllable in zip(chars, entry.reading.split(), strict=True):
        assert syllable in heteronyms(char, style=Style.TONE, heteronym=True)[0], (char, syllable)
    assert len(entry.why) > 10


def test_the_examples_the_defaults_get_wrong():
    assert person_pinyin("单泽兵").startswith("shàn ")  # 单 as a surname
    assert pinyin("中少红卡").startswith("zhōng shào ")  # 中少: 中国少年
    assert person_pinyin("曾国藩").startswith("zēng ")
    assert person_pinyin("尉迟恭") == "yù chí gōng"  # a compound surname splits after it


def test_every_person_reading_in_the_data_is_surname_aware_and_every_other_by_phrases(project, built):
    cur = load_curation(project)[0]
    got: dict[str, set[str]] = {}
    for x, label in EmbeddedStore(built.store_path).query(_PINYIN).rows:
        got.setdefault(x.value.rsplit("/", 1)[1], set()).add(label.value)
    surnames, names = reviewed()["surname"], reviewed()["name"]
    people = 0
    for e in cur.entities.values():
        zh = [n for n in [e.names.get("zh"), *e.aliases.get("zh", ())] if n]
        if not zh:
            continue
        person = "Person" in e.kinds
        people += person
        expected = {(person_pinyin if person else pinyin)(n) for n in zh}
        assert got.get(e.id) == expected, e.id
        for name in zh:
            read = person_pinyin(name) if person else pinyin(name)
            if person:
                assert all(_toned(s) for s in read.split()), (e.id, read)  # no neutral tone in a name
                if name in names:
                    assert read == names[name].reading
                family = name[:2] if name[:2] in surnames else name[:1]
                if family in surnames:
                    assert read.startswith(surnames[family].reading + " "), (e.id, read)
            for phrase, entry in reviewed()["phrase"].items():
                if phrase in name:
                    assert entry.reading in read, (e.id, read)
    assert people > 0  # the data has people with Chinese names, so the check means something


def test_a_malformed_reviewed_reading_is_a_bug_that_raises(tmp_path: Path, monkeypatch):
    bad = tmp_path / "readings.tsv"
    bad.write_text("scope\ttext\treading\twhy\nsurname\t单\tshàn bīng\ttwo syllables for one character\n",
                   encoding="utf-8")
    monkeypatch.setattr(readings, "TABLE", bad)
    readings.reviewed.cache_clear()
    try:
        with pytest.raises(ValueError, match="malformed"):
            reviewed()
    finally:
        monkeypatch.undo()
        readings.reviewed.cache_clear()
