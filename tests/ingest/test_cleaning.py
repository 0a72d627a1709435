"""Cell parsers, ID numbers and area names, against the reading rules of ledgers.md."""

import pandas as pd
import pytest

from fupin_lib import refdata
from fupin_lib.ingest import idcard, parsers as cleaning


@pytest.mark.parametrize(
    "raw, factor, expected",
    [
        (12.5, 1.0, 12.5),
        ("1,234.5", 1.0, 1234.5),
        ("１２３４", 1.0, 1234.0),  # full-width digits
        ("12万", 1.0, 12.0),
        ("12万元", 0.0001, 12.0),  # the value's own unit wins over the header's
        ("3,400元", 1.0, 0.34),
        (5000, 0.0001, 0.5),  # a column headed 金额（元）
    ],
)
def test_amounts(raw, factor, expected):
    assert cleaning.parse_amount(raw, factor).value == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["abc", "12..5", "-3", -3.0, "1,2,3x"])
def test_bad_amounts_are_problems(raw):
    parsed = cleaning.parse_amount(raw)
    assert parsed.value is None and parsed.problem


@pytest.mark.parametrize(
    "raw",
    [
        "2020-03-05",
        "2020/3/5",
        "2020年3月5日",
        "2020.3.5",
        43895,
        pd.Timestamp("2020-03-05 00:00"),
        "20200305",
        "２０２０－０３－０５",
    ],
)
def test_dates(raw):
    assert cleaning.parse_date(raw).value == pd.Timestamp("2020-03-05")


@pytest.mark.parametrize(
    "raw, why",
    [("2020-02-30", "不存在"), ("2020年3月", "缺少日"), ("明天", "无法识别"), ("1999-01-01", "超出合理范围")],
)
def test_bad_dates(raw, why):
    assert why in cleaning.parse_date(raw).problem


def test_counts_and_quarters():
    assert [cleaning.parse_count(v).value for v in ("十二", "12人", 12.0, "一百零五")] == [12, 12, 12, 105]
    assert cleaning.parse_count("3.5").problem
    assert [
        cleaning.parse_quarter(v).value
        for v in ("2020Q1", "2020年第二季度", "2020年第3季度", "2020-Q4", "2020年一季度")
    ] == ["2020Q1", "2020Q2", "2020Q3", "2020Q4", "2020Q1"]


def test_id_numbers():
    assert idcard.check_digit("11010519491231002") == "X"  # the example of GB 11643
    assert cleaning.parse_id_card("110105 19491231 002x").value == "11010519491231002X"
    assert "校验位" in cleaning.parse_id_card("110105194912310021").problem
    assert "出生日期" in cleaning.parse_id_card("110105194913310029").problem
    assert "数字" in cleaning.parse_id_card(1.1010519491231e17).problem
    assert "18位" in cleaning.parse_id_card("11010519491231002").problem
    # The address code is not checked: 152630 was 察右前旗's code before 2003.
    first = "15263019800101001"
    assert cleaning.parse_id_card(first + idcard.check_digit(first)).problem is None


def test_vectorised_ids_agree():
    ids = pd.Series(["11010519491231002X", "110105194912310021", "110105194913310029", "", None, "abc"])
    assert idcard.valid_mask(ids.map(idcard.normalise)).tolist() == [True, False, False, False, False, False]


def test_masks():
    assert idcard.mask("11010519491231002X") == "110105********002X"
    assert cleaning.mask_name("张三") == "张*" and cleaning.mask_phone("13812345678") == "138****5678"


def test_every_area_spelling_maps():
    areas = refdata.paired_areas()
    for row in areas.itertuples():
        for spelling in [row.area, row.full_name, *row.aliases]:
            assert refdata.canonical_area(spelling) == row.area, spelling
    assert refdata.canonical_area("察右前旗 ") == "察右前旗"
    assert refdata.canonical_area("某某县") is None


@pytest.mark.parametrize(
    "written, official",
    [("伊克淖苏木", "伊和淖尔苏木"), ("乌日根塔镇", "乌日根塔拉镇"), ("阿瓦提乡", "伊斯拉木阿瓦提乡")],
)
def test_source_misspellings_are_read_and_said(written, official):
    parsed = cleaning.parse_township(written)
    assert parsed.value == official and parsed.problem is None and official in parsed.note


def test_reference_data_is_complete():
    assert len(refdata.districts()) == 16
    assert refdata.districts()["category"].value_counts().sort_values().tolist() == [5, 5, 6]
    assert refdata.area_names() == ["察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团"]
    t = refdata.plan(2020).targets().set_index(["target", "scope"])
    assert t.loc[("dispatched_total", "全区"), "minimum"] == 120
    assert t.loc[("funds_wan", "全区"), "due"] == "2020Q1"
    assert len(refdata.plan(2020).pairing_tasks()) == 27
