"""Faults as the office meets them: lost and unreadable files, a report open in another program,
a read-only or full disk, a batch killed mid-way, a changed peers table, sample data written
over real ledgers. Run through the real commands where the fault is real on this machine.

As root, permissions do not stop anything; `unshare --user --map-user=1000` runs a command as
an ordinary user (files stay owned by root outside, appear owned by that user inside, so mode
000 really denies). `chattr +i` makes a file that cannot be replaced, as an open file is on
Windows. Where either is unavailable, the real-fault test is skipped and its simulated twin
still runs."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from fupin_lib import config, files
from fupin_lib.periods import parse_period
from fupin_lib.reports.batch import ReportError, run_reports

FUPIN = str(Path(sys.executable).parent / "fupin")
Q2 = parse_period("2020Q2")


def _works(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


AS_USER = ["unshare", "--user", "--map-user=1000", "--map-group=1000"] if os.geteuid() == 0 else []
USER_OK = not AS_USER or _works(AS_USER + ["true"])
needs_user = pytest.mark.skipif(not USER_OK, reason="no user namespace to drop root's permissions")


def _chattr_ok(tmp: Path) -> bool:
    probe = tmp / "probe"
    probe.write_text("x")
    ok = _works(["chattr", "+i", str(probe)])
    _works(["chattr", "-i", str(probe)])
    return ok


@pytest.fixture
def raw(sample_raw, tmp_path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(sample_raw, target)
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- files lost or unreadable ------------------------------------------------------------


@needs_user
def test_broken_link_unreadable_file_and_folder_are_said(raw, tmp_path):
    (raw / "区财政局_资金台账_链接.xlsx").symlink_to(tmp_path / "已删除.xlsx")
    locked = raw / "区委组织部_挂职干部台账_2020.xlsx"
    os.chmod(locked, 0)
    sub = raw / "第二批"
    sub.mkdir()
    shutil.copy(raw / "区商务局_食堂采购台账_2020.xlsx", sub / "区商务局_食堂采购台账_补充.xlsx")
    os.chmod(sub, 0)
    try:
        run = subprocess.run(
            AS_USER + [FUPIN, "ingest", "--raw", str(raw), "--out", str(tmp_path / "out")],
            capture_output=True,
            text=True,
        )
        metrics = subprocess.run(
            AS_USER + [FUPIN, "metrics", "--period", "2020Q2", "--raw", str(raw), "--json"],
            capture_output=True,
            text=True,
        )
    finally:
        os.chmod(locked, 0o644)
        os.chmod(sub, 0o755)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    for said in (
        "区财政局_资金台账_链接.xlsx：快捷方式（链接）指向的文件不存在",
        "区委组织部_挂职干部台账_2020.xlsx：没有读取该文件的权限",
        "第二批：无法打开文件夹（没有权限），其中的文件均未读取",
        "注意：有 3 个文件或工作表未能读取",
    ):
        assert said in run.stderr, run.stderr
    book = openpyxl.load_workbook(tmp_path / "out" / config.REJECTIONS_FILE, read_only=True)
    noted = {(r[0], r[1]) for r in book["提示与跳过"].iter_rows(min_row=2, values_only=True)}
    assert {
        ("错误", "区财政局_资金台账_链接.xlsx"),
        ("错误", "区委组织部_挂职干部台账_2020.xlsx"),
        ("错误", "第二批"),
    } <= noted
    doc = json.loads(metrics.stdout)
    errors = {n["file"] for n in doc["notices"] if n["kind"] == "错误"}
    assert errors == {"区财政局_资金台账_链接.xlsx", "区委组织部_挂职干部台账_2020.xlsx", "第二批"}


def test_strict_counts_unread_files(raw, tmp_path):
    (raw / "区财政局_资金台账_链接.xlsx").symlink_to(tmp_path / "已删除.xlsx")
    run = subprocess.run(
        [FUPIN, "ingest", "--raw", str(raw), "--out", str(tmp_path / "out"), "--strict"], capture_output=True, text=True
    )
    assert run.returncode == 3 and "未能读取 1 个文件或工作表" in run.stdout


# --- outputs that cannot be replaced ------------------------------------------------------

BRIEF_ONLY = ("简报",)  # a set of two documents made without a kernel: what publishing does, at a tenth of the cost


def _first_set(raw: Path, out: Path, notebooks: tuple[str, ...] = ("quarterly_report",)) -> dict[str, bytes]:
    run_reports(Q2, raw_dir=raw, out_dir=out, notebooks=notebooks)
    return _snapshot(out)


def _add_a_ledger(raw: Path) -> None:
    shutil.copy(raw / "区商务局_食堂采购台账_2020.xlsx", raw / "区商务局_食堂采购台账_第二份.xlsx")


def test_locked_pdf_keeps_the_whole_previous_set(raw, tmp_path):
    out = tmp_path / "reports"
    before = _first_set(raw, out, BRIEF_ONLY)
    if not _chattr_ok(tmp_path):
        pytest.skip("chattr +i is not available here")
    pdf = out / "2020Q2" / "简报_2020Q2.pdf"
    _add_a_ledger(raw)
    subprocess.run(["chattr", "+i", str(pdf)], check=True)
    try:
        with pytest.raises(ReportError) as err:
            run_reports(Q2, raw_dir=raw, out_dir=out, notebooks=BRIEF_ONLY)
    finally:
        subprocess.run(["chattr", "-i", str(pdf)], check=True)
    assert err.value.exit_code == 4
    assert "简报_2020Q2.pdf" in str(err.value) and "原有文件保持不变" in str(err.value)
    assert _snapshot(out) == before  # PDF, Word and manifest: all old
    assert not (tmp_path / files.STAGING_DIR_NAME).exists()
    made = run_reports(Q2, raw_dir=raw, out_dir=out, notebooks=BRIEF_ONLY)  # unlocked: made anew
    after = _snapshot(out)
    assert pdf in made and after["运行记录/2020Q2/manifest.json"] != before["运行记录/2020Q2/manifest.json"]


def test_failed_replacement_is_undone(raw, tmp_path, monkeypatch):
    """The simulated twin of the locked file: the third move fails with a full disk."""
    out = tmp_path / "reports"
    before = _first_set(raw, out, BRIEF_ONLY)
    _add_a_ledger(raw)
    real, calls = files._move, []

    def failing(src, dst):
        if out in Path(dst).parents or out in Path(src).parents:  # the report set, not the store
            calls.append(dst)
            if len(calls) == 3:
                raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(files, "_move", failing)
    with pytest.raises(ReportError) as err:
        run_reports(Q2, raw_dir=raw, out_dir=out, notebooks=BRIEF_ONLY)
    assert "磁盘空间不足" in str(err.value) and "原有文件保持不变" in str(err.value) and err.value.exit_code == 4
    assert _snapshot(out) == before


@needs_user
def test_read_only_reports_folder(raw, tmp_path):
    """Refused before the notebooks run (no minute spent on a set that cannot be put in place)."""
    out = tmp_path / "reports"
    before = _first_set(raw, out, BRIEF_ONLY)
    _add_a_ledger(raw)
    folders = [out, out / "2020Q2", out / "运行记录", out / "运行记录" / "2020Q2"]
    for f in folders:
        os.chmod(f, 0o555)
    try:
        run = subprocess.run(
            AS_USER + [FUPIN, "report", "--period", "2020Q2", "--raw", str(raw), "--out", str(out)],
            capture_output=True,
            text=True,
        )
    finally:
        for f in folders:
            os.chmod(f, 0o755)
    assert run.returncode == 4, run.stderr
    assert "没有权限" in run.stderr and "原有文件保持不变" in run.stderr and "Traceback" not in run.stderr
    assert f"“{out}”" in run.stderr and "2020Q2/" not in run.stdout  # the folder named; no report ran
    assert _snapshot(out) == before


# --- a batch killed mid-way ---------------------------------------------------------------


def test_killed_batch_leaves_the_old_set_and_the_rerun_cleans_up(raw, tmp_path):
    """`fupin report` killed (SIGKILL: nothing of it can tidy up) while its notebooks run; the
    next run, here one of the brief alone, removes what it left."""
    out = tmp_path / "reports"
    before = _first_set(raw, out, BRIEF_ONLY)
    _add_a_ledger(raw)
    proc = subprocess.Popen(
        [FUPIN, "report", "--period", "2020Q2", "--raw", str(raw), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    staging = tmp_path / files.STAGING_DIR_NAME
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not any(staging.glob("report-*/2020Q2/*/*.ipynb")):
        time.sleep(0.05)
    assert any(staging.glob("report-*/2020Q2/*/*.ipynb")), "the batch did not reach its notebooks"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _snapshot(out) == before  # nothing half-made in reports/
    assert sorted(p.name for p in out.iterdir()) == [files.OUTPUT_MARKER, "2020Q2", "index.html", "运行记录"]
    assert any(staging.glob("report-*"))  # left behind by the killed run
    said = []
    made = run_reports(
        Q2,
        raw_dir=raw,
        out_dir=out,
        notebooks=BRIEF_ONLY,
        console=type("C", (), {"print": lambda self, *a, **k: said.append(str(a[0]))})(),
    )
    assert not staging.exists()  # what the killed run left is gone
    assert out / "2020Q2" / "简报_2020Q2.pdf" in made and not any("输入未变化" in line for line in said)


def test_move_interrupted_mid_set_is_undone_by_the_next_run(tmp_path):
    """A process killed while moving a set into place: a.html replaced, a.pdf moved aside, the
    new a.pdf not yet in place. The next run's staging undoes the moves from the journal."""
    final = tmp_path / "out"
    final.mkdir()
    for name in ("a.html", "a.pdf"):
        (final / name).write_text(f"旧 {name}")
    left = files.staging_root(final) / "report-killed"
    (left / "backup").mkdir(parents=True)
    entries = [
        {
            "new": str(left / n),
            "final": str(final / n),
            "backup": str(left / "backup" / f"{i}{Path(n).suffix}"),
            "existed": True,
        }
        for i, n in enumerate(("a.html", "a.pdf"))
    ]
    for name in ("a.html", "a.pdf"):
        (left / name).write_text(f"新 {name}")
    (final / "a.html").replace(entries[0]["backup"])
    (left / "a.html").replace(final / "a.html")
    (final / "a.pdf").replace(entries[1]["backup"])
    (left / "journal.json").write_text(json.dumps({"state": "moving", "entries": entries}), encoding="utf-8")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (left / "owner.json").write_text(json.dumps({"pid": int(dead.stdout), "start": ""}), encoding="utf-8")
    with files.staging(final, "next") as work:
        assert work.exists()
    assert {p.name: p.read_text() for p in final.iterdir()} == {"a.html": "旧 a.html", "a.pdf": "旧 a.pdf"}
    assert not files.staging_root(final).exists()


# --- what decides that a report is up to date ---------------------------------------------


def test_changed_peers_table_remakes_the_assessment(raw, tmp_path, monkeypatch):
    import dataclasses

    from fupin_lib import refdata

    peers = tmp_path / "peers.csv"
    plan = refdata.plan(2020)
    shutil.copy(plan.peers_file, peers)
    monkeypatch.setattr(
        refdata, "plan", lambda year: dataclasses.replace(plan, peers_file=peers) if year == 2020 else None
    )
    out = tmp_path / "reports"
    args = dict(raw_dir=raw, out_dir=out, notebooks=("assessment_score",), console=None)
    run_reports(Q2, **args)
    html = out / "2020Q2" / "assessment_score.html"
    first = html.read_bytes()
    stamp = html.stat().st_mtime_ns
    run_reports(Q2, **args)
    assert html.stat().st_mtime_ns == stamp  # unchanged: kept as it is
    lines = peers.read_text(encoding="utf-8-sig").splitlines()
    header, row = lines[0].split(","), lines[1].split(",")
    col = header.index("leadership_meetings")
    # item 1.1 gives 1.5 points a meeting up to 3: from 2 meetings to none, the district loses 3
    assert float(row[col]) >= 2
    row[col] = "0"
    peers.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8-sig")
    run_reports(Q2, **args)
    assert html.stat().st_mtime_ns != stamp and html.read_bytes() != first


# --- sample data over real ledgers --------------------------------------------------------


def test_sample_data_refuses_a_folder_with_real_ledgers(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    real = folder / "区财政局_资金台账_2020.xlsx"
    real.write_bytes(b"the office's real ledger")
    run = subprocess.run(
        [FUPIN, "sample-data", "--out", str(folder), "--scale", "0.05"], capture_output=True, text=True
    )
    assert run.returncode == 2 and "区财政局_资金台账_2020.xlsx" in run.stderr and "--force" in run.stderr
    assert [p.name for p in folder.iterdir()] == [real.name] and real.read_bytes() == b"the office's real ledger"
    assert not (tmp_path / "external").exists()


def test_rejections_past_excels_row_limit_continue_on_a_second_sheet(tmp_path):
    """Past the row limit the table goes on in a second and third sheet, nothing lost, cell text
    still text. The limit is tested small here; that the default is Excel's own (1,048,576 rows,
    header included) is checked against XlsxWriter, which refuses the next row."""
    import inspect

    import pandas as pd
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    from fupin_lib.excel import EXCEL_MAX_ROWS, TEXT_ONLY, write_table

    assert EXCEL_MAX_ROWS == 1_048_576
    assert inspect.signature(write_table).parameters["limit"].default == EXCEL_MAX_ROWS - 1
    probe = xlsxwriter.Workbook(str(tmp_path / "probe.xlsx"))
    sheet = probe.add_worksheet()
    assert sheet.write(EXCEL_MAX_ROWS - 1, 0, "末行") == 0 and sheet.write(EXCEL_MAX_ROWS, 0, "多一行") == -1
    probe.close()

    rows = 25
    table = pd.DataFrame({"行号": range(1, rows + 1), "原因": '=HYPERLINK("http://x")'})
    path = tmp_path / "被拒绝行.xlsx"
    book = xlsxwriter.Workbook(str(path), {**TEXT_ONLY, "constant_memory": True})
    write_table(book, "被拒绝行", table, limit=10)
    book.close()
    wb = CalamineWorkbook.from_path(str(path))
    assert [m.name for m in wb.sheets_metadata] == ["被拒绝行", "被拒绝行（2）", "被拒绝行（3）"]
    sheets = [wb.get_sheet_by_name(m.name).to_python() for m in wb.sheets_metadata]
    assert all(s[0] == ["行号", "原因"] for s in sheets) and [len(s) - 1 for s in sheets] == [10, 10, 5]
    assert [int(r[0]) for s in sheets for r in s[1:]] == list(range(1, rows + 1))
    assert sheets[1][1][1] == '=HYPERLINK("http://x")'  # stored as text


def test_what_an_earlier_version_left_goes_with_the_old_set(raw, tmp_path, monkeypatch):
    """An upgrade: the leader folder still holds an earlier version's executed notebook (code,
    paths) and a format since dropped. They leave with the old set; a failed replacement brings
    them back; a file of the office's own, and anything named outside the folder, stay."""
    out = tmp_path / "reports"
    _first_set(raw, out, BRIEF_ONLY)
    final, manifest_path = out / "2020Q2", out / "运行记录" / "2020Q2" / "manifest.json"
    (final / "简报.ipynb").write_text("旧版本的笔记本", encoding="utf-8")
    (final / "简报_2020Q2.odt").write_text("旧格式", encoding="utf-8")
    (final / "办公室说明.txt").write_text("办公室自己的文件", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("目录之外", encoding="utf-8")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["reports"]["简报"]["documents"] += ["简报_2020Q2.odt", "../../outside.txt"]
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    _add_a_ledger(raw)
    before = _snapshot(out)

    real, calls = files._move, []

    def failing(src, dst):
        if out in Path(dst).parents or out in Path(src).parents:
            calls.append(dst)
            if len(calls) == 3:  # the two old files are out; the first new one fails
                raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        real(src, dst)

    with monkeypatch.context() as m:
        m.setattr(files, "_move", failing)
        with pytest.raises(ReportError):
            run_reports(Q2, raw_dir=raw, out_dir=out, notebooks=BRIEF_ONLY)
    assert _snapshot(out) == before  # all back, the old files too

    run_reports(Q2, raw_dir=raw, out_dir=out, notebooks=BRIEF_ONLY)
    names = {p.name for p in final.iterdir()}
    assert "简报.ipynb" not in names and "简报_2020Q2.odt" not in names
    assert {"简报_2020Q2.pdf", "简报_2020Q2.docx", "办公室说明.txt"} <= names
    assert (tmp_path / "outside.txt").exists()
