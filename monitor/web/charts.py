"""Small server-side SVG charts (line and horizontal bar), written by hand.

Every label is XML-escaped; the output uses presentation attributes only (no style
elements or attributes), so it is served under the app's strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from markupsafe import escape

PALETTE = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7d8c", "#57606a")
# After each round of the palette the lines change dash, so no two series look alike.
DASHES = ("", "6 3", "2 3")
# The legend has room for this many series; more are left out.
MAX_SERIES = 12
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _stroke(index: int) -> str:
    """Stroke attributes of the ``index``-th series: colour, then dash once colours run out."""
    colour = PALETTE[index % len(PALETTE)]
    dash = DASHES[(index // len(PALETTE)) % len(DASHES)]
    return f'stroke="{colour}" stroke-width="2"' + (f' stroke-dasharray="{dash}"' if dash else "")


def _nice_max(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(((int(value) // step) + 1) * step)


def line_chart(days: Sequence[date], series: dict[str, list[int]], title: str, empty: str) -> str:
    """Lines of daily counts, one per series, with a legend; ``empty`` when there is no data."""
    width, height, left, right, top, bottom = 760, 300, 48, 170, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    body: list[str] = []
    peak = max((max(values) for values in series.values() if values), default=0)
    if not series or peak == 0 or not days:
        body.append(
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" {_FONT}>'
            f"{escape(empty)}</text>"
        )
        return _svg(width, height, title, body)
    top_value = _nice_max(peak)
    step_x = plot_w / max(1, len(days) - 1)
    for i in range(5):
        value = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            'stroke="#d0d7de" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {_FONT}>{value:g}</text>'
        )
    every = max(1, len(days) // 7)
    for i, day in enumerate(days):
        if i % every == 0 or i == len(days) - 1:
            x = left + i * step_x
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" {_FONT}>'
                f"{day.strftime('%d/%m')}</text>"
            )
    for n, (name, values) in enumerate(list(series.items())[:MAX_SERIES]):
        stroke = _stroke(n)
        points = " ".join(
            f"{left + i * step_x:.1f},{top + plot_h - plot_h * v / top_value:.1f}"
            for i, v in enumerate(values)
        )
        body.append(f'<polyline points="{points}" fill="none" {stroke}/>')
        y = top + 14 + n * 18
        legend_x = width - right + 8
        body.append(
            f'<line x1="{legend_x}" y1="{y - 4}" x2="{legend_x + 16}" y2="{y - 4}" {stroke}/>'
            f'<text x="{width - right + 28}" y="{y}" {_FONT}>{escape(name[:22])}</text>'
        )
    return _svg(width, height, title, body)


def bar_chart(items: Sequence[tuple[str, float]], title: str, empty: str) -> str:
    """Horizontal bars, largest first as given; ``empty`` when there is nothing to show."""
    row, left, width = 24, 170, 760
    height = max(60, 16 + row * len(items))
    body: list[str] = []
    if not items:
        body.append(
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" {_FONT}>'
            f"{escape(empty)}</text>"
        )
        return _svg(width, height, title, body)
    peak = max(value for _, value in items) or 1.0
    plot_w = width - left - 70
    for i, (label, value) in enumerate(items):
        y = 8 + i * row
        bar = plot_w * value / peak
        body.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" {_FONT}>'
            f"{escape(label[:26])}</text>"
            f'<rect x="{left}" y="{y + 3}" width="{bar:.1f}" height="16" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{left + bar + 6:.1f}" y="{y + 15}" {_FONT}>{value:g}</text>'
        )
    return _svg(width, height, title, body)
