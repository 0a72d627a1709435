"""The district's own figures for a period, from its ledgers (the `fupin metrics` contract).

Every value is year to date at the period's end; ratios are fractions (0.3, not 30).
"""

from __future__ import annotations

import pandas as pd

from . import benefits, cadres, consumption
from .config import HOME_DISTRICT
from .periods import Period


def compute_metrics(tables: dict[str, pd.DataFrame], period: Period) -> dict[str, float | int]:
    """metrics.csv key -> value, for every key the ingested ledgers give."""
    out: dict[str, float | int] = {}
    out.update(cadres.cadre_metrics(tables["cadres"], period))
    out.update(benefits.benefit_metrics(tables["beneficiaries"], tables["funds"], tables["poor_base"], period))
    out["product_sales_wan"] = consumption.product_sales_wan(tables["consumption"], period)
    return out


def metrics_document(tables: dict[str, pd.DataFrame], period: Period, district: str = HOME_DISTRICT) -> dict:
    """The JSON object printed by `fupin metrics --json`."""
    by_county = cadres.counts_by_county(tables["cadres"], period).drop(index="合计")
    canteen = consumption.canteen_overall(tables["canteen"], period)
    return {
        "district": district,
        "period": period.code,
        "window": [period.ytd_start.date().isoformat(), period.end.date().isoformat()],
        "metrics": compute_metrics(tables, period),
        "cadres_by_county": {
            area: {cat: int(by_county.loc[area, cat]) for cat in cadres.CATEGORIES} for area in by_county.index
        },
        "canteen": {
            "overall_ratio": canteen["overall_ratio"],
            "units_below_target": canteen["units_below_target"],
        },
    }
