"""Every report renders with any subset of the ledgers, or none, and says what is missing: not
sent is not zero. And a period of a year without a plan (2021Q1) gets its reports, which say so."""

from __future__ import annotations

import shutil
import zipfile

from fupin_lib.periods import parse_period
from fupin_lib.reports.batch import run_reports


def _docx_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        import re

        return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))


# A period with no ledgers at all: the README's `fupin report` runs on an empty folder
# (tests/cli/test_readme_commands.py::test_an_empty_folder_reads_not_sent).


def test_a_period_with_only_some_ledgers(sample_raw, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("区商务局_食堂采购台账_2020.xlsx", "区委组织部_挂职干部台账_2020.xlsx"):
        shutil.copy(sample_raw / name, raw / name)
    run_reports(parse_period("2020Q2"), raw_dir=raw, out_dir=tmp_path / "reports", notebooks=("quarterly_report",))
    folder = tmp_path / "reports" / "2020Q2"
    html = (folder / "quarterly_report.html").read_text(encoding="utf-8")
    assert "扶贫产品采购比例" in html and "各结对地区在岗挂职干部" in html  # what was sent is shown
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
