"""``kg network stats|export`` and ``kg viz`` through click, on the real data."""

from __future__ import annotations

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.networks.export import FORMATS
from kg.networks.views import VIEWS


def run(project, *args: str):
    return CliRunner().invoke(main, [*args, "--project", str(project.root)])


def test_cli_choices_are_the_registries():
    """A view or format added to the library's registry is offered by the command line."""
    help_text = CliRunner().invoke(main, ["network", "export", "--help"]).output
    assert f"[{'|'.join(VIEWS)}]" in help_text
    assert f"[{'|'.join(FORMATS)}]" in help_text


def test_stats_prints_sizes_and_top_actors(project, built):
    result = run(project, "network", "stats", "--view", "coparticipation", "--top", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "view: coparticipation"
    assert lines[1].startswith("nodes: ") and "betweenness: exact" in lines[1]
    for metric in ("degree", "weighted degree", "betweenness"):
        assert f"top actors by {metric}:" in lines
    assert "communities (size: members with the highest weighted degree):" in lines


def test_stats_of_an_ego_network_with_filters(project, built):
    result = run(project, "network", "stats", "--entity", "tencent-education", "--depth", "1", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("view: ego\nnodes: 3  edges: 2")
    assert "腾讯教育 [tencent-education]" in result.stdout


@pytest.mark.parametrize("fmt, name", [("gexf", "g.gexf"), ("graphml", "g.graphml")])
def test_export_writes_a_file_gephi_reads(project, built, tmp_path, fmt, name):
    out = tmp_path / name
    result = run(project, "network", "export", "--format", fmt, "-o", str(out), "--role", "funder")
    assert result.exit_code == 0, result.output
    g = (nx.read_gexf if fmt == "gexf" else nx.read_graphml)(out)
    assert g.has_edge("tencent-charity-foundation", "iioe") or g.has_edge("iioe", "tencent-charity-foundation")
    assert f"wrote {out} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)" in result.stderr


def test_export_csv_writes_a_folder(project, built, tmp_path):
    out = tmp_path / "csv"
    result = run(project, "network", "export", "--format", "csv", "-o", str(out), "--view", "coparticipation")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert "光合计划" in (out / "edges.csv").read_text(encoding="utf-8")


def test_viz_default_draws_actors_and_activities(project, built, tmp_path):
    out = tmp_path / "net.html"
    result = run(project, "viz", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "Actors and the initiatives and events they take part in" in page
    assert "光合计划" in page and "Tencent Education" in page
    again = tmp_path / "again.html"
    assert run(project, "viz", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_viz_in_chinese(project, built, tmp_path):
    out = tmp_path / "合作网络.html"
    result = run(project, "viz", "--view", "coparticipation", "--lang", "zh", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "以共同项目和活动相连的组织" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    (["viz", "--role", "fundr"], "kg: unknown role 'fundr'; one of: attendee, beneficiary, carries-out, funder"),
    (["viz", "--region", "tencent"], "kg: unknown region 'tencent'; one of: CN, CN-AH"),
    (["viz", "--region", "Atlantis"], "kg: region: nothing is called 'Atlantis'"),
    (["viz", "--entity", "tencent-educaton"], "'tencent-educaton'; did you mean: tencent-education"),
    (["viz", "--view", "ego"], "kg: the ego view needs an entity (--entity ID)"),
    (["network", "stats", "--view", "coparticipation", "--entity", "tencent"], "ego view only"),
    (["network", "stats", "--since", "2099"], "kg: the view is empty"),
])
def test_user_errors_are_one_line_and_exit_1(project, built, tmp_path, args, message):
    result = run(project, *args, *(["-o", str(tmp_path / "x.html")] if args[0] == "viz" else []))
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "x.html").exists()
