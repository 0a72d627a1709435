"""One small engine per rule type: an item's value -> its points.

Every engine keeps the points between 0 and the item's maximum. Band items get their points
from the band (score.py bands the whole comparison group first); no value gives 0 points.
"""

from __future__ import annotations

from typing import Callable, Sequence

from .rules import Item


def _clamp(points: float, item: Item) -> float:
    return min(max(points, 0.0), item.max)


def per_unit(item: Item, value: float) -> float:
    """Points per unit (per meeting, per county, per month), capped at the maximum."""
    return _clamp(item.per_unit * value, item)


def weighted_sum(item: Item, value: float) -> float:
    """The formula already weighs its parts into points; capped at the maximum."""
    return _clamp(value, item)


def flag(item: Item, value: float) -> float:
    """All or nothing: the maximum when the value is above 0."""
    return item.max if value > 0 else 0.0


def grade(item: Item, value: str) -> float:
    """The points of a grade word (好 / 一般 / 无 ...); a word the rule does not know gives 0."""
    return _clamp(item.grades.get(value, 0.0), item)


def deduct(item: Item, value: float) -> float:
    """The maximum minus a deduction per unit, never below 0."""
    return _clamp(item.max - item.per_unit * value, item)


def bonus(item: Item, value: float) -> float:
    """Cumulative extra points, capped at the item's maximum (the bonus cap)."""
    return _clamp(value, item)


ENGINES: dict[str, Callable[[Item, object], float]] = {
    "per_unit": per_unit,
    "weighted_sum": weighted_sum,
    "flag": flag,
    "grade": grade,
    "deduct": deduct,
    "bonus": bonus,
}


def band_points(item: Item, band: str, bands: Sequence[str]) -> float:
    """The points of a band (band_points follow the order of banding.yml's bands)."""
    return item.band_points[list(bands).index(band)]


def points(item: Item, value: object) -> float:
    """Points of a non-band item; no value gives 0."""
    return 0.0 if value is None else ENGINES[item.rule](item, value)
