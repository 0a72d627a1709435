"""A period's figures from a later round say so; a year nobody sent ledgers for reads nothing,
never 0 (issue 17, items 5 and 7)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import write_book
from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period
from fupin_lib.reports import brief, notebook_api

FUPIN = Path(sys.executable).parent / "fupin"
HEAD = ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"]


def test_an_earlier_quarter_made_after_a_later_round_says_it_is_restated(tmp_path):
    raw = tmp_path / "raw"
    write_book(
        raw / "2020Q3" / "区财政局_资金台账_2020年第三季度.xlsx",
        {"资金台账": [HEAD, ["甲", "和田县", "区级财政", 100, "2020-08-01"]]},
    )
    # The Q4 round corrects the August row (120, not 100).
    write_book(
        raw / "2020Q4" / "区财政局_资金台账_2020年第四季度.xlsx",
        {
            "资金台账": [
                HEAD,
                ["甲", "和田县", "区级财政", 120, "2020-08-01"],
                ["乙", "和田县", "区级财政", 30, "2020-11-01"],
            ]
        },
    )
    result = ingest_folder(raw)
    q3 = notebook_api.PeriodData(parse_period("2020Q3"), "大兴区", raw, result, {})
    assert q3.metrics["extra_funds_wan"] == 120.0  # the corrected August row
    assert notebook_api.restated_note(q3).startswith("本期数字按2020年第四季度报送修订")
    assert "按2020年第四季度报送修订" in notebook_api.highlights(q3)
    assert notebook_api.title_block(q3, "季度报告").masthead["数据修订"] == "按2020年第四季度报送修订"
    assert brief.brief(q3).masthead["数据修订"] == "按2020年第四季度报送修订"
    q4 = notebook_api.PeriodData(parse_period("2020Q4"), "大兴区", raw, result, {})
    assert (
        notebook_api.restated_note(q4) is None and "数据修订" not in notebook_api.title_block(q4, "季度报告").masthead
    )


def test_a_year_without_ledgers_stops_with_a_chinese_message(sample_raw, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FUPIN_CACHE": str(tmp_path / "cache")}
    for args in (
        ("metrics", "--period", "2019Q2", "--json"),
        ("metrics", "--period", "2019Q2"),
        ("status", "--period", "2019Q2"),
        ("report", "--period", "2019Q2", "--out", str(tmp_path / "r")),
        ("score", "--peers", "x.csv", "--own-from-ledgers", "--period", "2019Q2"),
    ):
        run = subprocess.run([str(FUPIN), *args, "--raw", str(sample_raw)], capture_output=True, text=True, env=env)
        assert run.returncode == 2, (args, run.stderr)
        assert "没有2019年的台账" in run.stderr and "不是 0" in run.stderr and "Traceback" not in run.stderr
        assert run.stdout == ""  # no figure at all, not zeros
    assert not (tmp_path / "r").exists()
