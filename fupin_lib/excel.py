"""Excel files written with XlsxWriter: cell text from the data is stored as text (a cell that
starts with = is never a formula, a URL never a link), and a table longer than a sheet goes
on to the next sheet, so that nothing is lost."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

EXCEL_MAX_ROWS = 1_048_576  # rows of an Excel sheet, header included
TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def write_table(book, name: str, table: pd.DataFrame, limit: int = EXCEL_MAX_ROWS - 1) -> None:
    """A table into one or more sheets of an XlsxWriter workbook: cell text is stored as text
    (a ledger cell starting with = is never a formula, a URL never a link); past Excel's row
    limit the table continues on a second sheet (被拒绝行（2）…), so that nothing is lost."""
    header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True})
    chunks = [table.iloc[i : i + limit] for i in range(0, len(table), limit)] or [table]
    for n, chunk in enumerate(chunks, start=1):
        ws = book.add_worksheet(name if n == 1 else f"{name}（{n}）")
        for j, col in enumerate(table.columns):
            ws.write_string(0, j, str(col), header)
            sample = [len(str(v)) for v in chunk[col].head(200)] + [len(str(col))]
            ws.set_column(j, j, min(60, max(8, max(sample) * 1.6)))
        for i, row in enumerate(chunk.itertuples(index=False), start=1):
            for j, value in enumerate(row):
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                if isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_)):
                    ws.write_number(i, j, float(value))
                else:
                    ws.write_string(i, j, str(value))
        ws.freeze_panes(1, 0)
