"""The order tables and columns are shown in, from the plugin's metadata config.

``metadata.yml`` carries, under ``plugins: boardpapers:``, a ``table_order``
(the tables a researcher works through first: papers, figures, actions …;
the rest follow by name) and per-table ``columns`` with an ``order`` (shown
first, in that order) and ``hidden`` (internal columns such as char offsets,
rule ids and box coordinates, kept in JSON and CSV but not shown in HTML
tables; ``?_bp_all=1`` shows them). The plugin's ``database.html``,
``index.html`` and ``_table.html`` templates call these functions.
"""

from __future__ import annotations


def ordered_tables(tables: list, order: list[str]) -> list:
    """``tables`` (dicts with ``name``) in ``order``, the others after them by name."""
    rank = {name: i for i, name in enumerate(order)}
    return sorted(tables, key=lambda t: (rank.get(t["name"], len(rank)), t["name"]))


def column_plan(names: list[str], table_config: dict, show_all: bool = False) -> list[int]:
    """Indexes of ``names`` to show, in display order. A leading link column
    (Datasette's ``Link``, or the primary key) keeps its place."""
    if show_all:
        return list(range(len(names)))
    hidden = set(table_config.get("hidden") or ())
    first = list(table_config.get("order") or ())
    keep = [i for i, n in enumerate(names) if n not in hidden]
    lead = [i for i in keep[:1] if names[i] in ("Link", "id", "rowid")]
    rank = {n: k for k, n in enumerate(first)}
    rest = sorted((i for i in keep if i not in lead), key=lambda i: (rank.get(names[i], len(rank)), i))
    return lead + rest


def template_functions(config: dict, table: str | None, request) -> dict:
    """The functions the plugin's templates call, bound to this page."""
    table_config = (config.get("columns") or {}).get(table or "", {})
    show_all = bool(request and request.args.get("_bp_all"))
    order = list(config.get("table_order") or ())

    def bp_columns(display_columns):
        plan = column_plan([c["name"] for c in display_columns], table_config, show_all)
        return [display_columns[i] for i in plan]

    def bp_cells(row):
        cells = list(row)
        plan = column_plan([c["column"] for c in cells], table_config, show_all)
        return [cells[i] for i in plan]

    return {
        "bp_columns": bp_columns,
        "bp_cells": bp_cells,
        "bp_ordered": lambda tables: ordered_tables(list(tables), order),
        "bp_table_order": order,
    }


INDEX_TABLES = 5  # as many as Datasette's own index lists


async def index_tables(datasette, order: list[str]) -> dict[str, list[str]]:
    """Per database that has a ``papers`` table, the first of its tables in ``order``."""
    out = {}
    for name, db in datasette.databases.items():
        if name == "_internal":
            continue
        names = set(await db.table_names())
        if "papers" in names:
            out[name] = [t for t in order if t in names][:INDEX_TABLES]
    return out
