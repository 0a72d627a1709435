"""The peers table: one row per district, one column per metric (metrics.csv key or its
Chinese label), from .csv (UTF-8, UTF-8 with BOM, or GBK) or .xlsx (calamine).

Every problem is collected (not only the first) as a `Problem` carrying the file, row,
column and value, and raised together as one `PeersError` with a Chinese message.
A missing value is allowed: the item then has no value (banding.md).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from .. import refdata
from ..ingest.parsers import parse_self_assessed
from . import keys
from .errors import AssessmentError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
HEADER_SCAN_ROWS = 10
SUMMARY_ROWS = {"合计", "小计", "总计", "平均", "平均值", "全市", "全市平均"}
_BRACKETS = str.maketrans({"（": "(", "）": ")", "　": " ", "／": "/"})


@dataclass(frozen=True)
class Problem:
    """One problem of a peers table, with where it is."""

    file: str
    message: str
    row: int | None = None  # row number as the user sees it (1 = first row)
    column: str | None = None  # the column's header as written (or its position)
    value: str | None = None  # the cell as written

    def __str__(self) -> str:
        where = self.file
        if self.row:
            where += f" 第{self.row}行"
        if self.column:
            where += f"{'' if self.row else ' '}“{self.column}”列"
        return f"{where}：{self.message}"


class PeersError(AssessmentError):
    """A peers table that cannot be used; str() is the Chinese message for the user."""

    def __init__(self, problems: list[Problem], limit: int = 20, missing: tuple[str, ...] = ()):
        self.problems = problems
        self.missing = missing  # the districts the table has no row for
        lines = [f"  - {p}" for p in problems[:limit]]
        if len(problems) > limit:
            lines.append(f"  ……另有 {len(problems) - limit} 处问题")
        head = f"其他区数据表有 {len(problems)} 处问题：" if len(problems) > 1 else "其他区数据表有问题："
        super().__init__(head + "\n" + "\n".join(lines))


@dataclass
class PeersTable:
    """district -> {metric key -> value (None when missing)}, in districts.csv order."""

    source: str
    values: dict[str, dict[str, object]]
    columns: tuple[str, ...]  # the metric keys the table has
    notes: list[str] = field(default_factory=list)
    made: str = ""  # when the table was made (its file's time, or the districts' files')
    sample: bool = False  # 示例数据: a made-up table, not what the districts reported

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame.from_dict(self.values, orient="index", columns=list(self.columns))

    def with_row(self, district: str, values: Mapping[str, object]) -> "PeersTable":
        rows = {**self.values, district: dict(values)}
        ordered = {d: rows[d] for d in refdata.districts()["district"] if d in rows}
        columns = tuple(dict.fromkeys([*self.columns, *values]))
        return PeersTable(self.source, ordered, columns, list(self.notes), self.made, self.sample)


# --- names -------------------------------------------------------------------------------


def _norm(text: object) -> str:
    return re.sub(r"\s+", "", str(text).translate(_BRACKETS)).lower()


def _header_lookup() -> dict[str, str]:
    """Normalised key or Chinese label -> metric key."""
    lookup: dict[str, str] = {}
    for row in refdata.metrics().itertuples():
        lookup[_norm(row.key)] = row.key
        lookup[_norm(row.label_zh)] = row.key
    return lookup


def canonical_district(text: object) -> str | None:
    """One of the 16 district names, written with or without 区 and spaces; else None."""
    names = list(refdata.districts()["district"])
    name = re.sub(r"\s+", "", str(text))
    for candidate in (name, name + "区"):
        if candidate in names:
            return candidate
    return None


def _blank(cell: object) -> bool:
    return (
        cell is None or (isinstance(cell, float) and math.isnan(cell)) or (isinstance(cell, str) and not cell.strip())
    )


def _shown(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


# --- reading files -----------------------------------------------------------------------


def _decode(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PeersError([Problem(file, "无法识别文件编码（应为 UTF-8 或 GBK）")])


def _grids(path: Path) -> list[list[list[object]]]:
    """The file's sheets as lists of rows (a CSV file is one sheet)."""
    file = path.name
    if not path.is_file():
        raise PeersError([Problem(str(path), "文件不存在")])
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return [list(csv.reader(io.StringIO(_decode(path.read_bytes(), file))))]
        if suffix in EXCEL_SUFFIXES:
            sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
            return [frame.astype(object).where(frame.notna(), None).values.tolist() for frame in sheets.values()]
    except PeersError:
        raise
    except Exception as exc:  # a damaged or mislabelled file
        raise PeersError([Problem(file, f"无法读取（{type(exc).__name__}：{exc}）")]) from exc
    raise PeersError([Problem(file, f"不支持的文件类型“{path.suffix}”（应为 .csv 或 .xlsx）")])


def _header_row(grid: list[list[object]]) -> tuple[int, int] | None:
    """(row index, district column index) of the header row, found in the first rows."""
    district_headers = {_norm("district"), _norm(keys.label("district"))}
    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        for c, cell in enumerate(row):
            if not _blank(cell) and _norm(cell) in district_headers:
                return r, c
    return None


# --- parsing -----------------------------------------------------------------------------


def parse_grid(grid: list[list[object]], file: str, allow_missing: Iterable[str] = ()) -> PeersTable:
    """Check and read one sheet of a peers table; raises PeersError listing every problem."""
    found = _header_row(grid)
    if found is None:
        raise PeersError([Problem(file, f"找不到表头：前 {HEADER_SCAN_ROWS} 行中没有“区”（或 district）列")])
    header_at, district_col = found
    header, body = grid[header_at], grid[header_at + 1 :]
    problems: list[Problem] = []
    lookup = _header_lookup()

    columns: dict[int, str] = {}  # column index -> metric key
    written: dict[str, str] = {}  # metric key -> header as written
    for c, cell in enumerate(header):
        if c == district_col:
            continue
        has_data = any(c < len(row) and not _blank(row[c]) for row in body)
        if _blank(cell):
            if has_data:
                problems.append(Problem(file, "有数据但没有表头", header_at + 1, f"第{_column_name(c)}列"))
            continue
        key = lookup.get(_norm(cell))
        if key is None or key == "district":
            problems.append(
                Problem(
                    file,
                    f"未知的表头“{_shown(cell)}”，应为指标键（如 paired_counties）或其中文名称（如 结对县总个数），见 metrics.csv",
                    header_at + 1,
                    _shown(cell),
                    _shown(cell),
                )
            )
        elif key in written:
            problems.append(
                Problem(file, f"表头重复：与“{written[key]}”是同一指标（{key}）", header_at + 1, _shown(cell))
            )
        else:
            columns[c], written[key] = key, _shown(cell)

    values: dict[str, dict[str, object]] = {}
    seen_at: dict[str, int] = {}
    notes: list[str] = []
    for offset, row in enumerate(body):
        line = header_at + 2 + offset
        if all(_blank(cell) for cell in row):
            continue
        raw_name = row[district_col] if district_col < len(row) else None
        column = _shown(header[district_col])
        if _blank(raw_name):
            problems.append(Problem(file, "缺少区名", line, column))
            continue
        if _shown(raw_name) in SUMMARY_ROWS:
            notes.append(f"第{line}行“{_shown(raw_name)}”是合计或平均行，已跳过")
            continue
        district = canonical_district(raw_name)
        if district is None:
            problems.append(
                Problem(
                    file,
                    f"未知的区“{_shown(raw_name)}”：应为北京市 {refdata.district_count()} 个区之一（见 districts.csv）",
                    line,
                    column,
                    _shown(raw_name),
                )
            )
            continue
        if district in seen_at:
            problems.append(
                Problem(file, f"“{district}”重复（第{seen_at[district]}行已有）", line, column, _shown(raw_name))
            )
            continue
        seen_at[district] = line
        record: dict[str, object] = {}
        for c, key in columns.items():
            cell = row[c] if c < len(row) else None
            if _blank(cell):  # a missing value is allowed: the item has no value
                record[key] = None
                continue
            parsed = parse_self_assessed(key, cell)
            if parsed.problem:
                problems.append(Problem(file, parsed.problem, line, written[key], _shown(cell)))
            record[key] = parsed.value
        values[district] = record

    expected = [d for d in refdata.districts()["district"] if d not in set(allow_missing)]
    missing = [d for d in expected if d not in values]
    if missing:
        problems.append(Problem(file, f"缺少{'、'.join(missing)}的数据（每个区应有一行）", column="区"))
    if problems:
        raise PeersError(problems, missing=tuple(missing))

    absent = [k for k in refdata.metrics()["key"] if k != "district" and k not in written]
    if absent:
        notes.append(f"表中没有以下 {len(absent)} 个指标，按缺数处理：" + "、".join(keys.label(k) for k in absent))
    ordered = {d: values[d] for d in refdata.districts()["district"] if d in values}
    return PeersTable(file, ordered, tuple(written), notes)


def read_peers(path: Path | str, allow_missing: Iterable[str] = ()) -> PeersTable:
    """Read a peers table file; `allow_missing`: districts that may have no row (e.g. the home
    district when its row comes from its own ledgers)."""
    from dataclasses import replace
    from datetime import datetime

    path = Path(path)
    grids = _grids(path)
    grid = next((g for g in grids if _header_row(g) is not None), grids[0] if grids else [])  # the first with a header
    table = parse_grid(grid, path.name, allow_missing)
    made = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return replace(table, made=made, sample=is_sample(path))


def is_sample(path: Path | str) -> bool:
    """True for the made-up peers table the project ships (its name says 示例数据)."""
    return "示例数据" in Path(path).name


def peers_from_frame(
    frame: pd.DataFrame, source: str = "其他区数据表", allow_missing: Iterable[str] = ()
) -> PeersTable:
    """A peers table built in memory (a DataFrame with a 区/district column), checked the same way."""
    grid = [list(frame.columns)] + frame.astype(object).where(frame.notna(), None).values.tolist()
    return parse_grid(grid, source, allow_missing)
