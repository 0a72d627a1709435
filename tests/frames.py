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


def behind_at_mid_year() -> dict:
    """The sample's 2020Q2 shortfalls, for progress_at_mid_year: 推送就业岗位信息 落后 in three
    areas (652, 642 and 412 of 1500, 1500 and 1000, half due), the canteen target 落后 (72 of 80
    units, all due: canteen_units=80) and 促进残疾人就业 (全区) 待核."""
    from fupin_lib.figures import targets

    return {
        ("job_postings", "察右前旗"): (652.0, targets.BEHIND, 0.5),
        ("job_postings", "正镶白旗"): (642.0, targets.BEHIND, 0.5),
        ("job_postings", "苏尼特右旗"): (412.0, targets.BEHIND, 0.5),
        ("canteen_purchase_ratio", "每个预算单位"): (72.0, targets.BEHIND, 1.0),
        ("disabled_employed", "全区"): (1.0, targets.PENDING, 0.5),
    }


def progress_at_mid_year(changes: dict, canteen_units: float | None = None) -> pd.DataFrame:
    """The 2020 plan's 43 targets at 2020Q2 as figures.targets.progress gives them (its columns),
    every one exactly on pace (half done), except the rows given: {(target, scope): (done, status,
    share due)}; a target not yet due is judged by its deadline. `canteen_units`: the canteen
    target's 目标值 as a number of units (the plan has it as a ratio, 0.30)."""
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
    table = pd.DataFrame(rows, columns=targets.COLUMNS)
    if canteen_units is not None:
        table.loc[table["目标"] == "预算单位食堂和工会采购扶贫产品比例", "目标值"] = canteen_units
    return table
