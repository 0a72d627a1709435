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


# --- print size: every word of a chart at least 9 pt on paper ---------------------------------------


def _sizes(fig) -> list[float]:
    from matplotlib.text import Text

    fig.draw_without_rendering()
    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _png_inches(png: bytes) -> tuple[float, float]:
    return int.from_bytes(png[16:20], "big") / 150, int.from_bytes(png[20:24], "big") / 150  # drawn at 150 dpi


def test_a_chart_prints_at_its_drawn_size_with_no_word_under_9pt():
    import matplotlib.pyplot as plt

    charts.setup()
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.bar(["甲", "乙"], [1, 2])
    ax.text(0, 1, "小字", fontsize=5)
    ax.tick_params(labelsize=6)
    ax.set_title("标题")
    block = charts.figure_block(fig)
    assert min(_sizes(fig)) >= 9  # the 5 pt and 6 pt words raised to 9 pt
    width_in, _ = _png_inches(block.png)
    assert abs(block.width_cm - width_in * 2.54) < 0.01  # printed one inch of figure to one inch of paper
    assert block.caption == "标题"


def test_a_chart_too_large_for_the_page_is_drawn_smaller_not_scaled_down():
    """A4 portrait, GB/T 9704 margins 28 + 26 mm: 156 mm of text width; 297 - 37 - 35 mm of
    text height, less 25 mm kept for the caption: 200 mm. A 10 x 12 in chart is drawn within
    that, its words still at least 9 pt."""
    import matplotlib.pyplot as plt

    charts.setup()
    fig, ax = plt.subplots(figsize=(10, 12))
    ax.barh(range(40), range(40))
    ax.set_yticks(range(40), [f"单位{i}" for i in range(40)], fontsize=7)
    block = charts.figure_block(fig)
    width_in, height_in = _png_inches(block.png)
    assert width_in * 25.4 <= 156 and height_in * 25.4 <= 200 + 1
    assert min(_sizes(fig)) >= 9


def test_every_report_chart_has_no_word_under_9pt():
    from fupin_lib.assessment import score_charts  # noqa: F401  (its charts use the same figure_block)

    table = pd.DataFrame(
        {"党政干部": [3, 1, 8], "专业技术人才": [14, 8, 29], "每万元惠及人数": [1.6, 1.03, 0.86]},
        index=["察右前旗", "正镶白旗", "合计"],
    )
    canteen = pd.DataFrame(
        {"unit": ["区科委机关食堂", "采育镇工会"], "ratio": [0.185, 0.372], "below_target": [True, False]}
    )
    amounts = pd.DataFrame({"金额（万元）": [352.64, 145.03]}, index=["京东", "展销会"])
    for fig in (
        charts.cadres_by_county(table, "干部"),
        charts.benefit_ratio(table, "惠及"),
        charts.canteen_ratios(canteen, 0.3, "采购"),
        charts.amount_by(amounts, "渠道"),
    ):
        block = charts.figure_block(fig)
        assert min(_sizes(fig)) >= 9, block.caption
        assert _png_inches(block.png)[0] * 25.4 <= 156, block.caption


def test_a_canteen_below_the_target_is_said_right_of_the_target_line():
    """The 30% line and the words "18.5%（未达标）" never cross: the words start at the line."""
    canteen = pd.DataFrame(
        {"unit": ["区科委机关食堂", "采育镇工会"], "ratio": [0.185, 0.372], "below_target": [True, False]}
    )
    fig = charts.canteen_ratios(canteen, 0.3, "采购")
    said = {t.get_text().strip(): t.get_position()[0] for t in fig.axes[0].texts}
    assert said["18.5%（未达标）"] == 30  # at the target line, not at the bar's end (18.5)
    assert said["37.2%"] == 37.2


def test_a_targets_chart_with_every_status_and_long_names_fits_the_text_width():
    """Six statuses in the legend beside 18-character target names: still within 156 mm (a legend
    in one row of six ran past the chart, and the half-year report printed it shrunk)."""
    n, statuses = 30, ["已完成", "进度正常", "未到期", "落后", "待核", "无数据"]
    progress = pd.DataFrame(
        {
            "目标": ["区委区政府主要领导赴结对地区调研对接"] * n,
            "范围": ["苏尼特右旗"] * n,
            "完成比例": [0.5] * n,
            "应完成比例": [0.5] * n,
            "状态": (statuses * 5)[:n],
            "判断方式": ["按进度"] * n,
        }
    )
    block = charts.figure_block(charts.target_progress(progress, "图"))
    assert _png_inches(block.png)[0] * 25.4 <= 156


def test_target_bullets_draw_share_reached_against_share_due_and_the_target():
    """Worked by hand from the 2020Q2 sample's labour targets: 652 of 1,500 posts pushed is 43.5%
    against 50% due (落后); 49 of 2 exhibitions is 2,450%, drawn to 150% and said in figures;
    a target whose ledger was not sent has no bar, never 0."""
    progress = pd.DataFrame(
        {
            "目标": ["推送就业岗位信息", "会同受援地组织展销活动", "促进残疾人就业", "东西部扶贫协作携手奔小康资金"],
            "范围": ["察右前旗", "全区", "全区", "全区"],
            "目标值": [1500.0, 2.0, 35.0, 7600.0],
            "单位": ["个", "次", "人", "万元"],
            "完成值": [652.0, 49.0, None, 7986.48],
            "完成比例": [652 / 1500, 24.5, None, 7986.48 / 7600],
            "应完成比例": [0.5, 0.5, 0.5, 1.0],
            "状态": ["落后", "已完成", "无数据", "已完成"],
        }
    )
    fig = charts.target_bullets(progress, "目标")
    ax = fig.axes[0]
    bars = [(round(p.get_y() + p.get_height() / 2), round(p.get_width(), 1), p.get_height()) for p in ax.patches]
    measures = {y: w for y, w, h in bars if h < 0.5}  # the narrow bars (drawn bottom-up: row 3 is the first target)
    dues = {y: w for y, w, h in bars if h >= 0.5 and w != 100}
    assert measures == {3: 43.5, 2: 150.0, 1: 0.0, 0: 105.1}
    assert dues == {3: 50.0, 2: 50.0, 1: 50.0}  # and the money target due in full: its band is the target's
    words = charts.figure_text(fig)
    assert "652/1,500个　落后" in words and "49/2次　已完成" in words and "7,986.48/7,600.00万元　已完成" in words
    assert "无数据" in words and "0/35人" not in words and "/35人" not in words
    assert min(_sizes(fig)) >= 9
    assert _png_inches(charts.figure_block(fig).png)[0] * 25.4 <= 156


def _overlapping_words(fig) -> list[tuple[str, str]]:
    """Pairs of words of a chart whose boxes overlap as drawn (the legend's words included)."""
    from matplotlib.text import Text

    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    words = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in words]
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b) and box_a.intersection(box_a, box_b).width > 1
    ]


def test_the_pace_line_is_named_in_the_legend_where_no_word_runs_into_it():
    """The brief's chart of 2020Q2 as printed: four one-off targets not yet due (0%) and the
    canteen target due in full, so the pace line stands at 100%. Its name stood at the line's top,
    into the legend's 落后 (seen on page 4 of the brief): now the legend names it, and no two words of
    the chart overlap."""
    progress = pd.DataFrame(
        {
            "目标": ["区委区政府主要领导赴结对地区调研对接"] * 4 + ["预算单位食堂和工会采购扶贫产品比例"],
            "范围": ["正镶白旗", "苏尼特右旗", "和田县", "224团", "每个预算单位"],
            "完成比例": [0.0, 0.0, 0.0, 0.0, 0.9],
            "应完成比例": [0.0, 0.0, 0.0, 0.0, 1.0],
            "状态": ["未到期"] * 4 + ["落后"],
            "判断方式": ["按期限"] * 4 + ["按进度"],
        }
    )
    fig = charts.target_progress(progress, "图", width=5.8, fontsize=charts.PRINT_PT)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "应完成 100%" in legend  # the canteen target: all of it due at every date
    assert _overlapping_words(fig) == []


def test_targets_due_by_different_shares_each_get_their_own_mark():
    """The brief's chart of 2020Q2: 推送就业岗位信息 half due at mid-year (50%) and the canteen
    ratio due in full all year (100%, 72 of 80 units reached: 90%, 落后). One line at 50% made the
    canteen's 90% bar look ahead; each bar now carries its own dashed mark at its share due, and the
    legend says 应完成（各目标）. Targets judged by their deadline (未到期) get none: their status is
    said in words."""
    from matplotlib.collections import LineCollection

    progress = pd.DataFrame(
        {
            "目标": [
                "预算单位食堂和工会采购扶贫产品比例",
                "推送就业岗位信息",
                "推送就业岗位信息",
                "结对双方高层联席会",
            ],
            "范围": ["每个预算单位", "苏尼特右旗", "正镶白旗", "和田县"],
            "完成比例": [0.9, 0.412, 0.428, 0.0],
            "应完成比例": [1.0, 0.5, 0.5, 0.0],
            "状态": ["落后", "落后", "落后", "未到期"],
            "判断方式": ["按进度", "按进度", "按进度", "按期限"],
        }
    )
    fig = charts.target_progress(progress, "图", width=5.8, fontsize=charts.PRINT_PT)
    marks = [
        (round(float(seg[0][0]), 3), round(float(seg[0][1] + seg[1][1]) / 2, 3))
        for c in fig.axes[0].collections
        if isinstance(c, LineCollection)
        for seg in c.get_segments()
    ]
    # bars are drawn bottom-up: y = 3 the canteen, 2 and 1 the job postings, 0 the meeting (none)
    assert sorted(marks) == [(50.0, 1.0), (50.0, 2.0), (100.0, 3.0)]
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "应完成（各目标）" in legend and not any(t.startswith("应完成 ") for t in legend)
    assert _overlapping_words(fig) == []
    # each 落后 is said after its bar's mark, not across it (the bars end at 41.2%, 42.8% and 90%)
    said = sorted(round(t.get_position()[0], 3) for t in fig.axes[0].texts if t.get_text() == " 落后")
    assert said == [50.0, 50.0, 100.0]
