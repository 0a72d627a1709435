"""Reading one input file into raw sheets: .xlsx, .xlsm, .xlsb, .xls, .ods, WPS .et (calamine,
by content) and .csv (UTF-8 or GBK), merged cells filled, hidden sheets flagged.

A zip workbook is checked before calamine opens it (isolation.check_package: sizes, XML
entities, each sheet's dimension and cell count); a sheet beyond the bounds comes back with
`error` set and the others are read. A cell holding a formula without a stored value (a
workbook written by a program, never opened in Excel) is read as `parsers.Unevaluated`, so
that its rejection says so instead of "empty".

A file that cannot be a workbook (empty, renamed, encrypted, damaged, no permission) raises
FileReadError with a Chinese reason; a sheet the reader fails on, for any reason (calamine can
panic on an absurd date serial, which is not an `Exception`), comes back with `error` set or is
read again with openpyxl, so that the other sheets and files are still read.
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd


EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".et"}


READABLE_SUFFIXES = EXCEL_SUFFIXES | {".csv"}


class FileReadError(Exception):
    """A file that cannot be read as a workbook; the message is for the user (Chinese)."""


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and every password-protected workbook


_ZIP = b"PK\x03\x04"  # .xlsx, .xlsm, .ods


@dataclass
class RawSheet:
    """A sheet's raw cells (no header, object dtype), merged ranges already filled."""

    name: str
    frame: pd.DataFrame
    hidden: bool = False
    merged_copies: frozenset[tuple[int, int]] = frozenset()  # (row, column) filled from a merge
    note: str | None = None  # said to the user (read, with a caveat)
    error: str | None = None  # the sheet could not be read: why


def _read_csv(path: Path) -> list[RawSheet]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly any byte string
        raise FileReadError("无法识别CSV文件的编码（应为UTF-8或GBK）")
    try:  # the csv module, not pd.read_csv: a title or note row has fewer fields than the table
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise FileReadError(f"CSV文件格式有误，无法读取（{exc}）") from exc
    width = max((len(r) for r in rows), default=0)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    return [RawSheet(path.stem, frame)]


_PASSWORD = "文件设有打开密码（已加密），无法读取：请去除密码后重新报送"


def _signature_problem(path: Path) -> str | None:
    """Why a file cannot be a workbook, judged by its first bytes, or None."""
    with path.open("rb") as fh:
        head = fh.read(8)
    suffix = path.suffix.lower()
    if head.startswith(_OLE) and suffix in (".xlsx", ".xlsm", ".xlsb"):
        return _PASSWORD
    if not head.startswith(_OLE) and not head.startswith(_ZIP):
        if suffix == ".et":
            return "WPS表格文件（.et）的内容不是可读取的格式，请在WPS中另存为 .xlsx 后重新报送"
        return "文件内容不是Excel格式（可能是改了扩展名的其他文件），请用Excel另存为 .xlsx 后重新报送"
    if suffix == ".xls" and head.startswith(_ZIP):
        return None  # an .xlsx saved under the old extension: calamine reads it by content
    return None


def _fill_merged(rows: list[list[object]], merges) -> set[tuple[int, int]]:
    """A merged range's value belongs to every cell of the range; returns the cells filled
    by copying (the range's first cell excluded), so that amounts and counts are not repeated."""
    copies: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in merges or []:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                rows[r][c] = value
                if (r, c) != (r0, c0):
                    copies.add((r, c))
    return copies


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merges(path: Path) -> dict[str, list]:
    """Merged ranges of every sheet of an .ods file ((r0, c0), (r1, c1)), which calamine does not give."""
    t = _ODS_TABLE
    out: dict[str, list] = {}
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
    for table in root.iter(f"{t}table"):
        merges, r = [], 0
        for row in table.iter(f"{t}table-row"):
            c = 0
            for cell in row:
                rows = int(cell.get(f"{t}number-rows-spanned", 1))
                cols = int(cell.get(f"{t}number-columns-spanned", 1))
                if rows > 1 or cols > 1:
                    merges.append(((r, c), (r + rows - 1, c + cols - 1)))
                c += int(cell.get(f"{t}number-columns-repeated", 1))
            r += int(row.get(f"{t}number-rows-repeated", 1))
        out[table.get(f"{t}name")] = merges
    return out


class _Stderr:
    """Capture what native code writes to the process's stderr (file descriptor 2) while
    reading a workbook: a panic inside calamine prints a Rust backtrace there before it becomes
    a Python exception. What was written is replayed unless it came with a panic."""

    def __enter__(self):
        from . import isolation

        self.saved = None
        if isolation.IN_CHILD:  # a reader process: the parent reads its stderr (and the reason it died)
            return self
        try:
            sys.stderr.flush()
            self.saved = os.dup(2)
            self.buffer = tempfile.TemporaryFile()
            os.dup2(self.buffer.fileno(), 2)
        except (OSError, ValueError, AttributeError):  # no usable fd 2 (some embedded hosts)
            self.saved = None
        return self

    def __exit__(self, *exc) -> None:
        if self.saved is None:
            return
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.buffer.seek(0)
        self.text = self.buffer.read().decode("utf-8", "replace")
        self.buffer.close()
        if self.text and "panicked at" not in self.text:
            sys.stderr.write(self.text)


def is_fatal(exc: BaseException) -> bool:
    """Exceptions that must stop the program, not become a message about one file."""
    return isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError))


def _openpyxl_sheet(path: Path, name: str) -> RawSheet:
    """One sheet read with openpyxl: slower than calamine, but a cell it cannot convert (a date
    serial far outside the calendar) becomes an error value instead of stopping the reader."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path, data_only=True)
    ws = book[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    merges = [((r.min_row - 1, r.min_col - 1), (r.max_row - 1, r.max_col - 1)) for r in ws.merged_cells.ranges]
    copies = _fill_merged(rows, merges)
    return RawSheet(
        name,
        pd.DataFrame(rows, dtype=object),
        hidden=ws.sheet_state != "visible",
        merged_copies=frozenset(copies),
        note="工作表中有无法转换的单元格（如超出日历范围的日期），已改用兼容方式读取，这些单元格按错误值处理",
    )


def read_workbook(path: Path) -> list[RawSheet]:
    """Every sheet of a workbook (or the one table of a CSV file).

    A sheet the reader fails on, for any reason (calamine can panic, which is not an
    `Exception`), is returned with `error` set, so that the other sheets are still read."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        if path.stat().st_size == 0:
            raise FileReadError("文件为空（0字节）")
        if path.suffix.lower() == ".csv":
            return _read_csv(path)
        problem = _signature_problem(path)
    except PermissionError as exc:
        raise FileReadError("没有读取该文件的权限，请检查文件权限或联系系统管理员") from exc
    except IsADirectoryError as exc:
        raise FileReadError("这是一个文件夹，不是台账文件") from exc
    except OSError as exc:
        raise FileReadError(f"无法打开文件（{exc.strerror or type(exc).__name__}）") from exc
    if problem:
        raise FileReadError(problem)
    from .isolation import ReadBoundError, check_package

    try:
        package = check_package(path)
    except ReadBoundError as exc:
        raise FileReadError(str(exc)) from None
    except OSError as exc:
        raise FileReadError(f"无法打开文件（{exc.strerror or type(exc).__name__}）") from exc
    try:
        with _Stderr():
            book = CalamineWorkbook.from_path(str(path))
            metas = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        ods_merges = _ods_merges(path) if path.suffix.lower() == ".ods" else {}
    except BaseException as exc:  # calamine raises several types, and can panic
        if is_fatal(exc):
            raise
        # An .xls with an open password (FILEPASS), or an encrypted .xlsx renamed .xls: an OLE
        # file holding an EncryptedPackage stream.
        if type(exc).__name__ == "PasswordError" or "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
            raise FileReadError(_PASSWORD) from None
        raise FileReadError(f"文件已损坏，无法作为Excel文件读取（{type(exc).__name__}）") from None
    sheets = []
    for meta in metas:
        hidden = meta.visible != SheetVisibleEnum.Visible
        if meta.name in package.refused:
            sheets.append(
                RawSheet(meta.name, pd.DataFrame(dtype=object), hidden=hidden, error=package.refused[meta.name])
            )
            continue
        try:
            with _Stderr():
                sheet = book.get_sheet_by_name(meta.name)
                rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except BaseException as exc:
            if is_fatal(exc):
                raise
            sheets.append(_fallback_sheet(path, meta.name, hidden, exc))
            continue
        try:
            merges = sheet.merged_cell_ranges
        except BaseException as exc:  # merged ranges are not available for every format
            if is_fatal(exc):
                raise
            merges = None
        if merges is None:
            merges = ods_merges.get(meta.name)
        if meta.name in package.formula_sheets:
            _mark_unevaluated(rows, path, package.formula_sheets[meta.name])
        copies = _fill_merged(rows, merges)
        sheets.append(
            RawSheet(meta.name, pd.DataFrame(rows, dtype=object), hidden=hidden, merged_copies=frozenset(copies))
        )
    return sheets


def _fallback_sheet(path: Path, name: str, hidden: bool, exc: BaseException) -> RawSheet:
    """A sheet calamine could not read: read again with openpyxl (.xlsx, .xlsm), else say why."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return _openpyxl_sheet(path, name)
        except BaseException as second:
            if is_fatal(second):
                raise
    return RawSheet(
        name,
        pd.DataFrame(dtype=object),
        hidden=hidden,
        error=f"工作表无法读取（单元格中有无法识别的值，如超出日历范围的日期；{type(exc).__name__}），"
        "其余工作表照常读取：请检查该工作表中的日期和数字后重新报送",
    )


_CELL_XML = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb"\br=\"([A-Z]+\d+)\"")
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]|<(?:\w+:)?is\b")  # a stored result (an empty <v></v> is none)


def _mark_unevaluated(rows: list[list[object]], path: Path, entry: str) -> None:
    """Cells of a sheet holding a formula but no stored value (calamine reads them as empty)
    become parsers.Unevaluated("=formula"), in place."""
    from html import unescape

    from .isolation import cell_position
    from .parsers import Unevaluated

    with zipfile.ZipFile(path) as z:
        xml = z.read(entry)
    width = max((len(r) for r in rows), default=0)
    for m in _CELL_XML.finditer(xml):
        body = m.group(2) or b""
        formula = _FORMULA_TEXT.search(body)
        if formula is None or _VALUE.search(body):
            continue
        ref = _REF.search(m.group(1))
        where = cell_position(ref.group(1).decode()) if ref else None
        if where is None:
            continue
        r, c = where
        while len(rows) <= r:
            rows.append([None] * width)
        if len(rows[r]) <= c:
            rows[r].extend([None] * (c + 1 - len(rows[r])))
        text = unescape((formula.group(1) or b"").decode("utf-8", "replace"))
        rows[r][c] = Unevaluated("=" + text if text else "=（公式）")
