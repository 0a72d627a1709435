"""`fupin metrics --json` on a hand-made raw folder of the six ledgers; the expected values
are worked out by hand from ledgers.md for 2020Q2 (YTD 2020-01-01..2020-06-30)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fupin_lib.cli import app
from fupin_lib.ingest.idcard import check_digit

P = [f"{s}{check_digit(s)}" for s in ("65322119700101001", "65322119700101002", "15092619800101003")]


@pytest.fixture
def raw(book):
    book(
        "组织部_挂职干部.xlsx",
        {
            "挂职干部台账": [
                ["2020年挂职干部台账（示例数据）"],
                [
                    "姓名",
                    "人员类别",
                    "专业领域",
                    "派出单位",
                    "结对地区",
                    "开始日期",
                    "结束日期",
                    "是否自主选派",
                    "是否脱贫攻坚岗位",
                ],
                ["甲", "党政干部", None, "区委办", "和田县", "2019-07-01", "2021-06-30", "是", "是"],
                ["乙", "党政干部", None, "区政府办", "察右前旗", "2020-04-01", "2021-03-31", "否", "否"],
                ["丙", "专业技术人才", "医疗", "区医院", "和田县", "2020-03-01", "2020-05-29", "是", "是"],  # 90 d
                ["丁", "专业技术人才", "教育", "区一中", "224团", "2020-02-01", "2020-08-31", "是", "是"],  # 213 d
                ["戊", "专业技术人才", "教育", "区一中", "224团", "2020-05-01", "2020-05-10", "是", "是"],  # 10 d
            ]
        },
    )
    book(
        "财政局_资金.xlsx",
        {
            "资金台账": [
                ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"],
                ["A", "和田县", "区级财政", 6000, "2020-01-20"],
                ["B", "察右前旗", "区直部门", "1,600", "2020年3月1日"],
                ["C", "察右前旗", "社会捐赠", 50, "2020-03-01"],
                ["D", "和田县", "区级财政", 400, "2020-09-01"],
                ["合计", None, None, 8050, None],
            ]
        },
    )
    book(
        "协作办_受益.xlsx",
        {
            "贫困人口受益台账": [
                ["身份证号", "结对地区", "受益途径", "受益日期", "是否脱贫", "脱贫日期"],
                [P[0], "和田县", "产业合作", "2020-02-01", "是", "2020-06-01"],
                [P[0], "和田县", "资金项目", "2020-03-01", "是", "2020-06-01"],
                [P[1], "和田县", "劳务协作", "2020-05-01", "否", None],
                [P[2], "察右前旗", "产业合作", "2020-06-15", "否", None],
                [P[2][:-1] + ("0" if P[2][-1] != "0" else "1"), "察右前旗", "资金项目", "2020-06-15", "否", None],
            ],
            "贫困人口基数": [
                ["结对地区", "年度", "年初建档立卡贫困人口数"],
                ["和田县", 2020, 9000],
                ["察右前旗", 2020, 3000],
            ],
        },
    )
    book(
        "商务局_消费.xlsx",
        {
            "消费扶贫台账": [
                ["日期", "采购单位", "单位类型", "渠道", "产地", "金额（万元）"],
                ["2020-01-05", "区委食堂", "预算单位食堂", "京东", "和田县", 10],
                ["2020-06-30", "某超市", "商超", "兴扶购", "正镶白旗", 5.5],
                ["2020-07-01", "某超市", "商超", "兴扶购", "正镶白旗", 100],
            ]
        },
    )
    return book(
        "商务局_食堂.xlsx",
        {
            "食堂采购台账": [
                ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"],
                ["区委食堂", "预算单位食堂", "2020Q1", 20, 8],
                ["区委食堂", "预算单位食堂", "2020Q2", 20, 4],
                ["区总工会", "工会", "2020Q2", 10, 2],
            ]
        },
    )


def test_metrics_json(raw):
    result = CliRunner().invoke(app, ["metrics", "--raw", str(raw), "--period", "2020Q2", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["district"] == "大兴区" and doc["period"] == "2020Q2"
    assert doc["window"] == ["2020-01-01", "2020-06-30"]
    computed = {k: v for k, v in doc["metrics"].items() if v != "未报送"}
    assert computed == {
        "party_cadres_self_selected": 1,  # 甲
        "cadres_off_poverty_posts": 1,  # 乙
        "professionals_1_6m": 1,  # 丙 (戊 is a 10-day exchange)
        "professionals_6_12m": 1,  # 丁
        "professionals_12m_plus": 0,
        "extra_funds_wan": 7600.0,  # 6000 + 1600; the donation and the September payment excluded
        "people_benefited": 3,  # P0 once, P1, P2; the bad ID rejected
        "people_exited": 1,  # P0
        "industry_people_benefited": 2,  # P0, P2
        "industry_people_exited": 1,  # P0
        "registered_poor_start": 12000,
        "product_sales_wan": 15.5,
        "donations_wan": 50.0,  # the funds ledger's 社会捐赠 row (seed 指标4)
    }
    assert doc["cadres_by_county"]["和田县"] == {"党政干部": 1, "专业技术人才": 1}
    assert doc["cadres_by_county"]["224团"] == {"党政干部": 0, "专业技术人才": 1}
    assert doc["cadres_by_county"]["察右前旗"] == {"党政干部": 1, "专业技术人才": 0}
    assert doc["canteen"]["overall_ratio"] == pytest.approx(14 / 50)  # (8+4+2) / (20+20+10)
    assert doc["canteen"]["units_below_target"] == ["区总工会"]  # 区委食堂 is at 12/40 = 30%
    # Not sent is not zero: every figure of a ledger nobody handed in reads 未报送, never 0.
    not_sent = {k for k, v in doc["metrics"].items() if v == "未报送"}
    assert {
        "leadership_meetings",
        "counties_visited",
        "enterprises_invested",
        "poor_employed",
        "has_leading_body",
        "towns_paired",
        "donations_wan",
    } - {"donations_wan"} <= not_sent
    assert "donations_wan" not in not_sent  # the funds ledger gives it (社会捐赠)
    assert len(computed) + len(not_sent) == 77  # every metric key but `district`, one way or the other
    assert (
        doc["not_sent"] == sorted(set(doc["not_sent"]))
        and "meetings" in doc["not_sent"]
        and "funds" not in doc["not_sent"]
    )


def test_nothing_sent_reads_not_sent_everywhere(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    result = CliRunner().invoke(app, ["metrics", "--raw", str(raw), "--period", "2020Q2", "--json"])
    doc = json.loads(result.stdout)
    assert set(doc["metrics"].values()) == {"未报送"} and len(doc["metrics"]) == 77
    assert doc["cadres_by_county"] == "未报送"
    assert doc["canteen"] == {"overall_ratio": "未报送", "target": 0.3, "units_below_target": "未报送"}


def test_bad_period_is_a_clear_error_without_traceback(raw):
    fupin = Path(sys.executable).parent / "fupin"
    proc = subprocess.run(
        [str(fupin), "metrics", "--raw", str(raw), "--period", "2020Q5"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "无法识别的期间“2020Q5”" in proc.stderr and "Traceback" not in proc.stderr


def test_missing_raw_folder(tmp_path):
    fupin = Path(sys.executable).parent / "fupin"
    proc = subprocess.run([str(fupin), "ingest", "--raw", str(tmp_path / "无此目录")], capture_output=True, text=True)
    assert proc.returncode == 2 and "原始台账目录不存在" in proc.stderr and "Traceback" not in proc.stderr
