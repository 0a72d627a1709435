"""The year-end report (2020H2) reads as a 全年总结: 2020年全年, targets 完成 or 未完成, the unmet ones
with their departments, the previous year (无数据 on the sample, which has no 2019 ledgers), the
funds statistics table, and file names of its own."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile

import pytest

from fupin_lib.reports import annual, notebook_api


@pytest.fixture(scope="module")
def year_end(report_batch):
    """The session's batch (conftest.report_batch), which makes 2020H2 with 2020Q2 and 2020H1."""
    return report_batch


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_file_names_of_its_own(year_end, report_batch):
    out, _made = year_end
    h1, _ = report_batch
    mine = {p.name for p in (out / "2020H2").iterdir()}
    first_half = {p.name for p in (h1 / "2020H1").iterdir()}
    assert {
        "annual_report.html",
        "annual_report.pdf",
        "annual_report.docx",
        "assessment_score_annual.html",
        "assessment_score_annual.pdf",
        "简报_2020H2.pdf",
        "进展情况表_2020H2.xlsx",
    } <= mine
    assert not mine & first_half


def test_the_report_reads_the_whole_year(year_end):
    out, _made = year_end
    html = (out / "2020H2" / "annual_report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", "", pdf_text(out / "2020H2" / "annual_report.pdf"))
    for seen in (html, text):
        assert "全年工作总结" in seen and "2020年全年（2020年1月1日至12月31日）" in re.sub(r"\s+", "", seen)
        assert "下半年（2020年7月1日" not in re.sub(r"\s+", "", seen) and "2020-01-01" not in seen
    with zipfile.ZipFile(out / "2020H2" / "annual_report.docx") as z:
        word = re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode("utf-8"))
    assert "2020年全年" in word and "未完成" in word


def test_targets_are_met_or_not(year_end, sample_raw):
    out, _made = year_end
    data = notebook_api.load_period(sample_raw, "2020H2")
    prog = annual.year_end_progress(data)
    assert set(prog["状态"]) <= {"完成", "未完成", "待核", "无数据"}
    # by hand: the 2020 plan's funds target is 7,600 万元 (targets_2020.csv); the generator's own sum
    expected = json.loads((sample_raw.parent / "manifest.json").read_text(encoding="utf-8"))["expected"]
    funds = prog[prog["目标"].str.contains("资金") & (prog["单位"] == "万元")].iloc[0]
    assert funds["状态"] == ("完成" if expected["extra_funds_wan_2020"] >= 7600 else "未完成")
    html = (out / "2020H2" / "annual_report.html").read_text(encoding="utf-8")
    assert "各责任部门全年目标完成情况" in html and "全年主要指标" in html
    statuses = set(re.findall(r"<td[^>]*>(完成|未完成|进度正常|落后|未到期|逾期未完成)</td>", html))
    assert statuses and statuses <= {"完成", "未完成"}
    unmet = prog[prog["状态"] == "未完成"]
    if len(unmet):
        assert "未完成的目标及责任部门" in html
        for departments in unmet["责任部门"]:
            assert departments.split("、")[0] in html
    else:
        assert "数据齐全的全年目标均已完成" in html


def test_previous_year_column_reads_no_data(year_end):
    out, _made = year_end
    html = (out / "2020H2" / "annual_report.html").read_text(encoding="utf-8")
    assert "2020年与上年比较" in html and "2019年" in html
    table = html[html.index("2020年与上年比较") :]
    table = table[: table.index("</table>")]
    assert table.count("无数据") >= 24 and "没有2019年的台账" in html  # 12 figures: 上年 and 增长 each
    assessment = (out / "2020H2" / "assessment_score_annual.html").read_text(encoding="utf-8")
    assert "财政援助资金统计表" in assessment and "结对县数" in assessment and "无数据" in assessment
