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
from . import coverage
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
    out.update(
        {
            ("disabled_employed", scope): n
            for scope, n in labour.distinct_by_region(labour.disabled_employed(employed)).items()
        }
    )
    out[("employed_in_beijing", "内蒙古")] = labour.distinct_by_region(labour.poor_employed_in_beijing(employed))[
        "内蒙古"
    ]
    out[("sales_exhibitions", "全区")] = consumption.sales_exhibitions(t["consumption"], period)
    out[("canteen_purchase_ratio", "每个预算单位")] = consumption.units_reaching_target(t["canteen"], period)
    out.update({(target, "全区"): n for target, n in pairing.plan_figures(t["pairings"], period).items()})
    return {k: float(v) for k, v in out.items()}


NO_DATA = "无数据"
DONE, ON_PACE, BEHIND, PENDING = "已完成", "进度正常", "落后", coverage.PENDING
NOT_DUE, OVERDUE = "未到期", "逾期未完成"
# The statuses that say a target is behind: only ever on complete data.
BEHIND_STATUSES = (BEHIND, OVERDUE)


def target_sources(target: str) -> tuple[str, ...]:
    """The sources a target's figure comes from (reference/figures.yml `targets`)."""
    return refdata.sources_of("targets", target)


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


COLUMNS = [
    "计划条目",
    "目标",
    "范围",
    "目标值",
    "单位",
    "完成值",
    "完成比例",
    "应完成比例",
    "状态",
    "落后",
    "责任部门",
    "判断方式",
    "说明",
]
BY_PACE, BY_DUE = "按进度", "按期限"


def due_share(due: str, period: Period) -> float:
    """Share of a target due by the period's end: linear by quarter within the year."""
    deadline = parse_period(due)
    if period.end >= deadline.end:
        return 1.0
    return min(1.0, period.elapsed_share / parse_period(due).elapsed_share) if "Q" in due else period.elapsed_share


def _judged(row) -> str:
    """按期限 for a one-off or dated target (one visit within the year, funds by 2020Q1), judged
    at its due date; 按进度 for one reached step by step (linear by quarter)."""
    judged = str(getattr(row, "judged", "") or "").strip()
    return BY_DUE if judged == "due" or (not judged and "Q" in str(row.due)) else BY_PACE


def status_of(actual: float, target: float, expected: float, judged: str, due_passed: bool) -> str:
    """The status of a target with complete data."""
    if actual >= target - 1e-9:
        return DONE
    if judged == BY_DUE:
        return OVERDUE if due_passed else NOT_DUE
    return ON_PACE if actual >= expected - 1e-9 else BEHIND


def progress(tables: dict[str, pd.DataFrame], period: Period, supplied: set[str] | None = None) -> pd.DataFrame:
    """Every target of the period's year's plan with its figure, share reached, what is due and
    the status at the period's end: 已完成; 进度正常 or 落后 for a target reached step by step
    (linear by quarter); 未到期 or 逾期未完成 for a one-off or dated target (judged by its due
    date); 无数据 when none of its owing departments sent its ledger; 待核 where it would read 落后
    or 逾期未完成 on incomplete data (an owing department not sent, or a row beyond its bounds).
    `supplied`: IngestResult.supplied (every ledger counts as sent, complete, when None).

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> prog = progress(t, p)
        >>> len(prog), prog["状态"].value_counts().to_dict()
        (43, {'进度正常': 18, '已完成': 11, '未到期': 8, '落后': 6})
    """
    plan = refdata.plan(period.year)
    if plan is None:
        return pd.DataFrame(columns=COLUMNS)
    got = actuals(tables, period)
    known = coverage.Coverages(supplied, period)
    sections = plan.sections().set_index("section")
    rows = []
    canteen_units = len(consumption.canteen_ratios(tables["canteen"], period))
    for t in plan.targets().itertuples():
        actual = got.get((t.target, t.scope))
        if t.target == "canteen_purchase_ratio":
            target, unit, scope = float(canteen_units), "个单位", f"达到{t.minimum:.0%}的单位"
        else:
            target, unit, scope = t.minimum, t.unit, t.scope
        judged = _judged(t)
        deadline = parse_period(str(t.due))
        # Every unit must reach the ratio at all times: no pace, any unit below is behind.
        if t.target == "canteen_purchase_ratio":
            due = 1.0
        elif judged == BY_DUE:
            due = 1.0 if period.end >= deadline.end else 0.0
        else:
            due = due_share(t.due, period)
        expected = target * due
        cover = known.of(target_sources(t.target))
        note = cover.note
        if actual is None or not cover.sent or (t.target == "canteen_purchase_ratio" and not canteen_units):
            actual, share, status = None, None, NO_DATA
        elif cover.pending:  # a row it counts is beyond its bounds: no figure until confirmed
            actual, share, status = None, None, PENDING
        else:
            share = actual / target if target else None
            status = status_of(actual, target, expected, judged, period.end >= deadline.end)
            if status in BEHIND_STATUSES and not cover.complete:
                status = PENDING  # judged only on complete data
        rows.append(
            {
                "计划条目": t.source_section,
                "目标": t.label_zh,
                "范围": scope,
                "目标值": target,
                "单位": unit,
                "完成值": actual,
                "完成比例": share,
                "应完成比例": due,
                "状态": status,
                "落后": max(0.0, expected - actual) if status in BEHIND_STATUSES else 0.0,
                "责任部门": "、".join(
                    dict.fromkeys(
                        refdata.department_name(d) for d in sections.loc[t.source_section, "departments"].split("|")
                    )
                ),
                "判断方式": BY_DUE if t.target != "canteen_purchase_ratio" and judged == BY_DUE else BY_PACE,
                "说明": note,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def reached_text(actual: float, target: float, unit: str) -> str:
    """A target passed, as a reader says it: 超额完成（113 次，目标 2 次）, never 5650.0%."""

    def amount(v: float) -> str:
        return f"{v:,.2f}" if unit == "万元" else f"{v:,.0f}"

    return f"超额完成（{amount(actual)} {unit}，目标 {amount(target)} {unit}）"


def by_department(progress_table: pd.DataFrame) -> pd.DataFrame:
    """Per responsible department: its targets, how many are done, on pace and behind."""
    rows = progress_table.assign(部门=progress_table["责任部门"].str.split("、")).explode("部门")
    table = rows.groupby("部门").agg(
        目标数=("目标", "size"),
        已完成=("状态", lambda s: int((s == "已完成").sum())),
        进度正常=("状态", lambda s: int((s == "进度正常").sum())),
        落后=("状态", lambda s: int(s.isin(BEHIND_STATUSES).sum())),
    )
    # by hand, not groupby().apply: with no target behind, apply gives an empty frame, not a
    # column (the half-year report of a period with no ledgers failed on it)
    behind = {
        dept: "；".join(target_label(t, s) for t, s in zip(g["目标"], g["范围"]))
        for dept, g in rows[rows["状态"].isin(BEHIND_STATUSES)].groupby("部门")
    }
    table["落后的目标"] = [behind.get(dept, "") for dept in table.index]
    return table.sort_values(["落后", "目标数"], ascending=[False, False])


def owners(target: str, year: int) -> list[str]:
    """The departments that owe a target's figures (the ledgers of figures.yml, obligations of
    the plan), as the department directory names them."""
    plan = refdata.plan(year)
    if plan is None:
        return []
    found: list[str] = []
    for source in target_sources(target):
        ledger, _, category = source.partition(":")
        found += plan.owing(ledger, category or None)
    return list(dict.fromkeys(refdata.department_name(d) for d in found))


def pace_gap(row, period: Period) -> float:
    """How far a target is from where the year's pace puts it, as a share of the target (0 when
    done, on pace, or without complete data): 落后 and 逾期未完成 by what was due; a one-off
    target not yet due by what linear pace would have asked (half a visit at mid-year)."""
    target = float(row["目标值"] or 0)
    if not target or row["完成值"] is None or pd.isna(row["完成值"]):
        return 0.0
    if row["状态"] in BEHIND_STATUSES:
        expected = target * float(row["应完成比例"])
    elif row["状态"] == NOT_DUE:
        expected = target * period.elapsed_share
    else:
        return 0.0
    return max(0.0, expected - float(row["完成值"])) / target


def risks(progress_table: pd.DataFrame, period: Period, limit: int = 3) -> list[dict]:
    """The plan's targets furthest from the year's pace, grouped by target (every scope of it):
    [{"目标", "状态", "范围数", "未达数", "完成值", "应完成", "单位", "部门", "差距"}], largest gap first
    (the sum over its scopes of pace_gap). Targets 待核 or without data are never a risk here:
    they are said as such."""
    plan = refdata.plan(period.year)
    if plan is None or not len(progress_table):
        return []
    rows = progress_table.assign(_key=plan.targets()["target"].tolist())
    out = []
    for key, group in rows.groupby("_key", sort=False):
        gaps = [pace_gap(r, period) for _, r in group.iterrows()]
        short = [(r, g) for (_, r), g in zip(group.iterrows(), gaps) if g > 0]
        if not short:
            continue
        statuses = list(dict.fromkeys(r["状态"] for r, _ in short))
        first = short[0][0]
        # a target of several scopes by its name (其中党政干部 of 全区, 内蒙古, 新疆: 党政干部)
        out.append(
            {
                "目标": first["目标"].removeprefix("其中")
                if len(group) > 1
                else target_label(first["目标"], first["范围"]),
                "状态": statuses[0] if len(statuses) == 1 else BEHIND,
                "范围数": len(group),
                "未达数": len(short),
                "范围": [r["范围"] for r, _ in short],
                "完成值": float(first["完成值"]),
                "目标值": float(first["目标值"]),
                "应完成": float(first["目标值"])
                * (float(first["应完成比例"]) if first["状态"] in BEHIND_STATUSES else period.elapsed_share),
                "单位": first["单位"],
                "部门": owners(key, period.year),
                "差距": sum(gaps),
            }
        )
    return sorted(out, key=lambda r: -r["差距"])[:limit]
