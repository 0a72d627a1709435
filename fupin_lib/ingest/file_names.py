"""What a ledger file's path says: the department that sent it and the round it belongs to.

>>> department_of("2020Q2/区财政局_资金台账_2020.xlsx"), round_of("2020年第二季度/区财政局_资金台账.xlsx").code
('区财政局', '2020Q2')
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..periods import Period, period_in_name


@lru_cache(maxsize=4096)  # called for every row of a table: a few files, many rows
def department_of(file: str) -> str:
    """The sending department, by the naming convention 部门_台账_年份.xlsx; for a file named
    otherwise, the folder it sits in (a department's own folder), unless that folder is a
    submission round (2020Q2/)."""
    path = Path(file)
    if "_" in path.name:
        return path.name.split("_", 1)[0]
    folders = [p for p in path.parent.parts if p not in ("", ".") and period_in_name(p) is None]
    return folders[-1] if folders else "未注明部门"


def round_of(rel: str) -> Period | None:
    """The submission round a file belongs to: the period its folder, or failing that its file
    name, marks (2020Q2, 2020年第二季度 …); None for files not marked (one round, the earliest)."""
    parts = Path(rel).parts
    for part in parts[:-1]:
        found = period_in_name(part)
        if found:
            return found
    return period_in_name(Path(parts[-1]).stem)
