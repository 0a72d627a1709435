"""Charts for the reports, in Simplified Chinese (fonts.setup_matplotlib).

Labels come from the data (unit names, areas), so `setup()` makes matplotlib draw text as
text, never as math (`$…$` in a unit's name is not TeX), and `show()` displays a chart with a
plain-text form listing all of its words: the privacy check of the executed notebook then
reads what a chart shows, not only its pixels.
"""

from __future__ import annotations

from functools import lru_cache

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import style

from . import house_style
from .fonts import setup_matplotlib

# Colours a colour-blind reader tells apart: matplotlib's "tableau-colorblind10" (blue against
# orange, never red against green). A status is also written on the chart, not told by colour alone.
COLORBLIND = style.library["tableau-colorblind10"]["axes.prop_cycle"].by_key()["color"]
BLUE, ORANGE, GREY, DARK_GREY, MID_BLUE, DARK_ORANGE, _, LIGHT_BLUE, LIGHT_ORANGE, LIGHT_GREY = COLORBLIND
# By role: [0] behind or stressed, [1] a second series, [2] the main series, [3] on track.
PALETTE = [DARK_ORANGE, ORANGE, BLUE, MID_BLUE, DARK_GREY, GREY]
SERIES = (BLUE, ORANGE)  # two series side by side (党政干部, 专业技术人才)
STATUS_COLORS = {
    "已完成": BLUE,
    "完成": BLUE,
    "进度正常": LIGHT_BLUE,
    "未到期": GREY,
    "落后": DARK_ORANGE,
    "逾期未完成": DARK_ORANGE,
    "未完成": DARK_ORANGE,
    "待核": LIGHT_ORANGE,
    "无数据": LIGHT_GREY,
}
SAID_STATUSES = ("落后", "逾期未完成", "未完成", "待核")  # written beside their bar, not only coloured


def figure_text(fig) -> str:
    """Every word a figure shows (titles, axis labels, tick labels, legends, annotations)."""
    fig.draw_without_rendering()  # tick labels exist only once the figure is laid out
    words = [t.get_text() for t in _texts(fig)]
    return "图表文字：" + "；".join(dict.fromkeys(words))


@lru_cache(maxsize=None)
def setup() -> None:
    """Chinese font, and text drawn as text: a unit's name with `$…$` is not TeX."""
    import matplotlib

    setup_matplotlib()
    matplotlib.rcParams["text.parse_math"] = False
    matplotlib.rcParams["text.usetex"] = False


DPI = 150  # the PNGs' resolution
PRINT_PT = 9  # the smallest type of a chart on paper (and, at its 150 dpi, 18.75 px in the PNG)
PRINT_WIDTH_IN = 15 / 2.54  # a report chart is drawn as wide as it prints: 15 cm
# The largest a chart may print at its own size: the text width of a portrait page, and its
# height less the caption's lines (house_style's page geometry).
MAX_WIDTH_IN = (house_style.TEXT_WIDTH["portrait"] - 1) / 25.4
MAX_HEIGHT_IN = (
    house_style.PAGE_H - house_style.MARGINS["top"] - house_style.MARGINS["bottom"] - house_style.FIGURE_CAPTION_MM
) / 25.4


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def smallest_pt(fig) -> float:
    """The smallest type size (pt) of the words a figure shows, as drawn."""
    fig.draw_without_rendering()
    return min((t.get_fontsize() for t in _texts(fig)), default=PRINT_PT)


def _png(fig) -> bytes:
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _inches(png: bytes) -> tuple[float, float]:
    return int.from_bytes(png[16:20], "big") / DPI, int.from_bytes(png[20:24], "big") / DPI


def figure_block(fig, width_cm: float | None = None):
    """A chart as a document Figure: its title becomes the caption (图N …, under the chart in
    every format), its words are kept for the privacy check, the PNG drawn at print resolution.

    By default (width_cm None) the chart prints at the size it is drawn, one inch of the figure
    to one inch of paper, so its words print at their own sizes: every word is at least PRINT_PT
    (a smaller one is raised to it), and a chart larger than a page's text area is drawn smaller
    (its words keep their size) until it fits. width_cm: printed at that width instead, scaled."""
    from .document import Figure

    caption = next((ax.get_title() for ax in fig.axes if ax.get_title()), "")
    for ax in fig.axes:
        ax.set_title("")
    fig.draw_without_rendering()  # tick labels exist only once the figure is laid out
    for text in _texts(fig):
        if text.get_fontsize() < PRINT_PT:
            text.set_fontsize(PRINT_PT)
    for ax in fig.axes:  # tick labels made later (on the next layout) take the axis's size
        for axis in (ax.xaxis, ax.yaxis):
            size = min((t.get_fontsize() for t in axis.get_ticklabels()), default=PRINT_PT)
            axis.set_tick_params(labelsize=max(size, PRINT_PT))
    fig.tight_layout()
    words = figure_text(fig)
    png = _png(fig)
    for _ in range(3):  # wider or taller than a page's text area: drawn smaller, not scaled down
        w, h = _inches(png)
        if w <= MAX_WIDTH_IN + 0.02 and h <= MAX_HEIGHT_IN + 0.02:
            break
        fig.set_size_inches(
            max(1.0, fig.get_figwidth() - max(0.0, w - MAX_WIDTH_IN)),
            max(1.0, fig.get_figheight() - max(0.0, h - MAX_HEIGHT_IN)),
        )
        fig.tight_layout()
        png = _png(fig)
    plt.close(fig)
    if width_cm is None:
        width_cm = _inches(png)[0] * 2.54
    return Figure(png, caption, words, width_cm)


def show(fig):
    """A chart for a notebook to display: the PNG with its caption, and its words as the plain
    text (what the privacy check of the executed notebook reads); the figure is closed."""
    from .blocks import Shown

    return Shown(figure_block(fig))


LABEL_CHARS = 16  # a tick label longer than this is cut (the table beside the chart has it whole)


def short_label(text: object, limit: int = LABEL_CHARS) -> str:
    """A unit's name as a tick label: cut to `limit` characters with "…", so that one long name
    typed in a ledger cannot squeeze the chart into a strip."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _figure(width: float = PRINT_WIDTH_IN, height: float = 3.4):
    setup()
    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _label_bars(ax, fmt: str = "{:,.0f}") -> None:
    for container in ax.containers:
        ax.bar_label(container, labels=[fmt.format(v) if v else "" for v in container.datavalues], fontsize=PRINT_PT)


def cadres_by_county(table: pd.DataFrame, title: str, size: tuple[float, float] = (PRINT_WIDTH_IN, 3.4)):
    """Grouped bars: 党政干部 and 专业技术人才 per paired area (`size` in inches: the brief draws
    its charts smaller, so that their words stay legible at its narrower width)."""
    fig, ax = _figure(*size)
    data = table.drop(index="合计", errors="ignore")[["党政干部", "专业技术人才"]]
    # A category not sent (未报送) has no bars: it is not 0.
    shown = [c for c in data.columns if not data[c].map(lambda v: isinstance(v, str)).any()]
    colors = [SERIES[i] for i, c in enumerate(data.columns) if c in shown]
    data = data[shown].astype(float).rename(columns={c: c for c in shown})
    if data.empty:
        from ..figures.coverage import NOT_SENT

        ax.text(0.5, 0.5, NOT_SENT, ha="center", va="center", transform=ax.transAxes, fontsize=12)
    else:
        data.plot.bar(ax=ax, color=colors, rot=0, width=0.7)
    missing = [c for c in ("党政干部", "专业技术人才") if c not in shown]
    if missing:
        title = f"{title}（{'、'.join(missing)}未报送）"
    _label_bars(ax)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("人数（人）")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def benefit_ratio(table: pd.DataFrame, title: str, size: tuple[float, float] = (PRINT_WIDTH_IN, 3.4)):
    """Bars: persons benefited per 万元, per paired area, with the overall ratio as a line."""
    fig, ax = _figure(*size)
    data = table.drop(index="合计")["每万元惠及人数"].astype(float).fillna(0)
    data.plot.bar(ax=ax, color=PALETTE[2], rot=0, width=0.6)
    _label_bars(ax, "{:.2f}")
    overall = table.loc["合计", "每万元惠及人数"]
    if overall is not None and pd.notna(overall):
        ax.axhline(overall, color=DARK_GREY, linestyle="--", linewidth=1)
        ax.text(len(data) - 0.5, overall, f" 全区 {overall:.2f}", color=DARK_GREY, va="bottom", ha="right", fontsize=9)
    ax.set_title(title)
    ax.set_xlabel("")
    ax.set_ylabel("每万元惠及人数（人）")
    fig.tight_layout()
    return fig


def canteen_ratios(
    table: pd.DataFrame, target: float | None, title: str, lowest: int = 20, width: float = PRINT_WIDTH_IN
):
    """Horizontal bars of the `lowest` units' ratios, below-target units in dark orange and said
    (未达标), the target as a line labelled above the bars (none in a year without a plan)."""
    data = table.dropna(subset=["ratio"]).nsmallest(lowest, "ratio").iloc[::-1]
    fig, ax = _figure(width, 0.22 * len(data) + 1.2)
    colors = [DARK_ORANGE if below else BLUE for below in data["below_target"]]
    ax.barh(range(len(data)), data["ratio"] * 100, color=colors, height=0.7)
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels([short_label(u) for u in data["unit"]], fontsize=PRINT_PT)
    for y, (v, below) in enumerate(zip(data["ratio"], data["below_target"])):
        # a unit below the target is said right of the target line, never across it
        at = max(v, target) * 100 if below and target is not None else v * 100
        ax.text(at, y, f" {v:.1%}" + ("（未达标）" if below else ""), va="center", fontsize=PRINT_PT)
    if target is not None:
        ax.axvline(target * 100, color="black", linestyle="--", linewidth=1)
        ax.text(target * 100, len(data) - 0.45, f" 目标 {target:.0%}", va="bottom", fontsize=9)
        ax.set_ylim(-0.6, len(data) + 0.5)
    ax.set_xlabel("扶贫产品采购额占食材采购总额（%）")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def amount_by(table: pd.DataFrame, title: str, color: str = PALETTE[1]):
    """Horizontal bars of 金额（万元） per category (channel or area)."""
    fig, ax = _figure(PRINT_WIDTH_IN, 0.3 * len(table) + 1.2)
    data = table["金额（万元）"].astype(float).iloc[::-1]
    ax.barh(range(len(data)), data.values, color=color)  # by position: two cut names stay two bars
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels([short_label(i) for i in data.index.astype(str)])
    for y, v in enumerate(data.values):
        ax.text(v, y, f" {v:,.1f}", va="center", fontsize=PRINT_PT)
    ax.set_xlabel("金额（万元）")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def target_progress(progress: pd.DataFrame, title: str, width: float = PRINT_WIDTH_IN, fontsize: float | None = None):
    """Horizontal bars of each target's share reached (capped at 150%), with the pace line.
    `fontsize`: every word of the chart at this size (the brief prints the chart at the size it
    is drawn, `width` inches, with its words at PRINT_PT)."""
    from ..figures.targets import BY_PACE, target_label

    data = progress.assign(label=[target_label(g, s) for g, s in zip(progress["目标"], progress["范围"])])
    data = data.iloc[::-1]
    size = lambda default: fontsize or default
    fig, ax = _figure(width, (0.3 if fontsize else 0.2) * len(data) + 1.2)
    colors = dict(STATUS_COLORS)
    # at the year's end (reports/annual.py) a target is 完成 or 未完成
    always = ("完成", "未完成") if {"完成", "未完成"} & set(data["状态"]) else ("已完成", "落后")
    colors = {k: c for k, c in colors.items() if k in set(data["状态"]) or k in always}
    shares = pd.to_numeric(data["完成比例"], errors="coerce").astype(float).fillna(0).clip(upper=1.5) * 100
    ax.barh(range(len(data)), shares, color=[colors[s] for s in data["状态"]], height=0.7)
    ax.set_yticks(range(len(data)))
    ax.set_yticklabels(data["label"], fontsize=size(PRINT_PT))
    # What is due: for the targets judged by pace, their share due (targets judged by their
    # deadline say 未到期 or 逾期未完成 in words). One dashed line where they share one share due;
    # else a dashed mark on each such bar: the canteen ratio is due in full all year while the
    # others are due by half at mid-year, and one line at 50% made its 90% bar, 落后, look ahead.
    judged = data.get("判断方式", pd.Series(BY_PACE, index=data.index))
    due = pd.to_numeric(data["应完成比例"], errors="coerce").astype(float).clip(upper=1.5) * 100
    due = due.where(judged == BY_PACE)
    shares_due = set(due.dropna().round(6))
    pace = None if len(shares_due) > 1 else (shares_due.pop() if shares_due else 100.0)
    # the dashed mark each row's bar meets: its own share due, or the one line across them all
    marks = due if pace is None else pd.Series(pace, index=due.index)
    for y, (share, status) in enumerate(zip(shares, data["状态"])):
        # A bar of 0% is invisible: say it; a target without data is not 0%.
        if status == "无数据":
            ax.text(0.5, y, " 无数据", va="center", fontsize=size(PRINT_PT), color="#666666")
        elif share < 1:
            ax.text(
                0.5,
                y,
                " 0%" + (f" {status}" if status in SAID_STATUSES else ""),
                va="center",
                fontsize=size(PRINT_PT),
                color=DARK_ORANGE if status in SAID_STATUSES else "#666666",  # 0% of a target not yet due is no alarm
            )
        elif status in SAID_STATUSES:
            # after the bar, or after its mark of what is due where that is further: never across it
            after = share if pd.isna(marks.iloc[y]) else max(share, marks.iloc[y])
            ax.text(after, y, f" {status}", va="center", fontsize=size(PRINT_PT), color="#333333")
    ax.axvline(100, color="grey", linewidth=0.8)
    if pace is None:
        for y, mark in enumerate(due):
            if pd.notna(mark):
                ax.vlines(mark, y - 0.45, y + 0.45, colors="black", linestyles="--", linewidth=1)
        due_label = "应完成（各目标）"
    else:
        ax.axvline(pace, color="black", linestyle="--", linewidth=1)
        due_label = f"应完成 {pace:.0f}%"
    # What is due is named in the legend, not by a word at the line's top: there the word ran into
    # the legend above it (the brief's chart of targets due in full, pace at 100%, seen on paper).
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors.values()]
    handles.append(plt.Line2D([0], [0], color="black", linestyle="--", linewidth=1))
    # above the bars, never on them (a bar at 100-150% reaches the lower right corner)
    ax.legend(
        handles,
        [*colors.keys(), due_label],
        frameon=False,
        fontsize=size(PRINT_PT),
        # from the axes' right edge leftwards: over the bars' names, never past the figure's right edge
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=min(len(handles), 3),  # in rows of three: a row of six is wider than the chart beside long labels
        borderaxespad=0.2,
        handlelength=1.2,
        columnspacing=1.0,
    )
    ax.set_xlabel("完成比例（%，超过150%按150%显示）", fontsize=size(None))
    if fontsize:
        ax.tick_params(axis="x", labelsize=fontsize)
        ax.title.set_fontsize(fontsize)
    ax.set_title(title)
    fig.tight_layout()
    return fig


BULLET_CAP = 1.5  # a bullet's measure stops at 150% of its target (the words give the figure)


def target_bullets(progress: pd.DataFrame, title: str, width: float = PRINT_WIDTH_IN):
    """A bullet graph per target of the plan (rows of figures.targets.progress): on a scale of
    the target's own size (0 to 150%), a pale band to the target (100%, marked by a black tick),
    a darker band to the share due by now (应完成比例, for targets judged by pace), and a narrow
    bar of the share reached. Beside each row its figures in words, "完成值/目标值单位" and the
    status, so no reader depends on colour; a target without data has no bar and says so."""
    from ..figures.targets import target_label

    data = progress.iloc[::-1]
    n = len(data)
    fig, ax = _figure(width, 0.36 * n + 1.1)
    rows = range(n)
    due = pd.to_numeric(data["应完成比例"], errors="coerce").astype(float).fillna(0).clip(0, 1) * 100
    shares = pd.to_numeric(data["完成比例"], errors="coerce").astype(float)
    ax.barh(rows, [100] * n, height=0.8, color=LIGHT_GREY, zorder=1)
    ax.barh(rows, due, height=0.8, color=GREY, zorder=2)
    measure = [DARK_ORANGE if s in SAID_STATUSES else BLUE for s in data["状态"]]
    ax.barh(rows, shares.fillna(0).clip(upper=BULLET_CAP) * 100, height=0.32, color=measure, zorder=3)
    ax.vlines([100] * n, [y - 0.4 for y in rows], [y + 0.4 for y in rows], color="black", linewidth=2, zorder=4)
    for y, (share, actual, target, unit, status) in enumerate(
        zip(shares, data["完成值"], data["目标值"], data["单位"], data["状态"])
    ):
        kind = "money" if unit == "万元" else "int"
        said = (
            status
            if actual is None or pd.isna(actual)
            else f"{house_style.cell_text(actual, kind)}/{house_style.cell_text(target, kind)}{unit}　{status}"
        )
        ax.text(
            BULLET_CAP * 100 + 4,
            y,
            said,
            va="center",
            fontsize=PRINT_PT,
            color=DARK_ORANGE if status in SAID_STATUSES else "#333333",
            clip_on=False,
        )
    ax.set_yticks(list(rows))
    ax.set_yticklabels([short_label(target_label(g, s)) for g, s in zip(data["目标"], data["范围"])], fontsize=PRINT_PT)
    ax.set_xlim(0, BULLET_CAP * 100)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xticks([0, 50, 100, 150])
    ax.set_xticklabels(["0", "50%", "目标", "150%"], fontsize=PRINT_PT)
    ax.tick_params(axis="y", length=0)
    ax.spines[["left"]].set_visible(False)
    ax.legend(
        [plt.Rectangle((0, 0), 1, 1, color=c) for c in (GREY, BLUE, DARK_ORANGE)],
        ["应完成", "完成", "落后或待核"],
        frameon=False,
        fontsize=PRINT_PT,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=3,
        borderaxespad=0.2,
        handlelength=1.2,
    )
    ax.set_title(title, pad=22)
    fig.tight_layout()
    return fig
