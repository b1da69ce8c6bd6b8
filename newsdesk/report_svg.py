"""Inline SVG charts for the HTML report, written by hand from the data.

No charting library and no script: each function returns an `<svg>` element as
a string, sized by its viewBox so it scales with the page. Every text that
comes from the data goes through `esc`; colours are SVG presentation
attributes (not `style=`), so the page's Content-Security-Policy can forbid
inline styles.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

BLUE = "#2563eb"
RED = "#dc2626"
TEAL = "#0d9488"
AMBER = "#d97706"
GRID = "#e5e7eb"
AXIS = "#9ca3af"
INK = "#374151"
MUTED = "#6b7280"
# One colour per pipeline stage, in the order the flow runs them; others after.
STAGE_COLOURS = ("#2563eb", "#0891b2", "#16a34a", "#ca8a04", "#9333ea", "#db2777", "#64748b", "#ea580c")

WIDTH = 720
CHAR_PX = 7.2  # generous width of one character of the 12px sans-serif (DejaVu Sans is wide)
LABEL_CHARS = 30  # longer bar labels are cut, with the whole label in the tooltip


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def clip(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: max(limit - 1, 1)].rstrip() + "…"


def num(value: float) -> str:
    """A number for a chart or table: thousands separated, at most 2 decimals."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"


def nice_ticks(value: float, most: int = 5) -> tuple[float, float]:
    """(top, step) of a y axis from 0: the smallest step of 1, 2 or 5 times a power of ten (at
    least 1) that reaches value in at most `most` steps."""
    if value <= 0:
        return 1.0, 1.0
    power = 10 ** math.floor(math.log10(value / most))
    for m in (1, 2, 5, 10, 20, 50, 100):
        step = max(float(m * power), 1.0)
        if math.ceil(value / step - 1e-9) <= most:
            return step * math.ceil(value / step - 1e-9), step
    return value, value  # pragma: no cover


def _fmt(x: float) -> str:
    """Coordinates with two decimals at most: stable text, small files."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _svg_open(width: float, height: float, label: str, kind: str) -> str:
    return (
        f'<svg class="chart {kind}" viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-label="{esc(label)}" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" font-size="12">'
        f"<title>{esc(label)}</title>"
    )


def hbar_chart(
    rows: Sequence[tuple[str, float]],
    label: str,
    colour: str = BLUE,
    value_format: Callable[[float], str] = num,
    width: int = WIDTH,
) -> str:
    """Horizontal bars, one per (label, value), in the order given."""
    if not rows:
        return ""
    row_h, bar_h, top = 24, 15, 6
    longest = max(len(clip(name, LABEL_CHARS)) for name, _ in rows)
    label_w = max(60, longest * CHAR_PX + 14)
    value_w = max(len(value_format(v)) for _, v in rows) * CHAR_PX + 12
    plot_w = width - label_w - value_w
    top_value = max(v for _, v in rows) or 1
    height = top + row_h * len(rows) + 4
    out = [_svg_open(width, height, label, "hbar")]
    out.append(f'<line x1="{_fmt(label_w)}" y1="{top}" x2="{_fmt(label_w)}" y2="{_fmt(height - 4)}" stroke="{AXIS}"/>')
    for i, (name, value) in enumerate(rows):
        y = top + i * row_h
        w = plot_w * value / top_value if value > 0 else 0.0
        if 0 < w < 2:
            w = 2.0
        mid = y + row_h / 2
        out.append(
            f'<g class="row"><title>{esc(name)}: {esc(value_format(value))}</title>'
            f'<text x="{_fmt(label_w - 8)}" y="{_fmt(mid)}" text-anchor="end" dominant-baseline="central" '
            f'fill="{INK}">{esc(clip(name, LABEL_CHARS))}</text>'
            f'<rect class="bar" x="{_fmt(label_w)}" y="{_fmt(mid - bar_h / 2)}" width="{_fmt(w)}" height="{bar_h}" '
            f'rx="2" fill="{colour}"/>'
            f'<text x="{_fmt(label_w + w + 6)}" y="{_fmt(mid)}" dominant-baseline="central" fill="{MUTED}">'
            f"{esc(value_format(value))}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def _legend(items: Sequence[tuple[str, str]], x: float, y: float, right: float) -> tuple[str, float]:
    """Colour keys from (x, y), wrapping before `right`: (svg, y of the last line)."""
    out, x0 = [], x
    for name, colour in items:
        label = clip(name, LABEL_CHARS)
        w = 14 + len(label) * CHAR_PX + 14
        if x > x0 and x + w > right:
            x, y = x0, y + 18
        out.append(
            f'<g><title>{esc(name)}</title><rect x="{_fmt(x)}" y="{_fmt(y - 9)}" width="10" height="10" rx="2" '
            f'fill="{colour}"/><text x="{_fmt(x + 14)}" y="{_fmt(y)}" fill="{INK}">{esc(label)}</text></g>'
        )
        x += w
    return "".join(out), y


def stacked_columns(
    slots: Sequence[tuple[str, str, Sequence[float]]],
    series: Sequence[tuple[str, str]],
    label: str,
    width: int = WIDTH,
    height: int = 240,
) -> str:
    """Vertical stacked columns over an ordinal time axis.

    slots: (axis label, tooltip heading, one value per series), oldest first.
    series: (name, colour) for each stacked part, bottom first.
    """
    if not slots:
        return ""
    left, right, top, bottom = 44, 12, 28, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    total_max, step = nice_ticks(max(sum(v) for _, _, v in slots))
    out = [_svg_open(width, height, label, "columns")]
    out.append(_legend(series, left, 14, width - right)[0])
    for k in range(int(round(total_max / step)) + 1):  # grid lines and y ticks
        value = step * k
        y = top + plot_h - plot_h * value / total_max
        out.append(f'<line x1="{left}" y1="{_fmt(y)}" x2="{width - right}" y2="{_fmt(y)}" '
                   f'stroke="{GRID if k else AXIS}"/>')
        out.append(f'<text x="{left - 6}" y="{_fmt(y)}" text-anchor="end" dominant-baseline="central" '
                   f'fill="{MUTED}">{esc(num(round(value, 2)))}</text>')
    n = len(slots)
    slot_w = plot_w / n
    bar_w = min(40.0, slot_w * 0.7)
    label_px = max(len(a) for a, _, _ in slots) * CHAR_PX + 12
    every = max(1, math.ceil(n / max(1, int(plot_w // label_px))))  # labels must not overlap
    for i, (axis_label, heading, values) in enumerate(slots):
        cx = left + slot_w * (i + 0.5)
        y = top + plot_h
        parts = " · ".join(f"{name} {num(v)}" for (name, _), v in zip(series, values))
        out.append(f'<g class="slot"><title>{esc(heading)}: {esc(parts)}</title>')
        for (name, colour), value in zip(series, values):
            h = plot_h * value / total_max if value > 0 else 0.0
            if h <= 0:
                continue
            y -= h
            out.append(f'<rect class="bar" x="{_fmt(cx - bar_w / 2)}" y="{_fmt(y)}" width="{_fmt(bar_w)}" '
                       f'height="{_fmt(h)}" fill="{colour}"/>')
        out.append("</g>")
        if i % every == 0 or i == n - 1:
            out.append(f'<text x="{_fmt(cx)}" y="{top + plot_h + 16}" text-anchor="middle" fill="{MUTED}">'
                       f"{esc(axis_label)}</text>")
    out.append(f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle" fill="{MUTED}">'
               "run start (UTC), oldest to newest</text>")
    out.append("</svg>")
    return "".join(out)


def stacked_hbars(
    rows: Sequence[tuple[str, Sequence[float]]],
    series: Sequence[tuple[str, str]],
    label: str,
    unit: str = "s",
    width: int = WIDTH,
) -> str:
    """Horizontal stacked bars: one row per (label, values), parts coloured by series."""
    if not rows or not series:
        return ""
    row_h, bar_h = 24, 15
    label_w = max(len(name) for name, _ in rows) * CHAR_PX + 14
    value_w = 64
    plot_w = width - label_w - value_w
    top_value = max(sum(v) for _, v in rows) or 1
    legend, last = _legend(series, 4, 13, width - 4)
    top = last + 13
    height = top + row_h * len(rows) + 4
    out = [_svg_open(width, height, label, "stacked"), legend]
    for i, (name, values) in enumerate(rows):
        mid = top + i * row_h + row_h / 2
        x = label_w
        total = sum(values)
        parts = " · ".join(f"{s} {num(round(v, 3))} {unit}" for (s, _), v in zip(series, values) if v)
        out.append(f'<g class="row"><title>{esc(name)}: {esc(parts)}</title>'
                   f'<text x="{_fmt(label_w - 8)}" y="{_fmt(mid)}" text-anchor="end" dominant-baseline="central" '
                   f'fill="{INK}">{esc(name)}</text>')
        for (_, colour), value in zip(series, values):
            w = plot_w * value / top_value if value > 0 else 0.0
            if w <= 0:
                continue
            out.append(f'<rect class="bar" x="{_fmt(x)}" y="{_fmt(mid - bar_h / 2)}" width="{_fmt(max(w, 1))}" '
                       f'height="{bar_h}" fill="{colour}"/>')
            x += w
        out.append(f'<text x="{_fmt(x + 6)}" y="{_fmt(mid)}" dominant-baseline="central" fill="{MUTED}">'
                   f"{esc(num(round(total, 2)))} {esc(unit)}</text></g>")
    out.append("</svg>")
    return "".join(out)
