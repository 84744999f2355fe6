"""benchmarks/bench_draft.py, the measure of `kg draft`: it runs, and it counts by the definitions
docs/curation.md gives (it had stopped running unnoticed once: nothing ran it)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from kg.curation.archive import find_text, read_text
from kg.curation.reader import load_curation
from kg.curation.records import Citation, Entity, Where

from conftest import ROOT


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_draft", ROOT / "benchmarks" / "bench_draft.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("bench_draft", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)  # registered first: its dataclasses look their module up
    return module


def _org(*names: str) -> Entity:
    return Entity("x", ("Foundation",), {"en": names[0]}, {"en": names[1:]}, (Citation("doc-a", "p1"),),
                  Where("f", 1), kinds=frozenset({"Organization"}))


def test_a_candidate_names_an_organization_when_it_holds_one_of_its_names_whole():
    names_it = _bench().names_it
    alpha = _org("Alpha Foundation", "Alpha Fund")
    assert names_it("the Alpha Foundation", alpha)  # case, a leading "the"
    assert names_it("Alpha Foundation and Beta Trust", alpha)  # a coordination names each
    assert not names_it("Foundation", alpha)  # a fragment names none
    assert not names_it("Alpha Foundations", alpha)  # whole words in English
    assert not names_it("Vice-President of the Alpha Fund and the Gamma Group", alpha)  # a short name, a long span
    assert names_it("爱学习教育集团", _org("爱学习教育集团")) and not names_it("教育集团", _org("爱学习教育集团"))


def test_the_benchmark_runs_leave_one_out_on_a_project(make_project):
    bench = _bench()
    project = make_project()
    cur, problems = load_curation(project)
    assert problems == []
    texts = {s.id: "\n".join(read_text(find_text(project.text_folders(), s.file)))
             for s in cur.sources.values() if s.file}
    score = bench.score(project, cur, "doc-a", texts)
    for measure, (hit, total) in score.counts.items():
        assert 0 <= hit <= total, measure
    # every entity of the tiny project is seen in doc-a only: all are new when it is left out
    assert score.counts["known recall"] == (0, 0)
    assert score.counts["new-org recall"][1] == sum("Organization" in e.kinds for e in cur.entities.values())
    assert score.counts["figure recall"] == (1, 1), score.misses  # 100 schools at p2
    assert score.counts["role recall"][1] == 2, "the two initiators of p1 are the curated roles"
    for form in ("role", "post", "amount", "serves"):
        hit, total = score.counts[f"{form} precision"]
        assert 0 <= hit <= total, form
    assert score.seconds < 60
