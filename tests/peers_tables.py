"""Helpers for the assessment tests: small peers tables written as a district office would."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from fupin_lib import refdata

DISTRICTS = list(refdata.districts()["district"])
KEYS = [k for k in refdata.metrics()["key"] if k != "district"]


def uniform_rows(**values) -> dict[str, dict[str, object]]:
    """Every district with the same values (the keys given; the others missing)."""
    return {d: dict(values) for d in DISTRICTS}


def full_rows() -> dict[str, dict[str, object]]:
    """A complete, varied table: every key for every district, deterministic."""
    rows = {}
    for i, d in enumerate(DISTRICTS):
        row: dict[str, object] = {}
        for j, (key, unit) in enumerate(zip(refdata.metrics()["key"], refdata.metrics()["unit"])):
            if key == "district":
                continue
            n = (i * 7 + j * 3) % 11
            if unit == "flag":
                row[key] = "是" if n % 3 else "否"
            elif unit.startswith("grade"):
                words = unit.split(" ", 1)[1].split("/")
                row[key] = words[n % len(words)]
            elif unit.startswith("count ") and "-" in unit:
                row[key] = n % (int(unit.rsplit("-", 1)[1]) + 1)
            elif unit == "10k CNY":
                row[key] = round(100 + 37.5 * n + i, 2)
            else:
                row[key] = n + (1 if key in ("paired_counties", "towns_total", "registered_poor_start") else 0) * 10
        rows[d] = row
    return rows


def _header(key: str, labels: bool) -> str:
    return refdata.metric_label(key) if labels else key


def write_table(path: Path, rows: dict[str, dict[str, object]], labels: bool = False, encoding: str = "utf-8") -> Path:
    """A peers table as .csv (any encoding) or .xlsx; headers as keys or Chinese labels."""
    keys = list(dict.fromkeys(k for row in rows.values() for k in row))
    header = [_header("district", labels)] + [_header(k, labels) for k in keys]
    body = [[d] + [row.get(k) for k in keys] for d, row in rows.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".csv":
        with open(path, "w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in line] for line in body])
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(header)
        for line in body:
            ws.append(line)
        wb.save(path)
    return path
