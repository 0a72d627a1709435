"""The ledger definitions (reference/ledgers.yml) and one pandera schema per ledger.

Parsing (cleaning.py) turns raw cells into typed values; the schema then checks what a typed
value must satisfy (required, allowed values, ranges, relations between columns), lazily, so
that every failure becomes one row of the rejections table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandera.pandas as pa
import yaml

from ..config import REFERENCE_DIR

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
    row_checks: tuple[tuple[str, str, object], ...] = field(default=())

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


def _not_before(later: str, earlier: str):
    return lambda d: d[later].isna() | d[earlier].isna() | (d[later] >= d[earlier])


def _not_more(part: str, whole: str):
    return lambda d: d[part].isna() | d[whole].isna() | (d[part] <= d[whole] + 1e-9)


# Relations between columns, checked on the typed frame:
# ledger key -> [(column reported, message, check returning True for good rows)].
_ROW_CHECKS = {
    "cadres": [("end_date", "结束日期早于开始日期", _not_before("end_date", "start_date"))],
    "beneficiaries": [
        ("exit_date", "脱贫日期早于受益日期", _not_before("exit_date", "benefit_date")),
        ("exited", "已脱贫（是否脱贫=是）但未填脱贫日期", lambda d: ~(d["exited"].eq(True) & d["exit_date"].isna())),
    ],
    "canteen": [("poverty_products_wan", "其中扶贫产品采购额大于食材采购总额",
                 _not_more("poverty_products_wan", "food_total_wan"))],
    "meetings": [("area", "高层联席会和部门对接必须填写结对地区",
                  lambda d: ~(d["kind"].isin(["高层联席会", "部门对接"]) & d["area"].isna()))],
    "trainings": [
        ("end_date", "结束日期早于开始日期", _not_before("end_date", "start_date")),
        ("poor_trainees", "其中建档立卡贫困人口数大于培训人数", _not_more("poor_trainees", "trainees")),
    ],
    "visits": [("delegation_bureau", "其中局级人次大于代表团人次", _not_more("delegation_bureau", "delegation"))],
    "job_fairs": [("jobs_for_poor", "面向贫困户岗位数大于提供岗位数", _not_more("jobs_for_poor", "jobs"))],
    "enterprises": [("invested_wan", "实际到位投资额大于约定投资额", _not_more("invested_wan", "agreed_wan"))],
}


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
        checks = tuple(_ROW_CHECKS.get(entry["key"], []))
        specs[entry["key"]] = LedgerSpec(entry["id"], entry["key"], entry["sheet"], cols, checks)
    return specs


def row_check_columns(spec: LedgerSpec) -> dict[str, str]:
    """Message of a dataframe-wide check -> the column it is reported against."""
    return {msg: col for col, msg, _fn in spec.row_checks}


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
        columns, checks=[pa.Check(fn, error=msg, name=f"{key}.{col}") for col, msg, fn in spec.row_checks],
        strict=False, name=spec.sheet,
    )
