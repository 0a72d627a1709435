"""Small tables the office types itself (plans, confirmations, previous-year figures): read as
text whatever Excel saved them as (UTF-8 with or without BOM, GBK/GB18030 on Chinese Windows,
or .xlsx), with errors that name the file."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import yaml


class TableFileError(ValueError):
    """A table file that cannot be read; the message is Chinese and names the file."""


ENCODINGS = ("utf-8-sig", "gb18030")


def read_csv_any(path: Path | str) -> pd.DataFrame:
    """A CSV file as text columns (no NaN: empty cells are ""), in UTF-8 or GBK."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TableFileError(f"无法读取 {path}：{exc.strerror or exc}") from exc
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise TableFileError(f"{path}：不是有效的 CSV 表格（{exc}）") from exc
        df.columns = [str(c).strip() for c in df.columns]
        return df.apply(lambda s: s.str.strip())
    raise TableFileError(f"{path}：文字编码无法识别（应为 UTF-8 或 GBK），请用 Excel“另存为 CSV UTF-8”后重试")


def read_table_any(path: Path | str) -> pd.DataFrame:
    """A .csv (UTF-8 or GBK) or the first sheet of an .xlsx, as text columns."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        try:
            df = pd.read_excel(path, dtype=str, engine="calamine").fillna("")
        except Exception as exc:  # noqa: BLE001 - any reader failure is the file's
            raise TableFileError(f"无法读取 {path}：{exc}") from exc
        df.columns = [str(c).strip() for c in df.columns]
        return df.apply(lambda s: s.str.strip())
    return read_csv_any(path)


def read_yaml(source):
    """YAML (text, bytes or an open file) as safe_load reads it, by libyaml's C parser when
    PyYAML was built with it (ten times faster: every process reads ledgers.yml and the plan)."""
    return yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
