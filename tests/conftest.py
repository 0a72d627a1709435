"""Shared test helpers: write small workbooks as a department would."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from contextlib import contextmanager
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


@contextmanager
def made_once(tmp_path_factory, name: str):
    """A folder a session fixture makes once for the whole run: with pytest-xdist (`make test`
    runs one worker per core) the first worker makes it under a lock and the others wait and
    use it; yields (folder, whether it is still to be made)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if base.name.startswith("popen-gw") else base  # the workers' common folder
    folder = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / f"{name}.done"
        yield folder, not done.exists()
        done.touch()


@pytest.fixture(scope="session")
def sample_raw(tmp_path_factory) -> Path:
    """A small but complete sample folder (every ledger, every kind of mess), made once."""
    from fupin_dev.sample_data import generate

    with made_once(tmp_path_factory, "sample") as (folder, to_make):
        raw = folder / "raw"
        if to_make:
            generate(raw, seed=7, scale=0.05, manifest_path=folder / "manifest.json")
    return raw


@pytest.fixture(scope="session")
def report_batch(sample_raw, tmp_path_factory):
    """The 2020Q2, 2020H1 and 2020H2 (year-end) batches on the small sample folder, made once:
    (out dir, files)."""
    import json

    from fupin_lib.periods import parse_period
    from fupin_lib.reports.batch import run_reports

    with made_once(tmp_path_factory, "batch") as (folder, to_make):
        out = folder / "reports"
        if to_make:
            made = run_reports(
                [parse_period(code) for code in ("2020Q2", "2020H1", "2020H2")], raw_dir=sample_raw, out_dir=out
            )
            (folder / "made.json").write_text(json.dumps([str(p) for p in made]), encoding="utf-8")
        made = [Path(p) for p in json.loads((folder / "made.json").read_text(encoding="utf-8"))]
    return out, made


FUPIN = Path(sys.executable).parent / "fupin"


def fupin_in(root: Path, *args) -> subprocess.CompletedProcess:
    """The installed `fupin` console script run for a project folder of the office's own
    (FUPIN_ROOT=root: its data/, plans and confirmations; nothing written into the checkout)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "FUPIN_ROOT": str(root),
        "COLUMNS": "200",
        "FUPIN_SECRET": str(root / "secret.key"),
    }
    return subprocess.run([str(FUPIN), *map(str, args)], capture_output=True, text=True, env=env, timeout=300)


# The files that take longest (minutes each: whole batches, every README command) start first,
# so that with one worker per core (`make test`) the workers finish together instead of one
# starting the longest file last. Within a file the order is as written.
LONGEST_FIRST = (
    "test_readme_commands.py",
    "test_faults.py",
    "test_stops.py",
    "test_every_subset.py",
    "test_html.py",
    "test_notebooks.py",
    "test_bounds.py",
    "test_hostile.py",
)


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
