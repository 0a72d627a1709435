"""Plan years the office adds without touching the program (issue 17, item 8): data/plans/<year>/
in the project's data, started by `fupin new-year`, edited in Excel (GBK CSV, "28%"), every error
naming file, row and column, and a plan's year matching its folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import fupin_in as fupin, write_book


@pytest.fixture
def project(tmp_path):
    """A project folder of the office's own (FUPIN_ROOT): its data, no plans of its own yet."""
    root = tmp_path / "project"
    raw = root / "data" / "raw"
    # Four canteens in 2021Q1, ratios 25%, 28%, 29.9% and 40%.
    write_book(
        raw / "区商务局_食堂采购台账_2021.xlsx",
        {
            "食堂采购台账": [
                ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"],
                ["甲食堂", "预算单位食堂", "2021Q1", 100, 25],
                ["乙食堂", "预算单位食堂", "2021Q1", 100, 28],
                ["丙工会", "工会", "2021Q1", 100, 29.9],
                ["丁食堂", "预算单位食堂", "2021Q1", 10, 4],
            ]
        },
    )
    return root


def test_a_new_year_from_the_command_line(project):
    made = fupin(project, "new-year", "2021")
    assert made.returncode == 0, made.stderr
    folder = project / "data" / "plans" / "2021"
    assert (
        "2021年的计划文件夹已建立" in made.stdout and "targets.csv" in made.stdout and "obligations.csv" in made.stdout
    )
    assert "year: 2021" in (folder / "plan.yml").read_text(encoding="utf-8")
    targets = (folder / "targets.csv").read_text(encoding="utf-8")
    assert "funds_wan,东西部扶贫协作携手奔小康资金,全区,7600,万元,2021Q1" in targets and ",2020," not in targets
    assert not (
        Path(__file__).resolve().parents[2] / "fupin_lib" / "reference" / "plans" / "2021"
    ).exists()  # the program untouched
    again = fupin(project, "new-year", "2021")
    assert again.returncode == 2 and "2021年的计划已存在" in again.stderr


def test_a_plan_saved_by_excel_as_gbk_with_a_percentage(project):
    assert fupin(project, "new-year", "2021").returncode == 0
    path = project / "data" / "plans" / "2021" / "targets.csv"
    text = path.read_text(encoding="utf-8").replace("每个预算单位,0.30,比例", "每个预算单位,28%,比例")
    path.write_bytes(text.encode("gbk"))  # Excel on Chinese Windows
    run = fupin(project, "metrics", "--period", "2021Q1", "--json")
    assert run.returncode == 0, run.stderr
    canteen = json.loads(run.stdout)["canteen"]
    # Below 28%: only 甲 (25%); 乙 at exactly 28% reaches it. Overall (25+28+29.9+4)/310.
    assert canteen["target"] == pytest.approx(0.28)
    assert canteen["units_below_target"] == ["甲食堂"]
    assert canteen["overall_ratio"] == pytest.approx(86.9 / 310)


def test_errors_name_the_file_row_and_column(project):
    assert fupin(project, "new-year", "2021").returncode == 0
    folder = project / "data" / "plans" / "2021"
    path = folder / "targets.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("funds_wan,"))
    lines[row] = lines[row].replace(",7600,", ",七千六,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = fupin(project, "metrics", "--period", "2021Q1")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"targets.csv 第{row + 1}行 minimum 列：“七千六”不是数值" in run.stderr


def test_a_plan_whose_year_is_not_its_folders_is_refused(project):
    assert fupin(project, "new-year", "2021").returncode == 0
    plan = project / "data" / "plans" / "2021" / "plan.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("year: 2021", "year: 2020"), encoding="utf-8")
    run = fupin(project, "metrics", "--period", "2021Q1", "--json")
    assert run.returncode == 2 and "year 写的是 2020，与所在文件夹 2021 不符" in run.stderr


def test_the_offices_plan_takes_precedence(project, monkeypatch):
    """A 2020 plan in data/plans/ replaces the shipped one (a corrected target, 8,000 万元)."""
    from fupin_lib import config, refdata

    assert fupin(project, "new-year", "2021", "--from", "2020").returncode == 0
    own = project / "data" / "plans" / "2020"
    (project / "data" / "plans" / "2021").rename(own)
    (own / "plan.yml").write_text(
        (own / "plan.yml").read_text(encoding="utf-8").replace("year: 2021", "year: 2020"), encoding="utf-8"
    )
    t = own / "targets.csv"
    t.write_text(
        t.read_text(encoding="utf-8").replace(",7600,万元,2021Q1", ",8000,万元,2020Q1").replace(",2021,", ",2020,"),
        encoding="utf-8",
    )
    monkeypatch.setattr(config, "PLANS_DATA_DIR", project / "data" / "plans")
    refdata.clear_caches()
    try:
        from fupin_lib.figures.targets import target_value

        assert refdata.plan(2020).folder == own and target_value("funds_wan", 2020) == 8000.0
    finally:
        monkeypatch.undo()
        refdata.clear_caches()
    assert target_value("funds_wan", 2020) == 7600.0
