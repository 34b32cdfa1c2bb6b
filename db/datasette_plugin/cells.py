"""Table cells as links: provenance columns open the source view, metric keys their chart."""

from __future__ import annotations

import markupsafe

from .links import chart_url, source_url


def _cell(row, column: str):
    try:
        value = row[column]
    except (KeyError, IndexError):
        return None
    return value["value"] if isinstance(value, dict) else value


def _link(href: str, text) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, text)


def _provenance(row, table: str) -> dict:
    """The paper, paragraph, figure and page a row points at (None where it has none)."""
    keys = row.keys() if hasattr(row, "keys") else ()
    own_id = _cell(row, "id") if "id" in keys else None
    page = None
    for name in ("page", "page_start"):
        if name in keys and _cell(row, name) is not None:
            page = _cell(row, name)
            break
    return {
        "keys": keys,
        "paper_id": _cell(row, "paper_id") if "paper_id" in keys else (own_id if table == "papers" else None),
        "paragraph_id": _cell(row, "paragraph_id")
        if "paragraph_id" in keys
        else (own_id if table == "paragraphs" else None),
        "figure_id": own_id
        if table == "figures"
        else (_cell(row, "figure_id") if "figure_id" in keys else None),
        "page": page,
    }


def _paragraph_link(datasette, value, raw, at: dict):
    if at["paper_id"] and at["page"]:
        href = source_url(datasette, at["paper_id"], at["page"], paragraph=raw, figure=at["figure_id"])
    else:
        href = datasette.urls.path(f"/-/paragraph/{raw}")
    return _link(href, value["label"] if isinstance(value, dict) and value.get("label") else raw)


def link_cell(row, value, column, table, database, datasette):
    """The HTML for a cell that links somewhere, or None to let Datasette render it."""
    raw = value["value"] if isinstance(value, dict) else value
    if raw in (None, ""):
        return None
    at = _provenance(row, table)
    paper_id = at["paper_id"]
    if table == "pages" and column == "number" and paper_id and isinstance(raw, int):
        return _link(source_url(datasette, paper_id, raw), raw)
    if column in ("page", "page_start") and paper_id and isinstance(raw, int):
        return _link(
            source_url(datasette, paper_id, raw, paragraph=at["paragraph_id"], figure=at["figure_id"]), raw
        )
    if column == "paragraph_id" and isinstance(raw, int):
        return _paragraph_link(datasette, value, raw, at)
    if column == "paper_id" and isinstance(raw, str) and database:
        label = value.get("label") if isinstance(value, dict) else None
        row_link = _link(datasette.urls.row(database, "papers", raw), label or raw)
        pdf_link = _link(source_url(datasette, raw, at["page"] or 1), "page")
        return markupsafe.Markup("{} <small>({})</small>").format(row_link, pdf_link)
    if column == "metric_key" and isinstance(raw, str):
        series = _cell(row, "series") if "series" in at["keys"] else None
        return _link(chart_url(datasette, raw, series), raw)
    return None
