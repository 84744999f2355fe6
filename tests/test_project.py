"""Projects of one's own: which folder a command uses, kg init, and what a project may add
(named questions, ontology terms) without changing kg's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.project import Project

EXTENSION_HEAD = """@prefix kg: <https://w3id.org/edu-equity-kg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix theme: <https://w3id.org/edu-equity-kg/theme/> .
"""


def kg(*args: str, cwd: Path | None = None, monkeypatch: pytest.MonkeyPatch | None = None):
    if cwd is not None and monkeypatch is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args))


def test_init_writes_a_project_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_PROJECT", raising=False)
    result = kg("init", str(tmp_path / "g"))
    assert result.exit_code == 0, result.output
    for rel in ("kg.toml", ".gitignore", "data/sources.yaml", "data/README.md", "data/entities",
                "data/facts", "queries/README.md"):
        assert (tmp_path / "g" / rel).exists(), rel
    result = kg("build", cwd=tmp_path / "g", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "g" / "build" / "CURRENT").is_file()


def test_init_refuses_a_folder_that_is_not_empty_and_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "kg.toml").write_text("# mine\n", encoding="utf-8")
    result = kg("init", str(tmp_path))
    assert result.exit_code == 1
    assert "not empty" in result.output and "--force" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "data").exists()
    result = kg("init", "--force", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "kg.toml").read_text(encoding="utf-8") == "# mine\n"
    assert (tmp_path / "data" / "sources.yaml").is_file()


def test_init_from_example_copies_the_curated_data(tmp_path: Path, project: Project) -> None:
    result = kg("init", "--from-example", str(tmp_path / "ex"))
    assert result.exit_code == 0, result.output
    for f in project.curated_files():
        rel = f.relative_to(project.root)
        assert (tmp_path / "ex" / rel).read_bytes() == f.read_bytes(), rel


def test_a_folder_that_is_not_a_project_suggests_kg_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_PROJECT", raising=False)
    result = kg("stats", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "kg init" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_project_found_above_or_by_kg_project_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kg("init", str(tmp_path / "g"))
    result = kg("classes", cwd=tmp_path / "g" / "data" / "facts", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert f"using the project in {tmp_path / 'g'}" in result.stderr
    here = kg("classes", cwd=tmp_path / "g", monkeypatch=monkeypatch)
    assert here.stderr == ""
    monkeypatch.setenv("KG_PROJECT", str(tmp_path / "g"))
    elsewhere = kg("classes", cwd=tmp_path, monkeypatch=monkeypatch)
    assert f"using the project in {tmp_path / 'g'}" in elsewhere.stderr


def test_kg_project_that_is_not_a_project_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_PROJECT", str(tmp_path))
    with pytest.raises(Exception, match="kg init"):
        Project.default()


def test_an_extension_adds_classes_and_themes(make_project) -> None:
    from kg.model.ontology import load_project_ontology

    p = make_project({"ontology/extension.ttl": EXTENSION_HEAD + (
        "kg:Kindergarten a owl:Class ; rdfs:subClassOf kg:School .\n"
        "theme:teacher-training a kg:Theme ; skos:inScheme kg:Themes ; skos:prefLabel \"teacher training\"@en .\n")})
    onto = load_project_ontology(p)
    assert onto.kind_of("Kindergarten") == "Organization"
    assert onto.themes["teacher-training"] == "teacher training"


@pytest.mark.parametrize(("body", "line", "words"), [
    ("\nkg:Company rdfs:subClassOf kg:Person .\n", 7, "kg:Company"),
    ("\nkg:Gadget a owl:Class .\n", 7, "none of kg's kinds"),
    ("\nkg:Gadget a owl:Class ;\n", 8, "Turtle"),
])
def test_an_extension_that_changes_kgs_terms_is_a_file_line_error(make_project, body, line, words) -> None:
    p = make_project({"ontology/extension.ttl": EXTENSION_HEAD + body})
    result = kg("validate", "--project", str(p.root))
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(f"ontology/extension.ttl:{line}: ") and words in first, result.output
    assert "Traceback" not in result.output


def test_a_project_question_runs_and_a_clashing_name_is_an_error(make_project) -> None:
    question = "#+ summary: Foundations\nSELECT ?f WHERE { ?f a kg:Foundation }\n"
    p = make_project({"queries/50-foundations.rq": question})
    result = kg("queries", "--project", str(p.root))
    assert result.exit_code == 0 and "foundations  (50)" in result.output and "funders" in result.output
    clash = make_project({"queries/50-funders.rq": question})
    result = kg("queries", "--project", str(clash.root))
    assert result.exit_code == 1
    assert result.output.startswith("queries/50-funders.rq:1: ") and "funders" in result.output


def test_kg_diff_works_in_a_project_made_by_kg_init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    kg("init", str(tmp_path / "g"))
    root = tmp_path / "g"
    git = ["git", "-C", str(root), "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    result = kg("diff", cwd=root, monkeypatch=monkeypatch)
    assert result.exit_code == 0 and result.output.strip() == "no changes", result.output
