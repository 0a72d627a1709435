"""The analysts' entry to the clean tables: one call per table, over the same store the reports
read (store.py). The tables are the ledgers of reference/ledgers.yml, one per sheet kind."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import config
from .ingest.schemas import ledger_specs
from .store import load_result


def _check(name: str) -> None:
    if name not in ledger_specs():
        raise KeyError(f"没有名为“{name}”的数据表；可选：{'、'.join(ledger_specs())}")


def tables() -> pd.DataFrame:
    """The clean tables: name, the ledger (sheet) each comes from, and its columns."""
    return pd.DataFrame([{"name": key, "台账": spec.sheet, "列数": len(spec.columns),
                          "列": "、".join(c.header for c in spec.columns)} for key, spec in ledger_specs().items()])


def load(name: str, raw_dir: Path | str = config.RAW_DIR) -> pd.DataFrame:
    """A clean table, e.g. load("cadres"): read from the store, which is made again first when
    the ledgers in raw_dir changed since it was made."""
    _check(name)
    return load_result(raw_dir).tables[name]


def load_all(raw_dir: Path | str = config.RAW_DIR) -> dict[str, pd.DataFrame]:
    """Every clean table: {name: DataFrame}."""
    return dict(load_result(raw_dir).tables)
