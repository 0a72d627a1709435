"""A figure 100 times its target is a bug until shown otherwise (issue 17, item 2).

区财政局 types one row in 元 into the 万元 column: 1,250,000 where 125 was meant. The row is read
and counted, but every figure it feeds reads 待核, and the commands name it, until the office
confirms it in data/核对确认.csv. Bounds from reference/bounds.yml: one funds row above the
year's whole target (7,600 万元), a year-to-date total above twice it (15,200 万元)."""

from __future__ import annotations

import json

import pytest

from conftest import fupin_in as fupin, write_book
from fupin_lib.figures import plausibility, targets
from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period
from fupin_lib.reports import notebook_api

HEAD = ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    raw = root / "data" / "raw"
    write_book(
        raw / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                HEAD,
                ["甲", "和田县", "区级财政", 2000, "2020-02-01"],
                ["乙", "和田县", "区级财政", 1_250_000, "2020-02-02"],
            ]
        },
    )
    write_book(raw / "各镇街_资金台账_2020.xlsx", {"资金台账": [HEAD, ["丙", "和田县", "街道乡镇", 100, "2020-02-03"]]})
    return root


def test_the_row_is_found_against_the_years_target(project):
    result = ingest_folder(project / "data" / "raw")
    q2 = parse_period("2020Q2")
    found = plausibility.suspects(result.tables, q2)
    assert [(s.file, s.row, s.value, s.bound) for s in found] == [
        ("区财政局_资金台账_2020.xlsx", 3, 1_250_000.0, 7600.0),  # the row, above 7,600
        (None, None, 1_252_100.0, 15_200.0),
    ]  # the total, above 2 x 7,600
    assert "单行超过2020年全年目标 7,600 万元" in str(found[0]) and "第3行" in str(found[0])


def test_every_figure_it_feeds_reads_pending(project):
    raw = project / "data" / "raw"
    result = ingest_folder(raw)
    data = notebook_api.PeriodData(parse_period("2020Q2"), "大兴区", raw, result, {})
    assert data.metrics["extra_funds_wan"] == pytest.approx(1_252_100.0)  # counted in the store …
    assert notebook_api.key_figures(data).loc["区级财政额外安排资金（万元）"].tolist() == [
        "待核",
        "待核",
    ]  # … never shown
    assert "1,252,100" not in notebook_api.highlights(data) and "已达到全年" not in notebook_api.highlights(data)
    assert "区级财政额外安排资金**待核**" in notebook_api.highlights(data)
    funds = (
        targets.progress(data.tables, data.period, data.supplied)
        .set_index(["目标", "范围"])
        .loc[("东西部扶贫协作携手奔小康资金", "全区")]
    )
    assert funds["状态"] == "待核" and funds["完成值"] is None  # not 已完成 16,474%


def test_the_commands_name_it_and_the_office_confirms_it(project):
    metrics = fupin(project, "metrics", "--period", "2020Q2", "--json")
    assert metrics.returncode == 0, metrics.stderr
    doc = json.loads(metrics.stdout)
    assert doc["metrics"]["extra_funds_wan"] == "待核"
    assert doc["incomplete"]["extra_funds_wan"]["status"] == "待核"
    assert "区财政局_资金台账_2020.xlsx / 资金台账 / 第3行" in metrics.stderr and "核对确认.csv" in metrics.stderr
    for args in (("ingest",), ("status", "--period", "2020Q2"), ("metrics", "--period", "2020Q2")):
        run = fupin(project, *args)
        assert run.returncode == 0 and "第3行" in run.stderr and "待核" in run.stderr, (args, run.stderr)
    # The office checks with 区财政局: the amount really is 1,250,000 万元 (it is not, but it says so).
    (project / "data" / "核对确认.csv").write_text(
        "台账,文件,工作表,行号,列,数值（万元）,确认人,确认日期,说明\n"
        "资金台账,区财政局_资金台账_2020.xlsx,资金台账,3,金额,1250000,张科长,2020-07-03,已与区财政局核实\n"
        "资金台账,,,合计,金额,1252100,张科长,2020-07-03,\n",
        encoding="gbk",
    )
    confirmed = fupin(project, "metrics", "--period", "2020Q2", "--json")
    assert json.loads(confirmed.stdout)["metrics"]["extra_funds_wan"] == pytest.approx(1_252_100.0)
    assert "第3行" not in confirmed.stderr
