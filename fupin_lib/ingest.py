"""Ingestion: raw department workbooks in, clean tables and a rejections table out.

For every file of the raw folder and every sheet in it: recognise the ledger (by sheet name,
else by headers), find the header row, skip blank rows, exclude 合计/小计 rows (and say so),
parse every cell by its column type, validate the typed rows with the ledger's pandera schema,
and split the rows into accepted and rejected. Nothing is dropped silently: for every sheet,
rows read = accepted + rejected, and every skipped file, sheet or row is a notice.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import cleaning, refdata
from .cleaning import PARSERS, Parsed
from .ledgers import ColumnSpec, LedgerSpec, header_key, ledger_specs, row_check_columns, schema

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
READABLE_SUFFIXES = EXCEL_SUFFIXES | {".csv"}
HEADER_SCAN_ROWS = 15
_TOTAL_RE = re.compile(r"^(合计|小计|总计|共计|总合计)[:：]?$")
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

    @property
    def department(self) -> str:
        return department_of(self.file)


@dataclass
class IngestResult:
    tables: dict[str, pd.DataFrame]
    rejections: pd.DataFrame
    sheets: list[SheetReport]
    notices: list[Notice] = field(default_factory=list)

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
            })
        return pd.DataFrame(rows)

    def sheet_table(self) -> pd.DataFrame:
        specs = ledger_specs()
        columns = ["部门", "文件", "工作表", "台账", "读取行数", "接受", "拒绝", "排除合计行"]
        return pd.DataFrame([{
            "部门": s.department, "文件": s.file, "工作表": s.sheet, "台账": specs[s.ledger].sheet,
            "读取行数": s.read, "接受": s.accepted, "拒绝": s.rejected, "排除合计行": s.totals_excluded,
        } for s in self.sheets], columns=columns)


# --- reading files -------------------------------------------------------------------------

class FileReadError(Exception):
    """A file that cannot be read as a workbook; the message is for the user (Chinese)."""


def read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook as a frame of raw cells (no header, object dtype)."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise FileReadError("文件为空（0字节）")
    if suffix == ".csv":
        data = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes nearly anything
            raise FileReadError("无法识别CSV文件的编码（应为UTF-8或GBK）")
        frame = pd.read_csv(io.StringIO(text), header=None, dtype=object, skip_blank_lines=False)
        return {path.stem: frame}
    try:
        return pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
    except Exception as exc:  # calamine raises several types; all mean "not a readable workbook"
        raise FileReadError(f"无法作为Excel文件读取（文件可能已损坏、加密或并非Excel格式）：{exc}") from exc


def find_files(raw_dir: Path) -> tuple[list[Path], list[Notice]]:
    """The files to read, sorted, and a notice for each file passed over."""
    files, notices = [], []
    for path in sorted(p for p in Path(raw_dir).rglob("*") if p.is_file()):
        rel = str(path.relative_to(raw_dir))
        if path.name.startswith("~$"):
            notices.append(Notice(rel, None, None, "Excel 临时锁定文件（文件正被打开），已跳过"))
        elif path.name.startswith("."):
            continue
        elif path.suffix.lower() not in READABLE_SUFFIXES:
            notices.append(Notice(rel, None, None, "不是台账文件格式（.xlsx/.xls/.xlsm/.ods/.csv），已跳过"))
        else:
            files.append(path)
    return files, notices


# --- recognising a sheet -------------------------------------------------------------------

def _norm_sheet(name: str) -> str:
    return re.sub(r"\s+", "", str(name))


def detect_ledger(sheet_name: str, frame: pd.DataFrame) -> tuple[LedgerSpec | None, int | None]:
    """The ledger of a sheet and the index of its header row, or (None, None)."""
    specs = list(ledger_specs().values())
    by_name = [s for s in specs if s.sheet == _norm_sheet(sheet_name)]
    candidates = by_name or specs
    best: tuple[float, LedgerSpec | None, int | None] = (0.0, None, None)
    for i in range(min(HEADER_SCAN_ROWS, len(frame))):
        cells = {header_key(v)[0] for v in frame.iloc[i] if not cleaning.is_blank(v)}
        for spec in candidates:
            matched = {col.name for key, col in spec.headers.items() if key in cells}
            share = len(matched) / len(spec.columns)
            if share > best[0]:
                best = (share, spec, i)
    share, spec, row = best
    # A sheet named as a ledger needs two matching headers; otherwise most of them must match.
    if spec is None or (by_name and share * len(spec.columns) < 2) or (not by_name and share < 0.6):
        return None, None
    return spec, row


# --- one sheet -----------------------------------------------------------------------------

def _is_total_row(values: list[object]) -> bool:
    texts = [re.sub(r"\s+", "", str(v)) for v in values if not cleaning.is_blank(v)][:3]
    return any(_TOTAL_RE.match(t) for t in texts)


def _parse_column(values: pd.Series, col: ColumnSpec, factor: float) -> list[Parsed]:
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


def ingest_sheet(file: str, sheet: str, frame: pd.DataFrame, spec: LedgerSpec, header_row: int,
                 ) -> tuple[pd.DataFrame, list[dict], SheetReport, list[Notice]]:
    """Clean one recognised sheet: (accepted rows, rejection records, counts, notices)."""
    notices: list[Notice] = []
    report = SheetReport(file, sheet, spec.key)
    headers = frame.iloc[header_row]
    mapping: dict[str, tuple[int, float, str]] = {}  # column name -> (position, unit factor, header as written)
    for pos, raw in enumerate(headers):
        if cleaning.is_blank(raw):
            continue
        key, factor = header_key(raw)
        col = spec.headers.get(key)
        if col is None:
            notices.append(Notice(file, sheet, header_row + 1, f"列“{raw}”不属于{spec.sheet}，已忽略"))
        elif col.name in mapping:
            notices.append(Notice(file, sheet, header_row + 1, f"列“{raw}”重复出现，只读取第一列"))
        else:
            mapping[col.name] = (pos, factor, str(raw).replace("\n", ""))
    missing = [c.header for c in spec.columns if c.required and c.name not in mapping]

    body = frame.iloc[header_row + 1:]
    body = body[~body.apply(lambda r: all(cleaning.is_blank(v) for v in r), axis=1)]
    totals = body.apply(lambda r: _is_total_row(list(r)), axis=1) if len(body) else pd.Series(dtype=bool)
    for idx in body.index[totals.to_numpy(dtype=bool)] if len(body) else []:
        notices.append(Notice(file, sheet, int(idx) + 1, "合计/小计行，已排除，不计入统计"))
    report.totals_excluded = int(totals.sum()) if len(body) else 0
    body = body[~totals] if len(body) else body
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
        if column not in mapping:  # already reported (missing column or failed parsing)
            continue
        written = mapping[column][2]
        if any(c == written for c, _v, _w in problems[r]):
            continue
        col = spec.column(column)
        reason = f"必填项“{col.header}”为空" if f.check == "not_nullable" else str(f.check)
        problems[r].append((written, _shown(col, raw_by_col[column][r]), reason))


# --- a folder ------------------------------------------------------------------------------

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
        for sheet_name, frame in book.items():
            frame = frame.dropna(how="all", axis=1)
            if frame.dropna(how="all").empty:
                notices.append(Notice(rel, sheet_name, None, "空工作表，已跳过"))
                continue
            spec, header_row = detect_ledger(sheet_name, frame)
            if spec is None:
                n = len(frame.dropna(how="all"))
                notices.append(Notice(rel, sheet_name, None,
                                      f"未能识别为任何台账（工作表名与表头均不匹配），已跳过（{n}行非空）", kind="警告"))
                continue
            ok, recs, report, said = ingest_sheet(rel, sheet_name, frame, spec, header_row)
            accepted[spec.key].append(ok)
            records.extend(recs)
            sheets.append(report)
            notices.extend(said)
    tables = {}
    for key, parts in accepted.items():
        parts = [p for p in parts if len(p)]
        empty = _typed({}, ledger_specs()[key], pd.Index([], name="_row"))
        empty.insert(0, "_sheet", pd.Series(dtype=object))
        empty.insert(0, "_file", pd.Series(dtype=object))
        tables[key] = pd.concat(parts, ignore_index=True) if parts else empty.reset_index()
        tables[key] = tables[key][PROVENANCE + [c.name for c in ledger_specs()[key].columns]]
    rejections = pd.DataFrame(records, columns=REJECTION_COLUMNS)
    return IngestResult(tables, rejections, sheets, notices)
