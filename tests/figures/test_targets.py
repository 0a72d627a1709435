"""Progress against the 2020 targets: pace by quarter, the Q1 funds deadline, statuses."""

import pandas as pd
import pytest

from fupin_lib.figures import targets
from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period
from frames import behind_at_mid_year, frame, progress_at_mid_year


def test_due_share():
    assert targets.due_share("2020", parse_period("2020Q1")) == 0.25
    assert targets.due_share("2020", parse_period("2020H1")) == 0.5
    assert targets.due_share("2020", parse_period("2020Q4")) == 1.0
    assert targets.due_share("2020Q1", parse_period("2020Q1")) == 1.0  # funds: due by the end of Q1
    assert targets.due_share("2020Q1", parse_period("2020Q3")) == 1.0


@pytest.fixture
def tables(tmp_path):
    t = dict(ingest_folder(tmp_path).tables)  # every table, empty
    t["funds"] = frame(
        "funds",
        [
            {"project": "A", "area": "和田县", "source": "区级财政", "amount_wan": 5000.0, "paid_date": "2020-02-01"},
            {"project": "B", "area": "和田县", "source": "社会捐赠", "amount_wan": 3000.0, "paid_date": "2020-02-01"},
        ],
    )
    t["meetings"] = frame(
        "meetings",
        [
            {"date": "2020-02-01", "title": "a", "kind": "区委常委会"},
            {"date": "2020-03-01", "title": "b", "kind": "区政府常务会"},
            {"date": "2020-05-01", "title": "c", "kind": "主管领导推进会"},
            {"date": "2020-05-02", "title": "d", "kind": "高层联席会", "area": "和田县"},
        ],
    )
    t["canteen"] = frame(
        "canteen",
        [
            {
                "unit": "甲",
                "unit_type": "工会",
                "quarter": "2020Q1",
                "food_total_wan": 10.0,
                "poverty_products_wan": 3.0,
            },
            {
                "unit": "乙",
                "unit_type": "工会",
                "quarter": "2020Q1",
                "food_total_wan": 10.0,
                "poverty_products_wan": 1.0,
            },
        ],
    )
    return t


def test_progress_q2(tables):
    table = targets.progress(tables, parse_period("2020Q2")).set_index(["目标", "范围"])
    funds = table.loc[("东西部扶贫协作携手奔小康资金", "全区")]
    # 5,000 of 7,600 万元 (the donation is not extra funds); all of it was due by the end of Q1:
    # a dated target is judged by its due date, and Q1 is past.
    assert funds["完成值"] == 5000 and funds["状态"] == "逾期未完成" and funds["落后"] == pytest.approx(2600)
    total = table.loc[("召开会议研究部署扶贫协作工作", "全区")]
    # 区委常委会 + 区政府常务会 + 主管领导推进会 = 3 of 5; half the year gone: 2.5 due -> on pace.
    assert total["完成值"] == 3 and total["状态"] == "进度正常"
    assert table.loc[("其中区委常委会会议", "全区"), "状态"] == "已完成"
    assert table.loc[("结对双方高层联席会", "和田县"), "状态"] == "已完成"
    # One meeting within the year: not due in June, whatever a straight-line pace would say.
    assert table.loc[("结对双方高层联席会", "224团"), "状态"] == "未到期"
    assert table.loc[("结对双方高层联席会", "224团"), "落后"] == 0
    canteen = table.loc[("预算单位食堂和工会采购扶贫产品比例", "达到30%的单位")]
    assert (canteen["完成值"], canteen["目标值"]) == (1, 2)  # 甲 at 30%, 乙 at 10%
    assert canteen["状态"] == "落后" and canteen["落后"] == 1  # no pace for a ratio every unit must reach
    assert set(table["责任部门"].str.len() > 0) == {True}
    assert len(table) == 43


def test_targets_of_ledgers_not_sent_have_no_data(tables):
    q2 = parse_period("2020Q2")
    table = targets.progress(tables, q2, supplied={"meetings", "canteen"}).set_index(["目标", "范围"])
    funds = table.loc[("东西部扶贫协作携手奔小康资金", "全区")]
    assert funds["状态"] == "无数据" and pd.isna(funds["完成值"]) and pd.isna(funds["完成比例"])  # not 落后, not 0
    assert table.loc[("召开会议研究部署扶贫协作工作", "全区"), "状态"] == "进度正常"
    # The canteen ledger sent, but no unit reported in the window: no data, never 已完成.
    empty_q = dict(tables, canteen=tables["canteen"].iloc[0:0])
    canteen = targets.progress(empty_q, q2, supplied={"canteen"}).set_index(["目标", "范围"])
    assert canteen.loc[("预算单位食堂和工会采购扶贫产品比例", "达到30%的单位"), "状态"] == "无数据"


def test_one_off_targets_are_judged_at_their_due_date(tables):
    """A visit per area within the year (plan 二（一）): 未到期 before December, 逾期未完成 after
    it if not held, 已完成 once held; never 落后 on a straight-line pace."""

    def status(period, area):
        table = targets.progress(tables, parse_period(period)).set_index(["目标", "范围"])
        return table.loc[("结对双方高层联席会", area), "状态"], table.loc[("结对双方高层联席会", area), "判断方式"]

    assert status("2020Q1", "224团") == ("未到期", "按期限")
    assert status("2020Q3", "224团") == ("未到期", "按期限")
    assert status("2020Q4", "224团") == ("逾期未完成", "按期限")
    assert status("2020H2", "224团") == ("逾期未完成", "按期限")
    assert status("2020Q2", "和田县") == ("已完成", "按期限")  # held on 2020-05-02
    assert status("2020Q1", "和田县") == ("未到期", "按期限")  # not yet held at the end of March
    funds = (
        targets.progress(tables, parse_period("2020Q1"))
        .set_index(["目标", "范围"])
        .loc[("东西部扶贫协作携手奔小康资金", "全区")]
    )
    assert funds["状态"] == "逾期未完成" and funds["应完成比例"] == 1.0  # due by the end of Q1, judged at it


def test_progress_beyond_the_target_reads_over_not_a_big_percentage(tables, tmp_path):
    """113 exhibitions against 2 would read 5650.0%: the workbook, the reports' table and the
    assessment never print such a share; they say 超额完成 beside the figures."""
    import openpyxl

    from fupin_lib.reports import notebook_api
    from fupin_lib.reports.workbook import write_progress_workbook

    tables = dict(tables)
    tables["funds"] = frame(
        "funds",
        [{"project": "A", "area": "和田县", "source": "区级财政", "amount_wan": 15200.0, "paid_date": "2020-02-01"}],
    )
    q2 = parse_period("2020Q2")
    prog = targets.progress(tables, q2)
    funds = prog.set_index(["目标", "范围"]).loc[("东西部扶贫协作携手奔小康资金", "全区")]
    assert funds["完成比例"] == 2.0 and funds["状态"] == "已完成"  # 15,200 of 7,600
    shown = notebook_api.show_targets(prog, "目标").block.frame
    assert shown.loc[shown["目标"] == "东西部扶贫协作携手奔小康资金", "完成比例"].tolist() == ["超额完成"]
    assert targets.reached_text(15200.0, 7600.0, "万元") == "超额完成（15,200.00 万元，目标 7,600.00 万元）"
    path = write_progress_workbook(tables, q2, tmp_path / "book.xlsx", "大兴区", "v")
    sheet = openpyxl.load_workbook(path)["目标进展"]
    header = [c.value for c in sheet[3]]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[1].value == "东西部扶贫协作携手奔小康资金")
    cell = row[header.index("完成比例")]
    assert cell.value.startswith("=IF(") and '"超额完成"' in cell.value
    values = openpyxl.load_workbook(path, data_only=True)["目标进展"]
    assert values[cell.coordinate].value == "超额完成"


def test_the_largest_risks_by_hand():
    """Worked out by hand from targets_2020.csv at mid-year (half of a yearly target due):
    - 主要领导调研 (1 a year in each of 5 areas, one-off): 4 areas without a visit are 4 x 0.5 = 2.0
      targets short of pace (未到期, not 落后: the year is not over);
    - 推送就业岗位信息 (1500, 1500, 1000): 652, 642 and 412 against 750, 750 and 500:
      98/1500 + 108/1500 + 88/1000 = 0.2253;
    - the canteen target (80 units, all due at all times): 72, 8/80 = 0.1;
    - 促进残疾人就业 待核: never a risk (its data are incomplete), however low."""
    p = parse_period("2020Q2")
    changes = {
        ("leader_visits", area): (0.0, targets.NOT_DUE, 0.0) for area in ("正镶白旗", "苏尼特右旗", "和田县", "224团")
    }
    changes[("leader_visits", "察右前旗")] = (1.0, targets.DONE, 0.0)
    changes.update(behind_at_mid_year())
    prog = progress_at_mid_year(changes, canteen_units=80.0)
    found = targets.risks(prog, p)
    assert [r["目标"] for r in found] == [
        "区委区政府主要领导赴结对地区调研对接",
        "推送就业岗位信息",
        "预算单位食堂和工会采购扶贫产品比例（每个预算单位）",
    ]
    assert found[0]["差距"] == pytest.approx(2.0) and (found[0]["范围数"], found[0]["未达数"]) == (5, 4)
    assert found[0]["状态"] == targets.NOT_DUE and found[0]["部门"] == ["区经济协作办公室"]
    assert found[1]["差距"] == pytest.approx(98 / 1500 + 108 / 1500 + 88 / 1000) and found[1]["状态"] == targets.BEHIND
    assert found[1]["部门"] == ["区人保局"]  # 区人力社保局 as the department directory names it
    assert found[2]["差距"] == pytest.approx(0.1) and (found[2]["完成值"], found[2]["应完成"]) == (72.0, 80.0)
    # on pace everywhere: no risk at all
    assert targets.risks(progress_at_mid_year({}), p) == []


def test_by_department_with_no_target_behind():
    """A period where nothing is behind (no ledgers at all reads 待核, not 落后): every department
    gets an empty 落后的目标, worked out from the rows (found by the half-year report of an empty folder)."""
    import pandas as pd

    from fupin_lib.figures import targets

    rows = [
        dict.fromkeys(targets.COLUMNS, "") | {"目标": goal, "范围": "全区", "状态": status, "责任部门": owners}
        for goal, status, owners in (("挂职干部", "待核", "区委组织部"), ("资金", "已完成", "区财政局、区经济协作办"))
    ]
    table = targets.by_department(pd.DataFrame(rows, columns=targets.COLUMNS))
    assert table.loc["区财政局", "已完成"] == 1 and table.loc["区委组织部", "落后"] == 0
    assert list(table["落后的目标"]) == ["", "", ""]
    rows[0]["状态"] = targets.BEHIND
    table = targets.by_department(pd.DataFrame(rows, columns=targets.COLUMNS))
    assert table.loc["区委组织部", "落后的目标"] == "挂职干部" and table.loc["区财政局", "落后的目标"] == ""
