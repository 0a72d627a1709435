"""Progress against the 2020 work plan's quantified targets (targets_2020.csv, plan section 二).

For each target: the year-to-date figure, the share reached, and whether it is on pace at the
period's end. Pace is linear by quarter (at 2020Q2 half of a yearly target is due); a target due
by a quarter (funds: 2020Q1) is fully due from that quarter's end. The canteen target is a
ratio every unit must reach, not a sum: its figure is the number of units reaching 30%.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..periods import Period, parse_period
from . import cadres, consumption, governance, labour, pairing
from .registry import compute_metrics

# Targets that are metric keys of the registry (metrics.csv): target -> (scope, key).
FROM_METRICS = {
    "trained_cadres": ("全区", "cadres_trained"),
    "funds_wan": ("全区", "extra_funds_wan"),
    "enterprises": ("全区", "enterprises_invested"),
    "job_fairs": ("内蒙古", "job_fairs_im"),
}


def actuals(tables: dict[str, pd.DataFrame], period: Period) -> dict[tuple[str, str], float]:
    """(target, scope) -> the year-to-date figure, for every row of targets_2020.csv. Each figure
    comes from its domain module (or the metric registry); nothing is computed here."""
    t = tables
    out: dict[tuple[str, str], float] = {}
    m = compute_metrics(t, period)
    out.update({(target, scope): m[key] for target, (scope, key) in FROM_METRICS.items()})
    meetings = governance.plan_meetings(t["meetings"], period)
    out.update({(f"meetings_{kind}", "全区"): n for kind, n in meetings.items()})
    visits = governance.by_area(t["visits"], period, top_leader=True)
    joint = governance.by_area(t["meetings"], period, kind="高层联席会")
    postings = labour.job_postings_by_area(t["job_postings"], period)
    for area in refdata.area_names():
        out[("leader_visits", area)], out[("joint_meetings", area)] = visits[area], joint[area]
        out[("job_postings", area)] = postings[area]
    out.update(cadres.dispatched_by_scope(t["cadres"], period))
    employed = labour.employed(t["employed"], period)
    out.update({("disabled_employed", scope): n
                for scope, n in labour.distinct_by_region(labour.disabled_employed(employed)).items()})
    out[("employed_in_beijing", "内蒙古")] = labour.distinct_by_region(labour.poor_employed_in_beijing(employed))["内蒙古"]
    out[("sales_exhibitions", "全区")] = consumption.sales_exhibitions(t["consumption"], period)
    out[("canteen_purchase_ratio", "每个预算单位")] = consumption.units_reaching_target(t["canteen"], period)
    out.update({(target, "全区"): n for target, n in pairing.plan_figures(t["pairings"], period).items()})
    return {k: float(v) for k, v in out.items()}


def target_value(target: str, scope: str = "全区") -> float:
    """A plan target's minimum (targets_2020.csv), e.g. target_value("funds_wan") -> 7600."""
    t = refdata.targets_2020()
    return float(t.loc[(t["target"] == target) & (t["scope"] == scope), "minimum"].iloc[0])


def due_share(due: str, period: Period) -> float:
    """Share of a target due by the period's end: linear by quarter within the year."""
    deadline = parse_period(due)
    if period.end >= deadline.end:
        return 1.0
    return min(1.0, period.elapsed_share / parse_period(due).elapsed_share) if "Q" in due else period.elapsed_share


def progress(tables: dict[str, pd.DataFrame], period: Period) -> pd.DataFrame:
    """Every 2020 target with its figure, share reached, pace and status (已完成 / 进度正常 /
    落后) at the period's end.

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> prog = progress(t, p)
        >>> len(prog), prog["状态"].value_counts().to_dict()
        (43, {'进度正常': 18, '落后': 14, '已完成': 11})
    """
    got = actuals(tables, period)
    sections = refdata.plan_sections().set_index("section")
    rows = []
    canteen_units = len(consumption.canteen_ratios(tables["canteen"], period))
    for t in refdata.targets_2020().itertuples():
        actual = got[(t.target, t.scope)]
        if t.target == "canteen_purchase_ratio":
            target, unit, scope = float(canteen_units), "个单位", "达到30%的单位"
        else:
            target, unit, scope = t.minimum, t.unit, t.scope
        share = actual / target if target else None
        # Every unit must reach the ratio at all times: no pace, any unit below is behind.
        due = 1.0 if t.target == "canteen_purchase_ratio" else due_share(t.due, period)
        expected = target * due
        if actual >= target:
            status = "已完成"
        elif actual >= expected - 1e-9:
            status = "进度正常"
        else:
            status = "落后"
        rows.append({
            "计划条目": t.source_section, "目标": t.label_zh, "范围": scope, "目标值": target, "单位": unit,
            "完成值": actual, "完成比例": share, "应完成比例": due, "状态": status,
            "落后": max(0.0, expected - actual) if status == "落后" else 0.0,
            "责任部门": "、".join(sections.loc[t.source_section, "departments"].split("|")),
        })
    return pd.DataFrame(rows)


def by_department(progress_table: pd.DataFrame) -> pd.DataFrame:
    """Per responsible department: its targets, how many are done, on pace and behind."""
    rows = progress_table.assign(部门=progress_table["责任部门"].str.split("、")).explode("部门")
    table = rows.groupby("部门").agg(
        目标数=("目标", "size"),
        已完成=("状态", lambda s: int((s == "已完成").sum())),
        进度正常=("状态", lambda s: int((s == "进度正常").sum())),
        落后=("状态", lambda s: int((s == "落后").sum())),
    )
    behind = rows[rows["状态"] == "落后"].groupby("部门").apply(
        lambda g: "；".join(f"{t}（{s}）" if s not in ("全区",) else t for t, s in zip(g["目标"], g["范围"])),
        include_groups=False,
    )
    table["落后的目标"] = behind.reindex(table.index).fillna("")
    return table.sort_values(["落后", "目标数"], ascending=[False, False])
