"""The previous year of a figure, and its growth (同比).

The previous year's figure of a period (2021H1 -> 2020H1, year to date at the same day) comes,
in this order, from:

1. the previous year's ledgers, when the raw folder holds them (one folder per year, 2020年/ and
   2021年/, its rounds inside; ingest/years.py: that year's ledgers only);
2. the table the office types (`data/上年数据/<年份>.xlsx` or `.csv`, one sheet, columns 指标,
   数值, 来源, optionally 期间): its figures are the whole year's unless 期间 names a quarter or a
   half-year, so they compare with a period ending in December (2020Q4, 2020H2, 2020) only;
3. else 无数据, never 0.

Growth = this year / previous year - 1 (0.25 is +25%), for amounts and counts; "—" where the
previous year's figure is 0, 无数据 where either is not a number (无数据, 未报送, 待核).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config, refdata
from ..periods import Period, parse_period

NO_DATA = "无数据"
NOT_COMPARABLE = "—"
# The metric units whose growth means something (not flags, grades or names).
_GROWING_UNITS = ("count", "persons", "10k CNY")
TYPED_COLUMNS = ("指标", "数值", "来源")


class PreviousYearError(ValueError):
    """A previous-year table that cannot be used; the message is Chinese (file, row, column)."""


def previous_period(period: Period) -> Period:
    """The same period a year earlier: 2021H1 -> 2020H1, 2021 -> 2020."""
    return parse_period(str(period.year - 1) + period.code[4:])


@dataclass
class PreviousYear:
    """The previous year's figures of a period: metric key -> value (a number, or 未报送 / 待核 as
    that year's ledgers read, or 无数据), and where they come from."""

    period: Period  # the previous year's period
    values: dict[str, object]
    source: str  # 2020年台账 / 上年数据表 … / "" (none)
    notes: dict[str, str] = field(default_factory=dict)  # key -> the source a typed row names

    def of(self, key: str) -> object:
        return self.values.get(key, NO_DATA)

    @property
    def known(self) -> bool:
        return any(not isinstance(v, str) for v in self.values.values())


def _number(value: object) -> float | None:
    if value is None or isinstance(value, (str, bool)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) or math.isinf(number) else number


def growth(current: object, previous: object) -> float | str:
    """current / previous - 1; "—" when previous is 0, 无数据 when either is not a number.

    >>> growth(450, 300), growth(2, 0), growth(5, "无数据"), growth("未报送", 3)
    (0.5, '—', '无数据', '无数据')
    """
    now, before = _number(current), _number(previous)
    if now is None or before is None:
        return NO_DATA
    if before == 0:
        return NOT_COMPARABLE
    return round(now / before - 1, 6)


def grows(key: str) -> bool:
    """True for a metric whose growth means something (an amount or a count)."""
    units = refdata.metrics().set_index("key")["unit"]
    return key in units and str(units[key]).startswith(_GROWING_UNITS)


def growth_of(current: dict[str, object], previous: PreviousYear) -> dict[str, object]:
    """Metric key -> growth over the previous year, keyed like `current`; "—" for flags and
    grades, which do not grow."""
    return {k: growth(v, previous.of(k)) if grows(k) else NOT_COMPARABLE for k, v in current.items()}


# --- from the previous year's ledgers ----------------------------------------------------------


def has_ledgers_of(result, year: int) -> bool:
    """True when the raw folder holds ledgers of `year` (a round or a file naming it)."""
    from ..ingest.years import file_years

    return year in file_years(result)


def from_ledgers(result, period: Period, district: str = config.HOME_DISTRICT) -> PreviousYear | None:
    """The previous year's figures from its own ledgers in the raw folder (an IngestResult of
    the whole folder), as `fupin metrics` reads them; None when it holds none of that year."""
    from ..ingest.years import year_view
    from .registry import metrics_document

    before = previous_period(period)
    if not has_ledgers_of(result, before.year):
        return None
    view = year_view(result, before.year)
    doc = metrics_document(view.tables, before, district, supplied=view.supplied)
    return PreviousYear(before, dict(doc["metrics"]), f"{before.year}年台账（{before.label_zh}，年初至期末累计）")


# --- from the table the office types -----------------------------------------------------------


def typed_file(year: int, folder: Path | None = None) -> Path | None:
    """The office's table of `year`'s figures (data/上年数据/2020.xlsx, 2020年.csv …), or None."""
    folder = Path(folder) if folder is not None else config.PREVIOUS_YEAR_DIR
    if not folder.is_dir():
        return None
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith(("~$", "."))
        and p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".csv")
        and re.search(rf"(?<!\d){year}(?!\d)", p.stem)
    )
    return found[0] if found else None


def _lookup() -> dict[str, str]:
    norm = lambda t: re.sub(r"\s+", "", str(t)).replace("（", "(").replace("）", ")").lower()  # noqa: E731
    out = {}
    for row in refdata.metrics().itertuples():
        if row.key != "district":
            out[norm(row.key)] = row.key
            out[norm(row.label_zh)] = row.key
    return out, norm


def read_typed(path: Path, year: int) -> dict[str, dict[str, tuple[object, str]]]:
    """The typed table: period code (the year's code for 全年) -> metric key -> (value, 来源).
    Every problem is named (file, row, column, value) in one PreviousYearError."""
    from ..ingest.parsers import parse_self_assessed
    from ..tabular import TableFileError, read_table_any

    try:
        df = read_table_any(path)
    except TableFileError as exc:
        raise PreviousYearError(str(exc)) from exc
    missing = [c for c in TYPED_COLUMNS if c not in df.columns]
    if missing:
        raise PreviousYearError(
            f"{path.name}：缺少“{'”“'.join(missing)}”列（上年数据表应有 指标、数值、来源 三列，可另加“期间”列）"
        )
    lookup, norm = _lookup()
    problems, out, seen = [], {}, {}
    for i, row in enumerate(df.to_dict("records"), start=2):
        name, raw = str(row["指标"]).strip(), str(row["数值"]).strip()
        if not name and not raw:
            continue
        key = lookup.get(norm(name))
        if key is None:
            problems.append(f"第{i}行“指标”列：未知的指标“{name}”（应为 metrics.csv 的指标键或中文名称）")
            continue
        code = str(row.get("期间", "") or "").strip() or str(year)
        try:
            when = parse_period(code)
        except ValueError:
            problems.append(f"第{i}行“期间”列：无法识别的期间“{code}”（应写作 {year}、{year}H1 或 {year}Q2）")
            continue
        if when.year != year:
            problems.append(f"第{i}行“期间”列：{code} 不是 {year} 年的期间")
            continue
        if not raw:
            problems.append(f"第{i}行“数值”列：没有填写“{name}”的数值")
            continue
        parsed = parse_self_assessed(key, raw)
        if parsed.problem or parsed.value is None:
            problems.append(f"第{i}行“数值”列：{parsed.problem or '无法读取'}（填写：{raw}）")
            continue
        if (when.code, key) in seen:
            problems.append(f"第{i}行：“{name}”（{when.code}）重复（第{seen[(when.code, key)]}行已有）")
            continue
        seen[(when.code, key)] = i
        out.setdefault(when.code, {})[key] = (parsed.value, str(row["来源"]).strip())
    if problems:
        raise PreviousYearError(
            f"上年数据表 {path} 有 {len(problems)} 处问题：\n" + "\n".join(f"  - {p}" for p in problems[:20])
        )
    return out


def from_typed(period: Period, folder: Path | None = None) -> PreviousYear | None:
    """The previous year's figures from the office's table, or None when there is none. Whole-
    year figures stand for a period ending in December only; other periods need 期间 rows."""
    before = previous_period(period)
    path = typed_file(before.year, folder)
    if path is None:
        return None
    rows = read_typed(path, before.year)
    found = dict(rows.get(before.code, {}))
    if before.end.month == 12 and before.code != str(before.year):
        found = {**rows.get(str(before.year), {}), **found}
    shown = config.shown(path)
    return PreviousYear(
        before,
        {k: v for k, (v, _src) in found.items()},
        f"上年数据表（{shown}）",
        {k: src for k, (_v, src) in found.items() if src},
    )


def previous_year(
    result, period: Period, district: str = config.HOME_DISTRICT, folder: Path | None = None
) -> PreviousYear:
    """The previous year's figures of a period: from its ledgers, else the office's table,
    else every figure 无数据 (module docstring). `result`: the whole raw folder's IngestResult."""
    found = from_ledgers(result, period, district) if result is not None else None
    if found is None:
        found = from_typed(period, folder)
    return found if found is not None else PreviousYear(previous_period(period), {}, "")


def previous_value(
    figure: str, period: Period | str, result=None, district: str = config.HOME_DISTRICT
) -> tuple[object, str]:
    """The previous year of one figure (a metrics.csv key) at a period: (value, where from);
    (无数据, "") when neither the ledgers nor the office's table have it. `result`: the raw
    folder's IngestResult (default: data/raw through the store).

        >>> previous_value("extra_funds_wan", "2020Q2")     # the shipped sample has no 2019
        ('无数据', '')
    """
    from ..store import load_result

    period = parse_period(period) if isinstance(period, str) else period
    result = load_result() if result is None else result
    prev = previous_year(result, period, district)
    return prev.of(figure), (prev.notes.get(figure) or prev.source) if figure in prev.values else ""


def document(result, period: Period, district: str, current: dict[str, object]) -> dict:
    """The `previous_year` and `growth` objects of `fupin metrics --json`, keyed like `metrics`,
    with where the previous year comes from."""
    prev = previous_year(result, period, district)
    return {
        "previous_year": {k: _plain(prev.of(k)) for k in current},
        "growth": growth_of(current, prev),
        "previous_year_source": {
            "period": prev.period.code,
            "source": prev.source or NO_DATA,
            **({"notes": prev.notes} if prev.notes else {}),
        },
    }


def _plain(value: object) -> object:
    number = _number(value)
    if number is None:
        return value if isinstance(value, str) else NO_DATA
    return int(number) if number.is_integer() and not isinstance(value, float) else number


# --- the funds statistics table (the scheme's item 4.1 evidence) --------------------------------

FUNDS_COLUMNS = ["本年度（万元）", "上年度（万元）", "结对县数", "县均（万元）", "增长率", "投入深度贫困地区（万元）"]


def funds_statistics(
    tables: dict[str, pd.DataFrame], period: Period, previous: PreviousYear, supplied=None
) -> pd.DataFrame:
    """The funds statistics table the scheme asks for (item 4.1): this year's extra funds (year
    to date at the period's end), the previous year's, the paired counties, funds per county,
    growth, and the funds put into deep-poverty areas. 未报送 / 待核 where the funds ledger is,
    无数据 for a previous year nobody has."""
    from . import coverage, funds

    cover = coverage.Coverages(supplied, period).figure("metrics", "extra_funds_wan")
    rows = funds.extra_funds(tables["funds"], period)
    counties = len(refdata.area_names())
    this = round(float(rows["amount_wan"].sum()), 6)
    deep = round(float(rows.loc[rows["deep_poverty"].eq(True), "amount_wan"].sum()), 6)
    before = previous.of("extra_funds_wan")
    shown = cover.shown(this)
    row = {
        "本年度（万元）": shown,
        "上年度（万元）": before if _number(before) is not None else (before if isinstance(before, str) else NO_DATA),
        "结对县数": counties,
        "县均（万元）": cover.shown(round(this / counties, 6)) if counties else NOT_COMPARABLE,
        "增长率": growth(shown, before),
        "投入深度贫困地区（万元）": cover.shown(deep),
    }
    table = pd.DataFrame([row], columns=FUNDS_COLUMNS, index=pd.Index([period.label_zh], name="期间"))
    return table
