"""Hostile PDFs, written byte by byte into a directory (nothing binary is committed).

This package is also the ``tests/hostile/`` test family: ``fuzz.py`` generates
stand-ins for the public fuzz corpora, and ``test_*.py`` there cover names and
strings, processes, database files and serving (issue 14); the per-file
reader cases are in ``tests/test_hostile.py``.

Each ``write_*`` function writes one file (or a few) under ``folder`` and returns
the path(s). The PDFs are assembled by hand with :func:`build_pdf`, so offsets,
counts and xref tables are exactly as wrong as each case needs. ``write_all``
writes the whole set and names each file after its case.
"""

from __future__ import annotations

import pathlib
import random
import struct
import zlib

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
TEXT = "1.1 The board noted the report of 23 January 2020."
MB = 1 << 20


def stream(data: bytes, extra: bytes = b"") -> bytes:
    """A stream object's body: dictionary with the true /Length, then the data."""
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def build_pdf(objects: list[bytes], *, root: int = 1, header: bytes = HEADER, xref_shift: int = 0) -> bytes:
    """Objects numbered 1.. in order, a classic xref table (each offset moved by
    ``xref_shift``: non-zero makes it wrong on purpose) and a trailer."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % (offset + xref_shift)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref_at,
    )
    return bytes(out)


def _content(text: str = TEXT) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % escaped.encode("latin-1")


def _page(parent: int, contents: int, font: int, extra: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R %s>>" % (parent, font, contents, extra)
    )


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def text_pdf(text: str = TEXT, *, xref_shift: int = 0) -> bytes:
    """A valid one-page PDF printing ``text``: the control case."""
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            stream(_content(text)),
            FONT,
        ],
        xref_shift=xref_shift,
    )


def zero_flate(megabytes: int) -> bytes:
    """A zlib stream that inflates to ``megabytes`` MiB of zero bytes, about 1 KB per MiB.

    One MiB is deflated once after a full flush (which resets the history, so the
    block stands alone) and repeated; the trailer's Adler-32 is that of the whole."""
    zeros = bytes(MB)
    comp = zlib.compressobj(9)
    first = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    n = megabytes * MB
    adler = ((n % 65521) << 16) | 1  # Adler-32 of n zero bytes: a stays 1, b adds 1 per byte
    final_empty_block = b"\x03\x00"  # BFINAL=1, fixed Huffman, end-of-block
    return first + block * (megabytes - 1) + final_empty_block + struct.pack(">I", adler)


# --- the cases -----------------------------------------------------------------------------------


def write_control(folder: pathlib.Path) -> pathlib.Path:
    """A small valid paper: must come out ok next to the hostile ones."""
    return _write(folder / "control.pdf", text_pdf())


def write_bomb(folder: pathlib.Path, megabytes: int = 400) -> pathlib.Path:
    """A page whose content stream is a FlateDecode bomb: ~400 KB on disk, 400 MiB inflated."""
    pdf = build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            stream(zero_flate(megabytes), b"/Filter /FlateDecode "),
            FONT,
        ]
    )
    return _write(folder / "bomb.pdf", pdf)


def write_lying_count(folder: pathlib.Path, claimed: int = 1000) -> pathlib.Path:
    """The page tree says ``claimed`` pages; it has one."""
    pdf = build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % claimed,
            _page(2, 4, 5),
            stream(_content()),
            FONT,
        ]
    )
    return _write(folder / "lying-count.pdf", pdf)


def write_deep_nesting(folder: pathlib.Path, depth: int = 100_000) -> pathlib.Path:
    """Arrays nested ``depth`` deep, as the page's /Annots and inside its resources."""
    nested = b"[" * depth + b"0" + b"]" * depth
    pdf = build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5, b"/Annots 6 0 R /Deep 6 0 R "),
            stream(_content()),
            FONT,
            nested,
        ]
    )
    return _write(folder / "deep-nesting.pdf", pdf)


def write_page_tree_cycle(folder: pathlib.Path) -> pathlib.Path:
    """A /Pages node whose Kids point back at the root of the page tree."""
    pdf = build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 2 >>",
            _page(2, 4, 5),
            stream(_content()),
            FONT,
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )
    return _write(folder / "page-tree-cycle.pdf", pdf)


def write_self_parent_cycle(folder: pathlib.Path) -> pathlib.Path:
    """A /Pages node that is its own kid (the shortest cycle)."""
    pdf = build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            _page(2, 4, 5),
            stream(_content()),
            FONT,
        ]
    )
    return _write(folder / "self-kid-cycle.pdf", pdf)


TRUNCATIONS = {"10pct": 0.10, "50pct": 0.50, "90pct": 0.90, "minus-1kb": None}


def write_truncated(folder: pathlib.Path, original: pathlib.Path) -> dict[str, pathlib.Path]:
    """Copies of ``original`` cut at 10%, 50%, 90% of its length and 1 KB short of the end."""
    data = pathlib.Path(original).read_bytes()
    paths = {}
    for label, fraction in TRUNCATIONS.items():
        cut = len(data) - 1024 if fraction is None else int(len(data) * fraction)
        paths[label] = _write(folder / f"truncated-{label}.pdf", data[:cut])
    return paths


def write_junk_before_header(folder: pathlib.Path, junk_bytes: int = 2048, seed: int = 6) -> pathlib.Path:
    """``junk_bytes`` random bytes, then a valid PDF (its xref offsets now all wrong)."""
    junk = random.Random(seed).randbytes(junk_bytes).replace(b"%PDF", b"%PDX")
    return _write(folder / f"junk-{junk_bytes}b-before-header.pdf", junk + text_pdf())


def write_wrong_xref(folder: pathlib.Path) -> pathlib.Path:
    """A valid PDF whose xref offsets are all 7 bytes off."""
    return _write(folder / "wrong-xref.pdf", text_pdf(xref_shift=7))


def write_not_a_pdf(folder: pathlib.Path) -> pathlib.Path:
    """An HTML error page saved under a .pdf name (what a failed download leaves)."""
    html = (
        b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body>Not Found</body></html>\n"
    )
    return _write(folder / "not-a-pdf.pdf", html)


def write_empty(folder: pathlib.Path) -> pathlib.Path:
    return _write(folder / "empty.pdf", b"")


def write_zero_pages(folder: pathlib.Path) -> pathlib.Path:
    """A well-formed PDF whose page tree has no pages."""
    pdf = build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])
    return _write(folder / "zero-pages.pdf", pdf)


def write_all(folder: pathlib.Path, seed_pdf: pathlib.Path | None = None) -> dict[str, pathlib.Path]:
    """Every case, keyed by name; the truncations only when ``seed_pdf`` is given."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = {
        "control": write_control(folder),
        "bomb": write_bomb(folder),
        "lying-count": write_lying_count(folder),
        "deep-nesting": write_deep_nesting(folder),
        "page-tree-cycle": write_page_tree_cycle(folder),
        "self-kid-cycle": write_self_parent_cycle(folder),
        "junk-2048b": write_junk_before_header(folder, 2048),
        "junk-300b": write_junk_before_header(folder, 300),
        "wrong-xref": write_wrong_xref(folder),
        "not-a-pdf": write_not_a_pdf(folder),
        "empty": write_empty(folder),
        "zero-pages": write_zero_pages(folder),
    }
    if seed_pdf is not None:
        for label, path in write_truncated(folder, seed_pdf).items():
            cases[f"truncated-{label}"] = path
    return cases


def _write(path: pathlib.Path, data: bytes) -> pathlib.Path:
    path.write_bytes(data)
    return path


# --- text that is hostile to the database and the rules (tests/hostile/test_*.py) ------------------


def lines_pdf(lines: list[str], *, size: float = 12, leading: float = 14) -> bytes:
    """A one-page PDF printing each of ``lines`` on its own line (latin-1 text)."""
    shown = b" ".join(b"(%s) Tj T*" % _escape(line) for line in lines)
    body = b"BT /F1 %g Tf %g TL 72 720 Td %s ET" % (size, leading, shown)
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            stream(body),
            FONT,
        ]
    )


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def surrogate_pdf(text: str = TEXT, footer: str = "Page footer X") -> bytes:
    """A PDF whose font maps the letter X, through its /ToUnicode CMap, to the
    lone UTF-16 surrogate U+D800: every X in ``text`` and ``footer`` is read as one."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Lone def "
        b"1 begincodespacerange <00> <FF> endcodespacerange "
        b"1 beginbfchar <58> <D800> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>"
    )
    content = b"BT /F1 12 Tf 72 720 Td (%s X) Tj 0 -680 Td (%s) Tj ET" % (_escape(text), _escape(footer))
    return build_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            stream(content),
            font,
            stream(cmap),
        ]
    )


def run_on_pdf(pages: int, *, lines_per_page: int = 70, line_chars: int = 180) -> bytes:
    """``pages`` pages of small type, one unbroken paragraph from first line to last
    (no full stop, no gap): about ``pages * lines_per_page * line_chars`` characters."""
    words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod "
    line = (words * (line_chars // len(words) + 1))[:line_chars].strip()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", FONT]
    kids = []
    for _ in range(pages):
        body = b"BT /F1 4 Tf 5 TL 20 770 Td " + b" ".join(
            b"(%s) Tj T*" % line.encode() for _ in range(lines_per_page)
        )
        objects.append(stream(body + b" ET"))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    return build_pdf(objects)


def distinct_papers(folder: pathlib.Path, n: int, stem: str = "paper") -> list[pathlib.Path]:
    """``n`` small valid papers with different bytes (and text)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        _write(
            folder / f"{stem}-{i:02d}.pdf",
            text_pdf(f"1.{i + 1} The board noted report {stem} number {i + 1}."),
        )
        for i in range(n)
    ]
