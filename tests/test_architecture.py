"""Dependencies run one way between the packages (checked with ``ast``).

ingest knows nothing of the rest; nlp sees only ingest's models; db sees only
the models and the records; templates import none of ours; boardpapers wires
them. Only ingest/pdf.py parses PDFs with pdfplumber.
"""

from __future__ import annotations

import ast

import pytest

from tests.conftest import ROOT

OURS = {"boardpapers", "ingest", "nlp", "db", "templates"}
ALLOWED = {
    "ingest": {"ingest"},
    "nlp": {"nlp", "ingest.models"},
    "db": {"db", "ingest.models", "nlp.records"},
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
            top = name.split(".")[0]
            if top in OURS and not allowed(name, ALLOWED[package]):
                # "from ingest import models" is recorded as ingest and ingest.models
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


def test_every_data_file_is_package_data():
    """A normal (non-editable) install ships only what package-data names."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    globs = config["package-data"]
    missing = []
    for package in config["packages"]:
        for path in (ROOT / package).rglob("*"):
            if not path.is_file() or path.suffix in (".py", ".pyc"):
                continue
            rel = str(path.relative_to(ROOT / package))
            if not any(fnmatch.fnmatch(rel, g) for g in globs.get(package, [])):
                missing.append(f"{package}/{rel}")
    assert not missing, missing
