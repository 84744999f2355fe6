"""kg as a user installs it: the wheel carries the ontology, shapes, questions and example data,
and, installed (not editable) into a fresh venv, works in a folder far from this checkout.

The fresh venv gets kg from the wheel only; for speed it borrows the locked dependencies of
the venv running the tests (a ``.pth`` line naming its site-packages, whose own ``.pth``
hooks, the editable install among them, are not run), instead of downloading them again.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kg.store.server import terminate

from conftest import ROOT

pytestmark = pytest.mark.slow  # a wheel installed into a fresh virtual environment

PACKAGED = ("ontology", "queries", "data")  # the top-level folders the wheel carries in kg/_packaged/


def _tracked(folder: Path) -> list[Path]:
    """The files of ``folder`` a build would take: not caches, not editor or build leftovers."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and not p.name.startswith(".") and not p.name.endswith((".pyc", ".tmp")))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    if importlib.util.find_spec("hatchling"):
        # the locked build backend (make test), called here through its PEP 517 hook as pip
        # calls it: the same wheel, byte for byte, without starting pip (about 1 s)
        from hatchling.build import build_wheel

        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(ROOT)
            return out / build_wheel(str(out))
    # else pip fetches the build backend
    cmd = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=out)
    (built,) = out.glob("edu_equity_kg-*.whl")
    return built


def test_the_wheel_carries_the_edited_sources_as_they_are(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        for folder in PACKAGED:
            files = _tracked(ROOT / folder)
            assert files
            for f in files:
                inside = f"kg/_packaged/{f.relative_to(ROOT).as_posix()}"
                assert inside in names, f"the wheel lacks {inside}"
                assert z.read(inside) == f.read_bytes(), f"{inside} differs from {f.relative_to(ROOT)}"
            extra = {n for n in names if n.startswith(f"kg/_packaged/{folder}/")} - {
                f"kg/_packaged/{f.relative_to(ROOT).as_posix()}" for f in files}
            assert not extra, f"the wheel carries files the checkout does not: {sorted(extra)}"
        package_files = _tracked(ROOT / "kg")
        missing = [p.relative_to(ROOT).as_posix() for p in package_files
                   if p.relative_to(ROOT).as_posix() not in names]
        assert not missing, f"package files left out of the wheel: {missing}"
        meta = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
        entry_points = z.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert "Name: edu-equity-kg" in meta
    assert "kg = kg.cli:main" in entry_points


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with kg installed from the wheel, not editable."""
    base = tmp_path_factory.mktemp("venv")
    env_dir = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "locked_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    # this venv's pip installs into the new one (pip --python), which then needs no pip of its own
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-deps",
                    "--no-index", str(wheel)], check=True, capture_output=True)
    return env_dir


def _env() -> dict[str, str]:
    drop = ("PYTHONPATH", "KG_PROJECT", "KG_BUILD", "KG_SEEDS", "KG_ENDPOINT", "VIRTUAL_ENV")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    # the Oxigraph server program of the borrowed dependencies (kg looks beside python, then on PATH)
    env["PATH"] = os.pathsep.join([env.get("PATH", ""), str(Path(sys.executable).parent)])
    return env


def _kg(venv: Path, cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(venv / "bin" / "kg"), *args], cwd=cwd, env=_env(), capture_output=True,
                          text=True, timeout=300)
    if ok:
        assert proc.returncode == 0, f"kg {' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_and_ask(venv: Path, cwd: Path, sparql: str) -> dict:
    port = _free_port()
    proc = subprocess.Popen([str(venv / "bin" / "kg"), "serve", "--port", str(port)], cwd=cwd, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": sparql})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as answer:
                    return json.loads(answer.read())
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.2)
    finally:
        terminate(proc, grace=10)


def test_kg_is_the_wheels_not_this_checkouts(venv: Path, tmp_path: Path) -> None:
    code = "import kg, kg.project as p; print(kg.__file__); print(p.packaged('ontology'))"
    out = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=_env(),
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0].startswith(str(venv)) and out[1].startswith(str(venv)), out


def test_a_folder_that_is_not_a_project_is_one_clear_error(venv: Path, tmp_path: Path) -> None:
    proc = _kg(venv, tmp_path, "stats", ok=False)
    assert proc.returncode == 1
    assert "kg init" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""


OWN_SOURCE = """
  - id: field-notes-2024
    title: {en: "Field notes"}
    publisher: Our team
    date: "2024-05"
    language: en
    kind: report
"""
OWN_ENTITIES = """
- id: hill-kindergarten
  type: Kindergarten
  name: {en: Hill Kindergarten}
  seen: [field-notes-2024:p1]
- id: reading-corners
  type: Program
  name: {en: Reading Corners}
  seen: [field-notes-2024:p1]
"""
OWN_FACTS = """source: field-notes-2024
facts:
  - at: p1
    actor: hill-kindergarten
    role: evaluator
    in: reading-corners
"""
OWN_ONTOLOGY = """@prefix kg: <https://w3id.org/edu-equity-kg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix role: <https://w3id.org/edu-equity-kg/role/> .

kg:Kindergarten a owl:Class ; rdfs:subClassOf kg:School ; rdfs:label "Kindergarten"@en .
role:evaluator a kg:Role ; skos:inScheme kg:Roles ; skos:broader role:participant ;
    skos:prefLabel "evaluator"@en .
"""
OWN_QUESTION = """#+ summary: Evaluators and what they evaluate
#+ description: Every actor in the evaluator role.
SELECT ?actor ?in WHERE { ?p prov:agent ?actor ; prov:hadRole role:evaluator ; kg:activity ?in }
"""


def test_a_new_project_of_ones_own_works_from_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    _kg(venv, tmp_path, "init", "mine")
    proj = tmp_path / "mine"
    assert (proj / "kg.toml").is_file() and (proj / "data" / "sources.yaml").is_file()
    with (proj / "data" / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write(OWN_SOURCE)
    (proj / "data" / "entities" / "actors.yaml").write_text(OWN_ENTITIES, encoding="utf-8")
    (proj / "data" / "facts" / "field-notes-2024.yaml").write_text(OWN_FACTS, encoding="utf-8")
    (proj / "ontology" / "extension.ttl").write_text(OWN_ONTOLOGY, encoding="utf-8")
    (proj / "queries" / "50-evaluators.rq").write_text(OWN_QUESTION, encoding="utf-8")

    assert "valid" in _kg(venv, proj, "validate").stdout
    assert "built:" in _kg(venv, proj, "build").stdout
    assert "hill-kindergarten" in _kg(venv, proj, "query", "evaluators").stdout
    by_class = _kg(venv, proj, "query", "entities-of-class", "--param", "class=kg:Organization")
    assert "Hill Kindergarten" in by_class.stdout
    assert "evaluator" in _kg(venv, proj, "describe", "hill-kindergarten").stdout
    assert "Kindergarten" in _kg(venv, proj, "classes").stdout
    # from a folder inside the project, the project is found and named
    inner = _kg(venv, proj / "data" / "facts", "stats")
    assert "field-notes-2024" in inner.stdout and str(proj) in inner.stderr
    _kg(venv, proj, "viz", "-o", "page.html")
    assert "Hill Kindergarten" in (proj / "page.html").read_text(encoding="utf-8")
    _kg(venv, proj, "export", "--format", "nt", "-o", "all.nt")
    assert "hill-kindergarten" in (proj / "all.nt").read_text(encoding="utf-8")
    answer = _serve_and_ask(venv, proj, "ASK { <https://w3id.org/edu-equity-kg/id/hill-kindergarten> ?p ?o }")
    assert answer["boolean"] is True


def test_the_example_project_works_from_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    _kg(venv, tmp_path, "init", "--from-example", "ex")
    proj = tmp_path / "ex"
    # no `kg validate` first: the build runs the same checks (and refuses what they find); the
    # wheel's validate is run by the test above, on the curated data by test_cli.py
    assert "built:" in _kg(venv, proj, "build").stdout
    assert "tencent-charity-foundation" in _kg(venv, proj, "query", "funders").stdout
    assert "meet-2021:p3" in _kg(venv, proj, "describe", "tencent-charity-foundation").stdout
    _kg(venv, proj, "viz", "-o", "page.html")
    assert (proj / "page.html").stat().st_size > 10_000
    _kg(venv, proj, "export", "--format", "trig", "-o", "all.trig")
    assert "meet-2021" in (proj / "all.trig").read_text(encoding="utf-8")
    foundations = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/edu-equity-kg/ontology#Foundation> }"
    answer = _serve_and_ask(venv, proj, foundations)
    assert int(answer["results"]["bindings"][0]["n"]["value"]) > 0
