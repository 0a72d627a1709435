"""Personal data out of the clean tables: the last step of ingestion.

Every personal column of ledgers.yml (`personal: true`: names, ID numbers, phones) is replaced,
where it stands, by two columns:

- a keyed hash (secret.keyed_hash): `person_key` for an ID number, `<column>_key` for a name or
  a phone. Equal values give equal keys in every ledger, so persons are still counted,
  de-duplicated and matched across ledgers; without the project's key nobody can tell whose
  key it is. A ledger with `person_fallback` (cadres: name and sending unit) keys a person
  without an ID number by those columns instead.
- a masked copy for display: `<column>_masked` (110101********1234, 138****5678, 张*). A
  masked name keeps the name's first character and its length: the privacy check
  (privacy.NameIndex) finds names in text by hashing the candidates of those lengths.
  Placeholders written in a name column ("--", "无") are not names: kept as written, no key.

The raw workbooks stay the only place with clear values. Everything that needs them (the same
person in two departments, masking names in free text) runs before this step.

    >>> from fupin_lib.ledgers import ledger_specs
    >>> clean_columns(ledger_specs()["employed"])[3:6]
    ['name_key', 'name_masked', 'person_key']
"""

from __future__ import annotations

import re

import pandas as pd

from ..privacy import PLACEHOLDERS, is_name, mask_name
from ..secret import keyed_hash
from . import idcard, parsers
from .result import PROVENANCE, IngestResult
from ..ledgers import ColumnSpec, LedgerSpec, ledger_specs

PERSON_KEY = "person_key"
_LETTER = re.compile(r"[^\W\d_]")


def key_column(col: ColumnSpec) -> str:
    """The keyed-hash column that stands for a personal column."""
    return PERSON_KEY if col.type == "id_card" else f"{col.name}_key"


def masked_column(col: ColumnSpec) -> str:
    """The masked copy that stands for a personal column (shown, never matched)."""
    return f"{col.name}_masked"


def replaced(col: ColumnSpec) -> list[str]:
    """The clean table's columns for a ledger column: itself, or its key and masked copy."""
    return [key_column(col), masked_column(col)] if col.personal else [col.name]


def clean_columns(spec: LedgerSpec) -> list[str]:
    """The columns of a clean table, in order: provenance, then the ledger's columns with each
    personal column replaced by its key and masked copy."""
    return PROVENANCE + [name for col in spec.columns for name in replaced(col)]


def _shown_name(value: str) -> str:
    text = str(value).strip()
    if text.lower() in PLACEHOLDERS or not _LETTER.search(text):
        return text
    return mask_name(text)


def _hashed(values: pd.Series, kind: str, keep=lambda v: True, text=str) -> pd.Series:
    """Keyed hashes of a column's values (None where empty or not kept); each distinct value
    hashed once."""
    distinct = {v: keyed_hash(kind, text(v)) for v in values.dropna().unique() if keep(v)}
    return _looked_up(values, distinct)


def _masked(values: pd.Series, mask) -> pd.Series:
    """The masked form of a column's values (None where empty); each distinct value masked once."""
    return _looked_up(values, {v: mask(v) for v in values.dropna().unique()})


def _looked_up(values: pd.Series, table: dict) -> pd.Series:
    """Each value replaced by its entry in `table`, None where it is empty or has none."""
    out = values.map(table).astype(object)
    return out.where(out.notna(), None)


def _person_key(table: pd.DataFrame, col: ColumnSpec, spec: LedgerSpec) -> pd.Series:
    ids = table[col.name]
    has_id = ids.notna() & (ids.astype(str) != "")
    key = _hashed(ids.where(has_id), "person")
    if spec.person_fallback and (~has_id).any():
        # exactly the text figures/cadres keyed by before: "姓名:<name>|<sending unit>"
        parts = [table[c].astype(str) for c in spec.person_fallback]
        by_name = "姓名:" + parts[0]
        for part in parts[1:]:
            by_name = by_name + "|" + part
        key = key.where(has_id, _hashed(by_name.where(~has_id), "person"))
    return key


def pseudonymise_table(spec: LedgerSpec, table: pd.DataFrame) -> pd.DataFrame:
    """A clean table with its personal columns replaced (see the module's docstring)."""
    if not any(c.personal for c in spec.columns):
        return table
    out = {}
    for name in PROVENANCE:
        if name in table:
            out[name] = table[name]
    for col in spec.columns:
        if not col.personal:
            out[col.name] = table[col.name]
            continue
        values = table[col.name]
        if col.type == "id_card":
            out[PERSON_KEY] = _person_key(table, col, spec)
            out[masked_column(col)] = _masked(values, idcard.mask)
        elif col.type == "phone":
            out[key_column(col)] = _hashed(values, "phone")
            out[masked_column(col)] = _masked(values, parsers.mask_phone)
        else:  # a name
            out[key_column(col)] = _hashed(values, "name", keep=is_name, text=lambda v: str(v).strip())
            out[masked_column(col)] = _masked(values, _shown_name)
    return pd.DataFrame(out, index=table.index)


def pseudonymise(result: IngestResult) -> IngestResult:
    """The ingestion's clean tables with no personal data in clear (called once, at the end of
    ingest_folder)."""
    specs = ledger_specs()
    result.tables = {key: pseudonymise_table(specs[key], table) for key, table in result.tables.items()}
    return result
