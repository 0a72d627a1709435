"""Issue 18, faults: a batch stopped (SIGTERM, Ctrl+C, SIGKILL) at several points, a full disk,
a flipped byte in the store and in a published file, a kernel whose port is taken. Run through
the real commands where the fault is real on this machine.

Interrupts go where the user's would: Ctrl+C to the command's whole process group (start_new_
session gives it one), SIGTERM to the command. Renames into the output folder are slowed (a
sitecustomize on PYTHONPATH) so that a signal can land while a set is being put in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fupin_lib import files, store
from fupin_lib.periods import parse_period
from fupin_lib.reports import batch, kernels
from fupin_lib.reports.batch import _descendants, run_reports

FUPIN = str(Path(sys.executable).parent / "fupin")
Q2 = parse_period("2020Q2")


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under folder and its SHA-256 (the product's marker file aside: it lists what
    was written, and grows)."""
    return {
        str(p.relative_to(folder)): sha(p)
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file() and p.name != files.OUTPUT_MARKER
    }


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # gone meanwhile
        return b""


def holding(pid: int, path: Path) -> bool:
    """True when a process started by pid has `path` open."""
    for child in _descendants(pid):
        try:
            fds = list(Path(f"/proc/{child}/fd").iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(fd) == str(path):
                    return True
            except OSError:
                continue
    return False


def alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if batch._running(pid)]


def start(args: list[str], tmp: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [FUPIN, *args],
        stdout=open(tmp / "stdout.txt", "w"),
        stderr=open(tmp / "stderr.txt", "w"),
        start_new_session=True,
        env={**os.environ, "FUPIN_CACHE": str(tmp / "cache"), **(env or {})},
    )


def wait_for(test, seconds: float = 180.0, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def slow_renames(tmp: Path, under: Path, seconds: float = 0.4) -> dict:
    """Environment that makes every rename into `under` take `seconds` and note it in a file."""
    site = tmp / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(
        textwrap.dedent(f"""
        import os, time
        _replace = os.replace
        def _slow(src, dst, *args, **kwargs):
            if str(dst).startswith({str(under.resolve())!r}) and "/.tmp-" not in str(dst):
                with open({str(tmp / "renames.txt")!r}, "a") as fh:
                    fh.write(str(dst) + "\\n")
                time.sleep({seconds})
            return _replace(src, dst, *args, **kwargs)
        os.replace = _slow
    """),
        encoding="utf-8",
    )
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


@pytest.fixture
def raw(sample_raw, tmp_path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(sample_raw, target)
    return target


@pytest.fixture
def previous(report_batch, tmp_path) -> Path:
    """A copy of the session's published reports (2020Q2, 2020H1): the set a new run replaces."""
    out = tmp_path / "reports"
    shutil.copytree(report_batch[0], out)
    return out


def add_a_ledger(raw: Path) -> None:
    shutil.copy(raw / "区商务局_食堂采购台账_2020.xlsx", raw / "区商务局_食堂采购台账_第二份.xlsx")


def consistent(out: Path, period: str) -> dict:
    """The period's manifest, after checking that every file it lists is the one it recorded."""
    manifest = json.loads((out / "运行记录" / period / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in manifest["reports"].items():
        for file, digest in entry["sha256"].items():
            where = out / "运行记录" / period / file if file.endswith(".ipynb") else out / period / file
            assert sha(where) == digest, (name, file)
    return manifest


# --- stops ----------------------------------------------------------------------------------


def test_sigterm_while_reading_stops_the_reader_and_keeps_the_store(raw, tmp_path):
    """SIGTERM while a workbook is being read: the reader process goes too, exit 143, the clean
    tables in place are the previous ones."""
    out = tmp_path / "processed"
    done = subprocess.run(
        [FUPIN, "ingest", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "FUPIN_CACHE": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stderr
    before = snapshot(out)
    import xlsxwriter

    book = xlsxwriter.Workbook(str(raw / "区教委_资金台账_大表.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("资金台账")
    for r in range(250_000):  # long enough to be still reading when stopped (60,000 was read too fast on a fast day)
        sheet.write_row(
            r,
            0,
            ["项目", "和田县", "区级财政", r, "2020-04-01"]
            if r
            else ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"],
        )
    book.close()
    proc = start(["ingest", "--raw", str(raw), "--out", str(out)], tmp_path)
    # Stopped while the large workbook's reader has it open (not merely once some reader has
    # started: on a loaded machine the signal could then land after the reading, while the
    # store is being published, which finishes the set by design).
    wait_for(lambda: holding(proc.pid, raw / "区教委_资金台账_大表.xlsx"), what="the large workbook's reader")
    readers = _descendants(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    said = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert "已终止" in said and "Traceback" not in said, said
    wait_for(lambda: not alive(readers), 10, "the reader to stop")
    assert snapshot(out) == before
    assert not (out.parent / files.STAGING_DIR_NAME).exists()


def test_ctrl_c_while_kernels_run_stops_workers_and_kernels(raw, previous, tmp_path):
    """Ctrl+C while the notebooks run: exit 130, every worker and kernel stopped, the previous
    reports untouched, nothing left in staging."""
    before = snapshot(previous)
    add_a_ledger(raw)
    proc = start(["report", "--period", "2020Q2", "--raw", str(raw), "--out", str(previous)], tmp_path)

    def kernels():
        return [p for p in _descendants(proc.pid) if b"ipykernel" in cmdline(p)]

    wait_for(kernels, what="a kernel")
    started = _descendants(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=90) == 130
    said = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert "已中断" in said and "Traceback" not in said.replace("KeyboardInterrupt", ""), said[-2000:]
    wait_for(lambda: not alive(started), 15, "workers and kernels to stop")
    assert snapshot(previous) == before
    assert not (previous.parent / files.STAGING_DIR_NAME).exists()


def test_ctrl_c_while_publishing_leaves_one_whole_set(raw, previous, tmp_path):
    """Ctrl+C while the new reports are being moved into place: the moves finish first (the set
    is whole, every file the one its manifest recorded, one data version), then it stops."""
    before = consistent(previous, "2020Q2")
    add_a_ledger(raw)
    env = slow_renames(tmp_path, previous / "2020Q2")
    proc = start(["report", "--period", "2020Q2", "--raw", str(raw), "--out", str(previous)], tmp_path, env)
    wait_for(lambda: (tmp_path / "renames.txt").exists(), 400, "publishing")
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=120) == 130
    after = consistent(previous, "2020Q2")
    moved = (tmp_path / "renames.txt").read_text().split()
    assert len(moved) == len({f for e in after["reports"].values() for f in e["documents"]})  # all of the set
    assert {e["data_version"] for e in after["reports"].values()} != {
        e.get("data_version") for e in before["reports"].values()
    }
    assert len({e["data_version"] for e in after["reports"].values()}) == 1  # one data version
    assert not any((previous.parent / files.STAGING_DIR_NAME).glob("*/journal.json"))


def test_sigterm_while_publishing_the_store_finishes_the_set(raw, tmp_path):
    """SIGTERM while the clean tables are being moved into place: exit 143 once the whole new
    set is in place (every table the one the new manifest lists); no journal left."""
    out = tmp_path / "processed"
    env = {**os.environ, "FUPIN_CACHE": str(tmp_path / "cache")}
    assert (
        subprocess.run([FUPIN, "ingest", "--raw", str(raw), "--out", str(out)], capture_output=True, env=env).returncode
        == 0
    )
    old = store.manifest(out)["data_version"]
    add_a_ledger(raw)
    proc = start(["ingest", "--raw", str(raw), "--out", str(out)], tmp_path, slow_renames(tmp_path, out, 0.2))
    wait_for(lambda: (tmp_path / "renames.txt").exists(), 120, "publishing")
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) == 143
    assert "已终止" in (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert store.manifest(out)["data_version"] != old
    store.verify(out)
    assert not files.staging_root(out).exists()


def test_killed_while_publishing_keeps_the_journal_and_recovers(raw, tmp_path):
    """SIGKILL in the middle of putting the clean tables in place: the journal survives, and
    recovery puts the whole previous set back."""
    out = tmp_path / "processed"
    env = {**os.environ, "FUPIN_CACHE": str(tmp_path / "cache")}
    assert (
        subprocess.run([FUPIN, "ingest", "--raw", str(raw), "--out", str(out)], capture_output=True, env=env).returncode
        == 0
    )
    before = snapshot(out)
    add_a_ledger(raw)
    proc = start(["ingest", "--raw", str(raw), "--out", str(out)], tmp_path, slow_renames(tmp_path, out))
    wait_for(
        lambda: len((tmp_path / "renames.txt").read_text().split()) >= 3
        if (tmp_path / "renames.txt").exists()
        else False,
        120,
        "publishing",
    )
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    root = files.staging_root(out)
    journals = list(root.glob("*/journal.json"))
    assert journals and json.loads(journals[0].read_text(encoding="utf-8"))["state"] == "moving"
    assert snapshot(out) != before  # half moved
    said = files.recover(root)
    assert said and "已恢复原有文件" in said[0]
    assert snapshot(out) == before
    store.verify(out)  # every table the one its manifest lists


def test_deferred_signals_run_after_the_block():
    """A signal during a critical block takes effect after it (the handler runs then, once)."""
    got = []
    saved = signal.signal(signal.SIGTERM, lambda n, f: got.append(("handler", n)))
    try:
        with files.deferred_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            got.append("block done")
        assert got == ["block done", ("handler", signal.SIGTERM)]
    finally:
        signal.signal(signal.SIGTERM, saved)


# --- a full disk ----------------------------------------------------------------------------


def _tmpfs_ok(tmp: Path) -> bool:
    mnt = tmp / "probe"
    mnt.mkdir()
    try:
        return (
            subprocess.run(
                [
                    "unshare",
                    "--user",
                    "--map-root-user",
                    "--mount",
                    "sh",
                    "-c",
                    f"mount -t tmpfs -o size=1m tmpfs {mnt}",
                ],
                capture_output=True,
                timeout=20,
            ).returncode
            == 0
        )
    except (OSError, subprocess.TimeoutExpired):
        return False


def test_full_disk_exits_4_and_keeps_the_whole_previous_period(raw, report_batch, tmp_path):
    """Reports on a small tmpfs left with 2 MB: no report fits, exit 4 with a Chinese message
    and no traceback, the previous 2020Q2 set unchanged (no period from two data versions)."""
    if not _tmpfs_ok(tmp_path):
        pytest.skip("no user namespace to mount a small tmpfs")
    add_a_ledger(raw)
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    script = textwrap.dedent(f"""
        set -u
        mount -t tmpfs -o size=32m tmpfs {mnt}
        cp -a {report_batch[0]} {mnt}/reports
        (cd {mnt} && find reports -type f ! -name {files.OUTPUT_MARKER} -exec sha256sum {{}} + | sort) > {tmp_path}/before.txt
        free=$(df --output=avail -B1 {mnt} | tail -1)
        dd if=/dev/zero of={mnt}/filler bs=1024 count=$(( (free - 2000000) / 1024 )) status=none
        FUPIN_CACHE={tmp_path}/cache {FUPIN} report --period 2020Q2 --raw {raw} --out {mnt}/reports \\
            > {tmp_path}/out.txt 2> {tmp_path}/err.txt
        echo $? > {tmp_path}/rc.txt
        (cd {mnt} && find reports -type f ! -name {files.OUTPUT_MARKER} -exec sha256sum {{}} + | sort) > {tmp_path}/after.txt
        ls -A {mnt}/.fupin-staging 2>/dev/null > {tmp_path}/staging.txt
    """)
    subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script], timeout=900)
    err = (tmp_path / "err.txt").read_text(encoding="utf-8")
    assert (tmp_path / "rc.txt").read_text().strip() == "4", err[-3000:]
    assert "磁盘空间不足" in err and "Traceback" not in err, err[-3000:]
    assert (tmp_path / "after.txt").read_text() == (tmp_path / "before.txt").read_text()
    assert (tmp_path / "staging.txt").read_text().strip() == ""


def test_full_disk_while_writing_the_store_keeps_the_previous_tables(raw, tmp_path, monkeypatch):
    """ENOSPC while the clean tables are written: OSError (the CLI's exit 4), the previous set
    in place and intact."""
    from fupin_lib.ingest import ingest_folder

    out = tmp_path / "processed"
    result = ingest_folder(raw)
    store.write(result, out, raw)
    before = snapshot(out)
    calls = {"n": 0}
    real = type(result.tables["funds"]).to_parquet

    def full(self, path, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 5:
            raise OSError(28, "No space left on device", str(path))
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(type(result.tables["funds"]), "to_parquet", full)
    with pytest.raises(OSError) as caught:
        store.write(result, out, raw)
    assert "磁盘空间不足" in files.describe_os_error(caught.value)
    assert snapshot(out) == before
    store.verify(out)


# --- a flipped byte -------------------------------------------------------------------------


def test_flipped_byte_in_the_store_is_rebuilt_and_said(raw, tmp_path):
    from fupin_lib.figures.funds import extra_funds_wan

    folder = tmp_path / "store"
    first = store.load_result(raw, folder)
    want = extra_funds_wan(first.tables["funds"], Q2)
    table = folder / "funds.parquet"
    data = bytearray(table.read_bytes())
    for at in (len(data) // 3, len(data) // 2):  # two places in the middle of the table's data
        flipped = bytearray(data)
        flipped[at] ^= 0x01
        table.write_bytes(bytes(flipped))
        again = store.load_result(raw, folder)
        assert extra_funds_wan(again.tables["funds"], Q2) == want
        [said] = [n for n in again.notices if "校验码不符" in n.message]
        assert "funds.parquet" in said.message and said.kind == "警告"
        assert sha(table) == store.manifest(folder)["sha256"]["funds.parquet"]  # rebuilt
    assert not [n for n in store.load_result(raw, folder).notices if "校验码不符" in n.message]  # said once


def test_damaged_published_files_are_remade_not_reused(sample_raw, previous, tmp_path):
    """A published file changed afterwards (a flipped byte in the workbook, a 0-byte PDF) is not
    沿用 on the next run: that report is made again; the others, untouched, are kept."""
    before = snapshot(previous)
    workbook, brief = previous / "2020Q2" / "进展情况表_2020Q2.xlsx", previous / "2020Q2" / "简报_2020Q2.pdf"
    data = bytearray(workbook.read_bytes())
    data[len(data) // 2] ^= 0x01
    workbook.write_bytes(bytes(data))
    brief.write_bytes(b"")
    lines = []
    run_reports(
        Q2,
        raw_dir=sample_raw,
        out_dir=previous,
        console=type("C", (), {"print": lambda self, *a, **k: lines.append(a[0])})(),
    )
    after = snapshot(previous)
    remade = {k for k in after if after[k] != before.get(k)}
    assert {"2020Q2/进展情况表_2020Q2.xlsx", "2020Q2/简报_2020Q2.pdf"} <= remade
    assert not {k for k in remade if "quarterly_report" in k or "assessment_score" in k}  # kept as they were
    text = "\n".join(lines)
    assert "进展情况表_2020Q2.xlsx 已损坏或被改动，已重新生成" in text and "简报_2020Q2.pdf" in text
    assert brief.stat().st_size > 10_000
    consistent(previous, "2020Q2")


# --- kernels --------------------------------------------------------------------------------


def test_kernel_starts_although_its_port_is_taken(tmp_path):
    """The report kernels talk over Unix sockets: a TCP port taken by another program (or by a
    kernel another worker started at the same moment) cannot stop them."""
    import asyncio

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    sockets = tmp_path / "k"
    sockets.mkdir()

    async def run() -> str:
        km = kernels.ipc_kernel_manager(sockets)(kernel_name=kernels.kernel_name())
        km.shell_port = port  # the number a TCP kernel would fail to bind
        await km.start_kernel()
        try:
            client = km.client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            reply = await client.execute_interactive("x = 6 * 7", user_expressions={"x": "x"}, timeout=60)
            client.stop_channels()
            return reply["content"]["user_expressions"]["x"]["data"]["text/plain"]
        finally:
            await km.shutdown_kernel(now=True)

    try:
        assert asyncio.run(run()) == "42"
        assert km_transport_is_ipc(sockets)
    finally:
        taken.close()


def km_transport_is_ipc(folder: Path) -> bool:
    return kernels.ipc_kernel_manager(folder)().transport == "ipc"


def test_a_kernel_lost_at_start_is_started_again():
    from papermill.exceptions import PapermillExecutionError

    assert kernels.died_at_start(RuntimeError("Kernel died before replying to kernel_info"))
    assert kernels.died_at_start(type("DeadKernelError", (RuntimeError,), {})("Kernel died"))
    assert not kernels.died_at_start(PapermillExecutionError(1, 1, "x", "ZeroDivisionError", "division by zero", []))
    assert not kernels.died_at_start(ValueError("a cell's own error"))
