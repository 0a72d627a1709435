"""The year-end report (2020H2) read as a 全年总结: the whole year (2020年全年), each annual target
完成 or 未完成 (never 进度正常 or 落后 once the year is over; 待核 and 无数据 where the data are not
complete), the unmet targets with the departments that own them, and the year compared with the
previous one (figures/previous_year.py: 无数据 when nobody has that year's figures).

What the half_year_report notebook calls for an H2 period; figures come from figures/ only.
"""

from __future__ import annotations

import pandas as pd

from ..figures import previous_year as py
from ..figures import targets
from ..periods import Period
from ..render.blocks import Shown
from ..render.document import Paragraph
from .notebook_api import PeriodData, _fmt, date_range_zh, show, title_block as _title_block

DONE, NOT_DONE = "完成", "未完成"
# The statuses of a target at the year's end on complete data; 待核 and 无数据 stay as they are.
_AT_YEAR_END = {
    targets.DONE: DONE,
    targets.ON_PACE: NOT_DONE,
    targets.BEHIND: NOT_DONE,
    targets.NOT_DUE: NOT_DONE,
    targets.OVERDUE: NOT_DONE,
}
# The figures compared with the previous year (metrics.csv keys), in the report's order.
COMPARED = (
    "extra_funds_wan",
    "people_benefited",
    "people_exited",
    "industry_people_benefited",
    "investment_wan",
    "enterprises_invested",
    "product_sales_wan",
    "donations_wan",
    "cadres_trained",
    "poor_trained",
    "poor_employed",
    "party_cadres_self_selected",
)


def is_annual(period: Period) -> bool:
    """The year-end report: the second half-year, read as the whole year."""
    return period.code.endswith("H2")


def period_label(period: Period) -> str:
    return f"{period.year}年全年"


def title_block(data: PeriodData, title: str):
    """The masthead of the 全年总结: 报告期 2020年全年 (1 January to 31 December)."""
    shown = _title_block(data, title)
    p = data.period
    shown.masthead["报告期"] = f"{period_label(p)}（{date_range_zh(p.ytd_start, p.end)}）"
    return shown


def year_end_progress(data: PeriodData) -> pd.DataFrame:
    """The plan's targets at the year's end, each 完成 or 未完成 (待核, 无数据 kept)."""
    prog = data.progress.copy()
    prog["状态"] = prog["状态"].map(lambda s: _AT_YEAR_END.get(s, s))
    return prog


def targets_summary(prog: pd.DataFrame) -> str:
    counts = prog["状态"].value_counts()
    parts = [f"完成 **{counts.get(DONE, 0)}** 项", f"未完成 **{counts.get(NOT_DONE, 0)}** 项"]
    if counts.get(targets.PENDING):
        parts.append(f"待核 **{counts[targets.PENDING]}** 项（相关部门台账未报齐或数值待核实，暂不判断）")
    if counts.get(targets.NO_DATA):
        parts.append(f"无数据 **{counts[targets.NO_DATA]}** 项（相关台账未报送）")
    return f"共 {len(prog)} 项全年目标：" + "，".join(parts) + "。"


def _figure(value, unit: str):
    return value if isinstance(value, str) or value is None else _fmt(value, "money" if unit == "万元" else "int")


def target_tables(data: PeriodData, caption: str) -> list:
    """The year's targets, 完成 or 未完成, with the departments that own each."""
    from .. import refdata

    p = data.period
    if refdata.plan(p.year) is None:
        return [
            Shown(Paragraph(f"{p.year}年尚无工作计划（参考数据中没有 {p.year} 年的量化目标），本节不评价完成情况。"))
        ]
    prog = year_end_progress(data)
    df = pd.DataFrame(
        {
            "计划条目": prog["计划条目"],
            "目标": [targets.target_label(g, s) for g, s in zip(prog["目标"], prog["范围"])],
            "单位": prog["单位"],
            "全年目标": [_figure(v, u) for v, u in zip(prog["目标值"], prog["单位"])],
            "全年完成": [
                st if st == targets.NO_DATA or (st == targets.PENDING and v is None) else _figure(v, u)
                for v, u, st in zip(prog["完成值"], prog["单位"], prog["状态"])
            ],
            "状态": prog["状态"],
            "责任部门": prog["责任部门"],
        }
    )
    return [Shown(Paragraph(targets_summary(prog))), show(df, caption=caption, index=False)]


def unmet_targets(data: PeriodData) -> list:
    """The targets not met at the year's end, with how much is missing and the departments
    that own them; a sentence when every target judged was met."""
    prog = year_end_progress(data)
    unmet = prog[prog["状态"] == NOT_DONE]
    pending = prog[prog["状态"].isin([targets.PENDING, targets.NO_DATA])]
    out = []
    if unmet.empty:
        out.append(Shown(Paragraph("数据齐全的全年目标均已完成。" if len(prog) else "本年度没有量化目标。")))
    else:
        df = pd.DataFrame(
            {
                "目标": [targets.target_label(g, s) for g, s in zip(unmet["目标"], unmet["范围"])],
                "单位": unmet["单位"],
                "全年目标": [_figure(v, u) for v, u in zip(unmet["目标值"], unmet["单位"])],
                "全年完成": [_figure(v, u) for v, u in zip(unmet["完成值"], unmet["单位"])],
                "差额": [
                    _figure(max(0.0, float(t) - float(a)), u)
                    for t, a, u in zip(unmet["目标值"], unmet["完成值"], unmet["单位"])
                ],
                "责任部门": unmet["责任部门"],
            }
        )
        out.append(show(df, caption=f"{data.period.year}年未完成的目标及责任部门", index=False))
    if len(pending):
        names = [targets.target_label(g, s) for g, s in zip(pending["目标"], pending["范围"])]
        out.append(
            Shown(
                Paragraph(
                    f"另有 {len(pending)} 项目标因数据不全（{'、'.join(names[:4])}"
                    + ("等" if len(names) > 4 else "")
                    + "）暂不能判断是否完成，见上表“待核”“无数据”。"
                )
            )
        )
    return out


def department_table(data: PeriodData) -> Shown:
    """Per owning department: its targets, 完成, 未完成, and which ones are not met."""
    prog = year_end_progress(data)
    rows = prog.assign(部门=prog["责任部门"].str.split("、")).explode("部门")
    table = rows.groupby("部门").agg(
        目标数=("目标", "size"),
        完成=("状态", lambda s: int((s == DONE).sum())),
        未完成=("状态", lambda s: int((s == NOT_DONE).sum())),
        待核或无数据=("状态", lambda s: int(s.isin([targets.PENDING, targets.NO_DATA]).sum())),
    )
    names: dict[str, list[str]] = {}
    for dept, goal, scope, status in zip(rows["部门"], rows["目标"], rows["范围"], rows["状态"]):
        if status == NOT_DONE:
            names.setdefault(dept, []).append(targets.target_label(goal, scope))
    table["未完成的目标"] = ["；".join(names.get(d, [])) for d in table.index]
    return show(table.sort_values(["未完成", "目标数"], ascending=[False, False]), caption="各责任部门全年目标完成情况")


def year_on_year(data: PeriodData) -> tuple[pd.DataFrame, str]:
    """The year's main figures beside the previous year's, with growth (无数据 where the previous
    year is not known); and where the previous year comes from."""
    from ..figures.registry import metrics_document
    from ..refdata import metric_label

    p = data.period
    current = metrics_document(data.tables, p, data.district, supplied=data.result.supplied)["metrics"]
    prev = data.previous
    growth = py.growth_of({k: current.get(k, py.NO_DATA) for k in COMPARED}, prev)
    table = pd.DataFrame(
        {
            f"{p.year}年全年": [current.get(k, py.NO_DATA) for k in COMPARED],
            f"{prev.period.year}年": [prev.of(k) for k in COMPARED],
            "增长": [growth[k] for k in COMPARED],
        },
        index=pd.Index([metric_label(k) for k in COMPARED], name="指标"),
    )
    for col in table.columns[:2]:
        table[col] = [
            v if isinstance(v, str) else _fmt(v, "money" if "万元" in label else "int")
            for v, label in zip(table[col], table.index)
        ]
    table["增长"] = [
        g if isinstance(g, str) else "持平" if round(g, 3) == 0 else f"{'增长' if g > 0 else '下降'}{abs(g):.1%}"
        for g in table["增长"]
    ]
    source = (
        f"上年数字来自{prev.source}。"
        if prev.source
        else f"没有{prev.period.year}年的台账，也没有办公室录入的{prev.period.year}年数据表（放在“上年数据”文件夹中），"
        f"上年一栏写“无数据”（不是0）。"
    )
    return table, source


def show_year_on_year(data: PeriodData) -> Shown:
    table, source = year_on_year(data)
    return show(table, caption=f"{data.period.year}年与上年比较", note=f"注：增长 = 本年 ÷ 上年 − 1。{source}")


def show_key_figures(data: PeriodData) -> Shown:
    """The headline figures of the whole year (全年), beside the second half-year's own (其中下半年)."""
    from .notebook_api import headline_text, key_figure_notes, key_figures

    df = key_figures(data)
    shown = df.copy()
    for label in shown.index:
        shown.loc[label] = [headline_text(label, v) for v in df.loc[label]]
    shown.columns = ["全年", "其中下半年"][: len(shown.columns)]
    notes = ["注：“其中下半年”栏只计7月至12月内发生的数（挂职干部为下半年内任一天在岗的人数），不等于全年减上半年。"]
    partial = key_figure_notes(data)
    if partial:
        notes.append("数据不全：" + "；".join(partial) + "。")
    return show(shown, caption="全年主要指标", note="".join(notes))


def show_funds_statistics(data: PeriodData) -> Shown:
    """The funds statistics table the scheme asks for (item 4.1): 本年度, 上年度, 结对县数, 县均,
    增长率, 投入深度贫困地区 (figures/previous_year.py)."""
    table = py.funds_statistics(data.tables, data.period, data.previous, data.result.supplied)
    shown = table.astype(object)
    for col in shown.columns:
        shown[col] = [
            v
            if isinstance(v, str)
            else (f"{v:+.1%}" if col == "增长率" else _fmt(v, "int" if col == "结对县数" else "money"))
            for v in shown[col]
        ]
    prev = data.previous
    source = (
        f"上年度数字来自{prev.source}。"
        if prev.source and prev.known
        else "上年度数字“无数据”：没有上年的台账或上年数据表。"
    )
    return show(
        shown,
        caption=f"财政援助资金统计表（{data.period.label_zh}，年初至期末累计）",
        note=f"注：本年度为区级财政额外安排资金；县均 = 本年度 ÷ 结对县数；增长率 = 本年度 ÷ 上年度 − 1。{source}",
    )
