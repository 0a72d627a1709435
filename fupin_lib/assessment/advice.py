"""What the next band up takes, in the item's own terms: for each metric the item's value grows
with, how much more of it (whole persons or counts; 万元 to the cent of a 万元) reaches the
next band, the other metrics and the other districts held as they are."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from . import keys
from .score import ItemScore

UNITS_ZH = {"persons": "人", "10k CNY": "万元"}
_EPS = 1e-9


@dataclass(frozen=True)
class Step:
    key: str
    increase: float
    whole: bool  # counted in whole units
    strict: bool  # "more than" (a band that starts above 0)

    def __str__(self) -> str:
        amount = f"{self.increase:,.0f}" if self.whole else f"{self.increase:,.2f}"
        more = "超过 " if self.strict and not self.whole else ""
        return f"{keys.label(self.key)}增加 {more}{amount} {UNITS_ZH.get(keys.unit(self.key), '')}".rstrip()


def _whole(key: str) -> bool:
    unit = keys.unit(key)
    return unit == "persons" or unit.startswith("count")


def steps(score: ItemScore, metrics: Mapping[str, object]) -> list[Step]:
    """One way per metric to reach the next band (empty at the top band or without a value)."""
    nb, item = score.next_band, score.item
    if nb is None or not isinstance(score.value, (int, float)):
        return []
    inputs = item.inputs(metrics)
    out = []
    for key in item.metric_keys:
        slope = item.formula.slope(inputs, key)
        if not slope or slope <= 0:  # a denominator: growing it lowers the value
            continue
        raw = nb.distance / slope
        if _whole(key):
            increase = math.ceil(raw - _EPS)
            if nb.strict and score.value + increase * slope <= nb.value_needed * (1 + _EPS):
                increase += 1
            out.append(Step(key, float(max(increase, 1)), True, False))
        else:
            out.append(Step(key, math.ceil(raw * 100 - _EPS) / 100, False, nb.strict))
    return out


def what_it_takes(score: ItemScore, metrics: Mapping[str, object]) -> str:
    """The ways to the next band in one Chinese phrase ("…增加 3 人，或…增加 2")."""
    return "，或".join(str(s) for s in steps(score, metrics))
