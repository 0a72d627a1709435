"""Every metric key a ledger gives (ledgers.md 1-17), from a small hand-made ledger set read
through the real ingestion. Expected values worked out by hand for 2020Q2 (YTD to Jun 30) and
2020Q4 (the whole year)."""

import pytest

from fupin_lib.ingest.parsers import credit_check_char
from fupin_lib.ingest.idcard import check_digit
from fupin_lib.ingest import ingest_folder
from fupin_lib.figures.registry import compute_metrics
from fupin_lib.periods import parse_period

CODE_A = "91110115MA01AAAA1" + credit_check_char("91110115MA01AAAA1")
CODE_B = "91110115MA01BBBB2" + credit_check_char("91110115MA01BBBB2")
IDS = [s + check_digit(s) for s in ("15092619900101001", "15092619900101002", "65322119900101003")]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    from conftest import write_book

    raw = tmp_path_factory.mktemp("all") / "raw"
    write_book(
        raw / "协作办_会议.xlsx",
        {
            "会议台账": [
                ["日期", "会议名称", "会议类型", "是否研究八到位", "结对地区"],
                ["2020-02-20", "常委会", "区委常委会", "是", None],
                ["2020-03-10", "常务会", "区政府常务会", "否", None],
                ["2020-09-01", "全区大会", "全区大会", "是", None],
                ["2020-01-15", "推进会", "主管领导推进会", None, None],
                ["2020-02-15", "推进会", "主管领导推进会", None, None],  # same quarter as the one above
                ["2020-07-15", "推进会", "主管领导推进会", None, None],
                ["2020-05-06", "调度会", "主管部门调度会", None, None],
                ["2020-04-08", "联席会", "高层联席会", None, "和田县"],
                ["2020-04-20", "对接", "部门对接", None, "察右前旗"],  # same month as the joint meeting
                ["2020-06-02", "对接", "部门对接", None, "和田地区和田县"],
                ["2020-10-02", "联席会", "高层联席会", None, "224团"],
                ["2020-06-03", "对接", "部门对接", None, None],  # rejected: area required
            ]
        },
    )
    write_book(
        raw / "协作办_调研.xlsx",
        {
            "调研对接台账": [
                ["日期", "结对地区", "带队领导", "是否区委区政府主要领导", "代表团人次", "其中局级人次"],
                ["2020-05-10", "和田县", "某某", "是", 12, 4],
                ["2020-05-12", "224团", "某某", "是", 12, 4],
                ["2020-06-01", "和田县", "某某", "是", 8, 2],  # the same county again
                ["2020-03-01", "正镶白旗", "某某", "否", 5, 1],  # not a top leader
                ["2020-08-01", "察右前旗", "某某", "是", 10, 3],
            ]
        },
    )
    write_book(
        raw / "组织部_培训.xlsx",
        {
            "培训台账": [
                ["培训班名称", "开始日期", "结束日期", "培训对象", "结对地区", "培训人数", "其中建档立卡贫困人口数"],
                ["干部班", "2020-03-01", "2020-03-05", "党政干部", "和田县", 60, None],
                ["专技班", "2020-06-28", "2020-07-03", "专业技术人才", "和田县", 40, None],  # starts in Q2
                ["劳动力班", "2020-05-01", "2020-05-20", "贫困劳动力", "察右前旗", 50, 45],
                ["带头人班", "2020-04-01", "2020-04-03", "致富带头人", "正镶白旗", 30, 10],
                ["干部班", "2020-09-01", "2020-09-05", "党政干部", "和田县", 100, None],
            ]
        },
    )
    write_book(
        raw / "农业农村局_企业.xlsx",
        {
            "企业投资台账": [
                [
                    "企业名称",
                    "统一社会信用代码",
                    "结对地区",
                    "约定投资额（万元）",
                    "实际到位投资额（万元）",
                    "签约日期",
                ],
                ["甲公司", CODE_A, "察右前旗", 1000, 800, "2020-03-01"],
                ["甲公司", CODE_A.lower(), "正镶白旗", 500, 200, "2020-05-01"],  # same company, 2nd project
                ["乙公司", CODE_B, "和田县", 3000, 1500, "2020-08-01"],
                [
                    "丙公司",
                    CODE_B[:-1] + ("0" if CODE_B[-1] != "0" else "1"),
                    "和田县",
                    10,
                    10,
                    "2020-02-01",
                ],  # bad code
            ]
        },
    )
    write_book(
        raw / "人社局_劳务协作.xlsx",
        {
            "招聘会": [
                ["名称", "日期", "结对地区", "提供岗位数", "面向贫困户岗位数"],
                ["春风行动", "2020-03-15", "察右前旗", 500, 200],
                ["专场", "2020-05-15", "苏右旗", 300, 100],
                ["专场", "2020-05-20", "和田县", 300, 100],  # 新疆: not counted
                ["专场", "2020-09-15", "正镶白旗", 300, 100],
            ],
            "岗位推送": [["日期", "结对地区", "岗位数"], ["2020-03-01", "察右前旗", 800]],
            "就业人员": [
                ["姓名", "身份证号", "结对地区", "就业地", "是否建档立卡", "就业日期"],
                ["甲", IDS[0], "察右前旗", "在京", "是", "2020-04-01"],
                ["甲", IDS[0], "察右前旗", "在京", "是", "2020-06-01"],  # the same person again
                ["乙", IDS[1], "察右前旗", "当地", "否", "2020-04-01"],  # not registered poor
                ["丙", IDS[2], "和田县", "当地", "是", "2020-07-01"],
            ],
            "实训基地": [
                ["名称", "建成日期", "结对地区"],
                ["基地一", "2019-10-01", "和田县"],
                ["基地二", "2020-06-30", "察右前旗"],
                ["基地三", "2020-11-01", "224团"],
            ],
        },
    )
    write_book(
        raw / "协作办_结对.xlsx",
        {
            "结对帮扶台账": [
                [
                    "北京方单位",
                    "北京方单位类型",
                    "受援方单位",
                    "受援方单位类型",
                    "结对地区",
                    "所在乡镇",
                    "协议签订日期",
                ],
                ["礼贤镇", "镇街", "三岔口乡", "乡镇", "察右前旗", "三岔口乡", "2020-03-01"],
                ["礼贤镇", "镇街", "某村", "村", "察右前旗", "三岔口乡", "2020-03-01"],  # same town, 2nd pair
                ["高米店街道", "镇街", "伊和淖尔苏木", "乡镇", "正镶白旗", "伊克淖苏木", "2020-05-01"],
                ["旧宫镇", "镇街", "朱日和镇", "乡镇", "苏尼特右旗", "朱日和镇", "2020-08-01"],
                ["某社区", "村社区", "某村", "村", "和田县", "罕艾日克镇", "2020-04-01"],
                ["区一中", "学校", "某校", "学校", "和田县", None, "2019-09-01"],
                ["区医院", "医院", "某院", "医院", "和田县", None, "2020-06-30"],
                ["某企业", "企业", "某村", "村", "和田县", None, "2020-02-01"],
                ["某企业", "企业", "某乡", "乡镇", "和田县", None, "2020-02-01"],  # not a village
            ]
        },
    )
    write_book(
        raw / "统战部_社会帮扶.xlsx",
        {
            "捐赠": [
                ["日期", "捐赠方", "类型", "金额或折款（万元）", "结对地区"],
                ["2020-02-01", "某商会", "资金", 100, "和田县"],
                ["2020-05-01", "某企业", "物资", "50万元", "和田县"],
                ["2020-08-01", "某企业", "资金", 30, "和田县"],
                ["合计", None, None, 180, None],
            ],
            "活动": [
                ["日期", "活动名称", "结对地区"],
                ["2020-03-01", "义诊", "和田县"],
                ["2020-06-30", "支教", "224团"],
                ["2020-07-01", "捐书", "224团"],
            ],
        },
    )
    write_book(
        raw / "财政局_资金.xlsx",
        {
            "资金台账": [
                ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"],
                ["村集体捐赠", "和田县", "村集体", 20, "2020-03-01"],
                ["区财政", "和田县", "区级财政", 1000, "2020-03-01"],
            ]
        },
    )
    write_book(
        raw / "宣传部_宣传.xlsx",
        {
            "信息宣传台账": [
                ["日期", "标题", "类型", "层级"],
                ["2020-02-01", "信息一", "信息采纳", "市属"],
                ["2020-03-01", "信息二", "信息采纳", "中央"],
                ["2020-04-01", "报道一", "媒体报道", "中央"],
                ["2020-04-02", "报道二", "媒体报道", "市属"],
                ["2020-04-03", "报道三", "媒体报道", "市属"],
                ["2020-05-03", "报道四", "媒体报道", "受援地"],
                ["2020-08-03", "报道五", "媒体报道", "中央"],
            ]
        },
    )
    write_book(
        raw / "协作办_报送.xlsx",
        {
            "报送台账": [
                ["材料", "期次", "报送日期", "结对地区"],
                ["季度进展情况表", "2020Q1", "2020-04-05", None],
                ["季度进展情况表", "2020年第二季度", "2020-07-05", None],
                ["季度进展情况表", "2020Q2", "2020-07-06", None],  # sent twice: counted once
                ["季度进展情况表", "2020Q4", "2021-01-05", None],
                ["半年总结", "2020年上半年", "2020-07-10", None],
                ["全年总结", "2020", "2021-01-10", None],
                ["帮扶协议", "2020", "2020-03-01", "和田县"],
                ["帮扶协议", "2020", "2020-03-01", "察右前旗"],
                ["一县一策", "2020", "2020-03-01", "和田县"],
            ]
        },
    )
    write_book(
        raw / "协作办_批示.xlsx",
        {
            "批示表彰台账": [
                ["日期", "层级", "批示领导", "事项"],
                ["2020-03-01", "市扶贫援合办", "某", "推广"],
                ["2020-05-01", "北京市分管领导", "某", "肯定"],
                ["2020-11-01", "国家部门", "某", "表彰"],
            ]
        },
    )
    write_book(
        raw / "协作办_自评.xlsx",
        {
            "自评事项": [
                ["事项", "取值", "说明"],
                ["has_leading_body", "是", None],
                ["设置工作机构和工作人员", "是", None],  # a label, not a key
                ["ledger_quality", "好", None],
                ["fund_safety", "正常", None],
                ["towns_total", 22, None],
                ["general_revenue_wan", "1,000,000", None],
                ["paired_counties", 5, None],
                ["quarters_leader_meeting", 5, None],  # rejected: 0-4
                ["vocational_effect", "优秀", None],  # rejected: not a grade
                ["no_such_key", 1, None],  # rejected: unknown item
            ]
        },
    )
    return ingest_folder(raw)


def test_rejected_rows(tables):
    rej = tables.rejections
    assert len(rej) == 5
    assert "高层联席会和部门对接必须填写结对地区" in set(rej["原因"])
    assert "统一社会信用代码校验位错误" in set(rej["原因"])
    assert any("不是已知的指标" in r for r in rej["原因"])


EXPECTED_Q2 = {
    "leadership_meetings": 2,
    "leadership_meetings_bdw": 1,
    "quarters_leader_meeting": 1,  # Jan + Feb: Q1 only
    "quarters_dept_dispatch": 1,
    "counties_joint_meeting": 1,
    "months_county_contact": 2,
    "counties_visited": 2,
    "cadres_trained": 100,
    "poor_trained": 45,
    "leaders_trained": 30,
    "enterprises_invested": 1,
    "investment_wan": 1000.0,
    "job_fairs_im": 2,
    "poor_employed": 1,
    "training_bases": 2,
    "towns_paired": 2,
    "villages_paired": 1,
    "schools_hospitals_pairs": 2,
    "enterprise_village_pairs": 1,
    "donations_wan": 170.0,
    "social_activities": 2,
    "info_adopted": 2,
    "media_central": 1,
    "media_municipal": 2,
    "media_local": 1,
    "quarterly_reports_submitted": 2,
    "summaries_submitted": 1,
    "counties_agreement_reported": 2,
    "counties_plan_reported": 1,
    "award_central": 0,
    "award_city_main": 0,
    "award_province_main": 0,
    "award_national_dept": 0,
    "award_city_deputy": 1,
    "award_city_office": 1,
    "has_leading_body": 1,
    "has_working_body": 1,
    "ledger_quality": "好",
    "fund_safety": "正常",
    "towns_total": 22,
    "general_revenue_wan": 1000000.0,
    "paired_counties": 5,
    "extra_funds_wan": 1000.0,
}

EXPECTED_YEAR_CHANGES = {
    "leadership_meetings": 3,
    "leadership_meetings_bdw": 2,
    "quarters_leader_meeting": 2,  # Q1 and Q3
    "counties_joint_meeting": 2,
    "months_county_contact": 3,
    "counties_visited": 3,
    "cadres_trained": 200,
    "enterprises_invested": 2,
    "investment_wan": 2500.0,
    "job_fairs_im": 3,
    "poor_employed": 2,
    "training_bases": 3,
    "towns_paired": 3,
    "donations_wan": 200.0,
    "social_activities": 3,
    "media_central": 2,
    "quarterly_reports_submitted": 3,
    "summaries_submitted": 2,
    "award_national_dept": 1,
}


def test_metrics_2020q2(tables):
    m = compute_metrics(tables.tables, parse_period("2020Q2"), tables.supplied)
    assert {k: m[k] for k in EXPECTED_Q2} == EXPECTED_Q2
    assert "vocational_effect" not in m and "no_such_key" not in m


def test_metrics_year(tables):
    m = compute_metrics(tables.tables, parse_period("2020Q4"), tables.supplied)
    assert {k: m[k] for k in EXPECTED_Q2} == {**EXPECTED_Q2, **EXPECTED_YEAR_CHANGES}


def test_misspelt_township_read_and_said(tables):
    towns = tables.tables["pairings"]["township"].tolist()
    assert "伊和淖尔苏木" in towns
    assert any("伊克淖苏木" in n.message for n in tables.notices)


def test_empty_tables_count_zero_but_ledgers_not_sent_give_no_figure(tmp_path):
    empty = ingest_folder(tmp_path)
    m = compute_metrics(empty.tables, parse_period("2020Q2"))
    assert m["leadership_meetings"] == 0 and m["people_benefited"] == 0 and m["donations_wan"] == 0
    assert "has_leading_body" not in m
    assert compute_metrics(empty.tables, parse_period("2020Q2"), empty.supplied) == {}
