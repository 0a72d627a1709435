"""Every document of the 2020Q2 and 2020H1 batches as a reader opens it (issue 12).

The PDFs (the reports, the assessment, the brief) are checked from poppler's word boxes; the
Word and Excel files are opened with python-docx / openpyxl and laid out by LibreOffice, whose
PDF gets the same checks. The HTML pages are measured in Chromium in test_html.py, and the
workbook's stored values are compared with the reports' figures in test_shared_figures.py.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document as open_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from layout import page_fill, pdf_faults, pdf_pages, shared_tool

PERIODS = ("2020Q2", "2020H1")
A4_MM = (210, 297)


def _files(out, suffix: str) -> list:
    return sorted(p for code in PERIODS for p in (out / code).iterdir() if p.suffix == suffix)


@pytest.fixture(scope="module")
def batch(report_batch):
    out, _made = report_batch
    return out


@pytest.fixture(scope="module")
def office_pdfs(batch, tmp_path_factory):
    """Each .docx and .xlsx of the batch laid out by LibreOffice ({file: its PDF}), with the
    project's Chinese face made visible to it (as on an office PC with a CJK font)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip(
            "LibreOffice is not installed (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui; make test installs them)"
        )
    from fupin_lib.render.fonts import sc_font_path

    home = tmp_path_factory.mktemp("lo-home")
    (home / ".fonts").mkdir()
    shutil.copy(sc_font_path(), home / ".fonts")
    made = {}
    for source in _files(batch, ".docx") + _files(batch, ".xlsx"):
        out = home / "out" / source.parent.name
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
            env={**os.environ, "HOME": str(home)},
            capture_output=True,
            timeout=180,
            check=True,
        )
        made[source] = out / f"{source.stem}.pdf"
        assert made[source].is_file(), f"LibreOffice made no PDF of {source.name}"
    return made


def test_every_document_is_there(batch):
    for code in PERIODS:
        names = {p.name for p in (batch / code).iterdir()}
        report = "quarterly_report" if "Q" in code else "half_year_report"
        assert {
            f"{report}.html",
            f"{report}.pdf",
            f"{report}.docx",
            "assessment_score.html",
            "assessment_score.pdf",
            f"简报_{code}.pdf",
            f"简报_{code}.docx",
            f"进展情况表_{code}.xlsx",
        } <= names


def test_pdfs_lay_out_cleanly(batch):
    pdfs = _files(batch, ".pdf")
    assert len(pdfs) == 6
    assert [fault for pdf in pdfs for fault in pdf_faults(pdf)] == []


def test_no_page_under_a_quarter_full_but_the_last(batch):
    """Every leader PDF of 2020Q2, 2020H1 and 2020H2: each page but the last is used at least a
    quarter of the way down its text area."""
    pdfs = sorted(p for code in LEADER_PERIODS for p in (batch / code).glob("*.pdf"))
    assert len(pdfs) == 9
    thin = [
        f"{pdf.parent.name}/{pdf.name} 第{page.number}页 {page_fill(page):.0%}"
        for pdf in pdfs
        for page in pdf_pages(pdf)[:-1]
        if page_fill(page) < 0.25
    ]
    assert thin == []


def test_brief_is_two_to_four_pages(batch):
    for code in PERIODS:
        assert 2 <= len(pdf_pages(batch / code / f"简报_{code}.pdf")) <= 4


def test_word_files_open_with_east_asian_fonts_tables_and_pictures(batch):
    docs = _files(batch, ".docx")
    assert len(docs) == 4
    for path in docs:
        doc = open_docx(str(path))
        assert doc.tables and doc.inline_shapes, path.name  # the brief's chart of its targets too
        for section in doc.sections:  # A4, either way round
            size = sorted((round(section.page_width / Mm(1)), round(section.page_height / Mm(1))))
            assert tuple(size) == A4_MM, path.name
        with zipfile.ZipFile(path) as z:
            styles = z.read("word/styles.xml").decode("utf-8")
            body = z.read("word/document.xml").decode("utf-8")
        assert 'w:eastAsia="仿宋_GB2312"' in styles, path.name  # the default and every style (GB fonts)
        assert "PAGE" in "".join(z_text for z_text in _footers(path)), path.name
        assert "表1" in body and "图1" in body


def _footers(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")]


def test_reviewers_office_check_passes(batch):
    tool = shared_tool("office_files.py")
    files = _files(batch, ".docx") + _files(batch, ".xlsx")
    result = subprocess.run([sys.executable, str(tool), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workbook_prints_on_a4_fit_to_width_with_page_numbers(batch):
    import openpyxl

    for path in _files(batch, ".xlsx"):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            setup = ws.page_setup
            assert setup.paperSize in (9, "9") and setup.orientation == "landscape", ws.title
            # fitToWidth left out of the file means 1 (the OOXML default): one page wide
            assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1, "1"), ws.title
            assert setup.fitToHeight in (0, "0"), ws.title  # as many pages as it takes
            assert "&P" in ws.oddFooter.center.text, ws.title


def test_office_files_as_libreoffice_lays_them_out(office_pdfs):
    faults = [fault for pdf in office_pdfs.values() for fault in pdf_faults(pdf)]
    assert faults == []
    for source, pdf in office_pdfs.items():
        text = "".join(w.text for page in pdf_pages(pdf) for w in page.words)
        assert "\ufffd" not in text and "大兴区" in text, source.name  # Chinese, not boxes
        if source.name.startswith("简报"):
            assert len(pdf_pages(pdf)) <= 4, source.name


# --- issue 21: documents that say what matters, in the office's own format ------------------------

LEADER_PERIODS = ("2020Q2", "2020H1", "2020H2")
SPEC = Path("/work/shared/spec")
HASH = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{12,}(?![0-9A-Za-z])")
FILE_NAME = re.compile(r"[\w.-]\.(?:csv|xlsx|py|yml)(?![A-Za-z])", re.ASCII)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DIGIT_SPACE = re.compile(r"\d[ \u00a0\u2009]+[年月日个人万]")


def _spec_rows(name: str) -> list[dict]:
    folder = SPEC if SPEC.is_dir() else Path(__file__).resolve().parents[2] / "fupin_lib" / "reference"
    path = folder / name if (folder / name).exists() else folder / "plans" / "2020" / name.replace("_2020", "")
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def metric_keys() -> list[str]:
    """The metric keys of the contract (spec/metrics.csv): never in a leader document."""
    return [r["key"] for r in _spec_rows("metrics.csv")]


def _leader_files(out, suffix: str) -> list:
    return sorted(p for code in LEADER_PERIODS for p in (out / code).iterdir() if p.suffix == suffix)


def _docx_text(path) -> str:
    """The text of a .docx as a reader sees it: each paragraph's runs joined, one line each."""
    doc = open_docx(str(path))
    lines = [p.text for p in doc.paragraphs]
    lines += [p.text for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    for section in doc.sections:
        lines += [p.text for p in section.footer.paragraphs]
    return "\n".join(lines)


def _pdf_plain(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def leader_texts(batch) -> dict:
    """{file: its text} for every PDF and Word document of 2020Q2, 2020H1 and 2020H2."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is not installed")
    texts = {p: _pdf_plain(p) for p in _leader_files(batch, ".pdf")}
    texts.update({p: _docx_text(p) for p in _leader_files(batch, ".docx")})
    assert len(texts) == 3 * 3 + 3 * 2  # reports, assessments, briefs as PDF; reports and briefs as Word
    return texts


def test_brief_page_one_opens_with_the_core_summary(batch):
    """Page 1 of every brief: the 核心摘要's four lines, with the figures worked out from the spec:
    the 2020 plan's 43 targets (targets_2020.csv has 43 rows), 16 districts (districts.csv), both
    banding readings by name, the sample peers table by its Chinese name, and the risks' owners."""
    targets_total = len(_spec_rows("targets_2020.csv"))
    districts = len(_spec_rows("districts.csv"))
    assert (targets_total, districts) == (43, 16)
    for code in LEADER_PERIODS:
        page1 = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(batch / code / f"简报_{code}.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        flat = re.sub(r"\s+", "", page1)
        assert "核心摘要" in flat and flat.index("核心摘要") < flat.find("主要数字") % (len(flat) + 1), code
        for lead in ("目标进度：", "考核测算：", "主要风险：", "未报送和待核："):
            assert lead in flat, (code, lead)
        assert f"全年{targets_total}项目标已完成" in flat, code
        assert "按“零值为没有”口径总分" in flat and "按“上下对称”口径总分" in flat, code
        assert f"共{districts}个区" in flat and "各区考核数据示例表（示例数据）" in flat and "制表" in flat, code
        assert "一是" in flat and "负责）" in flat, code  # the risks with their owning departments
        assert "期号：" in flat and "编发单位：大兴区经济协作办" in flat, code  # the 简报 masthead
        assert "peers_" not in flat and ".csv" not in flat, code
    last = _pdf_plain(batch / "2020Q2" / "简报_2020Q2.pdf").split("\f")[-2]
    assert "印发" in last and "报：" in last  # the 版记 at the end


def test_assessment_page_one_holds_the_scores(batch):
    """Page 1 of the assessment (2020Q2, 2020H1, 2020H2): the 得分概况 with the total score, and in a
    part of the year the caveat before it; the method follows the summary (it used to fill page 1
    and push the scores to page 2, seen on paper)."""
    for code in LEADER_PERIODS:
        name = "assessment_score_annual.pdf" if code.endswith("H2") else "assessment_score.pdf"
        pages = _pdf_plain(batch / code / name).split("\f")
        first = re.sub(r"\s+", "", pages[0])
        assert "一、得分概况" in first and "总分" in first and "排第" in first, code
        if code != "2020H2":
            assert first.index("注意：本区数据只统计到") < first.index("一、得分概况"), code
        whole = re.sub(r"\s+", "", "".join(pages))
        assert whole.index("一、得分概况") < whole.index("个考核项（100分"), code


def test_no_technical_material_in_leader_documents(leader_texts):
    keys = [k for k in metric_keys() if "_" in k or len(k) > 8]  # e.g. extra_funds_wan
    assert "extra_funds_wan" in keys
    key = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, keys)) + r")(?![A-Za-z0-9_])")
    faults = []
    for path, text in leader_texts.items():
        for name, pattern in (("hash", HASH), ("file name", FILE_NAME), ("metric key", key)):
            faults += [f"{path.parent.name}/{path.name}: {name} {m.group(0)!r}" for m in pattern.finditer(text)]
        faults += [f"{path.parent.name}/{path.name}: placeholder …" for _ in range(text.count("…"))][:1]
        faults += [f"{path.parent.name}/{path.name}: code name fupin" for _ in range(text.lower().count("fupin"))][:1]
    assert faults == []


def test_one_name_per_department(leader_texts):
    """The department directory (departments.yml) gives every name: no document says
    区农业农村局 or 区卫生健康委 where another says 区农委 or 区卫计委."""
    from fupin_lib import refdata

    for other in ("区农业农村局", "区卫生健康委", "区卫健委", "区人力社保局", "区总工会"):
        assert refdata.department_name(other) != other
        assert [p.name for p, text in leader_texts.items() if other in text] == [], other


def _spaced_pdf_words(pdf) -> list[str]:
    """A digit and 年/月/日/个/人/万 set apart by a space on one line of a PDF: the gap between
    the two words narrower than half the type's height (a table's next cell is further away:
    two cell paddings)."""
    found = []
    for page in pdf_pages(pdf):
        for line in page.lines:
            words = sorted(line, key=lambda w: w.x0)
            for a, b in zip(words, words[1:]):
                if re.search(r"\d$", a.text) and b.text[:1] in "年月日个人万" and b.x0 - a.x1 < 0.5 * (a.y1 - a.y0):
                    found.append(f"{pdf.parent.name}/{pdf.name} p{page.number}: {a.text} {b.text}")
    return found


def test_chinese_dates_and_no_space_between_digits_and_characters(leader_texts):
    """Dates in 年月日, never 2020-04-01; no "2020 年", "8 人" (in Word, the paragraphs' text; in a
    PDF, the words' boxes: pdftotext puts a space between two table cells too); no "•" bullets."""
    faults = []
    for path, text in leader_texts.items():
        faults += [f"{path.parent.name}/{path.name}: ISO date {m.group(0)}" for m in ISO_DATE.finditer(text)]
        faults += [f"{path.parent.name}/{path.name}: bullet •" for _ in range(min(1, text.count("•")))]
        if path.suffix == ".docx":
            faults += [f"{path.parent.name}/{path.name}: {m.group(0)!r}" for m in DIGIT_SPACE.finditer(text)]
        else:
            faults += _spaced_pdf_words(path)
        assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", text), path.name
    assert faults == []


def test_word_styles_name_the_gb_fonts(batch):
    """GB/T 9704 in Word: 方正小标宋简体 title, 仿宋_GB2312 body at 三号 (16 pt = 32 half-points),
    黑体 and 楷体_GB2312 headings, as East Asian fonts, each with its alternative in the font
    table; page numbers at the outer edge (odd right, even left)."""
    for path in _leader_files(batch, ".docx"):
        doc = open_docx(str(path))
        styles = doc.styles
        assert styles["Normal"].font.size == Pt(16), path.name
        for name, face in (
            ("报告标题", "方正小标宋简体"),
            ("Normal", "仿宋_GB2312"),
            ("Heading 1", "黑体"),
            ("Heading 2", "楷体_GB2312"),
        ):
            fonts = styles[name].element.rPr.find(qn("w:rFonts"))
            assert fonts.get(qn("w:eastAsia")) == face, (path.name, name)
        with zipfile.ZipFile(path) as z:
            table = z.read("word/fontTable.xml").decode("utf-8")
            settings = z.read("word/settings.xml").decode("utf-8")
        for face, alternative in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
            assert re.search(rf'w:name="{face}".*?w:altName w:val="{alternative}"', table, re.S), (path.name, face)
        assert "evenAndOddHeaders" in settings, path.name
        section = doc.sections[0]
        assert section.footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT, path.name
        assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT, path.name


def test_leader_wording_by_hand():
    from fupin_lib.periods import parse_period
    from fupin_lib.reports.brief import change_text, issue_number
    from fupin_lib.reports.notebook_api import date_range_zh, reason_for_leaders

    assert change_text(23, "在岗挂职干部和专业技术人才（人）") == "增加23"
    assert change_text(-0.013, "食堂和工会扶贫产品采购比例") == "下降1.3个百分点"
    assert (
        change_text(128.91, "区级财政额外安排资金（万元）") == "增加128.91"
        and change_text(0, "惠及贫困人口（人）") == "持平"
    )
    assert (
        issue_number(parse_period("2020Q2")) == "2020年第2期"
        and issue_number(parse_period("2020H1")) == "2020年上半年专刊"
    )
    q2 = parse_period("2020Q2")
    assert date_range_zh(q2.start, q2.end) == "2020年4月1日至6月30日"
    assert (
        reason_for_leaders("事项“abc”不是已知的指标（应为 metrics.csv 中的指标键或中文名称）")
        == "事项不是已知的指标（应为考核指标的中文名称）"
    )
    assert reason_for_leaders("“甲”不是可选值（可选：资金/物资）") == "填写的值不是可选值（可选：资金/物资）"


def test_the_briefs_chart_prints_its_words_at_9_pt_or_more(batch):
    """The brief's chart is drawn at the size it prints (the picture's inches on paper are the
    figure's own) and every word in it is set at 9 pt or more: measured on the chart as drawn and
    on the pictures placed in the PDF (150 pixels per inch: not shrunk) and in Word."""
    from matplotlib.text import Text

    from fupin_lib.render import charts
    from fupin_lib.reports.brief import CHART_IN

    progress = pd.DataFrame(
        {
            "目标": ["推送就业岗位信息"] * 3,
            "范围": ["察右前旗", "正镶白旗", "苏尼特右旗"],
            "完成比例": [0.43, 0.42, 0.41],
            "应完成比例": [0.5] * 3,
            "状态": ["落后"] * 3,
            "判断方式": ["按进度"] * 3,
        }
    )
    fig = charts.target_progress(progress, "图", width=CHART_IN, fontsize=charts.PRINT_PT)
    fig.draw_without_rendering()
    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert sizes and min(sizes) >= 9
    block = charts.figure_block(fig, width_cm=None)
    assert abs(block.width_cm - int.from_bytes(block.png[16:20], "big") / 150 * 2.54) < 0.01
    for code in LEADER_PERIODS:
        listed = subprocess.run(
            ["pdfimages", "-list", str(batch / code / f"简报_{code}.pdf")], capture_output=True, text=True, check=True
        ).stdout.splitlines()[2:]
        images = [line.split() for line in listed if line.split()[2] == "image"]
        assert images and all(abs(int(row[12]) - 150) <= 2 for row in images), (code, listed)
        docx = open_docx(str(batch / code / f"简报_{code}.docx"))
        shape = docx.inline_shapes[0]
        png = docx.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert abs(shape.width.inches - int.from_bytes(png[16:20], "big") / 150) < 0.02, code


def test_section_charts_set_targets_against_actuals_not_the_table_beside_them(leader_texts):
    """The cadre and consumption sections of the quarterly report chart their plan targets as
    bullet graphs (share reached against share due and the target: 二（二） has six
    targets, 二（六） two, targets_2020.csv), in place of the bars that drew the cadre table and the
    channel table again. (The half-year reports chart every target's share against the pace.)"""
    sections = {row["source_section"] for row in _spec_rows("targets_2020.csv")}
    assert {"二（二）", "二（六）"} <= sections
    reports = {p: t for p, t in leader_texts.items() if p.suffix == ".pdf" and p.name == "quarterly_report.pdf"}
    assert len(reports) == 1
    for path, text in reports.items():
        flat = re.sub(r"\s+", "", text)
        assert "干部人才选派目标：完成与应完成" in flat and "消费扶贫目标：完成与应完成" in flat, path.name
        assert "各结对地区在岗干部人才（年初至" not in flat and "消费扶贫金额按渠道" not in flat, path.name
        assert "其中党政干部（内蒙古）" in flat and "会同受援地组织展销活动" in flat, path.name


def _pdf_font_names(pdf) -> set[str]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    return {re.sub(r"^[A-Z]{6}\+|-Identity-H$", "", line.split()[0]) for line in out.splitlines()[2:] if line.strip()}


def test_leader_pdfs_set_the_gb_type_roles_in_free_faces_embedded(batch):
    """GB/T 9704's roles in every leader PDF (make setup installs the faces: scripts/debian-fonts):
    the title in a 小标宋 role (Noto Serif CJK SC Bold), the body in the 仿宋 role (Noto Serif CJK SC;
    no free Simplified 仿宋 exists), first-level headings 黑体 (Noto Sans CJK SC Bold), second-level
    楷体 (LXGW WenKai, in the documents that have such headings), each embedded."""
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils (pdffonts) is not installed")
    from fupin_lib.render import fonts

    if fonts.role_font_files() is None and os.environ.get("FUPIN_SKIP_DEBIAN_TOOLS") == "1":
        pytest.skip("注意：公文字体未安装（FUPIN_SKIP_DEBIAN_TOOLS=1），PDF 只用一种字体，本检查跳过")
    assert fonts.role_font_files(), "make setup did not install fonts-noto-cjk and fonts-lxgw-wenkai"
    pdfs = _leader_files(batch, ".pdf")
    assert len(pdfs) == 9
    roles = {"NotoSerifCJKsc-Bold", "NotoSerifCJKsc-Regular", "NotoSansCJKsc-Bold", "NotoSansCJKsc-Regular"}
    named = {pdf: _pdf_font_names(pdf) for pdf in pdfs}
    for pdf, names in named.items():
        assert roles <= names, (pdf.parent.name, pdf.name, names)
    assert sum("LXGWWenKai-Regular" in names for names in named.values()) >= 6, named
