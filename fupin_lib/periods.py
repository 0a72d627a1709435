"""Reporting periods: a quarter (`2020Q2`, `2020年第二季度`), a half-year (`2020H1`,
`2020年上半年`), a year (`2020`, `2020年`) or a day (`2020-06-30`, `2020年6月30日`: as of that day).

A period has its own window (the quarter, the half-year, the year, or the day itself) and a
year-to-date window (1 January to the period's last day). Metrics are year to date unless a
report says 本季度 (ledgers.md, reading rules); `Period.window_label` says which window a
figure covers, in Chinese, and `Period.own_window()` is the same period whose year-to-date
window is its own (for a function that only knows year to date).
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd


class PeriodError(ValueError):
    """A period string that cannot be read."""


_CODE = re.compile(r"(\d{4})(?:Q([1-4])|H([12]))?")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    code: str  # 2020Q2, 2020H1, 2020, or a day 2020-06-30
    start: pd.Timestamp  # first day of the period itself
    end: pd.Timestamp  # last day of the period (inclusive)
    own: bool = False  # True: the "year to date" window is the period's own window (own_window())

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def kind(self) -> str:
        """quarter, half, year or day."""
        return "day" if "-" in self.code else "quarter" if "Q" in self.code else "half" if "H" in self.code else "year"

    @property
    def ytd_start(self) -> pd.Timestamp:
        return self.start if self.own else pd.Timestamp(self.year, 1, 1)

    @property
    def label_zh(self) -> str:
        if self.kind == "day":
            return f"{self.end.year}年{self.end.month}月{self.end.day}日"
        year, q, h = _CODE.fullmatch(self.code).groups()
        if q:
            return f"{year}年第{'一二三四'[int(q) - 1]}季度"
        if h:
            return f"{year}年{'上下'[int(h) - 1]}半年"
        return f"{year}年"

    @property
    def own_label(self) -> str:
        """What the period's own window is called beside 年初至本期末: 本季度, 本半年, 本年 or 当日."""
        return {"quarter": "本季度", "half": "本半年", "year": "本年", "day": "当日"}[self.kind]

    def window_label(self, ytd: bool = True) -> str:
        """Which window a figure covers, in Chinese, with its dates: 年初至期末累计（2020年1月1日至
        2020年6月30日）, 本季度（2020年4月1日至2020年6月30日）, 当日（2020年6月30日）.

            >>> parse_period("2020Q2").window_label(ytd=False)
            '本季度（2020年4月1日至2020年6月30日）'
        """
        start, end = self.window(ytd)

        def day(d: pd.Timestamp) -> str:
            return f"{d.year}年{d.month}月{d.day}日"

        dates = day(end) if start == end else f"{day(start)}至{day(end)}"
        if not ytd or self.own:
            return f"{self.own_label}（{dates}）"
        return f"年初至{'当日' if self.kind == 'day' else '期末'}累计（{dates}）"

    def quarters_to_date(self) -> list[str]:
        """The quarter codes from the year's start to the period's end: 2020Q2 -> [2020Q1, 2020Q2]."""
        first = (self.ytd_start.month - 1) // 3 + 1
        last = (self.end.month - 1) // 3 + 1
        return [f"{self.year}Q{q}" for q in range(first, last + 1)]

    def quarters(self) -> list[str]:
        """The quarter codes inside the period itself (for a day: its quarter)."""
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

    def own_window(self) -> "Period":
        """The same period, whose year-to-date window is its own window: a function that only
        computes year to date then gives the figure of the quarter (half-year, day) itself."""
        return replace(self, own=True)

    def previous(self) -> "Period":
        """The period before, of the same kind: 2020Q1 -> 2019Q4, 2020H1 -> 2019H2, 2020 -> 2019;
        a day -> the same day a quarter earlier (a month's last day -> that month's last day).

            >>> [parse_period(c).previous().code for c in ("2020Q1", "2020H2", "2020", "2020-06-30")]
            ['2019Q4', '2020H1', '2019', '2020-03-31']
        """
        if self.kind == "day":
            return _shifted_day(self, months=3)
        if self.kind == "year":
            return replace(parse_period(str(self.year - 1)), own=self.own)
        letter, n, count = self.code[4], int(self.code[5]), 4 if self.kind == "quarter" else 2
        code = f"{self.year}{letter}{n - 1}" if n > 1 else f"{self.year - 1}{letter}{count}"
        return replace(parse_period(code), own=self.own)

    def year_before(self) -> "Period":
        """The same period of the previous year (2020Q2 -> 2019Q2; a day -> that day a year before)."""
        if self.kind == "day":
            return _shifted_day(self, months=12)
        return replace(parse_period(f"{self.year - 1}{self.code[4:]}"), own=self.own)


def _shifted_day(period: Period, months: int) -> Period:
    day = period.end
    earlier = day - pd.DateOffset(months=months)
    if day.is_month_end:
        earlier = earlier + pd.offsets.MonthEnd(0)
    return replace(_day_period(earlier), own=period.own)


YEARS = (2000, 2100)  # the years a period may be in: beyond them a code is a typing slip


def _check_year(year: int, text: object) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise PeriodError(f"期间“{text}”的年份不合理：应在 {YEARS[0]}—{YEARS[1]} 年之间（如 2020Q2）")


def _day_period(day) -> Period:
    day = pd.Timestamp(day).normalize()
    _check_year(day.year, day.date())
    return Period(day.strftime("%Y-%m-%d"), day, day)


_NUMERAL = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Written forms of a period: (pattern on the text without spaces, upper-cased) -> its code.
_FORMS = (
    (re.compile(r"(\d{4})[-_]?([QH])([1-4])"), lambda m: f"{m[1]}{m[2]}{m[3]}"),
    (re.compile(r"(\d{4})年?第?([一二三四1-4])季度"), lambda m: f"{m[1]}Q{_NUMERAL[m[2]]}"),
    (re.compile(r"(\d{4})年?([上下])半年"), lambda m: f"{m[1]}H{1 if m[2] == '上' else 2}"),
    (re.compile(r"(\d{4})年?(?:全年|年度)?"), lambda m: m[1]),
)
_DATES = re.compile(r"(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})日?)")


def parse_period(text) -> Period:
    """期间：季度（2020Q2、2020年第二季度、2020年二季度）、半年（2020H1、2020年上半年）、全年（2020、
    2020年）、某一天（2020-06-30、2020/6/30、2020年6月30日，或 datetime、pandas Timestamp：截至当天），
    或已有的 Period（原样返回）。除非函数指定 ytd=False（本期间自身），各项数字均为年初至期末累计；
    某一天的“本期间”就是当天（如当天在岗的干部）。

        >>> p = parse_period("2020q2")
        >>> p.code, p.label_zh, str(p.start.date()), str(p.end.date()), str(p.ytd_start.date())
        ('2020Q2', '2020年第二季度', '2020-04-01', '2020-06-30', '2020-01-01')
        >>> [parse_period(t).code for t in ("2020年第二季度", "2020年上半年", "2020年", "2020年6月30日")]
        ['2020Q2', '2020H1', '2020', '2020-06-30']
    """
    if isinstance(text, Period):
        return text
    if isinstance(text, (pd.Timestamp, _dt.date, np.datetime64)):
        if pd.isna(text):
            raise PeriodError("期间为空：应写作 2020Q2、2020年第二季度、2020H1、2020 或日期 2020-06-30")
        return _day_period(text)
    if isinstance(text, (int, np.integer)) and not isinstance(text, bool):
        text = str(int(text))
    code = str(text).strip().upper().replace(" ", "").replace("　", "")
    m = _CODE.fullmatch(code)
    if not m:
        for pattern, form in _FORMS:
            found = pattern.fullmatch(code)
            if found:
                m = _CODE.fullmatch(form(found))
                break
    if not m:
        day = _DATES.fullmatch(code)
        if day:
            year, month, dom = int(day[1]), int(day[2] or day[4]), int(day[3] or day[5])
            _check_year(year, text)
            try:
                return _day_period(pd.Timestamp(year, month, dom))
            except ValueError:
                raise PeriodError(f"无法识别的期间“{text}”：日期不存在") from None
        raise PeriodError(
            f"无法识别的期间“{text}”：应写作 2020Q2 或 2020年第二季度（季度）、2020H1 或 "
            "2020年上半年（半年）、2020（全年）或日期 2020-06-30（截至当天）"
        )
    code = m.group(0)
    year, q, h = int(m.group(1)), m.group(2), m.group(3)
    _check_year(year, text)
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


def period_range(periods) -> list[Period]:
    """多个期间：任意写法的期间列表，或同一种期间的范围 "2020Q1:2020Q4"（也可 2019H1:2020H2、
    2018:2020），或单个期间。

        >>> [p.code for p in period_range("2019Q4:2020Q2")]
        ['2019Q4', '2020Q1', '2020Q2']
    """
    if isinstance(periods, (list, tuple, pd.Index, pd.Series, np.ndarray)):
        return [parse_period(p) for p in periods]
    if isinstance(periods, str) and ":" in periods.replace("：", ":"):
        first_text, last_text = periods.replace("：", ":").split(":", 1)
        first, last = parse_period(first_text), parse_period(last_text)
        if first.kind != last.kind or first.kind == "day":
            raise PeriodError(f"期间范围“{periods}”的两端应为同一种期间（如 2020Q1:2020Q4），日期请逐个列出")
        if first.end > last.end:
            raise PeriodError(f"期间范围“{periods}”的起点晚于终点")
        out = [last]
        while out[-1].end > first.end:
            out.append(out[-1].previous())
        return out[::-1]
    return [parse_period(periods)]


_CN_QUARTER = _NUMERAL
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


def date_zh(value) -> str:
    """A day as Chinese official documents write it: 2020年6月30日 (a date, a datetime, a
    Timestamp or text starting with YYYY-MM-DD; the time of day is left out)."""
    import re
    from datetime import date as _date

    if isinstance(value, _date):
        y, m, d = value.year, value.month, value.day
    else:
        found = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
        if not found:
            return str(value)
        y, m, d = (int(x) for x in found.groups())
    return f"{y}年{m}月{d}日"
