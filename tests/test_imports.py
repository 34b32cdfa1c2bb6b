"""Every module of the boardpapers package imports on its own, in a fresh
interpreter: an import cycle or a module broken at import fails here by name."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pathlib
import pkgutil
import subprocess
import sys

import pytest

import boardpapers

# The top-level folders install as these subpackages (setuptools package-dir), so
# they do not sit under boardpapers.__path__ and are walked one by one.
SUBPACKAGES = ("ingest", "nlp", "db", "templates")


def _modules() -> list[str]:
    names = {m.name for m in pkgutil.walk_packages(boardpapers.__path__, prefix="boardpapers.")}
    for sub in SUBPACKAGES:
        package = importlib.import_module(f"boardpapers.{sub}")
        names.add(package.__name__)
        names |= {m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")}
    return sorted(names)


def test_the_walk_finds_every_subpackage():
    names = set(_modules())
    for sub in ("ingest", "nlp", "db", "templates"):
        assert f"boardpapers.{sub}" in names
    assert "boardpapers.nlp.dates" in names


@pytest.mark.parametrize("module", _modules())
def test_module_imports_alone(module):
    proc = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, f"import {module} failed:\n{proc.stderr[-3000:]}"


def _imports_of(module: str) -> set[str]:
    """The boardpapers modules ``module`` imports anywhere in its source (also inside functions)."""
    spec = importlib.util.find_spec(module)
    tree = ast.parse(pathlib.Path(spec.origin).read_text(encoding="utf-8"))
    package = module if spec.submodule_search_locations else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            if node.module:
                found.add(f"{base}.{node.module}")
            else:
                found |= {f"{base}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("boardpapers"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("boardpapers")}
    return found


def test_no_import_cycles():
    """No module reaches itself through imports, even lazy ones inside functions
    (which the import-alone test cannot see)."""
    modules = set(_modules())
    graph = {m: _imports_of(m) & modules for m in modules}
    cycles = []

    def visit(node: str, path: list[str], done: set[str]) -> None:
        for dep in sorted(graph[node]):
            if dep in path:
                cycles.append(" -> ".join([*path[path.index(dep) :], dep]))
            elif dep not in done:
                done.add(dep)
                visit(dep, [*path, dep], done)

    for start in sorted(graph):
        visit(start, [start], {start})
    assert cycles == []
