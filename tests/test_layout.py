"""The layout checks of tests/layout.py fail where they should: on pages and PDFs made with
each fault, and pass on clean ones."""

from __future__ import annotations

from pathlib import Path

from fupin_lib.reports.html import FAMILY, FONT_MARKER, embed_font

from layout import html_overflow, pdf_faults, phone_faults, print_faults

WIDE = "<table><caption>宽表</caption><tr>" + "".join(f"<td style='white-space:nowrap'>第{i}列数据内容很长很长</td>" for i in range(14)) + "</tr></table>"


def _page(tmp_path: Path, body: str) -> Path:
    """A page with the reports' embedded font (so that its Chinese shows on any machine)."""
    path = tmp_path / "page.html"
    page = (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" '
            f'content="width=device-width, initial-scale=1"><style>{FONT_MARKER}</style>'
            f'<style>html {{ font-family: "{FAMILY}"; }} @page {{ size: A4; margin: 15mm; }}</style></head>'
            f'<body>{body}</body></html>')
    path.write_text(embed_font(page), encoding="utf-8")
    return path


def test_overflow_check_finds_a_wide_table(tmp_path):
    faults = html_overflow(_page(tmp_path, WIDE), widths=(1024,))
    assert any("宽表" in f for f in faults) and any("整页" in f or "页面" in f for f in faults)


def test_phone_check_wants_a_scrolling_box(tmp_path):
    faults, _ = phone_faults(_page(tmp_path, WIDE))
    assert any("不能在自己的区域内左右滚动" in f for f in faults)
    faults, scrolled = phone_faults(_page(tmp_path, f'<div style="overflow-x:auto">{WIDE}</div>'))
    assert faults == [] and scrolled == 1


def test_print_check_finds_a_cut_column(tmp_path):
    text = "<p>" + "东西部扶贫协作工作台账分析。" * 40 + "</p>"
    assert print_faults(_page(tmp_path, text + "<table><tr><td>短表</td><td>一列</td></tr></table>")) == []
    faults = print_faults(_page(tmp_path, text + WIDE))
    assert any("缺少" in f for f in faults), faults


def _weasy_pdf(tmp_path: Path, body: str, page_css: str = "size: A4; margin: 20mm") -> Path:
    """A PDF made with WeasyPrint and the project's print font (Chinese shows)."""
    from weasyprint import HTML

    from fupin_lib.reports.fonts import print_font_path

    css = (f'@font-face {{ font-family: F; src: url("{print_font_path().as_uri()}"); }} @page {{ {page_css} }} '
           "body { font-family: F; font-size: 11pt; } h2 { font-size: 16pt; }")
    pdf = tmp_path / "made.pdf"
    HTML(string=f"<html><head><style>{css}</style></head><body>{body}</body></html>").write_pdf(str(pdf))
    return pdf


def test_pdf_check_finds_each_fault(tmp_path):
    text = "<p>" + "东西部扶贫协作工作台账分析。" * 30 + "</p>"
    assert pdf_faults(_weasy_pdf(tmp_path, text * 3)) == []
    overlap = '<p style="position:absolute;top:30mm">重叠的两段文字</p><p style="position:absolute;top:30.5mm">重叠的两段文字</p>'
    assert any("文字重叠" in f for f in pdf_faults(_weasy_pdf(tmp_path, overlap + text)))
    assert any("几乎空白" in f for f in pdf_faults(_weasy_pdf(tmp_path, '<p style="break-after:page">短</p>' + text)))
    stranded = text + '<div style="height:170mm"></div><h2>三、资金支持</h2><p style="break-before:page">' + "内容" * 80 + "</p>"
    assert any("在页末" in f for f in pdf_faults(_weasy_pdf(tmp_path, stranded)))
    big = text + '<div style="height:175mm"></div><h2>没有编号的标题</h2><p style="break-before:page">' + "内容" * 80 + "</p>"
    assert any("在页末" in f for f in pdf_faults(_weasy_pdf(tmp_path, big)))
    assert any("不是 A4" in f for f in pdf_faults(_weasy_pdf(tmp_path, text, "size: letter; margin: 20mm")))
    assert any("纸边" in f for f in pdf_faults(_weasy_pdf(tmp_path, text, "size: A4; margin: 2mm")))
