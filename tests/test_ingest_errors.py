"""Every bad-input class gives one status and its exact message; nothing raises."""

from __future__ import annotations

import gc

import pytest

from boardpapers.ingest import errors, pdf
from boardpapers.ingest.document import read_document
from tests.pdfgen import make_pdf

REAL = "real"


def test_not_a_pdf_by_content(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_text("<html>not a pdf</html>")
    doc = read_document(str(path))
    assert (doc.status, doc.error) == ("rejected", errors.NotAPdf("paper.pdf").message)
    assert (
        doc.error
        == "paper.pdf is not a PDF (no %PDF- header in its first 1024 bytes); check that it is the right file"
    )
    assert doc.size == path.stat().st_size and len(doc.sha256) == 64


def test_empty_file(corpus):
    doc = read_document(str(corpus / REAL / "fx-pdfplumber/empty.pdf"))
    assert (doc.status, doc.error) == (
        "rejected",
        "empty.pdf is empty (0 bytes); download or export it again",
    )


def test_zero_pages(corpus):
    doc = read_document(str(corpus / REAL / "fx-pdfplumber/issue-297-example.pdf"))
    assert (doc.status, doc.error) == (
        "failed",
        "issue-297-example.pdf has no pages; export it again from its source",
    )


@pytest.mark.parametrize(
    "name",
    [
        "fx-pdfplumber/password-example.pdf",
        "fx-camelot/health_protected.pdf",
        "fx-pypdf-samples/libreoffice-writer-password.pdf",
    ],
)
def test_encrypted_without_password(corpus, name):
    doc = read_document(str(corpus / REAL / name))
    base = name.rsplit("/", 1)[1]
    assert (doc.status, doc.error) == (
        "failed",
        f"{base} is encrypted; pass its password with --password or --password-file",
    )


def test_encrypted_wrong_password_never_echoes_it(corpus):
    doc = read_document(str(corpus / REAL / "fx-pdfplumber/password-example.pdf"), password="hunter2-secret")
    assert doc.error == (
        "password-example.pdf is encrypted and the password given does not open it; check the password"
    )
    assert "hunter2" not in repr(doc)


def test_encrypted_right_password_reads(corpus):
    doc = read_document(str(corpus / REAL / "fx-pdfplumber/password-example.pdf"), password="test")
    assert doc.status in ("ok", "partial") and doc.pages == 4


def test_truncated_file_is_malformed(tmp_path, seed_pdf):
    path = tmp_path / "cut.pdf"
    path.write_bytes(seed_pdf.read_bytes()[:3000])
    doc = read_document(str(path))
    assert doc.status == "failed"
    assert doc.error.startswith("cut.pdf is damaged or truncated (")
    assert doc.error.endswith("); download it again or repair it (e.g. qpdf)")


def test_over_max_bytes_is_rejected(seed_pdf):
    size = seed_pdf.stat().st_size
    doc = read_document(str(seed_pdf), max_bytes=1000)
    assert (doc.status, doc.error) == (
        "rejected",
        f"{seed_pdf.name} is {size} bytes, over the limit of 1000 bytes; raise --max-bytes to ingest it",
    )


def test_over_max_pages_is_rejected(tmp_path):
    path = make_pdf(tmp_path / "three.pdf", [["1. One."], ["2. Two."], ["3. Three."]])
    doc = read_document(str(path), max_pages=2)
    assert (doc.status, doc.error) == (
        "rejected",
        "three.pdf has 3 pages, over the limit of 2; raise --max-pages to ingest it",
    )


def test_page_that_raises_makes_partial(tmp_path, monkeypatch):
    path = make_pdf(tmp_path / "two.pdf", [["1. The first page reads fine."], ["2. The second page breaks."]])
    real = pdf.read_page

    def flaky(page, number):
        if number == 2:
            raise ValueError("bad content stream")
        return real(page, number)

    monkeypatch.setattr(pdf, "read_page", flaky)
    doc = read_document(str(path))
    assert doc.status == "partial"
    assert (
        doc.error
        == "two.pdf: pages 2 could not be read (ValueError: bad content stream); the other pages were ingested"
    )
    assert doc.page_info[1].flags == ("error",) and doc.page_info[0].flags == ()
    assert [p.text for p in doc.paragraphs] == ["The first page reads fine."]


def test_image_only_page_needs_ocr(corpus):
    doc = read_document(str(corpus / REAL / "fx-camelot/image.pdf"), ocr=False)
    assert doc.status == "failed"
    assert doc.error == "image.pdf has no text layer on pages 1 (scanned?); install tesseract-ocr to OCR it"
    assert doc.page_info[0].flags == ("needs_ocr",) and doc.page_info[0].lines == ()


def test_outlined_glyphs_need_ocr(corpus):
    doc = read_document(str(corpus / REAL / "souldern-pc/minutes__2019-01-15_SPC_minutes.pdf"), ocr=False)
    assert doc.error == (
        "minutes__2019-01-15_SPC_minutes.pdf has no text layer on pages 1-2 (scanned?); install tesseract-ocr to OCR it"
    )


class _FakePage:
    """Just enough of a pdfplumber page for read_page."""

    def __init__(self, chars):
        self.chars, self.width, self.height = chars, 600.0, 800.0
        self.images, self.curves, self.rects, self.lines = [], [], [], []


def _char(text, x):
    return {
        "text": text,
        "x0": x,
        "x1": x + 5,
        "top": 100,
        "bottom": 110,
        "upright": True,
        "doctop": 100,
        "fontname": "F",
        "size": 10.0,
        "matrix": (1, 0, 0, 1, x, 0),
    }


def test_cid_garbage_page_is_flagged_not_indexed():
    chars = [_char(f"(cid:{i})", 10 + 6 * i) for i in range(40)]
    raw = pdf.read_page(_FakePage(chars), 1)
    assert raw.flags == ["cid_garbage"] and raw.words == []


def test_cid_garbage_message():
    assert errors.CID_GARBAGE.format(name="x.pdf", pages=errors.page_ranges([1, 2, 5])) == (
        "x.pdf: text on pages 1-2, 5 decodes to (cid:NN) glyph codes (font without a Unicode map); "
        "not indexed, OCR it instead"
    )


def test_missing_file_does_not_raise(tmp_path):
    doc = read_document(str(tmp_path / "nope.pdf"))
    assert doc.status == "failed" and doc.error.startswith("nope.pdf could not be opened (")


def test_reading_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nnot really a pdf")
    assert gc.isenabled()
    read_document(str(bad), ocr=False)
    assert gc.isenabled()
    gc.disable()
    try:
        read_document(str(bad), ocr=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
