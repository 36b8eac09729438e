"""Inline SVG charts: well-formed, labels escaped, the curve and the bars where the values say."""

from __future__ import annotations

from xml.etree import ElementTree

import numpy as np
import pytest

from linkequity.equity.scores import gini
from linkequity.present.report.charts import CURVE_POINTS, HEIGHT, WIDTH, bars, lorenz

SVG = "{http://www.w3.org/2000/svg}"


def parsed(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_a_lorenz_curve_runs_from_corner_to_corner_under_the_diagonal() -> None:
    shares = np.array([0.5, 0.3, 0.1, 0.05, 0.05])
    root = parsed(lorenz(shares, "Equity"))
    assert root.findtext(f"{SVG}title") == f"Equity (Gini {gini(shares):.3f})"
    points = [
        tuple(float(v) for v in p.split(","))
        for p in root.find(f"{SVG}polyline").get("points", "").split()  # type: ignore[union-attr]
    ]
    assert len(points) == 6
    assert points[0] == (40.0, HEIGHT - 40.0) and points[-1] == (WIDTH - 40.0, 40.0)
    # poorest first: after the two 5% pages, 10% of the equity at 40% of the pages
    assert points[2][1] == pytest.approx(HEIGHT - 40 - 0.1 * (HEIGHT - 80), abs=0.06)
    big = parsed(lorenz(np.random.default_rng(1).random(20_000), "Equity"))
    assert len(big.find(f"{SVG}polyline").get("points", "").split()) <= CURVE_POINTS  # type: ignore[union-attr]


def test_bars_are_as_long_as_their_values_and_labels_are_text() -> None:
    hostile = "<script>alert(1)</script>"
    svg = bars(["content", hostile, "footer"], [50.0, 25.0, 0.0], "Equity <by> position", "%")
    root = parsed(svg)  # well-formed: the hostile label did not break out
    assert "<script>" not in svg
    labels = [t.text for g in root.iter(f"{SVG}g") for t in g.findall(f"{SVG}text")][::2]
    assert labels == ["content", hostile, "footer"]
    widths = [float(r.get("width", "0")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(2 * widths[1]) and widths[2] == 0.0
    assert root.findtext(f"{SVG}title") == "Equity <by> position"
    values = [t.text for g in root.iter(f"{SVG}g") for t in g.findall(f"{SVG}text")][1::2]
    assert values == ["50%", "25%", "0%"]


def test_empty_charts_say_so() -> None:
    assert "no pages" in lorenz([], "Equity")
    assert "nothing to show" in bars([], [], "Depth")
    with pytest.raises(ValueError, match="one value per label"):
        bars(["a"], [], "x")


def test_the_depth_chart_puts_deep_pages_in_one_bar() -> None:
    from linkequity.present.report.build import depth_rows

    histogram = [(str(d), d + 1) for d in range(40)] + [("not linked", 7)]
    labels, values = depth_rows(histogram)
    assert labels == [*[str(d) for d in range(10)], "10+", "not linked"]
    assert values == [*range(1, 11), sum(range(11, 41)), 7]
    assert depth_rows([("0", 1), ("1", 5)]) == (["0", "1"], [1, 5])
