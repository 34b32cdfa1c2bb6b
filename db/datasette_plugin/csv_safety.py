"""CSV exports that a spreadsheet shows as text: formula-looking cells are neutralised.

Cells starting ``=``, ``+``, ``-``, ``@``, tab or carriage return get a ``'``
prefix (plain numbers such as ``-3.5`` are left alone). An ASGI wrapper
rewrites every CSV response record by record as it streams.
"""

from __future__ import annotations

import codecs
import csv
import io

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(cell: str) -> str:
    """Prefix a formula-looking cell with ``'`` so spreadsheets show it as text.
    Plain numbers (``-3.5``) are left alone."""
    if not cell.startswith(FORMULA_STARTS):
        return cell
    try:
        float(cell)
        return cell
    except ValueError:
        return "'" + cell


class CsvNeutraliser:
    """Rewrites a CSV byte stream record by record, holding back a partial record."""

    def __init__(self):
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._pending = ""

    def feed(self, chunk: bytes, final: bool = False) -> bytes:
        text = self._pending + self._decoder.decode(chunk, final=final)
        cut = len(text) if final else _complete_records(text)
        self._pending = text[cut:]
        if not cut:
            return b""
        out = io.StringIO()
        writer = csv.writer(out)
        for record in csv.reader(io.StringIO(text[:cut], newline="")):
            writer.writerow([neutralise_cell(c) for c in record])
        return out.getvalue().encode("utf-8")


def _complete_records(text: str) -> int:
    """Length of the prefix of ``text`` made of whole CSV records."""
    inside, cut = False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            inside = not inside
        elif ch == "\n" and not inside:
            cut = i + 1
    return cut


def _is_csv_request(scope) -> bool:
    if scope.get("type") != "http":
        return False
    query = scope.get("query_string", b"")
    return scope.get("path", "").endswith(".csv") or b"_format=csv" in query


def _start_message(message: dict, state: dict) -> dict:
    headers = {k.lower(): v for k, v in message.get("headers", [])}
    state["csv"] = headers.get(b"content-type", b"").startswith((b"text/plain", b"text/csv"))
    if not state["csv"]:
        return message
    return dict(
        message, headers=[(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
    )


def csv_safe(app):
    """Wrap an ASGI app so that its CSV responses are neutralised."""

    async def csv_safe_app(scope, receive, send):
        if not _is_csv_request(scope):
            await app(scope, receive, send)
            return
        state = {"csv": False, "neutraliser": CsvNeutraliser()}

        async def safe_send(message):
            if message["type"] == "http.response.start":
                message = _start_message(message, state)
            elif message["type"] == "http.response.body" and state["csv"]:
                more = message.get("more_body", False)
                message = dict(
                    message, body=state["neutraliser"].feed(message.get("body", b""), final=not more)
                )
            await send(message)

        await app(scope, receive, safe_send)

    return csv_safe_app
