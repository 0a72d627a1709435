"""Issue 18: one department's file never stops, fools or silently drops out of the office's batch.

Each awkward case of the corpus (tests/data/corpus/56-65, written by make_corpus.py with its
expected outcome) is put beside four good ledgers of the sample and run through the real
commands under a limit on virtual memory (`ulimit -v`) and a time bound: the command ends with
its exit code, the file is named with a Chinese reason, and the four good ledgers' figures are
exactly what they were without it (the hostile file adds only the rows case.yml says it adds).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from fupin_lib.cli import visible
from fupin_lib.ingest import isolation

FUPIN = str(Path(sys.executable).parent / "fupin")
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
GOOD = (
    "区委组织部_挂职干部台账_2020.xlsx",
    "区商务局_食堂采购台账_2020.xlsx",
    "区人力社保局_培训台账_2020.xlsx",
    "区财政局_资金台账_2020.xlsx",
)
MEMORY_KB = 4_000_000  # ulimit -v for every command here: 4 GB of address space
SECONDS = 180  # a command with one hostile file, on a loaded CI machine
HOSTILE = [d.name for d in sorted(CORPUS.iterdir()) if d.name[:2].isdigit() and 56 <= int(d.name[:2]) <= 65]


def fupin(*args: str, env: dict | None = None, memory_kb: int = MEMORY_KB) -> tuple[subprocess.CompletedProcess, float]:
    """A real `fupin` command under `ulimit -v`; (the process, seconds it took)."""
    started = time.monotonic()
    proc = subprocess.run(
        ["bash", "-c", f'ulimit -v {memory_kb} && exec "$@"', "_", FUPIN, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    return proc, time.monotonic() - started


def strict_json(text: str):
    def refuse(name):
        raise AssertionError(f"not strict JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def good(sample_raw, tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("good") / "raw"
    raw.mkdir()
    for name in GOOD:
        shutil.copy(sample_raw / name, raw / name)
    return raw


@pytest.fixture(scope="module")
def baseline(good, tmp_path_factory) -> dict:
    """The four good ledgers' figures, alone."""
    env = {"FUPIN_CACHE": str(tmp_path_factory.mktemp("cache"))}
    proc, _ = fupin("metrics", "--period", "2020Q2", "--raw", str(good), "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    return strict_json(proc.stdout)


def with_case(good: Path, case: str, target: Path) -> Path:
    """The good folder with the case's files (not its case.yml) in 来件/."""
    shutil.copytree(good, target)
    shutil.copytree(CORPUS / case, target / "来件", symlinks=True, ignore=shutil.ignore_patterns("case.yml"))
    return target


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_file_beside_four_good_ledgers(case, good, baseline, tmp_path):
    spec = yaml.safe_load((CORPUS / case / "case.yml").read_text(encoding="utf-8"))
    raw = with_case(good, case, tmp_path / "raw")
    proc, seconds = fupin(
        "metrics", "--period", "2020Q2", "--raw", str(raw), "--json", env={"FUPIN_CACHE": str(tmp_path / "cache")}
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert seconds < SECONDS
    doc = strict_json(proc.stdout)
    # Every file the case says is not read (or a sheet of it) is named, with its Chinese reason.
    said = [(n["file"], n["sheet"], n["message"]) for n in doc["notices"] if n["kind"] == "错误"]
    for e in (n for n in spec["notices"] if n["kind"] == "错误"):
        assert any(f == f"来件/{e['file']}" and s == e["sheet"] and e["message"] in m for f, s, m in said), (e, said)
    # The good ledgers' figures are untouched; funds gain exactly the case's accepted amounts.
    added = round(sum(spec["values"].get("funds", {}).get("amount_wan", [])), 6)
    for key, value in baseline["metrics"].items():
        if key == "extra_funds_wan":
            assert doc["metrics"][key] == pytest.approx(value + added, abs=1e-6), case
        else:
            assert doc["metrics"][key] == value, (case, key)
    assert doc["cadres_by_county"] == baseline["cadres_by_county"]
    assert doc["canteen"] == baseline["canteen"]


def test_console_names_each_file_and_strict_counts_them(good, tmp_path):
    """`fupin ingest --strict` over the stray cell, the inflated zips, the junk rows and the
    awkward names: every unread file or sheet is printed (control characters escaped), exit 3."""
    raw = with_case(good, "56_stray_cell_far_away", tmp_path / "raw")
    for case in ("57_inflated_zip", "58_junk_rows", "65_awkward_file_names"):
        shutil.copytree(CORPUS / case, raw / case, ignore=shutil.ignore_patterns("case.yml"))
    proc, seconds = fupin(
        "ingest",
        "--raw",
        str(raw),
        "--out",
        str(tmp_path / "out"),
        "--strict",
        env={"FUPIN_CACHE": str(tmp_path / "cache")},
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and seconds < SECONDS
    for line in (
        "来件/区教委_资金台账_2020.xlsx / 资金台账：工作表的使用范围过大（A1:XFD1048576",
        "来件/区卫健委_资金台账_2020.xlsx / Sheet2：工作表的使用范围过大",
        "来件/区民政局_资金台账_2020.xlsx：文件过大：读取需要约",
        "57_inflated_zip/区财政局_资金台账_2020.xlsx：文件过大：",
        "57_inflated_zip/区商务局_资金台账_2020.xlsx：文件疑似损坏",
        "58_junk_rows/区财政局_资金台账_2020.xlsx / 资金台账 / 第3002行：前面已连续 2,000 行被拒绝，其余 503 行",
    ):
        assert line in proc.stderr, (line, proc.stderr)
    escaped = visible("65_awkward_file_names/区教委_资金台账_\x1b[2K\x1b[1A.xlsx")
    assert escaped in proc.stderr and "\x1b" not in proc.stderr + proc.stdout


def test_a_sheet_too_big_for_the_reader_bound_costs_that_file_only(tmp_path):
    """A sheet too big for the reader's memory bound costs that file only: with the bound set to
    64 MB, 4,000 rows of 4,200 characters each (50 MB of text unpacked, from a 260 KB file)
    are refused as 文件过大 and the small ledger beside them is read. (The time and memory a
    sheet of a million rows takes are in `make bench`.)"""
    import xlsxwriter

    raw = tmp_path / "raw"
    raw.mkdir()
    book = xlsxwriter.Workbook(str(raw / "区教委_资金台账_2020.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("资金台账")
    sheet.write_row(0, 0, ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"])
    text = "援建项目说明" * 700
    for r in range(1, 4_001):
        sheet.write_row(r, 0, [f"{r}{text}", "和田县", "区级财政", r % 97, "2020-04-01"])
    book.close()
    shutil.copy(
        CORPUS / "61_formula_without_value" / "区财政局_资金台账_2020.xlsx", raw / "区财政局_资金台账_2020.xlsx"
    )
    proc, _ = fupin(
        "metrics",
        "--period",
        "2020Q2",
        "--raw",
        str(raw),
        "--json",
        env={"FUPIN_CACHE": str(tmp_path / "cache"), "FUPIN_READ_MEMORY_MB": "64"},
    )
    assert proc.returncode == 0, proc.stderr
    doc = strict_json(proc.stdout)
    [said] = [n for n in doc["notices"] if n["file"] == "区教委_资金台账_2020.xlsx"]
    assert said["kind"] == "错误" and "文件过大" in said["message"] and "64.0 MB" in said["message"], said
    assert doc["metrics"]["extra_funds_wan"] == 10.0  # 61's one accepted row: 甲项目, 10 万元


# --- the reader's process, directly ---------------------------------------------------------


def _sleep(seconds):
    time.sleep(seconds)


def _allocate(mb):
    return len(bytearray(mb << 20))


def test_reader_process_bounds(monkeypatch):
    """An abort, a reader that never ends and one that wants too much memory each become a
    Chinese reason (and this process goes on); a value and an exception come back as they are."""
    assert isolation.run(sum, [1, 2, 3]) == 6
    with pytest.raises(ZeroDivisionError):
        isolation.run(divmod, 1, 0)
    with pytest.raises(isolation.ReadBoundError, match="读取程序异常终止（SIGABRT）"):
        isolation.run(os.abort)
    monkeypatch.setenv("FUPIN_READ_SECONDS", "1")
    started = time.monotonic()
    with pytest.raises(isolation.ReadBoundError, match="读取超过 1 秒仍未完成"):
        isolation.run(_sleep, 30)
    assert time.monotonic() - started < 10
    monkeypatch.setenv("FUPIN_READ_MEMORY_MB", "100")
    with pytest.raises(isolation.ReadBoundError, match="文件过大：读取所需内存超过 100.0 MB"):
        isolation.run(_allocate, 400)
    assert isolation.run(_allocate, 10) == 10 << 20
