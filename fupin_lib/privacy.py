"""The privacy check run on every produced file before it is moved into place.

A report must not contain an unmasked ID number, a mobile phone number, or the full name of a
person from the ledgers. Masked forms (110101********1234, 138****5678, 张*) pass.

ID numbers are looked for by their shape (18 characters with a real birth date, or the old
15-digit form), whether or not the check digit is right: a mistyped ID is still someone's.
Digits split by spaces or hyphens (138 1234 5678, 110101 19900307 1234) are joined first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import idcard
from .config import NOTEBOOKS_DIR, PACKAGE_DIR

_DATE = r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID_RE = re.compile(rf"(?<![0-9A-Za-z])([1-9][0-9]{{5}}{_DATE}[0-9]{{3}}[0-9Xx])(?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])([1-9][0-9]{5}[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3})(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(1[3-9][0-9]{9})(?![0-9A-Za-z])")
_SEPARATED = re.compile(r"(?<=[0-9])[ \-\u00a0](?=[0-9Xx])")
# Sources of the product's own wording; the sample-data generator is left out (its lists of
# surnames and given names would otherwise exempt those names from the check).
_NOT_WORDING = {"sample_data.py", "bench.py"}


@dataclass(frozen=True)
class Finding:
    file: str
    kind: str
    shown: str  # masked: a finding never repeats what it found

    def __str__(self) -> str:
        return f"{self.file}：发现未脱敏的{self.kind}（{self.shown}）"


def _grams(texts) -> set[str]:
    """Every run of 2 to 4 Han characters at every position of the texts."""
    return {run[i:i + n] for text in texts for run in re.findall(r"[\u4e00-\u9fff]{2,}", str(text))
            for n in (2, 3, 4) for i in range(len(run) - n + 1)}


@lru_cache(maxsize=1)
def _own_wording() -> frozenset[str]:
    """The product's own words (library, templates, reference data, notebooks)."""
    files = [p for p in PACKAGE_DIR.rglob("*")
             if p.suffix in (".py", ".yml", ".csv", ".j2") and p.name not in _NOT_WORDING]
    files += list(NOTEBOOKS_DIR.glob("*.ipynb"))
    return frozenset(_grams(p.read_text(encoding="utf-8", errors="ignore") for p in files))


def personal_names(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Full names found in the clean tables (two characters or more) that a report could leak.

    A name that is also part of the product's own wording (于平 in 低于平均值) cannot be told
    from that text, so it is not searched for: the check would fail every report on an
    ordinary word. Nothing else is exempt.
    """
    from .ledgers import ledger_specs

    names: set[str] = set()
    for key, table in tables.items():
        spec = ledger_specs().get(key)
        for col in spec.columns if spec else []:
            if col.type == "name" and col.name in table.columns:
                names.update(n for n in table[col.name].dropna().astype(str).unique() if len(n) >= 2)
    return names - _own_wording()


def scan_text(text: str, names: set[str] = frozenset(), source: str = "") -> list[Finding]:
    findings = []
    joined = _SEPARATED.sub("", text)
    for m in _ID_RE.finditer(joined):
        findings.append(Finding(source, "身份证号", idcard.mask(m.group(1))))
    for m in _ID15_RE.finditer(joined):
        findings.append(Finding(source, "身份证号（15位）", m.group(1)[:6] + "*" * 6 + m.group(1)[12:]))
    for m in _PHONE_RE.finditer(joined):
        findings.append(Finding(source, "手机号", m.group(1)[:3] + "****" + m.group(1)[-4:]))
    if names:
        found = _grams([text]) & names
        # Names that are not a plain run of Han characters (布沙热木·依明) are searched as they are.
        found |= {n for n in names if not re.fullmatch(r"[\u4e00-\u9fff]+", n) and n in text}
        for name in sorted(found):
            findings.append(Finding(source, "姓名", name[0] + "*" * (len(name) - 1)))
    return findings


def file_text(path: Path) -> str:
    """The text a reader of the file can see (ipynb and HTML as text, xlsx cell values)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        return "\n".join(" ".join("" if v is None else str(v) for v in row)
                         for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
    if suffix == ".pdf":
        from .pdf import pdf_text

        return pdf_text(path)
    return path.read_text(encoding="utf-8", errors="replace")


def scan_file(path: Path, names: set[str] = frozenset()) -> list[Finding]:
    return scan_text(file_text(path), names, source=path.name)
