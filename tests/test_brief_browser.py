"""The HTML brief in headless Chromium: tables and sparklines render, no console errors."""

from __future__ import annotations

import subprocess

import pytest

from boardpapers import templates
from boardpapers.db.compare import compare
from tests.brief_fixtures import new_db
from tests.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS
from tests.test_brief_render import build

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")]


def _chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=90,
    )


def test_html_brief_renders_in_chromium(tmp_path):
    db = new_db()
    html = templates.render("brief.html.j2", compare(db, build(db), better={"recorded_crime": "down"}))
    page = tmp_path / "brief.html"
    page.write_text(html, encoding="utf-8")

    dumped = _chromium(tmp_path, "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    assert dom.count("<table") >= 5 and "<svg" in dom and "<polyline" in dom
    assert "<script" not in dom  # the hostile title stayed text
    errors = [line for line in dumped.stderr.splitlines() if "Uncaught" in line or "ERROR:CONSOLE" in line]
    assert errors == []

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "brief.png"
    shot.unlink(missing_ok=True)
    taken = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri())
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.stat().st_size > 10_000
