"""Figures a reader should doubt before they are printed: ledger rows beyond the plausible
bounds of reference/bounds.yml (one funds row above the year's whole funds target, a year's
funds above twice it), not yet confirmed by the office in data/confirmations.csv.

Such a row is read and counted; every figure it feeds reads 待核 (figures/coverage.py) until the
office confirms it, by a row of the confirmations file naming the file, sheet, row, column and
value (万元) it checked. A changed value needs a new confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import config, refdata
from ..periods import Period, parse_period
from ..tabular import read_yaml

PENDING = "待核"
CONFIRMATION_COLUMNS = ["台账", "文件", "工作表", "行号", "列", "数值（万元）", "确认人", "确认日期", "说明"]
TOTAL_ROW = "合计"  # 行号 of a confirmed year-to-date total


@dataclass(frozen=True)
class Suspect:
    """A row (or a year-to-date total, row None) beyond its bound."""

    ledger: str
    column: str
    file: str | None
    sheet: str | None
    row: int | None
    value: float
    bound: float
    why: str

    def __str__(self) -> str:
        from ..ledgers import ledger_specs

        spec = ledger_specs()[self.ledger]
        where = f"{self.file} / {self.sheet} / 第{self.row}行" if self.row is not None else f"{spec.sheet}合计"
        return f"[待核] {where}：“{spec.column(self.column).header}”{self.value:,.2f} 万元，{self.why}"


@lru_cache(maxsize=None)
def _bounds() -> dict:
    return read_yaml((config.REFERENCE_DIR / "bounds.yml").read_text(encoding="utf-8"))


def _bound(text: object, year: int) -> tuple[float | None, str]:
    """A bound of bounds.yml for a year: (万元 or None, how a reader names it)."""
    if text is None:
        return None, ""
    if isinstance(text, (int, float)):
        return float(text), f"{float(text):,.0f} 万元"
    m = re.fullmatch(r"target:(\w+)(?:\s*x\s*([\d.]+))?", str(text).strip())
    if not m:
        raise ValueError(f"bounds.yml: 无法识别的上限“{text}”")
    plan = refdata.plan(year)
    if plan is None:
        return None, ""
    t = plan.targets()
    rows = t[(t["target"] == m.group(1)) & (t["scope"] == "全区")]
    if not len(rows):
        return None, ""
    times = float(m.group(2) or 1)
    label = f"{year}年全年目标 {float(rows['minimum'].iloc[0]):,.0f} 万元" + (f"的 {times:g} 倍" if times != 1 else "")
    return float(rows["minimum"].iloc[0]) * times, label


def row_dates(table: pd.DataFrame, ledger: str) -> pd.Series:
    """The date that puts each row of a clean table in a period (ledgers.yml `dated_by`; the
    canteen's quarter as the quarter's last day); NaT where a ledger has none."""
    from ..ledgers import ledger_specs

    spec = ledger_specs()[ledger]
    if ledger == "canteen" and "quarter" in table:
        return table["quarter"].map(lambda q: parse_period(q).end if isinstance(q, str) else pd.NaT)
    if spec.dated_by and spec.dated_by in table:
        return pd.to_datetime(table[spec.dated_by])
    return pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")


def in_year_to_date(table: pd.DataFrame, ledger: str, period: Period) -> pd.DataFrame:
    """The rows of a clean table dated from the period's year start to its end."""
    dates = row_dates(table, ledger)
    return table[dates.between(period.ytd_start, period.end)]


def suspects(tables: dict[str, pd.DataFrame], period: Period) -> list[Suspect]:
    """Every row of the year to date beyond its row bound, and every year-to-date total beyond
    its total bound (confirmed ones included; see unconfirmed)."""
    doc = _bounds()
    out: list[Suspect] = []
    for entry in doc["bounds"]:
        ledger, column = entry["ledger"], entry["column"]
        table = tables.get(ledger)
        if table is None or table.empty or column not in table:
            continue
        rows = in_year_to_date(table, ledger, period)
        values = pd.to_numeric(rows[column], errors="coerce")
        row_max, row_label = _bound(entry.get("row"), period.year)
        if row_max is None:
            row_max, row_label = float(doc["default_row"]), f"{float(doc['default_row']):,.0f} 万元"
        for i in values.index[values > row_max]:
            out.append(
                Suspect(
                    ledger,
                    column,
                    str(rows.at[i, "_file"]),
                    str(rows.at[i, "_sheet"]),
                    int(rows.at[i, "_row"]),
                    float(values[i]),
                    row_max,
                    f"单行超过{row_label}，疑似单位有误（如元填成万元），请核对",
                )
            )
        total_max, total_label = _bound(entry.get("total"), period.year)
        total = float(values.sum())
        if total_max is not None and total > total_max:
            out.append(
                Suspect(
                    ledger,
                    column,
                    None,
                    None,
                    None,
                    total,
                    total_max,
                    f"年初至{period.end.month}月底合计超过{total_label}，请核对",
                )
            )
    return out


def read_confirmations(path: Path | None = None) -> pd.DataFrame:
    """The office's confirmations (data/confirmations.csv, UTF-8 or GBK as Excel saves it); an
    empty table when there is none."""
    path = Path(path or config.CONFIRMATIONS_FILE)
    if not path.is_file():
        return pd.DataFrame(columns=CONFIRMATION_COLUMNS)
    from ..tabular import read_csv_any

    df = read_csv_any(path)
    missing = [c for c in ("文件", "工作表", "行号", "列", "数值（万元）") if c not in df]
    if missing:
        raise ValueError(f"{path.name}：缺少列 {'、'.join(missing)}（应有 {'、'.join(CONFIRMATION_COLUMNS)}）")
    return df


def _confirmed(s: Suspect, confirmations: pd.DataFrame) -> bool:
    from ..ledgers import ledger_specs

    header = ledger_specs()[s.ledger].column(s.column).header
    for c in confirmations.to_dict("records"):
        value = pd.to_numeric(str(c.get("数值（万元）", "")).replace(",", ""), errors="coerce")
        if pd.isna(value) or abs(float(value) - s.value) > 0.005:
            continue
        named = str(c.get("列", "")).strip()
        if named not in (header, s.column, header.split("（")[0]):
            continue
        row = str(c.get("行号", "")).strip()
        if s.row is None:
            if row == TOTAL_ROW and str(c.get("台账", "")).strip() in ("", ledger_specs()[s.ledger].sheet):
                return True
        elif (
            row.isdigit()
            and int(row) == s.row
            and str(c.get("文件", "")).strip() == s.file
            and str(c.get("工作表", "")).strip() == s.sheet
        ):
            return True
    return False


def unconfirmed(
    tables: dict[str, pd.DataFrame], period: Period, confirmations: pd.DataFrame | None = None
) -> list[Suspect]:
    """The suspects the office has not confirmed: the figures they feed read 待核."""
    found = suspects(tables, period)
    if not found:
        return []
    confirmations = read_confirmations() if confirmations is None else confirmations
    return [s for s in found if not _confirmed(s, confirmations)]
