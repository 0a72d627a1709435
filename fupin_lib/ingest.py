"""Ingestion: raw department workbooks in, clean tables and a rejections table out.

For every file of the raw folder and every sheet in it: recognise the ledger (by sheet name,
else by headers), find the header row, skip blank rows, exclude 合计/小计 rows (and say so),
parse every cell by its column type, validate the typed rows with the ledger's pandera schema,
and split the rows into accepted and rejected. Nothing is dropped silently: for every sheet,
rows read = accepted + rejected, and every skipped file, sheet or row is a notice.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import cleaning, refdata
from .cleaning import PARSERS, Parsed
from .ledgers import ColumnSpec, LedgerSpec, header_key, ledger_specs, row_check_columns, schema

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
READABLE_SUFFIXES = EXCEL_SUFFIXES | {".csv"}
HEADER_SCAN_ROWS = 15
_TOTAL_RE = re.compile(r"^.{0,12}?(合计|小计|总计|共计)[:：]?$")
_NOTE_RE = re.compile(r"^(注|说明|备注|附注|填表|制表|审核|填报|联系人|负责人|单位负责人)")
_UNIT_IN_HEADER = re.compile(r"[（(【［]\s*(?:单位[:：]\s*)?(万元|元)\s*[）)】］]")
PROVENANCE = ["_file", "_sheet", "_row"]
REJECTION_COLUMNS = ["台账", "文件", "工作表", "行号", "列", "值", "原因"]


@dataclass
class Notice:
    """Something said to the user that is not a rejected row: a skipped file, sheet or row."""
    file: str
    sheet: str | None
    row: int | None
    message: str
    kind: str = "提示"

    def __str__(self) -> str:
        where = self.file + (f" / {self.sheet}" if self.sheet else "") + (f" / 第{self.row}行" if self.row else "")
        return f"[{self.kind}] {where}：{self.message}"


def department_of(file: str) -> str:
    """The sending department, by the naming convention 部门_台账_年份.xlsx."""
    name = Path(file).name
    return name.split("_", 1)[0] if "_" in name else "未注明部门"


@dataclass
class SheetReport:
    file: str
    sheet: str
    ledger: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    totals_excluded: int = 0
    notes_skipped: int = 0

    @property
    def department(self) -> str:
        return department_of(self.file)


@dataclass
class IngestResult:
    tables: dict[str, pd.DataFrame]
    rejections: pd.DataFrame
    sheets: list[SheetReport]
    notices: list[Notice] = field(default_factory=list)
    names: object = field(default=None, repr=False, compare=False)   # privacy.NameIndex of the ledgers' persons

    def redact(self, text: str) -> str:
        """Text about the inputs (a file or sheet name) with the ledgers' personal data masked."""
        from .privacy import NameIndex, personal_names, redact

        if self.names is None:
            self.names = NameIndex(personal_names(self.tables))
        return redact(str(text), self.names)[0]

    @property
    def supplied(self) -> set[str]:
        """The ledgers (clean table keys) of which at least one sheet was read."""
        return {s.ledger for s in self.sheets}

    def summary(self) -> pd.DataFrame:
        """Per ledger: rows read, accepted, rejected, 合计 rows excluded."""
        rows = []
        for key, spec in ledger_specs().items():
            mine = [s for s in self.sheets if s.ledger == key]
            rows.append({
                "台账": spec.sheet, "表": key, "工作表数": len(mine),
                "读取行数": sum(s.read for s in mine), "接受": sum(s.accepted for s in mine),
                "拒绝": sum(s.rejected for s in mine), "排除合计行": sum(s.totals_excluded for s in mine),
                "跳过说明行": sum(s.notes_skipped for s in mine),
            })
        return pd.DataFrame(rows)

    def sheet_table(self) -> pd.DataFrame:
        specs = ledger_specs()
        columns = ["部门", "文件", "工作表", "台账", "读取行数", "接受", "拒绝", "排除合计行", "跳过说明行"]
        return pd.DataFrame([{
            "部门": s.department, "文件": s.file, "工作表": s.sheet, "台账": specs[s.ledger].sheet,
            "读取行数": s.read, "接受": s.accepted, "拒绝": s.rejected, "排除合计行": s.totals_excluded,
            "跳过说明行": s.notes_skipped,
        } for s in self.sheets], columns=columns)


# --- reading files -------------------------------------------------------------------------

class FileReadError(Exception):
    """A file that cannot be read as a workbook; the message is for the user (Chinese)."""


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # legacy .xls, and every password-protected workbook
_ZIP = b"PK\x03\x04"                            # .xlsx, .xlsm, .ods


@dataclass
class RawSheet:
    """A sheet's raw cells (no header, object dtype), merged ranges already filled."""
    name: str
    frame: pd.DataFrame
    hidden: bool = False
    merged_copies: frozenset[tuple[int, int]] = frozenset()   # (row, column) filled from a merge
    note: str | None = None      # said to the user (read, with a caveat)
    error: str | None = None     # the sheet could not be read: why


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
    head = path.open("rb").read(8)
    suffix = path.suffix.lower()
    if head.startswith(_OLE) and suffix in (".xlsx", ".xlsm"):
        return _PASSWORD
    if not head.startswith(_OLE) and not head.startswith(_ZIP):
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
        self.saved = None
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


def _fatal(exc: BaseException) -> bool:
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
    return RawSheet(name, pd.DataFrame(rows, dtype=object), hidden=ws.sheet_state != "visible",
                    merged_copies=frozenset(copies),
                    note="工作表中有无法转换的单元格（如超出日历范围的日期），已改用兼容方式读取，这些单元格按错误值处理")


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
    try:
        with _Stderr():
            book = CalamineWorkbook.from_path(str(path))
            metas = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        ods_merges = _ods_merges(path) if path.suffix.lower() == ".ods" else {}
    except BaseException as exc:  # calamine raises several types, and can panic
        if _fatal(exc):
            raise
        # An .xls with an open password (FILEPASS), or an encrypted .xlsx renamed .xls: an OLE
        # file holding an EncryptedPackage stream.
        if type(exc).__name__ == "PasswordError" or "EncryptedPackage".encode("utf-16-le") in path.read_bytes():
            raise FileReadError(_PASSWORD) from None
        raise FileReadError(f"文件已损坏，无法作为Excel文件读取（{type(exc).__name__}）") from None
    sheets = []
    for meta in metas:
        hidden = meta.visible != SheetVisibleEnum.Visible
        try:
            with _Stderr():
                sheet = book.get_sheet_by_name(meta.name)
                rows = [list(r) for r in sheet.to_python(skip_empty_area=False)]
        except BaseException as exc:
            if _fatal(exc):
                raise
            sheets.append(_fallback_sheet(path, meta.name, hidden, exc))
            continue
        try:
            merges = sheet.merged_cell_ranges
        except BaseException as exc:  # merged ranges are not available for every format
            if _fatal(exc):
                raise
            merges = None
        if merges is None:
            merges = ods_merges.get(meta.name)
        copies = _fill_merged(rows, merges)
        sheets.append(RawSheet(meta.name, pd.DataFrame(rows, dtype=object), hidden=hidden,
                               merged_copies=frozenset(copies)))
    return sheets


def _fallback_sheet(path: Path, name: str, hidden: bool, exc: BaseException) -> RawSheet:
    """A sheet calamine could not read: read again with openpyxl (.xlsx, .xlsm), else say why."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return _openpyxl_sheet(path, name)
        except BaseException as second:
            if _fatal(second):
                raise
    return RawSheet(name, pd.DataFrame(dtype=object), hidden=hidden,
                    error=f"工作表无法读取（单元格中有无法识别的值，如超出日历范围的日期；{type(exc).__name__}），"
                          "其余工作表照常读取：请检查该工作表中的日期和数字后重新报送")


def _describe_entry(path: Path) -> str | None:
    """Why a directory entry is not a file that can be read, or None."""
    try:
        if path.is_symlink() and not path.exists():
            return "快捷方式（链接）指向的文件不存在，已跳过"
        st = path.stat()
    except PermissionError:
        return "没有访问该文件的权限，已跳过"
    except OSError as exc:
        return f"无法访问该文件（{exc.strerror or type(exc).__name__}），已跳过"
    if stat.S_ISDIR(st.st_mode):
        return None
    if not stat.S_ISREG(st.st_mode):
        return "不是普通文件（设备、管道或套接字），已跳过"
    if not os.access(path, os.R_OK):
        return "没有读取该文件的权限，已跳过"
    return None


def find_files(raw_dir: Path) -> tuple[list[Path], list[Notice]]:
    """The files to read, sorted, and a notice for every entry passed over: lock files, hidden
    files, other formats, broken links, files without read permission, folders that cannot be
    opened. Nothing under raw_dir is skipped without a word."""
    raw_dir = Path(raw_dir)
    files, notices = [], []

    def unreadable_folder(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else raw_dir
        rel = str(where.relative_to(raw_dir)) if where != raw_dir and where.is_relative_to(raw_dir) else where.name
        notices.append(Notice(rel or ".", None, None,
                              f"无法打开文件夹（{'没有权限' if isinstance(exc, PermissionError) else exc.strerror}），"
                              "其中的文件均未读取", kind="错误"))

    entries = []
    for folder, dirs, names in os.walk(raw_dir, onerror=unreadable_folder, followlinks=False):
        dirs.sort()
        for d in list(dirs):
            if (Path(folder) / d).is_symlink():
                dirs.remove(d)
                entries.append(Path(folder) / d)
        entries += [Path(folder) / n for n in names]
    for path in sorted(entries):
        rel = str(path.relative_to(raw_dir))
        if any(part.startswith(".") for part in path.relative_to(raw_dir).parts):
            notices.append(Notice(rel, None, None, "隐藏文件或隐藏目录中的文件，已跳过"))
            continue
        problem = _describe_entry(path)
        if problem:
            notices.append(Notice(rel, None, None, problem, kind="错误"))
        elif path.is_dir():
            notices.append(Notice(rel, None, None, "指向文件夹的快捷方式（链接），未读取其中的文件；请把文件直接放入数据目录",
                                  kind="警告"))
        elif path.name.startswith("~$"):
            notices.append(Notice(rel, None, None, "Excel 临时锁定文件（文件正被打开），已跳过"))
        elif path.suffix.lower() not in READABLE_SUFFIXES:
            notices.append(Notice(rel, None, None, "不是台账文件格式（.xlsx/.xls/.xlsm/.ods/.csv），已跳过"))
        else:
            files.append(path)
    return files, notices


# --- recognising a sheet -------------------------------------------------------------------

def _norm_sheet(name: str) -> str:
    return re.sub(r"\s+", "", str(name))


@dataclass
class Header:
    """Where a recognised sheet's header is, and what it says."""
    spec: LedgerSpec
    rows: tuple[int, ...]        # 0-based rows of the header (two for a two-row header)
    cells: list[object]          # the header text of every column (two rows combined)
    factor: float = 1.0          # unit of amount columns without their own unit ("单位：元" above)

    @property
    def first_data_row(self) -> int:
        return self.rows[-1] + 1


_UNIT_ROW = re.compile(r"单位[:：]\s*(万元|元)")
# A unit written under a header name, in a second header row: 元, （万元）, （人）, 单位：元
_UNIT_CELL = re.compile(r"^[（(【［]?\s*(?:单位[:：]\s*)?(万元|元|人次|人|个|户|次|家|所|名|场|天)\s*[）)】］]?$")


def _combine(upper: list[object], lower: list[object], keys: set[str]) -> list[object]:
    """Two header rows as one: a group label over its columns, or a name over its unit."""
    out: list[object] = []
    for u, l in zip(upper, lower):
        if cleaning.is_blank(l):
            out.append(u)
        elif cleaning.is_blank(u) or u == l:  # u == l: a header cell merged down both rows
            out.append(l)
        elif _UNIT_CELL.match(str(l).strip()):  # 金额 over 元 / （元）: the unit of the name above
            out.append(f"{u}（{_UNIT_CELL.match(str(l).strip()).group(1)}）")
        else:
            options = [f"{u}{l}", l, u]
            out.append(next((o for o in options if header_key(o)[0] in keys), l))
    return out


def _score(cells: list[object], spec: LedgerSpec) -> float:
    keys = {header_key(v)[0] for v in cells if not cleaning.is_blank(v)}
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
            if i + 1 < len(rows):
                options.append(((i, i + 1), _combine(row, rows[i + 1], keys)))
            for header_rows, cells in options:
                share = _score(cells, spec)
                if len(header_rows) == 2 and any(_UNIT_CELL.match(str(v).strip()) for v in rows[i + 1]
                                                 if not cleaning.is_blank(v)):
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
            m = _UNIT_ROW.search(str(value)) if not cleaning.is_blank(value) else None
            if m:
                header.factor = 0.0001 if m.group(1) == "元" else 1.0
    return header


# --- one sheet -----------------------------------------------------------------------------

def _text_only(s: pd.Series) -> pd.Series:
    """The text cells of a column (spaces removed); None elsewhere."""
    return s.where(s.map(type) == str).astype(object).str.replace(r"\s+", "", regex=True)


def _matches(text: pd.Series, pattern: re.Pattern) -> np.ndarray:
    return text.str.match(pattern).astype("boolean").fillna(False).to_numpy(dtype=bool)


def _rows_where(body: pd.DataFrame, test, first_cell: re.Pattern) -> np.ndarray:
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


def _total_rows(body: pd.DataFrame) -> np.ndarray:
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


def _blanks_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty cells, NaN and text of spaces only all become None (blank-ness judged once per
    distinct value, not once per cell)."""
    if frame.empty:
        return frame.astype(object)
    flat = pd.Series(frame.to_numpy(dtype=object).ravel(), dtype=object)
    blanks = [v for v in pd.unique(flat[flat.notna()]) if cleaning.is_blank(v)]
    mask = (flat.isna() | flat.isin(blanks)).to_numpy().reshape(frame.shape)
    return frame.astype(object).mask(mask, None)


def _parse_ids(values: pd.Series) -> list[Parsed]:
    """ID numbers, validated all at once; only the invalid ones are examined for their reason."""
    from . import idcard

    normal, valid = idcard.normalise_and_validate(values.where(values.map(type) == str, "").astype(object))
    valid = valid.to_numpy(dtype=bool)
    out = []
    for v, n, ok in zip(values, normal, valid):
        if ok:
            out.append(Parsed(n))
        else:
            out.append(cleaning.EMPTY if cleaning.is_blank(v) else cleaning.parse_id_card(v))
    return out


def _parse_column(values: pd.Series, col: ColumnSpec, factor: float) -> list[Parsed]:
    if col.type == "id_card":
        return _parse_ids(values)
    parser = PARSERS[col.type]
    extra = {"choices": list(col.choices)} if col.type == "choice" else {"factor": factor} if col.type == "amount" else {}
    cache: dict[tuple[type, object], Parsed] = {}
    out = []
    for v in values:
        if cleaning.is_blank(v):
            out.append(cleaning.EMPTY)
            continue
        key = (type(v), v)
        if key not in cache:
            cache[key] = parser(v, **extra)
        out.append(cache[key])
    return out


def _shown(col: ColumnSpec, raw: object) -> str:
    """A raw value as shown in a message: personal data masked."""
    if cleaning.is_blank(raw):
        return ""
    if col.personal:
        return cleaning.mask_value(col.type, raw)
    return cleaning.to_text(raw) if isinstance(raw, (int, float)) else str(raw)


def _typed(parsed: dict[str, list[Parsed]], spec: LedgerSpec, index: pd.Index) -> pd.DataFrame:
    frame = pd.DataFrame(index=index)
    for col in spec.columns:
        values = [p.value for p in parsed[col.name]] if col.name in parsed else [None] * len(index)
        s = pd.Series(values, index=index, dtype=object)
        if col.type == "date":
            s = pd.to_datetime(s)
        elif col.type == "amount":
            s = pd.to_numeric(s).astype("float64")
        elif col.type in ("count", "year"):
            s = pd.array(s, dtype="Int64")
        elif col.type == "yesno":
            s = pd.array(s, dtype="boolean")
        frame[col.name] = s
    return frame


def _is_note_row(values: list[object]) -> bool:
    """A line of notes below (or above) the table: one cell of text such as 注：… or 填表人：…,
    or a few "label：value" cells starting so (填表人：张三  审核人：李四  联系电话：…)."""
    filled = [v for v in values if not cleaning.is_blank(v)]
    if not filled or not all(isinstance(v, str) for v in filled) or not _NOTE_RE.match(filled[0].strip()):
        return False
    return len(filled) == 1 or all(re.search(r"[:：]", v) for v in filled)


def ingest_sheet(file: str, sheet: str, frame: pd.DataFrame, header: Header,
                 merged_copies: frozenset[tuple[int, int]] = frozenset(),
                 ) -> tuple[pd.DataFrame, list[dict], SheetReport, list[Notice]]:
    """Clean one recognised sheet: (accepted rows, rejection records, counts, notices)."""
    notices: list[Notice] = []
    spec = header.spec
    header_row = header.rows[-1]
    report = SheetReport(file, sheet, spec.key)
    mapping: dict[str, tuple[int, float, str]] = {}  # column name -> (position, unit factor, header as written)
    for pos, raw in enumerate(header.cells):
        if cleaning.is_blank(raw):
            continue
        key, _factor = header_key(raw)
        unit = _UNIT_IN_HEADER.search(str(raw))  # 金额（元）, 金额【元】, 金额（单位：元）: the header's unit wins
        factor = (0.0001 if unit.group(1) == "元" else 1.0) if unit else header.factor
        col = spec.headers.get(key)
        if col is None:
            notices.append(Notice(file, sheet, header_row + 1, f"列“{raw}”不属于{spec.sheet}，已忽略"))
        elif col.name in mapping:
            notices.append(Notice(file, sheet, header_row + 1, f"列“{raw}”重复出现，只读取第一列"))
        else:
            mapping[col.name] = (pos, factor, str(raw).replace("\n", ""))
    missing = [c.header for c in spec.columns if c.required and c.name not in mapping]

    body = frame.iloc[header.first_data_row:]
    body = body[body.notna().any(axis=1)]
    if len(body):
        totals = _total_rows(body)
        notes = _rows_where(body, _is_note_row, _NOTE_RE) & ~totals
        for idx in body.index[totals]:
            notices.append(Notice(file, sheet, int(idx) + 1, "合计/小计行，已排除，不计入统计"))
        for idx, value in zip(body.index[notes], body[notes].bfill(axis=1).iloc[:, 0]):
            notices.append(Notice(file, sheet, int(idx) + 1, f"表格说明行（“{str(value)[:20]}”），已跳过"))
        report.totals_excluded, report.notes_skipped = int(totals.sum()), int(notes.sum())
        body = body[~totals & ~notes]
    report.read = len(body)
    rows = pd.Index([int(i) + 1 for i in body.index], name="_row")

    problems: dict[int, list[tuple[str, str, str]]] = {r: [] for r in rows}
    if missing:
        for r in rows:
            problems[r].append(("、".join(missing), "", f"工作表缺少必填列：{'、'.join(missing)}"))
    parsed: dict[str, list[Parsed]] = {}
    raw_by_col: dict[str, pd.Series] = {}
    for name, (pos, factor, written) in mapping.items():
        col = spec.column(name)
        raw = body.iloc[:, pos]
        if col.type in ("amount", "count") and merged_copies:
            # An amount or count merged over several rows belongs to them together: count it once.
            copied = np.array([(int(i), frame.columns[pos]) in merged_copies for i in body.index], dtype=bool)
            if copied.any():
                raw = raw.where(~copied, 0)
                notices.append(Notice(file, sheet, None, f"“{written}”列有跨行合并的单元格：数值只计入合并区域的第一行，"
                                                         f"其余 {int(copied.sum())} 行按 0 计，避免重复计算", kind="更正"))
        raw = raw.copy()
        raw.index = rows
        raw_by_col[name] = raw
        parsed[name] = _parse_column(raw, col, factor)
        seen_notes: dict[str, int] = {}
        for r, p, v in zip(rows, parsed[name], raw):
            if p.problem:
                problems[r].append((written, _shown(col, v), p.problem))
            elif col.required and p.value is None:
                problems[r].append((written, "", f"必填项“{col.header}”为空"))
            if p.note:
                seen_notes[p.note] = seen_notes.get(p.note, 0) + 1
        for note, n in seen_notes.items():
            notices.append(Notice(file, sheet, None, f"{note}（{n}行）", kind="更正"))

    typed = _typed(parsed, spec, rows)
    _check_township_area(typed, spec, mapping, raw_by_col, problems)
    if spec.key == "self_assessment" and "value" in mapping:
        _check_self_assessment(typed, mapping, raw_by_col, problems)
    _validate_schema(typed, spec, mapping, raw_by_col, problems)

    rejected_rows = [r for r in rows if problems[r]]
    records = [
        {"台账": spec.sheet, "文件": file, "工作表": sheet, "行号": r, "列": c, "值": v, "原因": why}
        for r in rejected_rows for (c, v, why) in problems[r]
    ]
    accepted = typed.drop(index=rejected_rows)
    accepted.insert(0, "_sheet", sheet)
    accepted.insert(0, "_file", file)
    accepted = accepted.reset_index()
    report.rejected, report.accepted = len(rejected_rows), len(accepted)
    return accepted, records, report, notices


def _check_township_area(typed, spec, mapping, raw_by_col, problems) -> None:
    names = {c.type: c.name for c in spec.columns}
    if "township" not in names or "area" not in names or names["township"] not in mapping:
        return
    t_col, a_col = names["township"], names["area"]
    for r, town, area in zip(typed.index, typed[t_col], typed[a_col]):
        if town is None or pd.isna(town) or area is None or pd.isna(area):
            continue
        found = refdata.canonical_township(town)
        if found and found[1] != area:
            problems[r].append((mapping[t_col][2], str(raw_by_col[t_col][r]), f"乡镇“{town}”属于{found[1]}，与结对地区“{area}”不符"))


def _check_self_assessment(typed, mapping, raw_by_col, problems) -> None:
    from .selfassess import parse_value

    for r, key, value in zip(typed.index, typed["item"], typed["value"]):
        if key is None or pd.isna(key) or value is None or pd.isna(value):
            continue
        parsed = parse_value(key, raw_by_col["value"][r])
        if parsed.problem:
            problems[r].append((mapping["value"][2], str(value), parsed.problem))


def _validate_schema(typed, spec, mapping, raw_by_col, problems) -> None:
    try:
        schema(spec.key).validate(typed, lazy=True)
        return
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
    by_message = row_check_columns(spec)
    for f in failures.itertuples():
        if pd.isna(f.index):
            continue
        r = int(f.index)
        column = by_message.get(f.check, f.column)
        if column not in mapping:
            col = spec.column(column) if column in {c.name for c in spec.columns} else None
            if f.check in by_message and col is not None and not col.required:
                # A rule needs a column the sheet does not have: the rows it concerns are rejected.
                reason = f"{f.check}（工作表没有“{col.header}”列）"
                if not any(w == reason for _c, _v, w in problems[r]):
                    problems[r].append((col.header, "", reason))
            continue  # otherwise already reported (a missing required column)
        written = mapping[column][2]
        if any(c == written for c, _v, _w in problems[r]):
            continue
        col = spec.column(column)
        reason = f"必填项“{col.header}”为空" if f.check == "not_nullable" else str(f.check)
        problems[r].append((written, _shown(col, raw_by_col[column][r]), reason))


# --- a folder ------------------------------------------------------------------------------

def _ingest_raw_sheet(rel: str, raw_sheet: RawSheet, accepted: dict, records: list, sheets: list,
                      notices: list) -> None:
    sheet_name, frame = raw_sheet.name, raw_sheet.frame
    if raw_sheet.error:
        notices.append(Notice(rel, sheet_name, None, raw_sheet.error, kind="错误"))
        return
    if raw_sheet.note:
        notices.append(Notice(rel, sheet_name, None, raw_sheet.note, kind="警告"))
    if raw_sheet.hidden:
        n = int(frame.map(lambda v: not cleaning.is_blank(v)).any(axis=1).sum()) if len(frame) else 0
        notices.append(Notice(rel, sheet_name, None,
                              f"隐藏工作表，未读取（{n}行非空）；如需统计请取消隐藏后重新报送", kind="警告"))
        return
    frame = _blanks_to_none(frame)
    frame = frame.dropna(how="all", axis=1)
    if frame.dropna(how="all").empty:
        notices.append(Notice(rel, sheet_name, None, "空工作表，已跳过"))
        return
    header = detect_ledger(sheet_name, frame)
    if header is None:
        n = len(frame.dropna(how="all"))
        notices.append(Notice(rel, sheet_name, None,
                              f"未能识别为任何台账（工作表名与表头均不匹配），已跳过（{n}行非空）", kind="警告"))
        return
    ok, recs, report, said = ingest_sheet(rel, sheet_name, frame, header, raw_sheet.merged_copies)
    accepted[header.spec.key].append(ok)
    records.extend(recs)
    sheets.append(report)
    notices.extend(said)


def ingest_folder(raw_dir: Path) -> IngestResult:
    """Read every workbook under raw_dir and return clean tables, rejections and notices."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"数据目录不存在：{raw_dir}")
    files, notices = find_files(raw_dir)
    accepted: dict[str, list[pd.DataFrame]] = {k: [] for k in ledger_specs()}
    records: list[dict] = []
    sheets: list[SheetReport] = []
    for path in files:
        rel = str(path.relative_to(raw_dir))
        try:
            book = read_workbook(path)
        except FileReadError as exc:
            notices.append(Notice(rel, None, None, str(exc), kind="错误"))
            continue
        except BaseException as exc:  # never a traceback, and the other files are still read
            if _fatal(exc):
                raise
            notices.append(Notice(rel, None, None, f"读取文件时出错（{type(exc).__name__}），该文件未读取", kind="错误"))
            continue
        for raw_sheet in book:
            try:
                _ingest_raw_sheet(rel, raw_sheet, accepted, records, sheets, notices)
            except BaseException as exc:
                if _fatal(exc):
                    raise
                notices.append(Notice(rel, raw_sheet.name, None,
                                      f"处理工作表时出错（{type(exc).__name__}），该工作表未计入", kind="错误"))
    tables = {}
    reports = {(r.file, r.sheet): r for r in sheets}
    for key, parts in accepted.items():
        parts = [_drop_duplicates(p, ledger_specs()[key], reports, records) for p in parts if len(p)]
        parts = [p for p in parts if len(p)]
        empty = _typed({}, ledger_specs()[key], pd.Index([], name="_row"))
        empty.insert(0, "_sheet", pd.Series(dtype=object))
        empty.insert(0, "_file", pd.Series(dtype=object))
        tables[key] = pd.concat(parts, ignore_index=True) if parts else empty.reset_index()
        tables[key] = tables[key][PROVENANCE + [c.name for c in ledger_specs()[key].columns]]
    for key, table in list(tables.items()):
        deduped = _drop_duplicates(table, ledger_specs()[key], reports, records)
        tables[key] = deduped.reset_index(drop=True)
    notices.extend(_same_person_notices(tables))
    notices.extend(_restated_notices(tables))
    rejections = pd.DataFrame(records, columns=REJECTION_COLUMNS)
    return _redacted(IngestResult(tables, rejections, sheets, notices))


def _redacted(result: IngestResult) -> IngestResult:
    """Personal data found outside the personal columns is masked where it stands: an ID number
    or a mobile number in any text (a phone inside a unit's name becomes 138****5678), and the
    full names of the ledgers' persons in free text, file and sheet names, rejected values and
    notices. The department is told what was masked in which column."""
    from .privacy import NameIndex, personal_names, redact

    names = result.names = NameIndex(personal_names(result.tables))
    cache: dict[str, str] = {}
    counts: dict[tuple[str, str, str, str], int] = {}

    def clean(value: object) -> object:
        if not isinstance(value, str):
            return value
        if value not in cache:
            cache[value] = redact(value, names)[0]
        return cache[value]

    for key, table in result.tables.items():
        spec = ledger_specs()[key]
        for col in ["_file", "_sheet"] + [c.name for c in spec.columns if c.type == "text"]:
            if col not in table.columns or not len(table):
                continue
            before = table[col]
            after = before.map(clean, na_action="ignore")
            changed = (before != after) & before.notna()
            if changed.any() and not col.startswith("_"):
                header = spec.column(col).header
                for (file, sheet), n in table.loc[changed, ["_file", "_sheet"]].value_counts(sort=False).items():
                    counts[(clean(file), clean(sheet), header, spec.sheet)] = int(n)
            table[col] = after
    for (file, sheet, header, ledger), n in counts.items():
        result.notices.append(Notice(file, sheet, None, f"“{header}”列中有身份证号、手机号或人员姓名，已脱敏（{n}行）；"
                                                        f"请勿在{ledger}的该列填写个人信息", kind="更正"))
    for col in ("文件", "工作表", "列", "值"):
        result.rejections[col] = result.rejections[col].map(clean, na_action="ignore")
    for sheet in result.sheets:
        sheet.file, sheet.sheet = clean(sheet.file), clean(sheet.sheet)
    for notice in result.notices:
        notice.file, notice.sheet, notice.message = clean(notice.file), clean(notice.sheet), clean(notice.message)
    return result


def _drop_duplicates(table: pd.DataFrame, spec: LedgerSpec, reports: dict, records: list[dict]) -> pd.DataFrame:
    """Reject rows identical (every value) to an earlier row of the same ledger: counted once."""
    data_cols = [c.name for c in spec.columns]
    dup = table.duplicated(subset=data_cols, keep="first")
    if not dup.any():
        return table

    def key(row: dict) -> tuple:
        return tuple("<空>" if pd.isna(row[c]) else row[c] for c in data_cols)

    first: dict[tuple, dict] = {}
    for row in table[~dup].to_dict("records"):
        first.setdefault(key(row), row)
    for row in table[dup].to_dict("records"):
        orig = first[key(row)]
        records.append({"台账": spec.sheet, "文件": row["_file"], "工作表": row["_sheet"], "行号": row["_row"],
                        "列": "（整行）", "值": "",
                        "原因": f"与 {orig['_file']} / {orig['_sheet']} / 第{orig['_row']}行完全相同（重复行），只计一次"})
        report = reports[(row["_file"], row["_sheet"])]
        report.accepted -= 1
        report.rejected += 1
    return table[~dup]


# Tables where one row per key is expected: a key stated twice keeps the last row read (said).
_ONE_ROW_PER = {"poor_base": ["area", "year"], "self_assessment": ["item"]}


def _restated_notices(tables: dict[str, pd.DataFrame]) -> list[Notice]:
    out = []
    for key, cols in _ONE_ROW_PER.items():
        t = tables[key]
        repeated = t[t.duplicated(cols, keep=False)]
        for values, group in repeated.groupby(cols, sort=False):
            values = values if isinstance(values, tuple) else (values,)
            where = "；".join(f"{f} / {sh} / 第{r}行" for f, sh, r in zip(group["_file"], group["_sheet"], group["_row"]))
            last = group.iloc[-1]
            out.append(Notice(str(last["_file"]), str(last["_sheet"]), int(last["_row"]),
                              f"{'、'.join(map(str, values))} 填报了 {len(group)} 次（{where}），按最后读到的一行计",
                              kind="警告"))
    return out


def _same_person_notices(tables: dict[str, pd.DataFrame]) -> list[Notice]:
    """A cadre or an employed person listed in more than one file: counted once, and said."""
    from .idcard import mask

    out = []
    for key in ("cadres", "employed"):
        t = tables[key]
        ids = t.dropna(subset=["id_number"])
        files = ids.groupby("id_number")["_file"].unique()
        for pid, where in files[files.map(len) > 1].items():
            name = cleaning.mask_name(ids.loc[ids["id_number"] == pid, "name"].iloc[0]) if "name" in ids else ""
            out.append(Notice("、".join(sorted(where)), None, None,
                              f"同一人员（{name}，身份证号 {mask(pid)}）在多个部门的{ledger_specs()[key].sheet}中都有记录，按一人计",
                              kind="提示"))
    return out
