"""reference/figures.yml declares once what each figure is computed from: every plan target and
every metric a ledger gives has its sources there, and each source is a ledger (and category)
that ledgers.yml defines. A target missing here would read 无数据 whatever was sent."""

from __future__ import annotations

import pandas as pd

from fupin_lib import config, refdata
from fupin_lib.figures.registry import derived_keys
from fupin_lib.ledgers import ledger_specs


def _valid(source: str) -> bool:
    ledger, _, category = source.partition(":")
    spec = ledger_specs().get(ledger)
    return spec is not None and (not category or spec.category_column is not None)


def test_every_target_of_every_shipped_plan_declares_its_sources():
    declared = refdata.figure_sources()["targets"]
    for plan in sorted(config.SHIPPED_PLANS_DIR.iterdir()):
        targets = pd.read_csv(plan / "targets.csv", dtype=str)["target"]
        assert [t for t in targets if not declared.get(t)] == [], plan.name


def test_every_metric_a_ledger_gives_declares_its_sources_and_only_ledgers_are_named():
    declared = refdata.figure_sources()
    assert sorted(k for k in derived_keys() if not declared["metrics"].get(k)) == []
    named = {s for kind in declared.values() for sources in kind.values() for s in sources}
    assert named and sorted(s for s in named if not _valid(s)) == []
    assert "cadres:党政干部" in named and "beneficiaries" in named  # as figures.yml writes them
