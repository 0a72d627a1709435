"""The ledger definitions (reference/ledgers.yml) and one pandera schema per ledger.

Parsing (cleaning.py) turns raw cells into typed values; the schema then checks what a typed
value must satisfy (required, allowed values, ranges, relations between columns), lazily, so
that every failure becomes one row of the rejections table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import pandera.pandas as pa
import yaml

from .config import REFERENCE_DIR

_HEADER_TRANS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")"})
_UNIT_RE = re.compile(r"\((万元|元)\)")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    header: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    personal: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class LedgerSpec:
    id: int
    key: str
    sheet: str
    columns: tuple[ColumnSpec, ...]
    row_checks: tuple[tuple[str, str, str], ...] = field(default=())

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @property
    def headers(self) -> dict[str, ColumnSpec]:
        """Normalised header (and alias) -> column."""
        out: dict[str, ColumnSpec] = {}
        for col in self.columns:
            for text in (col.header, *col.aliases):
                out.setdefault(header_key(text)[0], col)
        return out


def header_key(text: object) -> tuple[str, float]:
    """A header as matched (no spaces, line breaks, brackets or unit) and its unit factor.

    "金额（元）" -> ("金额", 0.0001); "金额 (万元)" -> ("金额", 1.0); "产地（结对地区）" -> ("产地", 1.0).
    """
    text = re.sub(r"\s+", "", str(text)).translate(_HEADER_TRANS)
    unit = _UNIT_RE.search(text)
    factor = 0.0001 if unit and unit.group(1) == "元" else 1.0
    base = re.sub(r"\([^)]*\)", "", text).strip("*:：")
    return base, factor


# Relations between columns, checked on the typed frame: (ledger key, column, message).
_ROW_CHECKS = {
    "cadres": [("end_date", "结束日期早于开始日期")],
    "beneficiaries": [("exit_date", "脱贫日期早于受益日期"), ("exited", "已脱贫（是否脱贫=是）但未填脱贫日期")],
    "canteen": [("poverty_products_wan", "其中扶贫产品采购额大于食材采购总额")],
}


def _row_check(key: str, column: str, message: str) -> pa.Check:
    """A dataframe-wide check whose failure names one column."""
    if (key, column) == ("cadres", "end_date"):
        fn = lambda d: d["end_date"].isna() | d["start_date"].isna() | (d["end_date"] >= d["start_date"])  # noqa: E731
    elif (key, column) == ("beneficiaries", "exit_date"):
        fn = lambda d: d["exit_date"].isna() | d["benefit_date"].isna() | (d["exit_date"] >= d["benefit_date"])  # noqa: E731
    elif (key, column) == ("beneficiaries", "exited"):
        fn = lambda d: ~(d["exited"].eq(True) & d["exit_date"].isna())  # noqa: E731
    elif (key, column) == ("canteen", "poverty_products_wan"):
        fn = lambda d: (d["poverty_products_wan"].isna() | d["food_total_wan"].isna()  # noqa: E731
                        | (d["poverty_products_wan"] <= d["food_total_wan"] + 1e-9))
    else:  # pragma: no cover - guarded by the table above
        raise KeyError((key, column))
    return pa.Check(fn, error=message, name=f"{key}.{column}")


@lru_cache(maxsize=None)
def ledger_specs() -> dict[str, LedgerSpec]:
    raw = yaml.safe_load((REFERENCE_DIR / "ledgers.yml").read_text(encoding="utf-8"))
    specs = {}
    for entry in raw["ledgers"]:
        cols = tuple(
            ColumnSpec(
                name=c["name"], header=c["header"], type=c["type"],
                required=bool(c.get("required", False)), choices=tuple(c.get("choices", ())),
                personal=bool(c.get("personal", False)), aliases=tuple(c.get("aliases", ())),
            )
            for c in entry["columns"]
        )
        checks = tuple((entry["key"], col, msg) for col, msg in _ROW_CHECKS.get(entry["key"], []))
        specs[entry["key"]] = LedgerSpec(entry["id"], entry["key"], entry["sheet"], cols, checks)
    return specs


def row_check_columns(spec: LedgerSpec) -> dict[str, str]:
    """Message of a dataframe-wide check -> the column it is reported against."""
    return {msg: col for _key, col, msg in spec.row_checks}


@lru_cache(maxsize=None)
def schema(key: str) -> pa.DataFrameSchema:
    """The pandera schema of a ledger's typed frame (after parsing)."""
    spec = ledger_specs()[key]
    columns = {}
    for col in spec.columns:
        checks = []
        if col.choices:
            checks.append(pa.Check.isin(list(col.choices), error=f"不是可选值（可选：{'/'.join(col.choices)}）"))
        if col.type in ("amount", "count"):
            checks.append(pa.Check.ge(0, error="不能为负数"))
        columns[col.name] = pa.Column(
            nullable=not col.required, checks=checks, required=True, coerce=False,
        )
    return pa.DataFrameSchema(
        columns, checks=[_row_check(*c) for c in spec.row_checks], strict=False, name=spec.sheet,
    )
