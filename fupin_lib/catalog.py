"""Load and save the datasets of catalog.yml: one call per clean table for analysts."""

from __future__ import annotations

import numbers
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .config import CATALOG_FILE, PROCESSED_DIR, PROJECT_ROOT, REJECTIONS_FILE
from .files import publish, staging
from .ingest import IngestResult
from .ingest.schemas import ledger_specs


@lru_cache(maxsize=None)
def catalog() -> dict[str, dict]:
    return yaml.safe_load(CATALOG_FILE.read_text(encoding="utf-8"))


def datasets() -> pd.DataFrame:
    """The registered datasets with their paths and descriptions."""
    return pd.DataFrame([{"name": k, **v} for k, v in catalog().items()])


def load(name: str, processed_dir: Path | None = None) -> pd.DataFrame:
    """A clean table written by `fupin ingest`, e.g. load("cadres")."""
    if name not in ledger_specs():
        raise KeyError(f"没有名为“{name}”的数据表；可选：{'、'.join(ledger_specs())}")
    path = Path(processed_dir) / f"{name}.parquet" if processed_dir else PROJECT_ROOT / catalog()[name]["path"]
    if not path.exists():
        raise FileNotFoundError(f"找不到清洗后的数据 {path}：请先运行 `fupin ingest`")
    return pd.read_parquet(path)


def load_all(processed_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    return {name: load(name, processed_dir) for name in ledger_specs()}


def save_result(result: IngestResult, out_dir: Path = PROCESSED_DIR) -> list[Path]:
    """Write the clean tables (Parquet) and the rejections workbook as one set: all are made in
    a staging folder first and replace the previous set only when every one of them was made
    (files.publish). Returns the final paths."""
    out_dir = Path(out_dir)
    with staging(out_dir, "ingest") as work:
        made = []
        for name, table in result.tables.items():
            table.to_parquet(work / f"{name}.parquet", index=False)
            made.append(work / f"{name}.parquet")
        write_rejections(result, work / REJECTIONS_FILE)
        made.append(work / REJECTIONS_FILE)
        publish([(path, out_dir / path.name) for path in made], work)
    return [out_dir / path.name for path in made]


EXCEL_MAX_ROWS = 1_048_576          # rows of an Excel sheet, header included
TEXT_ONLY = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def write_table(book, name: str, table: pd.DataFrame, limit: int = EXCEL_MAX_ROWS - 1) -> None:
    """A table into one or more sheets of an XlsxWriter workbook: cell text is stored as text
    (a ledger cell starting with = is never a formula, a URL never a link); past Excel's row
    limit the table continues on a second sheet (被拒绝行（2）…), so that nothing is lost."""
    header = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True})
    chunks = [table.iloc[i:i + limit] for i in range(0, len(table), limit)] or [table]
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


def write_rejections(result: IngestResult, path: Path) -> None:
    import xlsxwriter

    notices = pd.DataFrame(
        [{"类型": n.kind, "文件": n.file, "工作表": n.sheet or "", "行号": n.row or "", "说明": n.message}
         for n in result.notices],
        columns=["类型", "文件", "工作表", "行号", "说明"],
    )
    book = xlsxwriter.Workbook(str(path), {**TEXT_ONLY, "constant_memory": True})
    try:
        write_table(book, "汇总", result.summary().drop(columns="表"))
        write_table(book, "按工作表", result.sheet_table())
        write_table(book, "被拒绝行", result.rejections)
        write_table(book, "提示与跳过", notices)
    finally:
        book.close()
