"""Units in their own column, and no data row taken for a header (issue 17, item 1).

A funds ledger as an office keeps it: 金额 with a 金额单位 column that reads 万元 on most rows and
元 on one. The figures below are worked out by hand from the rows written here."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_book
from fupin_lib.ingest import ingest_folder

HEAD = ["项目名称", "结对地区", "资金来源", "金额", "金额单位", "拨付日期"]
ROWS = [
    ["甲", "和田县", "区级财政", 2000, "万元", "2020-03-01"],  # the first data row: its unit cell reads like a header's
    ["乙", "和田县", "区级财政", 1_250_000, "元", "2020-03-02"],  # 125 万元, not 1,250,000 万元
    ["丙", "和田县", "区级财政", 100, "万元", "2020-03-03"],
    ["丁", "和田县", "区级财政", 50, None, "2020-03-04"],  # no unit stated: the header's (万元)
]


def funds_book(book, head=HEAD, rows=ROWS):
    return book("区财政局_资金台账_2020.xlsx", {"资金台账": [head, *rows]})


def test_the_unit_column_is_honoured_and_the_first_row_is_data(book):
    result = ingest_folder(funds_book(book))
    funds = result.tables["funds"].sort_values("_row")
    assert funds["_row"].tolist() == [2, 3, 4, 5]  # row 2 is data, not a second header row
    assert [s.header_rows for s in result.sheets] == ["第1行"]
    assert funds["amount_wan"].tolist() == [2000.0, 125.0, 100.0, 50.0]
    assert sum(funds["amount_wan"]) == 2275.0  # 2000 + 125 + 100 + 50
    [sheet] = [s for s in result.sheets if s.ledger == "funds"]
    assert (sheet.read, sheet.accepted, sheet.rejected) == (4, 4, 0)


def test_a_header_stating_one_unit_and_the_unit_column_another_rejects_the_row(book):
    head = ["项目名称", "结对地区", "资金来源", "金额（万元）", "金额单位", "拨付日期"]
    result = ingest_folder(funds_book(book, head))
    funds = result.tables["funds"]
    assert sorted(funds["amount_wan"].tolist()) == [50.0, 100.0, 2000.0]  # the 元 row is not counted
    [reason] = result.rejections.loc[result.rejections["行号"] == 3, "原因"].tolist()
    assert reason == "金额单位不一致：表头“金额（万元）”写明“万元”，本行“金额单位”列为“元”，请核对"
    [sheet] = [s for s in result.sheets if s.ledger == "funds"]
    assert sheet.read == sheet.accepted + sheet.rejected == 4


def test_a_value_naming_its_unit_against_the_unit_column_is_rejected(book):
    rows = [
        ["甲", "和田县", "区级财政", "12万", "元", "2020-03-01"],
        ["乙", "和田县", "区级财政", "3,400元", "元", "2020-03-02"],
    ]  # agrees: 0.34 万元
    result = ingest_folder(funds_book(book, rows=rows))
    assert result.tables["funds"]["amount_wan"].tolist() == [0.34]
    [reason] = result.rejections["原因"].tolist()
    assert reason == "金额单位不一致：单元格写明“万元”，本行“金额单位”列为“元”，请核对"


def test_an_unknown_unit_in_the_unit_column_is_refused(book):
    rows = [["甲", "和田县", "区级财政", 100, "美元", "2020-03-01"]]
    result = ingest_folder(funds_book(book, rows=rows))
    assert result.tables["funds"].empty
    assert result.rejections["原因"].str.startswith("“金额单位”列的单位“美元”无法识别").all()


def test_a_real_two_row_header_is_still_read_and_said(book):
    rows = [
        ["项目名称", "结对地区", "资金来源", "金额", "拨付日期"],
        [None, None, None, "（元）", None],
        ["甲", "和田县", "区级财政", 20_000, "2020-03-01"],
    ]
    result = ingest_folder(book("区财政局_资金台账_2020.xlsx", {"资金台账": rows}))
    assert result.tables["funds"]["amount_wan"].tolist() == [2.0]
    [sheet] = [s for s in result.sheets if s.ledger == "funds"]
    assert sheet.header_rows == "第1行、第2行" and (sheet.read, sheet.accepted) == (1, 1)
    assert result.sheet_table()["表头行"].tolist() == ["第1行、第2行"]


def test_from_the_command_line(book, tmp_path):
    """fupin metrics on the folder: 2,275.00 万元 (not 1,254,350), and the resend summary counts rows right."""
    raw = funds_book(book)
    fupin = Path(sys.executable).parent / "fupin"
    run = subprocess.run(
        [str(fupin), "metrics", "--period", "2020Q1", "--raw", str(raw), "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"FUPIN_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["metrics"]["extra_funds_wan"] == pytest.approx(2275.0)


def test_a_resend_that_deletes_three_rows_says_three(book):
    """The department deletes 丙 and 丁 … of four rows, three go: the summary says 删除 3 行."""
    first = funds_book(book)
    write_book(first / "2020Q2" / "区财政局_资金台账_2020年第二季度.xlsx", {"资金台账": [HEAD, ROWS[0]]})
    result = ingest_folder(first)
    said = [n.message for n in result.notices if "按2020年第二季度报送计" in n.message]
    assert said and said[0].endswith("新增 0 行、修改 0 行、删除 3 行")
    assert result.tables["funds"]["amount_wan"].tolist() == [2000.0]
