"""Pairings (ledger 12, 结对帮扶台账): standing things, counted when signed on or before the
window's end (`standing`, the one place that rule is written), compared with the plan.

How the plan's pairing figures are read (2020 plan 二（八）, reference/plans/2020/targets.csv):
- a Beijing-side figure (经济强镇（街道）, 村（社区）, 学校, 医院, 企业) counts distinct Beijing units of
  that type (北京方单位类型);
- a receiving-side figure (结对的受援地乡镇, 村, 学校, 医院, 企业结对的村) counts distinct receiving
  units of the kind the plan names, by their own type (受援方单位类型): a Beijing hospital's
  partner that is a township health centre typed 其他 is not one of the 受援地医院; the
  townships of the towns' pairings are their 所在乡镇;
- a pair is a (北京方单位, 受援方单位) couple: sent by two departments, it is one pair.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..periods import Period

PAIR = ["beijing_unit", "partner_unit"]


def standing(pairings: pd.DataFrame, period: Period) -> pd.DataFrame:
    """The pairings in force at the period's end: signed on or before it, one row per pair."""
    return pairings[pairings["signed_date"] <= period.end].drop_duplicates(PAIR)


def _distinct(p: pd.DataFrame, column: str, **where: object) -> int:
    for col, value in where.items():
        p = p[p[col] == value]
    return int(p[column].nunique())


def plan_figures(pairings: pd.DataFrame, period: Period) -> dict[str, int]:
    """The plan's pairing figures (the keys of section 二（八） in reference/plans/<year>/targets.csv)."""
    p = standing(pairings, period)
    return {
        "towns_paired": _distinct(p, "beijing_unit", beijing_type="镇街"),
        "townships_covered": _distinct(p, "township", beijing_type="镇街"),
        "villages_paired": _distinct(p, "beijing_unit", beijing_type="村社区"),
        "poor_villages_covered": _distinct(p, "partner_unit", beijing_type="村社区", partner_type="村"),
        "schools_paired": _distinct(p, "beijing_unit", beijing_type="学校"),
        "schools_covered": _distinct(p, "partner_unit", partner_type="学校"),
        "schools_new": _distinct(p[p["is_new"].eq(True)], "beijing_unit", beijing_type="学校"),
        "hospitals_paired": _distinct(p, "beijing_unit", beijing_type="医院"),
        "hospitals_covered": _distinct(p, "partner_unit", partner_type="医院"),
        "enterprises_pairing": _distinct(p, "beijing_unit", beijing_type="企业"),
        "enterprise_villages_covered": _distinct(p, "partner_unit", beijing_type="企业", partner_type="村"),
    }


def pairing_metrics(pairings: pd.DataFrame, period: Period) -> dict[str, int]:
    """The metrics.csv keys of ledger 12 (distinct pairs)."""
    p = standing(pairings, period)
    return {
        "towns_paired": _distinct(p, "beijing_unit", beijing_type="镇街"),
        "villages_paired": _distinct(p, "beijing_unit", beijing_type="村社区"),
        "schools_hospitals_pairs": int(p["beijing_type"].isin(["学校", "医院", "社会组织"]).sum()),
        "enterprise_village_pairs": int(((p["beijing_type"] == "企业") & (p["partner_type"] == "村")).sum()),
    }


def pairs_by_area(pairings: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Per paired area: pairs in force, distinct Beijing units and distinct receiving units."""
    p = standing(pairings, period)
    table = p.groupby("area").agg(
        **{
            "结对关系（对）": ("partner_unit", "size"),
            "北京方单位（个）": ("beijing_unit", "nunique"),
            "受援方单位（个）": ("partner_unit", "nunique"),
        }
    )
    return table.reindex(refdata.area_names(), fill_value=0).astype(int)
