"""A smoke test that keeps the benchmark code working (the benchmarks themselves are not tests)."""

from fupin_dev import bench


def test_quick_benchmark_writes_the_table(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path / "bench")
    text = bench.run(quick=True, out=tmp_path / "benchmarks.md")
    assert (tmp_path / "benchmarks.md").read_text(encoding="utf-8") == text
    for fragment in ("fupin 读取+校验+清洗 2,000 行", "openpyxl", "仅读取 20,000 行（下限）", "校验身份证号",
                     "季度批处理：1 个区 x 1 个季度", "目标 ≥ 5 倍", "目标 ≤ 3 倍"):
        assert fragment in text, fragment
