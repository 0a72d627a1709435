"""Issue 18: outputs go only where they belong, names fit, the console shows what the data holds
without obeying it, periods are sane, the secret key is neither read nor hashed, JSON is strict.
Through the real commands; each refusal happens before any work, with exit 2 and a Chinese
message, and leaves what was there as it was."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fupin_lib import files, store

FUPIN = str(Path(sys.executable).parent / "fupin")
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def fupin(tmp: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FUPIN, *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "FUPIN_CACHE": str(tmp / "cache"), **(env or {})},
    )


@pytest.fixture
def raw(tmp_path) -> Path:
    target = tmp_path / "raw"
    shutil.copytree(CORPUS / "16_two_ledgers_one_workbook", target, ignore=shutil.ignore_patterns("case.yml"))
    return target


def refused(run: subprocess.CompletedProcess, words: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    assert words in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_out_refuses_root_system_folders_and_the_raw_folder(raw, tmp_path):
    before = set(os.listdir("/"))
    refused(
        fupin(tmp_path, "report", "--period", "2020Q2", "--raw", str(raw), "--out", "/"), "不能把输出写入系统目录“/”"
    )
    refused(fupin(tmp_path, "ingest", "--raw", str(raw), "--out", "/etc/fupin"), "系统目录")
    refused(fupin(tmp_path, "status", "--period", "2020Q2", "--raw", str(raw), "--feedback", "/usr"), "系统目录")
    refused(fupin(tmp_path, "templates", "/"), "系统目录")
    assert set(os.listdir("/")) == before and not Path("/etc/fupin").exists()
    refused(fupin(tmp_path, "ingest", "--raw", str(raw), "--out", str(raw / "清洗结果")), "在原始台账目录“")
    refused(fupin(tmp_path, "report", "--period", "2020Q2", "--raw", str(raw), "--out", str(raw)), "之内")
    assert not (raw / "清洗结果").exists() and not (raw / files.OUTPUT_MARKER).exists()


def test_out_refuses_a_folder_of_someone_elses_files(raw, tmp_path):
    mine = tmp_path / "我的网站"
    mine.mkdir()
    (mine / "index.html").write_text("<p>办公室自己的首页</p>", encoding="utf-8")
    refused(fupin(tmp_path, "report", "--period", "2020Q2", "--raw", str(raw), "--out", str(mine)), "不是空的")
    refused(fupin(tmp_path, "ingest", "--raw", str(raw), "--out", str(mine)), "也不是本程序生成的输出目录")
    assert sorted(os.listdir(mine)) == ["index.html"]
    assert (mine / "index.html").read_text(encoding="utf-8") == "<p>办公室自己的首页</p>"
    notes = tmp_path / "笔记.md"
    notes.write_text("我的笔记", encoding="utf-8")
    refused(fupin(tmp_path, "dictionary", "--out", str(notes)), "不是数据字典")
    assert notes.read_text(encoding="utf-8") == "我的笔记"


def test_a_folder_the_product_made_is_used_again_and_read_as_no_ledger(raw, tmp_path):
    """`fupin ingest --out` into a new folder marks it; the same command again is welcome; the
    marked folder, put among ledgers, is never read as one."""
    out = tmp_path / "清洗结果"
    for _ in range(2):
        run = fupin(tmp_path, "ingest", "--raw", str(raw), "--out", str(out))
        assert run.returncode == 0, run.stderr
    marker = (out / files.OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()
    assert "funds.parquet" in marker and "被拒绝行.xlsx" in marker
    shutil.copytree(out, raw / "旧的输出")
    run = fupin(tmp_path, "ingest", "--raw", str(raw), "--out", str(out))
    assert run.returncode == 0, run.stderr
    said = store.read(out).notices
    assert any(n.file == "旧的输出" and "本程序生成的输出文件夹" in n.message for n in said)
    assert not any(s.file.startswith("旧的输出/") for s in store.read(out).sheets)


def test_files_it_did_not_write_are_never_overwritten(tmp_path):
    out = files.claim_output_dir(tmp_path / "out")
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.pdf").write_text("新 a")
    files.publish([(work / "a.pdf", out / "a.pdf")], work)
    (out / "b.pdf").write_text("办公室的 b")  # put there by someone, not by the product
    for name in ("a.pdf", "b.pdf"):
        (work / name).write_text(f"更新 {name}")
    with pytest.raises(files.PublishError, match="不是本程序生成的文件"):
        files.publish([(work / "a.pdf", out / "a.pdf"), (work / "b.pdf", out / "b.pdf")], work)
    assert (out / "a.pdf").read_text() == "新 a" and (out / "b.pdf").read_text() == "办公室的 b"


def test_long_names_and_control_characters(tmp_path):
    """A 254-byte file name gives a department whose feedback workbook name is shortened with a
    hash (every department gets its workbook); ESC in a file name is shown, not obeyed."""
    raw = tmp_path / "raw"
    shutil.copytree(CORPUS / "65_awkward_file_names", raw, ignore=shutil.ignore_patterns("case.yml"))
    run = fupin(tmp_path, "status", "--period", "2020Q2", "--raw", str(raw), "--feedback", str(tmp_path / "反馈"))
    assert run.returncode == 0, run.stderr
    made = sorted(p.name for p in (tmp_path / "反馈").iterdir() if p.name != files.OUTPUT_MARKER)
    long = [n for n in made if n.startswith("区长长长")]
    assert len(long) == 1 and len(long[0].encode()) <= 255 and long[0].endswith(".xlsx"), long
    digest = hashlib.sha256(("区" + "长" * 75 + "局_数据反馈_2020Q2.xlsx").encode()).hexdigest()[:8]
    assert f"_{digest}.xlsx" in long[0]
    assert "区教委_数据反馈_2020Q2.xlsx" in made
    ingest = fupin(tmp_path, "ingest", "--raw", str(raw), "--out", str(tmp_path / "out"))
    assert "\x1b" not in ingest.stdout + ingest.stderr and "\\x1b[2K\\x1b[1A" in ingest.stderr


@pytest.mark.parametrize("command", [["metrics", "--json"], ["report"], ["status"]])
def test_absurd_periods_exit_2(command, raw, tmp_path):
    for period in ("9999Q1", "1900"):
        run = fupin(tmp_path, command[0], "--period", period, "--raw", str(raw), *command[1:])
        refused(run, "年份不合理")


def test_the_secret_key_is_neither_read_nor_hashed(raw, tmp_path):
    """A link in the raw folder to the project's key, and a key kept (wrongly) inside the raw
    folder: neither is read, and no manifest holds the SHA-256 of either."""
    key = tmp_path / "密钥.txt"
    inside = raw / "密钥.txt"
    env = {"FUPIN_SECRET": str(inside)}
    (raw / "区财政局_资金台账_链接.xlsx").symlink_to(key)
    key.write_text("00" * 32 + "\n", encoding="ascii")
    inside.write_text("11" * 32 + "\n", encoding="ascii")
    out = tmp_path / "out"
    run = fupin(tmp_path, "ingest", "--raw", str(raw), "--out", str(out), env=env)
    assert run.returncode == 0, run.stderr
    assert "区财政局_资金台账_链接.xlsx：快捷方式（链接）指向数据目录之外的文件" in run.stderr
    assert "密钥.txt：这是项目的密钥文件" in run.stderr
    manifest = (out / store.MANIFEST).read_text(encoding="utf-8")
    for secret in (key, inside):
        assert hashlib.sha256(secret.read_bytes()).hexdigest() not in manifest
    inputs = json.loads(manifest)["inputs"]
    assert inputs["区财政局_资金台账_链接.xlsx"].startswith("skipped:") and inputs["密钥.txt"].startswith("skipped:")


def test_json_is_strict_both_ways():
    doc = {"a": float("nan"), "b": [1.5, float("inf")], "c": {"d": -float("inf")}, "e": "未报送"}
    assert files.finite(doc, "待核") == {"a": "待核", "b": [1.5, "待核"], "c": {"d": "待核"}, "e": "未报送"}
    with pytest.raises(ValueError):
        files.dumps(doc)
    for text in ('{"x": NaN}', '{"x": Infinity}', "[-Infinity]"):
        with pytest.raises(ValueError):
            files.loads(text)
    assert files.loads(files.dumps(files.finite(doc))) == {"a": None, "b": [1.5, None], "c": {"d": None}, "e": "未报送"}
