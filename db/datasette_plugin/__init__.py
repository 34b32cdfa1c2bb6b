"""The project's Datasette plugin: source pages, the metric picker, linked cells, safe CSV.

Its modules each hold one concern: :mod:`.routes` (the pages),
:mod:`.page_images` (rendering, capped and cached), :mod:`.geometry` (boxes),
:mod:`.chart` (chart layout), :mod:`.cells` (links in table cells),
:mod:`.layout` (table and column order), :mod:`.csv_safety` (CSV exports).
Its ``templates/`` and ``static/`` folders are found by Datasette's loader
(a user's ``--template-dir`` overrides any of them). Extracted text is only
ever shown escaped.
"""

from __future__ import annotations

from datasette import hookimpl

from .cells import link_cell
from .chart import Chart, ChartPoint, line_chart
from .csv_safety import CsvNeutraliser, csv_safe, neutralise_cell
from .geometry import PixelBox, merge_lines, paragraph_boxes, to_pixels
from .layout import index_tables, template_functions
from .page_images import CACHE_PAGES, MAX_PIXELS, MAX_SCALE, SCALE, render_page_png
from .routes import all_routes

PLUGIN = "boardpapers"

__all__ = [
    "CACHE_PAGES",
    "MAX_PIXELS",
    "MAX_SCALE",
    "SCALE",
    "Chart",
    "ChartPoint",
    "CsvNeutraliser",
    "PixelBox",
    "line_chart",
    "merge_lines",
    "neutralise_cell",
    "paragraph_boxes",
    "render_page_png",
    "to_pixels",
]


@hookimpl
def register_routes(datasette):
    return all_routes()


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Link provenance columns to the source view and metric keys to their chart."""
    return link_cell(row, value, column, table, database, datasette)


@hookimpl
def extra_template_vars(table, view_name, request, datasette):
    config = datasette.plugin_config(PLUGIN) or {}

    async def template_vars():
        found = template_functions(config, table, request)
        if view_name == "index":
            found["bp_index_tables"] = await index_tables(datasette, found["bp_table_order"])
        return found

    return template_vars


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins(PLUGIN, "boardpapers.css")]


@hookimpl
def asgi_wrapper(datasette):
    return csv_safe
