"""The district's own figures for a period, from its ledgers (the `fupin metrics` contract).

Every value is year to date at the period's end; ratios are fractions (0.3, not 30).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import funds, cadres, consumption, governance, labour, pairing, society
from . import coverage
from .coverage import NOT_SENT
from .governance import self_assessed
from ..ledgers import ledger_specs
from .. import refdata
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


def compute_metrics(
    tables: dict[str, pd.DataFrame], period: Period, supplied: set[str] | None = None
) -> dict[str, float | int | str]:
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


@lru_cache(maxsize=1)
def _keys_by_derivation() -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """The keys each derivation gives (found by running it on empty tables)."""
    from ..ingest.folder import empty_tables

    empty = empty_tables()
    return tuple((needs, frozenset(derive(empty, parse_period("2020")))) for needs, derive in _DERIVATIONS)


def derived_keys() -> set[str]:
    """Every key some ledger gives; the other keys only the self-assessment (自评事项) states."""
    return {k for _needs, keys in _keys_by_derivation() for k in keys}


def metric_sources(key: str) -> tuple[str, ...]:
    """The sources of a metric key (reference/figures.yml); () for a key only the
    self-assessment states."""
    return refdata.sources_of("metrics", key)


def not_sent_keys(supplied: set[str]) -> list[str]:
    """The keys whose ledgers nobody handed in: every key of such a ledger's derivations, and,
    when the self-assessment ledger was not handed in, the keys only it can give."""
    keys = [k for needs, given in _keys_by_derivation() if not any(n in supplied for n in needs) for k in sorted(given)]
    if "self_assessment" not in supplied:
        keys += [k for k in refdata.metrics()["key"] if k not in derived_keys() and k != "district"]
    return keys


def metric_coverage(
    supplied: frozenset[str] | None, period: Period, figures: dict[str, object] | None = None
) -> dict[str, coverage.Coverage]:
    """Metric key -> what is known of its data (figures/coverage.py), for every key that is not
    complete: not sent, sent in part by its owing departments, or 待核."""
    if supplied is None:
        return {}
    known = coverage.Coverages(supplied, period)
    out = {}
    for key in refdata.metrics()["key"]:
        if key == "district":
            continue
        sources = metric_sources(key)
        if sources:
            cov = known.of(sources)
        elif figures is not None and key in figures:
            cov = coverage.COMPLETE  # stated in the self-assessment
        else:
            cov = coverage.Coverage("self_assessment" in supplied)
        if not cov.complete:
            out[key] = cov
    return out


def metrics_document(
    tables: dict[str, pd.DataFrame], period: Period, district: str = HOME_DISTRICT, supplied: set[str] | None = None
) -> dict:
    """The JSON object printed by `fupin metrics --json`. A figure none of whose owing
    departments sent it reads "未报送" (never 0), one whose rows are beyond their plausible
    bounds "待核"; `incomplete` says, per key, which owing departments did not send and why a
    figure is 待核; `not_sent` lists the ledgers nobody sent. Strict JSON: no NaN, no Infinity."""
    supplied = supplied if supplied is not None else None
    figures = compute_metrics(tables, period, supplied)
    covers = metric_coverage(supplied, period, figures)
    values: dict[str, object] = {}
    for key, value in {
        **figures,
        **{k: NOT_SENT for k in (not_sent_keys(supplied) if supplied is not None else []) if k not in figures},
    }.items():
        values[key] = covers[key].shown(value) if key in covers else value
    known = coverage.Coverages(supplied, period)
    by_county = cadres.counts_by_county(tables["cadres"], period).drop(index="合计")
    category_cover = {cat: known.of((f"cadres:{cat}",)) for cat in cadres.CATEGORIES}
    canteen = consumption.canteen_overall(tables["canteen"], period)
    canteen_cover = known.of(("canteen",))
    has_target = canteen["target"] is not None
    return {
        "district": district,
        "period": period.code,
        "window": [period.ytd_start.date().isoformat(), period.end.date().isoformat()],
        "metrics": values,
        "incomplete": {
            k: {"status": c.status, "missing_departments": list(c.missing), "pending": list(c.pending)}
            for k, c in covers.items()
            if c.sent
        },
        "cadres_by_county": {
            area: {cat: category_cover[cat].shown(int(by_county.loc[area, cat])) for cat in cadres.CATEGORIES}
            for area in by_county.index
        }
        if known.of(("cadres",)).sent
        else NOT_SENT,
        "canteen": {
            "overall_ratio": canteen_cover.shown(canteen["overall_ratio"]),
            "target": canteen["target"],
            "units_below_target": canteen_cover.shown(canteen["units_below_target"]) if has_target else None,
        }
        if canteen_cover.sent
        else {
            "overall_ratio": NOT_SENT,
            "target": canteen["target"],
            "units_below_target": NOT_SENT if has_target else None,
        },
        "not_sent": sorted(set(ledger_specs()) - set(supplied)) if supplied is not None else [],
    }
