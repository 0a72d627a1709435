"""The brief (简报) of a period: two to four A4 pages for leaders, as PDF and Word.

A masthead; the headline figures with the change since the previous period; the plan's targets
at a glance (one row per plan section); the three analyses the office asked for, each with its
table and chart (cadres per paired county, benefit ratios, the canteens' purchase ratio); and
what needs attention (units under the target, lagging targets, departments that did not
report). Every figure comes from figures/ through the toolkit, as in the full reports, which
stay as annexes.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..figures import consumption, funds, targets
from ..periods import Period, parse_period
from . import charts, layout, toolkit, tracker
from .document import NOT_APPLICABLE, Bullets, Document, Heading, Paragraph

STATUSES = (targets.DONE, targets.ON_PACE, targets.NOT_DUE, targets.BEHIND, targets.OVERDUE, targets.PENDING,
            targets.NO_DATA)
ALWAYS_SHOWN = (targets.DONE, targets.BEHIND)
# The brief's charts: drawn 5.6 x 2.1 inches and shown 12 cm wide, so that their words print at
# about 7 pt (the reports' 7.5-inch charts shrunk to this width would print theirs at 5 pt).
CHART = (5.6, 2.1)
CHART_CM = 12


def previous(period: Period) -> Period | None:
    """The period before, within the same year (year-to-date figures restart each January)."""
    code = period.code
    if code.endswith(("Q2", "Q3", "Q4")):
        return parse_period(f"{period.year}Q{int(code[-1]) - 1}")
    if code.endswith("H2"):
        return parse_period(f"{period.year}H1")
    return None


def headline_with_change(data: toolkit.PeriodData) -> pd.DataFrame:
    now = toolkit.key_figures(data).iloc[:, 0]
    before_period = previous(data.period)
    rows = []
    label_now, label_before = f"截至{data.period.end.month}月底", None
    if before_period is not None:
        before_data = toolkit.PeriodData(before_period, data.district, data.raw_dir, data.result, data.hashes)
        before = toolkit.key_figures(before_data).iloc[:, 0]
        label_before = f"截至{before_period.end.month}月底"
    for label, value in now.items():
        row = {"指标": label, label_now: value}
        if before_period is not None:
            old = before[label]
            row[label_before] = old
            if isinstance(value, str) or isinstance(old, str) or value is None or old is None:
                row["变化"] = NOT_APPLICABLE
            elif "比例" in label:
                row["变化"] = f"{(value - old) * 100:+.1f} 个百分点"
            else:
                row["变化"] = f"{value - old:+,.2f}" if "万元" in label else f"{value - old:+,.0f}"
        rows.append(row)
    table = pd.DataFrame(rows)
    for col in [c for c in table.columns if c.startswith("截至")]:
        table[col] = [v if isinstance(v, str) else toolkit._fmt(v, "pct" if "比例" in k else "money" if "万元" in k else "int")
                      for k, v in zip(table["指标"], table[col])]
    return table


def targets_at_a_glance(data: toolkit.PeriodData) -> pd.DataFrame:
    """One row per plan section: how many of its targets are done, on pace, behind, without data."""
    prog = toolkit.plan_progress(data)
    titles = refdata.plan(data.period.year).sections().set_index("section")["title"]
    prog = prog.assign(计划标题=prog["计划条目"].map(titles))
    sections = prog.groupby("计划条目", sort=False)
    rows = []
    for section, group in sections:
        counts = group["状态"].value_counts()
        title = group["计划标题"].iloc[0] if "计划标题" in group else ""
        rows.append({"计划条目": f"{section} {title}".strip(), "目标数": len(group),
                     **{s: int(counts.get(s, 0)) for s in STATUSES}})
    table = pd.DataFrame(rows)
    total = {"计划条目": "合计", "目标数": int(table["目标数"].sum()), **{s: int(table[s].sum()) for s in STATUSES}}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    return table[[c for c in table.columns if c not in STATUSES or c in ALWAYS_SHOWN or total[c]]]


def sections_behind(data: toolkit.PeriodData, limit: int = 3) -> list[tuple[str, pd.DataFrame]]:
    """The plan sections most behind: those with the most targets short of the year's pace
    (targets.pace_gap) or 待核, most first (ties: the larger gap); [(section, its targets)]."""
    if not toolkit.has_targets(data):
        return []
    prog = toolkit.plan_progress(data)
    gaps = [targets.pace_gap(row, data.period) for _, row in prog.iterrows()]
    prog = prog.assign(_gap=gaps, _short=[g > 0 or st == targets.PENDING for g, st in zip(gaps, prog["状态"])])
    ranked = []
    for section, group in prog.groupby("计划条目", sort=False):
        if group["_short"].any():
            ranked.append((-int(group["_short"].sum()), -float(group["_gap"].sum()), section, group))
    return [(section, group) for *_k, section, group in sorted(ranked, key=lambda r: r[:2])[:limit]]


def _analyses(data: toolkit.PeriodData) -> list:
    """One analysis per plan section most behind: what is short, who owns it, its targets."""
    p, blocks = data.period, []
    titles = refdata.plan(p.year).sections().set_index("section")["title"] if toolkit.has_targets(data) else {}
    chosen = sections_behind(data)
    if not chosen:
        return [Paragraph("各部分目标均已完成或进度正常。" if toolkit.has_targets(data)
                          else f"{p.year}年尚无工作计划，不评价目标进度。")]
    for section, group in chosen:
        counts = group["状态"].value_counts()
        short = [f"{s}{int(counts[s])}项" for s in (targets.BEHIND, targets.OVERDUE, targets.NOT_DUE, targets.PENDING,
                                                    targets.NO_DATA) if counts.get(s)]
        keys = refdata.plan(p.year).targets()["target"].iloc[group.index]
        owners = list(dict.fromkeys(d for key in keys for d in targets.owners(key, p.year)))
        blocks += [Heading(f"{titles[section]}", 2),
                   Paragraph(f"本部分（工作计划{section}）共{len(group)}项目标，已完成{int(counts.get(targets.DONE, 0))}项，"
                             + "，".join(short) + "。"
                             + (f"责任部门：{'、'.join(layout.literal(d) for d in owners)}。" if owners else "")),
                   toolkit.targets_block(group[group["_short"]].drop(columns=["_gap", "_short"]),
                                         caption=f"{titles[section]}未达进度的目标（截至{p.end.month}月底）")]
    return blocks


def _attention(data: toolkit.PeriodData) -> list[str]:
    p, items = data.period, []
    if toolkit.sent(data, "canteen"):
        below = consumption.canteen_overall(data.tables["canteen"], p)["units_below_target"]
        target = consumption.target_ratio(p.year)
        if below and target is not None:
            shown = "、".join(layout.literal(u) for u in below[:8]) + (f"等 {len(below)} 个单位" if len(below) > 8 else "")
            items.append(f"扶贫产品采购比例低于 {target:.0%} 的单位：{shown}。")
    if toolkit.has_targets(data):
        prog = toolkit.plan_progress(data)
        behind = prog[prog["状态"].isin(targets.BEHIND_STATUSES)]
        if len(behind):
            scopes = behind.groupby("目标", sort=False)["范围"].agg(lambda s: "、".join(dict.fromkeys(s)))
            names = [targets.target_label(g, s) for g, s in scopes.items()]
            items.append(f"进度落后的目标 {len(behind)} 项：{'；'.join(layout.literal(n) for n in names[:3])}" + ("等" if len(names) > 3 else "") + "。")
        pending = prog[prog["状态"] == targets.PENDING]
        if len(pending):
            names = list(dict.fromkeys(targets.target_label(g, s) for g, s in zip(pending["目标"], pending["范围"])))
            items.append(f"相关部门台账未报齐、暂不能判断进度的目标 {len(pending)} 项：{'；'.join(layout.literal(n) for n in names[:3])}"
                         + ("等" if len(names) > 3 else "") + "，请督促报送。")
        missing = tracker.not_received(tracker.status(data.result, p))
        if len(missing):
            depts = list(dict.fromkeys(missing["部门"]))
            items.append(f"有台账尚未报送的部门 {len(depts)} 个：{'、'.join(layout.literal(d) for d in depts[:8])}" + ("等" if len(depts) > 8 else "")
                         + f"（共 {len(missing)} 项台账）。")
    else:
        items.append(f"{p.year}年尚无工作计划和考核方案，目标进度和催报无从判断，请尽快补充。")
    rejected = int(data.result.summary()["拒绝"].sum())
    if rejected:
        items.append(f"台账中有 {rejected} 行因数据问题未计入，已按部门整理成反馈表，请各部门更正后重新报送。")
    return items or ["无。"]


def brief(data: toolkit.PeriodData) -> Document:
    """The brief of the period (see the module's docstring)."""
    p = data.period
    title = toolkit.title_block(data, f"工作简报（{p.label_zh}）")
    masthead = {k: v for k, v in title.masthead.items() if k in ("编制单位", "报告期", "生成日期", "数据修订")}
    doc = Document(title=title.title, masthead=masthead, sample_note=title.sample_note)
    before = previous(p)
    doc.blocks += [
        Heading("核心摘要"),
        *[Paragraph(line) for line in toolkit.core_summary(data)],
        Heading("主要数字"),
        Paragraph(f"以下为年初至{p.end.month}月底的累计数" + (f"，并与截至{before.end.month}月底比较。" if before else "（年初首期，无上期可比）。")),
        toolkit.table_block(headline_with_change(data), caption=f"{data.district}东西部扶贫协作主要数字（{p.label_zh}）",
                            index=False, note="注：“变化”为两期年初至期末累计数之差，与季度报告中只计本期内发生数的"
                                              "“本季度”“本半年”栏口径不同。" if before else None),
        Heading("目标进度一览"),
    ]
    if toolkit.has_targets(data):
        doc.blocks += [Paragraph(toolkit.targets_summary(toolkit.plan_progress(data))),
                       toolkit.table_block(targets_at_a_glance(data), caption=f"{p.year}年工作计划各部分目标进度（{p.label_zh}）",
                                           index=False, note="注：按季度均匀进度判断，一次性或有期限的目标按期限判断；相关台账未报送的目标计为“无数据”，"
                                                "有部门未报送或数值待核实的未完成目标计为“待核”。")]
    else:
        doc.blocks.append(Paragraph(f"{p.year}年尚无工作计划（参考数据中没有 {p.year} 年的量化目标），不评价目标进度。"))
    doc.blocks += [Heading("进度最落后的工作"), *_analyses(data), Heading("需要关注的事项"), Bullets(_attention(data)),
                   Paragraph("详细情况见同期的季度（半年）报告、考核得分测算和进展情况表。")]
    return doc
