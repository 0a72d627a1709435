"""Ledgers of several years in one raw folder (2020年/2020年第四季度/, 2021年/2021年第一季度/).

A department's ledger of a year is the truth for that year: its rounds replace only the earlier
rounds of the same year (ingest.folder), and a later year's files never replace an earlier
year's. The figures of a year read that year's ledgers (`year_view`): the rows of later years'
files are left out; an earlier year's rows count only where the department did not send that
ledger for the year, and only the rows that reach into it (a cadre still in post, a pairing
signed before it, the year's rows of a yearly ledger), which is said.

The year of a file is its round's (2021年第一季度/), else the last year its path names
(区财政局_资金台账_2021.xlsx, 2021年/), else none: a file without a year counts in every year.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import pandas as pd

from .file_names import department_of, round_of
from .result import IngestResult, Notice
from ..ledgers import LedgerSpec, ledger_specs
from ..tabular import read_yaml

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


@lru_cache(maxsize=4096)
def ledger_year(file: str, round_code: str = "") -> int | None:
    """The year a ledger file is for: its round's, else the last year its path names, else None.

    >>> ledger_year("2021年/2021年第一季度/区财政局_资金台账.xlsx"), ledger_year("区财政局_资金台账_2020.xlsx")
    (2021, 2020)
    """
    if round_code:
        return int(round_code[:4])
    found = round_of(str(file))
    if found is not None:
        return found.year
    years = _YEAR.findall(str(file))
    return int(years[-1]) if years else None


def file_years(result: IngestResult) -> set[int | None]:
    """The years of the files whose sheets count (None for a file without a year)."""
    return {ledger_year(s.file, s.round) for s in result.sheets if s.used}


def reaches(table: pd.DataFrame, spec: LedgerSpec, year: int) -> pd.Series:
    """True for the rows of a ledger that count in `year`: a posting in post on any of its days
    (start and end dates), a standing thing (ledgers.yml `standing`: a pairing, a training base)
    dated before its end, a dated row dated in it, a row of a yearly ledger for it (年度, 季度)."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    names = {c.name: c for c in spec.columns}
    if not len(table):
        return pd.Series(False, index=table.index)
    if "start_date" in names and "end_date" in names and not spec.dated_by:
        return (table["start_date"] <= end) & (table["end_date"].isna() | (table["end_date"] >= start))
    if spec.dated_by:
        dates = pd.to_datetime(table[spec.dated_by], errors="coerce")
        return (dates <= end) if standing(spec.key) else dates.between(start, end)
    for col in spec.columns:
        if col.type == "year":
            return pd.to_numeric(table[col.name], errors="coerce").eq(year)
        if col.type in ("quarter", "period"):
            return table[col.name].astype(str).str[:4].eq(str(year))
    return pd.Series(False, index=table.index)


@lru_cache(maxsize=1)
def _standing() -> frozenset[str]:
    from ..config import REFERENCE_DIR

    raw = read_yaml((REFERENCE_DIR / "ledgers.yml").read_text(encoding="utf-8"))
    return frozenset(e["key"] for e in raw["ledgers"] if e.get("standing"))


def standing(key: str) -> bool:
    """True for a ledger whose rows count in every later period once dated (ledgers.yml)."""
    return key in _standing()


def year_view(result: IngestResult, year: int) -> IngestResult:
    """The ingest result as the figures of `year` read it (module docstring). The result itself
    when every file counted is for that year or names none (one year's folder)."""
    years = file_years(result)
    if years <= {year, None}:
        return result
    specs = ledger_specs()
    # (department, ledger) -> the years it sent that ledger for
    sent: dict[tuple[str, str], set] = {}
    for s in result.sheets:
        if s.used:
            sent.setdefault((s.department, s.ledger), set()).add(ledger_year(s.file, s.round))
    # (department, ledger) -> the earlier year whose rows it carries into `year`
    carried: dict[tuple[str, str], int] = {}
    for key, got in sent.items():
        if year not in got and None not in got:
            earlier = [y for y in got if y is not None and y < year]
            if earlier:
                carried[key] = max(earlier)

    def counts(file: str, ledger: str) -> bool:
        y = ledger_year(file)
        return y is None or y == year or carried.get((department_of(file), ledger)) == y

    tables, used_files, notices = {}, set(), []
    for key, table in result.tables.items():
        if not len(table):
            tables[key] = table
            continue
        files = table["_file"].drop_duplicates()
        keep_files = {f for f in files if counts(f, key)}
        keep = table["_file"].isin(keep_files)
        from_earlier = table["_file"].map({f: ledger_year(f) not in (None, year) for f in files}).astype(bool)
        keep &= ~from_earlier | reaches(table, specs[key], year)
        tables[key] = table[keep].reset_index(drop=True)
        for (dept, ledger), y in carried.items():
            if ledger != key:
                continue
            rows = tables[key][tables[key]["_file"].map(department_of).eq(dept)]
            if len(rows):
                used_files |= set(rows["_file"])
                notices.append(
                    Notice(
                        "、".join(sorted(set(rows["_file"]))),
                        None,
                        None,
                        f"{dept}未报送{year}年的{specs[key].sheet}：{year}年的数字按其{y}年台账中延续到"
                        f"{year}年的 {len(rows)} 行计",
                        kind="警告",
                    )
                )
        used_files |= {f for f in keep_files if ledger_year(f) in (None, year)}

    sheets = []
    for s in result.sheets:
        y = ledger_year(s.file, s.round)
        if not s.used or y is None or y == year:
            sheets.append(s)
        elif s.file in used_files and carried.get((s.department, s.ledger)) == y:
            sheets.append(s)
        else:
            sheets.append(replace(s, status=f"{y}年的台账，不计入{year}年"))
    kept_files = {s.file for s in sheets if s.used}

    def about_year(file: str) -> bool:
        y = ledger_year(file) if file else None
        return y is None or y == year or file in kept_files

    files = result.rejections["文件"].astype(str)
    rejections = result.rejections[files.map({f: about_year(f) for f in files.unique()}).astype(bool)]
    rejections = rejections.reset_index(drop=True)
    said = [n for n in result.notices if about_year(n.file or "")] + notices
    return IngestResult(tables, rejections, sheets, said, result.names)
