"""render/charts.py: colours a colour-blind reader tells apart, and the status in words."""

from __future__ import annotations

import pandas as pd
from matplotlib.colors import to_hex

from fupin_lib.render import charts


def _bar_colors(fig) -> list[str]:
    return [to_hex(p.get_facecolor()).upper() for p in fig.axes[0].patches]


def test_target_bars_use_the_colour_blind_palette_and_say_what_is_behind():
    statuses = ["已完成", "进度正常", "落后", "待核", "逾期未完成", "无数据"]
    progress = pd.DataFrame(
        {
            "目标": [f"目标{i}" for i in range(6)],
            "范围": [""] * 6,
            "完成比例": [1.2, 0.6, 0.3, 0.8, 0.0, None],
            "应完成比例": [0.5] * 6,
            "状态": statuses,
            "判断方式": ["按进度"] * 6,
        }
    )
    fig = charts.target_progress(progress, "图")
    palette = {c.upper() for c in charts.COLORBLIND}
    bars = _bar_colors(fig)[:6]
    assert set(bars) <= palette, bars  # matplotlib's tableau-colorblind10, not red against green
    drawn = dict(zip(reversed(statuses), bars))  # bars are drawn bottom-up
    assert drawn["已完成"] != drawn["落后"] and drawn["已完成"] == "#006BA4" and drawn["落后"] == "#C85200"
    words = charts.figure_text(fig)
    for status in ("落后", "待核", "逾期未完成", "无数据"):  # in words beside its bar, not by colour alone
        assert words.count(status) >= 2, (status, words)  # the legend and the bar
    assert "0% 逾期未完成" in words


def test_canteen_units_below_the_target_are_said_below():
    table = pd.DataFrame(
        {"unit": ["甲单位", "乙单位", "丙单位"], "ratio": [0.1, 0.35, 0.29], "below_target": [True, False, True]}
    )
    fig = charts.canteen_ratios(table, 0.3, "图")
    words = charts.figure_text(fig)
    assert "10.0%（未达标）" in words and "29.0%（未达标）" in words and "35.0%（未达标）" not in words
    assert sorted(set(_bar_colors(fig))) == ["#006BA4", "#C85200"]
