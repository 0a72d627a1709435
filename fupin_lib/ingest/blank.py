"""Blank ledger templates for the departments (`fupin templates DIR`, ledgers.md).

One workbook per ledger (ledgers 11 and 13, which have several sheets, in one workbook each),
with the headers the ingestion expects, a drop-down list for every column with fixed choices,
and text format for ID numbers and credit codes, so that Excel cannot turn them into numbers.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import refdata
from .schemas import LedgerSpec, ledger_specs

BOOK_NAMES = {11: "劳务协作台账", 13: "社会帮扶台账"}
TEXT_TYPES = ("id_card", "credit_code", "phone", "period", "quarter")
ROWS = 1000  # rows prepared with formats and drop-downs


def _choices(col) -> list[str]:
    if col.choices:
        return list(col.choices)
    if col.type == "yesno":
        return ["是", "否"]
    if col.type == "area":
        return refdata.area_names()
    return []


def _write_sheet(wb: Workbook, spec: LedgerSpec) -> None:
    ws = wb.create_sheet(spec.sheet)
    for j, col in enumerate(spec.columns, start=1):
        cell = ws.cell(1, j, col.header + ("（必填）" if col.required else ""))
        cell.font = Font(bold=True, color="9C0006" if col.required else "000000")
        cell.fill = PatternFill("solid", fgColor="DDE4EE")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(10, min(30, len(col.header) * 2.2 + 2))
        if col.type in TEXT_TYPES:
            for r in range(2, ROWS + 2):
                ws.cell(r, j).number_format = "@"
        elif col.type == "date":
            for r in range(2, ROWS + 2):
                ws.cell(r, j).number_format = "yyyy-mm-dd"
        choices = _choices(col)
        if choices and len(",".join(choices)) < 250:   # Excel's limit for an inline list
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=not col.required,
                                showErrorMessage=True, errorTitle="取值不在可选范围内",
                                error=f"“{col.header}”可选：{'/'.join(choices)}")
            dv.add(f"{letter}2:{letter}{ROWS + 1}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30


def write_templates(folder: Path) -> list[Path]:
    """Write the blank templates into folder; return the files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    books: dict[int, list[LedgerSpec]] = {}
    for spec in ledger_specs().values():
        books.setdefault(spec.id, []).append(spec)
    written = []
    for ledger_id, specs in books.items():
        wb = Workbook()
        wb.remove(wb.active)
        for spec in specs:
            _write_sheet(wb, spec)
        name = BOOK_NAMES.get(ledger_id, specs[0].sheet)
        path = folder / f"{ledger_id:02d}_{name}_模板.xlsx"
        wb.save(path)
        written.append(path)
    return written
