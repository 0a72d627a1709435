"""The ingestion cache: reused while nothing changes, rebuilt when a ledger or the code changes."""

import shutil

from fupin_lib import cache
from fupin_lib.ingest import ingest_folder


def test_reused_until_an_input_changes(sample_raw, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw)
    first = cache.ingest_cached(raw, tmp_path / "cache")
    calls = []
    monkeypatch.setattr(cache, "ingest_folder", lambda d: calls.append(d) or ingest_folder(d))
    again = cache.ingest_cached(raw, tmp_path / "cache")
    assert calls == [] and len(again.tables["beneficiaries"]) == len(first.tables["beneficiaries"])
    victim = sorted(raw.glob("*资金台账*.xlsx"))[0]
    victim.unlink()                                   # a ledger withdrawn: clean again
    changed = cache.ingest_cached(raw, tmp_path / "cache")
    assert calls == [raw] and len(changed.tables["funds"]) < len(first.tables["funds"])


def test_code_change_changes_the_key(sample_raw, monkeypatch):
    key = cache.cache_key(sample_raw)
    monkeypatch.setattr(cache, "code_version", lambda: "другой")
    assert cache.cache_key(sample_raw) != key
