"""Ledger 17 (自评事项): what no ledger can show, stated by the office itself.

Each row names a metrics.csv key (or its Chinese label) and a value read by the key's unit:
flag -> 1/0 (是/否), grade -> one of the unit's grade words, count/persons -> a whole number
(within the unit's range, e.g. "count 0-4"), 10k CNY -> an amount in 万元.
"""

from __future__ import annotations

import re

import pandas as pd

from .ingest import parsers as cleaning
from . import refdata
from .ingest.parsers import Parsed


def unit_of(key: str) -> str:
    return refdata.metrics().set_index("key").loc[key, "unit"]


def parse_value(key: str, raw: object) -> Parsed:
    unit = unit_of(key)
    if unit == "flag":
        parsed = cleaning.parse_yesno(raw)
        return parsed if parsed.problem or parsed.value is None else Parsed(int(parsed.value))
    if unit.startswith("grade"):
        grades = unit.split(" ", 1)[1].split("/")
        text = re.sub(r"\s+", "", cleaning.to_text(raw))
        if text in grades:
            return Parsed(text)
        return Parsed(problem=f"“{raw}”不是“{refdata.metric_label(key)}”的可选等级（{'/'.join(grades)}）")
    if unit == "10k CNY":
        return cleaning.parse_amount(raw)
    if unit.startswith("count") or unit == "persons":
        parsed = cleaning.parse_count(raw)
        m = re.fullmatch(r"count (\d+)-(\d+)", unit)
        if parsed.value is not None and m and not int(m.group(1)) <= parsed.value <= int(m.group(2)):
            return Parsed(problem=f"“{refdata.metric_label(key)}”应在 {m.group(1)} 到 {m.group(2)} 之间（填写：{raw}）")
        return parsed
    return Parsed(problem=f"“{refdata.metric_label(key)}”不能自评填写")


def self_assessed(table: pd.DataFrame) -> dict[str, object]:
    """key -> value; a key stated twice keeps the last row read."""
    out: dict[str, object] = {}
    for key, raw in zip(table["item"], table["value"]):
        parsed = parse_value(key, raw)
        if parsed.problem is None and parsed.value is not None:
            out[key] = parsed.value
    return out
