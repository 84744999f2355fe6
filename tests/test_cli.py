"""The command line: every command documented with an example; stats and describe on real data."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from kg.cli import COMMANDS, main


def run(*args: str, project=None):
    extra = ["--project", str(project.root)] if project is not None else []
    return CliRunner().invoke(main, [*args, *extra])


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_summary_and_an_example(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output or "Examples:" in result.output
    example = result.output.split("Example")[1]
    assert "  kg " in example


def test_python_dash_m_kg_runs():
    proc = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "describe" in proc.stdout


def test_help_imports_no_heavy_library():
    code = ("import sys; from kg.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('rdflib', 'pyshacl', 'pyvis', 'networkx', 'pyoxigraph') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip().endswith("[]")


def test_stats_counts_by_class_role_source_and_language(project, built):
    result = run("stats", project=project)
    assert result.exit_code == 0, result.output
    for section in ("by class:", "by role:", "by source:", "by language:"):
        assert section in result.output
    for word in ("Foundation", "funder", "guanghe-2019", "zh"):
        assert word in result.output


def test_describe_shows_facts_with_sources(project, built):
    result = run("describe", "tencent-charity-foundation", project=project)
    assert result.exit_code == 0, result.output
    assert "Tencent Charity Foundation" in result.output
    assert "funder" in result.output
    assert "meet-2021:p3" in result.output


def test_describe_unknown_entity_is_one_clean_line(project, built):
    result = run("describe", "no-such-thing", project=project)
    assert result.exit_code == 1
    assert result.output.startswith("kg: entity: nothing is called 'no-such-thing'")
    assert len(result.output.strip().splitlines()) == 1


def test_validate_passes_on_a_valid_project(make_project):
    # that the curated data validates is checked by the doctest of kg.graph.Graph.validate, the
    # very checks this command runs (5 s of CPU a time): here the command's answer is what is tested
    result = run("validate", project=make_project())
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_classes_lists_roles_and_themes(project):
    result = run("classes", project=project)
    assert "guide" in result.output and "rural-education" in result.output
