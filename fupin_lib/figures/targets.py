"""Progress against the 2020 work plan's quantified targets (targets_2020.csv, plan section 二).

For each target: the year-to-date figure, the share reached, and whether it is on pace at the
period's end. Pace is linear by quarter (at 2020Q2 half of a yearly target is due); a target due
by a quarter (funds: 2020Q1) is fully due from that quarter's end. The canteen target is a
ratio every unit must reach, not a sum: its figure is the number of units reaching 30%.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata

from . import cadres, consumption, labour as labor
from .registry import compute_metrics
from ..periods import Period, parse_period

OTHER_MEETINGS = ("全区大会", "主管领导推进会", "主管部门调度会", "其他")


def _by_region(values: pd.Series, areas: pd.Series) -> dict[str, int]:
    """Distinct values overall and per region (内蒙古 / 新疆)."""
    region = areas.map(refdata.region_of)
    return {"全区": values.nunique(), "内蒙古": values[region == "内蒙古"].nunique(),
            "新疆": values[region == "新疆"].nunique()}


def actuals(tables: dict[str, pd.DataFrame], period: Period) -> dict[tuple[str, str], float]:
    """(target, scope) -> the year-to-date figure, for every row of targets_2020.csv."""
    t, m = tables, compute_metrics(tables, period)
    out: dict[tuple[str, str], float] = {}
    meetings = t["meetings"][period.mask(t["meetings"]["date"])]
    kinds = meetings["kind"].value_counts()
    out[("meetings_standing_committee", "全区")] = kinds.get("区委常委会", 0)
    out[("meetings_government_executive", "全区")] = kinds.get("区政府常务会", 0)
    out[("meetings_other", "全区")] = int(meetings["kind"].isin(OTHER_MEETINGS).sum())
    out[("meetings_total", "全区")] = sum(out[(k, "全区")] for k in
                                          ("meetings_standing_committee", "meetings_government_executive", "meetings_other"))
    visits = t["visits"][period.mask(t["visits"]["date"]) & t["visits"]["top_leader"].eq(True)]
    joint = meetings[meetings["kind"] == "高层联席会"]
    postings = labor.job_postings_by_area(t["job_postings"], period)
    for area in refdata.area_names():
        out[("leader_visits", area)] = int((visits["area"] == area).sum())
        out[("joint_meetings", area)] = int((joint["area"] == area).sum())
        out[("job_postings", area)] = int(postings[area])
    progress = cadres.target_progress(t["cadres"], period)
    names = {"选派党政干部和专业技术人才": "dispatched_total", "其中专业技术人才": "professionals"}
    for row in progress.itertuples():
        out[(names.get(row.目标, "party_cadres"), row.范围)] = row.完成值
    out[("trained_cadres", "全区")] = m["cadres_trained"]
    out[("funds_wan", "全区")] = m["extra_funds_wan"]
    out[("enterprises", "全区")] = m["enterprises_invested"]
    out[("job_fairs", "内蒙古")] = m["job_fairs_im"]
    emp = t["employed"][period.mask(t["employed"]["employed_date"])]
    disabled = emp[emp["disabled"].eq(True)]
    for scope, n in _by_region(disabled["id_number"], disabled["area"]).items():
        out[("disabled_employed", scope)] = n
    in_beijing = emp[(emp["place"] == "在京") & emp["registered_poor"].eq(True)]
    out[("employed_in_beijing", "内蒙古")] = _by_region(in_beijing["id_number"], in_beijing["area"])["内蒙古"]
    fairs = t["consumption"][period.mask(t["consumption"]["date"]) & (t["consumption"]["channel"] == "展销会")]
    out[("sales_exhibitions", "全区")] = int(fairs["date"].nunique())
    ratios = consumption.canteen_ratios(t["canteen"], period)
    out[("canteen_purchase_ratio", "每个预算单位")] = int((ratios["ratio"].notna() & ~ratios["below_target"]).sum())
    p = t["pairings"][t["pairings"]["signed_date"] <= period.end]

    def distinct(col: str, **where: object) -> int:
        sel = p
        for c, v in where.items():
            sel = sel[sel[c] == v]
        return int(sel[col].nunique())

    out[("towns_paired", "全区")] = distinct("beijing_unit", beijing_type="镇街")
    out[("townships_covered", "全区")] = distinct("township", beijing_type="镇街")
    out[("villages_paired", "全区")] = distinct("beijing_unit", beijing_type="村社区")
    out[("poor_villages_covered", "全区")] = distinct("partner_unit", beijing_type="村社区", partner_type="村")
    out[("schools_paired", "全区")] = distinct("beijing_unit", beijing_type="学校")
    out[("schools_covered", "全区")] = distinct("partner_unit", partner_type="学校")
    out[("schools_new", "全区")] = int(p.loc[(p["beijing_type"] == "学校") & p["is_new"].eq(True), "beijing_unit"].nunique())
    out[("hospitals_paired", "全区")] = distinct("beijing_unit", beijing_type="医院")
    out[("hospitals_covered", "全区")] = distinct("partner_unit", partner_type="医院")
    out[("enterprises_pairing", "全区")] = distinct("beijing_unit", beijing_type="企业")
    out[("enterprise_villages_covered", "全区")] = distinct("partner_unit", beijing_type="企业", partner_type="村")
    return {k: float(v) for k, v in out.items()}


def due_share(due: str, period: Period) -> float:
    """Share of a target due by the period's end: linear by quarter within the year."""
    deadline = parse_period(due)
    if period.end >= deadline.end:
        return 1.0
    return min(1.0, period.elapsed_share / parse_period(due).elapsed_share) if "Q" in due else period.elapsed_share


def progress(tables: dict[str, pd.DataFrame], period: Period) -> pd.DataFrame:
    """Every 2020 target with its figure, share reached, pace and status at the period's end."""
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
