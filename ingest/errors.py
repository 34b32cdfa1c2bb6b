"""The errors ingest raises, each with its one user-facing message.

Every message says what failed, where, and what to do. ``read_document`` turns
them into a Document's ``status`` and ``error``; only the CLI turns them into
click errors. Messages never contain a password.
"""

from __future__ import annotations


def page_ranges(pages) -> str:
    """``[1, 2, 3, 7]`` -> ``"1-3, 7"``."""
    out: list[str] = []
    nums = sorted(set(pages))
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        out.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ", ".join(out)


class IngestError(Exception):
    """Base class: a file that could not be ingested."""

    status = "failed"
    template = "{name} could not be read"

    def __init__(self, name: str, **details):
        self.name = name
        self.details = details
        super().__init__(self.template.format(name=name, **details))

    @property
    def message(self) -> str:
        return str(self)


class NotAPdf(IngestError):
    """The content is not a PDF."""

    status = "rejected"
    template = (
        "{name} is not a PDF (no %PDF- header in its first 1024 bytes); check that it is the right file"
    )


class EmptyFile(IngestError):
    """The file has 0 bytes."""

    status = "rejected"
    template = "{name} is empty (0 bytes); download or export it again"


class NoPages(IngestError):
    """The PDF has no pages."""

    template = "{name} has no pages; export it again from its source"


class Encrypted(IngestError):
    """Encrypted and no password was given."""

    template = "{name} is encrypted; pass its password with --password or --password-file"


class WrongPassword(IngestError):
    """Encrypted and the password given does not open it."""

    template = "{name} is encrypted and the password given does not open it; check the password"


class Malformed(IngestError):
    """pdfminer could not parse the file."""

    template = "{name} is damaged or truncated ({detail}); download it again or repair it (e.g. qpdf)"


class TooLarge(IngestError):
    """The file is over the size limit."""

    status = "rejected"
    template = "{name} is {size} bytes, over the limit of {limit} bytes; raise --max-bytes to ingest it"


class TooManyPages(IngestError):
    """The file has more pages than allowed."""

    status = "rejected"
    template = "{name} has {pages} pages, over the limit of {limit}; raise --max-pages to ingest it"


# Messages for problems that leave a document partly read (not raised).
PAGES_FAILED = "{name}: pages {pages} could not be read ({detail}); the other pages were ingested"
NEEDS_OCR = "{name} has no text layer on pages {pages} (scanned?); install tesseract-ocr to OCR it"
CID_GARBAGE = (
    "{name}: text on pages {pages} decodes to (cid:NN) glyph codes (font without a Unicode map); "
    "not indexed, OCR it instead"
)
NO_TEXT = "{name} has no text on any page; nothing to index"
