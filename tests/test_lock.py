"""The lock (requirements/*.txt, written by `make lock`) pins every dependency pyproject.toml
names, at a version it allows, with hashes: a dependency added without `make lock` fails here,
not as a missing module somewhere else."""

from __future__ import annotations

import re
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    found = re.finditer(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", text, re.M)
    return {canonicalize_name(m.group(1)): m.group(2) for m in found}


def wanted(extras: bool) -> list[Requirement]:
    names = list(PYPROJECT["project"]["dependencies"]) + list(PYPROJECT["build-system"]["requires"])
    if extras:
        names += [r for group in PYPROJECT["project"]["optional-dependencies"].values() for r in group]
    return [Requirement(r) for r in names]


@pytest.mark.parametrize(("lock", "extras"), [("run.txt", False), ("dev.txt", True)])
def test_the_lock_pins_every_dependency_at_an_allowed_version(lock: str, extras: bool) -> None:
    pinned = pins(lock)
    problems = []
    for req in wanted(extras):
        version = pinned.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req.name} is not in requirements/{lock}")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"requirements/{lock} pins {req.name}=={version}, outside {req.specifier}")
    assert not problems, "run `make lock`: " + "; ".join(problems)


def test_every_pin_has_a_hash() -> None:
    for lock in ("run.txt", "dev.txt"):
        entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / "requirements" / lock).read_text(encoding="utf-8"))
        unhashed = [e.split()[0] for e in entries if "==" in e.split("\n")[0] and "--hash=sha256:" not in e]
        assert not unhashed, f"requirements/{lock}: no hash for {unhashed}"
