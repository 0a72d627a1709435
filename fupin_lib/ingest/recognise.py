"""Finding the table in a raw sheet: which ledger it is (by the sheet's name, else by its
headers), where the header is (one or two rows, a unit row such as 单位：元 above or below),
and which body rows are not data (blank, 合计/小计 rows, notes such as 注：… or 填表人：…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import parsers
from ..ledgers import LedgerSpec, header_key, ledger_specs


HEADER_SCAN_ROWS = 15


_TOTAL_RE = re.compile(r"^.{0,12}?(合计|小计|总计|共计)[:：]?$")


NOTE_RE = re.compile(r"^(注|说明|备注|附注|填表|制表|审核|填报|联系人|负责人|单位负责人)")


def _norm_sheet(name: str) -> str:
    return re.sub(r"\s+", "", str(name))


@dataclass
class Header:
    """Where a recognised sheet's header is, and what it says."""

    spec: LedgerSpec
    rows: tuple[int, ...]  # 0-based rows of the header (two for a two-row header)
    cells: list[object]  # the header text of every column (two rows combined)
    factor: float = 1.0  # unit of amount columns without their own unit ("单位：元" above)
    unit_name: str = ""  # the unit a "单位：元" row above the header states, as written

    @property
    def first_data_row(self) -> int:
        return self.rows[-1] + 1


_UNIT_ROW = re.compile(r"单位[:：]\s*([^\s，,;；)）]+)")


# A unit written under a header name, in a second header row: 元, （万元）, （人）, 单位：元
_UNIT_CELL = re.compile(
    r"^[（(【［]?\s*(?:单位[:：]\s*)?((?:人民币)?(?:亿元|万元|千元|元)|人次|人|个|户|次|家|所|名|场|天)\s*[）)】］]?$"
)


def _combine(upper: list[object], lower: list[object], keys: set[str]) -> list[object]:
    """Two header rows as one: a group label over its columns, or a name over its unit."""
    out: list[object] = []
    for u, l in zip(upper, lower):
        if parsers.is_blank(l):
            out.append(u)
        elif parsers.is_blank(u) or u == l:  # u == l: a header cell merged down both rows
            out.append(l)
        elif _UNIT_CELL.match(str(l).strip()):  # 金额 over 元 / （元）: the unit of the name above
            out.append(f"{u}（{_UNIT_CELL.match(str(l).strip()).group(1)}）")
        else:
            options = [f"{u}{l}", l, u]
            out.append(next((o for o in options if header_key(o) in keys), l))
    return out


def reads_like_data(row: list[object]) -> bool:
    """A row that holds data, never a header row: a number, a date, or a paired area's name in
    one of its cells (a header names columns and units, never amounts, days or places)."""
    from .. import refdata

    for value in row:
        if parsers.is_blank(value):
            continue
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            return True
        if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "year"):
            return True
        text = str(value).strip()
        if parsers._plain_number(parsers.to_text(text).replace(" ", "")) is not None:
            return True
        if re.fullmatch(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", parsers.to_text(text)):
            return True
        if refdata.canonical_area(text) is not None:
            return True
    return False


def _score(cells: list[object], spec: LedgerSpec) -> float:
    keys = {header_key(v) for v in cells if not parsers.is_blank(v)}
    return len({col.name for key, col in spec.headers.items() if key in keys}) / len(spec.columns)


def detect_ledger(sheet_name: str, frame: pd.DataFrame, use_name: bool = True) -> Header | None:
    """The ledger of a sheet and its header (one or two rows), or None.

    By the sheet's name first; a sheet named as one ledger but holding another's table is then
    recognised by its headers."""
    specs = list(ledger_specs().values())
    by_name = [s for s in specs if s.sheet == _norm_sheet(sheet_name)] if use_name else []
    candidates = by_name or specs
    rows = [list(frame.iloc[i]) for i in range(min(HEADER_SCAN_ROWS, len(frame)))]
    best: tuple[float, Header | None] = (0.0, None)
    for spec in candidates:
        keys = set(spec.headers)
        for i, row in enumerate(rows):
            options = [((i,), row)]
            if i + 1 < len(rows) and not reads_like_data(rows[i + 1]):
                # A second header row never holds data: a row of amounts, dates or places under
                # the names is the first data row, however well its unit cell reads as a unit.
                options.append(((i, i + 1), _combine(row, rows[i + 1], keys)))
            for header_rows, cells in options:
                share = _score(cells, spec)
                if len(header_rows) == 2 and any(
                    _UNIT_CELL.match(str(v).strip()) for v in rows[i + 1] if not parsers.is_blank(v)
                ):
                    share += 1e-6  # a row of units under the names belongs to the header
                if share > best[0] + 1e-9:  # ties keep the earlier, single-row reading
                    best = (share, Header(spec, header_rows, cells))
    share, header = best
    if header is None:
        return detect_ledger(sheet_name, frame, use_name=False) if by_name else None
    n_cols = len(header.spec.columns)
    # A sheet named as a ledger needs two matching headers; otherwise most of them must match.
    if (by_name and share * n_cols < 2) or (not by_name and share < 0.6):
        return detect_ledger(sheet_name, frame, use_name=False) if by_name else None
    for row in rows[: header.rows[-1]]:  # "单位：元" anywhere above the (last) header row
        for value in row:
            m = _UNIT_ROW.search(str(value)) if not parsers.is_blank(value) else None
            if m and parsers.unit_factor(m.group(1)) is not None:
                header.factor = parsers.unit_factor(m.group(1))
                header.unit_name = m.group(1)
    return header


def _text_only(s: pd.Series) -> pd.Series:
    """The text cells of a column (spaces removed); None elsewhere."""
    return s.where(s.map(type) == str).astype(object).str.replace(r"\s+", "", regex=True)  # noqa: E721 (a Series of types, compared element-wise)


def _matches(text: pd.Series, pattern: re.Pattern) -> np.ndarray:
    return text.str.match(pattern).astype("boolean").fillna(False).to_numpy(dtype=bool)


def rows_where(body: pd.DataFrame, test, first_cell: re.Pattern) -> np.ndarray:
    """test(row values) for the rows whose first filled cell is text matching `first_cell`
    (a cheap, vectorised pre-selection: the row-wise test runs on a handful of rows only)."""
    filled = body.notna().to_numpy()
    first_pos = filled.argmax(axis=1)
    first = pd.Series(body.to_numpy()[np.arange(len(body)), first_pos], index=body.index, dtype=object)
    candidates = _matches(_text_only(first), first_cell)
    hits = np.zeros(len(body), dtype=bool)
    for i in np.flatnonzero(candidates):
        hits[i] = test(list(body.iloc[i]))
    return hits


def total_rows(body: pd.DataFrame) -> np.ndarray:
    """Rows with 合计/小计 in one of their first three filled cells."""
    values = body.to_numpy(dtype=object)
    rank = body.notna().to_numpy().cumsum(axis=1)
    rows = np.arange(len(body))
    hits = np.zeros(len(body), dtype=bool)
    for k in (1, 2, 3):
        at_k = rank == k
        has_k = at_k.any(axis=1)
        cells = pd.Series(values[rows, at_k.argmax(axis=1)], dtype=object).where(has_k)
        hits |= _matches(_text_only(cells), _TOTAL_RE)
    return hits


def blanks_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells, NaN and text of spaces only all become None (blank-ness judged once per
    distinct value, not once per cell)."""
    if frame.empty:
        return frame.astype(object)
    flat = pd.Series(frame.to_numpy(dtype=object).ravel(), dtype=object)
    blanks = [v for v in pd.unique(flat[flat.notna()]) if parsers.is_blank(v)]
    mask = (flat.isna() | flat.isin(blanks)).to_numpy().reshape(frame.shape)
    return frame.astype(object).mask(mask, None)


def is_note_row(values: list[object]) -> bool:
    """A line of notes below (or above) the table: one cell of text such as 注：… or 填表人：…,
    or a few "label：value" cells starting so (填表人：张三  审核人：李四  联系电话：…)."""
    filled = [v for v in values if not parsers.is_blank(v)]
    if not filled or not all(isinstance(v, str) for v in filled) or not NOTE_RE.match(filled[0].strip()):
        return False
    return len(filled) == 1 or all(re.search(r"[:：]", v) for v in filled)
