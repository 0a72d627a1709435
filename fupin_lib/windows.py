"""A figure function's period, as an analyst writes it, and the window its result covers.

Every figure function takes its period as a `Period`. `accepts_periods` lets it take any written
form too ('2020Q2', '2020年第二季度', '2020H1', '2020', '2020-06-30', a date): figures/__init__.py
applies it to every public function of figures/ that has a `period` parameter, so that no
function body parses a period. On the outermost call (not inside another figure function) the
wrapper also

- marks a DataFrame or Series result with the window it covers, `result.attrs["口径"]`
  (年初至期末累计（…） or 本季度（…）: Period.window_label), which the Lab shows above the table;
- warns (`NoLedgersWarning`) when the clean tables it was given come from files of other years
  only: a 0 for 2019Q2 from 2020 ledgers is no ledger, not a zero.

The years a table's rows come from are read from their source files (`_file`: the round folder
2020Q2/ or 2020年第二季度/, else a year in the folder or file name, 部门_台账_2020.xlsx).
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import re
import warnings
from pathlib import PurePath

import pandas as pd

from .periods import Period, parse_period, period_in_name

WINDOW_ATTR = "口径"
_DEPTH = contextvars.ContextVar("fupin_figure_depth", default=0)
_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class NoLedgersWarning(UserWarning):
    """A period none of whose ledgers was read: its figures are 无数据, not 0."""


@functools.lru_cache(maxsize=4096)
def year_of_file(file: str) -> int | None:
    """The year a ledger file is for: its round (2020Q2/, 2020年第二季度) or a year in its folder
    or file name (2020年/, 部门_台账_2020.xlsx); None when nothing says.

        >>> year_of_file("2021年/区财政局_资金台账.xlsx"), year_of_file("区财政局_资金台账_2020.xlsx")
        (2021, 2020)
    """
    for part in PurePath(str(file)).parts:
        marked = period_in_name(part)
        if marked is not None:
            return marked.year
    for part in PurePath(str(file)).parts:
        found = _YEAR.search(part)
        if found:
            return int(found.group(1))
    return None


YEARS_ATTR = "台账年份"


def ledger_years(table: pd.DataFrame) -> set[int]:
    """The years whose ledgers a clean table was read from: as load() marks it (attrs["台账年份"],
    kept through filters), else by the files of its rows (empty when unknown)."""
    marked = getattr(table, "attrs", {}).get(YEARS_ATTR)
    if marked is not None:
        return set(marked)
    if "_file" not in getattr(table, "columns", ()) or table.empty:
        return set()
    return {y for y in map(year_of_file, table["_file"].dropna().unique()) if y is not None}


def years_read(result) -> dict[str, set[int]]:
    """Per clean table of an IngestResult, the years whose ledgers were read (by file: round
    folder, year in the folder or file name; else the years of the rows' dates)."""
    from .ledgers import ledger_specs

    specs = ledger_specs()
    out: dict[str, set[int]] = {key: set() for key in specs}
    for sheet in result.sheets:
        if not sheet.used:
            continue
        year = year_of_file(sheet.file)
        if year is not None:
            out[sheet.ledger].add(year)
            continue
        table, dated = result.tables.get(sheet.ledger), specs[sheet.ledger].dated_by
        if table is not None and dated and dated in table:
            rows = table.loc[table["_file"] == sheet.file, dated]
            out[sheet.ledger] |= {int(y) for y in pd.to_datetime(rows, errors="coerce").dt.year.dropna().unique()}
    return out


def no_ledgers_message(period: Period, years: set[int], what: str = "台账") -> str:
    """What is said of a period none of whose ledgers was read (Chinese)."""
    known = "、".join(f"{y}年" for y in sorted(years))
    return (
        f"{period.label_zh}：{what}中没有{period.year}年的台账（读到的是{known}的台账），"
        f"该期间的数字应读作“无数据”，不是 0"
    )


def _check_years(period: Period, tables: dict[str, pd.DataFrame], fn_name: str) -> None:
    years: set[int] = set()
    for table in tables.values():
        years |= ledger_years(table)
    if years and period.year not in years:
        warnings.warn(no_ledgers_message(period, years, f"{fn_name} 所用的表"), NoLedgersWarning, stacklevel=4)


def accepts_periods(fn):
    """Wrap a figure function so that its `period` may be written in any form parse_period
    reads (see the module's docstring). Functions without a `period` parameter are returned
    as they are; wrapping twice changes nothing."""
    if getattr(fn, "__fupin_periods__", False):
        return fn
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn
    names = list(sig.parameters)
    if "period" not in names:
        return fn
    position = names.index("period")
    ytd_default = sig.parameters["ytd"].default if "ytd" in names else None
    ytd_position = names.index("ytd") if "ytd" in names else None

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if position < len(args):
            given = args[position]
            if not isinstance(given, Period):
                args = (*args[:position], parse_period(given), *args[position + 1 :])
            period = args[position]
        elif "period" in kwargs:
            if not isinstance(kwargs["period"], Period):
                kwargs["period"] = parse_period(kwargs["period"])
            period = kwargs["period"]
        else:
            return fn(*args, **kwargs)
        depth = _DEPTH.get()
        if depth:
            return fn(*args, **kwargs)
        bound = dict(zip(names, args)) | kwargs
        frames = {}
        for name, value in bound.items():
            if isinstance(value, pd.DataFrame):
                frames[name] = value
            elif name == "tables" and isinstance(value, dict):
                frames.update({k: v for k, v in value.items() if isinstance(v, pd.DataFrame)})
        _check_years(period, frames, fn.__name__)
        token = _DEPTH.set(depth + 1)
        try:
            result = fn(*args, **kwargs)
        finally:
            _DEPTH.reset(token)
        own_label = (
            isinstance(result, (pd.DataFrame, pd.Series))
            and WINDOW_ATTR in result.attrs
            and not any(WINDOW_ATTR in f.attrs for f in frames.values())
        )
        if isinstance(result, (pd.DataFrame, pd.Series)) and not own_label:  # a function may say it itself
            if ytd_position is None:
                ytd = True
            else:
                ytd = bound.get("ytd", ytd_default)
            result.attrs[WINDOW_ATTR] = period.window_label(bool(ytd) if ytd is not None else True)
        return result

    wrapper.__fupin_periods__ = True
    wrapper.__signature__ = sig
    return wrapper


def wrap_module(module) -> list[str]:
    """Apply accepts_periods to every public function defined in a module; returns their names."""
    done = []
    for name, value in list(vars(module).items()):
        if (
            inspect.isfunction(value)
            and value.__module__ == module.__name__
            and not name.startswith("_")
            and "period" in inspect.signature(value).parameters
        ):
            setattr(module, name, accepts_periods(value))
            done.append(name)
    return done
