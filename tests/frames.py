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


def progress_at_mid_year(changes: dict) -> pd.DataFrame:
    """The 2020 plan's 43 targets at 2020Q2 as figures.targets.progress gives them (its columns),
    every one exactly on pace (half done), except the rows given: {(target, scope): (done, status,
    share due)}; a target not yet due is judged by its deadline."""
    from fupin_lib import refdata
    from fupin_lib.figures import targets

    rows = []
    for t in refdata.plan(2020).targets().itertuples():
        done, status, due = changes.get((t.target, t.scope), (t.minimum * 0.5, targets.ON_PACE, 0.5))
        rows.append(
            {
                "计划条目": t.source_section,
                "目标": t.label_zh,
                "范围": t.scope,
                "目标值": float(t.minimum),
                "单位": t.unit,
                "完成值": done,
                "完成比例": done / t.minimum,
                "应完成比例": due,
                "状态": status,
                "落后": max(0.0, t.minimum * due - done) if status in targets.BEHIND_STATUSES else 0.0,
                "责任部门": "",
                "判断方式": targets.BY_DUE if status == targets.NOT_DUE else targets.BY_PACE,
                "说明": "",
            }
        )
    return pd.DataFrame(rows, columns=targets.COLUMNS)
