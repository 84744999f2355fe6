"""kg lint: the curated data lints clean; duplicates, unused entities and unknown sources are found."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main
from kg.curation.lint import lint


def test_real_data_lints_clean(project):
    assert lint(project) == []


def test_finds_same_characters_in_another_order(make_project):
    extra = ("- id: society-a\n  type: ResearchInstitute\n  name: {zh: 中国教育发展战略学会}\n  seen: [doc-a:p3]\n"
             "- id: society-b\n  type: ResearchInstitute\n  name: {zh: 中国教育战略发展学会}\n  seen: [doc-a:p3]\n")
    project = make_project({"data/entities/more.yaml": extra})
    messages = [str(p) for p in lint(project)]
    assert any("likely duplicate: 'society-b' and 'society-a'" in m and "characters in another order" in m
               for m in messages)
    assert "data/entities/more.yaml:1: unused entity 'society-a': no fact refers to it" in messages


def test_finds_same_normalized_name_and_respects_distinct_from(make_project):
    extra = "- id: gamma-plan-2\n  type: Plan\n  name: {en: 'GAMMA  plan'}\n  seen: [doc-a:p2]\n"
    project = make_project({"data/entities/more.yaml": extra})
    assert any("likely duplicate: 'gamma-plan-2' and 'gamma-plan'" in str(p) for p in lint(project))
    project = make_project({"data/entities/more.yaml": extra + "  distinct_from: [gamma-plan]\n"})
    assert not any("likely duplicate" in str(p) for p in lint(project))


def test_stats_by_source_counts_each_document(project, built):
    result = CliRunner().invoke(main, ["stats", "--by-source", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[1:]}
    assert set(rows) >= {"rece-2018", "internet-school-2022", "meet-2021", "cloud-aid", "guanghe-2019"}
    assert int(rows["cloud-aid"][2]) >= 10  # the cloud-aid page has a dozen figures
    assert int(rows["guanghe-2019"][0]) >= 30  # the Chinese document names over thirty actors
