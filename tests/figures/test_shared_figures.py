"""Every figure that the 进展情况表 and the reports both show is the same number in both, for a
quarter and a half-year: read from the files a reader opens (the workbook's stored values, the
HTML's tables), not from the functions that made them."""

from __future__ import annotations

import re
from io import StringIO

import openpyxl
import pandas as pd
import pytest
from layout import number

AREAS = ["察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团"]


def html_table(path, caption_start: str) -> pd.DataFrame:
    """The report table whose caption starts with caption_start, all cells as text."""
    html = path.read_text(encoding="utf-8")
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, flags=re.S)
        text = re.sub(r"<span class=\"fupin-unit\">.*?</span>|<[^>]+>", "", caption.group(1)).strip() if caption else ""
        if text.startswith(caption_start):
            frame = pd.read_html(StringIO(table), keep_default_na=False, thousands=None, decimal="\x00")[0]
            return frame.astype(str)
    raise AssertionError(f"no table {caption_start} in {path.name}")


def sheet(book_path, name: str) -> pd.DataFrame:
    """A workbook sheet as the stored values (what a previewer shows), header on row 3."""
    ws = openpyxl.load_workbook(book_path, data_only=True)[name]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    return frame[frame.iloc[:, 0].notna()].set_index(frame.columns[0])


def same(report_value, book_value, digits: int = 2) -> bool:
    if "未报送" in (str(report_value).strip(), book_value):  # not sent reads so on both sides
        return str(report_value).strip() == book_value
    a = number(report_value)
    b = (
        number(book_value)
        if isinstance(book_value, str)
        else None
        if book_value is None or pd.isna(book_value)
        else float(book_value)
    )
    return (a is None and b is None) or (a is not None and b is not None and round(a, digits) == round(b, digits))


@pytest.fixture(scope="module", params=["2020Q2", "2020H1"])
def files(request, report_batch):
    out, _made = report_batch
    period = request.param
    report = out / period / ("quarterly_report.html" if "Q" in period else "half_year_report.html")
    return period, report, out / period / f"进展情况表_{period}.xlsx"


def test_headline_figures(files):
    _period, report, book = files
    key = html_table(report, "主要指标").set_index("指标")
    ytd = key.iloc[:, 0]
    cadre, money = sheet(book, "二 干部人才"), sheet(book, "三 资金支持")
    industry, canteen = sheet(book, "四 产业合作"), sheet(book, "六 消费扶贫")
    assert same(ytd["在岗挂职干部和专业技术人才（人）"], cadre.loc["合计", "合计（人）"])
    assert same(ytd["区级财政额外安排资金（万元）"], money.loc["合计", "累计拨付（万元）"])
    assert same(ytd["惠及贫困人口（人）"], money.loc["合计", "惠及贫困人口（人）"])
    assert same(ytd["助力脱贫人口（人）"], money.loc["合计", "助力脱贫人口（人）"])
    assert same(ytd["消费扶贫金额（万元）"], industry.loc["合计", "消费扶贫金额（万元）"])
    assert same(ytd["食堂和工会扶贫产品采购比例"], canteen.loc["合计", "扶贫产品比例"], digits=3)


def test_targets(files):
    _period, report, book = files
    shown = html_table(report, "2020年工作计划目标完成情况")
    kept = sheet(book, "目标进展").reset_index()
    assert len(shown) == len(kept) == 43
    for (_, r), (_, k) in zip(shown.iterrows(), kept.iterrows()):
        assert r["目标"] == (
            k["目标"] if k["范围"] in ("全区", k["目标"]) or k["范围"] in k["目标"] else f"{k['目标']}（{k['范围']}）"
        )
        assert same(r["目标值"], k["目标值"]) and same(r["完成值"], k["完成值"]), r["目标"]
        assert r["状态"] == k["状态"], r["目标"]


def test_per_area_figures(files):
    period, report, book = files
    cadre, money = sheet(book, "二 干部人才"), sheet(book, "三 资金支持")
    industry, labour, pairs = sheet(book, "四 产业合作"), sheet(book, "五 劳务协作"), sheet(book, "八 结对帮扶")
    if "Q" in period:
        by_area = html_table(report, "大兴区各结对地区在岗挂职干部").set_index("结对地区")
        benefit = html_table(report, "各结对地区资金惠及贫困人口效益").set_index("结对地区")
        sales = html_table(report, "消费扶贫按产地").set_index("产地")
        for area in AREAS + ["合计"]:
            assert same(by_area.loc[area, "党政干部"], cadre.loc[area, "党政干部（人）"])
            assert same(by_area.loc[area, "专业技术人才"], cadre.loc[area, "专业技术人才（人）"])
            assert same(benefit.loc[area, "额外安排资金（万元）"], money.loc[area, "累计拨付（万元）"])
            assert same(benefit.loc[area, "惠及贫困人口（人）"], money.loc[area, "惠及贫困人口（人）"])
            assert same(benefit.loc[area, "助力脱贫人口（人）"], money.loc[area, "助力脱贫人口（人）"])
            assert same(benefit.loc[area, "每万元惠及人数"], money.loc[area, "每万元惠及人数"])
        for area in AREAS:
            assert same(sales.loc[area, "金额（万元）"], industry.loc[area, "消费扶贫金额（万元）"])
        new = html_table(report, "2020年第二季度新选派到岗人员").set_index("结对地区")
        for area in AREAS:
            assert same(new.loc[area, "合计"], cadre.loc[area, "本季度新选派（人）"])
    else:
        overview = html_table(report, "各结对地区主要指标").set_index("结对地区")
        for area in AREAS:
            row = overview.loc[area]
            assert same(row["党政干部（人）"], cadre.loc[area, "党政干部（人）"])
            assert same(row["专业技术人才（人）"], cadre.loc[area, "专业技术人才（人）"])
            assert same(row["额外安排资金（万元）"], money.loc[area, "累计拨付（万元）"])
            assert same(row["惠及贫困人口（人）"], money.loc[area, "惠及贫困人口（人）"])
            assert same(row["助力脱贫人口（人）"], money.loc[area, "助力脱贫人口（人）"])
            assert same(row["引导企业（家）"], industry.loc[area, "引导企业（家）"])
            assert same(row["消费扶贫（万元）"], industry.loc[area, "消费扶贫金额（万元）"])
            assert same(row["推送岗位（个）"], labour.loc[area, "推送岗位（个）"])
            assert same(row["结对关系（对）"], pairs.loc[area, "结对关系（对）"])


def test_canteen_units_below_target(files):
    period, report, book = files
    canteen = sheet(book, "六 消费扶贫")
    below_book = sorted(canteen.index[canteen["是否达到30%"] == "否"])
    if "Q" in period:
        below = html_table(report, "扶贫产品采购比例低于30%的预算单位")
        assert sorted(below["单位名称"]) == below_book
        for _, r in below.iterrows():
            assert same(r["扶贫产品比例"], canteen.loc[r["单位名称"], "扶贫产品比例"], digits=3)
    else:
        targets = html_table(report, "2020年工作计划目标完成情况").set_index("目标")
        row = targets.loc["预算单位食堂和工会采购扶贫产品比例（达到30%的单位）"]
        reached = (canteen.drop(index="合计")["是否达到30%"] == "是").sum()
        assert same(row["完成值"], reached)
