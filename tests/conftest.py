"""Shared fixtures: paths to the shared corpus and the seed paper."""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The shared corpus, gold and tools sit beside the checkout (../shared); BOARDPAPERS_SHARED points elsewhere.
SHARED = pathlib.Path(os.environ.get("BOARDPAPERS_SHARED") or ROOT.parent / "shared").resolve()
CORPUS = SHARED / "corpus"
SEED_PDF = CORPUS / "seed" / "bcb-2020-01-communities.pdf"
GOLD_DIR = SHARED / "gold"
ARTIFACTS = ROOT / "artifacts"  # screenshots and other test output (gitignored)

# Headless Chromium as root on a machine with no network but the registries:
# without the background-networking flags it keeps trying to reach its hosts.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/* from the code")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def corpus() -> pathlib.Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS} (tests that read real PDFs are skipped)")
    return CORPUS


@pytest.fixture(scope="session")
def seed_pdf(corpus) -> pathlib.Path:
    if not SEED_PDF.is_file():
        pytest.skip(f"seed PDF not found at {SEED_PDF}")
    return SEED_PDF


@pytest.fixture(scope="session")
def nlp():
    from boardpapers.nlp.pipeline import build_nlp

    return build_nlp()
