"""One pandera schema per ledger, built from its definition (fupin_lib/ledgers.py).

Parsing (ingest/parsers.py) turns raw cells into typed values; the schema then checks what a
typed value must satisfy (required, allowed values, ranges, relations between columns), lazily,
so that every failure becomes one row of the rejections table.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..ledgers import ledger_specs

if TYPE_CHECKING:
    import pandera.pandas as pa


@lru_cache(maxsize=None)
def schema(key: str) -> "pa.DataFrameSchema":
    """The pandera schema of a ledger's typed frame (after parsing). pandera is imported here,
    by the readers only (ingest.folder loads it before their processes fork), not by every
    program that reads the ledgers' specs."""
    import pandera.pandas as pa

    spec = ledger_specs()[key]
    columns = {}
    for col in spec.columns:
        checks = []
        if col.choices:
            checks.append(pa.Check.isin(list(col.choices), error=f"不是可选值（可选：{'/'.join(col.choices)}）"))
        if col.type in ("amount", "count"):
            checks.append(pa.Check.ge(0, error="不能为负数"))
        columns[col.name] = pa.Column(
            nullable=not col.required,
            checks=checks,
            required=True,
            coerce=False,
        )
    return pa.DataFrameSchema(
        columns,
        checks=[pa.Check(fn, error=msg, name=f"{key}.{col}") for col, msg, fn in spec.row_checks],
        strict=False,
        name=spec.sheet,
    )
