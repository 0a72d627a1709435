"""Leadership, visits, submissions, awards and the self-assessed items (ledgers 1, 2, 15, 16, 17).

Meetings and visits count by 日期 in the window; submissions by 期次 (the period the material
covers), not by the day sent; awards by 日期.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..ingest.parsers import parse_self_assessed
from ..periods import Period, parse_period

LEADERSHIP_MEETINGS = ("区委常委会", "区政府常务会", "全区大会")
# The plan's meeting targets (二（一）): standing committee, government executive, and the others.
OTHER_MEETINGS = ("全区大会", "主管领导推进会", "主管部门调度会", "其他")
AWARD_KEYS = {
    "党中央国务院": "award_central",
    "北京市主要领导": "award_city_main",
    "受援省区主要领导": "award_province_main",
    "国家部门": "award_national_dept",
    "北京市分管领导": "award_city_deputy",
    "市扶贫援合办": "award_city_office",
}


def meeting_metrics(meetings: pd.DataFrame, period: Period) -> dict[str, int]:
    """The metric keys of ledger 1 (会议台账), year to date.

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> meeting_metrics(t["meetings"], p)["leadership_meetings"]
    3
    """
    m = meetings[period.mask(meetings["date"])]
    leadership = m[m["kind"].isin(LEADERSHIP_MEETINGS)]
    quarters = m["date"].dt.quarter
    contact = m[m["kind"].isin(["高层联席会", "部门对接"])]
    return {
        "leadership_meetings": int(len(leadership)),
        "leadership_meetings_bdw": int(leadership["bdw"].eq(True).sum()),
        "quarters_leader_meeting": int(quarters[m["kind"] == "主管领导推进会"].nunique()),
        "quarters_dept_dispatch": int(quarters[m["kind"] == "主管部门调度会"].nunique()),
        "counties_joint_meeting": int(m.loc[m["kind"] == "高层联席会", "area"].nunique()),
        "months_county_contact": int(contact["date"].dt.month.nunique()),
    }


def meetings_by_kind(meetings: pd.DataFrame, period: Period, ytd: bool = True) -> pd.Series:
    """Meetings held in the window per kind (every kind of the ledger, 0 where none)."""
    from ..ledgers import ledger_specs

    kinds = list(ledger_specs()["meetings"].column("kind").choices)
    held = meetings.loc[period.mask(meetings["date"], ytd), "kind"].value_counts()
    return held.reindex(kinds, fill_value=0).astype(int)


def plan_meetings(meetings: pd.DataFrame, period: Period) -> dict[str, int]:
    """The plan's meeting figures: 区委常委会, 区政府常务会, the other kinds, and all three together."""
    kinds = meetings_by_kind(meetings, period)
    out = {
        "standing_committee": int(kinds["区委常委会"]),
        "government_executive": int(kinds["区政府常务会"]),
        "other": int(kinds[list(OTHER_MEETINGS)].sum()),
    }
    return {**out, "total": sum(out.values())}


def by_area(table: pd.DataFrame, period: Period, kind: str | None = None, top_leader: bool = False) -> pd.Series:
    """Rows dated in the window per paired area: meetings of a kind, or visits (by top leaders)."""
    rows = table[period.mask(table["date"])]
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    if top_leader:
        rows = rows[rows["top_leader"].eq(True)]
    return rows["area"].value_counts().reindex(refdata.area_names(), fill_value=0).astype(int)


def visit_metrics(visits: pd.DataFrame, period: Period) -> dict[str, int]:
    """Paired areas visited by the district's top leaders, year to date."""
    v = visits[period.mask(visits["date"]) & visits["top_leader"].eq(True)]
    return {"counties_visited": int(v["area"].nunique())}


def _covered(codes: pd.Series, period: Period) -> pd.Series:
    """True where the period a material covers ends within the year, on or before the period's end."""
    ends = codes.map(lambda c: parse_period(c).end if isinstance(c, str) else pd.NaT)
    return ends.between(period.ytd_start, period.end)


def _same_year(codes: pd.Series, period: Period) -> pd.Series:
    return codes.map(lambda c: isinstance(c, str) and parse_period(c).year == period.year).astype(bool)


def submission_metrics(submissions: pd.DataFrame, period: Period) -> dict[str, int]:
    """Reports and summaries count once the period they cover has ended (within the year);
    agreements and plans, whose 期次 is the year they serve, count for that year."""
    s = submissions[_covered(submissions["covers"], period)]
    quarterly = s[(s["material"] == "季度进展情况表") & s["covers"].str.contains("Q")]
    summaries = s[
        ((s["material"] == "半年总结") & s["covers"].str.contains("H1"))
        | ((s["material"] == "全年总结") & ~s["covers"].str.contains("Q|H"))
    ]
    year = submissions[_same_year(submissions["covers"], period)]
    return {
        "quarterly_reports_submitted": int(quarterly["covers"].nunique()),
        "summaries_submitted": int(summaries[["material", "covers"]].drop_duplicates().shape[0]),
        "counties_agreement_reported": int(year.loc[year["material"] == "帮扶协议", "area"].nunique()),
        "counties_plan_reported": int(year.loc[year["material"].isin(["三年行动计划", "一县一策"]), "area"].nunique()),
    }


def award_metrics(awards: pd.DataFrame, period: Period) -> dict[str, int]:
    """Instructions and commendations per level (award_* keys), year to date."""
    counts = awards.loc[period.mask(awards["date"]), "level"].value_counts()
    return {key: int(counts.get(level, 0)) for level, key in AWARD_KEYS.items()}


def self_assessed(table: pd.DataFrame, year: int) -> dict[str, object]:
    """What the office states itself for a year (ledger 17, 自评事项; the row's 年度, else the
    year in its file's or folder's name): metric key -> value. Another year's statements never
    count; a statement whose year cannot be told counts for the year asked (said at ingest)."""
    out: dict[str, object] = {}
    rows = table[table["year"].isna() | (table["year"] == year)]
    for key, raw in zip(rows["item"], rows["value"]):
        parsed = parse_self_assessed(key, raw)
        if parsed.problem is None and parsed.value is not None:
            out[key] = parsed.value
    return out
