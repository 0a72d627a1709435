"""Small clean frames for the analysis tests, built as ingestion would return them: personal
columns written in clear (as a department would) become keyed hashes and masked copies."""

from __future__ import annotations

import pandas as pd

from fupin_lib.ingest.pseudonym import pseudonymise_table
from fupin_lib.ingest.result import PROVENANCE
from fupin_lib.ledgers import ledger_specs


def frame(key: str, rows: list[dict]) -> pd.DataFrame:
    """A clean table of ledger `key` from dicts of column -> value (missing columns empty)."""
    spec = ledger_specs()[key]
    df = pd.DataFrame(rows)
    df["_file"], df["_sheet"], df["_row"] = "test.xlsx", "sheet", range(2, len(df) + 2)
    for col in spec.columns:
        if col.name not in df:
            df[col.name] = None
        if col.type == "date":
            df[col.name] = pd.to_datetime(df[col.name])
        elif col.type == "amount":
            df[col.name] = df[col.name].astype("float64")
        elif col.type in ("count", "year"):
            df[col.name] = df[col.name].astype("Int64")
        elif col.type == "yesno":
            df[col.name] = df[col.name].astype("boolean")
    return pseudonymise_table(spec, df[PROVENANCE + [c.name for c in spec.columns]])
