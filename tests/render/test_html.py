"""The HTML documents as readers meet them: the reports and reports/index.html of the report
batch on a screen of 1024 and 1366 px, on a 375 px phone and printed from the browser, with
the Chinese font embedded (the checks are tests/layout.py)."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from fontTools.ttLib import TTFont

from fupin_lib.periods import parse_period
from fupin_lib.render import html as report_html
from fupin_lib.reports.overview import period_entries, render_overview, write_overview
from fupin_lib.reports.notebook_api import headline_text

from layout import (
    html_overflow,
    image_ppi,
    pdf_faults,
    phone_chart_faults,
    phone_faults,
    phone_status_faults,
    print_faults,
    shared_tool,
)

PAGES = [
    ("2020Q2", "quarterly_report"),
    ("2020Q2", "assessment_score"),
    ("2020H1", "half_year_report"),
    ("2020H1", "assessment_score"),
    ("", "index"),
]


@pytest.fixture(scope="module")
def pages(report_batch) -> dict[str, Path]:
    """The batch's HTML files by "period/name" ("index" for reports/index.html)."""
    out, _made = report_batch
    return {f"{period}/{name}".strip("/"): out / period / f"{name}.html" for period, name in PAGES}


def _ids(page) -> str:
    return f"{page[0]}/{page[1]}".strip("/")


def _font(text: str) -> TTFont:
    found = re.search(r'src: url\(data:font/(woff2?);base64,([A-Za-z0-9+/=]+)\) format\("(woff2?)"\)', text)
    assert found and found.group(1) == found.group(3), "no embedded font"
    return TTFont(io.BytesIO(base64.b64decode(found.group(2))))


# --- the batch's pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_page_embeds_the_font_for_every_character_it_shows(pages, page):
    text = pages[_ids(page)].read_text(encoding="utf-8")
    font = _font(text)
    assert font.flavor == "woff" and "glyf" in font and "CFF " not in font  # TrueType outlines, WOFF
    shown = set(report_html.shown_characters(text))
    assert {"大", "兴", "区", "报", "告", "第", "页"} <= shown  # the page's text and its page numbers
    full = TTFont(str(report_html.sc_font_path()), lazy=True).getBestCmap()
    embedded = font.getBestCmap()
    assert {c for c in shown if ord(c) in full} <= {chr(u) for u in embedded}
    assert len(embedded) < len(shown) + 20  # a subset, not the face
    assert len(text.encode()) < 900_000
    # The page fetches nothing: no remote or local resource, and the policy says so.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", text)
    assert not re.search(r"<link\b|<script\b[^>]*\bsrc=", text)
    csp = re.search(
        r'http-equiv="Content-Security-Policy"[^>]*content="([^"]+)"|content="([^"]+)"[^>]*http-equiv="Content-Security-Policy"',
        text,
    )
    assert csp, "no Content-Security-Policy"
    policy = csp.group(1) or csp.group(2)
    assert "default-src 'none'" in policy and "form-action 'none'" in policy and "base-uri 'none'" in policy
    assert not re.search(r"https?:|\*", policy)


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_tables_and_figures_fit_1024_and_1366(pages, page):
    assert html_overflow(pages[_ids(page)], widths=(1024, 1366)) == []


def test_reviewers_overflow_check_passes(pages):
    """The reviewers' own check (its probe is an inline script: the page's policy lets it run)."""
    tool = shared_tool("html_overflow.py")
    for width in (1024, 1366):
        run = subprocess.run(
            [sys.executable, str(tool), str(width), *map(str, pages.values())],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stdout


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_phone_wide_tables_scroll_in_their_own_box(pages, page):
    faults, scrolled = phone_faults(pages[_ids(page)], width=375)
    assert faults == []
    if page[1] == "assessment_score":
        assert scrolled >= 3  # its wide tables: seen, and each scrolls inside its box


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_phone_keeps_first_column_and_status_in_view(pages, page):
    """At 390 px the plan's targets table (10 columns) scrolls in its box; its first column and
    its 状态 stay in view (sticky), so that a leader sees which target and how it stands."""
    faults, seen = phone_status_faults(pages[_ids(page)], width=390)
    assert faults == []
    if page[1] in ("quarterly_report", "half_year_report", "annual_report"):
        assert seen >= 1


@pytest.mark.parametrize("page", [p for p in PAGES if p[1] != "index"], ids=_ids)
def test_phone_shows_chart_words_at_12px_or_more(pages, page):
    """At 390 px a chart is shown wide enough (and scrolls in its box) that its smallest words,
    9 pt at 150 dpi, are at least 12 CSS px."""
    faults, seen = phone_chart_faults(pages[_ids(page)], width=390)
    assert faults == [] and seen >= 1


def test_leader_documents_print_charts_at_9pt_or_more(report_batch):
    """Measured on the rendered documents (2020Q2, 2020H1 and 2020H2, PDF and Word): every chart
    is printed at no more than the 150 pixels per inch it was drawn at, so that its words, drawn
    at 9 pt or more (render.charts.figure_block), print at 9 pt or more."""
    out, made = report_batch
    docs = [p for p in made if p.suffix in (".pdf", ".docx")]
    assert {p.parent.name for p in docs} == {"2020Q2", "2020H1", "2020H2"}
    seen = 0
    for doc in docs:
        ppi = image_ppi(doc)
        seen += len(ppi)
        assert all(v <= 151 for v in ppi), (doc.name, ppi)
    assert seen >= 10


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_browser_prints_clean_a4(pages, page, tmp_path):
    assert print_faults(pages[_ids(page)]) == []


def test_batch_pdfs_layout(report_batch):
    out, made = report_batch
    pdfs = [p for p in made if p.suffix == ".pdf"]
    assert len(pdfs) >= 4
    assert [f for pdf in pdfs for f in pdf_faults(pdf)] == []


# --- reports/index.html -----------------------------------------------------------------------------


def test_overview_lists_every_period_newest_first_with_its_figures(report_batch, sample_raw):
    from fupin_lib.reports.notebook_api import key_figures, load_period

    out, _made = report_batch
    text = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in text
    assert text.index("2020年上半年") < text.index("2020年第二季度")  # same last day: the longer first
    links = {unquote(link) for link in re.findall(r'<a href="([^"]+)">', text)}
    documents = {f"{code}/{p.name}" for code in ("2020Q2", "2020H1", "2020H2") for p in (out / code).iterdir()}
    assert links == documents  # every document, nothing else
    assert {
        "2020Q2/quarterly_report.html",
        "2020Q2/quarterly_report.pdf",
        "2020Q2/进展情况表_2020Q2.xlsx",
        "2020H1/half_year_report.html",
        "2020H1/assessment_score.pdf",
    } <= links
    title = re.search(r"<title>(.*?)</title>", (out / "2020Q2" / "quarterly_report.html").read_text(encoding="utf-8"))
    assert f"<li>{title.group(1)}：" in text and "<li>进展情况表：" in text  # documents by their names
    for code in ("2020Q2", "2020H1"):
        manifest = json.loads((out / "运行记录" / code / "manifest.json").read_text(encoding="utf-8"))
        record = manifest["headline"]
        expected = key_figures(load_period(sample_raw, code))
        assert record["column"] == expected.columns[0] == "年初至6月底"
        assert list(record["rows"]) == list(expected.index)
        section = text[text.index(parse_period(code).label_zh) :]
        section = section[: section.index("</section>")]
        for label, value in record["rows"].items():
            assert re.search(
                rf"<td[^>]*>{re.escape(label)}</td><td[^>]*>{re.escape(headline_text(label, value))}</td>", section
            )
        assert re.search(r"生成于 \d{4}-\d\d-\d\d \d\d:\d\d", section)


def test_overview_shows_text_escaped_and_only_real_files(tmp_path):
    """A hostile manifest and a file with markup in its name reach the page as text."""
    out = tmp_path / "reports"
    (out / "运行记录" / "2020Q3").mkdir(parents=True)
    (out / "2020Q3").mkdir()
    (out / "2020Q3" / "<img src=x onerror=alert(1)>.pdf").write_bytes(b"%PDF-1.4")
    (out / "2020Q3" / ".tmp-half-written.html").write_text("x", encoding="utf-8")
    manifest = {
        "reports": {"x": {"made_at": "2020-10-08T09:30:00+08:00"}},
        "headline": {
            "column": "年初至9月底",
            "rows": {"<script>alert(1)</script>": 5, "食堂和工会扶贫产品采购比例": None},
            "district": "<b>区</b>",
            "sample": False,
        },
    }
    (out / "运行记录" / "2020Q3" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (out / "运行记录" / "not-a-period").mkdir()
    (out / "运行记录" / "not-a-period" / "manifest.json").write_text("{}", encoding="utf-8")
    page = write_overview(out).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>区</b>" not in page and "&lt;b&gt;区&lt;/b&gt;" in page
    assert [unquote(h) for h in re.findall(r'<a href="([^"]+)">', page)] == ["2020Q3/<img src=x onerror=alert(1)>.pdf"]
    assert "2020-10-08 09:30" in page and ">待核<" in page  # no ratio: 待核, never 0 or "…"
    assert [e.period.code for e in period_entries(out)] == ["2020Q3"]  # not-a-period is passed over


def test_overview_without_any_period_says_so():
    assert "还没有生成任何报告" in render_overview([])


# --- the font -----------------------------------------------------------------------------------------


def test_shown_characters_are_the_text_not_the_markup():
    page = (
        '<html><head><title>标题</title><style>p::after { content: "页"; }</style></head><body>'
        '<!-- 注释 --><p class="甲">&#20013;&lt;文&gt;</p><img alt="图" src="data:image/png;base64,乙"></body></html>'
    )
    shown = report_html.shown_characters(page)
    assert {"标", "题", "页", "中", "<", "文", ">", "图"} <= set(shown)
    assert not {"注", "释", "甲", "乙", "\n"} & set(shown)


def test_font_subset_in_other_flavours():
    for flavor in ("woff2", None):
        font = TTFont(io.BytesIO(report_html.font_subset("扶贫协作", flavor)))
        assert font.flavor == flavor and {ord(c) for c in "扶贫协作"} <= set(font.getBestCmap())


def test_embed_font_needs_the_template_marker():
    with pytest.raises(ValueError):
        report_html.embed_font("<html><body>没有标记</body></html>")
    page = report_html.embed_font(
        f"<html><head><style>{report_html.FONT_MARKER}</style></head>"
        f"<body><p>{report_html.FONT_MARKER}</p></body></html>"
    )
    assert page.count("@font-face") == 1 and report_html.FONT_MARKER in page  # the head's marker only


def test_every_table_gets_a_box():
    boxed = '<div class="fupin-table"><div class="fupin-scroll"><table><tr><td>1</td></tr></table></div></div>'
    page = report_html.box_tables("<p>a</p><table id=t><tr><td><table></table></td></tr></table>" + boxed)
    assert page == (
        '<p>a</p><div class="fupin-scroll"><table id=t><tr><td><div class="fupin-scroll"><table></table>'
        "</div></td></tr></table></div>" + boxed
    )  # a table in its box keeps that one
