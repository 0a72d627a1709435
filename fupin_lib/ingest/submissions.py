"""What was sent: the ledgers of which at least one sheet counts, which departments sent each,
the categories of rows each department sent, and the years the files are for. What a figure can
say from it is figures/coverage.py's."""

from __future__ import annotations

import re
from typing import Iterable

import pandas as pd

from .. import refdata


class Submissions(frozenset):
    """The ledgers of which at least one sheet counts (a frozenset of ledger keys, as
    IngestResult.supplied), with which departments sent each one, the categories of rows each
    department sent, and the clean tables (for the plausibility bounds)."""

    senders: dict[str, frozenset[str]]
    categories: dict[tuple[str, str], frozenset[str]]
    tables: dict[str, pd.DataFrame] | None
    years: frozenset[int] | None  # the years the counted files are for; None if some file names none

    def __new__(
        cls,
        ledgers: Iterable[str] = (),
        senders: dict | None = None,
        categories: dict | None = None,
        tables: dict[str, pd.DataFrame] | None = None,
        years: Iterable[int] | None = None,
    ):
        self = super().__new__(cls, ledgers)
        self.senders = dict(senders or {})
        self.categories = dict(categories or {})
        self.tables = tables
        self.years = frozenset(years) if years is not None else None
        return self

    def __reduce__(self):
        return (Submissions, (frozenset(self), self.senders, self.categories, None, self.years))

    @classmethod
    def of(cls, sheets: Iterable, tables: dict[str, pd.DataFrame]) -> "Submissions":
        """From an ingest's sheet reports (those that count) and its clean tables."""
        from .file_names import department_of
        from ..ledgers import ledger_specs

        senders: dict[str, set[str]] = {}
        years: set[int] | None = set()
        for s in sheets:
            if s.used:
                senders.setdefault(s.ledger, set()).add(refdata.same_department(s.department))
                year = file_year(s.file, s.round)
                years = None if years is None or year is None else years | {year}
        categories: dict[tuple[str, str], frozenset[str]] = {}
        for key, spec in ledger_specs().items():
            table = tables.get(key)
            if spec.category_column and table is not None and len(table) and spec.category_column in table:
                files = table["_file"]
                depts = files.map({f: refdata.same_department(department_of(f)) for f in files.unique()})
                for category, group in depts.groupby(table[spec.category_column].astype(str)):
                    categories[(key, category)] = frozenset(group)
        return cls(senders, {k: frozenset(v) for k, v in senders.items()}, categories, tables, years)


def file_year(file: str, round_code: str = "") -> int | None:
    """The year a ledger file is for: its round's (2020Q2/), else a year in its name or folders
    (区财政局_资金台账_2020.xlsx, 2020年/), else None."""
    if round_code:
        return int(round_code[:4])
    found = re.findall(r"(?<!\d)(20\d{2})(?!\d)", str(file))
    return int(found[-1]) if found else None
