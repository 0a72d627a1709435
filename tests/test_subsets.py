"""Every report renders with any subset of the ledgers, or none, and says what is missing: not
sent is not zero. And a period of a year without a plan (2021Q1) gets its reports, which say so."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from fupin_lib.periods import parse_period
from fupin_lib.reports.batch import run_reports
from fupin_lib.reports.pdf import pdf_text


def _docx_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        import re
        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))


def test_a_period_with_no_ledgers(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    made = run_reports(parse_period("2020Q2"), raw_dir=raw, out_dir=tmp_path / "reports")
    names = {p.name for p in made}
    assert {"quarterly_report.html", "quarterly_report.pdf", "quarterly_report.docx", "assessment_score.pdf",
            "简报_2020Q2.pdf", "简报_2020Q2.docx", "进展情况表_2020Q2.xlsx"} <= names
    html = (tmp_path / "reports" / "2020Q2" / "quarterly_report.html").read_text(encoding="utf-8")
    assert "<b>未报送：挂职干部台账</b>" in html and "资金台账<strong>未报送</strong>" in html
    assert "0.00 万元" not in html and "已完成" not in html.split("目标完成情况")[-1].split("数据质量")[0]
    brief = pdf_text(tmp_path / "reports" / "2020Q2" / "简报_2020Q2.pdf")
    assert "未报送" in brief and "7,600" not in brief.split("主要数字")[1].split("目标进度")[0]


def test_a_period_with_only_some_ledgers(sample_raw, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("区商务局_食堂采购台账_2020.xlsx", "区委组织部_挂职干部台账_2020.xlsx"):
        shutil.copy(sample_raw / name, raw / name)
    run_reports(parse_period("2020Q2"), raw_dir=raw, out_dir=tmp_path / "reports", notebooks=("quarterly_report",))
    folder = tmp_path / "reports" / "2020Q2"
    html = (folder / "quarterly_report.html").read_text(encoding="utf-8")
    assert "扶贫产品采购比例" in html and "各结对地区在岗挂职干部" in html            # what was sent is shown
    assert "未报送：资金台账、贫困人口受益台账" in html
    docx = _docx_text(folder / "quarterly_report.docx")
    assert "未报送" in docx and "各结对地区在岗挂职干部" in docx


def test_a_year_without_a_plan(sample_raw, tmp_path):
    made = run_reports(parse_period("2021Q1"), raw_dir=sample_raw, out_dir=tmp_path / "reports")
    folder = tmp_path / "reports" / "2021Q1"
    assert {p.name for p in made} >= {"quarterly_report.html", "assessment_score.html", "简报_2021Q1.pdf"}
    html = (folder / "quarterly_report.html").read_text(encoding="utf-8")
    assert "2021年尚无工作计划" in html and "7,600" not in html
    assessment = (folder / "assessment_score.html").read_text(encoding="utf-8")
    assert "2021年尚无考核方案" in assessment and "不会借用其他年份的方案" in assessment
