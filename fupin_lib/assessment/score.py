"""The assessment engine: the peers table and the rules in, every district's points out.

For each item the formula gives each district's value; band items are then banded within
their comparison group (the 16 districts, or the functional category) under every policy of
banding.yml, so that each item knows whether its band depends on the reading
(policy_sensitive); the chosen policy gives the points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .. import refdata
from . import keys
from .banding import Banding, NextBand, Policy, load_banding
from .peers import PeersTable
from .points import band_points, points
from .rules import Item, RuleSet, load_rules

_DIGITS = 6  # points and totals are rounded to this many decimals when shown


@dataclass(frozen=True)
class ItemScore:
    item: Item
    points: float
    value: float | str | None
    reason: str | None = None  # why there is no value, or why the band is 没有
    band: str | None = None
    average: float | None = None
    next_band: NextBand | None = None
    bands: Mapping[str, str] = field(default_factory=dict)  # policy -> band
    incomplete: str | None = None  # 数据不全: why (owing departments not sent, 待核)
    at_risk: float = 0.0  # points not secured while the data are incomplete

    @property
    def max(self) -> float:
        return self.item.max

    @property
    def lost(self) -> float:
        return round(self.item.max - self.points, _DIGITS)

    @property
    def policy_sensitive(self) -> bool:
        return len(set(self.bands.values())) > 1

    def to_json(self) -> dict:
        nb = self.next_band
        return {
            "points": round(self.points, _DIGITS),
            "max": self.item.max,
            "band": self.band,
            "value": self.value,
            "average": self.average,
            "next_band": {"band": nb.band, "value_needed": nb.value_needed} if nb else None,
            "policy_sensitive": self.policy_sensitive,
            "incomplete": self.incomplete,
            "points_at_risk": round(self.at_risk, _DIGITS),
        }


@dataclass(frozen=True)
class DistrictScore:
    district: str
    category: str
    items: dict[str, ItemScore]

    @property
    def total(self) -> float:
        """Points of the 100-point items (the bonus left out)."""
        return round(sum(s.points for s in self.items.values() if not s.item.is_bonus), _DIGITS)

    @property
    def bonus(self) -> float:
        return round(sum(s.points for s in self.items.values() if s.item.is_bonus), _DIGITS)

    @property
    def grand_total(self) -> float:
        return round(self.total + self.bonus, _DIGITS)

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "bonus": self.bonus,
            "items": {item_id: s.to_json() for item_id, s in self.items.items()},
        }


@dataclass(frozen=True)
class Assessment:
    policy: Policy
    rules: RuleSet
    banding: Banding
    peers: PeersTable
    districts: dict[str, DistrictScore]

    def __getitem__(self, district: str) -> DistrictScore:
        return self.districts[district]

    def rank(self, district: str) -> int:
        """1 + the number of districts with a higher total (bonus included); ties share a rank."""
        mine = self.districts[district].grand_total
        return 1 + sum(d.grand_total > mine for d in self.districts.values())

    def ranking(self) -> list[DistrictScore]:
        return sorted(self.districts.values(), key=lambda d: -d.grand_total)

    def to_json(self, districts: list[str] | None = None) -> dict:
        names = districts or list(self.districts)
        return {"policy": self.policy.name, "districts": {d: self.districts[d].to_json() for d in names}}


def comparison_groups(compare_to: str) -> list[list[str]]:
    """The 16 districts as one group, or split by functional category (6, 5 and 5)."""
    table = refdata.districts()
    if compare_to == "category":
        return [list(group["district"]) for _, group in table.groupby("category", sort=False)]
    return [list(table["district"])]


def _band_item(item: Item, outcomes: Mapping[str, object], banding: Banding, policy: Policy) -> dict[str, ItemScore]:
    scores: dict[str, ItemScore] = {}
    for group in comparison_groups(item.compare_to):
        values = {d: outcomes[d].value for d in group}
        by_policy = {name: p.band_group(values) for name, p in banding.policies.items()}
        for d in group:
            banded = by_policy[policy.name][d]
            scores[d] = ItemScore(
                item,
                band_points(item, banded.band, banding.bands),
                outcomes[d].value,
                outcomes[d].reason or banded.reason,
                banded.band,
                banded.average,
                banded.next_band,
                {name: result[d].band for name, result in by_policy.items()},
            )
    return scores


def _plain_item(item: Item, outcome) -> ItemScore:
    reason = outcome.reason
    if item.rule == "grade" and outcome.value is not None and outcome.value not in item.grades:
        reason = f"等级“{outcome.value}”不在本项的等级（{'/'.join(item.grades)}）中"
    return ItemScore(item, points(item, outcome.value), outcome.value, reason)


def score(
    peers: PeersTable, rules: RuleSet | None = None, banding: Banding | None = None, policy: str | None = None
) -> Assessment:
    """Score every district of the peers table under one banding policy (default: banding.yml's)."""
    rules = rules or load_rules()
    banding = banding or load_banding()
    chosen = banding.policy(policy)
    table = refdata.districts()
    names = list(table["district"])
    per_district: dict[str, dict[str, ItemScore]] = {d: {} for d in names}
    for item in rules.items:
        outcomes = {d: item.formula.evaluate(item.inputs(peers.values.get(d, {})), keys.label) for d in names}
        if item.is_band:
            scores = _band_item(item, outcomes, banding, chosen)
        else:
            scores = {d: _plain_item(item, outcomes[d]) for d in names}
        for d in names:
            per_district[d][item.id] = scores[d]
    categories = dict(zip(table["district"], table["category"]))
    districts = {d: DistrictScore(d, categories[d], per_district[d]) for d in names}
    return Assessment(chosen, rules, banding, peers, districts)
