"""Pairings (ledger 12, 结对帮扶台账): standing things, counted when signed on or before the
window's end, and compared with the 2020 pairing task list (结对任务清单)."""

from __future__ import annotations

import pandas as pd

from ..periods import Period


def standing(pairings: pd.DataFrame, period: Period) -> pd.DataFrame:
    return pairings[pairings["signed_date"] <= period.end]


def pairing_metrics(pairings: pd.DataFrame, period: Period) -> dict[str, int]:
    p = standing(pairings, period)
    return {
        "towns_paired": int(p.loc[p["beijing_type"] == "镇街", "beijing_unit"].nunique()),
        "villages_paired": int(p.loc[p["beijing_type"] == "村社区", "beijing_unit"].nunique()),
        "schools_hospitals_pairs": int(p["beijing_type"].isin(["学校", "医院", "社会组织"]).sum()),
        "enterprise_village_pairs": int(((p["beijing_type"] == "企业") & (p["partner_type"] == "村")).sum()),
    }
