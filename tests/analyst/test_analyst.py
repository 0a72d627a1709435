"""Issue 22, items 2-6 on small folders written by hand: series over periods with the period
before and the year before (a year without ledgers reads 无数据, never 0), filters that say when
they match nothing, the authorised lookup and its access log, Excel export, SQL, round changes.
Every expected figure is worked out by hand from the rows written here."""

from __future__ import annotations

import math
import os
import stat

import openpyxl
import pandas as pd
import pytest

from conftest import write_book
import fupin_lib
from fupin_lib.analyst.lookup import LookupRefused
from fupin_lib.analyst.export import ExportError
from fupin_lib.filters import EmptyFilterWarning, FilterError
from fupin_lib.windows import NoLedgersWarning

FUNDS = ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"]
BEN = ["姓名", "身份证号", "结对地区", "受益途径", "受益日期", "是否脱贫", "脱贫日期"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def an_id(first17_prefix: str, want_x: bool = False) -> str:
    """A valid ID number (GB 11643 check digit), the first one from the prefix whose check is X if asked."""
    for seq in range(1000):
        first17 = f"{first17_prefix}{seq:03d}"
        check = "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]
        if (check == "X") == want_x:
            return first17 + check
    raise AssertionError("no such ID")


@pytest.fixture
def funds_raw(tmp_path):
    """2019: 区级财政 100 (2019-05-10, Q2), 街道乡镇 50 (2019-02-01, Q1).
    2020: 区级财政 300 (2020-02-15, Q1), 区直部门 120 in 和田县 (2020-04-20, Q2), 社会捐赠 40 (2020-05-01,
    a donation, not extra funds)."""
    raw = tmp_path / "raw"
    write_book(
        raw / "区财政局_资金台账_2019.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲", "察右前旗", "区级财政", 100, "2019-05-10"],
                ["乙", "察右前旗", "街道乡镇", 50, "2019-02-01"],
            ]
        },
    )
    write_book(
        raw / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["丙", "察右前旗", "区级财政", 300, "2020-02-15"],
                ["丁", "和田县", "区直部门", 120, "2020-04-20"],
                ["戊", "察右前旗", "社会捐赠", 40, "2020-05-01"],
            ]
        },
    )
    return raw


def test_series_over_quarters_with_previous_and_year_before(funds_raw):
    s = fupin_lib.series("extra_funds_wan", "2020Q1:2020Q2", ytd=False, raw_dir=funds_raw).set_index("period")
    assert s.loc["2020Q1", ["value", "previous", "previous_year"]].tolist() == [300.0, 0.0, 50.0]  # 2019Q4: a real 0
    assert s.loc["2020Q1", "yoy_rate"] == pytest.approx(300 / 50 - 1)
    assert s.loc["2020Q2", ["value", "previous", "change", "previous_year"]].tolist() == [120.0, 300.0, -180.0, 100.0]
    assert s.loc["2020Q2", "change_rate"] == pytest.approx(120 / 300 - 1) and s.loc[
        "2020Q2", "yoy_rate"
    ] == pytest.approx(0.2)
    assert s.loc["2020Q2", "window"] == "本季度（2020年4月1日至2020年6月30日）" and s["note"].eq("").all()
    ytd = fupin_lib.series("extra_funds_wan", ["2020年第二季度"], raw_dir=funds_raw).iloc[0]
    assert (ytd["value"], ytd["previous_year"], ytd["window"]) == (
        420.0,
        150.0,
        "年初至期末累计（2020年1月1日至2020年6月30日）",
    )
    by_fn = fupin_lib.series(fupin_lib.figures.funds.extra_funds_wan, "2020Q1:2020Q2", ytd=False, raw_dir=funds_raw)
    assert by_fn["value"].tolist() == [300.0, 120.0] and by_fn["figure"].iloc[0] == "funds.extra_funds_wan"


def test_a_year_without_ledgers_is_no_data_never_zero(funds_raw):
    with pytest.warns(NoLedgersWarning, match="2018年第二季度.*没有2018年的台账"):
        s = fupin_lib.series("extra_funds_wan", ["2018Q2", "2019Q2"], ytd=False, raw_dir=funds_raw).set_index("period")
    assert math.isnan(s.loc["2018Q2", "value"]) and s.loc["2018Q2", "note"].startswith("无数据")
    assert s.loc["2019Q2", "value"] == 100.0 and math.isnan(s.loc["2019Q2", "previous_year"])
    assert "上年同期无数据（原始台账中没有2018年的台账）" in s.loc["2019Q2", "note"]


def test_a_ledger_nobody_sent_is_not_sent(funds_raw):
    with pytest.warns(NoLedgersWarning, match="未报送"):
        s = fupin_lib.series("people_benefited", "2020Q2", raw_dir=funds_raw)
    assert math.isnan(s["value"].item()) and s["note"].item().startswith("未报送（贫困人口受益台账")


def test_series_with_filters(funds_raw):
    s = fupin_lib.series("extra_funds_wan", "2020Q1:2020Q2", ytd=False, raw_dir=funds_raw, area="和田地区和田县")
    assert s["value"].tolist() == [0.0, 120.0]
    with pytest.raises(FilterError, match="最接近的是“察右前旗”"):
        fupin_lib.series("extra_funds_wan", "2020Q2", raw_dir=funds_raw, area="科右前旗")
    with pytest.raises(ValueError, match="extra_funds_wan"):
        fupin_lib.series("extra_fund_wan", "2020Q2", raw_dir=funds_raw)


def test_filters_say_when_nothing_matches(funds_raw):
    table = fupin_lib.load("funds", raw_dir=funds_raw)
    assert len(fupin_lib.where(table, source=["区级财政", "区直部门"])) == 3
    assert len(fupin_lib.load("funds", raw_dir=funds_raw, department="区财政局")) == 5
    with pytest.raises(FilterError, match="最接近的是“区级财政”"):
        fupin_lib.where(table, "funds", source="区级财")
    with pytest.raises(FilterError, match="是否指“area”"):
        fupin_lib.where(table, area_name="和田县")
    with pytest.raises(FilterError, match="最接近的是“区财政局”"):
        fupin_lib.where(table, department="区财政")
    with pytest.warns(EmptyFilterWarning, match="没有行"):
        assert fupin_lib.where(table, "funds", area="224团").empty  # a valid area, no row


@pytest.fixture
def people_raw(tmp_path):
    """P (ID ending in X) benefited twice in 和田县 (rows 2 and 4 of 和田县's file) and once in 224团's
    file (row 2); Q once (和田县, row 3)."""
    raw = tmp_path / "raw"
    p, q = an_id("65322119760806", want_x=True), an_id("65322119800101")
    write_book(
        raw / "区经济协作办_贫困人口受益台账_和田县_2020.xlsx",
        {
            "贫困人口受益台账": [
                BEN,
                ["阿依古丽", p, "和田县", "资金项目", "2020-03-14", "否", None],
                ["买买提", q, "和田县", "劳务协作", "2020-04-01", "否", None],
                ["阿依古丽", p, "和田县", "产业合作", "2020-05-01", "是", "2020-06-01"],
            ]
        },
    )
    write_book(
        raw / "区经济协作办_贫困人口受益台账_224团_2020.xlsx",
        {"贫困人口受益台账": [BEN, ["阿依古丽", p, "224团", "消费扶贫", "2020-02-02", "否", None]]},
    )
    return raw, p, q


def test_find_person_by_an_id_typed_loosely(people_raw, tmp_path, monkeypatch):
    raw, p, _q = people_raw
    log = tmp_path / "log" / "查询记录.csv"
    monkeypatch.setenv("FUPIN_ACCESS_LOG", str(log))
    typed = p[:6] + " " + p[6:-1] + "x"  # a space, and a lowercase x
    rows = fupin_lib.find_person(typed, reason="核对受益名单", raw_dir=raw)
    assert sorted(zip(rows["来源文件"], rows["行号"])) == [
        ("区经济协作办_贫困人口受益台账_224团_2020.xlsx", 2),
        ("区经济协作办_贫困人口受益台账_和田县_2020.xlsx", 2),
        ("区经济协作办_贫困人口受益台账_和田县_2020.xlsx", 4),
    ]
    assert set(rows["姓名"]) == {"阿依古丽"} and set(rows["身份证号"]) == {p}
    assert sorted(rows["受益途径"]) == ["产业合作", "消费扶贫", "资金项目"]
    by_name = fupin_lib.find_person("阿依古丽", reason="核对受益名单", raw_dir=raw)
    assert len(by_name) == 3
    # The access log: who, when, why, what was returned; the person masked and keyed, never in clear.
    text = log.read_text(encoding="utf-8-sig")
    assert p not in text and p[:6] + "********" + p[-4:] in text and "阿依古丽" not in text
    entries = fupin_lib.access_log()
    assert entries["用途"].tolist() == ["核对受益名单", "核对受益名单"] and entries["返回行数"].tolist() == ["3", "3"]
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    # The masked view shows nobody.
    from fupin_lib.analyst.lookup import masked

    shown = masked(rows).to_string()
    assert p not in shown and "阿依古丽" not in shown


def test_source_rows_behind_clean_rows(people_raw, tmp_path, monkeypatch):
    raw, _p, q = people_raw
    monkeypatch.setenv("FUPIN_ACCESS_LOG", str(tmp_path / "log.csv"))
    clean = fupin_lib.load("beneficiaries", raw_dir=raw, route="劳务协作")
    rows = fupin_lib.source_rows(clean, reason="核对劳务协作名单", raw_dir=raw)
    assert rows[["行号", "姓名", "身份证号"]].values.tolist() == [[3, "买买提", q]]
    with pytest.raises(LookupRefused, match="超过上限"):
        fupin_lib.source_rows(fupin_lib.load("beneficiaries", raw_dir=raw), reason="全部", raw_dir=raw, limit=2)


def test_lookup_needs_a_reason_an_authorised_user_and_a_log(people_raw, tmp_path, monkeypatch):
    raw, p, _q = people_raw
    monkeypatch.setenv("FUPIN_ACCESS_LOG", str(tmp_path / "log.csv"))
    with pytest.raises(LookupRefused, match="须写明用途"):
        fupin_lib.find_person(p, raw_dir=raw)
    users = tmp_path / "users"
    users.write_text("# 授权查询人员\n某某人\n", encoding="utf-8")
    monkeypatch.setenv("FUPIN_LOOKUP_USERS", str(users))
    with pytest.raises(LookupRefused, match="不在授权查询名单"):
        fupin_lib.find_person(p, reason="核对", raw_dir=raw)
    from fupin_lib.analyst.lookup import user

    users.write_text(f"{user()}\n", encoding="utf-8")
    assert len(fupin_lib.find_person(p, reason="核对", raw_dir=raw)) == 3
    blocked = tmp_path / "no-such-dir"
    blocked.write_text("a file where the log's folder should be", encoding="utf-8")
    monkeypatch.setenv("FUPIN_ACCESS_LOG", str(blocked / "log.csv"))
    with pytest.raises(LookupRefused, match="无法写入"):
        fupin_lib.find_person(p, reason="核对", raw_dir=raw)


def test_to_excel_round_trip(tmp_path):
    """Chinese headers from the data dictionary and computed columns, 万元 / % / date formats,
    a frozen header, widths fitted to the longest cell."""
    df = pd.DataFrame(
        {
            "unit": ["区委办机关食堂", "甲"],
            "unit_type": ["预算单位食堂", "工会"],
            "food_total_wan": [1234.5, 10.0],
            "ratio": [0.25, 0.4],
            "below_target": [True, False],
            "paid_date": pd.to_datetime(["2020-06-30", "2020-01-02"]),
        }
    )
    df.attrs["口径"] = "本季度（2020年4月1日至2020年6月30日）"
    path = fupin_lib.to_excel(df, tmp_path / "比例.xlsx", table="canteen")
    back = pd.read_excel(path, engine="calamine")
    assert back.columns.tolist() == [
        "单位名称",
        "单位类型",
        "食材采购总额（万元）",
        "扶贫产品采购比例",
        "低于目标",
        "拨付日期",
    ]
    assert back["食材采购总额（万元）"].tolist() == [1234.5, 10.0] and back["扶贫产品采购比例"].tolist() == [0.25, 0.4]
    assert back["低于目标"].tolist() == ["是", "否"] and back["单位名称"].tolist() == ["区委办机关食堂", "甲"]
    ws = openpyxl.load_workbook(path)["数据"]
    assert ws.freeze_panes == "A2"
    assert (
        ws["C2"].number_format == "#,##0.00"
        and ws["D2"].number_format == "0.0%"
        and ws["F2"].number_format == "yyyy-mm-dd"
    )
    assert ws.column_dimensions["A"].width >= 14 + 2  # 区委办机关食堂: 7 characters, 14 wide
    notes = openpyxl.load_workbook(path)["说明"]
    assert notes["B1"].value == "本季度（2020年4月1日至2020年6月30日）"


def test_to_excel_refuses_personal_data_in_clear(people_raw, tmp_path, monkeypatch):
    raw, p, _q = people_raw
    log = tmp_path / "log.csv"
    monkeypatch.setenv("FUPIN_ACCESS_LOG", str(log))
    rows = fupin_lib.find_person(p, reason="核对", raw_dir=raw)
    with pytest.raises(ExportError, match="身份证号或手机号明文"):
        fupin_lib.to_excel(rows, tmp_path / "名单.xlsx")
    assert not (tmp_path / "名单.xlsx").exists()
    path = fupin_lib.to_excel(rows, tmp_path / "名单.xlsx", allow_personal=True, reason="报市里核对")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert fupin_lib.access_log()["操作"].tolist() == ["find_person", "to_excel"]


def test_sql_over_the_store(funds_raw):
    assert fupin_lib.sql("select count(*) as n from funds", raw_dir=funds_raw)["n"].item() == 5
    got = fupin_lib.sql(
        "select source, sum(amount_wan) as wan from funds where paid_date >= $d group by source order by source",
        raw_dir=funds_raw,
        d="2020-01-01",
    )
    assert dict(zip(got["source"], got["wan"])) == {"区级财政": 300.0, "区直部门": 120.0, "社会捐赠": 40.0}
    assert fupin_lib.sql("select count(*) as n from cadres", raw_dir=funds_raw)["n"].item() == 0
    with pytest.raises(ValueError, match="可用的表"):
        fupin_lib.sql("select * from fund", raw_dir=funds_raw)


def test_round_changes_with_the_changed_rows(tmp_path):
    """乙 changed 200 -> 250, 丙 removed, 丁 added: one row each."""
    raw = tmp_path / "raw"
    write_book(
        raw / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙", "和田县", "区级财政", 200, "2020-03-01"],
                ["丙", "和田县", "区级财政", 70, "2020-03-05"],
            ]
        },
    )
    write_book(
        raw / "2020年第二季度" / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                FUNDS,
                ["甲", "和田县", "区级财政", 100, "2020-02-01"],
                ["乙", "和田县", "区级财政", 250, "2020-03-01"],
                ["丁", "和田县", "区级财政", 50, "2020-05-01"],
            ]
        },
    )
    changes = fupin_lib.round_changes(raw).set_index("变化")
    assert sorted(changes.index) == ["修改", "删除", "新增"]
    assert changes.loc["修改", ["列", "原值", "新值"]].tolist() == ["amount_wan", "200.0", "250.0"]
    assert "project=乙" in changes.loc["修改", "行的标识"] and "project=丙" in changes.loc["删除", "行的标识"]
    assert changes.loc["新增", "行号"] == 4 and changes.loc["新增", "轮次"] == "2020年第二季度"
    notes = fupin_lib.notices(raw)
    assert "新增 1 行、修改 1 行、删除 1 行" in " ".join(notes.loc[notes["类型"] == "更正", "说明"])
