"""The report's charts as inline SVG drawn from Python: they print, need no script (present stage).

Two kinds cover what the report shows:

* :func:`lorenz`: the Lorenz curve of equity (pages sorted from poorest to richest, the
  cumulative share of pages against the cumulative share of equity), with the diagonal of
  perfect equality and the Gini coefficient in the title;
* :func:`bars`: labelled horizontal bars (the Link Score distribution, equity received by
  link position, pages by crawl depth, pages by status code).

Every label is crawled or computed text and is escaped (``xml.sax.saxutils``); numbers are
formatted here, never taken from the data as markup. A chart is an ``<svg>`` element with a
``viewBox``, a ``<title>`` for screen readers and ``role="img"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import numpy.typing as npt

from linkequity.equity.scores import gini

__all__ = ["bars", "lorenz"]

#: Size of a chart's drawing area, in SVG units (the page scales it).
WIDTH: Final = 480
HEIGHT: Final = 300
#: Points of a Lorenz curve at most: a curve of 20,000 pages drawn with 200 is the same line.
CURVE_POINTS: Final = 200
_PAD = 40


def lorenz(values: npt.ArrayLike, title: str) -> str:
    """The Lorenz curve of ``values`` (each page's share of equity)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    total = float(x.sum())
    if x.size == 0 or total <= 0:
        return _frame(title, "<text x='50%' y='50%' text-anchor='middle'>no pages</text>")
    cumulative = np.concatenate([[0.0], np.cumsum(x) / total])
    pages = np.linspace(0.0, 1.0, cumulative.size)
    if cumulative.size > CURVE_POINTS:
        keep = np.unique(np.linspace(0, cumulative.size - 1, CURVE_POINTS).round().astype(int))
        cumulative, pages = cumulative[keep], pages[keep]
    w, h = WIDTH - 2 * _PAD, HEIGHT - 2 * _PAD
    points = " ".join(
        f"{_PAD + p * w:.1f},{HEIGHT - _PAD - c * h:.1f}"
        for p, c in zip(pages, cumulative, strict=True)
    )
    body = (
        f"<line x1='{_PAD}' y1='{HEIGHT - _PAD}' x2='{WIDTH - _PAD}' y2='{_PAD}' "
        "class='equality' stroke='#999' stroke-dasharray='4 3'/>"
        f"<polyline points='{points}' fill='none' stroke='#1f6feb' stroke-width='2' "
        "class='curve'/>"
        f"<text x='{WIDTH / 2}' y='{HEIGHT - 8}' text-anchor='middle'>share of pages</text>"
        f"<text x='12' y='{HEIGHT / 2}' text-anchor='middle' "
        f"transform='rotate(-90 12 {HEIGHT / 2})'>share of equity</text>"
    )
    return _frame(f"{title} (Gini {gini(x):.3f})", body)


def bars(labels: Sequence[str], values: Sequence[float], title: str, unit: str = "") -> str:
    """Horizontal bars, one per label, longest for the largest value."""
    if len(labels) != len(values):
        raise ValueError("bars() needs one value per label")
    if not labels:
        return _frame(title, "<text x='50%' y='50%' text-anchor='middle'>nothing to show</text>")
    top = max(max(values), 0.0) or 1.0
    row = min(28.0, (HEIGHT - 2 * _PAD) / len(labels))
    left, right = 150, 70
    width = WIDTH - left - right
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = _PAD + i * row
        length = max(value, 0.0) / top * width
        parts.append(
            f"<g class='bar'><text x='{left - 6}' y='{y + row * 0.65:.1f}' text-anchor='end'>"
            f"{escape(str(label))}</text>"
            f"<rect x='{left}' y='{y + row * 0.15:.1f}' width='{length:.1f}' "
            f"height='{row * 0.7:.1f}' fill='#1f6feb'/>"
            f"<text x='{left + length + 4:.1f}' y='{y + row * 0.65:.1f}'>"
            f"{escape(_number(value))}{escape(unit)}</text></g>"
        )
    return _frame(title, "".join(parts))


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}" if abs(value) >= 0.01 else f"{value:.2g}"


def _frame(title: str, body: str) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {WIDTH} {HEIGHT}' role='img' "
        f"aria-label={quoteattr(title)} class='chart' font-size='12' font-family='sans-serif'>"
        f"<title>{escape(title)}</title>"
        f"<text x='{WIDTH / 2}' y='18' text-anchor='middle' font-weight='bold'>"
        f"{escape(title)}</text>{body}</svg>"
    )
