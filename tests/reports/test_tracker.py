"""The submission tracker (催报) and the departments' feedback workbooks, on a folder worked out
by hand against the 2020 plan's obligations (reference/plans/2020/obligations.csv)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import write_book
from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period
from fupin_lib.reports.tracker import feedback_workbooks, not_received, status

FUNDS = ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"]


@pytest.fixture
def raw(tmp_path):
    raw = tmp_path / "raw"
    write_book(
        raw / "2020Q1" / "区财政局_资金台账.xlsx",
        {"资金台账": [FUNDS, ["甲", "和田县", "区级财政", 100, "2020-02-01"]]},
    )
    write_book(
        raw / "2020Q2" / "区财政局_资金台账.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙", "和田县", "区级财政", 50, "2020-08-01"],
                ["丙", "和田县", "区级财政", 20, "2019-12-20"],
                ["丁", "和田县", "区级财政", -5, "2020-03-01"],
            ]
        },
    )
    write_book(
        raw / "区商务局_食堂采购台账.xlsx",
        {
            "食堂采购台账": [
                ["单位名称", "单位类型", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"],
                ["区委食堂", "预算单位食堂", 10, 3],
            ]
        },
    )
    return raw


def test_status(raw):
    table = status(ingest_folder(raw), parse_period("2020Q2")).set_index(["部门", "台账"])
    funds = table.loc[("区财政局", "资金台账")]
    assert (funds["应报"], funds["报送情况"], funds["轮次"]) == ("是", "已报送", "2020Q2")  # the latest round
    assert (funds["读取行数"], funds["接受"], funds["拒绝"]) == (4, 3, 1)  # the -5 row rejected
    assert (funds["年度之外（行）"], funds["期末之后（行）"]) == (1, 1)  # 2019-12-20; 2020-08-01
    canteen = table.loc[("区商务委", "食堂采购台账")]
    assert canteen["缺少必填列"] == "季度" and canteen["拒绝"] == 1
    assert table.loc[("区商务委", "消费扶贫台账"), "报送情况"] == "未报送"
    assert table.loc[("区委办", "会议台账"), "报送情况"] == "未报送"
    assert ("区委办", "会议台账") in set(map(tuple, not_received(table.reset_index())[["部门", "台账"]].to_numpy()))
    assert ("各镇街", "资金台账") in table.index and table.loc[("各镇街", "资金台账"), "报送情况"] == "未报送"


def test_status_lists_each_departments_ledgers_in_the_order_of_the_ledger_list(raw):
    """Several ledgers share an id (区人保局's labour sheets: 岗位推送, 招聘会, 就业人员 …); each
    department's rows follow reference/ledgers.yml, the same in every run (they followed a set's
    order, which changes with the process, so the same report came out different)."""
    from fupin_lib.ledgers import ledger_specs

    table = status(ingest_folder(raw), parse_period("2020Q2"))
    order = [spec.sheet for spec in ledger_specs().values()]
    labour = table.loc[table["部门"] == "区人保局", "台账"].tolist()
    assert len(labour) >= 4
    assert labour == sorted(labour, key=order.index)
    for _dept, rows in table.groupby("部门", sort=False):
        assert rows["台账"].tolist() == sorted(rows["台账"], key=order.index)


def test_feedback_workbook_lists_rejected_rows_with_cell_references(raw, tmp_path):
    out = tmp_path / "反馈"
    out.mkdir()
    paths = feedback_workbooks(ingest_folder(raw), parse_period("2020Q2"), out)
    finance = out / "区财政局_数据反馈_2020Q2.xlsx"
    assert finance in paths
    rows = list(openpyxl.load_workbook(finance)["被拒绝的行"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "工作表", "单元格", "行号", "列", "值", "原因")
    assert (
        rows[1][:6] == ("2020Q2/区财政局_资金台账.xlsx", "资金台账", "D5", 5, "金额（万元）", "-5")
        and "负数" in rows[1][6]
    )
    summary = list(openpyxl.load_workbook(finance)["报送情况"].iter_rows(values_only=True))
    assert summary[1][:3] == ("资金台账", "是", "已报送")


def test_status_command(raw, tmp_path):
    fupin = str(Path(sys.executable).parent / "fupin")
    run = subprocess.run(
        [fupin, "status", "--period", "2020Q2", "--raw", str(raw), "--feedback", str(tmp_path / "fb")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "区财政局" in run.stdout and "未报送" in run.stdout and "各部门反馈工作簿" in run.stdout
    assert (tmp_path / "fb" / "区财政局_数据反馈_2020Q2.xlsx").exists()
