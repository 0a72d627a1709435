"""The report renderers on real files: a document full of hostile ledger text rendered to Word
(.docx) and PDF (Typst), then read back with python-docx, pdftotext, pdffonts, the shared
checks in shared/tools/ and LibreOffice (the .docx as a reader's office suite lays it out)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fupin_lib.render.document import (
    MISSING,
    NOT_APPLICABLE,
    Bullets,
    Document,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    Table,
)


def _tools_dir() -> Path:
    """The shared checks: named by FUPIN_SHARED_TOOLS, or shared/tools beside the checkout
    (as CI lays it out), or where the workplace keeps them."""
    here = Path(__file__).resolve().parents[3] / "shared" / "tools"
    for candidate in (os.environ.get("FUPIN_SHARED_TOOLS"), here, "/work/shared/tools"):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return here


TOOLS = _tools_dir()
LONG = "X" * 90  # one unbroken string, wider than any cell
HOSTILE = [
    "<script>alert(1)</script>",
    '#read("/etc/passwd")',
    '=HYPERLINK("http://x","点我")',
    "$x$",
    "]",
    "\\",
    "*bold*",
    '#link("http://127.0.0.1/")[点我]',
    "#{panic()}",
    "</w:t></w:r>",
]


def _png() -> bytes:
    """A small chart as PNG (drawn with matplotlib, as the reports' charts are)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3), dpi=80)
    ax.bar(["A", "B", "C", "D"], [3, 5, 2, 4], color="#4472c4")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _units_table() -> pd.DataFrame:
    """30 units and a 合计 row: spans pages in both formats; hostile names, missing values."""
    names = [f"第{i + 1}预算单位食堂" for i in range(30)]
    for i, bad in enumerate(HOSTILE):
        names[i * 3] = bad
    names[4] = LONG
    amount = [1234.5 + 1000 * i for i in range(30)]
    amount[2] = None
    amount[5] = float("nan")
    ratio = [0.05 * (i % 9) for i in range(30)]
    ratio[7] = np.inf
    frame = pd.DataFrame(
        {
            "序号": range(1, 31),
            "单位名称": names,
            "采购金额": amount,
            "采购比例": ratio,
            "备注": ["按季度报送，已核对原始凭证" if i % 4 == 0 else "" for i in range(30)],
        }
    )
    frame.loc[30] = [None, "合计", sum(a for a in amount if a == a and a is not None), 0.183, ""]
    frame["序号"] = frame["序号"].astype("Int64")
    return frame


def _wide_table() -> pd.DataFrame:
    areas = ["和田地区", "墨玉县", "洛浦县", "皮山县", "策勒县", "于田县", "民丰县", "和田县"]
    cols = {"地区": areas}
    for q in ("一季度", "二季度", "三季度", "四季度"):
        cols[f"{q}资金（万元）"] = [1_000_000 + 12_345.678 * i for i in range(8)]
        cols[f"{q}项目（个）"] = [12 + i for i in range(8)]
    cols["说明"] = [HOSTILE[1], HOSTILE[3], "资金已全部拨付到位", NOT_APPLICABLE, MISSING, "—", LONG[:40], "正常"]
    return pd.DataFrame(cols)


BODY = (
    "2024年第三季度，大兴区坚持把东西部协作作为重大政治任务，围绕产业协作、劳务协作、消费帮扶、"
    "人才交流和社会帮扶等重点工作，统筹推进各项任务落实，协作成效持续显现。"
)


def hostile_document() -> Document:
    png = _png()
    small = pd.DataFrame(
        {
            "指标": ["财政援助资金", "社会帮扶资金", "消费帮扶金额"],
            "本期": [3500.0, 812.25, 26_000.5],
            "累计": [9800.0, 1500.0, 61_234.0],
            "完成比例": [0.9512, 1.05, None],
        }
    )
    blocks = [
        Heading("总体情况", 1),
        Paragraph(BODY + "其中**消费帮扶金额同比增长 12.3%**，" + HOSTILE[6] + "照原样显示。"),
        Paragraph("台账中的文字照原样显示：" + "；".join(HOSTILE) + "。" + LONG),
        Bullets(
            [
                "**产业协作**：新引进企业 5 家，" + HOSTILE[1],
                "劳务协作：帮助 1,234 人就业。" + BODY,
                "未闭合的 **星号照原样显示",
            ]
        ),
        Heading("主要指标", 2),
        Table(
            "2024年第三季度大兴区东西部协作主要指标完成情况",
            small,
            unit="万元",
            formats={"本期": "money", "累计": "money", "完成比例": "pct"},
            total=False,
            note="资料来源：各部门报送台账。注：“…”表示数据缺失，“—”表示不适用。",
        ),
        Paragraph(BODY * 2),
        Figure(png, "2024年第三季度各类帮扶资金对比" + HOSTILE[0], words="A B C D", width_cm=14),
        Heading("预算单位采购情况", 2),
        Paragraph(BODY),
        Table(
            "2024年第三季度大兴区预算单位食堂扶贫产品采购情况" + HOSTILE[2],
            _units_table(),
            unit="单位：元",
            formats={"采购金额": "money", "采购比例": "pct", "备注": "text"},
            total=True,
            note="注：采购比例=扶贫产品采购额/食堂采购总额；" + HOSTILE[4] + HOSTILE[5],
        ),
        Heading("分季度资金和项目", 1),
        Table(
            "2024年大兴区对口地区分季度协作资金和项目情况",
            _wide_table(),
            unit="见各列",
            formats={c: "money" for c in _wide_table().columns if "资金" in c},
            landscape=True,
            note="注：资金单位为万元，项目单位为个。",
        ),
        Heading("下一步工作", 1),
        Paragraph(BODY * 3),
        Heading("产业协作", 2),
        Heading("招商引资", 3),
        Paragraph(BODY * 2),
        Heading("就业帮扶", 3),
        Paragraph(BODY),
        Figure(png, "2024年各季度就业帮扶人数", width_cm=12),
        PageBreak(),
        Heading("附：" + HOSTILE[0], 2),
        Paragraph(BODY),
    ]
    return Document(
        title="大兴区东西部协作工作简报（2024年第三季度）" + HOSTILE[3],
        masthead={"编制单位": "大兴区经济协作办", "报告期": "2024年第三季度", "生成日期": "2024-10-08"},
        blocks=blocks,
        sample_note="本简报使用示例数据（随机生成的虚构数据），不代表真实工作情况。",
    )


HEADINGS = [
    "一、总体情况",
    "（一）主要指标",
    "（二）预算单位采购情况",
    "二、分季度资金和项目",
    "三、下一步工作",
    "（一）产业协作",
    "1.招商引资",
    "2.就业帮扶",
    "（二）附：" + HOSTILE[0],
]
CAPTIONS = ["表1", "表2", "表3"]  # above their tables (figure captions go below the figure)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the model and its preparation (fast) ---------------------------------------------------


def test_cells_headings_and_bold_runs():
    from fupin_lib.render.house_style import bold_runs, cell_text, chinese_number, column_widths

    assert [chinese_number(n) for n in (1, 9, 10, 11, 20, 23, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
        "九十九",
    ]
    assert cell_text(1234, "int") == "1,234" and cell_text(1234.567, "money") == "1,234.57"
    assert cell_text(0.1234, "pct") == "12.3%" and cell_text(1.234, "ratio") == "1.23"
    assert cell_text(-0.001, "money") == "0.00" and cell_text(-1234.5, "int") == "-1,234"
    assert cell_text(None, "int") == cell_text(float("nan"), "money") == cell_text(pd.NA, "int") == MISSING
    assert cell_text(np.inf, "ratio") == NOT_APPLICABLE and cell_text(NOT_APPLICABLE, "int") == "—"
    assert cell_text('#read("x")', "int") == '#read("x")' and cell_text("a\x00b\x1bc", "text") == "abc"
    assert bold_runs("前**粗体**后 *单* **未闭合") == [("前", False), ("粗体", True), ("后 *单* **未闭合", False)]
    assert bold_runs("") == [("", False)]
    # A backslash makes the next character literal; house_style.literal escapes text from a ledger.
    assert bold_runs(r"\*\*不是粗体\*\* **是** C:\\x") == [("**不是粗体** ", False), ("是", True), (r" C:\x", False)]
    from fupin_lib.render.house_style import literal

    for typed in ("**甲**食堂", r"C:\a\*b", "单*号"):
        assert bold_runs(literal(typed)) == [(typed, False)]
    # A column of long figures is given at least their width; a long text column yields.
    widths = column_widths(["名称", "金额"], [["很长的名称" * 10, "1,234,567,890.12"]], ["text", "money"], 156)
    assert widths[1] * 156 > 16 * 0.56 * 10.5 * 25.4 / 72


def test_markdown_from_the_notebooks_reads_as_typed_in_pdf_and_word():
    """The notebooks' Markdown carries data escaped for the browser (markup.md); the PDF and
    Word versions show the characters the department typed, with the product's bold kept."""
    from fupin_lib.render.from_notebook import markdown_blocks
    from fupin_lib.render.house_style import bold_runs
    from fupin_lib.render.markup import md

    typed = [
        "peers_2020_示例数据.csv",
        "<script>alert(1)</script>",
        "**甲**食堂 & 乙",
        r"$\frac{1}{0}$",
        "[点我](javascript:x)",
        "&lt;已转义&gt;",
        "a\\b",
    ]
    for text in typed:
        (para,) = markdown_blocks(f"单位 **{md('一')}** {md(text)}。")
        assert bold_runs(para.text) == [("单位 ", False), ("一", True), (f" {text}。", False)], text
    (bullets,) = markdown_blocks(f"- 数据表（{md('peers_2020.csv')}）")
    assert bold_runs(bullets.items[0]) == [("数据表（peers_2020.csv）", False)]
    (heading,) = markdown_blocks(f"## 一、{md('甲_乙 <b>')}")
    assert heading.text == "甲_乙 <b>"


def test_prepare_numbers_restart_and_landscape_groups():
    from fupin_lib.render.house_style import prepare

    prepared = prepare(hostile_document())
    flat = [b for block in prepared.blocks for b in (block["blocks"] if block["kind"] == "landscape" else [block])]
    assert [b["text"] for b in flat if b["kind"] == "heading"] == HEADINGS
    assert [b["caption"][:2] for b in flat if b["kind"] in ("table", "figure")] == ["表1", "图1", "表2", "表3", "图2"]
    landscape = [b for b in prepared.blocks if b["kind"] == "landscape"]
    # The heading that leads into the landscape table goes onto the turned page with it.
    assert [[x["kind"] for x in b["blocks"]] for b in landscape] == [["heading", "table"]]
    table = [b for b in flat if b["kind"] == "table"][1]
    assert table["unit"] == "单位：元" and table["total"] and table["rows"][-1][1] == "合计"
    assert table["rows"][2][2] == table["rows"][5][2] == MISSING and table["rows"][7][3] == NOT_APPLICABLE
    assert table["align"] == ["right", "left", "right", "right", "left"]
    with pytest.raises(ValueError):
        Heading("四级标题", 4)


def test_a_table_like_the_turned_one_before_it_joins_its_pages():
    """The assessment's tables share their columns; one narrow enough for a portrait page that
    follows a turned one goes on the same turned pages (not a page of its own after two rows
    left on the last turned page); a table with other columns starts its own portrait page."""
    from fupin_lib.render.house_style import prepare

    columns = ["编号", "考核内容", "数值", "平均值", "分档", "得分", "满分", "说明"]
    wide = pd.DataFrame(
        [
            [
                "9.3",
                "产销对接金额（万元）累计",
                "2,093.52万元",
                "3,885.85万元",
                "不显著不显著",
                "1.40",
                "2.00",
                "数据不全（区国资委未报送）",
            ]
        ]
        * 3,
        columns=columns,
    )
    narrow = pd.DataFrame([["17.1", "工作总结", "1次", "", "", "0.50", "1.00", ""]], columns=columns)
    other = pd.DataFrame({"编号": ["1"], "说明": ["无"]})
    doc = Document(
        "考核",
        blocks=[
            Heading("表5"),
            wide.pipe(lambda d: Table("产业合作", d)),
            Heading("表9"),
            Paragraph("说明一句。"),
            Table("信息宣传", narrow),
            Heading("附"),
            Table("其他", other),
        ],
    )
    blocks = prepare(doc).blocks
    assert [b["kind"] for b in blocks] == ["landscape", "heading", "table"]
    turned = blocks[0]["blocks"]
    assert [b["kind"] for b in turned] == ["heading", "table", "heading", "paragraph", "table"]
    assert [b["caption"] for b in turned if b["kind"] == "table"] == ["表1\u3000产业合作", "表2\u3000信息宣传"]
    assert all(b["landscape"] for b in turned if b["kind"] == "table")
    alone = prepare(Document("考核", blocks=[Table("信息宣传", narrow)])).blocks
    assert [b["kind"] for b in alone] == ["table"] and not alone[0]["landscape"]  # portrait on its own


def test_prepare_guards_pages_and_figures():
    from fupin_lib.render.house_style import figure_width_cm, prepare

    doc = Document(
        "标题",
        blocks=[
            PageBreak(),
            Heading("一"),
            PageBreak(),
            Paragraph("正文"),
            PageBreak(),
            PageBreak(),
            Paragraph("正文"),
            PageBreak(),
        ],
    )
    assert [b["kind"] for b in prepare(doc).blocks] == ["heading", "paragraph", "pagebreak", "paragraph"]
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 8), dpi=50)  # a tall chart is narrowed to fit a page with its caption
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    assert 4.5 < figure_width_cm(Figure(buf.getvalue(), "高图", width_cm=15)) < 5.5
    assert figure_width_cm(Figure(_png(), "图", width_cm=30)) == 15.6
    with pytest.raises(ValueError):
        figure_width_cm(Figure(b"GIF89a", "不是 PNG"))


# --- rendered files ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def docx_file(tmp_path_factory) -> Path:
    from fupin_lib.render.word import write_docx

    return write_docx(hostile_document(), tmp_path_factory.mktemp("word") / "简报.docx")


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory) -> Path:
    from fupin_lib.render.typeset import write_pdf

    return write_pdf(hostile_document(), tmp_path_factory.mktemp("typst") / "简报.pdf")


@pytest.fixture(scope="module")
def office_pdf(docx_file, tmp_path_factory):
    """The .docx laid out by LibreOffice, with the project's face made visible to it."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    from fupin_lib.render.fonts import sc_font_path

    home = tmp_path_factory.mktemp("lohome")
    (home / ".fonts").mkdir()
    shutil.copy(sc_font_path(), home / ".fonts")
    out = home / "out"
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx_file)],
        env={**os.environ, "HOME": str(home)},
        capture_output=True,
        timeout=120,
        check=True,
    )
    return out / (docx_file.stem + ".pdf")


def pdf_pages(pdf: Path) -> list[dict]:
    """Per page: its size and its lines of word boxes (x0, y0, x1, y1, text), from pdftotext."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for page in root.iter(ns + "page"):
        lines = []
        for line in page.iter(ns + "line"):
            words = [
                (float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                for w in line.iter(ns + "word")
            ]
            if words:
                lines.append(words)
        pages.append({"width": float(page.get("width")), "height": float(page.get("height")), "lines": lines})
    return pages


def overlapping_words(pdf: Path) -> list[str]:
    """Pairs of words whose boxes share more than a fifth of the smaller box."""
    found = []
    for n, page in enumerate(pdf_pages(pdf), 1):
        words = [w for line in page["lines"] for w in line]
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                ix = min(a[2], b[2]) - max(a[0], b[0])
                iy = min(a[3], b[3]) - max(a[1], b[1])
                small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1])) or 1
                if ix > 0 and iy > 0 and ix * iy > 0.2 * small:
                    found.append(f"p{n}: “{a[4]}” / “{b[4]}”")
    return found


def body_lines(page: dict) -> list[str]:
    """A page's lines top to bottom without the page number, each as its words joined."""
    lines = [l for l in page["lines"] if not re.fullmatch(r"—\d+—", "".join(w[4] for w in l))]
    lines.sort(key=lambda l: max(w[3] for w in l))
    return ["".join(w[4] for w in sorted(l)) for l in lines]


def figures_per_page(pdf: Path) -> dict[int, int]:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    counts: dict[int, int] = {}
    for line in out:
        page = int(line.split()[0])
        counts[page] = counts.get(page, 0) + 1
    return counts


def layout_faults(pdf: Path) -> list[str]:
    """Our own reading of the shared layout rules, with the document's exact headings."""
    faults = overlapping_words(pdf)
    pages, figures = pdf_pages(pdf), figures_per_page(pdf)
    stranded = [_squeeze(h) for h in HEADINGS] + CAPTIONS
    for n, page in enumerate(pages[:-1], 1):
        lines = body_lines(page)
        if len("".join(lines)) < 120 and not figures.get(n):
            faults.append(f"p{n}: near-empty page")
        if lines and any(lines[-1].startswith(s[:8]) for s in stranded):
            faults.append(f"p{n}: “{lines[-1][:20]}” is the page's last line")
    return faults


def pdf_plain_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


# The faces the product brings: its Noto Sans CJK SC (pip) and the type roles' faces that `make
# setup` installs from Debian (render/fonts.py ROLE_FILES); LibreOffice names a collection's faces
# by its first member (NotoSansCJKjp), which it shapes as the text's language (zh-CN) asks.
PRODUCT_FACES = r"\+(NotoSansCJK|NotoSerifCJK|LXGWWenKai)"


def embedded_fonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, emb) for every font of the PDF, from pdffonts."""
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(line.split()[0], line.split()[-5]) for line in out.splitlines()[2:] if line.strip()]


def run_tool(name: str, *files: Path) -> subprocess.CompletedProcess:
    tool = TOOLS / name
    if not tool.exists():
        pytest.skip(f"shared check {tool} is not here")
    return subprocess.run([sys.executable, str(tool), *map(str, files)], capture_output=True, text=True)


def _hostile_present(text: str) -> None:
    flat = _squeeze(text)
    for s in HOSTILE + [LONG]:
        assert _squeeze(s) in flat, s
    assert "root:" not in text and "nologin" not in text and "/bin/bash" not in text


# --- Word ----------------------------------------------------------------------------------


def _xml(docx: Path, name: str) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(name).decode("utf-8")


def test_docx_content_tables_and_pictures(docx_file):
    import docx

    d = docx.Document(str(docx_file))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert headings == HEADINGS
    assert all(d.styles[f"Heading {n}"].paragraph_format.keep_with_next for n in (1, 2, 3))
    captions = [p for p in d.paragraphs if p.style.name == "表题"]
    assert [p.text[:2] for p in captions] == ["表1", "表2", "表3"] and all(
        p.style.paragraph_format.keep_with_next for p in captions
    )
    assert [p.text[:2] for p in d.paragraphs if p.style.name == "图题"] == ["图1", "图2"]
    assert len(d.tables) == 3 and len(d.inline_shapes) == 2
    units = d.tables[1]
    assert [c.text for c in units.rows[0].cells] == ["序号", "单位名称", "采购金额", "采购比例", "备注"]
    assert len(units.rows) == 32
    assert [c.text for c in units.rows[3].cells[2:4]] == [MISSING, "10.0%"]
    assert units.rows[8].cells[3].text == NOT_APPLICABLE and units.rows[1].cells[2].text == "1,234.50"
    total = units.rows[-1]
    assert total.cells[1].text == "合计" and all(r.bold for c in total.cells for p in c.paragraphs for r in p.runs)
    assert not any(r.bold for p in units.rows[1].cells[1].paragraphs for r in p.runs)
    assert [c.paragraphs[0].alignment for c in units.rows[1].cells] == [2, 0, 2, 2, 0]  # right / left
    bold = [r.text for p in d.paragraphs for r in p.runs if r.bold and p.style.name == "Normal"]
    assert "消费帮扶金额同比增长12.3%" in bold and not any(
        "*" in b for b in bold
    )  # no space between a character and a digit (GB/T 9704)


def test_docx_fonts_set_everywhere(docx_file):
    """GB/T 9704's faces as office PCs name them (issue 21): the defaults and every style name an
    East Asian face (仿宋_GB2312 body, 方正小标宋简体 title, 黑体 and 楷体_GB2312 headings) and Times
    New Roman for Latin text, never a theme font; the font table gives each its alternative."""
    styles, document = _xml(docx_file, "word/styles.xml"), _xml(docx_file, "word/document.xml")
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S).group(0)
    assert 'w:eastAsia="仿宋_GB2312"' in defaults
    for attr in ("ascii", "hAnsi"):
        assert f'w:{attr}="Times New Roman"' in defaults
    assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=", styles + document)
    faces = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"}
    for style in re.findall(r"<w:style .*?</w:style>", styles, re.S):
        fonts = re.search(r"<w:rFonts [^>]*>", style)
        assert fonts and re.search(r'w:eastAsia="([^"]+)"', fonts.group(0)).group(1) in faces, style[:80]
        assert 'w:ascii="Times New Roman"' in fonts.group(0), style[:80]
    title = re.search(
        r'<w:style [^>]*w:styleId="[^"]*"[^>]*>\s*<w:name w:val="报告标题"/>.*?</w:style>', styles, re.S
    ).group(0)
    assert 'w:eastAsia="方正小标宋简体"' in title
    fonts = re.findall(r"<w:rFonts [^>]*>", styles + document)
    assert {f for tag in fonts for f in re.findall(r'="([^"]+)"', tag)} == faces | {"Times New Roman"}
    # Where a face is missing, Word is told to substitute a Chinese (GB 2312) one.
    table = _xml(docx_file, "word/fontTable.xml")
    for face, alternative in (
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("方正小标宋简体", "宋体"),
        ("黑体", "SimHei"),
    ):
        entry = re.search(f'<w:font w:name="{face}">.*?</w:font>', table).group(0)
        assert '<w:charset w:val="86"/>' in entry and f'w:altName w:val="{alternative}"' in entry


def test_docx_tables_repeat_headers_and_are_sized(docx_file):
    import docx
    from docx.oxml.ns import qn

    d = docx.Document(str(docx_file))
    for table in d.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr.find(qn("w:cantSplit")) is not None for r in rows)
        assert all(r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        widths = [c.width.mm for c in table.rows[0].cells]
        assert min(widths) > 8
    page = [sum(c.width.mm for c in t.rows[0].cells) for t in d.tables]
    assert abs(page[0] - 156) < 1 and abs(page[2] - 225) < 1  # the landscape table is wider
    orientations = [(round(s.page_width.mm), round(s.page_height.mm)) for s in d.sections]
    assert orientations == [(210, 297), (297, 210), (210, 297)]
    assert [round(s.top_margin.mm) for s in d.sections][0] == 37


def test_docx_footer_has_page_field_between_em_dashes(docx_file):
    with zipfile.ZipFile(docx_file) as z:
        footers = [z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"word/footer\d*\.xml", n)]
    footer = next(f for f in footers if "instrText" in f)
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)
    texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", footer)
    assert texts[0].startswith("—") and texts[-1].endswith("—")


def test_docx_hostile_text_is_literal(docx_file):
    import docx

    d = docx.Document(str(docx_file))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    _hostile_present(text)
    assert "<script>alert(1)</script>" in [c.text for c in d.tables[1].columns[1].cells]
    document = _xml(docx_file, "word/document.xml")
    assert "<w:hyperlink" not in document and "<w:fldSimple" not in document and "instrText" not in document
    assert "<script>" not in document and "&lt;script&gt;" in document


def test_docx_passes_the_shared_office_check(docx_file):
    result = run_tool("office_files.py", docx_file)
    assert result.returncode == 0, result.stdout


# --- PDF (Typst) ---------------------------------------------------------------------------


def test_pdf_layout(pdf_file):
    pdf = pdf_file
    assert layout_faults(pdf) == []
    result = run_tool("pdf_layout.py", pdf)
    assert result.returncode == 0, result.stdout
    pages = pdf_pages(pdf)
    assert 4 <= len(pages) <= 10
    assert any(p["width"] > p["height"] for p in pages) and pages[0]["height"] > pages[0]["width"]
    # The 30-row table spans pages and its header row is on each of them.
    spans = [
        n for n, p in enumerate(pages) if any("第21预算单位食堂" in l or "第2预算单位食堂" in l for l in body_lines(p))
    ]
    assert len(spans) == 2
    for n in spans:
        lines = body_lines(pages[n])
        assert {"序号", "单位名称", "采购金额", "采购比例", "备注"} <= set(lines), lines[:12]
    # Page numbers "— 1 —", "— 2 —" … in order (a layout that did not settle repeats them).
    numbers = [
        next((m.group(1) for l in p["lines"] if (m := re.fullmatch(r"—(\d+)—", "".join(w[4] for w in l)))), None)
        for p in pages
    ]
    assert numbers == [str(n) for n in range(1, len(pages) + 1)]


def test_pdf_never_splits_a_row_across_pages(tmp_path):
    """A long table breaks between rows only: each row's first cell and the last line of its
    longest cell are on the same page (the 2020H2 year-end report had a row's last line alone
    on page 6)."""
    from pypdf import PdfReader

    from fupin_lib.render.typeset import write_pdf

    rows = [
        [f"首{i}号", "区人保局、区国资委、区教委、区卫计委、各镇街、基地园区、" * (2 + i % 5) + f"尾{i}号"]
        for i in range(60)
    ]
    doc = Document("长表", blocks=[Table("责任部门", pd.DataFrame(rows, columns=["目标", "责任部门"]))])
    pdf = write_pdf(doc, tmp_path / "长表.pdf")
    pages = [re.sub(r"\s+", "", page.extract_text() or "") for page in PdfReader(str(pdf)).pages]
    assert len(pages) >= 3
    for i in range(60):
        assert [f"首{i}号" in text for text in pages] == [f"尾{i}号" in text for text in pages], i


@pytest.mark.parametrize("landscape", [True, False])
def test_a_table_before_a_new_page_leaves_no_rows_alone_on_its_last_page(tmp_path, landscape):
    """A long table that turned pages end (or a page break follows) moves rows from its
    next-to-last page to its last, so that no page of it is under a quarter full (the small
    sample's 2020H2 assessment ended 表15 with 4 rows alone on p. 14: 20%). Every length from one
    page to three, so each count of rows left over is met; each row printed once, in order."""
    import sys

    from pypdf import PdfReader

    from fupin_lib.render.typeset import write_pdf

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from layout import page_fill, pdf_pages

    after = [Paragraph("其后的段落。")] if landscape else [PageBreak(), Paragraph("其后的段落。")]
    short_pages, broken = [], 0
    for n in range(18, 62):
        rows = [[f"第{i}行", "区人保局、区国资委" * (1 + i % 2), f"{i * 10}"] for i in range(n)]
        table = Table("长表", pd.DataFrame(rows, columns=["目标", "责任部门", "数值"]), landscape=landscape)
        pdf = write_pdf(Document("长表", blocks=[Paragraph("前面的段落。"), table, *after]), tmp_path / f"{n}.pdf")
        texts = [re.sub(r"\s+", "", page.extract_text() or "") for page in PdfReader(str(pdf)).pages]
        found = [i for text in texts for i in map(int, re.findall(r"第(\d+)行", text))]
        assert found == list(range(n)), n
        last = max(k for k, text in enumerate(texts) if f"第{n - 1}行" in text)
        first = min(k for k, text in enumerate(texts) if "第0行" in text)
        broken += last > first
        fills = [page_fill(page) for page in pdf_pages(pdf)]
        short_pages += [(n, k + 1, f"{fills[k]:.0%}") for k in range(first + 1, last + 1) if fills[k] < 0.25]
    assert short_pages == []
    assert broken >= 25  # most of these tables run onto a second page (a landscape one onto a third)


def _tall_png() -> bytes:
    """A chart taller than half a page (the year-end report's 43 targets, one bar each)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 9), dpi=60)
    ax.barh([f"T{i}" for i in range(40)], range(40))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


@pytest.mark.parametrize("before", [0, 25])
def test_a_chart_that_does_not_fit_leaves_no_half_empty_page(tmp_path, before):
    """A tall chart after a table that ends part-way down a page: what follows the chart fills
    that page and the chart starts the next (the 2020H2 year-end report's p. 6 held one table
    row and nothing else). A chart that fits stays where it is written."""
    from pypdf import PdfReader

    from fupin_lib.render.typeset import write_pdf

    rows = [[f"第{i}行", f"{i * 10}"] for i in range(before)]
    table = [Table("目标", pd.DataFrame(rows, columns=["目标", "数值"]))] if rows else [Paragraph("第-1行")]
    doc = Document(
        "长图",
        blocks=[
            *table,
            Figure(_tall_png(), "各项目标", "", 10.0),
            Paragraph("图后的说明段落。"),
            Heading("下一节"),
            Paragraph("下一节的正文。"),
        ],
    )
    pdf = write_pdf(doc, tmp_path / "长图.pdf")
    pages = [re.sub(r"\s+", "", page.extract_text() or "") for page in PdfReader(str(pdf)).pages]
    caption = next(i for i, text in enumerate(pages) if "各项目标" in text)
    after = next(i for i, text in enumerate(pages) if "图后的说明段落" in text)
    last_row = next(i for i, text in enumerate(pages) if f"第{before - 1}行" in text)
    if not rows:  # room for the chart under the title: in its place, on page 1
        assert caption == after == last_row == 0, pages
    else:  # 25 rows leave too little: the text after it stays with them
        assert after == last_row and caption == last_row + 1, pages
        assert "下一节的正文" in pages[last_row]


def test_pdf_hostile_text_is_literal_and_fonts_embedded(pdf_file):
    text = pdf_plain_text(pdf_file)
    _hostile_present(text)
    assert "1,234.50" in text and "462,566.00" in text and "18.3%" in text and "…" in text
    fonts = embedded_fonts(pdf_file)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    assert all(re.search(PRODUCT_FACES, name) for name, _ in fonts), fonts


def test_pdf_without_the_role_faces_is_set_in_the_sans_face_alone(tmp_path, monkeypatch):
    """A machine where the Debian faces of the type roles could not be installed: the PDF is still
    made, every role in the project's sans face (its bold drawn), nothing missing."""
    from fupin_lib import config
    from fupin_lib.render import fonts
    from fupin_lib.render.typeset import write_pdf

    monkeypatch.setattr(config, "SYSTEM_FONT_DIR", tmp_path / "no-fonts")
    assert fonts.role_font_files() is None and set(fonts.role_faces().values()) == {fonts.FAMILY, ""}
    doc = Document("标题", blocks=[Heading("一级"), Heading("二级", level=2), Paragraph("正文**加粗**。")])
    pdf = write_pdf(doc, tmp_path / "one-face.pdf")
    assert [name.split("+")[-1] for name, _emb in embedded_fonts(pdf)] == ["NotoSansCJKsc-Regular-Identity-H"]
    assert "二级" in pdf_plain_text(pdf) and "加粗" in pdf_plain_text(pdf)


def test_pdf_strings_are_never_evaluated(tmp_path):
    """Typst code in a cell, a caption and the title is shown, not run (a `#panic` would fail
    the compile, a `#read` outside the root would fail it too)."""
    from fupin_lib.render.typeset import typeset

    hostile = '#panic("x") #read("/etc/passwd") #image("/etc/passwd") ]; #let a = 1 $a$'
    doc = Document(
        title=hostile,
        masthead={"编制单位": hostile},
        blocks=[
            Heading(hostile),
            Paragraph(f"**{hostile}**"),
            Bullets([hostile]),
            Table(hostile, pd.DataFrame({hostile: [hostile]}), unit=hostile, note=hostile),
        ],
    )
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(typeset(doc))
    assert _squeeze(pdf_plain_text(pdf)).count(_squeeze(hostile)) >= 7


# --- the Word file as LibreOffice lays it out ---------------------------------------------


def test_docx_in_libreoffice(office_pdf):
    assert layout_faults(office_pdf) == []
    result = run_tool("pdf_layout.py", office_pdf)
    assert result.returncode == 0, result.stdout
    fonts = embedded_fonts(office_pdf)
    assert fonts and all(re.search(PRODUCT_FACES, name) and emb == "yes" for name, emb in fonts), fonts
    _hostile_present(pdf_plain_text(office_pdf))
    pages = pdf_pages(office_pdf)
    assert any(p["width"] > p["height"] for p in pages)


def test_text_keeps_chinese_conventions():
    """GB/T 9704 (issue 21): no space between a digit and a Chinese character either way round,
    and a title that breaks between words, never inside one (2020年第 / 二季度)."""
    from fupin_lib.render.house_style import clean, title_lines

    assert (
        clean("2020 年第 2 期，224 团，16 个区，占 26%，增长 12.3% 左右")
        == "2020年第2期，224团，16个区，占26%，增长12.3%左右"
    )
    assert clean("Q2 report 2020") == "Q2 report 2020"  # Latin text keeps its spaces
    assert title_lines("大兴区东西部扶贫协作工作简报（2020年第二季度）") == [
        "大兴区东西部扶贫协作工作简报",
        "（2020年第二季度）",
    ]
    assert title_lines("大兴区考核得分测算") == ["大兴区考核得分测算"]
