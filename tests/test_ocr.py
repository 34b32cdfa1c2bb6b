"""OCR of pages without a text layer: text a reader sees, boxes in page points, confidences.

The real files are the shared corpus's scans: parish minutes drawn as vector
outlines (2019-01-15), minutes whose page image sits inside form XObjects
(2021-02-25) and scanned statutory accounts (2013). Box placement is checked
against pdfplumber's own word boxes on generated text pages, plain, rotated
and cropped.
"""

from __future__ import annotations

import os
import re
import shutil

import pytest

from boardpapers.ingest import ocr
from boardpapers.ingest.ocr import INSTALL_HINT, OcrError, ocr_available, ocr_page

needs_tesseract = pytest.mark.skipif(
    not ocr_available(),
    reason="tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-eng): OCR tests skipped",
)

MINUTES_2019 = "real/souldern-pc/minutes__2019-01-15_SPC_minutes.pdf"
MINUTES_2021 = "real/souldern-pc/minutes__2021-02-25_SPC_minutes.pdf"
ACCOUNTS_2013 = "real/suffolk-libraries/suffolk-libraries-accounts-period-ended-31-march-2013.pdf"

_cache: dict[tuple[str, int], tuple] = {}


def _ocr(corpus, rel: str, page: int):
    """OCR each corpus page once per session (a page takes 2-3 s)."""
    key = (rel, page)
    if key not in _cache:
        path = corpus / rel
        if not path.is_file():
            pytest.skip(f"{rel} not in the shared corpus")
        _cache[key] = ocr_page(str(path), page)
    return _cache[key]


def _text(lines) -> str:
    return "\n".join(line.text for line in lines)


def _page_size(path) -> tuple[float, float]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return pdf.pages[0].width, pdf.pages[0].height


# --- what a reader sees on the scanned pages -------------------------------------------------


@needs_tesseract
@pytest.mark.parametrize(
    ("rel", "page", "date", "item_numbers"),
    [
        (MINUTES_2019, 1, r"January\s+2019", ["01.19.01", "01.19.02", "01.19.03", "01.19.04", "01.19.06"]),
        (
            MINUTES_2021,
            1,
            r"25th\s+February\s+2021",
            ["02.21.01", "02.21.02", "02.21.03", "02.21.04", "02.21.05"],
        ),
    ],
)
def test_minutes_dates_and_minute_numbers(corpus, rel, page, date, item_numbers):
    lines, _ = _ocr(corpus, rel, page)
    text = _text(lines)
    assert re.search(date, text), text[:400]
    found = [n for n in item_numbers if n in text]
    assert found == item_numbers, f"missing minute numbers: {set(item_numbers) - set(found)}"


@needs_tesseract
@pytest.mark.parametrize(
    ("number", "heading"),
    [
        ("01.19.01", "Apologies"),
        ("01.19.02", "Declarations of interest"),
        ("01.19.04", "Public participation"),
    ],
)
def test_hanging_minute_number_shares_a_line_with_its_heading(corpus, number, heading):
    """The number in the margin and the heading beside it come out as one line, as
    a text layer would give them, so the paragraph builder sees a numbered heading."""
    lines, _ = _ocr(corpus, MINUTES_2019, 1)
    line = next(ln for ln in lines if number in ln.text)
    assert line.text.startswith(number) and heading in line.text


@needs_tesseract
@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (1, [r"31 March 2013", r"Annual Report and Financial Statements", r"IP031542"]),
        (2, [r"Contents", r"Balance Sheet", r"\b2-16\b", r"\b17-18\b", r"\b22-24\b", r"\b25-32\b"]),
    ],
)
def test_scanned_accounts_first_pages(corpus, page, expected):
    lines, _ = _ocr(corpus, ACCOUNTS_2013, page)
    text = _text(lines)
    missing = [p for p in expected if not re.search(p, text)]
    assert not missing, f"not found on page {page}: {missing}\n{text}"


@needs_tesseract
@pytest.mark.parametrize(
    ("rel", "page"), [(MINUTES_2019, 1), (MINUTES_2021, 1), (ACCOUNTS_2013, 1), (ACCOUNTS_2013, 2)]
)
def test_boxes_inside_page_and_confidences_in_range(corpus, rel, page):
    lines, mean = _ocr(corpus, rel, page)
    width, height = _page_size(corpus / rel)
    words = [w for line in lines for w in line.words]
    assert len(words) > 20
    for line in lines:
        assert line.page == page
    for w in words:
        assert 0 <= w.x0 < w.x1 <= width and 0 <= w.top < w.bottom <= height, w
        assert w.conf is not None and 0 <= w.conf <= 100
        assert w.text == w.text.strip() and w.text
    assert 0 < mean <= 100
    assert mean == pytest.approx(sum(w.conf for w in words) / len(words))
    assert mean > 80  # clean scans: a drop means rendering went wrong (blank, tiny or garbled)


@needs_tesseract
def test_lines_in_reading_order(corpus):
    lines, _ = _ocr(corpus, MINUTES_2021, 1)
    tops = [line.top for line in lines]
    assert all(b >= a - 3 for a, b in zip(tops, tops[1:], strict=False))  # rows top to bottom
    numbers = [ln.text.split()[0] for ln in lines if re.match(r"\d\d\.\d\d\.\d\d\b", ln.text)]
    assert numbers == sorted(numbers)


# --- boxes land where pdfplumber puts the same words --------------------------------------------

WORDS = ["Minute 04.21.07 approved", "Meeting held 12 March 2021", "Budget line 7.3 agreed"]


def _text_pdf(path, *, rotate: int = 0, cropbox=None) -> str:
    """A 400x300 pt page of 18 pt text; with ``rotate=90`` the content is drawn turned
    so that the page's /Rotate shows it upright; ``cropbox`` crops inside the MediaBox."""
    import fpdf
    import pypdfium2 as pdfium

    pdf = fpdf.FPDF(unit="pt", format=(400, 300))
    pdf.add_page()
    pdf.set_font("Helvetica", size=18)
    if rotate == 90:
        with pdf.rotation(90, x=0, y=0):
            for i, text in enumerate(WORDS):
                pdf.text(-280, 40 + i * 40, text)
    else:
        for i, text in enumerate(WORDS):
            pdf.text(40, 60 + i * 40, text)
    pdf.output(str(path))
    if rotate or cropbox:
        doc = pdfium.PdfDocument(str(path))
        page = doc[0]
        if rotate:
            page.set_rotation(rotate)
        if cropbox:
            page.set_cropbox(*cropbox)
        doc.save(str(path) + ".tmp")
        doc.close()
        os.replace(str(path) + ".tmp", path)
    return str(path)


@needs_tesseract
@pytest.mark.parametrize(
    ("name", "rotate", "cropbox"),
    [("plain", 0, None), ("rotated-90", 90, None), ("cropped", 0, (30, 30, 380, 280))],
)
@pytest.mark.parametrize("dpi", [200, 150])
def test_word_boxes_match_pdfplumber(tmp_path, name, rotate, cropbox, dpi):
    import pdfplumber

    path = _text_pdf(tmp_path / f"{name}.pdf", rotate=rotate, cropbox=cropbox)
    with pdfplumber.open(path) as pdf:
        expected = {w["text"]: w for w in pdf.pages[0].extract_words()}
    lines, mean = ocr_page(path, 1, dpi=dpi)
    got = {w.text: w for line in lines for w in line.words}
    assert [line.text for line in lines] == WORDS
    assert mean > 85
    for text, want in expected.items():
        w = got[text]
        # ink vs font box: OCR boxes hug the glyphs, pdfplumber's include side bearings
        # (a wrong scale or origin is off by tens of points)
        assert abs(w.x0 - want["x0"]) < 2.5 and abs(w.x1 - want["x1"]) < 4.5, (text, w, want)
        assert want["top"] - 1 <= w.top < w.bottom <= want["bottom"] + 2.5, (text, w, want)


# --- failures and a missing tesseract ------------------------------------------------------------


def test_missing_tesseract_is_reported(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/bin/tesseract")
    assert ocr_available() is False


def test_missing_tesseract_on_path(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda *a, **k: None)
    assert ocr_available() is False


def test_ocr_page_without_tesseract_says_how_to_install(monkeypatch, tmp_path):
    import pytesseract

    path = _text_pdf(tmp_path / "plain.pdf")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/bin/tesseract")
    with pytest.raises(OcrError) as err:
        ocr_page(path, 1)
    assert INSTALL_HINT in str(err.value)
    assert (
        "apt-get install tesseract-ocr tesseract-ocr-eng" in INSTALL_HINT
        and "brew install tesseract" in INSTALL_HINT
    )


@pytest.mark.parametrize(
    ("content", "page", "message"),
    [
        (b"this is not a pdf at all\n" * 20, 1, "cannot open for OCR"),
        (b"", 1, "cannot open for OCR"),
        (None, 2, "no page 2 to OCR (the file has 1)"),
        (None, 0, "no page 0 to OCR (the file has 1)"),
    ],
)
def test_render_failures_raise_ocr_error(tmp_path, content, page, message):
    path = tmp_path / "bad.pdf"
    if content is None:
        _text_pdf(path)
    else:
        path.write_bytes(content)
    before = path.read_bytes()
    with pytest.raises(OcrError, match=re.escape(message)):
        ocr_page(str(path), page)
    assert path.read_bytes() == before


def test_huge_mediabox_is_rendered_within_the_pixel_budget(tmp_path, monkeypatch):
    """A hostile 200x200-inch page must not allocate a 1.6 GB bitmap."""
    import pypdfium2 as pdfium

    seen = {}

    def fake_tesseract(image, path, page_number):
        seen["pixels"] = image.width * image.height
        return _NO_WORDS

    monkeypatch.setattr(ocr, "_tesseract", fake_tesseract)
    doc = pdfium.PdfDocument.new()
    doc.new_page(14400, 14400)
    doc.save(str(tmp_path / "huge.pdf"))
    doc.close()
    lines, mean = ocr_page(str(tmp_path / "huge.pdf"), 1)
    assert lines == () and mean == 0.0
    assert seen["pixels"] <= ocr.MAX_PIXELS


@pytest.mark.parametrize(
    ("rel", "password"),
    [
        ("real/fx-pdfplumber/password-example.pdf", "test"),
        ("real/fx-camelot/health_protected.pdf", "userpass"),
        ("real/fx-pypdf-samples/libreoffice-writer-password.pdf", "openpassword"),
    ],
)
def test_encrypted_pages_render_with_their_password(corpus, monkeypatch, rel, password):
    rendered = []
    monkeypatch.setattr(ocr, "_tesseract", lambda image, path, n: rendered.append(image.size) or _NO_WORDS)
    with pytest.raises(OcrError, match="cannot open for OCR") as err:
        ocr_page(str(corpus / rel), 1)
    assert password not in str(err.value)
    assert ocr_page(str(corpus / rel), 1, password=password) == ((), 0.0)
    assert rendered and min(rendered[0]) > 100


_NO_WORDS = {
    k: [] for k in ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")
}


@needs_tesseract
@pytest.mark.slow
def test_scanned_minutes_through_read_document(corpus):
    """End to end: a paper with no text layer comes out as OCR'd, numbered paragraphs
    with their confidence, and its meeting date is found in the OCR'd text."""
    from boardpapers.ingest import document
    from boardpapers.pipeline import interpret

    doc = interpret(document.read_document(str(corpus / MINUTES_2021)))
    assert doc.status == "ok", doc.error
    assert [p.source for p in doc.page_info] == ["ocr"] * doc.pages and doc.pages == 3
    assert all(p.ocr_confidence and p.ocr_confidence > 80 for p in doc.page_info)
    numbers = [p.number for p in doc.paragraphs if p.page_start == 1 and p.number]
    assert numbers[:5] == ["02.21.01", "02.21.02", "02.21.03", "02.21.04", "02.21.05"]
    assert all(p.confidence is not None and 0 <= p.confidence <= 100 for p in doc.paragraphs)
    assert doc.meta.meeting_date == "2021-02-25"
