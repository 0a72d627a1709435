"""Consumption poverty alleviation (ledgers 9 and 10).

- product_sales_wan: the consumption ledger's amounts dated in the window;
- the canteen purchase ratio (seed 二（六）: budget-unit canteens and unions buy poverty-area
  products for at least 30% of their food purchases): per unit, 扶贫产品采购额 / 食材采购总额
  over the quarters of the window; overall, sum over sum; the units below the target. A ratio
  within 1e-9 (relative) of the target reaches it.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..periods import Period

TOLERANCE = 1e-9


def target_ratio(year: int) -> float | None:
    """The year's plan's canteen purchase ratio (0.30 in 2020), or None for a year without a plan."""
    plan = refdata.plan(year)
    if plan is None:
        return None
    t = plan.targets()
    rows = t.loc[t["target"] == "canteen_purchase_ratio", "minimum"]
    return float(rows.iloc[0]) if len(rows) else None


def reaches(ratio: float | None, target: float | None) -> bool:
    """True when a ratio reaches the target (within 1e-9, relative); never without a target."""
    return ratio is not None and target is not None and ratio >= target * (1 - TOLERANCE)


def canteen_ratios(canteen: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """Per unit over the quarters of the window: food purchases, poverty-product purchases
    (万元), quarters reported, their ratio, and whether below target; lowest ratio first.

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> ratios = canteen_ratios(t["canteen"], p)
        >>> len(ratios), int(ratios["below_target"].sum())
        (80, 8)
    """
    quarters = period.quarters_to_date() if ytd else period.quarters()
    rows = canteen[canteen["quarter"].isin(quarters)]
    table = rows.groupby(["unit", "unit_type"], as_index=False).agg(
        food_total_wan=("food_total_wan", "sum"),
        poverty_products_wan=("poverty_products_wan", "sum"),
        quarters_reported=("quarter", "nunique"),
    )
    table["ratio"] = table["poverty_products_wan"] / table["food_total_wan"].where(table["food_total_wan"] > 0)
    target = target_ratio(period.year)
    # A unit with no food purchases has no ratio: it is listed, but not as below the target; in a
    # year without a plan there is no target to be below.
    table["below_target"] = pd.Series(
        [target is not None and pd.notna(r) and not reaches(r, target) for r in table["ratio"]],
        index=table.index,
        dtype=bool,
    )
    return table.sort_values(["ratio", "unit"], na_position="first").reset_index(drop=True)


def canteen_overall(canteen: pd.DataFrame, period: Period, ytd: bool = True) -> dict:
    """Overall ratio (sum over sum), the number of units and the units below target.

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> round(canteen_overall(t["canteen"], p)["overall_ratio"], 3)
    0.442
    """
    table = canteen_ratios(canteen, period, ytd)
    food = float(table["food_total_wan"].sum())
    return {
        "overall_ratio": None if not food else float(table["poverty_products_wan"].sum()) / food,
        "units": int(len(table)),
        "units_below_target": sorted(table.loc[table["below_target"], "unit"].tolist()),
        "target": target_ratio(period.year),
    }


def _in_window(consumption: pd.DataFrame, period: Period, ytd: bool) -> pd.DataFrame:
    return consumption[period.mask(consumption["date"], ytd)]


def product_sales_wan(consumption: pd.DataFrame, period: Period, ytd: bool = True) -> float:
    """Consumption (万元) dated in the window.

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> product_sales_wan(t["consumption"], p)
    2093.52
    """
    return round(float(_in_window(consumption, period, ytd)["amount_wan"].sum()), 6)


def sales_exhibitions(consumption: pd.DataFrame, period: Period) -> int:
    """展销活动: distinct dates of 展销会 consumption rows in the window."""
    rows = _in_window(consumption, period, True)
    return int(rows.loc[rows["channel"] == "展销会", "date"].nunique())


def units_reaching_target(canteen: pd.DataFrame, period: Period) -> int:
    """Units whose ratio reaches the target, year to date."""
    ratios = canteen_ratios(canteen, period)
    return int((ratios["ratio"].notna() & ~ratios["below_target"]).sum())


def consumption_by(consumption: pd.DataFrame, period: Period, by: str, ytd: bool = True) -> pd.DataFrame:
    """Amount (万元) and row count per channel (渠道), area (产地) or buyer type (单位类型)."""
    labels = {"channel": "渠道", "area": "产地", "buyer_type": "单位类型"}
    order = {"area": refdata.area_names()}
    rows = _in_window(consumption, period, ytd)
    table = rows.groupby(by).agg(**{"金额（万元）": ("amount_wan", "sum"), "笔数": ("amount_wan", "size")})
    if by in order:
        table = table.reindex(order[by]).fillna(0)
    else:
        table = table.sort_values("金额（万元）", ascending=False)
    total = table["金额（万元）"].sum()
    table["占比"] = table["金额（万元）"] / total if total else 0.0
    table["笔数"] = table["笔数"].astype(int)
    table.index.name = labels[by]
    return table
