"""Funds and the poor population they reach (ledgers 5, 6 and 7).

- extra_funds_wan: funds paid (拨付日期) in the window from 区级财政, 区直部门 and 街道乡镇
  (the seed's 指标4: money beyond the city's pool, department and town donations included);
  村集体 and 社会捐赠 are donations, not extra funds.
- people_benefited / people_exited: distinct persons (valid ID numbers, as their keyed hash
  `person_key`) benefited (受益日期) or lifted out (是否脱贫 = 是 and 脱贫日期) in the window;
  route 产业合作 for the industry_* keys.
- the benefit ratios: persons per 万元 of extra funds, overall and per paired area. A person
  benefited in two areas counts in each area and once overall.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..periods import Period

EXTRA_FUND_SOURCES = ("区级财政", "区直部门", "街道乡镇")
DONATION_SOURCES = ("村集体", "社会捐赠")
FUND_SOURCES = EXTRA_FUND_SOURCES + DONATION_SOURCES  # every 资金来源 of the funds ledger


def extra_funds(funds: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """Extra funds rows paid in the window."""
    return funds[funds["source"].isin(EXTRA_FUND_SOURCES) & period.mask(funds["paid_date"], ytd)]


def benefited(beneficiaries: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """Benefit rows dated (受益日期) in the window; a person may have several."""
    return beneficiaries[period.mask(beneficiaries["benefit_date"], ytd)]


def exited(beneficiaries: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """Rows of persons lifted out of poverty (是否脱贫 = 是) with 脱贫日期 in the window."""
    b = beneficiaries
    return b[b["exited"].eq(True) & period.mask(b["exit_date"], ytd)]


def _ratio(num: float, den: float) -> float | None:
    return None if not den else num / den


def extra_funds_wan(funds: pd.DataFrame, period: Period, ytd: bool = True) -> float:
    """Extra funds (万元) paid in the window.

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> extra_funds_wan(t["funds"], p)
    7986.48
    """
    return round(float(extra_funds(funds, period, ytd)["amount_wan"].sum()), 6)


def people_counts(beneficiaries: pd.DataFrame, period: Period, ytd: bool = True) -> dict[str, int]:
    """Distinct persons (person_key) benefited and lifted out in the window, any route and by
    industrial cooperation (产业合作). A person benefiting by two routes counts once.

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> people_counts(t["beneficiaries"], p)["people_benefited"]
        6879
    """
    ben, ex = benefited(beneficiaries, period, ytd), exited(beneficiaries, period, ytd)
    return {
        "people_benefited": int(ben["person_key"].nunique()),
        "people_exited": int(ex["person_key"].nunique()),
        "industry_people_benefited": int(ben.loc[ben["route"] == "产业合作", "person_key"].nunique()),
        "industry_people_exited": int(ex.loc[ex["route"] == "产业合作", "person_key"].nunique()),
    }


def poor_base_metrics(poor_base: pd.DataFrame, period: Period) -> dict[str, int]:
    """Registered poor at the start of the period's year; an area stated twice keeps the last row."""
    base = poor_base[poor_base["year"] == period.year].drop_duplicates("area", keep="last")
    return {"registered_poor_start": int(base["registered_poor_start"].sum())}


def benefit_by_county(
    beneficiaries: pd.DataFrame, funds: pd.DataFrame, period: Period, ytd: bool = True
) -> pd.DataFrame:
    """Per paired area and overall (合计): extra funds, persons benefited and lifted out, and
    persons per 万元 (每万元惠及人数, 每万元助力脱贫人数).

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> table = benefit_by_county(t["beneficiaries"], t["funds"], p)
        >>> int(table.loc["合计", "惠及贫困人口（人）"]), float(round(table.loc["合计", "每万元惠及人数"], 2))
        (6879, 0.86)
    """
    ben, ex = benefited(beneficiaries, period, ytd), exited(beneficiaries, period, ytd)
    money = extra_funds(funds, period, ytd)
    areas = refdata.area_names()
    table = (
        pd.DataFrame(
            {
                "额外安排资金（万元）": money.groupby("area")["amount_wan"].sum(),
                "惠及贫困人口（人）": ben.groupby("area")["person_key"].nunique(),
                "助力脱贫人口（人）": ex.groupby("area")["person_key"].nunique(),
            }
        )
        .reindex(areas)
        .fillna(0)
    )
    table.loc["合计"] = [money["amount_wan"].sum(), ben["person_key"].nunique(), ex["person_key"].nunique()]
    for col in ("惠及贫困人口（人）", "助力脱贫人口（人）"):
        table[col] = table[col].astype(int)
    funds_col = table["额外安排资金（万元）"]
    table["每万元惠及人数"] = [_ratio(n, f) for n, f in zip(table["惠及贫困人口（人）"], funds_col)]
    table["每万元助力脱贫人数"] = [_ratio(n, f) for n, f in zip(table["助力脱贫人口（人）"], funds_col)]
    table.index.name = "结对地区"
    return table


def benefit_by_route(beneficiaries: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """Distinct persons benefited and lifted out per route (受益途径). A person benefiting by two
    routes counts in each: the routes add up to more than people_counts.

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> int(benefit_by_route(t["beneficiaries"], p)["惠及贫困人口（人）"].sum())   # not 6,879 persons
        8749
    """
    ben, ex = benefited(beneficiaries, period, ytd), exited(beneficiaries, period, ytd)
    table = (
        pd.DataFrame(
            {
                "惠及贫困人口（人）": ben.groupby("route")["person_key"].nunique(),
                "助力脱贫人口（人）": ex.groupby("route")["person_key"].nunique(),
            }
        )
        .reindex(["资金项目", "产业合作", "劳务协作", "消费扶贫", "其他"])
        .fillna(0)
        .astype(int)
    )
    table.index.name = "受益途径"
    return table


def funds_by_quarter(
    funds: pd.DataFrame, period: Period, sources: str | tuple[str, ...] = EXTRA_FUND_SOURCES
) -> pd.DataFrame:
    """Funds paid per quarter of the year to date (each quarter its own window), per source: the
    extra funds' three sources by default, or all five (sources="all": 村集体 and 社会捐赠 too).

        >>> from fupin_lib import load_all
        >>> table = funds_by_quarter(load_all()["funds"], "2020", sources="all")   # the shipped sample
        >>> table.columns.tolist()
        ['区级财政', '区直部门', '街道乡镇', '村集体', '社会捐赠', '合计']
    """
    chosen = FUND_SOURCES if sources in ("all", "全部") else tuple(sources)
    unknown = [s for s in chosen if s not in FUND_SOURCES]
    if unknown:
        raise ValueError(f"未知的资金来源：{'、'.join(unknown)}；可选：{'、'.join(FUND_SOURCES)}")
    money = funds[funds["source"].isin(chosen) & period.mask(funds["paid_date"])]
    quarter = money["paid_date"].dt.quarter.map(lambda q: f"{period.year}Q{q}")
    table = money.pivot_table(index=quarter, columns="source", values="amount_wan", aggfunc="sum", fill_value=0)
    table = table.reindex(index=period.quarters_to_date(), columns=list(chosen), fill_value=0)
    table["合计"] = table.sum(axis=1)
    table.index.name, table.columns.name = "季度", None
    start, end = period.window()
    table.attrs["口径"] = (
        f"各季度本季度（{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日，每行为一个季度）"
    )
    return table


def count_persons(frame: pd.DataFrame, id_col: str = "id_number") -> tuple[pd.DataFrame, dict[str, int]]:
    """A large benefit list as a department sends it (ID numbers in clear, e.g. a CSV; not a
    clean table, whose persons are keyed by person_key): validate every ID at once, drop repeated rows, and count distinct
    valid persons per paired area and route. Returns the table and the row accounting."""
    import numpy as np

    from ..ingest.idcard import normalise_and_validate

    ids, valid = normalise_and_validate(frame[id_col])
    keep = valid.to_numpy()
    person, persons = pd.factorize(ids[keep])
    area, areas = pd.factorize(frame["area"][keep])
    route, routes = pd.factorize(frame["route"][keep])
    groups = len(areas) * len(routes)
    # A (person, area, route) triple is one row once repeated rows are dropped.
    triples = pd.unique(person.astype(np.int64) * groups + area * len(routes) + route)
    counts = np.bincount(triples % groups, minlength=groups).reshape(len(areas), len(routes))
    table = pd.DataFrame(counts, index=pd.Index(areas, name="area"), columns=pd.Index(routes, name="route"))
    accounting = {
        "rows": int(len(frame)),
        "valid": int(keep.sum()),
        "invalid": int((~keep).sum()),
        "repeated": int(keep.sum() - len(triples)),
        "persons": int(len(persons)),
    }
    return table.sort_index().sort_index(axis=1), accounting
