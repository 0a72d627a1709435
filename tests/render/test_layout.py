"""The layout checks of tests/layout.py fail where they should: on pages and PDFs made with
each fault, and pass on clean ones."""

from __future__ import annotations

from pathlib import Path

from fupin_lib.render.html import FAMILY, FONT_MARKER, STYLESHEET, embed_font

from layout import html_overflow, pdf_faults, pdf_pages, phone_faults, print_faults, print_pdf

WIDE = (
    "<table><caption>宽表</caption><tr>"
    + "".join(f"<td style='white-space:nowrap'>第{i}列数据内容很长很长</td>" for i in range(14))
    + "</tr></table>"
)


def _page(tmp_path: Path, body: str, css: str = "") -> Path:
    """A page with the reports' embedded font (so that its Chinese shows on any machine)."""
    path = tmp_path / "page.html"
    page = (
        f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width, initial-scale=1"><style>{FONT_MARKER}</style>'
        f'<style>html {{ font-family: "{FAMILY}"; }} @page {{ size: A4; margin: 15mm; }}{css}</style></head>'
        f"<body>{body}</body></html>"
    )
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


def test_landscape_table_prints_on_a_page_turned_sideways(tmp_path):
    """A table marked landscape (blocks.py) gets a page of its own turned sideways, with the
    reports' stylesheet, and nothing of it is cut."""
    text = "<p>" + "东西部扶贫协作工作台账分析。" * 40 + "</p>"
    head = "".join(f"<th>第{i}列的表头</th>" for i in range(16))
    rows = "".join(
        "<tr>" + "".join(f'<td class="num">{i * 1000 + j:,}</td>' for j in range(16)) + "</tr>" for i in range(8)
    )
    table = (
        f'<div class="fupin-table fupin-landscape"><div class="fupin-scroll"><table><caption>'
        f'<span class="fupin-caption-text">横排的宽表</span></caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div></div>"
    )
    pdf = tmp_path / "landscape.pdf"
    assert print_faults(_page(tmp_path, text + table + text, STYLESHEET.read_text(encoding="utf-8")), keep=pdf) == []
    shapes = ["landscape" if p.width > p.height else "portrait" for p in pdf_pages(pdf)]
    assert shapes == ["portrait", "landscape", "portrait"]


def _pdf(tmp_path: Path, body: str, page_css: str = "size: A4; margin: 20mm") -> Path:
    """A PDF printed by Chromium from a page with the embedded font (Chinese shows)."""
    css = f"@page {{ {page_css} }} body {{ font-size: 11pt; margin: 0; }} h2 {{ font-size: 16pt; }}"
    return print_pdf(_page(tmp_path, body, css), tmp_path / "made.pdf")


def test_pdf_check_finds_each_fault(tmp_path):
    text = "<p>" + "东西部扶贫协作工作台账分析。" * 30 + "</p>"
    assert pdf_faults(_pdf(tmp_path, text * 3)) == []
    overlap = '<p style="position:absolute;top:30mm">重叠的两段文字</p><p style="position:absolute;top:30.5mm">重叠的两段文字</p>'
    assert any("文字重叠" in f for f in pdf_faults(_pdf(tmp_path, overlap + text)))
    assert any("几乎空白" in f for f in pdf_faults(_pdf(tmp_path, '<p style="break-after:page">短</p>' + text)))
    stranded = (
        text
        + '<div style="height:170mm"></div><h2>三、资金支持</h2><p style="break-before:page">'
        + "内容" * 80
        + "</p>"
    )
    assert any("在页末" in f for f in pdf_faults(_pdf(tmp_path, stranded)))
    big = (
        text
        + '<div style="height:175mm"></div><h2>没有编号的标题</h2><p style="break-before:page">'
        + "内容" * 80
        + "</p>"
    )
    assert any("在页末" in f for f in pdf_faults(_pdf(tmp_path, big)))
    assert any("不是 A4" in f for f in pdf_faults(_pdf(tmp_path, text, "size: letter; margin: 20mm")))
    assert any("纸边" in f for f in pdf_faults(_pdf(tmp_path, text, "size: A4; margin: 2mm")))
