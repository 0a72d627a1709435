"""The folder policy: which files, sheets and rows of the raw folder count.

Every entry under the raw folder is read or said to be skipped (lock files, hidden files,
other formats, broken links, no permission). Each sheet is read, recognised and checked
(reading, finding, sheet); across sheets, rows identical to an earlier row count once, a
key stated twice keeps the last row (said), a person listed by two departments counts once
(said), and personal data found outside the personal columns is masked where it stands.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import parsers
from .recognise import blanks_to_none, detect_ledger
from .pseudonym import pseudonymise
from .reading import READABLE_SUFFIXES, FileReadError, RawSheet, is_fatal, read_workbook
from ..periods import Period
from .file_names import department_of, round_of
from .result import PROVENANCE, REJECTION_COLUMNS, RESENT, IngestResult, Notice, SheetReport
from ..ledgers import LedgerSpec, ledger_specs
from .sheet import ingest_sheet, typed_frame


OUTPUT_MARKER = ".fupin-output"  # files.OUTPUT_MARKER: a folder the product made (outputs, not ledgers)


def _describe_entry(path: Path, raw_dir: Path) -> str | None:
    """Why a directory entry is not a file that can be read, or None."""
    from .. import config

    try:
        if path.is_symlink():
            if not path.exists():
                return "快捷方式（链接）指向的文件不存在，已跳过"
            target = path.resolve()
            if not target.is_relative_to(raw_dir):
                return "快捷方式（链接）指向数据目录之外的文件，出于安全考虑未读取：请把台账文件本身放入数据目录"
        if path.resolve() == config.SECRET_FILE:
            return "这是项目的密钥文件，不是台账，未读取（请勿把密钥放入数据目录）"
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
    files, other formats (an error: a ledger may be lost there), broken links and links that
    leave the raw folder, files without read permission, folders that cannot be opened, and
    folders the product wrote (they hold a marker file, `.fupin-output`: its own outputs are
    never read back as ledgers). Nothing under raw_dir is skipped without a word."""
    raw_dir = Path(raw_dir).resolve()
    files, notices = [], []

    def unreadable_folder(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else raw_dir
        rel = str(where.relative_to(raw_dir)) if where != raw_dir and where.is_relative_to(raw_dir) else where.name
        notices.append(
            Notice(
                rel or ".",
                None,
                None,
                f"无法打开文件夹（{'没有权限' if isinstance(exc, PermissionError) else exc.strerror}），"
                "其中的文件均未读取",
                kind="错误",
            )
        )

    entries = []
    for folder, dirs, names in os.walk(raw_dir, onerror=unreadable_folder, followlinks=False):
        dirs.sort()
        if folder != str(raw_dir) and OUTPUT_MARKER in names:
            rel = str(Path(folder).relative_to(raw_dir))
            notices.append(
                Notice(rel, None, None, "本程序生成的输出文件夹（报告、清洗后的表等），不是报送的台账，未读取")
            )
            dirs.clear()
            continue
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
        problem = _describe_entry(path, raw_dir)
        if problem:
            notices.append(Notice(rel, None, None, problem, kind="错误"))
        elif path.is_dir():
            notices.append(
                Notice(
                    rel,
                    None,
                    None,
                    "指向文件夹的快捷方式（链接），未读取其中的文件；请把文件直接放入数据目录",
                    kind="警告",
                )
            )
        elif path.name.startswith("~$"):
            notices.append(Notice(rel, None, None, "Excel 临时锁定文件（文件正被打开），已跳过"))
        elif path.suffix.lower() not in READABLE_SUFFIXES:
            notices.append(
                Notice(
                    rel,
                    None,
                    None,
                    "不是台账文件格式（.xlsx/.xls/.xlsm/.xlsb/.ods/.et/.csv），未读取："
                    "如是台账，请用Excel另存为 .xlsx 后重新报送",
                    kind="错误",
                )
            )
        else:
            files.append(path)
    return files, notices


@dataclass(eq=False)
class _Part:
    """One recognised sheet of one file, read and checked, before the policy decides whether
    it counts."""

    file: str
    round: Period | None
    mtime: float
    rows: pd.DataFrame
    records: list[dict]
    report: SheetReport
    notices: list[Notice]
    year: int | None = None  # the year its rounds are chosen in (_set_years)

    @property
    def ledger(self) -> str:
        return self.report.ledger

    @property
    def file_year(self) -> int | None:
        """The year the file is for (ingest/years.py): its round's, else the year its path names."""
        from .years import ledger_year

        return ledger_year(self.file, self.round.code if self.round else "")

    @property
    def department(self) -> str:
        return self.report.department

    @property
    def order(self) -> tuple:
        """Earlier rounds first; unmarked files before every round; then older files first."""
        return (self.round.end if self.round else pd.Timestamp.min, self.mtime, self.file)


def _read_sheet(rel: str, raw_sheet: RawSheet, notices: list) -> tuple | None:
    """Recognise and check one raw sheet: (header, accepted rows, records, report, notices), or
    None (said in notices) when it is not a ledger sheet."""
    sheet_name, frame = raw_sheet.name, raw_sheet.frame
    if raw_sheet.error:
        notices.append(Notice(rel, sheet_name, None, raw_sheet.error, kind="错误"))
        return None
    if raw_sheet.note:
        notices.append(Notice(rel, sheet_name, None, raw_sheet.note, kind="警告"))
    if raw_sheet.hidden:
        n = int(frame.map(lambda v: not parsers.is_blank(v)).any(axis=1).sum()) if len(frame) else 0
        notices.append(
            Notice(rel, sheet_name, None, f"隐藏工作表，未读取（{n}行非空）；如需统计请取消隐藏后重新报送", kind="警告")
        )
        return None
    frame = blanks_to_none(frame)
    frame = frame.dropna(how="all", axis=1)
    if frame.dropna(how="all").empty:
        notices.append(Notice(rel, sheet_name, None, "空工作表，已跳过"))
        return None
    header = detect_ledger(sheet_name, frame)
    if header is None:
        n = len(frame.dropna(how="all"))
        notices.append(
            Notice(
                rel, sheet_name, None, f"未能识别为任何台账（工作表名与表头均不匹配），已跳过（{n}行非空）", kind="警告"
            )
        )
        return None
    return _checked(rel, sheet_name, frame, header, raw_sheet.merged_copies)


# A sheet is checked in parts of growing size (FIRST_PART rows, then twice as many each time);
# once a whole part of at least FIRST_PART rows is rejected, the rest of the sheet is junk
# (a column filled down to row 1,048,576, a pasted export): its rows are counted as read and
# rejected together, not one by one, so that a million junk rows cost seconds, not minutes.
FIRST_PART = 1000


def _checked(rel: str, sheet_name: str, frame: pd.DataFrame, header, merged) -> tuple:
    """ingest_sheet over the sheet, cut short after a part whose rows were all rejected."""
    start = header.first_data_row
    if len(frame) - start <= FIRST_PART:
        return ingest_sheet(rel, sheet_name, frame, header, merged)
    head = frame.iloc[:start]
    results, pos, size = [], start, FIRST_PART
    while pos < len(frame):
        part = frame.iloc[pos : pos + size]
        results.append(ingest_sheet(rel, sheet_name, pd.concat([head, part]), header, merged))
        pos += len(part)
        got = results[-1][2]
        if got.accepted == 0 and got.read >= FIRST_PART and pos < len(frame):
            break
        size *= 2
    rows = pd.concat([r[0] for r in results], ignore_index=True)
    records = [rec for r in results for rec in r[1]]
    report = results[0][2]
    for r in results[1:]:
        for field in ("read", "accepted", "rejected", "totals_excluded", "notes_skipped"):
            setattr(report, field, getattr(report, field) + getattr(r[2], field))
    said = _merge_notices([r[3] for r in results], header.rows[-1] + 1)
    if pos < len(frame):
        rest = frame.iloc[pos:]
        filled = np.flatnonzero(rest.notna().any(axis=1).to_numpy())
        if len(filled):
            first, last = int(rest.index[filled[0]]) + 1, int(rest.index[filled[-1]]) + 1
            n = len(filled)
            report.read += n
            report.rejected += n
            why = (
                f"前面已连续 {got.rejected:,} 行被拒绝，其余 {n:,} 行（第{first}—{last}行）疑似无效数据，未逐行检查，"
                "均未计入：请删除多余的行后重新报送"
            )
            records.append(
                {
                    "台账": header.spec.sheet,
                    "文件": rel,
                    "工作表": sheet_name,
                    "行号": first,
                    "列": "（整行）",
                    "单元格": "",
                    "值": "",
                    "原因": why,
                }
            )
            said.append(Notice(rel, sheet_name, first, why, kind="错误"))
    return rows, records, report, said


_NUMBERS = re.compile(r"\d+")


def _merge_notices(groups: list[list[Notice]], header_row: int) -> list[Notice]:
    """The notices of a sheet checked in parts, as if checked at once: the same notice once;
    a notice about the whole sheet that differs only by its counts, once with the counts added."""
    out: list[Notice] = []
    seen: dict[tuple, int] = {}
    for group in groups:
        for n in group:
            exact = (n.file, n.sheet, n.row, n.message, n.kind)
            if exact in seen:
                continue
            whole = n.row is None or n.row == header_row
            shape = (n.file, n.sheet, n.row, n.kind, _NUMBERS.sub("#", n.message)) if whole else None
            if shape is not None and shape in seen:
                kept = out[seen[shape]]
                added = iter(
                    [int(a) + int(b) for a, b in zip(_NUMBERS.findall(kept.message), _NUMBERS.findall(n.message))]
                )
                kept.message = _NUMBERS.sub(lambda m: str(next(added)), kept.message)
                continue
            seen[exact] = len(out)
            if shape is not None:
                seen[shape] = len(out)
            out.append(n)
    return out


def _read_file(raw_dir: Path, path: Path) -> tuple[list[_Part], list[Notice]]:
    """One file read, recognised and checked: its parts and what was said (run in a process of
    its own, isolation.run)."""
    rel = str(path.relative_to(raw_dir))
    notices: list[Notice] = []
    parts: list[_Part] = []
    book = read_workbook(path)
    mtime = path.stat().st_mtime
    period = round_of(rel)
    for raw_sheet in book:
        try:
            read = _read_sheet(rel, raw_sheet, notices)
        except BaseException as exc:
            if is_fatal(exc):
                raise
            notices.append(
                Notice(
                    rel, raw_sheet.name, None, f"处理工作表时出错（{type(exc).__name__}），该工作表未计入", kind="错误"
                )
            )
            continue
        if read:
            rows, records, report, said = read
            report.round = period.code if period else ""
            parts.append(_Part(rel, period, mtime, rows, records, report, said))
    return parts, notices


_SAMPLE = {
    "text": "甲",
    "name": "甲",
    "phone": "13800000000",
    "id_card": "11010519491231002X",
    "date": "2020-04-01",
    "amount": "1.5万元",
    "count": "十二",
    "yesno": "是",
    "township": "甲乡",
    "quarter": "2020Q1",
    "year": 2020,
    "credit_code": "x",
    "period": "2020Q1",
    "metric_key": "x",
}


@lru_cache(maxsize=1)
def _warm_up() -> None:
    """Check two made-up rows of every ledger here, once: what the readers need (references,
    schemas, parsers' caches, imports) is then loaded before each reader process is forked,
    instead of in every one of them."""
    import python_calamine  # noqa: F401

    from .. import refdata

    for spec in ledger_specs().values():
        values = [
            c.choices[0]
            if c.type == "choice" and c.choices
            else refdata.area_names()[0]
            if c.type == "area"
            else _SAMPLE.get(c.type, "甲")
            for c in spec.columns
        ]
        frame = pd.DataFrame([[c.header for c in spec.columns], values, values], dtype=object)
        _read_sheet("预热.xlsx", RawSheet(spec.sheet, frame), [])


def _read_parts(raw_dir: Path, files: list[Path], notices: list) -> list[_Part]:
    """Every file read where it can cost only itself (isolation.run_each: its own process,
    bounded in memory and time, a few at once); a file that fails is named with the reason, the
    others are read. Parts and notices keep the order of the files."""
    from .isolation import ReadBoundError, isolation_available, run_each

    if files and isolation_available():
        _warm_up()
    parts = []
    raw_dir = Path(raw_dir).resolve()
    for path, (ok, got) in zip(files, run_each(_read_file, [(raw_dir, path) for path in files])):
        rel = str(path.relative_to(raw_dir))
        if ok:
            mine, said = got
            notices.extend(said)
            parts.extend(mine)
        elif isinstance(got, (FileReadError, ReadBoundError)):
            notices.append(Notice(rel, None, None, str(got), kind="错误"))
        elif is_fatal(got) and not isinstance(got, MemoryError):
            raise got
        else:  # never a traceback, and the other files are still read
            notices.append(
                Notice(rel, None, None, f"读取文件时出错（{type(got).__name__}），该文件未读取", kind="错误")
            )
    return parts


_SUMMARY_SHEET = re.compile(r"汇总|合计|总表|全年|年度")


def _set_aside(part: _Part, status: str) -> None:
    part.report.status = status


def _summary_sheets(parts: list[_Part], notices: list) -> None:
    """A summary sheet (全年汇总) beside the periodic sheets of the same ledger in one workbook
    repeats their rows: it does not count."""
    by_book: dict[tuple, list[_Part]] = {}
    for part in parts:
        by_book.setdefault((part.file, part.ledger), []).append(part)
    for (file, ledger), group in by_book.items():
        summaries = [p for p in group if _SUMMARY_SHEET.search(p.report.sheet)]
        if summaries and len(summaries) < len(group):
            for p in summaries:
                _set_aside(p, "汇总表，未计入")
                others = "、".join(q.report.sheet for q in group if q not in summaries)
                notices.append(
                    Notice(
                        file,
                        p.report.sheet,
                        None,
                        f"汇总工作表与同一工作簿中的分期工作表（{others}）内容重复，未计入（{p.report.read}行）",
                        kind="警告",
                    )
                )


def _round_label(period: Period | None) -> str:
    return period.label_zh if period else "未标期次"


def _changes(old: pd.DataFrame, new: pd.DataFrame, spec: LedgerSpec) -> tuple[int, int, int]:
    """Rows added, changed and removed from old to new, by the ledger's identity columns."""
    data = [c.name for c in spec.columns]
    key = [c for c in spec.identity if c in data] or data

    def keyed(frame: pd.DataFrame) -> dict:
        out = {}
        for row in frame[data].astype(object).where(frame[data].notna(), None).itertuples(index=False):
            values = dict(zip(data, row))
            out.setdefault(tuple(values[c] for c in key), tuple(row))
        return out

    a, b = keyed(old), keyed(new)
    added = sum(k not in a for k in b)
    removed = sum(k not in b for k in a)
    changed = sum(k in a and a[k] != v for k, v in b.items())
    return added, changed, removed


def _set_years(parts: list[_Part]) -> None:
    """The year each part's rounds are chosen in: its file's; a file naming no year belongs to
    the folder's one year when there is only one (the earliest round of it), else to none."""
    years = {p.file_year for p in parts} - {None}
    only = next(iter(years)) if len(years) == 1 else None
    for p in parts:
        p.year = p.file_year if p.file_year is not None else only


def _choose_rounds(parts: list[_Part], notices: list) -> None:
    """Departments resend their whole cumulative ledger each round: for each department, ledger
    and year, the latest round of that year counts and replaces the year's earlier ones (said,
    with what changed); a later year's rounds never replace an earlier year's (ingest/years.py).
    A ledger collected as increments (resend: incremental) keeps every round."""
    groups: dict[tuple, list[_Part]] = {}
    for part in parts:
        if part.report.used:
            groups.setdefault((part.department, part.ledger, part.year), []).append(part)
    for (department, ledger, _year), group in groups.items():
        spec = ledger_specs()[ledger]
        rounds = sorted({p.round.end if p.round else pd.Timestamp.min for p in group})
        if len(rounds) < 2 or spec.resend == "incremental":
            continue
        latest = [p for p in group if (p.round.end if p.round else pd.Timestamp.min) == rounds[-1]]
        previous = [p for p in group if (p.round.end if p.round else pd.Timestamp.min) == rounds[-2]]
        for p in group:
            if p not in latest:
                _set_aside(p, f"已被{_round_label(latest[0].round)}报送取代")
        added, changed, removed = _changes(
            pd.concat([p.rows for p in previous]), pd.concat([p.rows for p in latest]), spec
        )
        files = "、".join(sorted({p.file for p in latest}))
        notices.append(
            Notice(
                files,
                None,
                None,
                f"{department}的{spec.sheet}按{_round_label(latest[0].round)}报送计（取代"
                f"{_round_label(previous[0].round)}报送的 {sum(p.report.read for p in previous)} 行）："
                f"新增 {added} 行、修改 {changed} 行、删除 {removed} 行",
                kind="更正",
                code=RESENT,
                detail=f"{added},{changed},{removed}",
            )
        )


def _resends_within_a_round(parts: list[_Part], notices: list) -> None:
    """Two files of one department for one ledger in the same round: when most rows of the
    older file appear again (by identity) in the newer one, the newer is a corrected resend and
    replaces it; otherwise they are parts of one ledger and both count."""
    groups: dict[tuple, dict[str, list[_Part]]] = {}
    for part in parts:
        if part.report.used:
            key = (part.department, part.ledger, part.round.code if part.round else "", part.year)
            groups.setdefault(key, {}).setdefault(part.file, []).append(part)
    for (department, ledger, _round, _year), by_file in groups.items():
        if len(by_file) < 2:
            continue
        spec = ledger_specs()[ledger]
        ident = [c for c in spec.identity] or [c.name for c in spec.columns]
        files = sorted(by_file, key=lambda f: by_file[f][0].order)
        for older, newer in zip(files, files[1:]):
            if not all(p.report.used for p in by_file[older]):
                continue
            old_rows = pd.concat([p.rows for p in by_file[older]])
            new_rows = pd.concat([p.rows for p in by_file[newer]])
            old_keys = set(map(tuple, old_rows[ident].astype(str).to_numpy()))
            new_keys = set(map(tuple, new_rows[ident].astype(str).to_numpy()))
            if old_keys and len(old_keys & new_keys) * 2 > len(old_keys):
                for p in by_file[older]:
                    _set_aside(p, f"已被同期报送的 {newer} 取代")
                added, changed, removed = _changes(old_rows, new_rows, spec)
                notices.append(
                    Notice(
                        newer,
                        None,
                        None,
                        f"{department}在同一轮次报送了两份{spec.sheet}，按较新的 {newer} 计（取代 {older}）："
                        f"新增 {added} 行、修改 {changed} 行、删除 {removed} 行",
                        kind="更正",
                    )
                )


def _identity(row: dict, spec: LedgerSpec) -> tuple | None:
    values = tuple(None if pd.isna(row.get(c)) else row.get(c) for c in spec.identity)
    return None if not spec.identity or all(v is None for v in values) else values


def _corrections(
    table: pd.DataFrame, spec: LedgerSpec, reports: dict, records: list[dict], notices: list
) -> pd.DataFrame:
    """Rows that state the same thing again (same identity): a ledger kept one row per identity
    (restate: last) counts the last statement; otherwise a row of a later file of the same
    department (a later increment, or a part sent again) corrects the earlier row. The
    earlier rows are rejected with the reason, so that read = accepted + rejected holds."""
    if not spec.identity or table.empty:
        return table
    ident = table[list(spec.identity)]
    dup = ident.notna().any(axis=1) & ident.astype(str).duplicated(keep=False)
    if not dup.any():
        return table
    drop = []
    labels = "、".join(spec.column(c).header for c in spec.identity)
    for _key, group in table[dup].groupby(list(spec.identity), dropna=False, sort=False):
        if len(group) < 2:
            continue
        last = group.iloc[-1]
        if spec.restate == "last":
            earlier = group.index[:-1]
            where = "；".join(
                f"{f} / {sh} / 第{r}行" for f, sh, r in zip(group["_file"], group["_sheet"], group["_row"])
            )
            values = "、".join(str(v) for v in group.iloc[-1][list(spec.identity)] if pd.notna(v))
            notices.append(
                Notice(
                    str(last["_file"]),
                    str(last["_sheet"]),
                    int(last["_row"]),
                    f"{values} 填报了 {len(group)} 次（{where}），按最后读到的一行计",
                    kind="更正",
                )
            )
            reason = f"{values} 又在 {last['_file']} / {last['_sheet']} / 第{last['_row']}行填报，按最后一次计"
        else:
            departments = group["_file"].map(department_of)
            later_file = group["_file"] != last["_file"]
            earlier = group.index[later_file & (departments == department_of(last["_file"]))]
            if not len(earlier):
                continue
            reason = f"已被 {last['_file']} / {last['_sheet']} / 第{last['_row']}行更正（{labels}相同），按后者计"
        for idx in earlier:
            row = table.loc[idx]
            records.append(
                {
                    "台账": spec.sheet,
                    "文件": row["_file"],
                    "工作表": row["_sheet"],
                    "行号": row["_row"],
                    "列": "（整行）",
                    "值": "",
                    "原因": reason,
                    "单元格": "",
                }
            )
            report = reports[(row["_file"], row["_sheet"])]
            report.accepted -= 1
            report.rejected += 1
        drop.extend(earlier)
    return table.drop(index=drop)


def empty_table(spec: LedgerSpec) -> pd.DataFrame:
    """A clean table of the ledger with no rows, typed as ingestion types them."""
    empty = typed_frame({}, spec, pd.Index([], name="_row", dtype="int64"))
    empty.insert(0, "_sheet", pd.Series(dtype=object))
    empty.insert(0, "_file", pd.Series(dtype=object))
    return empty.reset_index()[PROVENANCE + [c.name for c in spec.columns]]


def empty_tables() -> dict[str, pd.DataFrame]:
    """Every clean table with no rows, in the shape analysts and figures get them (personal
    columns already replaced by their keys and masked copies)."""
    from .pseudonym import pseudonymise_table

    return {key: pseudonymise_table(spec, empty_table(spec)) for key, spec in ledger_specs().items()}


def ingest_folder(raw_dir: Path, keep_personal: bool = False) -> IngestResult:
    """读取 raw_dir 下的全部台账，返回清洗后的表、被拒绝的行和提示（IngestResult），不经存储
    （`fupin_lib.load` 和 `store.load_result` 会保存并复用结果）。文件可以放在以报送轮次命名的文件夹中
    （2020Q2/、2020年第二季度/），或在文件名中写明轮次；每个部门的每年每种台账以最新一轮为准（_choose_rounds）。
    keep_personal：只供证明材料（evidence/）使用，保留明文个人信息，不保存、不发布。

        >>> from fupin_lib import config
        >>> result = ingest_folder(config.RAW_DIR)
        >>> all(s.read == s.accepted + s.rejected for s in result.sheets)
        True
    """
    raw_dir = Path(raw_dir).resolve()
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"数据目录不存在：{raw_dir}")
    files, notices = find_files(raw_dir)
    parts = _read_parts(raw_dir, files, notices)
    _summary_sheets(parts, notices)
    _set_years(parts)
    _choose_rounds(parts, notices)
    _resends_within_a_round(parts, notices)
    used = sorted((p for p in parts if p.report.used), key=lambda p: p.order)
    records = [r for p in used for r in p.records]
    notices += [n for p in used for n in p.notices]
    sheets = [p.report for p in sorted(parts, key=lambda p: p.order)]
    reports = {(p.file, p.report.sheet): p.report for p in used}
    tables = {}
    for key, spec in ledger_specs().items():
        # Each year's ledgers on their own: a row a later year's ledger states again (a cadre
        # still in post) neither corrects nor repeats the earlier year's row.
        by_year: dict[object, list] = {}
        for p in used:
            if p.ledger == key and len(p.rows):
                by_year.setdefault(p.year, []).append(_drop_duplicates(p.rows, spec, reports, records))
        years = []
        for _year, mine in sorted(by_year.items(), key=lambda kv: (kv[0] is not None, kv[0] or 0)):
            mine = [m for m in mine if len(m)]
            if not mine:
                continue
            table = pd.concat(mine, ignore_index=True)[PROVENANCE + [c.name for c in spec.columns]]
            table = _corrections(table, spec, reports, records, notices)
            years.append(_drop_duplicates(table, spec, reports, records))
        table = pd.concat(years, ignore_index=True) if years else empty_table(spec)
        tables[key] = table[PROVENANCE + [c.name for c in spec.columns]].reset_index(drop=True)
    notices.extend(_same_person_notices(tables))
    rejections = pd.DataFrame(records, columns=REJECTION_COLUMNS)
    # Last: no personal data in clear in the clean tables (after everything that needs it).
    # keep_personal: only for the evidence pack's lists (evidence/), never stored or published.
    result = _redacted(IngestResult(tables, rejections, sheets, notices))
    return result if keep_personal else pseudonymise(result)


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
        result.notices.append(
            Notice(
                file,
                sheet,
                None,
                f"“{header}”列中有身份证号、手机号或人员姓名，已脱敏（{n}行）；请勿在{ledger}的该列填写个人信息",
                kind="更正",
            )
        )
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
        records.append(
            {
                "台账": spec.sheet,
                "文件": row["_file"],
                "工作表": row["_sheet"],
                "行号": row["_row"],
                "列": "（整行）",
                "单元格": "",
                "值": "",
                "原因": f"与 {orig['_file']} / {orig['_sheet']} / 第{orig['_row']}行完全相同（重复行），只计一次",
            }
        )
        report = reports[(row["_file"], row["_sheet"])]
        report.accepted -= 1
        report.rejected += 1
    return table[~dup]


def _same_person_notices(tables: dict[str, pd.DataFrame]) -> list[Notice]:
    """A cadre or an employed person listed in more than one file: counted once, and said."""
    from .idcard import mask
    from .years import ledger_year

    out = []
    for key in ("cadres", "employed"):
        t = tables[key]
        ids = t.dropna(subset=["id_number"])
        # within one year's ledgers: a cadre listed again in the next year's ledger is no news
        year = ids["_file"].map({f: str(ledger_year(f) or "") for f in ids["_file"].unique()})
        files = ids.groupby([ids["id_number"], year], sort=False)["_file"].unique()
        for (pid, _year), where in files[files.map(len) > 1].items():
            name = parsers.mask_name(ids.loc[ids["id_number"] == pid, "name"].iloc[0]) if "name" in ids else ""
            out.append(
                Notice(
                    "、".join(sorted(where)),
                    None,
                    None,
                    f"同一人员（{name}，身份证号 {mask(pid)}）在多个部门的{ledger_specs()[key].sheet}中都有记录，按一人计",
                    kind="提示",
                )
            )
    return out
