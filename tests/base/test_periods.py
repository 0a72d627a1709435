"""Issue 22, item 1: periods as an analyst writes them, everywhere, and each result saying which
window it covers. Dates and codes below are worked out by hand from the calendar."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest

from fupin_lib.periods import Period, PeriodError, parse_period, period_range
from fupin_lib.windows import NoLedgersWarning, WINDOW_ATTR, year_of_file


@pytest.mark.parametrize(
    "text, code, start, end",
    [
        ("2020Q2", "2020Q2", "2020-04-01", "2020-06-30"),
        ("2020年第二季度", "2020Q2", "2020-04-01", "2020-06-30"),  # the library's own label
        ("2020年二季度", "2020Q2", "2020-04-01", "2020-06-30"),
        ("2020年第4季度", "2020Q4", "2020-10-01", "2020-12-31"),
        (" 2020 q3 ", "2020Q3", "2020-07-01", "2020-09-30"),
        ("2020H1", "2020H1", "2020-01-01", "2020-06-30"),
        ("2020年下半年", "2020H2", "2020-07-01", "2020-12-31"),
        ("2020", "2020", "2020-01-01", "2020-12-31"),
        ("2020年", "2020", "2020-01-01", "2020-12-31"),
        (2021, "2021", "2021-01-01", "2021-12-31"),
        ("2020-06-30", "2020-06-30", "2020-06-30", "2020-06-30"),
        ("2020/6/30", "2020-06-30", "2020-06-30", "2020-06-30"),
        ("2020年2月29日", "2020-02-29", "2020-02-29", "2020-02-29"),
        (dt.date(2020, 6, 30), "2020-06-30", "2020-06-30", "2020-06-30"),
        (pd.Timestamp("2020-03-31 15:00"), "2020-03-31", "2020-03-31", "2020-03-31"),
    ],
)
def test_written_forms(text, code, start, end):
    p = parse_period(text)
    assert (p.code, str(p.start.date()), str(p.end.date())) == (code, start, end)
    assert parse_period(p) is p  # a Period passes through


@pytest.mark.parametrize("text", ["2020Q5", "2020H3", "2020-02-30", "二〇二〇年", "Q2", ""])
def test_unreadable_forms_say_what_is_expected(text):
    with pytest.raises(PeriodError, match="无法识别的期间"):
        parse_period(text)


def test_windows_say_which_they_are():
    q2 = parse_period("2020Q2")
    assert q2.window_label() == "年初至期末累计（2020年1月1日至2020年6月30日）"
    assert q2.window_label(ytd=False) == "本季度（2020年4月1日至2020年6月30日）"
    day = parse_period("2020-06-30")
    assert day.window() == (pd.Timestamp("2020-01-01"), pd.Timestamp("2020-06-30"))
    assert day.window(ytd=False) == (pd.Timestamp("2020-06-30"), pd.Timestamp("2020-06-30"))
    assert day.window_label(ytd=False) == "当日（2020年6月30日）"
    own = q2.own_window()  # year to date = the quarter itself
    assert own.window() == (pd.Timestamp("2020-04-01"), pd.Timestamp("2020-06-30"))
    assert own.quarters_to_date() == ["2020Q2"] and q2.quarters_to_date() == ["2020Q1", "2020Q2"]


def test_previous_and_year_before():
    assert [parse_period(c).previous().code for c in ("2020Q1", "2020Q3", "2020H1", "2020H2", "2020")] == [
        "2019Q4",
        "2020Q2",
        "2019H2",
        "2020H1",
        "2019",
    ]
    assert parse_period("2020-06-30").previous().code == "2020-03-31"  # month ends stay month ends
    assert parse_period("2020-05-15").previous().code == "2020-02-15"
    assert parse_period("2020Q2").year_before().code == "2019Q2"
    assert parse_period("2020-02-29").year_before().code == "2019-02-28"
    assert parse_period("2020Q2").own_window().previous().own  # the window kind is kept


def test_ranges():
    assert [p.code for p in period_range("2019Q3:2020Q2")] == ["2019Q3", "2019Q4", "2020Q1", "2020Q2"]
    assert [p.code for p in period_range(["2020年第一季度", "2020-06-30"])] == ["2020Q1", "2020-06-30"]
    with pytest.raises(PeriodError):
        period_range("2020Q1:2020H2")


def test_year_of_file():
    assert year_of_file("2020Q2/区财政局_资金台账_2020年第二季度.xlsx") == 2020
    assert year_of_file("2021年/2021年第四季度/区财政局_资金台账.xlsx") == 2021
    assert year_of_file("区财政局_资金台账_2019.xlsx") == 2019
    assert year_of_file("区财政局/资金台账.xlsx") is None


def _funds(rows):
    return pd.DataFrame(rows, columns=["_file", "source", "amount_wan", "paid_date"]).astype(
        {"paid_date": "datetime64[ns]"}
    )


def test_figure_functions_take_period_strings():
    """Four hand-made rows: Q1 100 + 20 (区级财政, 街道乡镇), Q2 5 (村集体, a donation), Q3 7."""
    from fupin_lib.figures import funds

    f = _funds(
        [
            ["a_2020.xlsx", "区级财政", 100.0, "2020-02-01"],
            ["a_2020.xlsx", "街道乡镇", 20.0, "2020-03-31"],
            ["a_2020.xlsx", "村集体", 5.0, "2020-05-05"],
            ["a_2020.xlsx", "区直部门", 7.0, "2020-07-01"],
        ]
    )
    assert funds.extra_funds_wan(f, "2020年第二季度") == 120.0  # year to date: Q1 and Q2
    assert funds.extra_funds_wan(f, "2020Q2", ytd=False) == 0.0  # the quarter itself
    assert funds.extra_funds_wan(f, "2020-07-01", ytd=False) == 7.0  # that day
    table = funds.funds_by_quarter(f, "2020", sources="all")
    assert table.loc["2020Q1", "合计"] == 120.0 and table.loc["2020Q2", "村集体"] == 5.0
    assert table.loc["2020Q3", "区直部门"] == 7.0 and list(table.columns)[-3:] == ["村集体", "社会捐赠", "合计"]
    assert "每行为一个季度" in table.attrs[WINDOW_ATTR]
    assert "村集体" not in funds.funds_by_quarter(f, "2020").columns  # the extra funds by default
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        assert funds.extra_funds_wan(f, "2019Q2") == 0.0
    assert [w.category for w in said] == [NoLedgersWarning]
    assert "没有2019年的台账" in str(said[0].message) and "无数据" in str(said[0].message)


def test_tables_say_their_window():
    from fupin_lib.figures import consumption

    canteen = pd.DataFrame(
        {
            "_file": "c_2020.xlsx",
            "unit": ["甲", "甲"],
            "unit_type": "预算单位食堂",
            "quarter": ["2020Q1", "2020Q2"],
            "food_total_wan": [10.0, 10.0],
            "poverty_products_wan": [1.0, 5.0],
        }
    )
    ytd = consumption.canteen_ratios(canteen, "2020Q2")
    own = consumption.canteen_ratios(canteen, "2020年第二季度", ytd=False)
    assert ytd["ratio"].item() == pytest.approx(6 / 20) and own["ratio"].item() == pytest.approx(5 / 10)
    assert ytd.attrs[WINDOW_ATTR].startswith("年初至期末累计") and own.attrs[WINDOW_ATTR].startswith("本季度")
    assert isinstance(parse_period("2020Q2"), Period)


def test_dates_as_chinese_documents_write_them():
    import datetime

    from fupin_lib.periods import date_zh

    assert date_zh(parse_period("2020Q2").end) == "2020年6月30日"
    assert date_zh(datetime.date(2020, 4, 1)) == "2020年4月1日"
    assert date_zh("2026-12-04 13:16") == "2026年12月4日"  # a peers table's time of making
