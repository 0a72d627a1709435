"""A table to Excel as an office reader expects it: `to_excel(df, path)`.

Headers in Chinese from the data dictionary (the clean tables' columns, ledgers.yml) and, for
the columns figures compute (ratio, below_target, the series' value and yoy_rate …), from
reference/computed_columns.csv; 万元 as #,##0.00, ratios as 0.0%, dates as yyyy-mm-dd; the header
row frozen, filters on it, every column as wide as its longest cell (a Chinese character counts
two); True/False as 是/否; text stays text (a cell starting with = is no formula). A second
sheet 说明 says what the table covers (its window, attrs["口径"]) and what each column is.

A table with ID numbers or phone numbers in clear (what find_person returns) is not written
unless allow_personal=True, and then the export is written to the access log (lookup.py).
"""

from __future__ import annotations

import numbers
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config

MONEY, PCT, DATE, INT, NUMBER, TEXT, BOOL = "money", "pct", "date", "int", "number", "text", "bool"
FORMATS = {MONEY: "#,##0.00", PCT: "0.0%", DATE: "yyyy-mm-dd", INT: "#,##0", NUMBER: "#,##0.######"}


class ExportError(ValueError):
    """A table that is not exported as asked (personal data in clear); message in Chinese."""


@lru_cache(maxsize=1)
def computed_columns() -> pd.DataFrame:
    """The Chinese names and formats of the columns figures compute (reference/computed_columns.csv)."""
    return pd.read_csv(config.REFERENCE_DIR / "computed_columns.csv", dtype=str, keep_default_na=False).set_index(
        "column"
    )


@lru_cache(maxsize=None)
def _dictionary(first: str | None) -> dict[str, tuple[str, str]]:
    """column -> (Chinese name, unit) over the clean tables, the table `first` first."""
    from ..catalog import describe
    from ..ledgers import ledger_specs

    keys = list(ledger_specs())
    if first in keys:
        keys.remove(first)
        keys.insert(0, first)
    out: dict[str, tuple[str, str]] = {}
    for key in keys:
        for row in describe(key).itertuples(index=False):
            out.setdefault(row.列, (row.中文名, row.单位 or ("万元" if row.类型 == "金额" else "")))
    return out


@lru_cache(maxsize=None)
def _dictionary_of(table: str | None) -> tuple[str, ...]:
    """The columns of one clean table (none for another name)."""
    from ..catalog import describe
    from ..ledgers import ledger_specs

    return tuple(describe(table)["列"]) if table in ledger_specs() else ()


def chinese_headers(columns, table: str | None = None) -> dict[str, str]:
    """列名 -> 中文表头：清洗后的表的列按数据字典，计算列按 reference/computed_columns.csv，其余原样。
    同名的中文表头后加原列名以示区别。

        >>> chinese_headers(["unit", "ratio", "below_target", "amount_wan", "合计"], table="canteen")
        {'unit': '单位名称', 'ratio': '扶贫产品采购比例', 'below_target': '低于目标', 'amount_wan': '金额（万元）', '合计': '合计'}
    """
    dictionary, computed = _dictionary(table), computed_columns()
    own = set(_dictionary_of(table))
    out = {}
    for col in columns:
        name = str(col)
        if name in own:
            out[name] = dictionary[name][0]
        elif name in computed.index:
            out[name] = computed.loc[name, "label_zh"]
        elif name in dictionary:
            out[name] = dictionary[name][0]
        else:
            out[name] = name
    seen: dict[str, int] = {}
    for label in out.values():
        seen[label] = seen.get(label, 0) + 1
    return {k: (f"{v}（{k}）" if seen[v] > 1 and k != v else v) for k, v in out.items()}


def column_format(name: str, values: pd.Series, header: str, table: str | None = None) -> str:
    """How a column is shown: money (万元), pct, date, int, number, bool or text."""
    computed = computed_columns()
    if pd.api.types.is_bool_dtype(values) or (
        values.dtype == object
        and len(values.dropna())
        and values.dropna().map(lambda v: isinstance(v, (bool, np.bool_))).all()
    ):
        return BOOL
    if pd.api.types.is_datetime64_any_dtype(values):
        return DATE
    numeric = pd.api.types.is_numeric_dtype(values)
    if name in computed.index and computed.loc[name, "format"] in (PCT, MONEY, INT, DATE):
        return computed.loc[name, "format"]
    unit = _dictionary(table).get(name, ("", ""))[1]
    if numeric or values.dtype == object:
        if name.endswith("_wan") or unit == "万元" or "万元" in header:
            return MONEY
        if (
            name.endswith(("_ratio", "_rate"))
            or name == "ratio"
            or any(w in header for w in ("比例", "占比", "增长率"))
        ):
            return PCT
    if pd.api.types.is_integer_dtype(values):
        return INT
    if numeric:
        return NUMBER
    if (
        values.dtype == object
        and len(values.dropna())
        and values.dropna().map(lambda v: isinstance(v, (date, datetime))).all()
    ):
        return DATE
    return TEXT


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _shown(value, kind: str) -> str:
    """A cell as Excel shows it, for the column widths."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == PCT and isinstance(value, numbers.Number):
        return f"{value:.1%}"
    if kind == MONEY and isinstance(value, numbers.Number):
        return f"{value:,.2f}"
    if kind == DATE:
        return "2020-06-30"
    if kind == BOOL:
        return "是"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def _personal(frame: pd.DataFrame) -> list[str]:
    """Columns holding an ID number or a mobile number in clear."""
    from ..privacy import find

    found = []
    for col in frame.columns:
        if frame[col].dtype != object:
            continue
        for value in pd.unique(frame[col].dropna().astype(str))[:20000]:
            if find(value):
                found.append(str(col))
                break
    return found


def to_excel(
    df: pd.DataFrame,
    path: Path | str,
    sheet: str = "数据",
    table: str | None = None,
    allow_personal: bool = False,
    reason: str | None = None,
) -> Path:
    """把一张表写成 Excel（.xlsx）：中文表头（数据字典中的列、各项数字函数计算的列如 ratio、below_target、
    series 的 value、yoy_rate 等都有中文名），万元显示为 #,##0.00，比例显示为百分数，日期为 yyyy-mm-dd，
    冻结表头并加筛选，列宽按内容自动调整；第二个工作表“说明”写明口径和各列含义。返回文件路径。

    `table`：表名（默认取 df.attrs["表"]，`load()` 会写上），用于从该表的数据字典取列名。含身份证号、
    手机号明文的表（如 find_person 的结果）默认不导出；授权人员确需导出时用 allow_personal=True
    并写明 reason（用途），导出记入查询记录。

        >>> import tempfile, pandas as pd
        >>> path = to_excel(pd.DataFrame({"unit": ["甲"], "ratio": [0.25]}), tempfile.mkdtemp() + "/比例.xlsx", table="canteen")
        >>> pd.read_excel(path, engine="calamine").columns.tolist()
        ['单位名称', '扶贫产品采购比例']
    """
    import xlsxwriter

    from ..excel import TEXT_ONLY
    from ..files import atomic_write

    if not isinstance(df, pd.DataFrame):
        df = pd.DataFrame(df)
    table = table or df.attrs.get("表")
    frame = df
    if not isinstance(frame.index, pd.RangeIndex) or any(n is not None for n in frame.index.names):
        frame = frame.reset_index()
    frame = frame.loc[:, ~frame.columns.duplicated()]
    personal = _personal(frame)
    if personal and not allow_personal:
        raise ExportError(
            f"表中有身份证号或手机号明文（列：{'、'.join(personal)}），未导出：导出文件会离开受控的原始台账。"
            "请改用脱敏列（*_masked）或加密散列列（person_key）；授权人员确需导出时用 "
            "allow_personal=True 并写明 reason（用途），导出将记入查询记录"
        )
    if personal:
        from .lookup import log_access

        log_access(
            "to_excel",
            reason,
            query=f"导出 {Path(path).name}（{len(frame)} 行，含明文列：{'、'.join(personal)}）",
            rows=len(frame),
        )
    headers = chinese_headers(frame.columns, table)
    columns = [str(c) for c in frame.columns]
    kinds = {c: column_format(c, frame[col], headers[c], table) for c, col in zip(columns, frame.columns)}

    def write(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {**TEXT_ONLY, "nan_inf_to_errors": False})
        head = book.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "vcenter"}
        )
        formats = {k: book.add_format({"num_format": f}) for k, f in FORMATS.items()}
        ws = book.add_worksheet(sheet[:31])
        for j, c in enumerate(columns):
            ws.write_string(0, j, headers[c], head)
        widths = [_width(headers[c]) for c in columns]
        for i, row in enumerate(frame.itertuples(index=False), start=1):
            for j, (c, value) in enumerate(zip(columns, row)):
                kind = kinds[c]
                if i <= 2000:
                    widths[j] = max(widths[j], _width(_shown(value, kind)))
                if value is None or (not isinstance(value, (str, list, tuple, dict)) and pd.isna(value)):
                    continue
                if kind == BOOL and isinstance(value, (bool, np.bool_)):
                    ws.write_string(i, j, "是" if value else "否")
                elif isinstance(value, (pd.Timestamp, datetime, date)):
                    ws.write_datetime(i, j, pd.Timestamp(value).to_pydatetime(), formats[DATE])
                elif isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_)):
                    ws.write_number(i, j, float(value), formats.get(kind))
                else:
                    ws.write_string(i, j, str(value))
        for j, w in enumerate(widths):
            ws.set_column(j, j, min(60, max(6, w + 2)))
        ws.freeze_panes(1, 0)
        if columns:
            ws.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)
        notes = book.add_worksheet("说明")
        notes.write_string(0, 0, "口径", head)
        notes.write_string(0, 1, str(df.attrs.get("口径", "见各列")))
        notes.write_string(1, 0, "行数", head)
        notes.write_number(1, 1, len(frame))
        notes.write_string(2, 0, "导出时间", head)
        notes.write_string(2, 1, datetime.now().strftime("%Y-%m-%d %H:%M"))
        notes.write_row(4, 0, ["列", "中文表头", "格式"], head)
        names = {MONEY: "万元", PCT: "百分比", DATE: "日期", INT: "整数", NUMBER: "数值", TEXT: "文本", BOOL: "是/否"}
        for i, c in enumerate(columns, start=5):
            notes.write_row(i, 0, [c, headers[c], names[kinds[c]]])
        notes.set_column(0, 0, 24)
        notes.set_column(1, 1, 40)
        book.close()

    return atomic_write(Path(path), write, mode=0o600 if personal else None)
