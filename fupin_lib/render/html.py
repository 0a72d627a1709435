"""HTML documents that read the same on any machine: a notebook exported without code through
the office's template (templates/fupin_report), every table in a box of its own that scrolls
sideways on a narrow screen, and the Chinese font embedded.

The font: the characters the page uses, cut from the Simplified Chinese face (fonts.py) and
embedded as a WOFF data: URL in an @font-face rule, so that a machine without any CJK font
shows the same characters, not boxes. A report shows 500-650 distinct characters: 120-160 KB
of WOFF (160-210 KB as base64), cut and compressed in under a second; the page's own
stylesheet (report.css, 5 KB) replaces JupyterLab's 250 KB, so that a report is smaller than
before with its font.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from .. import config
from .fonts import sc_font_path, to_truetype, web_font_path, web_font_codes

FAMILY = "Fupin Report SC"  # the embedded subset, first in report.css's font list
FONT_MARKER = "/* fupin:font-face */"  # in the template's head; replaced by the @font-face rule
STYLESHEET = config.REPORT_STYLESHEET
_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))  # always in: page numbers, codes, figures
_TEXT_ATTRIBUTES = ("alt", "title", "aria-label")
# Cells a reader never sees (the set-up, papermill's parameters) and cells whose output is not
# shown; the PDF and Word versions (from_notebook.py) leave out the same.
HIDDEN_CELL_TAGS = frozenset({"remove_cell", "injected-parameters", "parameters"})
HIDDEN_OUTPUT_TAGS = frozenset({"hide_output"})


def export_html(notebook: Path, target: Path) -> Path:
    """The executed notebook as the report's HTML: no code cells, in Chinese (lang="zh"),
    nothing loaded from the network, tables in their boxes, the font embedded."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _exporter_class()(
        template_name="fupin_report",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.language_code = "zh"
    remove = TagRemovePreprocessor(
        remove_cell_tags=set(HIDDEN_CELL_TAGS), remove_all_outputs_tags=set(HIDDEN_OUTPUT_TAGS)
    )
    exporter.register_preprocessor(remove, enabled=True)
    nb = nbformat.read(notebook, as_version=4)
    drop_stderr(nb)
    body, _resources = exporter.from_notebook_node(
        nb, resources={"metadata": {"name": nb.metadata.get("title", notebook.stem)}}
    )
    Path(target).write_text(embed_font(box_tables(body)), encoding="utf-8")
    return Path(target)


@lru_cache(maxsize=1)
def _exporter_class():
    """nbconvert's HTMLExporter without its check of the whole notebook against the schema
    after each of its thirteen preprocessors: each check compiles the schema anew (nbformat
    keeps no compiled schema when it is relaxed), 1.4 s of a 3.5 s export. The notebook was
    checked when papermill wrote it and when it was read here."""
    from nbconvert import HTMLExporter

    class Exporter(HTMLExporter):
        def _validate_preprocessor(self, nbc, preprocessor):
            pass

    return Exporter


def drop_stderr(nb) -> None:
    """stderr (warnings, progress bars) is for developers, not for the report's readers."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]


SCROLL_BOX = '<div class="fupin-scroll">'
_TABLE_TAG = re.compile(r"<table\b[^>]*>|</table>")


def box_tables(html: str) -> str:
    """Every table in a box of its own (div.fupin-scroll, which scrolls sideways when the table
    is wider than the screen): the report's tables come in one (blocks.py), others (a Markdown
    table, a data frame shown as it is) get one here. Matching tags in the text is safe: text
    from the data is escaped before it reaches the page, so `<table` is only ever markup."""
    parts, wrapped, last = [], [], 0
    for tag in _TABLE_TAG.finditer(html):
        parts.append(html[last : tag.start()])
        if tag.group().startswith("</"):
            parts.append(tag.group() + ("</div>" if wrapped and wrapped.pop() else ""))
        else:
            boxed = html.endswith(SCROLL_BOX, 0, tag.start())
            wrapped.append(not boxed)
            parts.append(tag.group() if boxed else SCROLL_BOX + tag.group())
        last = tag.end()
    parts.append(html[last:])
    return "".join(parts)


class _Text(HTMLParser):
    """The text a page shows: element content (character references decoded), stylesheets
    (their generated text, e.g. the page numbers of print), and text-bearing attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs) -> None:
        self.parts += [value for name, value in attrs if name in _TEXT_ATTRIBUTES and value]


def shown_characters(html: str) -> str:
    """The distinct characters a page can show, sorted, with printable ASCII always included."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    chars = set("".join(parser.parts)) | set(_ASCII)
    return "".join(sorted(c for c in chars if unicodedata.category(c)[0] != "C"))  # no control characters


# WOFF (zlib): WOFF2 packs the same subset about a fifth smaller (100 KB against 130 KB for a
# report) but its Brotli compression takes six times as long (0.7 s against 0.1 s a page), and
# the batch makes a page per report and the overview; every browser reads both.
FONT_FLAVOR = "woff"


def font_subset(characters: str, flavor: str = FONT_FLAVOR) -> bytes:
    """The Simplified Chinese face cut down to `characters` (those it has), with TrueType
    outlines, as WOFF (or `flavor`: "woff2", None for plain TrueType).

    Cut from the web cut (fonts.web_font_path: GB 2312, Latin and punctuation, already
    TrueType) when it has every character asked for, which a report nearly always does (a
    quarter of a second); else from the whole face, whose CFF outlines are converted
    (`fonts.to_truetype`, about a second). Horizontal text only (the vertical-writing tables
    go), no hinting, no OpenType layout tables (the default forms are the Simplified ones, and a
    page of horizontal Chinese uses no feature of them: without them the cut takes half the time
    and is 40% smaller); the font's names keep its copyright and licence (SIL OFL)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    options.drop_tables += ["vhea", "vmtx", "VORG", "BASE", "GSUB", "GPOS", "GDEF"]
    from_cut = {ord(c) for c in characters} <= web_font_codes()
    source = web_font_path() if from_cut else sc_font_path()
    font = TTFont(str(source), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    if not from_cut:
        to_truetype(font)
    font.flavor = flavor
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def font_face(characters: str) -> str:
    """The @font-face rule of FAMILY with the subset for `characters` embedded."""
    flavor = FONT_FLAVOR
    data = base64.b64encode(font_subset(characters, flavor)).decode("ascii")
    return (
        f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: 400; font-display: block; '
        f'src: url(data:font/{flavor};base64,{data}) format("{flavor}"); }}'
    )


def embed_font(html: str) -> str:
    """The page with the font subset for its own characters in place of FONT_MARKER (the first
    one: the template's, in the head, before any text from the data)."""
    if FONT_MARKER not in html:
        raise ValueError("HTML 模板中缺少字体标记，无法嵌入字体")
    return html.replace(FONT_MARKER, font_face(shown_characters(html)), 1)
