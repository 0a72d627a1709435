"""The 进展情况表 workbook: sheets, headers, values and totals as formulas."""

import openpyxl
import pytest

from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period
from fupin_lib.reports.workbook import write_progress_workbook
from frames import frame


@pytest.fixture
def path(tmp_path):
    t = dict(ingest_folder(tmp_path).tables)
    t["funds"] = frame(
        "funds",
        [
            {"project": "A", "area": "和田县", "source": "区级财政", "amount_wan": 100.0, "paid_date": "2020-02-01"},
            {"project": "B", "area": "察右前旗", "source": "街道乡镇", "amount_wan": 50.0, "paid_date": "2020-05-01"},
        ],
    )
    t["beneficiaries"] = frame(
        "beneficiaries",
        [
            {"id_number": "P1", "area": "和田县", "route": "产业合作", "benefit_date": "2020-03-01", "exited": False},
            {"id_number": "P1", "area": "察右前旗", "route": "产业合作", "benefit_date": "2020-03-01", "exited": False},
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
                "quarter": "2020Q2",
                "food_total_wan": 10.0,
                "poverty_products_wan": 1.0,
            },
        ],
    )
    return write_progress_workbook(t, parse_period("2020Q2"), tmp_path / "进展情况表.xlsx", "大兴区", "v1")


@pytest.fixture
def workbook(path):
    return openpyxl.load_workbook(path)


@pytest.fixture
def values(path):
    """The values stored with the formulas: what a phone previewer, pandas or a printer shows."""
    return openpyxl.load_workbook(path, data_only=True)


def test_sheets_and_layout(workbook):
    assert workbook.sheetnames == [
        "目标进展",
        "一 组织领导",
        "二 干部人才",
        "三 资金支持",
        "四 产业合作",
        "五 劳务协作",
        "六 消费扶贫",
        "七 社会动员",
        "八 结对帮扶",
    ]
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "B4" and ws["A3"].font.bold
        # the period in Chinese dates; the data version ("v1") is the run record's, not the sheet's
        assert "2020年第二季度（2020年4月1日至6月30日）" in ws["A2"].value and "v1" not in ws["A2"].value
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # one page wide
        assert ws.print_title_rows == "$3:$3"


def test_funds_sheet(workbook, values):
    ws, v = workbook["三 资金支持"], values["三 资金支持"]
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=4) if r[0].value}
    hetian, total = rows["和田县"], rows["合计"]
    assert v[f"C{hetian}"].value == 100.0 and v[f"B{rows['察右前旗']}"].value == 50.0  # cumulative / this quarter
    assert (ws[f"B{total}"].value, ws[f"C{total}"].value) == ("=SUM(B4:B8)", "=SUM(C4:C8)")
    assert (v[f"B{total}"].value, v[f"C{total}"].value) == (50.0, 150.0)  # stored with the formula
    assert v[f"D{total}"].value == 1  # P1 counted once overall although benefited in two areas
    assert ws[f"F{hetian}"].value == (
        f'=IF(AND(ISNUMBER(D{hetian}),ISNUMBER(C{hetian})),IF(C{hetian}=0,"—",D{hetian}/C{hetian}),"未报送")'
    )
    assert v[f"F{hetian}"].value == pytest.approx(1 / 100)
    nothing = [r for r in range(4, total) if v[f"C{r}"].value == 0]
    assert nothing and {v[f"F{r}"].value for r in nothing} == {"—"}  # no money: not applicable, stored
    assert ws[f"D{hetian}"].number_format == "#,##0" and ws[f"C{hetian}"].number_format == "#,##0.00"


def test_canteen_sheet(workbook, values):
    ws, v = workbook["六 消费扶贫"], values["六 消费扶贫"]
    rows = {r[0].value: r[0].row for r in ws.iter_rows(min_row=4) if r[0].value}
    r = rows["甲"]
    assert (v[f"C{r}"].value, v[f"D{r}"].value) == (10, 3)
    assert ws[f"E{r}"].value == f'=IF(AND(ISNUMBER(D{r}),ISNUMBER(C{r})),IF(C{r}=0,"—",D{r}/C{r}),"未报送")'
    assert v[f"E{r}"].value == pytest.approx(0.3)
    assert v[f"F{r}"].value == "是" and v[f"F{rows['乙']}"].value == "否"
    assert ws[f"F{rows['乙']}"].font.color.rgb.endswith("B22222")  # a shortfall stands out
    assert ws[f"E{r}"].number_format == "0.0%"
    assert ws[f"C{rows['合计']}"].value == "=SUM(C4:C5)" and v[f"C{rows['合计']}"].value == 20


def test_counts_are_whole_numbers_and_money_has_decimals(workbook):
    ws = workbook["目标进展"]
    for row in ws.iter_rows(min_row=4):
        unit, target = row[3].value, row[4]
        if unit:
            assert target.number_format == ("#,##0.00" if unit == "万元" else "#,##0"), unit


def test_enterprises_by_area():
    from fupin_lib.figures.society import enterprises_by_area

    ent = frame(
        "enterprises",
        [
            {"company": "甲", "credit_code": "A", "area": "和田县", "invested_wan": 100.0, "signed_date": "2020-03-01"},
            {"company": "甲", "credit_code": "A", "area": "和田县", "invested_wan": 50.0, "signed_date": "2020-05-01"},
            {"company": "乙", "credit_code": "B", "area": "和田县", "invested_wan": 10.0, "signed_date": "2020-08-01"},
        ],
    )
    table = enterprises_by_area(ent, parse_period("2020Q2"))
    assert table.loc["和田县"].tolist() == [1, 150.0]  # one company, two projects; 乙 after June
    assert table.loc["224团"].tolist() == [0, 0.0]


def test_ledgers_not_sent_read_not_sent(tmp_path):
    t = dict(ingest_folder(tmp_path).tables)
    path = write_progress_workbook(t, parse_period("2020Q2"), tmp_path / "x.xlsx", "大兴区", "v1", supplied={"cadres"})
    book = openpyxl.load_workbook(path, data_only=True)
    funds = {r[0]: r for r in book["三 资金支持"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert funds["和田县"][1:5] == ("未报送",) * 4 and funds["合计"][2] == "未报送"  # never 0
    assert funds["和田县"][5] == funds["合计"][5] == "未报送"  # nor a blank ratio
    assert any(
        r[0] and str(r[0]).startswith("未报送：") and "资金台账" in r[0] and "贫困人口受益台账" in r[0]
        for r in book["三 资金支持"].iter_rows(values_only=True)
    )
    cadres = {r[0]: r for r in book["二 干部人才"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert cadres["合计"][1] == 0  # sent, and nobody in post
    targets = {r[1]: r for r in book["目标进展"].iter_rows(min_row=4, values_only=True) if r[1]}
    assert targets["东西部扶贫协作携手奔小康资金"][7] == "无数据"
