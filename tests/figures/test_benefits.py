"""Funds and the poor persons they reach: distinct persons, windows, 万元 ratios.
Expected figures worked out by hand for 2020Q2 (YTD 2020-01-01..2020-06-30)."""

import pandas as pd
import pytest

from fupin_lib.figures import funds as benefits
from fupin_lib.periods import parse_period
from frames import frame

Q2 = parse_period("2020Q2")


@pytest.fixture
def ben():
    def row(pid, area, route, date, exited=False, exit_date=None):
        return {
            "id_number": pid,
            "area": area,
            "route": route,
            "benefit_date": date,
            "exited": exited,
            "exit_date": exit_date,
        }

    return frame(
        "beneficiaries",
        [
            row("P1", "察右前旗", "资金项目", "2020-02-01", True, "2020-05-01"),
            row("P1", "察右前旗", "产业合作", "2020-05-20", True, "2020-05-01"),  # same person, 2nd row
            row("P2", "和田县", "产业合作", "2020-03-01"),
            row("P3", "和田县", "劳务协作", "2020-07-15", True, "2020-08-01"),  # after the window
            row("P4", "和田县", "产业合作", "2020-06-30", True, "2020-06-30"),  # on the last day
            row("P2", "察右前旗", "消费扶贫", "2020-04-01"),  # P2 in a second area
        ],
    )


@pytest.fixture
def funds():
    def row(area, source, amount, date):
        return {"project": "项目", "area": area, "source": source, "amount_wan": amount, "paid_date": date}

    return frame(
        "funds",
        [
            row("察右前旗", "区级财政", 1000.0, "2020-01-10"),
            row("和田县", "区直部门", 500.0, "2020-03-31"),
            row("和田县", "社会捐赠", 200.0, "2020-02-01"),  # a donation, not extra funds
            row("224团", "区级财政", 300.0, "2020-07-01"),  # after the window
            row("察右前旗", "街道乡镇", 0.5, "2020-06-30"),  # 5,000 元
        ],
    )


@pytest.fixture
def base():
    return frame(
        "poor_base",
        [
            {"area": "察右前旗", "year": 2020, "registered_poor_start": 5000},
            {"area": "和田县", "year": 2020, "registered_poor_start": 12000},
            {"area": "和田县", "year": 2019, "registered_poor_start": 15000},  # another year
        ],
    )


def test_metrics(ben, funds, base):
    got = {
        "extra_funds_wan": benefits.extra_funds_wan(funds, Q2),
        **benefits.people_counts(ben, Q2),
        **benefits.poor_base_metrics(base, Q2),
    }
    assert got == {
        "extra_funds_wan": 1500.5,
        "people_benefited": 3,  # P1, P2, P4
        "people_exited": 2,  # P1, P4
        "industry_people_benefited": 3,  # P1 (2nd row), P2, P4
        "industry_people_exited": 2,  # P1, P4
        "registered_poor_start": 17000,
    }


def test_by_county(ben, funds):
    table = benefits.benefit_by_county(ben, funds, Q2)
    assert table.loc["察右前旗", "惠及贫困人口（人）"] == 2  # P1, P2
    assert table.loc["察右前旗", "每万元惠及人数"] == pytest.approx(2 / 1000.5)
    assert table.loc["和田县", "惠及贫困人口（人）"] == 2  # P2, P4
    assert table.loc["和田县", "助力脱贫人口（人）"] == 1  # P4
    assert table.loc["和田县", "每万元惠及人数"] == pytest.approx(2 / 500)
    assert pd.isna(table.loc["224团", "每万元惠及人数"])  # no funds: no ratio
    # Overall: P2 counts once although benefited in two areas.
    assert table.loc["合计", "惠及贫困人口（人）"] == 3
    assert table.loc["合计", "每万元惠及人数"] == pytest.approx(3 / 1500.5)


def test_quarter_only(ben, funds):
    table = benefits.benefit_by_county(ben, funds, Q2, ytd=False)
    # Apr 1..Jun 30: P1 (May 20), P4 (Jun 30), P2 (Apr 1, 察右前旗); funds 0.5 only
    assert table.loc["合计", "惠及贫困人口（人）"] == 3
    assert table.loc["合计", "额外安排资金（万元）"] == pytest.approx(0.5)


def test_funds_by_quarter(funds):
    table = benefits.funds_by_quarter(funds, Q2)
    assert table.loc["2020Q1", "合计"] == pytest.approx(1500.0)
    assert table.loc["2020Q2", "街道乡镇"] == pytest.approx(0.5)


def test_count_persons_on_a_list():
    from fupin_lib.ingest.idcard import check_digit

    a, b = (s + check_digit(s) for s in ("65322119800101001", "15092619900101002"))
    frame = pd.DataFrame(
        {
            "id_number": [a, a, a.lower(), f" {b[:6]} {b[6:]}", b, a[:17] + ("0" if a[17] != "0" else "1"), None],
            "area": ["和田县", "和田县", "和田县", "察右前旗", "和田县", "和田县", "和田县"],
            "route": ["产业合作", "产业合作", "产业合作", "资金项目", "产业合作", "产业合作", "产业合作"],
        }
    )
    table, acc = benefits.count_persons(frame)
    # a three times on one (area, route): one person; b in two areas; two IDs invalid.
    assert acc == {"rows": 7, "valid": 5, "invalid": 2, "repeated": 2, "persons": 2}
    assert table.loc["和田县", "产业合作"] == 2 and table.loc["察右前旗", "资金项目"] == 1
    assert table.loc["察右前旗", "产业合作"] == 0
