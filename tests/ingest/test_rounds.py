"""Submission rounds and row identity: departments resend their cumulative ledgers, corrected,
each quarter; some do not resend; some send increments. Figures worked out by hand."""

from __future__ import annotations

import os
import shutil
import time

import pytest

from conftest import write_book
from fupin_lib.figures import consumption, funds
from fupin_lib.ingest import ingest_folder
from fupin_lib import ledgers
from fupin_lib.ingest import schemas
from fupin_lib.periods import parse_period

FUNDS = ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"]
CANTEEN = ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"]
YEAR = parse_period("2020")


def total(result) -> float:
    return funds.extra_funds_wan(result.tables["funds"], YEAR)


def said(result, text: str) -> list[str]:
    return [n.message for n in result.notices if text in n.message]


def test_the_latest_round_replaces_the_earlier_and_says_what_changed(tmp_path):
    raw = tmp_path / "raw"
    write_book(
        raw / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲项目", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙项目", "和田县", "区级财政", 200, "2020-03-01"],
                ["丙项目", "和田县", "区级财政", 70, "2020-03-05"],
            ]
        },
    )
    write_book(
        raw / "2020年第二季度" / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲项目", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙项目", "和田县", "区级财政", 250, "2020-03-01"],
                ["丁项目", "和田县", "区级财政", 50, "2020-05-01"],
            ]
        },
    )
    # A department that did not resend keeps its last round.
    write_book(
        raw / "各镇街_资金台账_2020.xlsx", {"资金台账": [FUNDS, ["戊项目", "224团", "街道乡镇", 30, "2020-03-01"]]}
    )
    result = ingest_folder(raw)
    assert total(result) == 100 + 250 + 50 + 30  # not 100 + 200 + 70 + 100 + 250 + 50 + 30
    [message] = said(result, "区财政局的资金台账按2020年第二季度报送计")
    assert "取代未标期次报送的 3 行" in message and "新增 1 行、修改 1 行、删除 1 行" in message
    status = {(s.file, s.status) for s in result.sheets}
    assert ("区财政局_资金台账_2020.xlsx", "已被2020年第二季度报送取代") in status
    assert ("各镇街_资金台账_2020.xlsx", "计入") in status
    assert result.summary().set_index("表").loc["funds", "读取行数"] == 4  # the rows that count
    assert {s.round for s in result.sheets} == {"", "2020Q2"}


def test_a_corrected_resend_beside_the_old_file(tmp_path):
    """The office drops the corrected file next to the old one, same round: counted once."""
    raw = tmp_path / "raw"
    old = write_book(
        raw / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲项目", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙项目", "和田县", "区级财政", 200, "2020-03-01"],
            ]
        },
    )
    new = write_book(
        raw / "区财政局_资金台账_2020（更正）.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲项目", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙项目", "和田县", "区级财政", 210, "2020-03-01"],
            ]
        },
    )
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    os.utime(new, (time.time(), time.time()))
    result = ingest_folder(raw)
    assert total(result) == 310
    assert said(result, "同一轮次报送了两份资金台账，按较新的 区财政局_资金台账_2020（更正）.xlsx 计")


def test_parts_of_one_ledger_in_two_files_both_count(tmp_path):
    raw = tmp_path / "raw"
    write_book(
        raw / "区财政局_资金台账_和田县.xlsx",
        {"资金台账": [FUNDS, ["甲项目", "和田县", "区级财政", 100, "2020-02-01"]]},
    )
    write_book(
        raw / "区财政局_资金台账_224团.xlsx", {"资金台账": [FUNDS, ["乙项目", "224团", "区级财政", 40, "2020-02-01"]]}
    )
    assert total(ingest_folder(raw)) == 140


@pytest.fixture
def incremental_funds(tmp_path, monkeypatch):
    """The reference data of an office that collects the funds ledger as increments."""
    ref = tmp_path / "reference"
    shutil.copytree(ledgers.REFERENCE_DIR, ref)
    text = (ref / "ledgers.yml").read_text(encoding="utf-8")
    text = text.replace("    key: funds\n", "    key: funds\n    resend: incremental\n")
    (ref / "ledgers.yml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(ledgers, "REFERENCE_DIR", ref)
    ledgers.ledger_specs.cache_clear()
    schemas.schema.cache_clear()
    yield
    ledgers.ledger_specs.cache_clear()
    schemas.schema.cache_clear()


def test_incremental_rounds_add_up_and_a_later_row_corrects_an_earlier(tmp_path, incremental_funds):
    assert ledgers.ledger_specs()["funds"].resend == "incremental"
    raw = tmp_path / "raw"
    write_book(
        raw / "2020Q1" / "区财政局_资金台账_2020Q1.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲项目", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙项目", "和田县", "区级财政", 200, "2020-03-01"],
            ]
        },
    )
    write_book(
        raw / "2020Q2" / "区财政局_资金台账_2020Q2.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["丙项目", "和田县", "区级财政", 50, "2020-05-01"],
                ["乙项目", "和田县", "区级财政", 250, "2020-03-01"],
            ]
        },
    )
    result = ingest_folder(raw)
    assert total(result) == 100 + 250 + 50
    reasons = result.rejections["原因"].tolist()
    assert len(reasons) == 1 and reasons[0].startswith(
        "已被 2020Q2/区财政局_资金台账_2020Q2.xlsx / 资金台账 / 第3行更正"
    )
    assert all(s.used for s in result.sheets)


def test_a_restated_canteen_quarter_replaces_the_first_statement(tmp_path):
    raw = tmp_path / "raw"
    write_book(
        raw / "区商务局_食堂采购台账_2020.xlsx",
        {
            "食堂采购台账": [
                CANTEEN,
                ["区委食堂", "预算单位食堂", "2020Q1", 10, 3],
                ["区委食堂", "预算单位食堂", "2020年第一季度", 10, 4],
            ]
        },
    )
    result = ingest_folder(raw)
    ratios = consumption.canteen_ratios(result.tables["canteen"], parse_period("2020Q1"))
    assert ratios.set_index("unit").loc["区委食堂", "ratio"] == pytest.approx(0.4)  # not 7 / 20
    assert said(result, "区委食堂、2020Q1 填报了 2 次")
    sheet = result.sheets[0]
    assert (sheet.read, sheet.accepted, sheet.rejected) == (2, 1, 1)


def test_a_year_summary_sheet_beside_the_quarters_is_not_added(tmp_path):
    raw = tmp_path / "raw"
    q1 = [CANTEEN, ["区委食堂", "预算单位食堂", "2020Q1", 10, 3]]
    q2 = [CANTEEN, ["区委食堂", "预算单位食堂", "2020Q2", 20, 5]]
    year = [CANTEEN, ["区委食堂", "预算单位食堂", "2020Q1", 10, 3], ["区委食堂", "预算单位食堂", "2020Q2", 20, 5]]
    write_book(raw / "区商务局_食堂采购台账_2020.xlsx", {"一季度": q1, "二季度": q2, "全年汇总": year})
    result = ingest_folder(raw)
    overall = consumption.canteen_overall(result.tables["canteen"], parse_period("2020Q2"))
    assert overall["overall_ratio"] == pytest.approx(8 / 30)
    assert said(result, "汇总工作表与同一工作簿中的分期工作表（一季度、二季度）内容重复，未计入（2行）")


def test_two_identical_purchases_with_their_own_serial_numbers_both_count(tmp_path):
    raw = tmp_path / "raw"
    head = ["序号", "日期", "采购单位", "单位类型", "渠道", "产品名称", "产地", "金额（万元）"]
    row = ["2020-04-02", "区委食堂", "预算单位食堂", "京东", "小米", "察右前旗", 1.5]
    write_book(raw / "区商务局_消费扶贫台账_2020.xlsx", {"消费扶贫台账": [head, [1, *row], [2, *row], [2, *row]]})
    result = ingest_folder(raw)
    assert consumption.product_sales_wan(result.tables["consumption"], YEAR) == 3.0  # 1 and 2; the second 2 is a repeat
    assert result.rejections["原因"].str.contains("完全相同").sum() == 1
