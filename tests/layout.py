"""Layout checks of the documents we ship, as a reader meets them; for any test to call.

- `pdf_faults(pdf)`: from poppler's word boxes (`pdftotext -bbox-layout`): pages that are not
  A4, words that overlap, near-empty pages (not the last), a heading or caption left as the
  last text of a page (its content is on the next), text at or past the paper's edge.
- `html_overflow(html, widths)`: tables and figures wider than their box, and pages that
  scroll sideways, measured in headless Chromium at each screen width.
- `phone_faults(html)`: on a 375 px phone the page never scrolls sideways; a table wider than
  the screen scrolls inside its own box.
- `print_faults(html)`: the page printed to PDF by Chromium (what a reader gets from the
  browser's 打印): `pdf_faults`, and no character of the page missing from the paper (a column
  cut at the margin loses its characters).
- `number(text)`: a figure as the documents print it (1,234.56 / 12.3% / —) as a number.
- `printed(cell)`: what an executed notebook cell printed, its stream outputs joined.

The same method as the reviewers' tools (/work/shared/tools/html_overflow.py, pdf_layout.py),
at least as strict. Each check skips its test (pytest.skip) when its program is missing;
`.ci/run` installs both (Debian packages chromium, poppler-utils).
"""

from __future__ import annotations

import html as htmllib
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

A4 = (595.28, 841.89)  # points
EDGE = 5 / 25.4 * 72  # 5 mm: closer to the paper's edge than any printer prints
FOOTER_BAND = 0.92  # below this share of the page's height: page numbers
# A table's caption stands above it; a figure's (图1) below, so a page may well end with one.
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|附[：:件]|表\d+)")
FIGURE_CAPTION = re.compile(r"^图\d+")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
]


def shared_tool(name: str) -> Path:
    """One of the reviewers' checks: in FUPIN_SHARED_TOOLS, or shared/tools beside the checkout
    (as CI lays it out), or where the workplace keeps them; the test skips when it is nowhere."""
    beside = Path(__file__).resolve().parents[2] / "shared" / "tools"
    for folder in (os.environ.get("FUPIN_SHARED_TOOLS"), beside, "/work/shared/tools"):
        if folder and (Path(folder) / name).is_file():
            return Path(folder) / name
    pytest.skip(f"the reviewers' {name} is not here")


def _program(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"{names[0]} is not installed (Debian: .ci/run installs it)")


# --- PDF -------------------------------------------------------------------------------------


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0) * max(self.y1 - self.y0, 0)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[list[Word]]

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line]


def pdf_pages(pdf: Path) -> list[Page]:
    """Every page with its lines of words, as poppler reads them."""
    tool = _program("pdftotext")
    xml = subprocess.run(
        [tool, "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=300
    ).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml))
    ns = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for n, page in enumerate(root.iter(f"{ns}page"), 1):
        lines = []
        for line in page.iter(f"{ns}line"):
            words = [
                Word(
                    float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or ""
                )
                for w in line.iter(f"{ns}word")
            ]
            if words:
                lines.append(words)
        pages.append(Page(n, float(page.get("width")), float(page.get("height")), lines))
    return pages


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler extracts it."""
    return "".join(w.text for page in pdf_pages(pdf) for w in page.words)


def _images_per_page(pdf: Path) -> Counter:
    tool = _program("pdfimages")
    listing = subprocess.run(
        [tool, "-list", str(pdf)], capture_output=True, text=True, check=True, timeout=300
    ).stdout.splitlines()[2:]
    return Counter(int(line.split()[0]) for line in listing if line.split() and line.split()[0].isdigit())


def _overlaps(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of word boxes that share more than 30 % of the smaller one's area."""
    found = []
    ordered = sorted(words, key=lambda w: w.y0)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.y0 >= a.y1:
                break
            ix, iy = min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0)
            if ix > 0 and iy > 0 and ix * iy > 0.3 * (min(a.area, b.area) or 1):
                found.append((a, b))
    return found


def _stranded(page: Page) -> str | None:
    """The last line of the page's body when it is a heading or a table's caption: numbered as
    one (一、 （二） 表3 附件), or short (a heading seldom fills a line) and set larger than the
    page's running text."""
    body = [line for line in page.lines if min(w.y0 for w in line) < page.height * FOOTER_BAND]
    if not body:
        return None
    last = max(body, key=lambda line: max(w.y1 for w in line))
    text = "".join(w.text for w in sorted(last, key=lambda w: w.x0))
    if FIGURE_CAPTION.match(text):
        return None
    if HEADING.match(text):
        return text
    # The page's running text: lines of 24 characters or more (not the last lines of paragraphs; a
    # line of 三号 body text in Word holds 28), its larger sizes (body text, not the small type of
    # the table rows among them).
    running = sorted(w.y1 - w.y0 for line in body if len("".join(x.text for x in line)) >= 24 for w in line)
    if not running or len(text) >= 24:
        return None
    usual = running[int(0.9 * (len(running) - 1))]
    return text if statistics.median(w.y1 - w.y0 for w in last) > 1.2 * usual else None


def pdf_faults(pdf: Path) -> list[str]:
    """Layout faults a reader of the PDF sees; one line each, empty when there is none."""
    pdf = Path(pdf)
    pages = pdf_pages(pdf)
    images = _images_per_page(pdf)
    faults = []
    for page in pages:
        where = f"{pdf.name} 第{page.number}页"
        if not any(abs(page.width - a) < 2 and abs(page.height - b) < 2 for a, b in (A4, A4[::-1])):
            faults.append(f"{where}：纸张不是 A4（{page.width:.0f}×{page.height:.0f} pt）")
        for a, b in _overlaps(page.words):
            faults.append(f"{where}：文字重叠“{a.text}”/“{b.text}”")
        for w in page.words:
            if w.x0 < EDGE or w.y0 < EDGE or w.x1 > page.width - EDGE or w.y1 > page.height - EDGE:
                faults.append(f"{where}：文字“{w.text}”在纸边 5 毫米以内或超出纸边")
        if page.number == len(pages):
            continue
        body = "".join(
            w.text for line in page.lines for w in line if min(x.y0 for x in line) < page.height * FOOTER_BAND
        )
        if len(body) < 120 and not images.get(page.number):
            faults.append(f"{where}：几乎空白（{len(body)} 个字符，没有图）")
        heading = _stranded(page)
        if heading:
            faults.append(f"{where}：标题或表题“{heading[:20]}”在页末，其内容在下一页")
    return faults


def page_fill(page: Page, top_mm: float = 37) -> float:
    """How far down its text area a page is used: from the top margin (GB/T 9704: 37 mm) to the
    bottom of its lowest word above the page numbers, as a share of that area. A chart's caption
    is under the chart, so a page holding a chart counts as used down to it."""
    top = page.height * top_mm / 297
    bottoms = [w.y1 for line in page.lines for w in line if min(x.y0 for x in line) < page.height * FOOTER_BAND]
    return max(0.0, (max(bottoms) - top) / (page.height * FOOTER_BAND - top)) if bottoms else 0.0


# --- HTML in Chromium --------------------------------------------------------------------------

PROBE = """<script>
window.addEventListener('load', () => document.fonts.ready.then(() => {
  const view = document.documentElement.clientWidth, items = [];
  document.querySelectorAll('table, img, svg').forEach(el => {
    const r = el.getBoundingClientRect();
    let box = el.parentElement;
    while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') box = box.parentElement;
    box = box || document.body;
    const b = box.getBoundingClientRect(), style = getComputedStyle(box);
    const cap = el.querySelector && el.querySelector('caption');
    const cell = sel => { const c = el.querySelector && el.querySelector(sel);
                          if (!c) return null; const q = c.getBoundingClientRect(); return {left: q.left, right: q.right}; };
    items.push({what: cap ? cap.textContent.trim().slice(0, 30) : el.tagName.toLowerCase(),
                chart: !!(el.closest && el.closest('.fupin-figure')) && el.tagName === 'IMG',
                shown: r.width, natural: el.naturalWidth || 0,
                first: cell('tbody td'), status: cell('tbody td.status'),
                left: r.left, right: r.right, inner: el.scrollWidth - el.clientWidth,
                box: {left: b.left, right: b.right, body: box === document.body,
                      scrolls: ['auto', 'scroll'].includes(style.overflowX)}});
  });
  const out = {view, page: document.documentElement.scrollWidth, text: document.body.innerText, items};
  const pre = document.createElement('pre');
  pre.id = 'layout-probe';
  pre.textContent = '@@LAY' + 'OUT@@' + JSON.stringify(out) + '@@LAY' + 'OUT@@';
  document.body.appendChild(pre);
}));
</script>"""


def _chromium(args: list[str], page: Path, folder: Path) -> subprocess.CompletedProcess:
    tool = _program("chromium", "chromium-browser", "google-chrome")
    return subprocess.run(
        [tool, *CHROMIUM_FLAGS, f"--user-data-dir={folder / 'profile'}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
    )


def measure(html: Path, width: int) -> dict:
    """The page at a screen width: its width and the viewport's, its visible text, and for each
    table, image and SVG its box and the box that holds it (the nearest ancestor that clips or
    scrolls, else the body)."""
    text = Path(html).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="layout-") as tmp:
        folder = Path(tmp)
        page = folder / "page.html"
        page.write_text(
            text.replace("</body>", PROBE + "</body>", 1) if "</body>" in text else text + PROBE, encoding="utf-8"
        )
        run = _chromium([f"--window-size={width},900", "--virtual-time-budget=10000", "--dump-dom"], page, folder)
    found = re.search(r"@@LAYOUT@@(.*?)@@LAYOUT@@", run.stdout, re.S)
    assert found, (
        f"{Path(html).name}: the layout probe did not run at {width}px (a CSP blocking inline scripts?)\n{run.stderr[-500:]}"
    )
    return json.loads(htmllib.unescape(found.group(1)))


def _cut(item: dict, view: float) -> float:
    """How far a table or figure reaches past its box or the screen (px)."""
    box = item["box"]
    return max(item["right"] - box["right"], box["left"] - item["left"], item["right"] - view, item["inner"])


def html_overflow(html: Path, widths: tuple[int, ...] = (1024, 1366)) -> list[str]:
    """Tables and figures wider than their box at each screen width, and pages wider than the
    screen; one line each, empty when there is none."""
    faults = []
    for width in widths:
        m = measure(html, width)
        if m["page"] > m["view"] + 2:
            faults.append(f"{Path(html).name} @{width}px：页面比屏幕宽 {m['page'] - m['view']:.0f}px，需要左右滚动整页")
        faults += [
            f"{Path(html).name} @{width}px：“{i['what']}”超出所在区域 {_cut(i, m['view']):.0f}px"
            for i in m["items"]
            if _cut(i, m["view"]) > 2
        ]
    return faults


def phone_faults(html: Path, width: int = 375) -> tuple[list[str], int]:
    """On a phone: the page does not scroll sideways, and whatever is wider than the screen sits
    in a box of its own that scrolls and that itself fits the screen. Returns the faults and
    how many tables or figures scroll in their box (for a test to know that it saw some)."""
    m = measure(html, width)
    name = Path(html).name
    faults, scrolled = [], 0
    if m["page"] > m["view"] + 1:
        faults.append(f"{name} @{width}px：整页比屏幕宽 {m['page'] - m['view']:.0f}px")
    for item in m["items"]:
        box = item["box"]
        if box["right"] > m["view"] + 1 or box["left"] < -1:
            faults.append(f"{name} @{width}px：“{item['what']}”所在区域比屏幕宽")
        elif _cut(item, m["view"]) > 2 and (box["body"] or not box["scrolls"]):
            faults.append(f"{name} @{width}px：“{item['what']}”比屏幕宽，却不能在自己的区域内左右滚动")
        elif _cut(item, m["view"]) > 2:
            scrolled += 1
    return faults, scrolled


def phone_status_faults(html: Path, width: int = 390) -> tuple[list[str], int]:
    """On a phone, before anyone scrolls: each table's first column and its status column (状态,
    报送情况) are inside the visible part of the table's box. Returns the faults and how many
    tables with a status column were seen."""
    m = measure(html, width)
    name = Path(html).name
    faults, seen = [], 0
    for item in m["items"]:
        box = item["box"]
        left, right = max(box["left"], 0), min(box["right"], m["view"])
        for what, cell in (("第一列", item.get("first")), ("状态列", item.get("status"))):
            if cell and (cell["left"] < left - 1 or cell["right"] > right + 1):
                faults.append(
                    f"{name} @{width}px：“{item['what']}”的{what}不在屏幕内（{cell['left']:.0f}–{cell['right']:.0f}px）"
                )
        seen += item.get("status") is not None
    return faults, seen


# A chart's smallest words: 9 pt drawn at 150 dpi = 9 / 72 x 150 = 18.75 px of its PNG.
CHART_WORD_PX = 9 / 72 * 150


def phone_chart_faults(html: Path, width: int = 390, least_px: float = 12) -> tuple[list[str], int]:
    """On a phone: each chart is shown large enough that its smallest words are at least
    `least_px` CSS px (CHART_WORD_PX of the PNG, times the shown / natural width). Returns the
    faults and how many charts were seen."""
    m = measure(html, width)
    name = Path(html).name
    charts = [i for i in m["items"] if i.get("chart") and i["natural"]]
    faults = [
        f"{name} @{width}px：图表文字仅 {CHART_WORD_PX * i['shown'] / i['natural']:.1f}px（应不小于 {least_px}px）"
        for i in charts
        if CHART_WORD_PX * i["shown"] / i["natural"] < least_px
    ]
    return faults, len(charts)


def image_ppi(path: Path) -> list[float]:
    """Each chart's resolution as printed (pixels per inch of paper): from `pdfimages -list` for a
    PDF (its soft masks left out), from the picture's extent for a .docx (EMU: 914,400 per inch).
    At most 150 means printed at least at the size it was drawn at 150 dpi."""
    path = Path(path)
    if path.suffix == ".pdf":
        run = subprocess.run([_program("pdfimages"), "-list", str(path)], capture_output=True, text=True, check=True)
        rows = [line.split() for line in run.stdout.splitlines()[2:]]
        return [min(float(r[12]), float(r[13])) for r in rows if r[2] == "image"] + [
            max(float(r[12]), float(r[13])) for r in rows if r[2] == "image"
        ]
    import zipfile

    from PIL import Image

    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        targets.update({k: v for v, k in re.findall(r'Target="([^"]+)"[^>]*Id="(rId\d+)"', rels)})
        found = []
        for cx, rid in re.findall(r'<wp:extent cx="(\d+)" cy="\d+"/>.*?r:embed="(rId\d+)"', xml, re.S):
            with z.open("word/" + targets[rid]) as f:
                found.append(Image.open(f).width / (int(cx) / 914400))
        return found


# Printed with synthetic bold off: Chromium draws the bold it makes up (the embedded font has no
# bold face) as Type 3 glyphs whose boxes are 2.6 em tall, so that every bold word would
# "overlap" its neighbours for any PDF tool. Synthetic bold does not change advances: the pages
# are laid out exactly as the reader's, with boxes the text's own size.
NO_SYNTHETIC_BOLD = "<style>* { font-synthesis: none !important; }</style>"


def print_pdf(html: Path, pdf: Path) -> Path:
    """The page printed to PDF by Chromium, as a reader's 打印 makes it (synthetic bold off, see
    NO_SYNTHETIC_BOLD)."""
    with tempfile.TemporaryDirectory(prefix="print-") as tmp:
        folder = Path(tmp)
        page = folder / "page.html"
        source = Path(html).read_text(encoding="utf-8")
        page.write_text(source.replace("</head>", NO_SYNTHETIC_BOLD + "</head>", 1), encoding="utf-8")
        _chromium(["--no-pdf-header-footer", "--virtual-time-budget=10000", f"--print-to-pdf={pdf}"], page, folder)
    assert Path(pdf).exists(), f"Chromium did not print {Path(html).name}"
    return Path(pdf)


def print_faults(html: Path, keep: Path | None = None) -> list[str]:
    """The page printed by Chromium: `pdf_faults` of that PDF, and the characters of the page's
    text that the paper lacks (what a column cut at the margin loses). `keep`: where to keep
    the PDF (to look at it)."""
    text = measure(html, 794)["text"]  # A4's width at 96 dpi; the text is the same at any width
    with tempfile.TemporaryDirectory(prefix="print-") as tmp:
        pdf = print_pdf(html, Path(keep) if keep else Path(tmp) / f"{Path(html).stem}.pdf")
        faults = pdf_faults(pdf)
        missing = Counter(re.sub(r"\s", "", text)) - Counter(re.sub(r"\s", "", pdf_text(pdf)))
    if missing:
        shown = "".join(sorted(missing.elements()))[:40]
        faults.append(f"{Path(html).name}：打印后缺少 {sum(missing.values())} 个字符（如“{shown}”），可能有列被裁掉")
    return faults


def number(text) -> float | None:
    """A figure as the report prints it: 1,234.56 / 12.3% / — ."""
    text = str(text).strip()
    if text in ("—", "…", "", "nan"):
        return None
    if text.endswith("%"):
        return round(float(text[:-1].replace(",", "")) / 100, 3)
    return float(text.replace(",", ""))


def printed(cell) -> str:
    """What a notebook cell printed (stdout), its stream outputs joined: the kernel may send one
    print() in several messages (its words and separators flushed apart on a loaded machine: a test
    read "DataFrame" alone where the print went on with the columns)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
