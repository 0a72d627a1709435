"""Progress against the year's work plan's quantified targets (reference/plans/<year>/targets.csv,
plan section 二). A year without a plan has no targets: progress is an empty table.

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
    """(target, scope) -> the year-to-date figure, for every target the plans know. Each figure
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


# The ledgers each target's figure comes from: a target none of whose ledgers was handed in has
# no figure (无数据), never 0 and never 已完成.
SOURCES = {
    "meetings_total": ("meetings",), "meetings_standing_committee": ("meetings",),
    "meetings_government_executive": ("meetings",), "meetings_other": ("meetings",),
    "leader_visits": ("visits",), "joint_meetings": ("meetings",),
    "dispatched_total": ("cadres",), "party_cadres": ("cadres",), "professionals": ("cadres",),
    "trained_cadres": ("trainings",), "funds_wan": ("funds",), "enterprises": ("enterprises",),
    "job_fairs": ("job_fairs",), "job_postings": ("job_postings",), "disabled_employed": ("employed",),
    "employed_in_beijing": ("employed",), "sales_exhibitions": ("consumption",),
    "canteen_purchase_ratio": ("canteen",),
    **{key: ("pairings",) for key in ("towns_paired", "townships_covered", "villages_paired", "poor_villages_covered",
                                      "schools_paired", "schools_covered", "schools_new", "hospitals_paired",
                                      "hospitals_covered", "enterprises_pairing", "enterprise_villages_covered")},
}
NO_DATA = "无数据"


def target_label(goal: str, scope: str) -> str:
    """A target as a reader names it: its scope added unless it is the district or already said
    (其中党政干部（内蒙古）, not 其中党政干部（内蒙古）（内蒙古）)."""
    return goal if scope in ("全区", "") or scope in goal else f"{goal}（{scope}）"


def target_value(target: str, year: int, scope: str = "全区") -> float | None:
    """A plan target's minimum, e.g. target_value("funds_wan", 2020) -> 7600; None when the year
    has no plan or the plan no such target."""
    plan = refdata.plan(year)
    if plan is None:
        return None
    t = plan.targets()
    rows = t.loc[(t["target"] == target) & (t["scope"] == scope), "minimum"]
    return float(rows.iloc[0]) if len(rows) else None


COLUMNS = ["计划条目", "目标", "范围", "目标值", "单位", "完成值", "完成比例", "应完成比例", "状态", "落后", "责任部门"]


def due_share(due: str, period: Period) -> float:
    """Share of a target due by the period's end: linear by quarter within the year."""
    deadline = parse_period(due)
    if period.end >= deadline.end:
        return 1.0
    return min(1.0, period.elapsed_share / parse_period(due).elapsed_share) if "Q" in due else period.elapsed_share


def progress(tables: dict[str, pd.DataFrame], period: Period, supplied: set[str] | None = None) -> pd.DataFrame:
    """Every target of the period's year's plan with its figure, share reached, pace and status
    at the period's end (已完成, 进度正常, 落后, or 无数据 when the target's ledgers were not handed
    in: `supplied`, IngestResult.supplied; every ledger counts as sent when it is None).

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> prog = progress(t, p)
        >>> len(prog), prog["状态"].value_counts().to_dict()
        (43, {'进度正常': 18, '落后': 14, '已完成': 11})
    """
    plan = refdata.plan(period.year)
    if plan is None:
        return pd.DataFrame(columns=COLUMNS)
    got = actuals(tables, period)
    sections = plan.sections().set_index("section")
    rows = []
    canteen_units = len(consumption.canteen_ratios(tables["canteen"], period))
    for t in plan.targets().itertuples():
        actual = got.get((t.target, t.scope))
        if t.target == "canteen_purchase_ratio":
            target, unit, scope = float(canteen_units), "个单位", f"达到{t.minimum:.0%}的单位"
        else:
            target, unit, scope = t.minimum, t.unit, t.scope
        # Every unit must reach the ratio at all times: no pace, any unit below is behind.
        due = 1.0 if t.target == "canteen_purchase_ratio" else due_share(t.due, period)
        expected = target * due
        no_data = (actual is None or (supplied is not None and not set(SOURCES.get(t.target, ())) & supplied)
                   or (t.target == "canteen_purchase_ratio" and not canteen_units))
        if no_data:
            actual, share, status = None, None, NO_DATA
        else:
            share = actual / target if target else None
            status = "已完成" if actual >= target else "进度正常" if actual >= expected - 1e-9 else "落后"
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
        lambda g: "；".join(target_label(t, s) for t, s in zip(g["目标"], g["范围"])),
        include_groups=False,
    )
    table["落后的目标"] = behind.reindex(table.index).fillna("")
    return table.sort_values(["落后", "目标数"], ascending=[False, False])
