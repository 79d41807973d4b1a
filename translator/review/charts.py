"""Small SVG charts drawn by hand, so a report is one self-contained file with no scripts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

WIDTH, HEIGHT = 560, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 12, 36
_COLOURS = ("#1f6fb2", "#c0392b", "#2e8b57", "#8e44ad", "#d68910", "#566573")


def histogram_bins(values: Sequence[float], bins: int = 10, top: float = 100.0) -> list[int]:
    """Counts of ``values`` in ``bins`` equal bins over 0..top; ``top`` falls in the last bin."""
    counts = [0] * bins
    for value in values:
        index = int(max(0.0, min(value, top)) * bins / top)
        counts[min(index, bins - 1)] += 1
    return counts


def _frame(inner: str, label: str, chart_id: str) -> str:
    return (
        f'<svg id="{chart_id}" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" font-family="sans-serif" font-size="11">'
        f"<title>{escape(label)}</title>{inner}</svg>"
    )


def _axes(y_max: float, y_label: str, plot_h: float = HEIGHT - _TOP - _BOTTOM) -> list[str]:
    """Axes and grid for a plot ``plot_h`` high standing on the bottom margin (the data
    must be drawn with the same height, or the points miss their grid lines)."""
    top = HEIGHT - _BOTTOM - plot_h
    parts = [
        f'<line x1="{_LEFT}" y1="{top}" x2="{_LEFT}" y2="{HEIGHT - _BOTTOM}" stroke="#333"/>',
        f'<line x1="{_LEFT}" y1="{HEIGHT - _BOTTOM}" x2="{WIDTH - _RIGHT}" '
        f'y2="{HEIGHT - _BOTTOM}" stroke="#333"/>',
    ]
    for step in range(5):
        value = y_max * step / 4
        y = HEIGHT - _BOTTOM - plot_h * step / 4
        parts.append(
            f'<text x="{_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>'
            f'<line x1="{_LEFT}" y1="{y:.1f}" x2="{WIDTH - _RIGHT}" y2="{y:.1f}" '
            'stroke="#ddd"/>'
        )
    parts.append(
        f'<text x="12" y="{HEIGHT / 2:.0f}" transform="rotate(-90 12 {HEIGHT / 2:.0f})" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    return parts


def histogram_svg(values: Sequence[float], label: str, chart_id: str = "histogram") -> str:
    """Bars of how many segments scored 0-10, 10-20 ... 90-100."""
    counts = histogram_bins(values)
    y_max = max(4, max(counts, default=0))
    y_max = -(-y_max // 4) * 4  # a multiple of 4, so the grid lines fall on whole numbers
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM
    bar_w = plot_w / len(counts)
    parts = _axes(y_max, "segments")
    for i, count in enumerate(counts):
        low, high = i * 10, (i + 1) * 10
        h = plot_h * count / y_max
        x = _LEFT + i * bar_w
        y = HEIGHT - _BOTTOM - h
        parts.append(
            f'<rect class="bin" data-from="{low}" data-to="{high}" data-count="{count}" '
            f'x="{x + 2:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" '
            f'fill="{_COLOURS[0]}"><title>{low}-{high}: {count} segment(s)</title></rect>'
            f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - _BOTTOM + 14}" '
            f'text-anchor="middle">{low}</text>'
        )
    return _frame("".join(parts), label, chart_id)


def timeline_svg(
    series: Sequence[tuple[str, Sequence[tuple[datetime, float]]]],
    label: str,
    chart_id: str = "timeline",
) -> str:
    """One line per series (e.g. "BLEU against reference:AP") of scores over time."""
    points = [p for _name, values in series for p in values]
    if not points:
        return _frame(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">no scores yet</text>',
            label,
            chart_id,
        )
    times = [p[0].timestamp() for p in points]
    t0, t1 = min(times), max(times)
    y_max = max(100.0, max(p[1] for p in points))
    y_max = -(-y_max // 20) * 20
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM - 14 * len(series)

    def xy(when: datetime, value: float) -> tuple[float, float]:
        share = (when.timestamp() - t0) / (t1 - t0) if t1 > t0 else 0.5
        return _LEFT + 8 + (plot_w - 16) * share, HEIGHT - _BOTTOM - plot_h * value / y_max

    parts = _axes(y_max, "score", plot_h)
    for k, (name, values) in enumerate(series):
        colour = _COLOURS[k % len(_COLOURS)]
        coords = [xy(when, value) for when, value in values]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}"/>')
        for (when, value), (x, y) in zip(values, coords, strict=True):
            parts.append(
                f'<circle class="point" data-series="{escape(name)}" data-score="{value:.1f}" '
                f'cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(name)}: {value:.1f} ({when:%Y-%m-%d %H:%M})</title></circle>"
            )
        parts.append(
            f'<text x="{_LEFT + 8}" y="{_TOP + 10 + 14 * k}" fill="{colour}">{escape(name)}</text>'
        )
    first, last = min(points)[0], max(points)[0]
    parts.append(
        f'<text x="{_LEFT}" y="{HEIGHT - 8}">{first:%Y-%m-%d %H:%M}</text>'
        f'<text x="{WIDTH - _RIGHT}" y="{HEIGHT - 8}" text-anchor="end">'
        f"{last:%Y-%m-%d %H:%M}</text>"
    )
    return _frame("".join(parts), label, chart_id)
