"""Plan years as data: each year's plan and assessment scheme is a folder of reference data; a
period of a year with no plan gets its figures, no targets and no scheme, and never another
year's."""

from __future__ import annotations

import shutil

import pytest

from conftest import write_book
from fupin_lib import config, refdata
from fupin_lib.assessment.card import load_card, missing_card_note
from fupin_lib.figures import consumption, registry, targets
from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period

SELF = ["事项", "取值"]


@pytest.fixture
def raw(tmp_path):
    raw = tmp_path / "raw"
    write_book(raw / "区经济协作办_自评事项_2020.xlsx", {"自评事项": [SELF, ["has_leading_body", "是"]]})
    write_book(raw / "区经济协作办_自评事项_2021.xlsx", {"自评事项": [SELF, ["has_working_body", "是"]]})
    write_book(
        raw / "区商务局_食堂采购台账_2021.xlsx",
        {
            "食堂采购台账": [
                ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"],
                ["区委食堂", "预算单位食堂", "2021Q1", 10, 1],
            ]
        },
    )
    return raw


def test_a_year_without_a_plan(raw):
    assert refdata.plan(2021) is None and refdata.plan(2020).year == 2020
    result = ingest_folder(raw)
    q1 = parse_period("2021Q1")
    assert targets.progress(result.tables, q1).empty  # no 2020 targets for 2021
    ratios = consumption.canteen_ratios(result.tables["canteen"], q1)
    assert ratios["ratio"].tolist() == [0.1] and not ratios["below_target"].any()  # no target to be below
    assert consumption.canteen_overall(result.tables["canteen"], q1)["target"] is None
    m2021 = registry.compute_metrics(result.tables, q1, result.supplied)
    assert m2021["has_working_body"] == 1 and "has_leading_body" not in m2021  # 2020's item not carried over
    m2020 = registry.compute_metrics(result.tables, parse_period("2020Q4"), result.supplied)
    assert m2020["has_leading_body"] == 1 and "has_working_body" not in m2020
    peers = refdata.plan(2020).peers_file
    assert load_card(peers, own=m2021, period="2021Q1") is None
    assert "2021年尚无考核方案" in missing_card_note(peers, "2021Q1") and "不会借用其他年份" in missing_card_note(
        peers, "2021Q1"
    )


def test_adding_a_year_is_writing_files(tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    shutil.copytree(config.SHIPPED_PLANS_DIR / "2020", plans / "2021")
    folder = plans / "2021"
    (folder / "plan.yml").write_text(
        (folder / "plan.yml")
        .read_text(encoding="utf-8")
        .replace("year: 2020", "year: 2021")
        .replace("2020年", "2021年"),
        encoding="utf-8",
    )
    text = (folder / "targets.csv").read_text(encoding="utf-8")
    (folder / "targets.csv").write_text(
        text.replace("全区,7600,万元,2020Q1", "全区,8000,万元,2021Q1").replace(",2020,", ",2021,"), encoding="utf-8"
    )
    monkeypatch.setattr(config, "SHIPPED_PLANS_DIR", plans)
    refdata.clear_caches()
    try:
        plan = refdata.plan(2021)
        assert plan.year == 2021 and plan.title.startswith("大兴区2021年")
        assert targets.target_value("funds_wan", 2021) == 8000 and refdata.plan(2020) is None
        assert refdata.plan_years() == [2021]
        empty = dict(ingest_folder(tmp_path / "none" if (tmp_path / "none").mkdir() is None else None).tables)
        progress = targets.progress(empty, parse_period("2021Q2")).set_index(["目标", "范围"])
        funds = progress.loc[("东西部扶贫协作携手奔小康资金", "全区")]
        assert funds["目标值"] == 8000 and funds["应完成比例"] == 1.0  # due by the end of 2021Q1
    finally:
        refdata.clear_caches()
