"""Issue 5: every kind of bad workbook departments really send, handled with nothing lost.

tests/data/corpus/<case>/ holds the input files of one case and case.yml, the outcome the reading
rules of ledgers.md require (written by tests/data/make_corpus.py). For every case: the exact
counts per ledger and per sheet, every rejected row (file, sheet, row, column, the value as shown,
masked for personal data, and the reason), every notice, the clean values; and the accounting:
every non-blank row of every input file is read, excluded as a 合计 row, skipped as a note row,
or belongs to a sheet or file that a notice says was skipped.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from python_calamine import CalamineWorkbook

from fupin_lib.ingest import idcard
from fupin_lib.config import REJECTIONS_FILE
from fupin_lib.ingest import ingest_folder
from fupin_lib.ledgers import ledger_specs
from fupin_lib.secret import keyed_hash

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if (p / "case.yml").is_file())
COUNTS = ("read", "accepted", "rejected", "totals_excluded", "notes_skipped")
SUMMARY_COLUMNS = ("读取行数", "接受", "拒绝", "排除合计行", "跳过说明行")
FUPIN = Path(sys.executable).parent / "fupin"
_ID_LIKE = re.compile(r"(?<![\dA-Za-z])[1-9]\d{16}[\dXx](?![\dA-Za-z])")
_SKIPPED_SHEET = re.compile(r"空工作表|隐藏工作表|未能识别为任何台账")


def load_case(case_dir: Path) -> dict:
    return yaml.safe_load((case_dir / "case.yml").read_text(encoding="utf-8"))


def test_corpus_has_at_least_40_cases():
    assert len(CASES) >= 40
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+", d.name) for d in CASES)
    assert len({d.name[:2] for d in CASES}) == len(CASES)


# --- reading an input file independently of ingest.py ----------------------------------------


def raw_sheets(path: Path, skip: set[str] = frozenset()) -> dict[str, list[list[object]]]:
    """Every sheet of an input file, cells as stored (merged cells not filled); the sheets in
    `skip` (refused for their size: the reader would abort) are not opened and come back empty."""
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        return {path.stem: list(csv.reader(io.StringIO(text)))}
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: [] if name in skip else book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in book.sheet_names
    }


def shows_an_id(text: object) -> bool:
    """True when a message shows a valid ID number unmasked."""
    return any(idcard.is_valid(m) for m in _ID_LIKE.findall(str(text)))


def non_blank(rows: list[list[object]]) -> int:
    return sum(any(v is not None and str(v).strip() != "" for v in row) for row in rows)


# --- matching the expectations ------------------------------------------------------------------


def same_value(actual: object, expected: object) -> bool:
    if expected is None:
        return actual is None or bool(pd.isna(actual))
    if isinstance(actual, pd.Timestamp):
        return actual == pd.Timestamp(expected)
    if isinstance(expected, float):
        return actual == pytest.approx(expected, abs=1e-9)
    return actual == expected


def match_all(expected: list[dict], actual: list[dict], fits) -> None:
    """A one-to-one match of expected to actual records (fits(exp, act) -> bool), nothing left over."""
    left = list(actual)
    for exp in expected:
        found = next((a for a in left if fits(exp, a)), None)
        assert found is not None, f"expected {exp}\nnot found among\n" + "\n".join(map(str, left))
        left.remove(found)
    assert not left, "not expected:\n" + "\n".join(map(str, left))


def check_sheets_and_tables(result, spec) -> None:
    got = sorted((s.file, s.sheet, s.ledger, *(getattr(s, k) for k in COUNTS)) for s in result.sheets)
    want = sorted((s["file"], s["sheet"], s["ledger"], *(s[k] for k in COUNTS)) for s in spec["sheets"])
    assert got == want
    for s in result.sheets:  # the accounting rule of ledgers.md, sheet by sheet
        assert s.read == s.accepted + s.rejected, s
    summary = result.summary().set_index("表")
    for key in ledger_specs():
        want_counts = spec["tables"].get(key, dict.fromkeys(COUNTS, 0))
        assert tuple(summary.loc[key, list(SUMMARY_COLUMNS)]) == tuple(want_counts[k] for k in COUNTS), key
        assert len(result.tables[key]) == want_counts["accepted"], key


_REST = re.compile(r"其余 ([\d,]+) 行（第\d+—\d+行）疑似无效数据")


def expected_rejections(spec) -> list[dict]:
    """case.yml's rejections, with its runs (the same rejection over a range of rows) spelt out."""
    runs = [
        {**run, "row": r} for run in spec.get("rejection_runs", []) for r in range(run["rows"][0], run["rows"][1] + 1)
    ]
    return spec["rejections"] + [{k: v for k, v in run.items() if k != "rows"} for run in runs]


def check_rejections(result, spec) -> None:
    actual = result.rejections.to_dict("records")
    # A junk sheet's rest is one record standing for its N rows (policy._checked).
    rest = sum(int(m.group(1).replace(",", "")) - 1 for r in actual for m in [_REST.search(r["原因"])] if m)
    assert len({(r["文件"], r["工作表"], r["行号"]) for r in actual}) + rest == sum(s.rejected for s in result.sheets)
    match_all(
        expected_rejections(spec),
        actual,
        lambda e, a: (
            (a["文件"], a["工作表"], a["行号"], a["列"], a["值"])
            == (e["file"], e["sheet"], e["row"], e["column"], e["value"])
            and e["reason"] in a["原因"]
        ),
    )
    personal = {c.header for s in ledger_specs().values() for c in s.columns if c.personal}
    for r in actual:  # personal data is masked in every message
        assert not shows_an_id(r["值"]) and not shows_an_id(r["原因"]), r
        if r["列"] in personal and r["值"]:
            assert "*" in r["值"], r


def check_notices(result, spec) -> list:
    own = [n for n in result.notices if n.file == "case.yml"]
    assert len(own) == 1 and "不是台账文件格式" in own[0].message
    notices = [n for n in result.notices if n.file != "case.yml"]
    match_all(
        spec["notices"],
        notices,
        lambda e, n: (
            (n.file, n.sheet, n.kind) == (e["file"], e["sheet"], e["kind"])
            and e["message"] in n.message
            and ("row" not in e or n.row == e["row"])
        ),
    )
    for n in notices:
        assert not shows_an_id(n.message), n
    return notices


def stored(column, values: list) -> dict[str, list]:
    """What the clean table holds for a personal column written with these values: the keyed
    hash and the masked copy (no value in clear). Equal keys mean equal values."""
    kind = {"id_card": "person", "phone": "phone"}.get(column.type, "name")
    key = "person_key" if column.type == "id_card" else f"{column.name}_key"
    mask = {"id_card": idcard.mask, "phone": lambda v: v[:3] + "****" + v[-4:]}.get(
        column.type, lambda v: v[0] + "*" * (len(v) - 1)
    )
    return {
        key: [None if v is None else keyed_hash(kind, str(v)) for v in values],
        f"{column.name}_masked": [None if v is None else mask(str(v)) for v in values],
    }


def check_values(result, spec) -> None:
    for key, columns in spec["values"].items():
        table = result.tables[key]
        personal = {c.name: c for c in ledger_specs()[key].columns if c.personal}
        for column, expected in columns.items():
            if column in personal:
                assert column not in table.columns, (key, column)  # never in clear
                for name, want in stored(personal[column], expected).items():
                    got = table[name].tolist()
                    if name == "person_key":  # a cadre without ID is keyed by name
                        got, want = [g for g, e in zip(got, expected) if e], [w for w, e in zip(want, expected) if e]
                    assert got == want, (key, name, got, want)
                continue
            actual = table[column].tolist()
            assert len(actual) == len(expected), (key, column, actual)
            if table["_file"].nunique() > 1:  # files of one round are read oldest first: order by value
                actual, expected = sorted(actual, key=_order), sorted(expected, key=_order)
            assert all(same_value(a, e) for a, e in zip(actual, expected)), (key, column, actual, expected)


def _order(value: object) -> tuple:
    """A sort key for a column's values of any type (None and NaN last)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return (2, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, float(value))
    return (1, str(value))


def check_accounting(case_dir: Path, result, spec, notices) -> None:
    """Every non-blank row below the header is read, a 合计 row or a note row; every other file
    or sheet is said in a notice (with its count of non-blank rows where the notice gives one)."""
    reports = {(s.file, s.sheet): s for s in result.sheets}
    header_rows = {(s["file"], s["sheet"]): s["header_row"] for s in spec["sheets"]}
    skipped_files = {
        n.file for n in notices if n.sheet is None and n.row is None and not n.message.startswith("同一人员")
    }
    skipped_sheets = {(n.file, n.sheet): n for n in notices if n.sheet is not None and _SKIPPED_SHEET.search(n.message)}
    refused = {
        (n.file, n.sheet) for n in notices if n.sheet is not None and n.kind == "错误" and "该表未读取" in n.message
    }
    for path in sorted(p for p in case_dir.rglob("*") if (p.is_file() or p.is_symlink()) and p.name != "case.yml"):
        rel = str(path.relative_to(case_dir))
        if rel in skipped_files or any(rel.startswith(f + "/") for f in skipped_files):  # a file, or a folder, said
            assert not any(f == rel for f, _s in reports), rel
            continue
        mine = {sheet for f, sheet in refused if f == rel}
        for name, rows in raw_sheets(path, mine).items():
            if name in mine:
                assert (rel, name) not in reports
                continue
            if (rel, name) in reports:
                r = reports[(rel, name)]
                below = non_blank(rows[header_rows[(rel, name)] :])
                assert r.read + r.totals_excluded + r.notes_skipped == below, (rel, name)
            else:
                assert (rel, name) in skipped_sheets, f"{rel} / {name} passed over without a notice"
                said = re.search(r"（(\d+)行非空）", skipped_sheets[(rel, name)].message)
                assert (int(said.group(1)) if said else 0) == non_blank(rows), (rel, name)


@pytest.mark.parametrize("case_dir", CASES, ids=[d.name for d in CASES])
def test_case(case_dir: Path):
    spec = load_case(case_dir)
    result = ingest_folder(case_dir)
    check_sheets_and_tables(result, spec)
    check_rejections(result, spec)
    notices = check_notices(result, spec)
    check_values(result, spec)
    check_accounting(case_dir, result, spec, notices)


# --- the console script -------------------------------------------------------------------------


def fupin(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "FUPIN_CACHE": str(tmp_path / "cache")}  # nothing written into the repo
    return subprocess.run([str(FUPIN), *args], capture_output=True, text=True, timeout=600, env=env)


def test_console_script_over_every_case(tmp_path):
    """One `fupin ingest` over the whole corpus (every case folder): exit 0, no traceback, and every
    case folder shows up in the rejections workbook (a sheet read, or a notice)."""
    out = tmp_path / "processed"
    proc = fupin(tmp_path, "ingest", "--raw", str(CORPUS), "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    book = pd.read_excel(out / REJECTIONS_FILE, sheet_name=None)
    files = set(book["按工作表"]["文件"].astype(str)) | set(book["提示与跳过"]["文件"].astype(str))
    for d in CASES:
        assert any(f.startswith(d.name + "/") for f in files if f != f"{d.name}/case.yml"), d.name


@pytest.mark.parametrize(
    "case, rejected", [("39_negative_values", True), ("16_two_ledgers_one_workbook", False), ("60_xlsb_and_wps", True)]
)
def test_console_script_strict(case, rejected, tmp_path):
    """--strict counts rejected rows and every file not read (60: a .et that is no workbook and a
    Numbers file); case.yml itself is left out of the folder, as it is no department's file."""
    spec = load_case(CORPUS / case)
    assert bool(spec["rejections"] or any(n["kind"] == "错误" for n in spec["notices"])) is rejected
    raw = tmp_path / "raw"
    shutil.copytree(CORPUS / case, raw, symlinks=True, ignore=shutil.ignore_patterns("case.yml"))
    proc = fupin(tmp_path, "ingest", "--raw", str(raw), "--out", str(tmp_path / "processed"), "--strict")
    assert "Traceback" not in proc.stdout + proc.stderr
    assert (proc.returncode != 0) is rejected, proc.stdout + proc.stderr
