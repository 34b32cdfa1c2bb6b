"""Both character sources, PDFium (the default) and pdfplumber alone, read papers alike.

PDFium gives characters ~20x faster, and the edges of ruled tables, on which
pdfplumber's table algorithm runs (``ingest.ruling``); pdfplumber parses pages
only for files PDFium cannot open. These tests hold the two paths to the same
paragraphs, word boxes, edges and tables, and check how pages are routed.
"""

from __future__ import annotations

import pdfplumber
import pypdfium2
import pytest
from pdfplumber.table import TableFinder, TableSettings, edges_to_intersections, intersections_to_cells

from boardpapers.ingest import pdf, pdfium, ruling
from boardpapers.ingest.document import read_document, read_document_from

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
        "souldern-pc/minutes__2023-03-30_SPC_minutes.pdf",  # Clerk's report and actions tables
        "datagovuk-boards/TB51_i_Status_update_on_actions_from_last_meeting_02_03_11v3.pdf",
        "datagovuk-boards/TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf",
        "datagovuk-boards/ODUG_Action_Log_July_13_final_10.pdf",
        "fx-pdfplumber/nics-background-checks-2015-11.pdf",
        "fx-camelot/budget.pdf",
        "fx-camelot/spanning_cells.pdf",
        "fx-camelot/offense.pdf",
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


# Ruled files whose tables the PDFium path must find exactly as pdfplumber's find_tables() + extract() do
# (file, pages to read, whether spaces inside cells must agree too).
# ca-warn-report draws a row of space characters over its dates: pdfminer keeps them and splits
# "03/25/2016" into "0 3 / 2 5 / 2 0 16"; PDFium drops spaces that overlap characters and reads the date
# as printed (as pdftotext does), so there only the non-space text must agree.
# souldern-pc minutes 2023-06-29 is left out: one glyph, the "o" of "R How", straddles a column rule, and
# the two parsers' glyph widths put its centre on either side of it.
RULED = [
    ("datagovuk-boards/ODUG_Action_Log_July_13_final_10.pdf", None, True),
    ("datagovuk-boards/TB41.i_Status_update_on_actions_from_last_meeting_-_11.01.11.pdf", None, True),
    ("souldern-pc/minutes__2023-01-25_SPC_minutes.pdf", None, True),
    ("fx-pdfplumber/nics-background-checks-2015-11.pdf", None, True),
    ("fx-pdfplumber/ca-warn-report.pdf", 3, False),
    ("fx-camelot/spanning_cells.pdf", None, True),
    ("fx-camelot/offense.pdf", None, True),
]


def _rows(table, spaces: bool):
    if spaces:
        return table.rows
    return tuple(tuple(c if c is None else "".join(c.split()) for c in row) for row in table.rows)


def _page_tables(path, *, native, pages):
    with pdf.open_pdf(str(path), path.name, native=native) as source:
        out = []
        for index in range(min(pages or source.pages, source.pages)):
            page = source.page(index)
            assert isinstance(page, pdfium.PdfiumPage) == native
            out.extend(pdf.read_page(page, index + 1).tables)
            page.close()
    return out


@pytest.mark.parametrize("name, pages, spaces", RULED)
def test_ruled_tables_from_pdfium_equal_pdfplumbers(corpus, name, pages, spaces):
    path = corpus / REAL / name
    ours = _page_tables(path, native=True, pages=pages)
    theirs = _page_tables(path, native=False, pages=pages)
    assert ours, "a ruled table was expected"
    assert [(t.page, _rows(t, spaces)) for t in ours] == [(t.page, _rows(t, spaces)) for t in theirs]
    for a, b in zip(ours, theirs, strict=True):  # PDFium's float32 points may differ by a hundredth
        assert max(abs(x - y) for x, y in zip(a.bbox, b.bbox, strict=True)) < 0.05


def _edge_keys(edges):
    return sorted(
        (e["orientation"], round(e["x0"], 1), round(e["top"], 1), round(e["x1"], 1), round(e["bottom"], 1))
        for e in edges
        if e["orientation"]
    )


@pytest.mark.parametrize("name", [n for n, *_ in RULED[:3]] + ["fx-camelot/budget.pdf"])
def test_pdfium_edges_are_pdfplumbers_edges(corpus, name):
    path = str(corpus / REAL / name)
    native, plumber = pypdfium2.PdfDocument(path), pdfplumber.open(path)
    try:
        for index in range(min(2, len(native))):
            page = native[index]
            ours = ruling.page_edges(page.raw, pdfium._Frame(page).point)
            page.close()
            theirs = plumber.pages[index].edges
            assert len(ours) == len(theirs)
            assert [(k[0], round(k[1]), round(k[2]), round(k[3]), round(k[4])) for k in _edge_keys(ours)] == [
                (k[0], round(k[1]), round(k[2]), round(k[3]), round(k[4])) for k in _edge_keys(theirs)
            ]
    finally:
        native.close()
        plumber.close()


def test_cells_equal_pdfplumbers_intersections_to_cells(corpus):
    path = str(corpus / REAL / "fx-camelot/spanning_cells.pdf")
    native = pypdfium2.PdfDocument(path)
    page = native[0]
    frame = pdfium._Frame(page)
    finder = TableFinder.__new__(TableFinder)
    finder.page = ruling._Page(ruling.page_edges(page.raw, frame.point), [], frame.width, frame.height)
    finder.settings = settings = TableSettings.resolve(None)
    found = edges_to_intersections(
        finder.get_edges(), settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )
    page.close()
    native.close()
    cells = ruling._cells(found)
    assert len(cells) > 100 and cells == intersections_to_cells(found)


@pytest.mark.parametrize(
    "shape, points, kinds",
    [
        ("ml", [(0, 5), (9, 5)], [("line", "h")]),
        ("ml", [(4, 0), (4, 9)], [("line", "v")]),
        ("mllllh", [(0, 0), (0, 9), (9, 9), (9, 0), (0, 0), (0, 0)], [("rect_edge", o) for o in "hhvv"]),
        ("mlllh", [(0, 0), (9, 0), (9, 9), (0, 9), (0, 0)], [("rect_edge", o) for o in "hhvv"]),
        ("mlll", [(0, 0), (9, 0), (9, 9), (0, 9)], [("curve_edge", o) for o in "hvh"]),
        ("mlc", [(0, 0), (9, 0), (12, 7)], [("curve_edge", "h"), ("curve_edge", None)]),
    ],
)
def test_paths_are_classified_as_pdfminer_does(shape, points, kinds):
    edges = ruling._edges_of(shape, [(float(x), float(y)) for x, y in points])
    assert [(e["object_type"], e["orientation"]) for e in edges] == kinds


def test_ruled_pages_are_read_without_pdfminer(corpus, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pdfplumber parsed a page PDFium had read")

    monkeypatch.setattr(pdf, "_read_plumber", refuse)
    path = corpus / REAL / "datagovuk-boards/ODUG_Action_Log_July_13_final_10.pdf"
    with pdf.open_pdf(str(path), path.name) as source:
        page = source.page(0)
        assert isinstance(page, pdfium.PdfiumPage) and page.ruled and page.edges
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
