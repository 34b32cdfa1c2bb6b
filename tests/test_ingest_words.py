"""Words as printed: the words ingest reads from PDFium's characters are pdfplumber's words.

Over every shared-corpus PDF with a text layer, each page's words from the
ingest reading path (``pdf.page_words``) are compared with pdfplumber's
``extract_words`` as a pdfplumber user would call it on that file: the
default ``x_tolerance=3``, or ``x_tolerance=1`` for producers that set words
tight (the corpus README names cairo and "Microsoft: Print To PDF"; pdfTeX
and some iText output need it too); ``vertical_ttb=False`` for text that runs
up the page; ``use_text_flow=True`` where a spreadsheet draws its padding
spaces after the number they pad (pdfplumber's sort then puts a space inside
"121.80"); ``y_tolerance=1`` on designed pages whose lines sit so close that
the default clusters two of them into one; ``dedupe_chars`` where glyphs are
drawn twice (fake bold). The reference for each page is its best reading
(pdfplumber is called page by page, and a designed page may need settings the
plain pages of the same file do not). Agreement is the F1
of the two multisets of words, summed over the file's pages. Only the page's
main orientation is compared (ingest leaves out margin text set sideways), and
(cid:NN) placeholders are left out on both sides, as ingest drops them.

Also here: fake-bold doubles collapse by position, and a page whose MediaBox
is inherited from the page tree gets pdfplumber's word boxes.
"""

from __future__ import annotations

import collections
import pathlib
import re

import pdfplumber
import pytest
from pdfplumber.utils import dedupe_chars
from pdfplumber.utils.text import LIGATURES, extract_text, extract_words

from boardpapers.ingest import errors, pdf, pdfium, words

AGREEMENT = 0.99
# Files where the two parsers disagree on something other than spacing, with the floor they must keep.
KNOWN = {
    "real/suffolk-libraries/suffolk-libraries-annual-review-2015-2016.pdf": (
        0.98,
        "page 10 is an infographic whose chart labels are stacked and tilted single letters: "
        "neither parser reads them as words, and each cuts them differently (its other 11 pages agree >= 0.99)",
    ),
}
BOX_TOLERANCE = 0.5  # points
CID = re.compile(r"\(cid:\d+\)")
PRIVATE = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff]")  # private-use code points (emoji fonts): no text
PLUMBER_READINGS = (
    {"x_tolerance": 3},
    {"x_tolerance": 1},
    {"x_tolerance": 3, "use_text_flow": True},
    {"x_tolerance": 3, "y_tolerance": 1},
    {"x_tolerance": 1, "y_tolerance": 1},
)
SIDEWAYS_READINGS = ({"char_dir_rotated": "ttb"}, {"char_dir_rotated": "btt"})


def _bag(words) -> collections.Counter:
    return collections.Counter(t for t in (PRIVATE.sub("", CID.sub("", w)).strip() for w in words) if t)


def our_words(path: pathlib.Path) -> list[collections.Counter]:
    """Per page, the words of the ingest reading path."""
    out = []
    with pdf.open_pdf(str(path), path.name) as source:
        for index in range(source.pages):
            page = source.page(index)
            try:
                out.append(_bag(w.text for w in pdf.page_words(page)))
            finally:
                page.close()
    return out


def plumber_words(path: pathlib.Path) -> dict[str, list[collections.Counter]]:
    """Per reading (its settings as text), per page, pdfplumber's words."""
    out: dict[str, list[collections.Counter]] = collections.defaultdict(list)
    with pdfplumber.open(str(path)) as doc:
        for page in doc.pages:
            chars = page.chars
            upright = [c for c in chars if c["upright"]]
            if len(upright) < 0.5 * len(chars):
                chars, extra = [c for c in chars if not c["upright"]], SIDEWAYS_READINGS
            else:
                chars, extra = upright, ({},)
            doubled = len(pdfium.single_copies(chars)) < len(chars)  # glyphs drawn twice (fake bold)
            deduped = dedupe_chars(chars) if doubled else None
            for settings in PLUMBER_READINGS:
                for more in extra:
                    plain = _plumber_bag(chars, {"y_tolerance": 3, **settings, **more})
                    out[str({**settings, **more})].append(plain)
                    if deduped is not None:
                        plain = _plumber_bag(deduped, {"y_tolerance": 3, **settings, **more})
                    out[str({**settings, **more, "dedupe_chars": True})].append(plain)
            page.close()
    return out


def _plumber_bag(chars: list[dict], settings: dict) -> collections.Counter:
    """pdfplumber's words, a footnote call split off the word it ends (ingest does so that
    "750¹" is not read as the number 7501): trailing digits smaller and raised."""
    texts = []
    for word in extract_words(chars, return_chars=True, **settings):
        cs = word["chars"]
        size, bottom = max(c["size"] for c in cs), max(c["bottom"] for c in cs)
        cut = len(cs)
        while (
            cut > 1
            and cs[cut - 1]["text"].isdigit()
            and cs[cut - 1]["size"] <= 0.8 * size
            and (cs[cut - 1]["bottom"] < bottom - 0.15 * size)
        ):
            cut -= 1
        tail = "".join(c["text"] for c in cs[cut:])  # one digit a character; the head keeps "ﬁ" expanded
        texts += [word["text"][: len(word["text"]) - len(tail)], tail]
    return _bag(texts)


def word_f1(ours: list[collections.Counter], theirs: list[collections.Counter]) -> float | None:
    """F1 of the two multisets of words, page by page; None when neither side has words."""
    both = sum(sum((a & b).values()) for a, b in zip(ours, theirs, strict=False))
    total = sum(sum(c.values()) for c in ours) + sum(sum(c.values()) for c in theirs)
    return None if not total else 2 * both / total


def agreement(path: pathlib.Path) -> tuple[float | None, str]:
    """(F1 against the best pdfplumber reading of each page, the readings used) for one file."""
    ours = our_words(path)
    readings = plumber_words(path)
    chosen, used = [], collections.Counter()
    for index, page in enumerate(ours):
        options = [
            (name, pages[index] if index < len(pages) else collections.Counter())
            for name, pages in readings.items()
        ]
        scores = [word_f1([page], [theirs]) for _, theirs in options]
        best = max(range(len(options)), key=lambda k: (1.0 if scores[k] is None else scores[k], -k))
        chosen.append(options[best][1])
        used[options[best][0]] += 1
    return word_f1(ours, chosen), ", ".join(f"{name} x{n}" for name, n in used.most_common())


def _corpus_pdfs(root: pathlib.Path) -> list[pathlib.Path]:
    return sorted(root.rglob("*.pdf"))


@pytest.fixture(scope="module")
def agreements(corpus) -> dict[str, tuple[float, str]]:
    out = {}
    for path in _corpus_pdfs(corpus):
        try:
            score, reading = agreement(path)
        except errors.IngestError:
            continue  # encrypted or damaged: no words to compare
        if score is not None:
            out[str(path.relative_to(corpus))] = (score, reading)
    return out


@pytest.mark.corpus
@pytest.mark.slow
def test_words_agree_with_pdfplumber_on_the_corpus(agreements):
    worst = sorted(agreements.items(), key=lambda kv: kv[1][0])
    print(f"\nword agreement with pdfplumber over {len(worst)} files with a text layer; worst:")
    for name, (score, reading) in worst[:8]:
        print(f"  {score:.4f}  {name}  {reading}")
    assert len(worst) >= 50, "expected the shared corpus' text PDFs"
    low = [f"{name} {score:.4f}" for name, (score, _) in worst if score < KNOWN.get(name, (AGREEMENT,))[0]]
    assert not low, f"word agreement below {AGREEMENT}: {low}"


# ------------------------------------------------------------------ generated PDFs


def _pdf_bytes(contents: list[bytes], *, tree: bytes = b"", pages: list[bytes] | None = None) -> bytes:
    """A PDF with Helvetica text. ``tree`` goes into the /Pages dictionary (e.g. an
    inherited /MediaBox), ``pages[i]`` into page i's dictionary."""
    pages = pages or [b""] * len(contents)
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d %s >>" % (kids, n, tree),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R %s >>"
            % (5 + 2 * i, pages[i])
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _text(x: float, y: float, text: str, size: int = 12) -> bytes:
    return b"BT /F1 %d Tf %.2f %.2f Td (%s) Tj ET" % (size, x, y, text.encode("latin-1"))


def _boxes(path: pathlib.Path, *, native: bool) -> list[tuple]:
    with pdf.open_pdf(str(path), path.name, native=native) as source:
        page = source.page(0)
        try:
            assert isinstance(page, pdfium.PdfiumPage) == native
            return [(w.text, w.x0, w.top, w.x1, w.bottom) for w in pdf.page_words(page)]
        finally:
            page.close()


@pytest.mark.parametrize(
    "tree, page",
    [
        (b"/MediaBox [0 0 595.28 841.89]", b""),  # A4 inherited from the page tree
        (b"/MediaBox [0 0 595.28 841.89] /Rotate 90", b""),  # and turned sideways
        (b"/MediaBox [-20 30 575.28 871.89]", b""),  # an offset origin
        (b"", b"/MediaBox [0 0 595.28 841.89]"),  # the page's own box, for comparison
    ],
)
def test_word_boxes_on_pages_with_an_inherited_mediabox_are_pdfplumbers(tmp_path, tree, page):
    lines = [_text(72, 760 - 20 * i, t) for i, t in enumerate(["Quarterly finance report", "Spend was 4.2m"])]
    path = tmp_path / "inherited.pdf"
    path.write_bytes(_pdf_bytes([b"\n".join(lines)], tree=tree, pages=[page]))
    ours, theirs = _boxes(path, native=True), _boxes(path, native=False)
    assert [w[0] for w in ours] == [w[0] for w in theirs] == "Quarterly finance report Spend was 4.2m".split()
    for a, b in zip(ours, theirs, strict=True):
        assert all(abs(p - q) <= BOX_TOLERANCE for p, q in zip(a[1:], b[1:], strict=True)), (a, b)


def test_fake_bold_doubles_collapse_by_position(tmp_path):
    """A heading drawn twice 0.4 pt apart (fake bold) reads once, on both paths; letters
    doubled in the word itself ("committee", "all") stay."""
    heading = [_text(72 + dx, 760, "Committee Agenda") for dx in (0, 0.4)]
    body = [_text(72, 730, "all staff attended")]
    path = tmp_path / "fakebold.pdf"
    path.write_bytes(_pdf_bytes([b"\n".join(heading + body)], tree=b"/MediaBox [0 0 595 842]"))
    for native in (True, False):
        assert [w[0] for w in _boxes(path, native=native)] == [
            "Committee",
            "Agenda",
            "all",
            "staff",
            "attended",
        ]


def test_copies_collapse_only_where_drawn_on_top_of_each_other():
    def char(text, x0, top=100.0):
        return {
            "text": text,
            "x0": x0,
            "x1": x0 + 6,
            "top": top,
            "bottom": top + 10,
            "fontname": "F",
            "size": 10,
        }

    chars = [
        char("l", 10),
        char("l", 10.3),
        char("l", 16),
        char("l", 16, top=112),
        char(" ", 22),
        char(" ", 22),
    ]
    assert pdfium.single_copies(chars) == [0, 2, 3, 4, 5]


def test_a_superscript_and_a_change_of_font_stay_in_their_word():
    def char(text, x0, size=12.0, font="Arial", top=100.0):
        return {"text": text, "x0": x0, "x1": x0 + 6, "top": top, "bottom": top + size, "doctop": top,
                "upright": True, "fontname": font, "size": size}  # fmt: skip

    chars = [char("2", 10), char("6", 16), char("t", 22, size=8, top=99), char("h", 26, size=8, top=99),
             char(" ", 32), char("J", 38, font="Arial-Bold"), char("u", 44, font="Arial-Bold"), char("n", 50),
             char("e", 56)]  # fmt: skip
    page = pdfium.PdfiumPage(number=1, width=600.0, height=800.0, chars=chars)
    words = pdf.page_words(page)
    assert [w.text for w in words] == ["26th", "June"]
    call = [char("A", 70), char("l", 76), char("1", 82, size=7, top=97)]  # "Al" with a footnote call
    assert [w.text for w in pdf.page_words(pdfium.PdfiumPage(1, 600.0, 800.0, chars=chars + call))][-2:] == [
        "Al",
        "1",
    ]
    assert (words[0].size, words[1].bold) == (12.0, True)  # the font of most of the word's characters


# ------------------------------------------------------------------ ingest's word builder


def _char(text: str, x0: float, top: float, width: float = 5.0, size: float = 10.0) -> dict:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + size,
        "doctop": top,
        "upright": True,
        "size": size,
        "fontname": "F",
    }


def _same_words(chars: list[dict], x_tolerance: float, y_tolerance: float) -> None:
    theirs = extract_words(chars, x_tolerance=x_tolerance, y_tolerance=y_tolerance, return_chars=True)
    ours = words.extract_words(chars, x_tolerance, y_tolerance)
    keys = ("text", "x0", "x1", "top", "bottom")
    assert [tuple(w[k] for k in keys) + ([id(c) for c in w["chars"]],) for w in ours] == [
        tuple(w[k] for k in keys) + ([id(c) for c in w["chars"]],) for w in theirs
    ]
    if y_tolerance == words.DEFAULT_TOLERANCE:  # table cells: text as pdfplumber's extract_text joins it
        assert words.extract_text(chars, x_tolerance) == extract_text(chars, x_tolerance=x_tolerance)


@pytest.mark.parametrize(
    "chars",
    [
        [],
        [_char("a", 10, 10), _char("b", 15, 10), _char(" ", 20, 10), _char("c", 25, 10)],
        [_char("a", 10, 10), _char("b", 18.1, 10), _char("c", 23, 10)],  # a gap just past 3pt
        [_char("a", 10, 10), _char("b", 18, 10)],  # a gap of exactly 3pt joins
        [_char("b", 15, 10), _char("a", 10, 10.5), _char("c", 12, 13.2)],  # out of order, lines chained
        [_char("a", 10, 10), _char("", 15, 10), _char("b", 20, 10)],  # empty text: a word of its own
        [_char("\ufb01", 10, 10), _char("x", 15, 10), _char("\ufb03", 40, 10)],  # ligatures expanded
        [_char("a", 10, 10), _char("b", 12, 14), _char("c", 17, 10)],  # overlapping, tops apart
        [_char("a", 10, 10), _char("b", 10, 10), _char("c", 4, 10.0)],  # ties on x0 keep their order
        [_char("a", 10, 20), _char("b", 15, 17), _char("c", 20, 14), _char("d", 25, 11)],  # a staircase
        [_char("a", 10, 10), _char("b", 30, 12.5), _char("c", 10, 16), _char("d", 30, 18)],  # chained
    ],
)
def test_the_word_builder_is_pdfplumbers_extract_words(chars):
    for x_tolerance, y_tolerance in ((3, 3), (0.8, 3), (3, 0), (1, 1)):
        _same_words(chars, x_tolerance, y_tolerance)


def test_the_word_builder_expands_pdfplumbers_ligatures():
    assert words.LIGATURES == LIGATURES


@pytest.mark.corpus
def test_the_word_builder_is_pdfplumbers_on_the_corpus(corpus):
    pages = 0
    for path in _corpus_pdfs(corpus):
        try:
            source = pdf.open_pdf(str(path), path.name)
        except errors.IngestError:
            continue
        with source:
            for index in range(source.pages):
                page = source.page(index)
                try:
                    if isinstance(page, pdfium.PdfiumPage) and page.chars:
                        _same_words(page.chars, pdf._x_tolerance(page.chars, swallowed_spaces=True), 3)
                        pages += 1
                finally:
                    page.close()
    assert pages >= 250
