"""Dependencies run one way between the packages (checked with ``ast``).

ingest knows nothing of the rest; nlp sees only ingest's models; db sees only
the models and the records; templates import none of ours; boardpapers wires
them. Only ingest/pdf.py parses PDFs with pdfplumber.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

from tests.conftest import ROOT

SUBPACKAGES = ("ingest", "nlp", "db", "templates")
ALLOWED = {
    "ingest": {"boardpapers.ingest"},
    "nlp": {"boardpapers.nlp", "boardpapers.ingest.models"},
    "db": {"boardpapers.db", "boardpapers.ingest.models", "boardpapers.nlp.records"},
    "templates": set(),
}


def imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
    return names


def allowed(name: str, rules: set[str]) -> bool:
    return any(name == r or name.startswith(r + ".") for r in rules)


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_what_it_may(package):
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in imports(path):
            ours = name == "boardpapers" or name.startswith("boardpapers.")
            if ours and not allowed(name, ALLOWED[package]):
                # "from boardpapers.ingest import models" is recorded as both names
                if name in {r.rsplit(".", 1)[0] for r in ALLOWED[package] if "." in r}:
                    continue
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not bad, bad


def test_only_pdf_module_parses_with_pdfplumber():
    """pdfplumber/pdfminer parse PDFs in ingest/pdf.py alone; ingest/ruling.py
    runs pdfplumber's table algorithm on edges PDFium found."""
    users = [
        str(p.relative_to(ROOT))
        for pkg in ("ingest", "nlp", "db", "templates", "boardpapers")
        for p in (ROOT / pkg).rglob("*.py")
        if any(n.split(".")[0] in ("pdfplumber", "pdfminer") for n in imports(p))
    ]
    assert sorted(users) == ["ingest/pdf.py", "ingest/ruling.py"]
    assert not any(n.startswith("pdfminer") for n in imports(ROOT / "ingest" / "ruling.py"))


def _setuptools_config() -> dict:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _folder_of(package: str, package_dir: dict) -> pathlib.Path:
    """The source folder of a dotted package under the package-dir mapping."""
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        if head in package_dir:
            return ROOT / package_dir[head] / pathlib.Path(*parts[cut:])
    return ROOT / pathlib.Path(*parts)


def test_one_top_level_package():
    """Only ``boardpapers`` lands in site-packages; the required folders are its subpackages."""
    config = _setuptools_config()
    assert {p.split(".")[0] for p in config["packages"]} == {"boardpapers"}
    mapping = config["package-dir"]
    for folder in SUBPACKAGES:
        assert mapping[f"boardpapers.{folder}"] == folder
        assert f"boardpapers.{folder}" in config["packages"]


def test_every_data_file_is_package_data():
    """A normal (non-editable) install ships only what package-data names."""
    import fnmatch

    config = _setuptools_config()
    globs = config["package-data"]
    packages = set(config["packages"])
    missing = []
    for package in packages:
        folder = _folder_of(package, config["package-dir"])
        for path in folder.iterdir():
            if not path.is_file() or path.suffix in (".py", ".pyc"):
                continue
            if not any(fnmatch.fnmatch(path.name, g) for g in globs.get(package, [])):
                missing.append(str(path.relative_to(ROOT)))
        for sub in folder.iterdir():  # a data folder must be listed as a package to ship
            if sub.is_dir() and sub.name != "__pycache__" and any(f.is_file() for f in sub.iterdir()):
                if f"{package}.{sub.name}" not in packages:
                    missing.append(str(sub.relative_to(ROOT)) + "/")
    assert not missing, missing
