"""Charts of the score card, in Simplified Chinese (charts.setup: font, text drawn as text, plain-text form)."""

from __future__ import annotations

import matplotlib.pyplot as plt

from ..render.charts import BLUE, DARK_ORANGE, LIGHT_GREY, PRINT_PT, PRINT_WIDTH_IN, setup as setup_charts
from . import views
from .card import ScoreCard

HOME, OTHERS, FULL = DARK_ORANGE, BLUE, LIGHT_GREY  # colour-blind safe (render.charts)


def _figure(width: float, height: float):
    setup_charts()
    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def section_scores(card: ScoreCard):
    """Horizontal bars: points of each section against its maximum."""
    table = views.section_table(card).drop(index=["合计"]).iloc[::-1]
    fig, ax = _figure(PRINT_WIDTH_IN, 0.35 * len(table) + 1.2)
    ax.barh(table.index, table["满分"], color=FULL, height=0.7, label="满分")
    ax.barh(table.index, table["得分"], color=OTHERS, height=0.7, label="得分")
    for y, (got, full) in enumerate(zip(table["得分"], table["满分"])):
        ax.text(full, y, f" {views.fmt_points(got)} / {views.fmt_points(full)}", va="center", fontsize=PRINT_PT)
    ax.set_xlabel("分")
    ax.set_title(f"{card.district}各部分得分（分档口径：{card.assessment.policy.name_zh}）")
    ax.legend(frameon=False, fontsize=PRINT_PT, loc="lower right")
    fig.tight_layout()
    return fig


def ranking(card: ScoreCard):
    """Bars of the 16 districts' totals (bonus included), the district itself in red."""
    table = views.ranking_table(card).iloc[::-1]
    fig, ax = _figure(PRINT_WIDTH_IN, 0.3 * len(table) + 1.2)
    colors = [HOME if name.startswith(card.district) else OTHERS for name in table["区"]]
    ax.barh(table["区"], table["总分"], color=colors, height=0.7)
    for y, value in enumerate(table["总分"]):
        ax.text(value, y, f" {value:.2f}", va="center", fontsize=PRINT_PT)
    ax.set_xlabel("总分（含创新创优加分）")
    ax.set_title(f"{len(table)} 个区考核总分")
    fig.tight_layout()
    return fig
