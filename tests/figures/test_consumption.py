"""Canteen purchase ratios and the 30% target; consumption by channel and area.
Expected figures worked out by hand for 2020Q2."""

import pytest

from fupin_lib.figures import consumption
from fupin_lib.periods import parse_period
from frames import frame

Q2 = parse_period("2020Q2")


@pytest.fixture
def canteen():
    def row(unit, quarter, food, poverty, unit_type="预算单位食堂"):
        return {
            "unit": unit,
            "unit_type": unit_type,
            "quarter": quarter,
            "food_total_wan": food,
            "poverty_products_wan": poverty,
        }

    return frame(
        "canteen",
        [
            row("甲单位食堂", "2020Q1", 10.0, 3.0),  # 30% in Q1 ...
            row("甲单位食堂", "2020Q2", 10.0, 2.0),  # ... 20% in Q2: 25% to date -> below
            row("乙单位工会", "2020Q1", 8.0, 2.4, "工会"),  # 2.4 / 8 is 0.3 up to rounding: reaches
            row("乙单位工会", "2020Q2", 2.0, 0.6, "工会"),
            row("丙单位食堂", "2020Q3", 10.0, 0.0),  # outside the window
            row("丁单位食堂", "2020Q2", 0.0, 0.0),  # no purchases: no ratio, not "below"
        ],
    )


def test_target_from_plan():
    assert consumption.target_ratio(2020) == 0.30 and consumption.target_ratio(2021) is None


def test_ratios_ytd(canteen):
    table = consumption.canteen_ratios(canteen, Q2).set_index("unit")
    assert set(table.index) == {"甲单位食堂", "乙单位工会", "丁单位食堂"}
    assert table.loc["甲单位食堂", "ratio"] == pytest.approx(0.25)
    assert bool(table.loc["甲单位食堂", "below_target"]) is True
    assert table.loc["乙单位工会", "ratio"] == pytest.approx(0.30)
    assert bool(table.loc["乙单位工会", "below_target"]) is False
    assert bool(table.loc["丁单位食堂", "below_target"]) is False


def test_exactly_thirty_percent_reaches():
    assert consumption.reaches(2.4 / 8, 0.30)
    assert not consumption.reaches(0.2999, 0.30)


def test_overall(canteen):
    overall = consumption.canteen_overall(canteen, Q2)
    assert overall["overall_ratio"] == pytest.approx(8 / 30)  # (3+2+2.4+0.6) / (10+10+8+2)
    assert overall["units_below_target"] == ["甲单位食堂"]
    q_only = consumption.canteen_overall(canteen, Q2, ytd=False)
    assert q_only["overall_ratio"] == pytest.approx(2.6 / 12)  # Q2 rows only


def test_consumption_by_channel_and_area():
    con = frame(
        "consumption",
        [
            {
                "date": "2020-01-05",
                "buyer": "A",
                "buyer_type": "工会",
                "channel": "京东",
                "area": "和田县",
                "amount_wan": 1.5,
            },
            {
                "date": "2020-05-05",
                "buyer": "B",
                "buyer_type": "个人",
                "channel": "京东",
                "area": "察右前旗",
                "amount_wan": 2.5,
            },
            {
                "date": "2020-05-06",
                "buyer": "C",
                "buyer_type": "商超",
                "channel": "兴扶购",
                "area": "和田县",
                "amount_wan": 1.0,
            },
            {
                "date": "2020-07-01",
                "buyer": "D",
                "buyer_type": "商超",
                "channel": "兴扶购",
                "area": "和田县",
                "amount_wan": 9.0,
            },
        ],
    )
    assert consumption.product_sales_wan(con, Q2) == pytest.approx(5.0)
    by_channel = consumption.consumption_by(con, Q2, "channel")
    assert by_channel.loc["京东", "金额（万元）"] == pytest.approx(4.0)
    assert by_channel.loc["京东", "占比"] == pytest.approx(0.8)
    by_area = consumption.consumption_by(con, Q2, "area")
    assert by_area.loc["和田县", "笔数"] == 2 and by_area.loc["正镶白旗", "金额（万元）"] == 0
