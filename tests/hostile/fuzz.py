"""Generated stand-ins for the public PDF fuzz corpora (no network at test time).

Two families, written byte by byte and reproducible from a seed:

* ``structured``: one file per known trap of PDF readers seen in fuzz corpora
  (lying /Length, negative and huge numbers, broken filters, garbage object
  streams, endless strings, unbalanced content operators, broken fonts and
  images, inline images claiming gigapixels, a bad /Encrypt, ...);
* ``mutants``: a small valid paper with a font, an image and two pages,
  damaged the way a mutation fuzzer damages files (bit flips, cut, repeated
  and deleted byte ranges, tokens swapped for junk).

Nothing here is copied from a corpus; the traps are described in the PDF
reference and in the issue trackers of pdf.js, pdfium and pdfminer.
"""

from __future__ import annotations

import pathlib
import random
import zlib

from . import FONT, _page, _write, build_pdf, stream, text_pdf

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
ONE_PAGE = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
CONTENT = b"BT /F1 12 Tf 72 720 Td (1.1 The board noted the report of 23 January 2020.) Tj ET"


def _one_page(
    content: bytes = CONTENT, *, page_extra: bytes = b"", stream_extra: bytes = b"", more=()
) -> bytes:
    return build_pdf(
        [CATALOG, ONE_PAGE, _page(2, 4, 5, page_extra), stream(content, stream_extra), FONT, *more]
    )


def _raw_stream(data: bytes, dictionary: bytes) -> bytes:
    return b"<< " + dictionary + b" >>\nstream\n" + data + b"\nendstream"


def structured() -> dict[str, bytes]:
    """One file per trap, keyed by a short name."""
    big = b"(" + b"A" * 3_000_000 + b") Tj"
    return {
        "length-too-long": build_pdf(
            [CATALOG, ONE_PAGE, _page(2, 4, 5), _raw_stream(CONTENT, b"/Length 999999"), FONT]
        ),
        "length-negative": build_pdf(
            [CATALOG, ONE_PAGE, _page(2, 4, 5), _raw_stream(CONTENT, b"/Length -5"), FONT]
        ),
        "length-indirect-missing": build_pdf(
            [CATALOG, ONE_PAGE, _page(2, 4, 5), _raw_stream(CONTENT, b"/Length 99 0 R"), FONT]
        ),
        "count-huge": build_pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [3 0 R] /Count 99999999999999999999 >>",
                _page(2, 4, 5),
                stream(CONTENT),
                FONT,
            ]
        ),
        "mediabox-huge": _one_page(page_extra=b"/MediaBox [0 0 1e30 1e30] "),
        "mediabox-empty": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 0 0] /Resources << /Font << /F1 5 0 R >> >> "
                b"/Contents 4 0 R >>",
                stream(CONTENT),
                FONT,
            ]
        ),
        "mediabox-not-numbers": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [/a (b) <<>> null] /Resources << /Font << /F1 5 0 R >> >> "
                b"/Contents 4 0 R >>",
                stream(CONTENT),
                FONT,
            ]
        ),
        "rotate-odd": _one_page(page_extra=b"/Rotate 45 /UserUnit 0 "),
        "flate-garbage": _one_page(
            b"\x78\x9c" + random.Random(1).randbytes(4000), stream_extra=b"/Filter /FlateDecode "
        ),
        "lzw-garbage": _one_page(random.Random(2).randbytes(3000), stream_extra=b"/Filter /LZWDecode "),
        "ascii85-unterminated": _one_page(b'<~87cURD]i,"Ebo80', stream_extra=b"/Filter /ASCII85Decode "),
        "filter-chain-unknown": _one_page(
            CONTENT, stream_extra=b"/Filter [/FlateDecode /NoSuchFilter /RunLengthDecode] "
        ),
        "string-3mb": _one_page(b"BT /F1 12 Tf 72 720 Td " + big + b" ET"),
        "unbalanced-operators": _one_page(b"BT BT q q q ( 1.1 unbalanced Tj ] ] >> ET ET Q Q cm cm cm Do Do"),
        "operators-wrong-types": _one_page(
            b"BT /F1 (x) Tf [1 2] [3] Td /Name Tj 1e999 0 0 1 0 0 Tm (ok text) Tj ET"
        ),
        "font-missing": _one_page(b"BT /F9 12 Tf 72 720 Td (no such font) Tj ET"),
        "font-broken-widths": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                _page(2, 4, 5),
                stream(CONTENT),
                b"<< /Type /Font /Subtype /TrueType /BaseFont /Nope /FirstChar 4294967295 /LastChar -3 "
                b"/Widths [1 2 (x)] /FontDescriptor 6 0 R >>",
                b"<< /Type /FontDescriptor /FontName /Nope /FontFile2 7 0 R /Flags 4 >>",
                stream(random.Random(3).randbytes(2000)),
            ]
        ),
        "type3-recursive": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                _page(2, 4, 5),
                stream(b"BT /F1 12 Tf 72 720 Td (aaaa) Tj ET"),
                b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0] "
                b"/CharProcs << /a 6 0 R >> /Encoding << /Differences [97 /a] >> /FirstChar 97 /LastChar 97 "
                b"/Widths [1000] /Resources << /Font << /F1 5 0 R >> >> >>",
                stream(b"1000 0 d0 BT /F1 12 Tf (a) Tj ET"),
            ]
        ),
        "inline-image-gigapixel": _one_page(
            b"q 100 0 0 100 72 600 cm BI /W 100000 /H 100000 /BPC 8 /CS /RGB ID "
            + b"\x00" * 64
            + b" EI Q "
            + CONTENT
        ),
        "image-xobject-lies": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                _page(2, 4, 5, b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> "),
                stream(b"q 200 0 0 200 72 400 cm /Im1 Do Q " + CONTENT),
                FONT,
                _raw_stream(
                    b"\xff\xd8\xff" + random.Random(4).randbytes(500),
                    b"/Type /XObject /Subtype /Image /Width 65535 /Height 65535 /BitsPerComponent 8 "
                    b"/ColorSpace /DeviceRGB /Filter /DCTDecode /Length 503",
                ),
            ]
        ),
        "form-xobject-self": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                _page(2, 4, 5, b"/Resources << /Font << /F1 5 0 R >> /XObject << /Fm 6 0 R >> >> "),
                stream(b"/Fm Do " + CONTENT),
                FONT,
                _raw_stream(
                    b"/Fm Do",
                    b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                    b"/Resources << /XObject << /Fm 6 0 R >> >> /Length 6",
                ),
            ]
        ),
        "objstm-garbage": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                _page(2, 4, 5),
                stream(CONTENT),
                FONT,
                _raw_stream(
                    b"1 0 2 x 3 " + random.Random(5).randbytes(200),
                    b"/Type /ObjStm /N 1000000 /First -4 /Length 210",
                ),
            ]
        ),
        "encrypt-bogus": build_pdf(
            [
                CATALOG,
                ONE_PAGE,
                _page(2, 4, 5),
                stream(CONTENT),
                FONT,
                b"<< /Filter /Standard /V 99 /R 99 /O (x) /U (y) /P -1 >>",
            ]
        ).replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 6 0 R /ID [<00> <00>]"),
        "info-hostile": _one_page().replace(
            b"/Root 1 0 R",
            b"/Root 1 0 R /Info << /Title <FEFFD800D800> /Author (\\377\\376\\000) "
            b"/CreationDate (D:00000000) /ModDate (D:99991399256161+99'99') >>",
        ),
        "root-not-catalog": build_pdf([b"[1 2 3]", ONE_PAGE, _page(2, 4, 5), stream(CONTENT), FONT]),
        "kids-not-pages": build_pdf(
            [
                CATALOG,
                b"<< /Type /Pages /Kids [4 0 R 5 0 R 99 0 R null (x)] /Count 3 >>",
                _page(2, 4, 5),
                stream(CONTENT),
                FONT,
            ]
        ),
        "only-header": b"%PDF-1.7\n",
        "header-then-zeros": b"%PDF-1.4\n" + bytes(20_000),
        "xref-offsets-beyond-eof": text_pdf().replace(b"0000000009 00000 n", b"9999999999 00000 n"),
        "startxref-negative": text_pdf().rsplit(b"startxref", 1)[0] + b"startxref\n-1\n%%EOF\n",
        "two-eofs-and-junk": text_pdf() + random.Random(6).randbytes(5000) + b"\n%%EOF\n",
        "deep-dict": _one_page(more=[b"<<" * 50_000 + b">>" * 50_000]).replace(
            b"/Contents 4 0 R", b"/Contents 4 0 R /X 6 0 R"
        ),
    }


def base_paper() -> bytes:
    """Two pages with text, an image and a compressed content stream: the mutants' parent."""
    image = zlib.compress(bytes(range(256)) * 12)
    page2 = zlib.compress(b"BT /F1 11 Tf 72 700 Td (2.1 Recorded crime fell by 5% in November 2019.) Tj ET")
    return build_pdf(
        [
            CATALOG,
            b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
            _page(2, 4, 5, b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im 8 0 R >> >> "),
            stream(b"q 64 0 0 48 400 600 cm /Im Do Q " + CONTENT),
            FONT,
            _page(2, 7, 5),
            stream(page2, b"/Filter /FlateDecode "),
            stream(
                image,
                b"/Type /XObject /Subtype /Image /Width 64 /Height 48 /BitsPerComponent 8 "
                b"/ColorSpace /DeviceGray /Filter /FlateDecode ",
            ),
        ]
    )


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One random damage of the kinds a mutation fuzzer applies."""
    out = bytearray(data)
    kind = rng.choice(("flip", "cut", "repeat", "delete", "junk-token", "flip"))
    if kind == "flip":
        for _ in range(rng.randint(1, 40)):
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
    elif kind == "cut":
        del out[rng.randrange(16, len(out)) :]
    elif kind == "repeat":
        i = rng.randrange(len(out))
        out[i:i] = out[i : i + rng.randint(1, 400)] * rng.randint(2, 50)
    elif kind == "delete":
        i = rng.randrange(len(out))
        del out[i : i + rng.randint(1, 300)]
    else:
        tokens = [b"obj", b"endobj", b"stream", b"endstream", b"/Length", b"/Kids", b"R", b"<<", b">>", b"["]
        junk = [b"-1", b"99999999999", b"null", b"<<<<", b"(", b"\x00\xff", b"1e400", b"/#00"]
        for _ in range(rng.randint(1, 6)):
            token = rng.choice(tokens)
            at = out.find(token, rng.randrange(len(out)))
            if at >= 0:
                out[at : at + len(token)] = rng.choice(junk)
    return bytes(out)


def mutants(n: int, seed: int = 14) -> dict[str, bytes]:
    rng = random.Random(seed)
    parent = base_paper()
    return {f"mutant-{i:03d}": mutate(parent, rng) for i in range(n)}


def write_corpus(folder: pathlib.Path, n_mutants: int = 40, seed: int = 14) -> dict[str, pathlib.Path]:
    """Every structured case and ``n_mutants`` mutants under ``folder``; name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = {**structured(), **mutants(n_mutants, seed), "parent": base_paper()}
    return {name: _write(folder / f"{name}.pdf", data) for name, data in cases.items()}
