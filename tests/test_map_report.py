"""benchmarks/map_report.py, the figures issue 16 asks for: every section is printed, from the
data, on a small project (the exact lines of a project of known content)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import kg

from conftest import ROOT


def _report() -> ModuleType:
    spec = importlib.util.spec_from_file_location("map_report", ROOT / "benchmarks" / "map_report.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("map_report", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


def test_the_report_gives_every_figure_from_the_data(make_project) -> None:
    project = make_project({})
    g = kg.open(project=project)
    lines = _report().report(g, top=3)
    text = "\n".join(lines)
    totals = dict(g.stats()["totals"])
    assert lines[0].startswith("sources: ")
    assert f"entities: {totals['entities']}" in lines
    assert f"participations: {totals['participations']}" in lines
    assert f"figures: {totals['figures']}" in lines and f"amounts of money: {totals['amounts of money']}" in lines
    plain = g.network_stats("participation")
    assert f"largest component: {plain.largest_component} of {plain.nodes} nodes" in text
    assert "largest component with roll-up: " in text
    assert "the 3 strongest brokers (betweenness" in text and "the 3 strongest brokers with roll-up" in text
    assert f"communities: {plain.communities}" in text
    by_class = [line for line in lines if line.startswith("  ") and line.split()[0][0].isupper()]
    assert sum(int(line.split()[-1]) for line in by_class) >= totals["entities"]


def test_the_report_runs_as_a_script(make_project, capsys) -> None:
    project = make_project({})
    assert _report().main(["--project", str(project.root), "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sources: ") and "the 2 strongest brokers" in out
