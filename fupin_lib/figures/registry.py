"""The district's own figures for a period, from its ledgers (the `fupin metrics` contract).

Every value is year to date at the period's end; ratios are fractions (0.3, not 30).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import funds, cadres, consumption, governance, labour, pairing, society
from .governance import self_assessed
from ..config import HOME_DISTRICT
from ..periods import Period, parse_period


# Each derivation: the ledgers (clean tables) it reads, and the function giving its keys.
_DERIVATIONS = [
    (("meetings",), lambda t, p: governance.meeting_metrics(t["meetings"], p)),
    (("visits",), lambda t, p: governance.visit_metrics(t["visits"], p)),
    (("cadres",), lambda t, p: cadres.cadre_metrics(t["cadres"], p)),
    (("trainings",), lambda t, p: labour.training_metrics(t["trainings"], p)),
    (("funds",), lambda t, p: {"extra_funds_wan": funds.extra_funds_wan(t["funds"], p)}),
    (("beneficiaries",), lambda t, p: funds.people_counts(t["beneficiaries"], p)),
    (("poor_base",), lambda t, p: funds.poor_base_metrics(t["poor_base"], p)),
    (("enterprises",), lambda t, p: society.enterprise_metrics(t["enterprises"], p)),
    (("consumption",), lambda t, p: {"product_sales_wan": consumption.product_sales_wan(t["consumption"], p)}),
    (("job_fairs",), lambda t, p: labour.job_fair_metrics(t["job_fairs"], p)),
    (("employed",), lambda t, p: labour.employment_metrics(t["employed"], p)),
    (("training_bases",), lambda t, p: labour.training_base_metrics(t["training_bases"], p)),
    (("pairings",), lambda t, p: pairing.pairing_metrics(t["pairings"], p)),
    # Donations come from the 捐赠 sheet and from the funds ledger (村集体, 社会捐赠).
    (("donations", "funds"), lambda t, p: society.donation_metrics(t["donations"], t["funds"], p)),
    (("activities",), lambda t, p: society.activity_metrics(t["activities"], p)),
    (("publicity",), lambda t, p: society.publicity_metrics(t["publicity"], p)),
    (("submissions",), lambda t, p: governance.submission_metrics(t["submissions"], p)),
    (("awards",), lambda t, p: governance.award_metrics(t["awards"], p)),
]


def compute_metrics(tables: dict[str, pd.DataFrame], period: Period,
                    supplied: set[str] | None = None) -> dict[str, float | int | str]:
    """metrics.csv key -> value, for every key the ingested ledgers give.

    `supplied` (IngestResult.supplied): the ledgers actually handed in; keys of a ledger nobody
    handed in are left out rather than reported as 0. Without it every key is computed (0 for an
    empty ledger). The self-assessed keys (ledger 17) appear only when stated; where a ledger
    gives a key, the ledger wins over a self-assessed value.
    """
    out: dict[str, float | int | str] = dict(self_assessed(tables["self_assessment"], period.year))
    for needs, derive in _DERIVATIONS:
        if supplied is None or any(n in supplied for n in needs):
            out.update(derive(tables, period))
    return out


NOT_SENT = "未报送"


@lru_cache(maxsize=1)
def _keys_by_derivation() -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """The keys each derivation gives (found by running it on empty tables)."""
    from ..ingest.policy import empty_tables

    empty = empty_tables()
    return tuple((needs, frozenset(derive(empty, parse_period("2020")))) for needs, derive in _DERIVATIONS)


def derived_keys() -> set[str]:
    """Every key some ledger gives; the other keys only the self-assessment (自评事项) states."""
    return {k for _needs, keys in _keys_by_derivation() for k in keys}


def not_sent_keys(supplied: set[str]) -> list[str]:
    """The keys whose ledgers nobody handed in: every key of such a ledger's derivations, and,
    when the self-assessment ledger was not handed in, the keys only it can give."""
    keys = [k for needs, given in _keys_by_derivation() if not any(n in supplied for n in needs) for k in sorted(given)]
    if "self_assessment" not in supplied:
        from .. import refdata

        keys += [k for k in refdata.metrics()["key"] if k not in derived_keys() and k != "district"]
    return keys


def metrics_document(tables: dict[str, pd.DataFrame], period: Period, district: str = HOME_DISTRICT,
                     supplied: set[str] | None = None) -> dict:
    """The JSON object printed by `fupin metrics --json`. A figure of a ledger nobody handed in
    reads "未报送" (never 0); `not_sent` lists those ledgers."""
    supplied = set(supplied) if supplied is not None else None
    figures = compute_metrics(tables, period, supplied)
    missing = [] if supplied is None else not_sent_keys(supplied)
    sent = (lambda ledger: True) if supplied is None else (lambda ledger: ledger in supplied)
    by_county = cadres.counts_by_county(tables["cadres"], period).drop(index="合计")
    canteen = consumption.canteen_overall(tables["canteen"], period)
    return {
        "district": district,
        "period": period.code,
        "window": [period.ytd_start.date().isoformat(), period.end.date().isoformat()],
        "metrics": {**figures, **{k: NOT_SENT for k in missing if k not in figures}},
        "cadres_by_county": {
            area: {cat: int(by_county.loc[area, cat]) for cat in cadres.CATEGORIES} for area in by_county.index
        } if sent("cadres") else NOT_SENT,
        "canteen": {
            "overall_ratio": canteen["overall_ratio"],
            "units_below_target": canteen["units_below_target"],
        } if sent("canteen") else {"overall_ratio": NOT_SENT, "units_below_target": NOT_SENT},
        "not_sent": sorted({ledger for needs, _ in _DERIVATIONS for ledger in needs} - (supplied or set()))
        if supplied is not None else [],
    }
