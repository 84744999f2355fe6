"""Docs cannot drift: every command, data key and role is documented where users look."""

from __future__ import annotations

import re

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
