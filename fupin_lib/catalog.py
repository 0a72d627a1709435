"""Load and save the datasets of catalog.yml: one call per clean table for analysts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from .config import CATALOG_FILE, PROCESSED_DIR, PROJECT_ROOT, REJECTIONS_FILE
from .files import atomic_write
from .ingest import IngestResult
from .ledgers import ledger_specs


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
    """Write the clean tables (Parquet) and the rejections workbook; return the paths."""
    out_dir = Path(out_dir)
    written = []
    for name, table in result.tables.items():
        path = out_dir / f"{name}.parquet"
        atomic_write(path, lambda p, t=table: t.to_parquet(p, index=False))
        written.append(path)
    path = out_dir / REJECTIONS_FILE
    atomic_write(path, lambda p: write_rejections(result, p))
    written.append(path)
    return written


def write_rejections(result: IngestResult, path: Path) -> None:
    notices = pd.DataFrame(
        [{"类型": n.kind, "文件": n.file, "工作表": n.sheet or "", "行号": n.row or "", "说明": n.message}
         for n in result.notices],
        columns=["类型", "文件", "工作表", "行号", "说明"],
    )
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        result.summary().drop(columns="表").to_excel(xw, sheet_name="汇总", index=False)
        result.sheet_table().to_excel(xw, sheet_name="按工作表", index=False)
        result.rejections.to_excel(xw, sheet_name="被拒绝行", index=False)
        notices.to_excel(xw, sheet_name="提示与跳过", index=False)
        for ws in xw.book.worksheets:
            ws.freeze_panes = "A2"
            for col in ws.columns:
                width = max(len(str(c.value or "")) for c in col[:200])
                ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width * 1.6))
