"""Enterprises, donations, activities and publicity (ledgers 8, 13, 14; donations also from 5)."""

from __future__ import annotations

import pandas as pd

from .funds import DONATION_SOURCES
from ..periods import Period


def enterprise_metrics(enterprises: pd.DataFrame, period: Period) -> dict[str, float | int]:
    """Enterprises that invested (distinct credit codes) and their investment (万元), by 签约日期.

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> enterprise_metrics(t["enterprises"], p)
    {'enterprises_invested': 3, 'investment_wan': 4708.14}
    """
    e = enterprises[period.mask(enterprises["signed_date"])]
    return {
        "enterprises_invested": int(e["credit_code"].nunique()),
        "investment_wan": round(float(e["invested_wan"].sum()), 6),
    }


def enterprises_by_area(enterprises: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per paired area: enterprises guided (distinct credit codes) and investment in place."""
    from .. import refdata

    e = enterprises[period.mask(enterprises["signed_date"])]
    table = e.groupby("area").agg(
        **{"引导企业（家）": ("credit_code", "nunique"), "实际到位投资额（万元）": ("invested_wan", "sum")}
    )
    table = table.reindex(refdata.area_names(), fill_value=0)
    table["引导企业（家）"] = table["引导企业（家）"].astype(int)
    table["实际到位投资额（万元）"] = table["实际到位投资额（万元）"].astype(float)
    return table


def social_by_area(donations: pd.DataFrame, activities: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per paired area: donations (万元) and public-welfare activities dated in the window."""
    from .. import refdata

    areas = refdata.area_names()
    given = donations[period.mask(donations["date"])].groupby("area")["amount_wan"].sum()
    held = activities[period.mask(activities["date"])]["area"].value_counts()
    return pd.DataFrame(
        {
            "捐赠款物（万元）": given.reindex(areas, fill_value=0.0).astype(float),
            "公益活动（次）": held.reindex(areas, fill_value=0).astype(int),
        },
        index=pd.Index(areas, name="结对地区"),
    )


def donation_metrics(donations: pd.DataFrame, funds: pd.DataFrame, period: Period) -> dict[str, float]:
    """Donations: the 捐赠 sheet, plus 村集体 and 社会捐赠 money of the funds ledger."""
    given = donations.loc[period.mask(donations["date"]), "amount_wan"].sum()
    from_funds = funds.loc[funds["source"].isin(DONATION_SOURCES) & period.mask(funds["paid_date"]), "amount_wan"].sum()
    return {"donations_wan": round(float(given + from_funds), 6)}


def activity_metrics(activities: pd.DataFrame, period: Period) -> dict[str, int]:
    """Social assistance activities, year to date."""
    return {"social_activities": int(period.mask(activities["date"]).sum())}


def publicity_metrics(publicity: pd.DataFrame, period: Period) -> dict[str, int]:
    """Information adopted and media reports per level, year to date."""
    p = publicity[period.mask(publicity["date"])]
    media = p.loc[p["kind"] == "媒体报道", "level"].value_counts()
    return {
        "info_adopted": int((p["kind"] == "信息采纳").sum()),
        "media_central": int(media.get("中央", 0)),
        "media_municipal": int(media.get("市属", 0)),
        "media_local": int(media.get("受援地", 0)),
    }
