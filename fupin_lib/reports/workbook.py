"""The period's 携手奔小康行动工作进展情况表 as an Excel workbook (XlsxWriter).

One sheet per section of the plan (figures.sections: the same tables the reports show), as the
office hands it to the city: a title, the period and data version, styled headers repeated on
every printed page, number formats by kind (counts whole, 万元 with two decimals, ratios as
per cent), a 合计 row, notes, shortfalls in red, A4 landscape fitted to the page width with page
numbers. Totals and ratios are Excel formulas, so that a reader who edits a cell sees them
follow, and every formula is stored with its value (the figure computed in figures/), so that
phone previewers, pandas and printing show numbers, never blanks. Text from the data is stored
as text: a unit named "=HYPERLINK(…)" is not a formula.
"""

from __future__ import annotations

import math
from numbers import Number
from pathlib import Path

import pandas as pd

from ..excel import TEXT_ONLY
from ..figures.coverage import NOT_SENT
from ..figures.sections import Section, all_sections
from ..periods import Period
from ..render.document import NOT_APPLICABLE

NUMBER_FORMATS = {"int": "#,##0", "money": "#,##0.00", "pct": "0.0%", "ratio": "0.00"}
TITLE_ROW, SUBTITLE_ROW, HEADER_ROW, FIRST_ROW = 0, 1, 2, 3


def _letter(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(col)


class _Formats:
    """The workbook's cell formats, made once per workbook."""

    def __init__(self, book):
        base = {
            "font_name": "Noto Sans CJK SC",
            "font_size": 10,
            "valign": "vcenter",
            "border": 1,
            "border_color": "#999999",
        }
        self.book, self.base, self.cache = book, base, {}
        self.title = book.add_format({**base, "border": 0, "bold": True, "font_size": 14})
        self.subtitle = book.add_format({**base, "border": 0, "font_color": "#666666", "font_size": 9})
        self.note = book.add_format({**base, "border": 0, "font_color": "#666666", "font_size": 9, "text_wrap": True})
        self.header = book.add_format(
            {**base, "bold": True, "bg_color": "#DDE4EE", "align": "center", "text_wrap": True}
        )

    def cell(self, kind: str, total: bool = False, short: bool = False):
        key = (kind, total, short)
        if key not in self.cache:
            spec = {**self.base}
            if kind in NUMBER_FORMATS:
                spec["num_format"] = NUMBER_FORMATS[kind]
            else:
                spec.update(text_wrap=True, align="left")
            if total:
                spec.update(bold=True, bg_color="#F3F3F3")
            if short:
                spec.update(font_color="#B22222", bold=True)
            self.cache[key] = self.book.add_format(spec)
        return self.cache[key]


def _kind(section: Section, column: str, row: pd.Series | dict) -> str:
    kind = section.formats.get(column, "text")
    if kind == "by_unit":
        return "money" if row.get("单位") == "万元" else "int"
    return kind


def _units(text: str, cjk: float = 2) -> float:
    """Width of a text in Excel's column units: a CJK character counts `cjk` (two, as columns
    are sized; 1.7 as 10 pt text actually fills them)."""
    return sum(cjk if ord(ch) > 0x2E80 else 1 for ch in text)


def _width(section: Section, column: str) -> float:
    values = [str(column)] + [str(v) for v in section.table[column].head(200)]
    return min(40, max(8, max(_units(v) for v in values) * 1.1 + 2))


LINE_PT = 13.5  # one line of 10 pt text, as Excel and LibreOffice set it
CJK_UNITS = 1.7  # a CJK character of 10 pt in column units (columns are sized at 2 a character)


def _row_height(row, columns: list[str], widths: list[float]) -> float | None:
    """The height a row of wrapped text needs, or None for one line. Set explicitly: LibreOffice
    (and Excel until a cell is edited) keeps a row one line high and prints the wrapped lines
    over the rows below."""
    lines = 1
    for col, width in zip(columns, widths):
        value = row.get(col)
        if isinstance(value, str) and value:
            lines = max(lines, math.ceil(_units(value, CJK_UNITS) / max(1.0, width - 0.5)))
    return LINE_PT * lines + 3 if lines > 1 else None


def _write_value(ws, r: int, c: int, value, fmt) -> None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, str):
        ws.write_string(r, c, value, fmt)
    else:
        ws.write_number(r, c, float(value), fmt)


def _stored(value):
    """The value stored with a SUM formula: a number (a whole one as an integer, so that a
    count reads 339, not 339.0, in previewers and pandas), or "" where the formula gives ""."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    return int(number) if number.is_integer() else number


OVER = "超额完成"


def _ratio_formula(num: str, den: str, capped: bool = False) -> str:
    """A ratio as Excel computes it again when a cell is corrected: "—" (not applicable) when the
    denominator is 0, 未报送 when a figure is not a number (its ledger was not handed in);
    `capped` (a share of a target): 超额完成 above 100%, never a four-digit percentage."""
    ratio = f'IF({num}/{den}>1,"{OVER}",{num}/{den})' if capped else f"{num}/{den}"
    return f'=IF(AND(ISNUMBER({num}),ISNUMBER({den})),IF({den}=0,"{NOT_APPLICABLE}",{ratio}),"{NOT_SENT}")'


def _ratio_stored(value, num, den, capped: bool = False):
    """The value the ratio formula gives for these figures (stored with it, for previewers)."""
    numbers = [v for v in (num, den) if isinstance(v, Number) and not isinstance(v, bool) and not pd.isna(v)]
    if len(numbers) < 2:
        return NOT_SENT
    if den == 0 or value is None or pd.isna(value):
        return NOT_APPLICABLE
    return OVER if capped and float(value) > 1 else float(value)


def write_sheet(book, formats: _Formats, section: Section, subtitle: str) -> None:
    ws = book.add_worksheet(section.name)
    table, columns = section.table, list(section.table.columns)
    where = {col: j for j, col in enumerate(columns)}
    last_col = len(columns) - 1
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, max(last_col, 1), section.title, formats.title)
    ws.merge_range(SUBTITLE_ROW, 0, SUBTITLE_ROW, max(last_col, 1), subtitle, formats.subtitle)
    widths = [_width(section, col) for col in columns]
    for j, col in enumerate(columns):
        ws.write_string(HEADER_ROW, j, str(col), formats.header)
        ws.set_column(j, j, widths[j])
    ws.set_row(HEADER_ROW, 32)
    last = FIRST_ROW + len(table) - 1
    for i, (_, row) in enumerate(table.iterrows()):
        r = FIRST_ROW + i
        height = _row_height(row, columns, widths)
        if height:
            ws.set_row(r, height)
        short = section.flag is not None and row.get(section.flag[0]) in section.flagged
        for j, col in enumerate(columns):
            fmt = formats.cell(_kind(section, col, row), short=short and col == section.flag[0])
            if col in section.ratios:
                num, den = (f"{_letter(where[c])}{r + 1}" for c in section.ratios[col])
                capped = col in section.capped
                stored = _ratio_stored(row[col], *(row[c] for c in section.ratios[col]), capped=capped)
                ws.write_formula(r, j, _ratio_formula(num, den, capped), fmt, stored)
            else:
                _write_value(ws, r, j, row[col], fmt)
    total = section.total_row()
    if total:
        last += 1
        for j, col in enumerate(columns):
            fmt = formats.cell(_kind(section, col, total), total=True)
            value = total.get(col)
            letter = _letter(j)
            if col in section.summed and len(table):
                ws.write_formula(last, j, f"=SUM({letter}{FIRST_ROW + 1}:{letter}{last})", fmt, _stored(value))
            elif col in section.ratios and j > 0:
                num, den = (f"{_letter(where[c])}{last + 1}" for c in section.ratios[col])
                stored = _ratio_stored(value, *(total.get(c) for c in section.ratios[col]))
                ws.write_formula(last, j, _ratio_formula(num, den), fmt, stored)
            else:
                _write_value(ws, last, j, value, fmt)
    notes = section.notes()
    for k, note in enumerate(notes):
        ws.merge_range(last + 2 + k, 0, last + 2 + k, max(last_col, 1), note, formats.note)
        lines = math.ceil(_units(note) * 1.1 / max(1.0, sum(widths) - 2))
        ws.set_row(last + 2 + k, max(30, 13 * lines + 4))
    ws.freeze_panes(FIRST_ROW, 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # as wide as the page, as many pages as it takes
    ws.repeat_rows(HEADER_ROW)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.hide_gridlines(0)


def write_progress_workbook(
    tables: dict[str, pd.DataFrame],
    period: Period,
    path: Path,
    district: str,
    data_version: str,
    supplied: set[str] | None = None,
) -> Path:
    """Write the workbook of the period's sections to path; with `supplied`, the figures of the
    ledgers nobody handed in read 未报送."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), TEXT_ONLY)
    try:
        formats = _Formats(book)
        # The data version is the run record's (reports/运行记录/), not the leaders' sheet.
        from .notebook_api import date_range_zh

        subtitle = f"{district}　报告期：{period.label_zh}（{date_range_zh(period.start, period.end)}）"
        for section in all_sections(tables, period, supplied):
            write_sheet(book, formats, section, subtitle)
        book.set_properties(
            {
                "title": f"{district}携手奔小康行动工作进展情况表（{period.label_zh}）",
                "author": f"{district}经济协作办公室",
            }
        )
    finally:
        book.close()
    return path
