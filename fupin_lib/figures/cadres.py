"""Cadres and professionals dispatched to the paired areas (ledger 3, 挂职干部台账).

Rules (ledgers.md, ledger 3):
- a person counts in a window when in post during it: start <= window end and
  (end >= window start or end empty);
- tenure = end - start + 1 days; under 30 days is a short exchange (短期交流), not counted as
  dispatched talent; 30-182 -> 1-6个月, 183-364 -> 6-12个月, 365 and more -> 12个月以上;
- a posting with no end date is still running: its tenure is counted up to the window's end;
- persons are counted once: by ID number where given, else by name and sending unit (the
  keyed hash `person_key` of either: the clean table holds no ID number or name in clear).
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..periods import Period

SHORT_EXCHANGE = "短期交流"
TENURE_BANDS = ("1-6个月", "6-12个月", "12个月以上")
CATEGORIES = ("党政干部", "专业技术人才")


def tenure_band(days: pd.Series) -> pd.Series:
    """Tenure in days -> 短期交流 / 1-6个月 / 6-12个月 / 12个月以上."""
    bins = [-float("inf"), 29, 182, 364, float("inf")]
    return pd.cut(days, bins=bins, labels=[SHORT_EXCHANGE, *TENURE_BANDS]).astype(object)


def person_key(cadres: pd.DataFrame) -> pd.Series:
    """Who a row is: the keyed hash of the ID number, or of name and sending unit where no ID
    number was given (made at ingestion: ingest/pseudonym.py, ledgers.yml person_fallback)."""
    return cadres["person_key"]


def in_window(cadres: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """True for the postings in post on any day from start to end."""
    return (cadres["start_date"] <= end) & (cadres["end_date"].isna() | (cadres["end_date"] >= start))


def enrich(cadres: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """The persons in post in the period's window, one row each, with tenure (days), band,
    person key, `dispatched` (30 days or more) and `new_in_window`. Short exchanges included:

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> df = enrich(t["cadres"], p)
        >>> len(df), int(df["dispatched"].sum())          # in post; of whom dispatched (the reports' 94)
        (97, 94)
    """
    start, end = period.window(ytd)
    df = cadres[in_window(cadres, start, end)].copy()
    df["person"] = person_key(df)
    df["tenure_days"] = (df["end_date"].fillna(end) - df["start_date"]).dt.days + 1
    df["tenure_band"] = tenure_band(df["tenure_days"])
    df["dispatched"] = df["tenure_band"] != SHORT_EXCHANGE
    df["new_in_window"] = df["start_date"] >= start
    df["region"] = df["area"].map(refdata.region_of)
    # One row per person: a person listed twice (two departments, or a short exchange before a
    # real posting) keeps a dispatched posting over a short exchange, then the longest one.
    df = df.sort_values(
        ["dispatched", "tenure_days", "start_date", "_file", "_row"], ascending=[False, False, True, True, True]
    )
    return df.drop_duplicates("person", keep="first")


def _count(df: pd.DataFrame, rows: str, columns: str, index: list[str], cols: list[str]) -> pd.DataFrame:
    table = df.pivot_table(index=rows, columns=columns, values="person", aggfunc="nunique", fill_value=0)
    return table.reindex(index=index, columns=cols, fill_value=0).astype(int)


def counts_by_county(cadres: pd.DataFrame, period: Period, ytd: bool = True, new_only: bool = False) -> pd.DataFrame:
    """Dispatched persons (tenure >= 30 days) per paired area and category, with a 合计 row;
    year to date, or the period's own window (ytd=False); new_only: started in the window.

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> table = counts_by_county(t["cadres"], p)
        >>> int(table.loc["合计", "合计"]), table.columns.tolist()
        (94, ['党政干部', '专业技术人才', '合计'])
    """
    df = enrich(cadres, period, ytd)
    df = df[df["dispatched"] & (df["new_in_window"] if new_only else True)]
    table = _count(df, "area", "category", refdata.area_names(), list(CATEGORIES))
    table.loc["合计"] = table.sum()
    table["合计"] = table.sum(axis=1)
    table.index.name, table.columns.name = "结对地区", None
    return table


def professionals_by_band(cadres: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """Professionals in post per specialty and tenure band (short exchanges shown apart).

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> professionals_by_band(t["cadres"], p).loc["合计"].tolist()
    [39, 17, 12, 3]
    """
    df = enrich(cadres, period, ytd)
    df = df[df["category"] == "专业技术人才"]
    specialties = list(
        dict.fromkeys(["教育", "医疗", "农业", "科技", "文化", "社会工作", "其他", *df["specialty"].dropna().unique()])
    )
    df = df.assign(specialty=df["specialty"].fillna("未填"))
    if df["specialty"].eq("未填").any():
        specialties.append("未填")
    table = _count(df, "specialty", "tenure_band", specialties, [*TENURE_BANDS, SHORT_EXCHANGE])
    table.loc["合计"] = table.sum()
    table.index.name, table.columns.name = "专业领域", None
    return table


def cadre_metrics(cadres: pd.DataFrame, period: Period) -> dict[str, int]:
    """The metrics.csv keys that ledger 3 gives, year to date at the period's end."""
    df = enrich(cadres, period, ytd=True)
    counted = df[df["dispatched"]]
    party = counted[counted["category"] == "党政干部"]
    pros = counted[(counted["category"] == "专业技术人才") & counted["self_selected"].eq(True)]
    return {
        "party_cadres_self_selected": int(party["self_selected"].eq(True).sum()),
        "cadres_off_poverty_posts": int(party["on_poverty_post"].eq(False).sum()),
        "professionals_1_6m": int((pros["tenure_band"] == "1-6个月").sum()),
        "professionals_6_12m": int((pros["tenure_band"] == "6-12个月").sum()),
        "professionals_12m_plus": int((pros["tenure_band"] == "12个月以上").sum()),
    }


def dispatched_by_scope(cadres: pd.DataFrame, period: Period) -> dict[tuple[str, str], int]:
    """Dispatched persons year to date, by the plan's targets (二（二）): all, party cadres and
    professionals, for the district and per region (内蒙古 / 新疆)."""
    df = enrich(cadres, period, ytd=True)
    df = df[df["dispatched"]]
    groups = {
        "dispatched_total": df,
        "party_cadres": df[df["category"] == "党政干部"],
        "professionals": df[df["category"] == "专业技术人才"],
    }
    out = {}
    for target, rows in groups.items():
        out[(target, "全区")] = int(rows["person"].nunique())
        for region in ("内蒙古", "新疆"):
            out[(target, region)] = int(rows.loc[rows["region"] == region, "person"].nunique())
    return out
