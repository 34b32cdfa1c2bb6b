"""Shared fixtures: paths to the shared corpus and the seed paper."""

from __future__ import annotations

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED_PDF = CORPUS / "seed" / "bcb-2020-01-communities.pdf"
GOLD_DIR = SHARED / "gold"


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
    from nlp.pipeline import build_nlp

    return build_nlp()
