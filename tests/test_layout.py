"""The package's layout keeps the data flow: no import cycles, each job in its own place.

Imports are read statically (module level and the lazy ones inside functions alike), so a
cycle that only shows at run time on some path is still found.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from kg.build.dataset import input_files
from kg.project import Project

from conftest import ROOT

PACKAGE = ROOT / "kg"


def _modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        parts = f.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = f
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The kg modules ``name`` imports (``from kg.x import y`` counts kg.x.y when it is a module)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    # a package's __init__ is not an edge to its own submodules, nor a submodule to its package
    return {m for m in found if m in modules and m != name
            and not m.startswith(name + ".") and not name.startswith(m + ".")}


def _graph() -> nx.DiGraph:
    modules = _modules()
    g = nx.DiGraph()
    for name, path in modules.items():
        g.add_node(name)
        g.add_edges_from((name, m) for m in _imports(name, path, modules))
    return g


def test_no_import_cycles():
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert cycles == [], f"import cycles (two modules sharing a job; move the shared piece down): {cycles}"


def test_the_store_never_builds_and_the_library_never_imports_the_cli():
    g = _graph()
    for name in g:
        if name.startswith("kg.store"):
            assert not any(m.startswith("kg.build") for m in g.successors(name)), f"{name} imports the build"
        if not name.startswith("kg.cli") and name != "kg.__main__":
            assert not any(m.startswith("kg.cli") for m in g.successors(name)), f"{name} imports the CLI"


def _uses_pyvis(path: Path) -> bool:
    """Imports pyvis, or reads its files (``resources.files("pyvis")``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "pyvis" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "pyvis":
            return True
        if isinstance(node, ast.Constant) and node.value == "pyvis":
            return True
    return False


def test_pyvis_is_used_by_the_page_alone():
    users = {name for name, path in _modules().items() if _uses_pyvis(path)}
    assert users and all(u.startswith("kg.page") for u in users), users


def test_only_the_code_that_shapes_the_dataset_decides_when_to_rebuild():
    """A change to the page, a question or a command must not rebuild the dataset."""
    code = {p.relative_to(PACKAGE).parts[0] for p in input_files(Project.default()) if p.is_relative_to(PACKAGE)}
    assert {"build", "curation", "model"} <= code
    assert not code & {"page", "networks", "ask", "cli"}, code


def test_no_private_name_is_imported_from_another_module():
    """A helper another module needs is public (or moved down); ``_name`` stays in its module."""
    found = []
    root = PACKAGE.parent
    for path in [*PACKAGE.rglob("*.py"), *(root / "tests").rglob("*.py"), *(root / "benchmarks").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                found += [f"{path.relative_to(root)}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []
