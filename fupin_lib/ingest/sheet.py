"""Checking the rows of one recognised sheet: every cell parsed by its column's type
(parsers.py), the typed rows validated lazily with the ledger's pandera schema
(schemas.py), and split into accepted rows and rejection records (file, sheet, row, column,
value with personal data masked, reason in Chinese).
"""

from __future__ import annotations

import math

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import refdata
from . import parsers
from .recognise import NOTE_RE, Header, is_note_row, rows_where, total_rows
from .parsers import PARSERS, Parsed
from .result import MISSING_COLUMNS, Notice, SheetReport
from ..ledgers import ColumnSpec, LedgerSpec, header_key, row_check_columns
from .schemas import schema


def _letter(column: object) -> str:
    """The Excel column letter of a raw frame's column (its position in the sheet)."""
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(int(column)) if isinstance(column, (int, np.integer)) else ""


def _parse_ids(values: pd.Series) -> list[Parsed]:
    """ID numbers, validated all at once; only the invalid ones are examined for their reason."""
    from . import idcard

    normal, valid = idcard.normalise_and_validate(values.where(values.map(type) == str, "").astype(object))  # noqa: E721 (a Series of types, compared element-wise)
    valid = valid.to_numpy(dtype=bool)
    out = []
    for v, n, ok in zip(values, normal, valid):
        if ok:
            out.append(Parsed(n))
        else:
            out.append(parsers.EMPTY if parsers.is_blank(v) else parsers.parse_id_card(v))
    return out


def _parse_column(values: pd.Series, col: ColumnSpec, factor: float) -> list[Parsed]:
    if col.type == "id_card":
        return _parse_ids(values)
    parser = PARSERS[col.type]
    extra = (
        {"choices": list(col.choices)} if col.type == "choice" else {"factor": factor} if col.type == "amount" else {}
    )
    cache: dict[tuple[type, object], Parsed] = {}  # each distinct cell value parsed once
    out = []
    for v in values:
        if v is None:
            out.append(parsers.EMPTY)
            continue
        key = (type(v), v)
        got = cache.get(key)
        if got is None:
            got = parsers.EMPTY if parsers.is_blank(v) else parser(v, **extra)
            if not (isinstance(v, float) and math.isnan(v)):  # NaN is never found again
                cache[key] = got
        out.append(got)
    return out


def _shown(col: ColumnSpec, raw: object) -> str:
    """A raw value as shown in a message: personal data masked."""
    if parsers.is_blank(raw):
        return ""
    if col.personal:
        return parsers.mask_value(col.type, raw)
    return parsers.to_text(raw) if isinstance(raw, (int, float)) else str(raw)


# Headers of a column that states, row by row, the unit of the row's amounts.
UNIT_COLUMN_HEADERS = frozenset({"金额单位", "单位", "计量单位", "货币单位", "金额计量单位"})


def _unit_named(header: object) -> str:
    """The unit an amount header names in brackets, as written (元, 万元, 人民币元 …)."""
    for inside in parsers._BRACKETED.findall(re.sub(r"\s+", "", str(header))):
        word = inside.removeprefix("单位").strip(":：")
        if parsers.unit_factor(word) is not None:
            return word
    return ""


def _value_unit(raw: object) -> str | None:
    """The unit a text amount names at its end ("3,400元" -> 元, "12万" -> 万元), or None."""
    if not isinstance(raw, str):
        return None
    text = parsers.to_text(raw).replace(" ", "")
    for name in parsers.amount_units():
        if text.endswith(name):
            return name
    if text.endswith("万"):
        return "万元"
    if text.endswith("亿"):
        return "亿元"
    return None


def _with_row_units(
    raw: pd.Series,
    units: pd.Series,
    parsed: list[Parsed],
    factor: float,
    header_unit: str | None,
    unit_header: str,
    written: str,
) -> list[Parsed]:
    """Amounts read with the unit their row states in a 金额单位 column. The unit of an amount may
    come from its header (or a 单位 row above it), its value ("3,400元") or the row's unit
    column; all three are honoured: the value's own unit wins over the header's (as always), the
    row's unit column over the header's default of 万元; where the header states a unit and the
    unit column another, or the value one and the unit column another, the row is rejected."""
    out = []
    for value, unit_raw, got in zip(raw, units, parsed):
        if parsers.is_blank(unit_raw) or parsers.is_blank(value):
            out.append(got)
            continue
        unit_text = parsers.to_text(unit_raw).replace(" ", "")
        row_factor = parsers.unit_factor(unit_text)
        if row_factor is None:
            out.append(
                Parsed(
                    problem=f"“{unit_header}”列的单位“{unit_text}”无法识别"
                    f"（应为{'、'.join(parsers.amount_units())}之一）"
                )
            )
            continue
        own = _value_unit(value)
        if own is not None and parsers.unit_factor(own) != row_factor:
            out.append(
                Parsed(problem=f"金额单位不一致：单元格写明“{own}”，本行“{unit_header}”列为“{unit_text}”，请核对")
            )
        elif own is None and header_unit is not None and parsers.unit_factor(header_unit) != row_factor:
            out.append(
                Parsed(
                    problem=f"金额单位不一致：表头“{written}”写明“{header_unit}”，本行“{unit_header}”列为"
                    f"“{unit_text}”，请核对"
                )
            )
        elif own is not None or row_factor == factor:
            out.append(got)
        else:
            out.append(parsers.parse_amount(value, factor=row_factor))
    return out


def typed_frame(parsed: dict[str, list[Parsed]], spec: LedgerSpec, index: pd.Index) -> pd.DataFrame:
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


def ingest_sheet(
    file: str,
    sheet: str,
    frame: pd.DataFrame,
    header: Header,
    merged_copies: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[pd.DataFrame, list[dict], SheetReport, list[Notice]]:
    """Clean one recognised sheet: (accepted rows, rejection records, counts, notices)."""
    notices: list[Notice] = []
    spec = header.spec
    header_row = header.rows[-1]
    report = SheetReport(file, sheet, spec.key)
    mapping: dict[str, tuple[int, float, str]] = {}  # column name -> (position, unit factor, header as written)
    stated: dict[str, str] = {}  # amount column -> the unit its header (or 单位 row) states
    unknown_units: dict[str, str] = {}  # column name -> the unit its header names, not known
    unit_column: tuple[int, str] | None = None  # a 金额单位 column: (position, header as written)
    has_amounts = any(c.type == "amount" for c in spec.columns)
    # The rows taken as the header are said (the sheet table, the rejections workbook): a row is
    # never consumed as a header in silence.
    report.header_rows = "、".join(f"第{r + 1}行" for r in header.rows)
    for pos, raw in enumerate(header.cells):
        if parsers.is_blank(raw):
            continue
        key = header_key(raw)
        col = spec.headers.get(key)
        if col is None and has_amounts and key in UNIT_COLUMN_HEADERS and unit_column is None:
            unit_column = (pos, str(raw).replace("\n", ""))
            continue
        # 金额（元）, 金额【千元】, 金额（单位：亿元）: the header's own unit wins over a 单位 row above.
        factor, unknown = parsers.header_unit(raw) if col is not None and col.type == "amount" else (None, None)
        if col is not None and col.type == "amount" and col.name not in mapping:
            if factor is not None:
                stated[col.name] = _unit_named(raw)
            elif header.unit_name:
                stated[col.name] = header.unit_name
        factor = header.factor if factor is None else factor
        if unknown and col is not None and col.name not in mapping:
            unknown_units[col.name] = unknown
        if col is None:
            notices.append(Notice(file, sheet, header_row + 1, f"列“{raw}”不属于{spec.sheet}，已忽略"))
        elif col.name in mapping:
            notices.append(Notice(file, sheet, header_row + 1, f"列“{raw}”重复出现，只读取第一列"))
        else:
            mapping[col.name] = (pos, factor, str(raw).replace("\n", ""))
    missing = [c.header for c in spec.columns if c.required and c.name not in mapping]

    body = frame.iloc[header.first_data_row :]
    body = body[body.notna().any(axis=1)]
    if len(body):
        totals = total_rows(body)
        notes = rows_where(body, is_note_row, NOTE_RE) & ~totals
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
        notices.append(
            Notice(
                file,
                sheet,
                header_row + 1,
                f"工作表缺少必填列：{'、'.join(missing)}，该表 {len(rows)} 行均未计入；请补上该列后重新报送",
                kind="错误",
                code=MISSING_COLUMNS,
                detail="、".join(missing),
            )
        )
    units = "、".join(parsers.amount_units())
    for name, unknown in unknown_units.items():
        written = mapping[name][2]
        notices.append(
            Notice(
                file,
                sheet,
                header_row + 1,
                f"“{written}”列的单位“{unknown}”无法识别（应为{units}之一），该列的金额均未计入",
                kind="错误",
            )
        )
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
                notices.append(
                    Notice(
                        file,
                        sheet,
                        None,
                        f"“{written}”列有跨行合并的单元格：数值只计入合并区域的第一行，"
                        f"其余 {int(copied.sum())} 行按 0 计，避免重复计算",
                        kind="更正",
                    )
                )
        raw = raw.copy()
        raw.index = rows
        raw_by_col[name] = raw
        parsed[name] = _parse_column(raw, col, factor)
        if col.type == "amount" and unit_column is not None:
            units_raw = body.iloc[:, unit_column[0]].copy()
            units_raw.index = rows
            parsed[name] = _with_row_units(
                raw, units_raw, parsed[name], factor, stated.get(name), unit_column[1], written
            )
        if name in unknown_units:
            reason = f"“{written}”列的单位“{unknown_units[name]}”无法识别（应为{units}之一）"
            parsed[name] = [parsers.EMPTY if parsers.is_blank(v) else Parsed(problem=reason) for v in raw]
        seen_notes: dict[str, int] = {}
        seen_warnings: dict[str, list[int]] = {}
        for r, p, v in zip(rows, parsed[name], raw):
            if p.problem:
                problems[r].append((written, _shown(col, v), p.problem))
            elif col.required and p.value is None:
                problems[r].append((written, "", f"必填项“{col.header}”为空"))
            if p.note:
                seen_notes[p.note] = seen_notes.get(p.note, 0) + 1
            if p.warning and not p.problem:
                seen_warnings.setdefault(p.warning, []).append(r)
        for note, n in seen_notes.items():
            notices.append(Notice(file, sheet, None, f"{note}（{n}行）", kind="更正"))
        for warning, where in seen_warnings.items():
            shown = "、".join(map(str, where[:5])) + ("等" if len(where) > 5 else "")
            notices.append(
                Notice(file, sheet, where[0], f"“{written}”列{warning}（第{shown}行，共{len(where)}行）", kind="警告")
            )

    typed = typed_frame(parsed, spec, rows)
    year = re.search(r"(?<!\d)(20\d{2})(?!\d)", Path(file).name) or re.search(r"(?<!\d)(20\d{2})(?!\d)", file)
    for col in spec.columns:
        if col.from_file_year and typed[col.name].isna().any():
            if year:
                typed[col.name] = typed[col.name].fillna(int(year.group(1)))
            else:
                notices.append(
                    Notice(
                        file,
                        sheet,
                        None,
                        f"“{col.header}”未填，文件名和所在文件夹也未写明年份："
                        "这些行按报告期所在年度计；请填写年度，以免用于其他年份",
                        kind="警告",
                    )
                )
    _check_township_area(typed, spec, mapping, raw_by_col, problems)
    if spec.key == "self_assessment" and "value" in mapping:
        _check_self_assessment(typed, mapping, raw_by_col, problems)
    _validate_schema(typed, spec, mapping, raw_by_col, problems)

    rejected_rows = [r for r in rows if problems[r]]
    letters = {written: _letter(frame.columns[pos]) for pos, _factor, written in mapping.values()}
    records = [
        {
            "台账": spec.sheet,
            "文件": file,
            "工作表": sheet,
            "行号": r,
            "列": c,
            "单元格": f"{letters[c]}{r}" if c in letters else "",
            "值": v,
            "原因": why,
        }
        for r in rejected_rows
        for (c, v, why) in problems[r]
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
    both = typed[[t_col, a_col]].dropna()
    canonical = {town: refdata.canonical_township(town) for town in both[t_col].unique()}
    for r, town, area in zip(both.index, both[t_col], both[a_col]):
        found = canonical[town]
        if found and found[1] != area:
            problems[r].append(
                (mapping[t_col][2], str(raw_by_col[t_col][r]), f"乡镇“{town}”属于{found[1]}，与结对地区“{area}”不符")
            )


def _check_self_assessment(typed, mapping, raw_by_col, problems) -> None:
    from .parsers import parse_self_assessed

    for r, key, value in zip(typed.index, typed["item"], typed["value"]):
        if key is None or pd.isna(key) or value is None or pd.isna(value):
            continue
        parsed = parse_self_assessed(key, raw_by_col["value"][r])
        if parsed.problem:
            problems[r].append((mapping["value"][2], str(value), parsed.problem))


def _validate_schema(typed, spec, mapping, raw_by_col, problems) -> None:
    import pandera.pandas as pa

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
