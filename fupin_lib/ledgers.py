"""The ledgers as data (reference/ledgers.yml): sheets, columns, types, allowed values,
relations between columns, how a department resends them.

Every layer reads these specs (the readers, the figures, the privacy check, the catalog); the
pandera schemas built from them are the readers' (ingest/schemas.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import pandas as pd

from .config import REFERENCE_DIR
from .tabular import read_yaml

_HEADER_TRANS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "［": "(", "］": ")"})


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    header: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    personal: bool = False
    aliases: tuple[str, ...] = ()
    from_file_year: bool = False  # an empty cell takes the year the file's name carries (自评事项_2020.xlsx)
    unit: str = ""


@dataclass(frozen=True)
class LedgerSpec:
    id: int
    key: str
    sheet: str
    columns: tuple[ColumnSpec, ...]
    row_checks: tuple[tuple[str, str, object], ...] = field(default=())
    identity: tuple[str, ...] = ()  # the natural key of a row
    dated_by: str | None = None  # the date that puts a row in a period
    restate: str | None = None  # "last": one row per identity, the last statement counts
    resend: str = "cumulative"  # or "incremental"
    description: str = ""
    person_fallback: tuple[str, ...] = ()  # columns that key a person without an ID number
    category_column: str | None = None  # the column "ledger:category" names (figures.yml)

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)

    @cached_property
    def headers(self) -> dict[str, ColumnSpec]:
        """Normalised header (and alias) -> column (worked out once per ledger)."""
        out: dict[str, ColumnSpec] = {}
        for col in self.columns:
            for text in (col.header, *col.aliases):
                out.setdefault(header_key(text), col)
        return out


def header_key(text: object) -> str:
    """A header as matched: no spaces, line breaks or bracketed words (units, remarks).

    "金额（元）" -> "金额"; "金额 (万元)" -> "金额"; "产地（结对地区）" -> "产地". The unit an amount
    header names is read by parsers.header_unit.
    """
    return _header_key(str(text))


@lru_cache(maxsize=1 << 16)
def _header_key(text: str) -> str:
    """header_key of a string (the header rows of every sheet are scanned against every ledger:
    the same few hundred cells many times)."""
    text = re.sub(r"\s+", "", text).translate(_HEADER_TRANS)
    return re.sub(r"\([^)]*\)", "", text).strip("*:：")


def _not_before(later: str, earlier: str):
    return lambda d: d[later].isna() | d[earlier].isna() | (d[later] >= d[earlier])


def _not_more(part: str, whole: str):
    return lambda d: d[part].isna() | d[whole].isna() | (d[part] <= d[whole] + 1e-9)


def _required_when(required: str, when: dict[str, list]):
    def check(d):
        applies = pd.Series(True, index=d.index)
        for col, values in when.items():
            applies &= d[col].isin(values).fillna(False).astype(bool)
        return ~(applies & d[required].isna())

    return check


# The rules a ledger's `checks` (ledgers.yml) can name: relations between columns, checked on
# the typed frame. Each builds a function returning True for the good rows.
RULES = {
    "not_before": lambda c: _not_before(c["column"], c["other"]),
    "not_more": lambda c: _not_more(c["column"], c["other"]),
    "required_when": lambda c: _required_when(c.get("required", c["column"]), c["when"]),
}


@lru_cache(maxsize=None)
def ledger_specs() -> dict[str, LedgerSpec]:
    raw = read_yaml((REFERENCE_DIR / "ledgers.yml").read_text(encoding="utf-8"))
    specs = {}
    for entry in raw["ledgers"]:
        cols = tuple(
            ColumnSpec(
                name=c["name"],
                header=c["header"],
                type=c["type"],
                required=bool(c.get("required", False)),
                choices=tuple(c.get("choices", ())),
                personal=bool(c.get("personal", False)),
                aliases=tuple(c.get("aliases", ())),
                from_file_year=c.get("default") == "file_year",
                unit=str(c.get("unit", "万元" if c["type"] == "amount" else "")),
            )
            for c in entry["columns"]
        )
        checks = tuple((c["column"], c["message"], RULES[c["rule"]](c)) for c in entry.get("checks", []))
        specs[entry["key"]] = LedgerSpec(
            entry["id"],
            entry["key"],
            entry["sheet"],
            cols,
            checks,
            identity=tuple(entry.get("identity", ())),
            dated_by=entry.get("dated_by"),
            restate=entry.get("restate"),
            resend=entry.get("resend", "cumulative"),
            description=str(entry.get("description", "")),
            person_fallback=tuple(entry.get("person_fallback", ())),
            category_column=entry.get("category_column"),
        )
    return specs


def row_check_columns(spec: LedgerSpec) -> dict[str, str]:
    """Message of a dataframe-wide check -> the column it is reported against."""
    return {msg: col for col, msg, _fn in spec.row_checks}
