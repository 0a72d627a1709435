"""Reporting periods: `2020Q2`, `2020H1`, `2020`.

A period has its own window (the quarter, the half-year or the year) and a year-to-date
window (1 January to the period's last day). Metrics are year to date unless a report says
本季度 (ledgers.md, reading rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd


class PeriodError(ValueError):
    """A period string that cannot be read."""


@dataclass(frozen=True)
class Period:
    code: str
    start: pd.Timestamp  # first day of the period itself
    end: pd.Timestamp    # last day of the period (inclusive)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def ytd_start(self) -> pd.Timestamp:
        return pd.Timestamp(self.year, 1, 1)

    @property
    def label_zh(self) -> str:
        m = re.fullmatch(r"(\d{4})(?:Q([1-4])|H([12]))?", self.code)
        year, q, h = m.groups()
        if q:
            return f"{year}年第{'一二三四'[int(q) - 1]}季度"
        if h:
            return f"{year}年{'上下'[int(h) - 1]}半年"
        return f"{year}年"

    @property
    def own_label(self) -> str:
        """What the period's own window is called beside 年初至本期末: 本季度, 本半年 or 本年."""
        return "本季度" if "Q" in self.code else "本半年" if "H" in self.code else "本年"

    def quarters_to_date(self) -> list[str]:
        """The quarter codes from the year's start to the period's end: 2020Q2 -> [2020Q1, 2020Q2]."""
        last = (self.end.month - 1) // 3 + 1
        return [f"{self.year}Q{q}" for q in range(1, last + 1)]

    def quarters(self) -> list[str]:
        """The quarter codes inside the period itself."""
        first = (self.start.month - 1) // 3 + 1
        last = (self.end.month - 1) // 3 + 1
        return [f"{self.year}Q{q}" for q in range(first, last + 1)]

    def window(self, ytd: bool = True) -> tuple[pd.Timestamp, pd.Timestamp]:
        return (self.ytd_start if ytd else self.start, self.end)

    def mask(self, dates: pd.Series, ytd: bool = True) -> pd.Series:
        """True where a date falls in the window (year to date by default)."""
        start, end = self.window(ytd)
        return dates.between(start, end)

    @property
    def elapsed_share(self) -> float:
        """Share of the year elapsed at the period's end (by quarters: 2020Q2 -> 0.5)."""
        return len(self.quarters_to_date()) / 4


YEARS = (2000, 2100)     # the years a period may be in: beyond them a code is a typing slip


def parse_period(text: str) -> Period:
    """A period from its code: a quarter (2020Q2), a half-year (2020H1) or a year (2020). Figures
    are year to date at its end unless a function is told ytd=False.

        >>> p = parse_period("2020q2")
        >>> p.code, p.label_zh, str(p.start.date()), str(p.end.date()), str(p.ytd_start.date())
        ('2020Q2', '2020年第二季度', '2020-04-01', '2020-06-30', '2020-01-01')
    """
    code = str(text).strip().upper().replace(" ", "")
    m = re.fullmatch(r"(\d{4})(?:Q([1-4])|H([12]))?", code)
    if not m:
        raise PeriodError(f"无法识别的期间“{text}”：应写作 2020Q2（季度）、2020H1（半年）或 2020（全年）")
    year, q, h = int(m.group(1)), m.group(2), m.group(3)
    if not YEARS[0] <= year <= YEARS[1]:
        raise PeriodError(f"期间“{text}”的年份不合理：应在 {YEARS[0]}—{YEARS[1]} 年之间（如 2020Q2）")
    if q:
        first_month = 3 * (int(q) - 1) + 1
        start = pd.Timestamp(year, first_month, 1)
        end = start + pd.offsets.QuarterEnd(0)
    elif h:
        start = pd.Timestamp(year, 1 if h == "1" else 7, 1)
        end = pd.Timestamp(year, 6, 30) if h == "1" else pd.Timestamp(year, 12, 31)
    else:
        start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    return Period(code, start, end.normalize())


_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MARKERS = (
    (re.compile(r"(20\d{2})[-_ ]?[Qq]([1-4])(?![0-9])"), lambda m: f"{m.group(1)}Q{m.group(2)}"),
    (re.compile(r"(20\d{2})[-_ ]?[Hh]([12])(?![0-9])"), lambda m: f"{m.group(1)}H{m.group(2)}"),
    (re.compile(r"(20\d{2})年?第?([一二三四1-4])季度"), lambda m: f"{m.group(1)}Q{_CN_QUARTER[m.group(2)]}"),
    (re.compile(r"(20\d{2})年?([上下])半年"), lambda m: f"{m.group(1)}H{'1' if m.group(2) == '上' else '2'}"),
)


def period_in_name(text: str) -> Period | None:
    """The quarter or half-year a folder or file name marks (2020Q2, 2020年第二季度, 2020年二季度,
    2020-H1, 2020年上半年), or None. A bare year (台账_2020.xlsx) marks no period: it is the
    ledger's year, not a submission round."""
    for pattern, code in _MARKERS:
        m = pattern.search(str(text))
        if m:
            return parse_period(code(m))
    return None
