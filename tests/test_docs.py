"""Docs cannot drift: every command, data key and role is documented where users look."""

from __future__ import annotations

import re
import shlex

from kg.cli import COMMANDS
from kg.curation.records import FORM_KEYS, META_KEYS, QUALIFIERS, SOURCE_KINDS
from kg.model.ontology import load_ontology
from kg.model.relations import RELATIONS


def test_readme_gives_exactly_two_setup_commands(project):
    text = (project.root / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set up on a fresh machine")[1].split("##")[0]
    commands = re.findall(r"^make \w+", setup, flags=re.M)
    assert commands == ["make run", "make test"]


def test_readme_names_every_command(project):
    text = (project.root / "README.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"kg {name}" not in text]
    assert not missing, f"README.md does not mention: {missing}"


def test_data_readme_documents_every_key(project):
    text = (project.root / "data" / "README.md").read_text(encoding="utf-8")
    keys = set(RELATIONS) | set(META_KEYS) | {k for keys in FORM_KEYS.values() for k in keys}
    keys |= {"target", "outcome", "statistic", "distinct_from", "seen", "alias", "name", "type"}
    keys |= set(QUALIFIERS) | set(SOURCE_KINDS)
    missing = sorted(k for k in keys if f"`{k}`" not in text and f"{k}:" not in text)
    assert not missing, f"data/README.md does not document: {missing}"


def test_ontology_readme_names_every_role(project):
    text = (project.root / "ontology" / "README.md").read_text(encoding="utf-8")
    roles = load_ontology(project.ontology_file).roles
    assert [r for r in roles if r not in text] == []


# --- docs that run ------------------------------------------------------------------------------

DOCS = ("README.md", "SECURITY.md", "data/README.md", "ontology/README.md", "queries/README.md", "docs/*.md",
        "kg/template/**/README.md", "kg/template/kg.toml")
_IN_TEXT = re.compile(r"`kg ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?")  # a code span: `kg build`
_IN_CODE = re.compile(r"^\s*(?:\$ )?kg ([a-z][a-z-]*)(?: ([a-z][a-z-]*))?")  # a line of a code block


def _named_commands(text: str) -> list[tuple[str, str | None]]:
    """The ``kg COMMAND [SUB]`` a document names, in code spans and code blocks."""
    named, in_code = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            named += [m.groups() for m in [_IN_CODE.match(line)] if m]
        else:
            named += [m.groups() for m in _IN_TEXT.finditer(line)]
    return named


def test_every_command_the_docs_name_exists(project):
    from kg.cli.network import network_cmd

    files = sorted({f for pattern in DOCS for f in project.root.glob(pattern)})
    assert len(files) >= 6
    unknown = []
    for f in files:
        for command, sub in _named_commands(f.read_text(encoding="utf-8")):
            if command not in COMMANDS:
                unknown.append(f"{f.relative_to(project.root)}: kg {command}")
            elif command == "network" and sub and sub not in network_cmd.commands:
                unknown.append(f"{f.relative_to(project.root)}: kg network {sub}")
    assert not unknown, unknown


def test_readme_sessions_are_what_the_commands_print(project):
    """README.md's sessions are made by docs/tour.py (cog); `make docs` rewrites them."""
    from cogapp import Cog

    cog = Cog()
    status = cog.main(["cog", "--check", "--check-fail-msg", "run `make docs`", "-I",
                       str(project.root / "docs"), str(project.root / "README.md")])
    assert status == 0, "README.md's sessions differ from what the commands print: run `make docs`"


def _walkthrough_blocks(text: str) -> list[tuple[str, list[str]]]:
    """The fenced blocks of data/README.md's worked example, as (language, lines), dedented."""
    section = text.split("### A worked example", 1)[1].split("\n## ", 1)[0]
    blocks = []
    for m in re.finditer(r"^( *)```(\w+)\n(.*?)^\1```", section, flags=re.M | re.S):
        indent = len(m.group(1))
        blocks.append((m.group(2), [line[indent:] for line in m.group(3).splitlines()]))
    return blocks


def _matches(shown: list[str], printed: str) -> bool:
    """The lines shown are the lines printed, where "…" stands for any text in a line, and a
    line of only "…" for any lines (none too)."""
    pattern = ""
    for i, s in enumerate(shown):
        last = i == len(shown) - 1
        if s == "…":
            pattern = pattern.removesuffix("\n") + r"(?s:\n.*)?" if last else pattern + r"(?:[^\n]*\n)*"
        else:
            pattern += "[^\n]*".join(re.escape(p) for p in s.split("…")) + ("" if last else "\n")
    return re.fullmatch(pattern, printed) is not None


def test_data_readme_walkthrough_runs_step_by_step(project, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main
    from kg.template import init_project

    init_project(tmp_path, example=True)
    monkeypatch.chdir(tmp_path)
    for var in ("KG_PROJECT", "KG_BUILD", "KG_SEEDS", "KG_ENDPOINT"):
        monkeypatch.delenv(var, raising=False)
    blocks = _walkthrough_blocks((project.root / "data" / "README.md").read_text(encoding="utf-8"))
    assert [lang for lang, _ in blocks] == ["text", "console", "yaml", "yaml", "console"]
    for lang, lines in blocks:
        if lang != "console":  # "# new file PATH" or "# add to PATH", PATH from the project's folder
            how, _, target = lines[0].removeprefix("# ").rpartition(" ")
            path = tmp_path / target
            body = "\n".join(lines[1:]) + "\n"
            assert how in ("add to", "new file"), lines[0]
            assert path.exists() == (how == "add to"), lines[0]
            with path.open("a" if how == "add to" else "x", encoding="utf-8") as f:
                f.write(body)
            continue
        steps: list[tuple[str, list[str]]] = []
        for line in lines:
            if line.startswith("$ "):
                steps.append((line[2:], []))
            elif steps[-1][0].endswith("\\") and not steps[-1][1]:  # a command continued
                steps[-1] = (steps[-1][0][:-1] + line.strip(), [])
            else:
                steps[-1][1].append(line)
        for command, shown in steps:
            result = CliRunner().invoke(main, shlex.split(command)[1:])
            assert result.exit_code == 0, f"{command}:\n{result.output}"
            assert _matches(shown, result.output.rstrip("\n")), f"{command}:\n{result.output}"
