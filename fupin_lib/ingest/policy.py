"""The folder policy: which files, sheets and rows of the raw folder count.

Every entry under the raw folder is read or said to be skipped (lock files, hidden files,
other formats, broken links, no permission). Each sheet is read, recognised and checked
(reading, finding, sheet); across sheets, rows identical to an earlier row count once, a
key stated twice keeps the last row (said), a person listed by two departments counts once
(said), and personal data found outside the personal columns is masked where it stands.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pandas as pd

from . import parsers
from .finding import blanks_to_none, detect_ledger
from .pseudonym import pseudonymise
from .reading import READABLE_SUFFIXES, FileReadError, RawSheet, is_fatal, read_workbook
from .result import PROVENANCE, REJECTION_COLUMNS, IngestResult, Notice, SheetReport
from .schemas import LedgerSpec, ledger_specs
from .sheet import ingest_sheet, typed_frame


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


def _ingest_raw_sheet(rel: str, raw_sheet: RawSheet, accepted: dict, records: list, sheets: list,
                      notices: list) -> None:
    sheet_name, frame = raw_sheet.name, raw_sheet.frame
    if raw_sheet.error:
        notices.append(Notice(rel, sheet_name, None, raw_sheet.error, kind="错误"))
        return
    if raw_sheet.note:
        notices.append(Notice(rel, sheet_name, None, raw_sheet.note, kind="警告"))
    if raw_sheet.hidden:
        n = int(frame.map(lambda v: not parsers.is_blank(v)).any(axis=1).sum()) if len(frame) else 0
        notices.append(Notice(rel, sheet_name, None,
                              f"隐藏工作表，未读取（{n}行非空）；如需统计请取消隐藏后重新报送", kind="警告"))
        return
    frame = blanks_to_none(frame)
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
    """Read every workbook under raw_dir and return clean tables, rejections and notices
    (without the store: `fupin_lib.load` and `store.load_result` keep and reuse the result).

        >>> from fupin_lib import config
        >>> result = ingest_folder(config.RAW_DIR)
        >>> all(s.read == s.accepted + s.rejected for s in result.sheets)
        True
    """
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
            if is_fatal(exc):
                raise
            notices.append(Notice(rel, None, None, f"读取文件时出错（{type(exc).__name__}），该文件未读取", kind="错误"))
            continue
        for raw_sheet in book:
            try:
                _ingest_raw_sheet(rel, raw_sheet, accepted, records, sheets, notices)
            except BaseException as exc:
                if is_fatal(exc):
                    raise
                notices.append(Notice(rel, raw_sheet.name, None,
                                      f"处理工作表时出错（{type(exc).__name__}），该工作表未计入", kind="错误"))
    tables = {}
    reports = {(r.file, r.sheet): r for r in sheets}
    for key, parts in accepted.items():
        parts = [_drop_duplicates(p, ledger_specs()[key], reports, records) for p in parts if len(p)]
        parts = [p for p in parts if len(p)]
        empty = typed_frame({}, ledger_specs()[key], pd.Index([], name="_row", dtype="int64"))
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
    # Last: no personal data in clear in the clean tables (after everything that needs it).
    return pseudonymise(_redacted(IngestResult(tables, rejections, sheets, notices)))


def _redacted(result: IngestResult) -> IngestResult:
    """Personal data found outside the personal columns is masked where it stands: an ID number
    or a mobile number in any text (a phone inside a unit's name becomes 138****5678), and the
    full names of the ledgers' persons in free text, file and sheet names, rejected values and
    notices. The department is told what was masked in which column."""
    from ..privacy import NameIndex, personal_names, redact

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
            name = parsers.mask_name(ids.loc[ids["id_number"] == pid, "name"].iloc[0]) if "name" in ids else ""
            out.append(Notice("、".join(sorted(where)), None, None,
                              f"同一人员（{name}，身份证号 {mask(pid)}）在多个部门的{ledger_specs()[key].sheet}中都有记录，按一人计",
                              kind="提示"))
    return out

