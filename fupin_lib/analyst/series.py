"""A figure over several periods, as one tidy table: `series(figure, periods)`.

`figure` is a metric key of reference/metrics.csv ('extra_funds_wan') or a figure function
(`figures.consumption.canteen_overall`); its tables are taken from the store by the names of
its parameters (cadres, funds, tables …). Each row is one value of one period, with the value of
the period before (`previous`: 2020Q1 before 2020Q2, 2019Q4 before 2020Q1) and of the same period
a year before (`previous_year`), their changes, and a note.

The previous year is read as the year-end issue (20) defines it: from that year's ledgers when
the raw folder holds them; otherwise 无数据 (the office's typed one-sheet file of last year's
figures is not read here yet). A period none of whose ledgers was read is 无数据 (NaN) with a
NoLedgersWarning, never 0; a ledger nobody handed in is 未报送.
"""

from __future__ import annotations

import inspect
import math
import numbers
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config, refdata
from ..figures.coverage import NOT_SENT
from ..filters import FilterError, applies, where
from ..ledgers import ledger_specs
from ..periods import Period, period_range
from ..windows import NoLedgersWarning, WINDOW_ATTR, years_read

NO_DATA = "无数据"
PERIOD_COLUMNS = ["figure", "period", "period_label", "window", "start", "end"]
VALUE_COLUMNS = [
    "value",
    "previous_period",
    "previous",
    "change",
    "change_rate",
    "previous_year_period",
    "previous_year",
    "yoy_change",
    "yoy_rate",
    "note",
]


class SeriesError(ValueError):
    """A figure series cannot take (unknown key, a function it cannot call); message in Chinese."""


def _is_number(value) -> bool:
    return (
        isinstance(value, numbers.Number)
        and not isinstance(value, (bool, np.bool_))
        and not (isinstance(value, float) and math.isnan(value))
    )


def _scalar(value):
    if isinstance(value, (list, tuple, set)):
        return "、".join(map(str, value))
    if isinstance(value, np.generic):
        return value.item()
    return value


def _tidy(result) -> list[tuple[dict, object]]:
    """A figure's result as (keys, value) pairs."""
    if hasattr(result, "table") and isinstance(getattr(result, "table"), pd.DataFrame):  # figures.sections.Section
        table = result.table
        result = table.set_index(table.columns[0])
    if isinstance(result, pd.DataFrame):
        names = [n or ("row" if result.index.nlevels == 1 else f"row{i}") for i, n in enumerate(result.index.names)]
        out = []
        for index, row in result.iterrows():
            index = index if isinstance(index, tuple) else (index,)
            for column, value in row.items():
                out.append(({**dict(zip(names, map(_scalar, index))), "column": str(column)}, _scalar(value)))
        return out
    if isinstance(result, pd.Series):
        name = result.index.name or "item"
        return [({name: _scalar(k)}, _scalar(v)) for k, v in result.items()]
    if isinstance(result, dict):
        out = []
        for k, v in result.items():
            if isinstance(v, dict):
                out += [({"item": f"{k}/{sub}"}, _scalar(x)) for sub, x in v.items()]
            else:
                out.append(({"item": k}, _scalar(v)))
        return out
    if isinstance(result, tuple):
        raise SeriesError("该函数返回多个结果（元组），不能直接作为序列；请传入只返回数字、字典或表格的函数")
    return [({}, _scalar(result))]


class _Figure:
    """What series needs of a figure: its name, the tables it reads and how to compute it."""

    def __init__(self, figure, options: dict | None):
        self.options = dict(options or {})
        specs = ledger_specs()
        if isinstance(figure, str):
            keys = refdata.metrics()["key"].tolist()
            if figure not in keys:
                import difflib

                labels = dict(zip(refdata.metrics()["label_zh"], keys))
                near = difflib.get_close_matches(figure, keys, n=1, cutoff=0.5) or [
                    labels[c] for c in difflib.get_close_matches(figure, list(labels), n=1, cutoff=0.4)
                ]
                hint = f"最接近的是“{near[0]}”（{refdata.metric_label(near[0])}）；" if near else ""
                raise SeriesError(
                    f"没有指标键“{figure}”：{hint}指标键见 reference/metrics.csv，也可以传入 fupin_lib.figures 中的函数"
                )
            self.key, self.name, self.fn = figure, figure, None
            self.needs = self._metric_sources(figure) or list(specs)
            return
        if not callable(figure):
            raise SeriesError(
                f"figure 应为指标键（如 'extra_funds_wan'）或 fupin_lib.figures 中的函数，而不是 {type(figure).__name__}"
            )
        self.key, self.fn = None, figure
        module = getattr(figure, "__module__", "") or ""
        self.name = (
            f"{module.rsplit('.', 1)[-1]}.{figure.__name__}"
            if module.startswith("fupin_lib.figures")
            else figure.__name__
        )
        self.params = inspect.signature(figure).parameters
        if "period" not in self.params:
            raise SeriesError(f"函数 {self.name} 没有 period 参数，不能按期间计算")
        self.needs = []
        for name, param in self.params.items():
            if name == "tables":
                self.needs = list(specs)
                break
            if name in specs:
                self.needs.append(name)
            elif (
                name not in ("period", "ytd", "supplied")
                and name not in self.options
                and param.default is inspect.Parameter.empty
            ):
                raise SeriesError(
                    f"series 无法为函数 {self.name} 的参数“{name}”提供值：请用 options={{'{name}': …}} 传入"
                )

    @staticmethod
    def _metric_sources(key: str) -> list[str]:
        from ..figures import registry

        try:
            for needs, keys in registry._keys_by_derivation():
                if key in keys:
                    return list(needs)
        except Exception:  # the registry's bookkeeping changed: every table is a source
            return []
        return ["self_assessment"]

    def compute(self, tables: dict, period: Period, ytd: bool, supplied: set[str]) -> list[tuple[dict, object]]:
        window = period if ytd else period.own_window()
        if self.fn is None:
            from ..figures.registry import compute_metrics

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", NoLedgersWarning)  # said once, by series
                values = compute_metrics(tables, window, supplied)
            return [({}, _scalar(values.get(self.key, np.nan)))]
        kwargs = dict(self.options)
        for name in self.params:
            if name == "period":
                kwargs[name] = window
            elif name == "ytd":
                kwargs[name] = ytd
            elif name == "tables":
                kwargs[name] = tables
            elif name == "supplied":
                kwargs[name] = supplied
            elif name in tables:
                kwargs[name] = tables[name]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", NoLedgersWarning)  # said once, by series
            return _tidy(self.fn(**kwargs))


def _filtered(tables: dict[str, pd.DataFrame], needs: list[str], filters: dict) -> dict[str, pd.DataFrame]:
    if not filters:
        return tables
    out = dict(tables)
    for column, value in filters.items():
        usable = [k for k in needs if applies(column, tables[k])]
        if not usable:
            names = "、".join(ledger_specs()[k].sheet for k in needs)
            raise FilterError(f"筛选条件“{column}”不适用于该数字所用的表（{names}）：这些表中没有这一列")
        for key in usable:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out[key] = where(out[key], key, **{column: value})
        if all(out[k].empty for k in usable):  # one valid value, no row at all: said once
            warnings.warn(f"按 {column}={value} 筛选后，该数字所用的表中没有行", stacklevel=3)
    return out


def series(
    figure, periods, ytd: bool = True, raw_dir: Path | str = config.RAW_DIR, options: dict | None = None, **filters
) -> pd.DataFrame:
    """一项数字在多个期间的值，整理为一张长表（每期一行，表格型结果每个单元格一行）。

    - `figure`：指标键（如 'extra_funds_wan'，见 reference/metrics.csv）或 `fupin_lib.figures` 中的函数
      （如 `consumption.canteen_overall`），函数所需的表按参数名从清洗结果中取；
    - `periods`：期间列表（['2020Q1', '2020年第二季度', '2020-06-30']）或范围 '2020Q1:2020Q4'；
    - `ytd`：True 为年初至期末累计，False 为各期间本身（本季度、本半年、当日），`window` 列写明口径；
    - `options`：函数的其他参数（如 {'by': 'channel'}）；其余关键字为筛选条件（如 area='和田县'，
      见 `fupin_lib.where`）。

    各列：figure、period、period_label、window、start、end、（表格型结果的行、列）、value，上一期
    previous_period/previous、change、change_rate，上年同期 previous_year_period/previous_year、
    yoy_change、yoy_rate，以及 note。没有该年台账的期间记为“无数据”（NaN，并给出 NoLedgersWarning），
    没有部门报送的台账记为“未报送”，都不是 0。

        >>> s = series("extra_funds_wan", "2020Q1:2020Q2", ytd=False)     # 示例数据
        >>> s[["period", "value", "previous", "change"]].values.tolist()
        [['2020Q1', 7857.57, nan, nan], ['2020Q2', 128.91, 7857.57, -7728.66]]
        >>> s["note"].tolist()[0]
        '上一期无数据（原始台账中没有2019年的台账）；上年同期无数据（原始台账中没有2019年的台账）'
    """
    from ..store import load_result

    fig = _Figure(figure, options)
    wanted = period_range(periods)
    if not wanted:
        raise SeriesError("没有给出期间")
    result = load_result(raw_dir)
    supplied = set(result.supplied)
    tables = _filtered({k: result.tables[k] for k in ledger_specs()}, fig.needs, filters)
    years_by_table = years_read(result)
    read_years = set().union(*(years_by_table[k] for k in fig.needs)) if fig.needs else set()
    if fig.key is not None:
        from ..figures.registry import not_sent_keys

        not_sent = fig.key in not_sent_keys(supplied)
    else:
        not_sent = bool(fig.needs) and not any(k in supplied for k in fig.needs)
    sent_names = "、".join(dict.fromkeys(ledger_specs()[k].sheet for k in fig.needs))
    cache: dict[tuple, tuple[list | None, str]] = {}

    def values(p: Period) -> tuple[list | None, str]:
        key = (p.code, p.own)
        if key not in cache:
            if not_sent:
                cache[key] = (None, f"{NOT_SENT}（{sent_names}）")
            elif p.year not in read_years:
                cache[key] = (None, f"{NO_DATA}（原始台账中没有{p.year}年的台账）")
            else:
                cache[key] = (fig.compute(tables, p, ytd, supplied), "")
        return cache[key]

    rows, missing = [], []
    for p in wanted:
        now, note = values(p)
        before, before_note = values(p.previous())
        last_year, last_note = values(p.year_before())
        if now is None:
            missing.append((p, note))
        lookup_before = {tuple(sorted(k.items())): v for k, v in (before or [])}
        lookup_year = {tuple(sorted(k.items())): v for k, v in (last_year or [])}
        base = {
            "figure": fig.name,
            "period": p.code,
            "period_label": p.label_zh,
            "window": p.window_label(ytd),
            "start": p.window(ytd)[0],
            "end": p.end,
        }
        notes = [note] if note else []
        if before is None and now is not None:
            notes.append("上一期" + before_note)
        if last_year is None and now is not None:
            notes.append("上年同期" + last_note)
        for keys, value in now if now is not None else [({}, np.nan)]:
            ident = tuple(sorted(keys.items()))
            prev, prev_year = lookup_before.get(ident, np.nan), lookup_year.get(ident, np.nan)
            both = _is_number(value) and _is_number(prev)
            both_year = _is_number(value) and _is_number(prev_year)
            rows.append(
                {
                    **base,
                    **keys,
                    "value": value,
                    "previous_period": p.previous().code,
                    "previous": prev,
                    "change": round(value - prev, 6) if both else np.nan,
                    "change_rate": value / prev - 1 if both and prev else np.nan,
                    "previous_year_period": p.year_before().code,
                    "previous_year": prev_year,
                    "yoy_change": round(value - prev_year, 6) if both_year else np.nan,
                    "yoy_rate": value / prev_year - 1 if both_year and prev_year else np.nan,
                    "note": "；".join(notes),
                }
            )
    if missing:
        warnings.warn(
            "；".join(f"{p.label_zh}：{why}" for p, why in missing) + "。这些期间记为 NaN，不是 0",
            NoLedgersWarning,
            stacklevel=2,
        )
    frame = pd.DataFrame(rows)
    keys = [c for c in frame.columns if c not in PERIOD_COLUMNS and c not in VALUE_COLUMNS]
    frame = frame[PERIOD_COLUMNS + keys + VALUE_COLUMNS]
    frame.attrs[WINDOW_ATTR] = wanted[0].window_label(ytd).split("（")[0] + "，各期见 window 列"
    frame.attrs["表"] = "series"
    return frame
