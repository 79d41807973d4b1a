"""The charts of the score dialog and the HTML report: points sit on their values."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from translator.review.charts import timeline_svg


@pytest.mark.parametrize("series_count", [1, 3])
def test_a_score_sits_on_its_grid_line(series_count: int) -> None:
    moments = [datetime(2026, 11, 26, 9), datetime(2026, 11, 26, 10)]
    series = [
        (f"metric {k}", [(moments[0], 50.0), (moments[1], 100.0)]) for k in range(series_count)
    ]
    svg = timeline_svg(series, "scores")
    grid = {
        float(label): float(y)
        for y, label in re.findall(
            r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end">([\d.]+)<', svg
        )
    }
    points = re.findall(r'data-score="([\d.]+)" cx="[\d.]+" cy="([\d.]+)"', svg)
    assert len(points) == 2 * series_count
    for score, cy in points:
        assert float(cy) + 4 == pytest.approx(grid[float(score)], abs=0.11)  # label sits 4 below
