"""The brief (简报) of a period: two to four A4 pages for leaders, as PDF and Word.

The 简报's masthead (期号, 编发单位, 印发日期, 数据来源); the 核心摘要 that decides the meeting
(notebook_api.core_summary: the share of the year's targets reached, the estimated score and rank
under both banding readings, the three largest risks with their owning departments, what is
未报送 or 待核); the headline figures with the change since the previous period; the plan's
targets at a glance (one row per plan section); the plan sections most behind, each with its
targets short of pace, and a chart of them; the 版记. Every figure comes from figures/ and the
assessment through the notebook API (reports.notebook_api), as in the full reports, which stay as annexes.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..figures import targets
from ..periods import Period, parse_period
from ..render import charts, house_style
from . import notebook_api
from ..render.document import NOT_APPLICABLE, Document, Heading, Paragraph

STATUSES = (
    targets.DONE,
    targets.ON_PACE,
    targets.NOT_DUE,
    targets.BEHIND,
    targets.OVERDUE,
    targets.PENDING,
    targets.NO_DATA,
)
ALWAYS_SHOWN = (targets.DONE, targets.BEHIND)
# The brief's charts: drawn 5.6 x 2.1 inches and shown 12 cm wide, so that their words print at
# about 7 pt (the reports' 7.5-inch charts shrunk to this width would print theirs at 5 pt).
CHART = (5.6, 2.1)
CHART_CM = 12
CHART_TARGETS = 8
CHART_IN = 5.8  # the brief's chart of the targets behind, as wide as it prints (14.7 cm)


ISSUER = "大兴区经济协作办"  # the 简报's 编发单位, as its masthead names it


def issue_number(period: Period) -> str:
    """The 简报's 期号: one issue a quarter (2020年第2期 for 2020Q2), the half-year and year-end
    briefs as special issues (专刊)."""
    code = period.code
    if "Q" in code:
        return f"{period.year}年第{code[-1]}期"
    return (
        f"{period.year}年{'上半年' if code.endswith('H1') else '全年'}专刊"
        if "H" in code
        else f"{period.year}年全年专刊"
    )


def previous(period: Period) -> Period | None:
    """The period before, within the same year (year-to-date figures restart each January)."""
    code = period.code
    if code.endswith(("Q2", "Q3", "Q4")):
        return parse_period(f"{period.year}Q{int(code[-1]) - 1}")
    if code.endswith("H2"):
        return parse_period(f"{period.year}H1")
    return None


def change_text(delta: float, label: str) -> str:
    """A change as Chinese official text says it: 增加23, 减少1,141.45, 下降1.3个百分点, 持平 (never
    "+23" or "-1.3 个百分点")."""
    if "比例" in label:
        points = round(delta * 100, 1)
        return "持平" if points == 0 else f"{'提高' if points > 0 else '下降'}{abs(points):.1f}个百分点"
    shown = f"{abs(delta):,.2f}" if "万元" in label else f"{abs(delta):,.0f}"
    if not any(c in "123456789" for c in shown):
        return "持平"
    return f"{'增加' if delta > 0 else '减少'}{shown}"


def headline_with_change(data: notebook_api.PeriodData) -> pd.DataFrame:
    now = notebook_api.key_figures(data).iloc[:, 0]
    before_period = previous(data.period)
    rows = []
    label_now, label_before = f"截至{data.period.end.month}月底", None
    if before_period is not None:
        before_data = notebook_api.PeriodData(before_period, data.district, data.raw_dir, data.result, data.hashes)
        before = notebook_api.key_figures(before_data).iloc[:, 0]
        label_before = f"截至{before_period.end.month}月底"
    for label, value in now.items():
        row = {"指标": label, label_now: value}
        if before_period is not None:
            old = before[label]
            row[label_before] = old
            if isinstance(value, str) or isinstance(old, str) or value is None or old is None:
                row["变化"] = NOT_APPLICABLE
            else:
                row["变化"] = change_text(value - old, label)
        rows.append(row)
    table = pd.DataFrame(rows)
    for col in [c for c in table.columns if c.startswith("截至")]:
        table[col] = [
            v
            if isinstance(v, str)
            else notebook_api._fmt(v, "pct" if "比例" in k else "money" if "万元" in k else "int")
            for k, v in zip(table["指标"], table[col])
        ]
    return table


def targets_at_a_glance(data: notebook_api.PeriodData) -> pd.DataFrame:
    """One row per plan section: how many of its targets are done, on pace, behind, without data."""
    prog = notebook_api.plan_progress(data)
    titles = refdata.plan(data.period.year).sections().set_index("section")["title"]
    prog = prog.assign(计划标题=prog["计划条目"].map(titles))
    sections = prog.groupby("计划条目", sort=False)
    rows = []
    for section, group in sections:
        counts = group["状态"].value_counts()
        title = group["计划标题"].iloc[0] if "计划标题" in group else ""
        rows.append(
            {
                "计划条目": f"{section} {title}".strip(),
                "目标数": len(group),
                **{s: int(counts.get(s, 0)) for s in STATUSES},
            }
        )
    table = pd.DataFrame(rows)
    total = {"计划条目": "合计", "目标数": int(table["目标数"].sum()), **{s: int(table[s].sum()) for s in STATUSES}}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    return table[[c for c in table.columns if c not in STATUSES or c in ALWAYS_SHOWN or total[c]]]


def sections_behind(data: notebook_api.PeriodData, limit: int = 3) -> list[tuple[str, pd.DataFrame]]:
    """The plan sections most behind: those with the most targets 落后 or 逾期未完成 first, then
    those with the most targets 待核, then those with the most one-off targets not yet due and not
    done (short of linear pace, targets.pace_gap), then the larger gap; [(section, its targets,
    with _gap, _behind (落后 or 逾期未完成, short of what was due) and _short (any of the three)
    columns)]. A section whose targets are only not yet due comes after every section with a
    target behind: a leader reads 进度最落后 as behind, not as not yet done."""
    if not notebook_api.has_targets(data):
        return []
    prog = notebook_api.plan_progress(data)
    gaps = [targets.pace_gap(row, data.period) for _, row in prog.iterrows()]
    behind = [g > 0 and st in targets.BEHIND_STATUSES for g, st in zip(gaps, prog["状态"])]
    prog = prog.assign(
        _gap=gaps,
        _behind=behind,
        _short=[g > 0 or st == targets.PENDING for g, st in zip(gaps, prog["状态"])],
    )
    ranked = []
    for section, group in prog.groupby("计划条目", sort=False):
        if group["_short"].any():
            pending = int((group["状态"] == targets.PENDING).sum())
            not_due = int(((group["_gap"] > 0) & ~group["_behind"]).sum())
            key = (-int(group["_behind"].sum()), -pending, -not_due, -float(group["_gap"].sum()))
            ranked.append((key, section, group))
    return [(section, group) for _key, section, group in sorted(ranked, key=lambda r: r[0])[:limit]]


def _analyses(data: notebook_api.PeriodData) -> list:
    """One analysis per plan section most behind: what is short, who owns it, its targets."""
    p, blocks = data.period, []
    titles = refdata.plan(p.year).sections().set_index("section")["title"] if notebook_api.has_targets(data) else {}
    chosen = sections_behind(data)
    if not chosen:
        return [
            Paragraph(
                "各部分目标均已完成或进度正常。"
                if notebook_api.has_targets(data)
                else f"{p.year}年尚无工作计划，不评价目标进度。"
            )
        ]
    for section, group in chosen:
        counts = group["状态"].value_counts()
        short = [
            f"{s}{int(counts[s])}项"
            for s in (targets.BEHIND, targets.OVERDUE, targets.NOT_DUE, targets.PENDING, targets.NO_DATA)
            if counts.get(s)
        ]
        keys = refdata.plan(p.year).targets()["target"].iloc[group.index]
        owners = list(dict.fromkeys(d for key in keys for d in targets.owners(key, p.year)))
        # the targets short of pace (those 待核 are counted in the sentence), else those 待核
        behind = group[group["_gap"] > 0] if (group["_gap"] > 0).any() else group[group["_short"]]
        # targets only not yet due are not done, not behind: the caption says which
        what = (
            "未达进度"
            if behind["_behind"].any() or (behind["状态"] == targets.PENDING).any()
            else "尚未完成（期限未到）"
        )
        table = notebook_api.targets_block(
            behind.drop(columns=["_gap", "_behind", "_short"]),
            caption=f"{titles[section]}{what}的目标（截至{p.end.month}月底）",
        )
        table.frame = table.frame.drop(columns=["计划条目"])  # one section: said in the sentence above
        blocks += [
            Heading(f"{titles[section]}", 2),
            Paragraph(
                f"本部分（工作计划{section}）共{len(group)}项目标，已完成{int(counts.get(targets.DONE, 0))}项，"
                + "，".join(short)
                + "。"
                + (f"责任部门：{'、'.join(house_style.literal(d) for d in owners)}。" if owners else "")
            ),
            table,
        ]
    # the chart: the targets behind (落后, 逾期未完成) furthest from pace, at most CHART_TARGETS (the
    # tables have them all); none when no target is behind: bars of 0% for targets not yet due, or
    # of the incomplete figures of targets 待核, would show nothing a leader can act on
    short = pd.concat([group[group["_behind"]] for _section, group in chosen])
    if short.empty:
        return blocks
    short = (
        short.sort_values("_gap", ascending=False, kind="stable")
        .head(CHART_TARGETS)
        .drop(columns=["_gap", "_behind", "_short"])
    )
    # drawn at its print size (CHART_IN wide), its words at charts.PRINT_PT
    blocks.append(
        charts.figure_block(
            charts.target_progress(
                short, f"落后于进度的目标完成比例（截至{p.end.month}月底）", width=CHART_IN, fontsize=charts.PRINT_PT
            ),
            width_cm=None,
        )
    )
    return blocks


def brief(data: notebook_api.PeriodData) -> Document:
    """The brief of the period (see the module's docstring)."""
    p = data.period
    title = notebook_api.title_block(data, f"工作简报（{p.label_zh}）")
    masthead = {
        "期号": issue_number(p),
        "编发单位": ISSUER,
        "印发日期": title.masthead["生成日期"],
        **{k: v for k, v in title.masthead.items() if k in ("报告期", "数据来源", "数据修订")},
    }
    doc = Document(
        title=title.title,
        masthead=masthead,
        sample_note=title.sample_note,
        colophon=[
            "报：区委、区政府主要领导",
            f"送：{data.district}东西部扶贫协作工作领导小组各成员单位",
            f"{ISSUER}{'　' * 4}{title.masthead['生成日期']}印发",
        ],
    )
    before = previous(p)
    doc.blocks += [
        Heading("核心摘要"),
        *[Paragraph(line) for line in notebook_api.core_summary(data)],
        Heading("主要数字"),
        notebook_api.table_block(
            headline_with_change(data),
            caption=f"{data.district}东西部扶贫协作主要数字（年初至{p.end.month}月底累计）",
            index=False,
            note="注：“变化”为两期年初至期末累计数之差，与季度报告中只计本期内发生数的“本季度”“本半年”栏口径不同。"
            if before
            else None,
        ),
        Heading("目标进度一览"),
    ]
    if notebook_api.has_targets(data):
        doc.blocks += [
            notebook_api.table_block(
                targets_at_a_glance(data),
                caption=f"{p.year}年工作计划各部分目标进度（{p.label_zh}）",
                index=False,
                note="注：按季度均匀进度判断，一次性或有期限的目标按期限判断；相关台账未报送的目标计为“无数据”，"
                "有部门未报送或数值待核实的未完成目标计为“待核”。",
            )
        ]
    else:
        doc.blocks.append(
            Paragraph(f"{p.year}年尚无工作计划（参考数据中没有 {p.year} 年的量化目标），不评价目标进度。")
        )
    doc.blocks += [Heading("进度最落后的工作"), *_analyses(data)]
    return doc
