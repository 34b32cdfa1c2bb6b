"""jinja2 templates for briefs.

``render("brief.md.j2", comparison)`` or ``render("brief.html.j2", ...)``
renders a comparison (any object with the attributes the templates read; this
package imports nothing else of ours). Templates load from this package, or
first from ``template_dir`` when given, so a user can override one template
(or the macros) without touching the others. HTML templates are autoescaped;
Markdown templates pass every piece of extracted text through the ``md``
filter so it cannot break a table or make a link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jinja2

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>|#!&~])")
# What a Markdown renderer would turn into a link without brackets (GFM autolinks,
# linkify): a scheme's "://", "www.", an e-mail's "@", and a dot between letters
# (a bare domain). Each is backslash-escaped: it shows the same, and links nothing.
_MD_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(/)(/)|(@)|(?<=[a-z0-9])(\.)(?=[a-z])")

UNIT_SUFFIX = {"percent": "%", "percentage_points": " pp"}


def _unlink(match: re.Match) -> str:
    return "".join("\\" + ch for ch in match.groups() if ch)


def md(value: object) -> str:
    """Text made safe for a Markdown table cell: one line, specials backslash-escaped,
    and nothing a renderer would make a link of (``[x](…)``, ``<http://…>``, bare URLs,
    domains and e-mail addresses)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_AUTOLINK.sub(_unlink, _MD_SPECIAL.sub(r"\\\1", text))


def _plain(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def num(value: float | None, unit: str | None = None) -> str:
    """A value as a reader expects it: 82.5%, £1,200, 3 hours, 1,024."""
    if value is None:
        return "—"
    if unit in UNIT_SUFFIX:
        return _plain(value) + UNIT_SUFFIX[unit]
    if unit == "gbp":
        return ("-" if value < 0 else "") + "£" + _plain(abs(value))
    if unit in (None, "", "count", "number"):
        return _plain(value)
    return f"{_plain(value)} {unit.replace('_', ' ')}"


def change(metric) -> str:
    """The change of a compared metric: +2.5 pp for percentages, +100 (+11.1%) for counts."""
    if metric.delta is None:
        return "—"
    sign = "+" if metric.delta > 0 else "−" if metric.delta < 0 else "±"
    if metric.unit == "percent":
        return f"{sign}{_plain(abs(metric.delta))} pp"
    text = sign + num(abs(metric.delta), metric.unit)
    if metric.relative is not None:
        text += f" ({sign}{abs(metric.relative) * 100:.1f}%)"
    return text


def sparkline(values: Sequence[float | None], width: int = 120, height: int = 28, pad: int = 3) -> dict:
    """Coordinates for an inline-SVG sparkline of ``values`` (None: not reported)."""
    known = [v for v in values if v is not None]
    if not known:
        return {"points": "", "dots": [], "width": width, "height": height}
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    dots = []
    for i, v in enumerate(values):
        if v is None:
            continue
        x = pad + i * step
        y = height - pad - (v - lo) / span * (height - 2 * pad) if hi != lo else height / 2
        dots.append((round(x, 1), round(y, 1)))
    return {
        "points": " ".join(f"{x},{y}" for x, y in dots),
        "dots": dots,
        "width": width,
        "height": height,
    }


def status(value: str | None) -> str:
    return (value or "—").replace("_", " ")


def _autoescape(name: str | None) -> bool:
    return bool(name) and ".html" in name


def environment(template_dir: str | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if template_dir:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders.append(jinja2.PackageLoader(__name__, "."))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, num=num, change=change, sparkline=sparkline, status=status)
    return env


def render(template_name: str, comparison, *, template_dir: str | None = None) -> str:
    """Render a brief template for ``comparison``."""
    return environment(template_dir).get_template(template_name).render(c=comparison)
