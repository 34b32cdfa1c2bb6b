"""Both character sources, PDFium (the default) and pdfplumber alone, read papers alike.

PDFium gives characters ~20x faster; pdfplumber stays for ruled pages (its table
finder) and for files PDFium cannot open. These tests hold the two paths to the
same paragraphs and word boxes, and check how pages are routed between them.
"""

from __future__ import annotations

import pytest

from ingest import pdf, pdfium
from ingest.document import read_document, read_document_from

REAL = "real"
BOX_TOLERANCE = 1.5  # points; an italic glyph ending a line overhangs its advance by up to ~1.4 pt


def _paragraphs(path, characters):
    doc = read_document_from(str(path), characters=characters, ocr=False)
    return doc.status, [(p.kind, p.number, p.text) for p in doc.paragraphs]


def test_seed_gives_the_same_paragraphs_by_both_paths(seed_pdf):
    assert _paragraphs(seed_pdf, "pdfium") == _paragraphs(seed_pdf, "pdfplumber")


@pytest.mark.parametrize(
    "name",
    [
        "souldern-pc/minutes__2023-01-25_SPC_minutes.pdf",  # tight cairo spacing, a ruled action table
        "datagovuk-boards/TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf",
        "suffolk-libraries/board-meeting-minutes-2013-05-02.pdf",
        "fx-pypdf-samples/multicolumn.pdf",
    ],
)
def test_real_papers_give_the_same_paragraphs_by_both_paths(corpus, name):
    assert _paragraphs(corpus / REAL / name, "pdfium") == _paragraphs(corpus / REAL / name, "pdfplumber")


def test_synthetic_series_gives_the_same_paragraphs_by_both_paths(tmp_path):
    from tests.synth import generate_series

    generate_series(tmp_path, months=2)
    for path in sorted(tmp_path.glob("*.pdf")):
        status, paragraphs = _paragraphs(path, "pdfium")
        assert status == "ok" and paragraphs
        assert (status, paragraphs) == _paragraphs(path, "pdfplumber"), path.name


def test_seed_word_boxes_agree_within_a_point_or_so(seed_pdf):
    with pdf.open_pdf(str(seed_pdf), seed_pdf.name) as source:
        for index in range(source.pages):
            page = source.page(index)
            assert isinstance(page, pdfium.PdfiumPage) and not page.ruled
            ours = pdf.read_page(page, index + 1).words
            theirs = pdf.read_page(source.plumber.pages[index], index + 1).words
            assert [w.text for w in ours] == [w.text for w in theirs]
            for a, b in zip(ours, theirs, strict=True):
                assert (
                    max(abs(a.x0 - b.x0), abs(a.top - b.top), abs(a.x1 - b.x1), abs(a.bottom - b.bottom))
                    < BOX_TOLERANCE
                )
                assert (a.size, a.bold, a.italic) == (b.size, b.bold, b.italic)
                assert b.fontname.endswith(a.fontname)  # PDFium may leave off the subset tag "ABCDEF+"
            page.close()


def test_ruled_pages_go_to_pdfplumber_for_their_tables(corpus):
    path = corpus / REAL / "datagovuk-boards/ODUG_Action_Log_July_13_final_10.pdf"
    with pdf.open_pdf(str(path), path.name) as source:
        page = source.page(0)
        assert isinstance(page, pdfium.PdfiumPage) and page.ruled
        assert pdf.read_page(page, 1).tables
        page.close()


def test_unruled_pages_never_parse_with_pdfminer(seed_pdf, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pdfplumber parsed a page PDFium had read")

    monkeypatch.setattr(pdf, "_read_plumber", refuse)
    assert read_document(str(seed_pdf), ocr=False).status == "ok"


def _pdfium_page(texts, **kw):
    chars = [
        {
            "text": t,
            "x0": 10.0 + 6 * i,
            "x1": 15.0 + 6 * i,
            "top": 100.0,
            "bottom": 110.0,
            "doctop": 100.0,
            "upright": True,
            "fontname": "F",
            "size": 10.0,
        }
        for i, t in enumerate(texts)
    ]
    return pdfium.PdfiumPage(number=1, width=600.0, height=800.0, chars=chars, **kw)


def test_cid_garbage_is_flagged_on_the_pdfium_path():
    raw = pdf.read_page(_pdfium_page([f"(cid:{i})" for i in range(40)]), 1)
    assert raw.flags == ["cid_garbage"] and raw.words == [] and not raw.drawn_only


@pytest.mark.parametrize("kw, drawn", [({"images": 1}, True), ({"paths": 400}, True), ({"paths": 3}, False)])
def test_page_without_characters_is_drawn_only_when_it_draws(kw, drawn):
    raw = pdf.read_page(_pdfium_page([], **kw), 1)
    assert raw.drawn_only is drawn and raw.words == []


def test_file_pdfium_rejects_is_read_by_pdfplumber(corpus):
    path = corpus / REAL / "fx-pypdf-samples/unreadablemetadata.pdf"
    with pytest.raises(pdfium.Error):
        pdfium.open_pdf(str(path))
    with pdf.open_pdf(str(path), path.name) as source:
        assert source.native is None and source.pages > 0
    assert (
        read_document(str(path), ocr=False).status
        == read_document_from(str(path), characters="pdfplumber", ocr=False).status
    )


def test_encrypted_file_opens_with_its_password_in_both_parsers(corpus):
    path = corpus / REAL / "fx-pdfplumber/password-example.pdf"
    with pdf.open_pdf(str(path), path.name, password="test") as source:
        assert source.native is not None and source.plumber is not None and source.pages == 4


def test_unknown_character_source_is_refused(seed_pdf):
    with pytest.raises(ValueError, match="characters must be one of"):
        read_document_from(str(seed_pdf), characters="poppler")
