"""Document -> Word (.docx) with python-docx, in the house style and GB/T 9704-2012's frame.

A4 with the standard's margins, page numbers as "— 1 —" in the footer, title centred and
bold, headings numbered 一、/（一）/1. in bold. Tables are real Word tables with borders,
widths sized to content and a header row that repeats on every page; charts are inline
pictures; everything stays editable text. Every style, and the document defaults, name the
project's face (Noto Sans CJK SC) for East Asian and Latin text alike, without theme fonts,
so that Word never substitutes a face of its own choosing.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..files import atomic_write
from . import house_style
from .document import Document

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
_THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# GB/T 9704-2012 in Word: body 仿宋 at 三号 (16 pt), the title in 小标宋 at 二号, first-level
# headings 黑体, second-level 楷体, as the fonts are named on an office PC; Latin text and digits
# in Times New Roman. Each face has its alternative in the font table (仿宋_GB2312 -> 仿宋 …); a
# computer with none of them (LibreOffice with only the project's Noto Sans CJK SC) substitutes
# a Chinese face, since every run is marked zh-CN and the faces are described as GB 2312.
WORD_BODY_PT = 16
BODY_FONT, TITLE_FONT, HEADING_FONTS = "仿宋_GB2312", "方正小标宋简体", {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312"}
LATIN_FONT = "Times New Roman"
# face -> (alternative, panose, family) in the font table
FONT_TABLE = {
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern"),
    "方正小标宋简体": ("宋体", "02000000000000000000", "script"),
    "黑体": ("SimHei", "02010609060101010101", "modern"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern"),
    house_style.FACE: ("微软雅黑", "020B0500000000000000", "swiss"),
}
WORD_HEADING_PT = {1: 16, 2: 16, 3: 16}
_BODY_INDENT = Pt(2 * WORD_BODY_PT)  # two characters, as GB/T 9704 indents body and headings

# Paragraph styles of our own: name -> (size pt, bold, alignment, line spacing).
_STYLES = {
    "报告标题": (house_style.TITLE_PT, False, "center", 1.0),
    "报头": (house_style.MASTHEAD_PT, False, "center", 1.0),
    "示例数据说明": (house_style.MASTHEAD_PT, True, "left", 1.0),
    "条目": (WORD_BODY_PT, False, "left", 1.25),
    "表题": (house_style.CAPTION_PT, True, "center", 1.0),
    "表单位": (house_style.TABLE_PT, False, "right", 1.0),
    "表格文字": (house_style.TABLE_PT, False, "left", 1.0),
    "表注": (house_style.NOTE_PT, False, "left", 1.0),
    "图": (WORD_BODY_PT, False, "center", 1.0),
    "图题": (house_style.CAPTION_PT, True, "center", 1.0),
    "分节": (1, False, "left", 1.0),
}


def _set_fonts(rpr, east_asian: str = BODY_FONT, latin: str = LATIN_FONT) -> None:
    """Name the faces of an rPr (w:eastAsia for Chinese, Times New Roman for Latin and digits),
    dropping theme fonts (which would win)."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _set_lang(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _setup_styles(docx) -> None:
    styles = docx.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr)
    _set_lang(rpr)

    normal = styles["Normal"]
    normal.font.size = Pt(WORD_BODY_PT)
    pf = normal.paragraph_format
    pf.first_line_indent, pf.line_spacing = _BODY_INDENT, 1.25
    pf.space_before, pf.space_after = Pt(0), Pt(4)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.widow_control = True
    # No automatic space between Chinese and Latin text or digits: "2020年", not "2020 年".
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.append(el)

    for level, size in WORD_HEADING_PT.items():
        style = styles[f"Heading {level}"]
        # 黑体 and 楷体 carry the level themselves: not bold (the third level, in 仿宋, is)
        style.font.size, style.font.bold, style.font.italic = Pt(size), level == 3, False
        style.font.color.rgb = RGBColor(0, 0, 0)
        pf = style.paragraph_format
        pf.first_line_indent, pf.left_indent = _BODY_INDENT, Pt(0)
        pf.space_before, pf.space_after, pf.line_spacing = Pt(10), Pt(4), 1.0
        pf.keep_with_next, pf.alignment = True, WD_ALIGN_PARAGRAPH.LEFT

    for name, (size, bold, align, spacing) in _STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size, style.font.bold = Pt(size), bold
        pf = style.paragraph_format
        pf.alignment, pf.first_line_indent, pf.line_spacing = _ALIGN[align], Pt(0), spacing
        pf.space_before, pf.space_after = Pt(0), Pt(0)
    for name in ("表题", "表单位", "图"):
        styles[name].paragraph_format.keep_with_next = True
    styles["报告标题"].paragraph_format.space_after = Pt(8)
    styles["报头"].paragraph_format.space_after = Pt(6)
    styles["表题"].paragraph_format.space_before = Pt(8)
    styles["表单位"].paragraph_format.space_after = Pt(2)
    styles["表注"].paragraph_format.space_before = Pt(2)
    styles["表注"].paragraph_format.space_after = Pt(8)
    styles["图"].paragraph_format.space_before = Pt(8)
    styles["图题"].paragraph_format.space_after = Pt(8)
    styles["条目"].paragraph_format.left_indent = Pt(2 * WORD_BODY_PT + 12)
    styles["条目"].paragraph_format.first_line_indent = Pt(-12)
    styles["条目"].paragraph_format.space_after = Pt(2)
    styles["分节"].paragraph_format.line_spacing = Pt(1)
    styles["Footer"].font.size = Pt(house_style.FOOTER_PT)

    # Every style names our face, and so does every font setting inside a style (table styles
    # carry some per part of the table).
    for style in styles.element.findall(qn("w:style")):
        style.get_or_add_rPr()
    for rpr in styles.element.iter(qn("w:rPr")):
        _set_fonts(rpr)
    _set_fonts(styles["报告标题"].element.get_or_add_rPr(), TITLE_FONT)
    for level, face in HEADING_FONTS.items():
        _set_fonts(styles[f"Heading {level}"].element.get_or_add_rPr(), face)


def _font_table(docx) -> None:
    """Describe each face in the font table as a Chinese (GB 2312) face with its alternative
    (仿宋_GB2312 -> 仿宋, 楷体_GB2312 -> 楷体, 方正小标宋简体 -> 宋体), so that a computer without
    one substitutes a Chinese face, never a Japanese one."""
    from lxml import etree

    part = next(p for p in docx.part.package.iter_parts() if p.partname == "/word/fontTable.xml")
    table = etree.fromstring(part.blob)
    for name, (alternative, panose, family) in FONT_TABLE.items():
        font = etree.SubElement(table, qn("w:font"), {qn("w:name"): name})
        for tag, value in (
            ("altName", alternative),
            ("panose1", panose),
            ("charset", "86"),
            ("family", family),
            ("pitch", "variable"),
        ):
            etree.SubElement(font, qn(f"w:{tag}"), {qn("w:val"): value})
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _frame(section, orientation: str) -> None:
    landscape = orientation == "landscape"
    margins = house_style.LANDSCAPE_MARGINS if landscape else house_style.MARGINS
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (house_style.PAGE_H, house_style.PAGE_W) if landscape else (house_style.PAGE_W, house_style.PAGE_H)
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    section.footer_distance = Mm(house_style.FOOTER_FROM_EDGE[orientation])
    section.header_distance = Mm(15)


def _page_number(docx, section) -> None:
    """The footer "— N —" with N a PAGE field at the outer edge (GB/T 9704: odd pages right,
    even pages left, one character in from the edge); later sections inherit the footers."""
    docx.settings.odd_and_even_pages_header_footer = True
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        p = footer.paragraphs[0]
        p.style = "Footer"
        p.alignment = align
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.left_indent = pf.right_indent = Pt(house_style.FOOTER_PT)
        p.add_run("— ")
        for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
            run = p.add_run()
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            elif kind == "text":
                run.text = text
                continue
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        p.add_run(" —")


def _add_runs(paragraph, runs) -> None:
    for text, bold in runs:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True


def _cell_margins(table) -> None:
    tblPr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    pad = str(int(house_style.CELL_PAD_MM / 25.4 * 1440))
    for side, width in (("top", "28"), ("left", pad), ("bottom", "28"), ("right", pad)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), width)
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    look = tblPr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(mar)
    else:
        tblPr.append(mar)


def _row_flags(row, header: bool) -> None:
    """Rows never split across pages; the header row repeats on every page."""
    trPr = row._tr.get_or_add_trPr()
    trPr.append(OxmlElement("w:cantSplit"))
    if header:
        trPr.append(OxmlElement("w:tblHeader"))


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(docx, t: dict, text_width_mm: float) -> None:
    docx.add_paragraph(t["caption"], style="表题")
    if t["unit"]:
        docx.add_paragraph(t["unit"], style="表单位")
    rows = [t["header"]] + t["rows"]
    table = docx.add_table(rows=len(rows), cols=len(t["header"]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    widths = [Mm(text_width_mm * f) for f in t["widths"]]
    for column, width in zip(table.columns, widths):
        column.width = width
    last = len(rows) - 1
    # The style id is set directly: python-docx's style setter scans every style per call.
    cell_style = docx.styles["表格文字"].style_id
    for i, (row, values) in enumerate(zip(table.rows, rows)):
        _row_flags(row, header=i == 0)
        bold = i == 0 or (i - 1) in t["total"]
        # A short table stays on one page; a longer one starts with its header and first rows.
        keep = i < last if t["keep"] else i < house_style.LEAD_ROWS
        # A note stays with the table's last rows: never alone at the top of the next page.
        keep = keep or bool(t["note"] and i >= last - 1)
        for j, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = widths[j]
            if i == 0:
                _shade(cell, "E8E8E8")
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p._p.style = cell_style
            p.alignment = _ALIGN["center" if i == 0 else t["align"][j]]
            p.paragraph_format.keep_with_next = keep
            _add_runs(p, [(value, bold)])
    docx.add_paragraph(t["note"] or "", style="表注" if t["note"] else "分节")


def _figure(docx, f: dict) -> None:
    p = docx.add_paragraph(style="图")
    p.add_run().add_picture(io.BytesIO(f["png"]), width=Cm(f["width_cm"]))
    docx.add_paragraph(f["caption"], style="图题")


def _blocks(docx, blocks: list[dict], orientation: str) -> None:
    for b in blocks:
        kind = b["kind"]
        if kind == "heading":
            docx.add_paragraph(b["text"], style=f"Heading {b['level']}")
        elif kind == "paragraph":
            _add_runs(docx.add_paragraph(), b["runs"])
        elif kind == "bullets":
            # numbered 1．2．, as Chinese official documents list items (no "•" bullets)
            for n, runs in enumerate(b["items"], start=1):
                _add_runs(docx.add_paragraph(style="条目"), [(f"{n}．", False)] + runs)
        elif kind == "table":
            _table(docx, b, house_style.TEXT_WIDTH[orientation])
        elif kind == "figure":
            _figure(docx, b)
        elif kind == "pagebreak":
            docx.add_page_break()
        elif kind == "landscape":
            _section(docx, "landscape")
            _blocks(docx, b["blocks"], "landscape")
            if b is not blocks[-1]:
                _section(docx, "portrait")


def _section(docx, orientation: str) -> None:
    """A new section on a new page; the paragraph that ends the previous one is made tiny, so
    that it never spills onto a page of its own."""
    section = docx.add_section(WD_SECTION.NEW_PAGE)
    docx.paragraphs[-1].style = "分节"
    _frame(section, orientation)


def _colophon(docx, lines: list[str]) -> None:
    """The 版记 of a 简报: its lines at the end, a rule above the first and below the last."""
    for i, line in enumerate(lines):
        p = docx.add_paragraph(line, style="报头")
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
        pf = p.paragraph_format
        pf.left_indent, pf.right_indent, pf.keep_with_next = Pt(WORD_BODY_PT), Pt(WORD_BODY_PT), i < len(lines) - 1
        pf.space_before, pf.space_after = Pt(12 if i == 0 else 0), Pt(0)
        borders = OxmlElement("w:pBdr")
        for side in (["top"] if i == 0 else []) + (["bottom"] if i == len(lines) - 1 else []):
            el = OxmlElement(f"w:{side}")
            for key, value in (("val", "single"), ("sz", "8"), ("space", "4"), ("color", "000000")):
                el.set(qn(f"w:{key}"), value)
            borders.append(el)
        p._p.get_or_add_pPr().append(borders)


def _title(docx, prepared: house_style.Prepared) -> None:
    title = docx.add_paragraph(style="报告标题")
    for i, line in enumerate(prepared.title_lines or [prepared.title]):
        if i:
            title.add_run().add_break()
        title.add_run(line)
    if prepared.masthead:
        docx.add_paragraph("\n".join(prepared.masthead), style="报头")
    if prepared.sample_note:
        p = docx.add_paragraph(prepared.sample_note, style="示例数据说明")
        borders = OxmlElement("w:pBdr")
        for side in ("top", "left", "bottom", "right"):
            el = OxmlElement(f"w:{side}")
            for key, value in (("val", "single"), ("sz", "6"), ("space", "4"), ("color", "000000")):
                el.set(qn(f"w:{key}"), value)
            borders.append(el)
        p._p.get_or_add_pPr().append(borders)
        # The border is drawn 4 pt outside the text: indent it so that the box stays inside.
        pf = p.paragraph_format
        pf.left_indent = pf.right_indent = Pt(5)
        pf.space_after = Pt(10)


def build_docx(doc: Document):
    """The document as a python-docx Document (not yet saved)."""
    prepared = house_style.prepare(doc)
    docx = new_docx()
    _setup_styles(docx)
    _font_table(docx)
    section = docx.sections[0]
    _frame(section, "portrait")
    _page_number(docx, section)
    props = docx.core_properties
    author = house_style.clean(doc.masthead.get("编制单位") or doc.masthead.get("编发单位", ""))
    props.title, props.author, props.last_modified_by = prepared.title, author, author
    props.comments = props.subject = props.keywords = ""
    props.created = props.modified = datetime.now().replace(microsecond=0)
    props.revision = 1
    _title(docx, prepared)
    _blocks(docx, prepared.blocks, "portrait")
    if prepared.colophon:
        _colophon(docx, prepared.colophon)
    return docx


def write_docx(doc: Document, path: str | Path) -> Path:
    """Render the document to a .docx file at path (written atomically); returns the path."""
    docx = build_docx(doc)
    return atomic_write(Path(path), lambda tmp: docx.save(str(tmp)))
