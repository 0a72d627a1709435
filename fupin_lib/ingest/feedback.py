"""What ingestion hands back to people: the rejections workbook (every rejected row with file,
sheet, row, column, value with personal data masked, and the reason; every notice)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..excel import TEXT_ONLY, write_table
from .result import IngestResult


def write_rejections(result: IngestResult, path: Path) -> None:
    import xlsxwriter

    notices = pd.DataFrame(
        [
            {"类型": n.kind, "文件": n.file, "工作表": n.sheet or "", "行号": n.row or "", "说明": n.message}
            for n in result.notices
        ],
        columns=["类型", "文件", "工作表", "行号", "说明"],
    )
    book = xlsxwriter.Workbook(str(path), {**TEXT_ONLY, "constant_memory": True})
    try:
        write_table(book, "汇总", result.summary().drop(columns="表"))
        write_table(book, "按工作表", result.sheet_table(used_only=False))
        write_table(book, "被拒绝行", result.rejections)
        write_table(book, "提示与跳过", notices)
    finally:
        book.close()
