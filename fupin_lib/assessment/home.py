"""The home district's row from its own figures (`fupin score --own-from-ledgers`).

The ledgers give some metric keys (figures.registry.compute_metrics, computed by the caller);
the keys they do not give stay as the peers table's home row gives them (or missing). Where
both give a key and disagree, the ledgers win and the disagreement is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from . import keys
from .peers import PeersTable

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Disagreement:
    key: str
    ledgers: object
    peers: object

    def __str__(self) -> str:
        return f"“{keys.label(self.key)}”：台账计算为 {_shown(self.ledgers)}，其他区数据表为 {_shown(self.peers)}"


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"
    return str(value)


def _plain(value: object) -> object:
    """Python numbers (JSON-ready) from whatever the metrics code returns; NaN is missing."""
    if value is None or isinstance(value, str):
        return value
    number = float(value)
    return None if math.isnan(number) else number


def own_metrics(metrics: Mapping[str, object]) -> dict[str, object]:
    """The assessment's keys of the home district's figures, as plain numbers. Ledgers nobody
    handed in give no key (rather than 0): the peers row or "missing" stands."""
    return {k: _plain(v) for k, v in metrics.items() if keys.known(k) and k != "district"}


def _same(a: object, b: object) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


def merge_own(
    peers: PeersTable, district: str, own: Mapping[str, object], unknown: set[str] | frozenset[str] = frozenset()
) -> tuple[PeersTable, list[Disagreement]]:
    """The peers table with the home row's keys replaced by the ledgers' values; the `unknown`
    keys (their owing departments sent nothing, or a row is 待核) are taken out of the home row:
    the peers table's figure for them is not the ledgers', and no item scores on data nobody sent."""
    given = peers.values.get(district, {})
    disagreements = [
        Disagreement(k, v, given[k])
        for k, v in own.items()
        if v is not None and k not in unknown and given.get(k) is not None and not _same(v, given[k])
    ]
    merged = {**given, **{k: v for k, v in own.items() if v is not None}}
    for key in unknown:
        merged.pop(key, None)
    return peers.with_row(district, merged), disagreements
