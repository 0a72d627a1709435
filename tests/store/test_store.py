"""The store: the clean tables as the ingestion made them, reused while nothing they were made
from changes, made again when a ledger or the code changes, in one place per raw folder."""

import shutil

import pandas as pd

from fupin_lib import config, store
from fupin_lib.ingest import ingest_folder


def test_round_trip_is_exact(sample_raw, tmp_path):
    result = ingest_folder(sample_raw)
    store.write(result, tmp_path / "store", sample_raw)
    back = store.read(tmp_path / "store")
    assert set(back.tables) == set(result.tables) and len(back.tables) == 21
    for name, table in result.tables.items():
        pd.testing.assert_frame_equal(back.tables[name], table, check_dtype=True, obj=name)
    pd.testing.assert_frame_equal(back.rejections, result.rejections)
    assert back.sheets == result.sheets and back.notices == result.notices
    assert back.supplied == result.supplied


def test_reused_until_an_input_or_the_code_changes(sample_raw, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    first = store.load_result(raw, tmp_path / "store")
    calls = []
    monkeypatch.setattr(store, "ingest_folder", lambda d: calls.append(d) or ingest_folder(d))
    again = store.load_result(raw, tmp_path / "store")
    assert calls == [] and len(again.tables["beneficiaries"]) == len(first.tables["beneficiaries"])
    victim = raw / "各镇街_资金台账_2020.xlsx"
    victim.unlink()  # a ledger withdrawn: clean again
    changed = store.load_result(raw, tmp_path / "store")
    assert calls == [raw] and len(changed.tables["funds"]) < len(first.tables["funds"])
    monkeypatch.setattr(store, "code_version", lambda: "另一个版本")
    store.load_result(raw, tmp_path / "store")
    assert calls == [raw, raw]
    assert store.manifest(tmp_path / "store")["inputs"] == store.input_hashes(raw)


def test_one_store_per_raw_folder(tmp_path):
    assert store.location(config.RAW_DIR) == config.PROCESSED_DIR
    other = store.location(tmp_path / "raw")
    assert config.CACHE_DIR in other.parents and other != store.location(tmp_path / "raw2")


def test_a_second_run_waits_for_the_store_being_made(sample_raw, tmp_path):
    """While one run holds the store (checking or making it), a second `fupin metrics` on the
    same raw folder waits, then reads the store the first made instead of making its own."""
    import os
    import subprocess
    import sys
    from datetime import datetime
    from pathlib import Path

    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    cache = tmp_path / "cache"
    env = {**os.environ, "FUPIN_CACHE": str(cache)}
    fupin = [str(Path(sys.executable).parent / "fupin"), "metrics", "--period", "2020Q2", "--raw", str(raw), "--json"]
    code = (
        f"import sys, time; from fupin_lib import store; from pathlib import Path\n"
        f"with store._one_builder(store.location(Path({str(raw)!r}))):\n"
        f"    print('held', flush=True); time.sleep(8)\n"
        f"print(time.time(), flush=True)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    second = subprocess.run(fupin, env=env, capture_output=True, text=True, timeout=300)
    released = float(holder.stdout.readline())
    holder.wait(timeout=30)
    assert second.returncode == 0, second.stderr
    made = store.manifest(cache / "store" / store.location(raw).name)
    assert made["tables"] and made["inputs"]
    # made after the holder let go (the manifest's time is to the second), not beside it
    assert datetime.fromisoformat(made["made_at"]).timestamp() >= int(released)
