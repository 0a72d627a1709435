"""Banding (分档): a district's value against the average of its comparison group.

The policies are data (reference/banding.yml, read as banding.md says); this module only
applies them: the band of a value, the group average, and what the next band up needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping


from .. import refdata
from .errors import AssessmentError
from ..tabular import read_yaml

BANDING_FILE = refdata.latest_plan().banding_file  # the latest year's banding (plans/<year>/banding.yml)
_THRESHOLD = re.compile(r"^\s*(>=|>)\s*(\d+(?:\.\d+)?)\s*$")


class BandingError(AssessmentError):
    """A banding file that cannot be used; the message is Chinese."""


@dataclass(frozen=True)
class Threshold:
    """Where a band starts: value >= multiple x average (or > when strict)."""

    band: str
    multiple: float
    strict: bool

    def reached(self, value: float, average: float, tolerance: float) -> bool:
        edge = self.multiple * average
        slack = tolerance * abs(edge)
        return value > edge + slack if self.strict else value >= edge - slack

    def __str__(self) -> str:
        return f"{'>' if self.strict else '>='} {self.multiple:g} × 平均值"


@dataclass(frozen=True)
class NextBand:
    """The band above a district's band and the value that reaches it, the others held."""

    band: str
    value_needed: float
    distance: float
    strict: bool  # the value must be more than value_needed (the band starts above 0)


@dataclass(frozen=True)
class Banded:
    """One district's outcome in its comparison group under one policy."""

    band: str
    average: float | None
    next_band: NextBand | None
    reason: str | None = None


@dataclass(frozen=True)
class Policy:
    name: str
    name_zh: str
    description: str
    thresholds: tuple[Threshold, ...]  # best band first
    lowest: str
    tolerance: float

    def band(self, value: float | None, average: float | None) -> str:
        """The band of a value; no value, or an average of 0, is the lowest band."""
        if value is None or average is None or average <= 0:
            return self.lowest
        for threshold in self.thresholds:
            if threshold.reached(value, average, self.tolerance):
                return threshold.band
        return self.lowest

    def threshold_above(self, band: str) -> Threshold | None:
        bands = [t.band for t in self.thresholds] + [self.lowest]
        position = bands.index(band)
        return self.thresholds[position - 1] if position > 0 else None

    def next_band(self, band: str, value: float, others_sum: float, count: int) -> NextBand | None:
        """What reaches the band above: the average moves with the district's own value,
        so the value needed solves v = m x (others_sum + v) / count (others held fixed).
        None at the top band, or when no value can reach it (a district alone in its group
        always equals the average)."""
        threshold = self.threshold_above(band)
        if threshold is None or threshold.multiple >= count:
            return None
        needed = threshold.multiple * others_sum / (count - threshold.multiple)
        # a band that starts at 0 needs more than 0: a value of 0 is always 没有
        return NextBand(threshold.band, needed, max(needed - value, 0.0), threshold.strict or needed <= 0)

    def band_group(self, values: Mapping[str, float | None]) -> dict[str, Banded]:
        """Every district of one comparison group: band, group average, next band up."""
        present = {d: float(v) for d, v in values.items() if v is not None}
        average = sum(present.values()) / len(present) if present else None
        total = sum(present.values())
        out: dict[str, Banded] = {}
        for district, value in values.items():
            if value is None:
                out[district] = Banded(self.lowest, average, None, "无数值，不参加平均")
                continue
            band = self.band(value, average)
            reason = "所有区的平均值为 0" if not average else None
            out[district] = Banded(band, average, self.next_band(band, value, total - value, len(present)), reason)
        return out


@dataclass(frozen=True)
class Banding:
    bands: tuple[str, ...]
    policies: dict[str, Policy]
    default: str
    tolerance: float

    def policy(self, name: str | None = None) -> Policy:
        name = name or self.default
        if name not in self.policies:
            raise BandingError(f"未知的分档口径“{name}”：可选 {'、'.join(self.policies)}")
        return self.policies[name]


def _threshold(band: str, text: object, policy: str) -> Threshold:
    m = _THRESHOLD.match(str(text))
    if not m:
        raise BandingError(f'分档口径 {policy} 中“{band}”的起点“{text}”无法识别（应写作 ">= 1.15" 或 "> 0"）')
    return Threshold(band, float(m.group(2)), m.group(1) == ">")


def parse_banding(doc: dict) -> Banding:
    """Check and build the banding from its YAML document."""
    try:
        bands = tuple(doc["bands"])
        tolerance = float(doc["tolerance"])
        policies = {}
        for name, spec in doc["policies"].items():
            given = spec["thresholds"]
            if set(given) != set(bands[:-1]):
                raise BandingError(f"分档口径 {name} 应给出 {'、'.join(bands[:-1])} 的起点（且只给这几档）")
            thresholds = tuple(_threshold(b, given[b], name) for b in bands[:-1])
            multiples = [t.multiple for t in thresholds]
            if multiples != sorted(multiples, reverse=True):
                raise BandingError(f"分档口径 {name} 的起点应从高到低排列")
            policies[name] = Policy(
                name, spec.get("name_zh", name), spec.get("description", ""), thresholds, bands[-1], tolerance
            )
        default = doc["default"]
    except (KeyError, TypeError, AttributeError) as exc:
        raise BandingError(f"分档口径文件缺少或写错了项目：{exc}") from exc
    if default not in policies:
        raise BandingError(f"默认分档口径“{default}”未定义")
    return Banding(bands, policies, default, tolerance)


@lru_cache(maxsize=None)
def load_banding(path: Path | str = BANDING_FILE) -> Banding:
    """The banding policies (reference/banding.yml unless another file is given)."""
    with open(path, encoding="utf-8") as fh:
        return parse_banding(read_yaml(fh))
