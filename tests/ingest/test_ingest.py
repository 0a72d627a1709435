"""Ingestion of workbooks as departments send them: recognition, headers, 合计 rows, units,
and the accounting rule read = accepted + rejected for every sheet."""

import datetime

import pandas as pd
import pytest

from fupin_lib.store import write as save_result
from fupin_lib.ingest.idcard import check_digit
from fupin_lib.ingest import ingest_folder


def valid_id(first17: str) -> str:
    return first17 + check_digit(first17)


BEN_HEADERS = ["姓名", "身份证号", "结对地区", "乡镇", "村", "受益途径", "受益日期", "是否脱贫", "脱贫日期"]


def test_beneficiaries_sheet(book):
    good = valid_id("15092619800101001")
    raw = book(
        "区经济协作办_受益.xlsx",
        {
            "贫困人口受益台账": [
                ["2020年贫困人口受益台账（示例数据）"],
                [],
                BEN_HEADERS,
                ["张三", good, "察哈尔右翼前旗", "平地泉镇", "一村", "产业合作", "2020/3/5", "是", "2020年6月1日"],
                ["李四", "150926198001010011", "察右前旗", "平地泉镇", "一村", "产业合作", 43895, "否", None],
                ["王五", good, "某某县", "伊克淖苏木", "二村", "资金项目", datetime.datetime(2020, 4, 1), "否", None],
                [None] * 9,
                ["赵六", good.lower(), "乌兰察布市察右前旗", "玫瑰营镇", "三村", "资金项目", "2020.4.2", "否", None],
                ["合计", None, None],
            ]
        },
    )
    result = ingest_folder(raw)
    summary = result.summary().set_index("表").loc["beneficiaries"]
    assert (summary["读取行数"], summary["接受"], summary["拒绝"], summary["排除合计行"]) == (4, 2, 2, 1)
    rej = result.rejections
    assert set(rej["行号"]) == {5, 6}  # Excel row numbers of the bad rows
    bad_id = rej[rej["行号"] == 5].iloc[0]
    assert bad_id["列"] == "身份证号" and bad_id["原因"] == "身份证号校验位错误"
    assert bad_id["值"] == "150926********0011"  # personal data masked in messages
    assert "未知的结对地区“某某县”" in rej[rej["行号"] == 6]["原因"].iloc[0]
    clean = result.tables["beneficiaries"]
    assert clean["area"].tolist() == ["察右前旗", "察右前旗"]
    assert clean["benefit_date"].tolist() == [pd.Timestamp("2020-03-05"), pd.Timestamp("2020-04-02")]
    assert clean["_row"].tolist() == [4, 8]
    assert any("第9行" in str(n) and "合计" in n.message for n in result.notices)


def test_yuan_header_converted_and_total_row_excluded(book):
    raw = book(
        "各镇街_资金.xlsx",
        {
            "资金台账": [
                ["项目名称", "结对地区", "资金来源", "金额（元）", "拨付日期", "是否深度贫困地区", "项目状态"],
                ["甲项目", "和田县", "街道乡镇", 500000, "2020-02-01", "是", "在建"],
                ["乙项目", "第十四师224团", "街道乡镇", "3,400元", "2020-02-03", "否", "已完工"],
                ["丙项目", "和田县", "街道乡镇", "12万", "2020-02-04", "否", "已完工"],
                ["丁项目", "和田县", "街道乡镇", -100, "2020-02-05", "否", "已完工"],
                ["合 计", None, None, 500000, None, None, None],
            ]
        },
    )
    result = ingest_folder(raw)
    funds = result.tables["funds"]
    assert funds["amount_wan"].tolist() == pytest.approx([50.0, 0.34, 12.0])
    assert funds["area"].tolist() == ["和田县", "224团", "和田县"]
    assert result.rejections["原因"].tolist() == ["金额为负数（-100）"]
    s = result.sheets[0]
    assert (s.read, s.accepted, s.rejected, s.totals_excluded) == (4, 3, 1, 1)


def test_sheet_recognised_by_headers_and_split_over_sheets(book):
    headers = ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"]
    raw = book(
        "区商务局_食堂.xlsx",
        {
            "一季度": [headers, ["甲食堂", "预算单位食堂", "2020年第一季度", 10, 3]],
            "二季度": [["（示例数据）"], headers, ["甲食堂", "预算单位食堂", "2020Q2", 10, 11]],
            "说明": [["本表为示例"], ["无"]],
        },
    )
    result = ingest_folder(raw)
    assert [s.sheet for s in result.sheets] == ["一季度", "二季度"]
    assert result.tables["canteen"]["quarter"].tolist() == ["2020Q1"]
    assert result.rejections["原因"].tolist() == ["其中扶贫产品采购额大于食材采购总额"]
    assert any(n.sheet == "说明" and "未能识别" in n.message for n in result.notices)


def test_missing_required_column_rejects_every_row(book):
    raw = book("缺列.xlsx", {"贫困人口基数": [["结对地区", "年初建档立卡贫困人口数"], ["和田县", 100], ["224团", 10]]})
    result = ingest_folder(raw)
    assert result.sheets[0].rejected == 2 and result.sheets[0].accepted == 0
    assert set(result.rejections["原因"]) == {"工作表缺少必填列：年度"}


def test_cadre_end_before_start_and_required(book):
    headers = ["姓名", "人员类别", "派出单位", "结对地区", "开始日期", "结束日期", "是否自主选派", "是否脱贫攻坚岗位"]
    raw = book(
        "组织部.xlsx",
        {
            "挂职干部台账": [
                headers,
                ["甲", "党政干部", "区委办", "和田县", "2020-03-01", "2020-01-01", "是", "是"],
                ["乙", "党政干部", "区委办", "和田县", None, None, "是", "是"],
                ["丙", "专技", "区医院", "和田县", "2020-03-01", None, "是", "是"],
            ]
        },
    )
    rej = ingest_folder(raw).rejections.set_index("行号")
    assert rej.loc[2, "原因"] == "结束日期早于开始日期"
    assert rej.loc[3, "原因"] == "必填项“开始日期”为空"
    assert "不是可选值" in rej.loc[4, "原因"]


def test_files_passed_over_are_said(book, tmp_path):
    raw = book("正常.xlsx", {"贫困人口基数": [["结对地区", "年度", "年初建档立卡贫困人口数"], ["和田县", 2020, 100]]})
    (raw / "~$正常.xlsx").write_bytes(b"lock")
    (raw / "说明.txt").write_text("x", encoding="utf-8")
    (raw / "坏文件.xlsx").write_bytes(b"not a zip")
    (raw / "空.xlsx").write_bytes(b"")
    result = ingest_folder(raw)
    said = {n.file: n.message for n in result.notices}
    assert "锁定文件" in said["~$正常.xlsx"]
    assert "不是台账文件格式" in said["说明.txt"]
    assert "不是Excel格式" in said["坏文件.xlsx"]
    assert "0字节" in said["空.xlsx"]
    assert result.tables["poor_base"]["registered_poor_start"].tolist() == [100]


def test_csv_in_gbk(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = "结对地区,年度,年初建档立卡贫困人口数\n正镶白旗,2020年,1200\n"
    (raw / "基数.csv").write_bytes(text.encode("gbk"))
    result = ingest_folder(raw)
    assert result.tables["poor_base"]["registered_poor_start"].tolist() == [1200]
    assert result.tables["poor_base"]["year"].tolist() == [2020]


def test_outputs_written(book, tmp_path):
    raw = book(
        "组织部.xlsx",
        {"贫困人口基数": [["结对地区", "年度", "年初建档立卡贫困人口数"], ["和田县", 2020, 100], ["某县", 2020, 5]]},
    )
    out = tmp_path / "processed"
    paths = save_result(ingest_folder(raw), out)
    assert (out / "poor_base.parquet") in paths
    assert pd.read_parquet(out / "poor_base.parquet")["area"].tolist() == ["和田县"]
    rej = pd.read_excel(out / "被拒绝行.xlsx", sheet_name="被拒绝行")
    assert rej[["文件", "工作表", "行号", "列", "值"]].iloc[0].tolist() == [
        "组织部.xlsx",
        "贫困人口基数",
        3,
        "结对地区",
        "某县",
    ]


def test_amount_merged_over_rows_is_counted_once(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "资金台账"
    ws.append(["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"])
    ws.append(["甲项目一期", "和田县", "区级财政", 300, "2020-02-01"])
    ws.append(["甲项目二期", "和田县", "区级财政", None, "2020-02-01"])
    ws.merge_cells("D2:D3")  # 300 万元 for both phases together
    ws.append(["察右前旗小计", None, None, 300, None])  # a labelled subtotal
    raw = tmp_path / "raw"
    raw.mkdir()
    wb.save(raw / "财政局_资金.xlsx")
    result = ingest_folder(raw)
    funds = result.tables["funds"]
    assert funds["amount_wan"].tolist() == [300.0, 0.0] and funds["amount_wan"].sum() == 300.0
    assert any("只计入合并区域的第一行" in n.message for n in result.notices)
    assert result.sheets[0].totals_excluded == 1


def test_rule_needing_an_absent_column_rejects_the_rows(book):
    raw = book(
        "协作办_会议.xlsx",
        {
            "会议台账": [
                ["日期", "会议名称", "会议类型"],
                ["2020-04-08", "联席会", "高层联席会"],  # needs 结对地区, and the sheet has no such column
                ["2020-02-20", "常委会", "区委常委会"],
            ]
        },
    )
    result = ingest_folder(raw)
    s = result.sheets[0]
    assert (s.read, s.accepted, s.rejected) == (2, 1, 1)
    assert result.rejections.iloc[0]["原因"] == "高层联席会和部门对接必须填写结对地区（工作表没有“结对地区”列）"


def test_a_base_figure_stated_twice_is_said(book):
    raw = book(
        "协作办_基数.xlsx",
        {
            "贫困人口基数": [
                ["结对地区", "年度", "年初建档立卡贫困人口数"],
                ["和田县", 2020, 9000],
                ["和田县", 2020, 9100],
            ]
        },
    )
    result = ingest_folder(raw)
    said = [n for n in result.notices if "填报了 2 次" in n.message]
    assert len(said) == 1 and said[0].row == 3 and "和田县、2020" in said[0].message
    from fupin_lib.figures.funds import poor_base_metrics
    from fupin_lib.periods import parse_period

    assert poor_base_metrics(result.tables["poor_base"], parse_period("2020"))["registered_poor_start"] == 9100
