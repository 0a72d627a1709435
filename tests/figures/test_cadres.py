"""Cadre counts: window overlap, tenure bands, distinct persons. Expected figures worked out
by hand from ledgers.md (ledger 3) for period 2020Q2 (YTD 2020-01-01..2020-06-30)."""

import pytest

from fupin_lib.figures import cadres
from fupin_lib.periods import parse_period
from frames import frame

Q2 = parse_period("2020Q2")


def person(pid, category, area, start, end, self_selected=True, on_post=True, specialty=None):
    return {
        "name": f"人{pid}",
        "id_number": f"ID{pid}",
        "category": category,
        "specialty": specialty,
        "home_unit": "区某单位",
        "area": area,
        "start_date": start,
        "end_date": end,
        "self_selected": self_selected,
        "on_poverty_post": on_post,
    }


@pytest.fixture
def ledger():
    return frame(
        "cadres",
        [
            # A: in post all year, 731 days -> 12个月以上
            person("A", "党政干部", "察右前旗", "2019-07-01", "2021-06-30"),
            # B: new in Q2; May 10 -> Nov 9 = 184 days -> 6-12个月; not self-selected, off a poverty post
            person("B", "党政干部", "和田县", "2020-05-10", "2020-11-09", self_selected=False, on_post=False),
            # C: 20 days: a short exchange, not dispatched talent
            person("C", "专业技术人才", "正镶白旗", "2020-03-01", "2020-03-20", specialty="教育"),
            # D: Jan 15 -> Apr 14 = 91 days -> 1-6个月
            person("D", "专业技术人才", "和田县", "2020-01-15", "2020-04-14", specialty="医疗"),
            # E: ended before the window
            person("E", "专业技术人才", "224团", "2019-09-01", "2019-12-31", specialty="农业"),
            # F: starts on the window's last day; 365 days -> 12个月以上 (boundary)
            person("F", "专业技术人才", "224团", "2020-06-30", "2021-06-29", specialty="医疗"),
            # G: starts after the window
            person("G", "专业技术人才", "苏尼特右旗", "2020-07-01", "2020-12-31", specialty="教育"),
            # H: Feb 1 -> Aug 1 = 183 days -> 6-12个月 (boundary); not self-selected
            person("H", "专业技术人才", "察右前旗", "2020-02-01", "2020-08-01", self_selected=False, specialty="科技"),
            # I: D again, listed by a second department: counted once
            person("D", "专业技术人才", "和田县", "2020-01-15", "2020-04-14", specialty="医疗"),
            # J: exactly 30 days -> 1-6个月 (boundary)
            person("J", "专业技术人才", "察右前旗", "2020-01-01", "2020-01-30", specialty="文化"),
            # K: no end date: in post, tenure counted to Jun 30 = 91 days -> 1-6个月
            person("K", "专业技术人才", "苏尼特右旗", "2020-04-01", None, specialty="社会工作"),
        ],
    )


def test_tenure_band_boundaries():
    import pandas as pd

    days = pd.Series([29, 30, 182, 183, 364, 365])
    assert cadres.tenure_band(days).tolist() == ["短期交流", "1-6个月", "1-6个月", "6-12个月", "6-12个月", "12个月以上"]


def test_metrics_ytd(ledger):
    assert cadres.cadre_metrics(ledger, Q2) == {
        "party_cadres_self_selected": 1,  # A
        "cadres_off_poverty_posts": 1,  # B
        "professionals_1_6m": 3,  # D, J, K (H is not self-selected)
        "professionals_6_12m": 0,
        "professionals_12m_plus": 1,  # F
    }


def test_counts_by_county(ledger):
    table = cadres.counts_by_county(ledger, Q2)
    assert table.loc["察右前旗", ["党政干部", "专业技术人才"]].tolist() == [1, 2]  # A; H, J
    assert table.loc["正镶白旗", ["党政干部", "专业技术人才"]].tolist() == [0, 0]  # C is a short exchange
    assert table.loc["苏尼特右旗", ["党政干部", "专业技术人才"]].tolist() == [0, 1]  # K
    assert table.loc["和田县", ["党政干部", "专业技术人才"]].tolist() == [1, 1]  # B; D once
    assert table.loc["224团", ["党政干部", "专业技术人才"]].tolist() == [0, 1]  # F
    assert table.loc["合计", "合计"] == 7


def test_quarter_window_and_new(ledger):
    quarter = cadres.counts_by_county(ledger, Q2, ytd=False)
    # In post Apr 1..Jun 30: A, B, D (ends Apr 14), F, H, K; J ended Jan 30.
    assert quarter.loc["合计", "合计"] == 6
    new = cadres.counts_by_county(ledger, Q2, ytd=False, new_only=True)
    assert new.loc["合计", "合计"] == 3  # B, F, K started in Q2
    assert new.loc["和田县", "党政干部"] == 1


def test_professionals_by_band(ledger):
    table = cadres.professionals_by_band(ledger, Q2)
    assert table.loc["医疗", "1-6个月"] == 1 and table.loc["医疗", "12个月以上"] == 1
    assert table.loc["教育", "短期交流"] == 1
    assert table.loc["科技", "6-12个月"] == 1
    assert table.loc["合计", ["1-6个月", "6-12个月", "12个月以上", "短期交流"]].tolist() == [3, 1, 1, 1]


def test_dispatched_by_the_plans_scopes(ledger):
    got = cadres.dispatched_by_scope(ledger, Q2)
    assert got[("dispatched_total", "全区")] == 7
    assert (got[("party_cadres", "内蒙古")], got[("party_cadres", "新疆")]) == (1, 1)
    assert got[("professionals", "全区")] == 5


def test_short_exchange_does_not_hide_a_later_posting():
    ledger = frame(
        "cadres",
        [
            person("Z", "专业技术人才", "和田县", "2020-01-05", "2020-01-19", specialty="医疗"),  # 15 days
            person("Z", "专业技术人才", "和田县", "2020-03-01", "2020-12-31", specialty="医疗"),  # 306 days
        ],
    )
    assert cadres.cadre_metrics(ledger, Q2)["professionals_6_12m"] == 1
    assert cadres.counts_by_county(ledger, Q2).loc["和田县", "专业技术人才"] == 1
