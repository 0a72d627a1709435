"""Two years in one raw folder (2020年/ and 2021年/, rounds inside each): a later year's files
never replace an earlier year's; each department's ledger of a year is the truth for that year;
the previous year's figures and growth. Figures worked out by hand in tests/two_years.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_book
from fupin_lib import config
from fupin_lib.figures import previous_year as py
from fupin_lib.figures.registry import compute_metrics, metrics_document
from fupin_lib.ingest import ingest_folder
from fupin_lib.ingest.years import ledger_year, year_view
from fupin_lib.periods import parse_period
from two_years import K1, make_two_years

FUPIN = Path(sys.executable).parent / "fupin"
KEYS = (
    "extra_funds_wan",
    "people_benefited",
    "people_exited",
    "party_cadres_self_selected",
    "cadres_off_poverty_posts",
    "professionals_12m_plus",
)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory) -> Path:
    return make_two_years(tmp_path_factory.mktemp("years") / "raw")


@pytest.fixture(scope="module")
def result(two_years):
    return ingest_folder(two_years)


def figures(result, code: str) -> dict:
    p = parse_period(code)
    view = year_view(result, p.year)
    m = compute_metrics(view.tables, p, view.supplied)
    return {k: m[k] for k in KEYS}


def test_the_year_of_a_file():
    assert ledger_year("2021年/2021年第二季度/区财政局_资金台账.xlsx") == 2021
    assert ledger_year("2020年/区财政局_资金台账_2020.xlsx") == 2020
    assert ledger_year("2021年/2021年第二季度/区财政局_资金台账_2020.xlsx") == 2021  # the round decides
    assert ledger_year("区财政局_资金台账.xlsx") is None


def test_2020_figures_are_not_changed_by_the_2021_files(result):
    # by hand: funds 100 + 200 + 50; P1 P2 P3 benefited, P1 lifted out; K1 K2 self-selected; E 12 months
    assert figures(result, "2020") == {
        "extra_funds_wan": 350,
        "people_benefited": 3,
        "people_exited": 1,
        "party_cadres_self_selected": 2,
        "cadres_off_poverty_posts": 0,
        "professionals_12m_plus": 1,
    }
    assert figures(result, "2020H1") == {
        "extra_funds_wan": 300,
        "people_benefited": 2,
        "people_exited": 0,
        "party_cadres_self_selected": 2,
        "cadres_off_poverty_posts": 0,
        "professionals_12m_plus": 0,
    }


def test_2020_figures_equal_those_of_the_2020_folder_alone(two_years, result, tmp_path):
    alone = tmp_path / "raw"
    shutil.copytree(two_years / "2020年", alone / "2020年")
    only = ingest_folder(alone)
    for code in ("2020Q2", "2020H1", "2020"):
        p = parse_period(code)
        view = year_view(result, 2020)
        assert compute_metrics(view.tables, p, view.supplied) == compute_metrics(only.tables, p, only.supplied), code


def test_2021_figures_read_the_2021_ledgers(result):
    # by hand: 丁 150 (its second round) + 戊 300; P1 P4 benefited, P4 lifted out; K1 and K4 (K2's 2020
    # row runs to 2021-06-30 but the 2021 ledger no longer lists him); K4 off a poverty post; E carried
    assert figures(result, "2021H1") == {
        "extra_funds_wan": 450,
        "people_benefited": 2,
        "people_exited": 1,
        "party_cadres_self_selected": 2,
        "cadres_off_poverty_posts": 1,
        "professionals_12m_plus": 1,
    }
    view = year_view(result, 2021)
    carried = [n.message for n in view.notices if "未报送2021年" in n.message]
    assert carried == ["区人力社保局未报送2021年的挂职干部台账：2021年的数字按其2020年台账中延续到2021年的 1 行计"]
    assert not [n for n in year_view(result, 2020).notices if "2021年第二季度" in n.file]


def test_a_carry_over_cadre_is_no_rejected_row(result):
    assert not len(result.rejections), result.rejections.to_dict("records")
    rows = result.tables["cadres"]
    k1 = rows[rows["id_number_masked"].str.startswith(K1[:6]) & rows["id_number_masked"].str.endswith(K1[-4:])]
    assert sorted(k1["_file"].map(ledger_year)) == [2020, 2021]
    assert not [n for n in result.notices if "多个部门" in n.message]
    statuses = {s.file: s.status for s in result.sheets}
    assert statuses["2020年/2020年第四季度/区委组织部_挂职干部台账_2020.xlsx"] == "计入"
    assert statuses["2021年/2021年第一季度/区财政局_资金台账_2021.xlsx"] == "已被2021年第二季度报送取代"


def test_previous_year_and_growth_from_the_ledgers(result):
    p = parse_period("2021H1")
    view = year_view(result, 2021)
    current = metrics_document(view.tables, p, supplied=view.supplied)["metrics"]
    doc = py.document(result, p, "大兴区", current)
    assert set(doc["previous_year"]) == set(current) == set(doc["growth"])
    assert doc["previous_year"]["extra_funds_wan"] == 300
    assert doc["growth"]["extra_funds_wan"] == pytest.approx(450 / 300 - 1, abs=1e-6)  # +50%
    assert doc["previous_year"]["people_benefited"] == 2 and doc["growth"]["people_benefited"] == 0
    assert doc["previous_year"]["people_exited"] == 0 and doc["growth"]["people_exited"] == "—"  # 1 over 0
    assert doc["previous_year"]["leadership_meetings"] == "未报送" and doc["growth"]["leadership_meetings"] == "无数据"
    assert doc["previous_year_source"]["period"] == "2020H1"
    # the whole year 2021 (its ledgers reach June) against the whole 2020
    whole = py.previous_year(result, parse_period("2021"))
    assert whole.of("extra_funds_wan") == 350 and whole.of("people_benefited") == 3


def test_metrics_cli_prints_previous_year_and_growth(two_years, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "COLUMNS": "200",
        "FUPIN_ROOT": str(tmp_path),
        "FUPIN_CACHE": str(tmp_path / "cache"),
        "FUPIN_SECRET": str(config.SECRET_FILE),
    }
    run = subprocess.run(
        [str(FUPIN), "metrics", "--period", "2021H1", "--raw", str(two_years), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    doc = json.loads(run.stdout)
    assert doc["metrics"]["extra_funds_wan"] == 450
    assert doc["previous_year"]["extra_funds_wan"] == 300 and doc["growth"]["extra_funds_wan"] == 0.5
    table = subprocess.run(
        [str(FUPIN), "metrics", "--period", "2021H1", "--raw", str(two_years)], capture_output=True, text=True, env=env
    )
    assert table.returncode == 0, table.stderr
    assert "上年同期" in table.stdout and "+50.0%" in table.stdout
    assert "区人力社保局未报送2021年的挂职干部台账" in table.stderr
    # 2020's figures: unchanged, and the raw folder has no 2019
    run = subprocess.run(
        [str(FUPIN), "metrics", "--period", "2020", "--raw", str(two_years), "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    doc = json.loads(run.stdout)
    assert doc["metrics"]["extra_funds_wan"] == 350
    assert set(doc["previous_year"].values()) == {"无数据"} and set(doc["growth"].values()) <= {"无数据", "—"}


def test_previous_year_from_the_table_the_office_types(two_years, tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(two_years / "2021年", raw / "2021年")  # no 2020 ledgers
    typed = tmp_path / "上年数据"
    monkeypatch.setattr(config, "PREVIOUS_YEAR_DIR", typed)
    result = ingest_folder(raw)
    assert py.previous_year(result, parse_period("2021")).of("extra_funds_wan") == "无数据"
    write_book(
        typed / "2020年.xlsx",
        {
            "Sheet1": [
                ["指标", "数值", "来源", "期间"],
                ["区级财政额外安排资金（万元）", "350", "2020年全年资金决算", None],
                ["extra_funds_wan", "300", "2020年上半年统计", "2020H1"],
                ["people_benefited", "3", "2020年名单", ""],
            ]
        },
    )
    whole = py.previous_year(result, parse_period("2021"))
    assert whole.of("extra_funds_wan") == 350 and whole.of("people_benefited") == 3
    assert whole.notes["extra_funds_wan"] == "2020年全年资金决算" and "上年数据表" in whole.source
    half = py.previous_year(result, parse_period("2021H1"))
    assert half.of("extra_funds_wan") == 300
    assert half.of("people_benefited") == "无数据"  # a whole-year figure does not compare with a half-year
    view = year_view(result, 2021)
    m = compute_metrics(view.tables, parse_period("2021"), view.supplied)
    assert py.growth_of(m, whole)["extra_funds_wan"] == pytest.approx(450 / 350 - 1, abs=1e-6)


def test_a_bad_previous_year_table_is_named(tmp_path, monkeypatch, two_years):
    typed = tmp_path / "上年数据"
    monkeypatch.setattr(config, "PREVIOUS_YEAR_DIR", typed)
    write_book(
        typed / "2020.xlsx",
        {"Sheet1": [["指标", "数值", "来源"], ["区级财政额外安排资金（万元）", "很多", ""], ["不存在的指标", "3", ""]]},
    )
    with pytest.raises(py.PreviousYearError) as caught:
        py.from_typed(parse_period("2021"))
    text = str(caught.value)
    assert "2020.xlsx" in text and "第2行“数值”列" in text and "很多" in text and "第3行“指标”列" in text


def test_the_sample_has_no_previous_year(sample_raw):
    value, source = py.previous_value("extra_funds_wan", "2020Q2", ingest_folder(sample_raw))
    assert (value, source) == ("无数据", "")


def test_the_sample_beside_a_2021_folder_keeps_every_2020_figure(sample_raw, two_years, tmp_path):
    """The held-out case: the 2020 sample in 2020年/ and a 2021 round in 2021年/: every 2020Q4
    figure as the sample alone gives it (not 0 万元, 0 persons and one cadre)."""
    raw = tmp_path / "raw"
    shutil.copytree(sample_raw, raw / "2020年")
    shutil.copytree(two_years / "2021年" / "2021年第二季度", raw / "2021年" / "2021年第四季度")
    p = parse_period("2020Q4")
    both, alone = ingest_folder(raw), ingest_folder(sample_raw)
    view = year_view(both, 2020)
    mine = metrics_document(view.tables, p, supplied=view.supplied)
    theirs = metrics_document(alone.tables, p, supplied=alone.supplied)
    assert mine["metrics"] == theirs["metrics"] and mine["cadres_by_county"] == theirs["cadres_by_county"]
    assert theirs["metrics"]["extra_funds_wan"] > 0 and theirs["metrics"]["people_benefited"] > 0
    assert not both.rejections["原因"].str.contains("2021年").any()
