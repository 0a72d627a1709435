"""Shared test helpers: write small workbooks as a department would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest


def write_book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Write a workbook: {sheet name: rows (lists of cell values)}."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    """book(name, {sheet: rows}) writes tmp_path/raw/name and returns the raw folder."""
    raw = tmp_path / "raw"
    raw.mkdir()

    def make(name: str, sheets: dict[str, list[list[object]]]) -> Path:
        write_book(raw / name, sheets)
        return raw

    return make


@pytest.fixture(scope="session")
def sample_raw(tmp_path_factory) -> Path:
    """A small but complete sample folder (every ledger, every kind of mess), made once."""
    from fupin_dev.sample_data import generate

    raw = tmp_path_factory.mktemp("sample") / "raw"
    generate(raw, seed=7, scale=0.05, manifest_path=raw.parent / "manifest.json")
    return raw


@pytest.fixture(scope="session")
def report_batch(sample_raw, tmp_path_factory):
    """The 2020Q2, 2020H1 and 2020H2 (year-end) batches on the small sample folder, made once:
    (out dir, files)."""
    from fupin_lib.periods import parse_period
    from fupin_lib.reports.batch import run_reports

    out = tmp_path_factory.mktemp("batch") / "reports"
    made = run_reports([parse_period(code) for code in ("2020Q2", "2020H1", "2020H2")], raw_dir=sample_raw, out_dir=out)
    return out, made


FUPIN = Path(sys.executable).parent / "fupin"


def fupin_in(root: Path, *args) -> subprocess.CompletedProcess:
    """The installed `fupin` console script run for a project folder of the office's own
    (FUPIN_ROOT=root: its data/, plans and confirmations; nothing written into the checkout)."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(root), "FUPIN_ROOT": str(root), "COLUMNS": "200",
           "FUPIN_SECRET": str(root / "secret.key")}
    return subprocess.run([str(FUPIN), *map(str, args)], capture_output=True, text=True, env=env, timeout=300)
