"""The installed package: one top-level name, and nothing of ours shadowed by a user's files.

These run the venv's interpreter in an empty directory, as a user would after
``pip install``, so a leaked top-level ``db`` or ``nlp`` would import there.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(code: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["db", "nlp", "ingest", "templates"])
def test_generic_names_are_not_installed(name, tmp_path):
    result = run(f"import {name}", tmp_path)
    assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr


@pytest.mark.parametrize("name", ["db", "nlp", "ingest", "templates"])
def test_subpackages_import_from_an_empty_directory(name, tmp_path):
    result = run(f"import boardpapers.{name}; print(boardpapers.{name}.__name__)", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"boardpapers.{name}"


def test_a_users_db_module_does_not_shadow_ours(tmp_path):
    """With the user's own db.py, nlp/ and templates/ beside them, ours still load."""
    (tmp_path / "db.py").write_text("raise SystemExit('the user db.py was imported')\n")
    (tmp_path / "nlp").mkdir()
    (tmp_path / "nlp" / "__init__.py").write_text("raise SystemExit('the user nlp was imported')\n")
    (tmp_path / "templates").mkdir()
    code = (
        "import boardpapers.db.datasette_plugin, boardpapers.nlp.pipeline, boardpapers.templates;"
        "from boardpapers import serve; serve.metadata_for('x.db'); print('ok')"
    )
    result = run(code, tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_datasette_entry_point_names_the_subpackage():
    from importlib.metadata import entry_points

    points = [e for e in entry_points(group="datasette") if e.name == "boardpapers"]
    assert [e.value for e in points] == ["boardpapers.db.datasette_plugin"]
    assert points[0].load().__name__ == "boardpapers.db.datasette_plugin"
