"""URLs of the plugin's views."""

from __future__ import annotations

from urllib.parse import urlencode


def source_url(datasette, paper_id, page, *, paragraph=None, figure=None, db=None) -> str:
    args = {k: v for k, v in (("paragraph", paragraph), ("figure", figure), ("_db", db)) if v is not None}
    query = f"?{urlencode(args)}" if args else ""
    return datasette.urls.path(f"/-/source/{paper_id}/{int(page)}{query}")


def chart_url(datasette, metric_key, series=None, db=None, **extra) -> str:
    args = {"metric_key": metric_key}
    if series:
        args["series"] = series
    if db:
        args["_db"] = db
    args.update({k: v for k, v in extra.items() if v})
    return datasette.urls.path(f"/-/chart?{urlencode(args)}")
