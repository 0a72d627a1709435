"""What the Word and PDF renderers share: the house style's measures and a Document prepared
for rendering (headings, tables and figures numbered, cells formatted, column widths chosen,
landscape tables grouped with the headings that lead into them).

Nothing here knows a file format: a prepared document is plain lists, dicts and strings, so
that typeset.py can hand it to Typst as JSON data and word.py can walk the same structure.
"""

from __future__ import annotations

import math
import numbers
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..ingest.parsers import BIDI_CONTROLS
from .document import MISSING, NOT_APPLICABLE, Bullets, Document, Figure, Heading, PageBreak, Paragraph, Table

FACE = "Noto Sans CJK SC"

# Page geometry (mm): A4 with GB/T 9704-2012 margins; landscape pages keep the same frame turned.
PAGE_W, PAGE_H = 210, 297
MARGINS = {"top": 37, "bottom": 35, "left": 28, "right": 26}
LANDSCAPE_MARGINS = {"top": 26, "bottom": 26, "left": 37, "right": 35}
FOOTER_FROM_EDGE = {"portrait": 15, "landscape": 10}  # page numbers well below the text
TEXT_WIDTH = {
    "portrait": PAGE_W - MARGINS["left"] - MARGINS["right"],
    "landscape": PAGE_H - LANDSCAPE_MARGINS["left"] - LANDSCAPE_MARGINS["right"],
}
TEXT_HEIGHT = {
    "portrait": PAGE_H - MARGINS["top"] - MARGINS["bottom"],
    "landscape": PAGE_W - LANDSCAPE_MARGINS["top"] - LANDSCAPE_MARGINS["bottom"],
}

# Type sizes (pt).
TITLE_PT, MASTHEAD_PT, BODY_PT = 22, 12, 14
HEADING_PT = {1: 16, 2: 15, 3: 14}
CAPTION_PT, TABLE_PT, NOTE_PT, FOOTER_PT = 12, 10.5, 9, 12
CELL_PAD_MM = 1.5  # left and right inside every table cell
KEEP_ROWS = 10  # tables up to this many rows are not split across pages
LEAD_ROWS = 3  # in Word a longer table starts with at least this many rows on its first page
FIGURE_CAPTION_MM = 25  # room kept under the tallest chart for its caption

MASTHEAD_GAP = "\u3000\u3000"
TOTAL = "合计"  # the first cell of a total row, set in bold
NUMERIC = ("int", "money", "pct", "ratio")
STATUS_COLUMNS = ("状态", "报送情况")  # a row's status: kept in view beside its first column on a phone
_CN_DIGITS = "零一二三四五六七八九"
# Control characters XML cannot hold, and bidirectional controls (which would turn the text
# after them around).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|" + BIDI_CONTROLS.pattern)


# A space between a digit (or %) and a Chinese character, either way round: Chinese official
# documents write "2020年", "224团", "16个区" (GB/T 9704), never "2020 年".
_CJK = "\u3400-\u9fff\uf900-\ufaff"
# A bold marker (**) between them does not count: "**8** 人" is "**8**人".
_DIGIT_SPACE = re.compile(
    rf"(?<=[0-9%])(\*\*)?[ \u00a0\u2009\u202f]+(\*\*)?(?=[{_CJK}])"
    rf"|(?<=[{_CJK}])(\*\*)?[ \u00a0\u2009\u202f]+(\*\*)?(?=[0-9])"
)


def _no_space(found: re.Match) -> str:
    return "".join(g for g in found.groups() if g)


def clean(value: object) -> str:
    """Text as both formats can carry it: control characters (which XML cannot hold) dropped,
    carriage returns as line breaks, unpaired surrogates replaced; no space between a digit and
    a Chinese character (as Chinese official documents write them)."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _DIGIT_SPACE.sub(_no_space, _NOT_XML.sub("", text))


def literal(text: object) -> str:
    """Text from data made literal under the Paragraph convention: its backslashes and
    asterisks escaped, so that a `**` typed in a ledger is never read as bold."""
    return re.sub(r"([\\*])", r"\\\1", str(text))


def bold_runs(text: str) -> list[tuple[str, bool]]:
    """Split text at `**…**` into (text, bold) runs; `\\X` is a literal X (see `literal`); an
    unpaired `**` stays literal."""
    text = clean(text)
    pieces: list[tuple[str, bool]] = []  # (characters, is a ** marker)
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            pieces.append((text[i + 1], False))
            i += 2
        elif text.startswith("**", i):
            pieces.append(("**", True))
            i += 2
        else:
            pieces.append((text[i], False))
            i += 1
    markers = [k for k, (_, marker) in enumerate(pieces) if marker]
    paired = set(markers[: len(markers) // 2 * 2])
    runs: list[tuple[str, bool]] = []
    bold, current = False, []
    for k, (chars, marker) in enumerate(pieces):
        if marker and k in paired:
            if current:
                runs.append(("".join(current), bold))
            current, bold = [], not bold
        else:
            current.append(chars)
    if current or not runs:
        runs.append(("".join(current), bold))
    return [r for r in runs if r[0]] or [("", False)]


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (headings never go further)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def heading_label(level: int, n: int) -> str:
    return {1: f"{chinese_number(n)}、", 2: f"（{chinese_number(n)}）", 3: f"{n}."}[level]


def _is_missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # arrays and other non-scalars
        return False


def cell_text(value: object, kind: str) -> str:
    """One table cell as shown: numbers with separators, None/NaN as MISSING, infinities
    (a ratio over zero) as NOT_APPLICABLE, strings as they are."""
    if _is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "是" if value else "否"
    if isinstance(value, str) or kind == "text" or not isinstance(value, numbers.Real):
        return clean(value)
    number = float(value)
    if math.isinf(number):
        return NOT_APPLICABLE
    text = {"int": f"{number:,.0f}", "money": f"{number:,.2f}", "pct": f"{number:.1%}", "ratio": f"{number:,.2f}"}[kind]
    return text[1:] if text.startswith("-") and not any(c in "123456789" for c in text) else text


def column_kind(series: pd.Series, given: str | None) -> str:
    if given is not None:
        if given not in NUMERIC + ("text",):
            raise ValueError(f"不认识的数字格式：{given!r}（可用：int、money、pct、ratio、text）")
        return given
    if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
        return "text"
    values = series.dropna()
    if pd.api.types.is_integer_dtype(series) or (len(values) and (values % 1 == 0).all()):
        return "int"
    return "money"


def text_width(text: str) -> float:
    """Width in em of the widest line, close to Noto Sans CJK's advances."""

    def char(c: str) -> float:
        if c.isdigit() or c in " -+()[]":
            return 0.56
        if c in ",.:;!|'`il":
            return 0.28
        if c.isascii():
            return 0.92 if c in "%@MW" else 0.62
        return 1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.62

    return max((sum(char(c) for c in line) for line in text.split("\n")), default=0.0)


def _longest_piece(text: str) -> float:
    """Width of the longest piece a line cannot break inside (a Latin word; a CJK character)."""
    pieces = re.findall(r"[!-~]+|\S", text)
    return max((text_width(p) for p in pieces), default=0.0)


def column_widths(header: list[str], rows: list[list[str]], kinds: list[str], available_mm: float) -> list[float]:
    """Column widths as fractions of the text width, sized to content.

    Numbers get the width of their widest figure and never wrap. Headers of up to five
    characters stay on one line, longer ones take two (three when the table is tight). Text
    columns get what their longest cell needs up to 16 em; when the table would be too wide,
    every column gives up width down to its least (text: 5 em, or the text if shorter).
    """
    em = TABLE_PT * 25.4 / 72  # mm
    pad = 2 * CELL_PAD_MM / em + 0.3
    need, least = [], []
    for j, kind in enumerate(kinds):
        longest = max((text_width(r[j]) for r in rows), default=0.0)
        head, piece = text_width(header[j]) * 1.05, _longest_piece(header[j]) * 1.05
        head_need = head if head <= 5.3 else max(math.ceil(head / 2), piece)
        head_least = head if head <= 3.2 else max(math.ceil(head / 3), piece)
        if kind in NUMERIC:
            need.append(max(longest * 1.05, head_need) + pad)
            least.append(max(longest * 1.05, head_least) + pad)
        else:
            need.append(max(min(longest, 16.0), head_need) + pad)
            least.append(max(min(longest, 5.0), head_least) + pad)
    available = available_mm / em
    if sum(need) <= available:
        widths = need
    elif sum(least) <= available:
        share = (available - sum(least)) / (sum(need) - sum(least))
        widths = [lo + (n - lo) * share for n, lo in zip(need, least)]
    else:
        widths = least
    total = sum(widths)
    return [w / total for w in widths]


def _unit(unit: str | None) -> str | None:
    if unit is None or not str(unit).strip():
        return None
    unit = clean(unit).strip()
    return unit if unit.startswith("单位") else f"单位：{unit}"


def _needs_landscape(header: list[str], rows: list[list[str]], kinds: list[str]) -> bool:
    """A table whose columns cannot get even their least width across a portrait page, or
    that has many columns of text, is turned sideways (the house style's landscape pages)."""
    em = TABLE_PT * 25.4 / 72
    pad = 2 * CELL_PAD_MM / em + 0.3
    least = []
    for j, kind in enumerate(kinds):
        longest = max((text_width(r[j]) for r in rows), default=0.0)
        head = text_width(header[j]) * 1.05
        least.append((longest * 1.05 if kind in NUMERIC else min(longest, 6.0)) + pad if rows else head / 2 + pad)
        least[-1] = max(least[-1], min(head, 4.5) + pad)
    return sum(least) > TEXT_WIDTH["portrait"] / em or len(header) >= 9


def _estimated_height_mm(header: list[str], rows: list[list[str]], widths: list[float], orientation: str) -> float:
    """How tall the table will be, from its text and column widths (lines of wrapped text)."""
    em = TABLE_PT * 25.4 / 72
    chars = [max(1.0, w * TEXT_WIDTH[orientation] / em - 2 * CELL_PAD_MM / em) for w in widths]
    line = TABLE_PT * 1.45 * 25.4 / 72
    height = 0.0
    for row in [header, *rows]:
        lines = max(math.ceil(text_width(c) / w) if c else 1 for c, w in zip(row, chars))
        height += lines * line + 2.2
    return height


def total_rows(rows: list[list[str]], total: bool) -> list[int]:
    """The rows set in bold as totals: those reading 合计 in their first or second cell (a 序号
    column may come first); a table marked as having a total without such a row has its last."""
    if not total or not rows:
        return []
    found = [i for i, row in enumerate(rows) if TOTAL in (row[:2])]
    return found or [len(rows) - 1]


def _table(table: Table, number: int, turned: bool = False) -> dict:
    frame = table.frame
    for column in table.formats:
        if column not in frame.columns:
            raise ValueError(f"表“{table.caption}”没有“{column}”这一列，无法设定其格式")
    kinds = [column_kind(frame.iloc[:, j], table.formats.get(c)) for j, c in enumerate(frame.columns)]
    header = [clean(c) for c in frame.columns]
    rows = [[cell_text(v, k) for v, k in zip(row, kinds)] for row in frame.itertuples(index=False, name=None)]
    landscape = turned or table.landscape or _needs_landscape(header, rows, kinds)
    orientation = "landscape" if landscape else "portrait"
    widths = column_widths(header, rows, kinds, TEXT_WIDTH[orientation])
    page_text = (PAGE_W if landscape else PAGE_H) - 70
    return {
        "kind": "table",
        "caption": f"表{number}\u3000{clean(table.caption)}",
        "unit": _unit(table.unit),
        "header": header,
        "rows": rows,
        "align": ["right" if k in NUMERIC else "left" for k in kinds],
        "widths": widths,
        "landscape": landscape,
        "total": total_rows(rows, table.total),  # indices of the rows set in bold
        # A short table is kept on one page; a long or tall one breaks between rows.
        "keep": len(rows) <= KEEP_ROWS and _estimated_height_mm(header, rows, widths, orientation) < page_text / 2,
        "note": clean(table.note) if table.note else None,
        "ends_page": False,  # a new page starts after it (set by _mark_page_ends)
    }


@dataclass
class Prepared:
    """A Document ready for a renderer. Blocks are dicts with a "kind": heading (level, text),
    paragraph (runs), bullets (items: lists of runs), table (see _table), figure (caption,
    width_cm, png), pagebreak, or landscape (blocks: headings and tables on turned pages).
    Runs are (text, bold) pairs."""

    title: str
    masthead: list[str]  # lines
    sample_note: str | None
    blocks: list[dict]
    colophon: list[str] = ()
    title_lines: list[str] = ()  # the title as it breaks: between words, never inside one


def prepare(doc: Document) -> Prepared:
    counters = [0, 0, 0]
    tables = figures = 0
    out: list[dict] = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            counters[block.level - 1] += 1
            counters[block.level :] = [0] * (3 - block.level)
            text = heading_label(block.level, counters[block.level - 1]) + clean(block.text)
            out.append({"kind": "heading", "level": block.level, "text": text})
        elif isinstance(block, Paragraph):
            out.append({"kind": "paragraph", "runs": bold_runs(block.text)})
        elif isinstance(block, Bullets):
            out.append({"kind": "bullets", "items": [bold_runs(i) for i in block.items]})
        elif isinstance(block, Table):
            tables += 1
            # One of a series (the same columns as the turned table just before): on its turned pages.
            item = _table(block, tables, turned=_after_turned_table_like(out, [clean(c) for c in block.frame.columns]))
            if item["landscape"]:
                _add_landscape(out, item)
            else:
                out.append(item)
        elif isinstance(block, Figure):
            figures += 1
            out.append(
                {
                    "kind": "figure",
                    "caption": f"图{figures}\u3000{clean(block.caption)}",
                    "width_cm": figure_width_cm(block),
                    "png": block.png,
                }
            )
        elif isinstance(block, PageBreak):
            out.append({"kind": "pagebreak"})
        else:
            raise TypeError(f"文档中有不认识的内容块：{type(block).__name__}")
    return Prepared(
        title=clean(doc.title),
        masthead=_masthead_lines([f"{clean(k)}：{clean(v)}" for k, v in doc.masthead.items()]),
        sample_note=clean(doc.sample_note) if doc.sample_note else None,
        blocks=_mark_page_ends(_drop_needless_breaks(out)),
        colophon=[clean(line) for line in doc.colophon],
        title_lines=title_lines(clean(doc.title)),
    )


TITLE_CHARS = 19  # characters of the title's size (二号) on a line of the portrait text width


def title_lines(title: str) -> list[str]:
    """The title in lines that break between words, never inside one: a title longer than a line
    breaks before its bracketed part (大兴区东西部扶贫协作工作简报 / （2020年第二季度）), else
    after its district (大兴区 / 东西部扶贫协作…); each line is set as one unbreakable piece."""
    if text_width(title) <= TITLE_CHARS:
        return [title]
    cut = title.rfind("（")
    if 0 < cut and text_width(title[:cut]) <= TITLE_CHARS and text_width(title[cut:]) <= TITLE_CHARS:
        return [title[:cut], title[cut:]]
    cut = title.find("区")
    if 0 < cut < len(title) - 1 and text_width(title[cut + 1 :]) <= TITLE_CHARS:
        return [title[: cut + 1], title[cut + 1 :]]
    return [title]


def figure_width_cm(figure: Figure) -> float:
    """The chart's width on the page: as asked, but within the text width, and narrower if
    it would otherwise be too tall to share a page with its caption."""
    png = figure.png
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise ValueError(f"图“{figure.caption}”不是 PNG 图片")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    tallest = (PAGE_H - MARGINS["top"] - MARGINS["bottom"] - FIGURE_CAPTION_MM) / 10
    return min(float(figure.width_cm), TEXT_WIDTH["portrait"] / 10, tallest * width / max(height, 1))


def _masthead_lines(items: list[str]) -> list[str]:
    """Masthead items packed into lines that fit the page, so that no item is cut in two."""
    room = TEXT_WIDTH["portrait"] / (MASTHEAD_PT * 25.4 / 72) - 1
    lines: list[str] = []
    for item in items:
        if lines and text_width(lines[-1] + MASTHEAD_GAP + item) <= room:
            lines[-1] += MASTHEAD_GAP + item
        else:
            lines.append(item)
    return lines


LEAD_IN_CHARS = 400  # short sentences leading into a turned table go with it


def _lead_in(out: list[dict]) -> int:
    """How many blocks at the end of `out` lead into a turned table and go with it: up to three
    short sentences just before it (LEAD_IN_CHARS in all) and the headings above them."""
    n = chars = 0
    while n < min(len(out), 3) and out[-1 - n]["kind"] == "paragraph":
        chars += sum(len(text) for text, _bold in out[-1 - n]["runs"])
        if chars > LEAD_IN_CHARS:
            break
        n += 1
    while n < len(out) and out[-1 - n]["kind"] == "heading":
        n += 1
    return n


def _add_landscape(out: list[dict], table: dict) -> None:
    """Put a landscape table on turned pages together with what leads into it (_lead_in), so
    that neither a heading nor a sentence is left alone at the foot of the page before;
    landscape tables in a row share their turned pages."""
    start = len(out) - _lead_in(out)
    lead = out[start:]
    del out[start:]
    if out and out[-1]["kind"] == "landscape":
        out[-1]["blocks"] += lead + [table]
    else:
        out.append({"kind": "landscape", "blocks": lead + [table]})


def _after_turned_table_like(out: list[dict], header: list[str]) -> bool:
    """Whether a table comes straight after a turned table with the same columns (the
    assessment's tables, one per part of the scheme), with only what leads into it between: it
    then goes on the same turned pages, rather than starting a page of its own and leaving the
    series' last page nearly empty (2020Q2 assessment: two rows on page 9)."""
    start = len(out) - _lead_in(out)
    if not start or out[start - 1]["kind"] != "landscape":
        return False
    tables = [b for b in out[start - 1]["blocks"] if b["kind"] == "table"]
    return bool(tables) and tables[-1]["header"] == header


def _mark_page_ends(blocks: list[dict]) -> list[dict]:
    """Mark each table after which a new page starts (the last block on turned pages, or one
    followed by a page break or by turned pages): nothing that follows can fill the rest of its
    last page, so the PDF balances its rows rather than leave a few alone there."""
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1]["kind"] if i + 1 < len(blocks) else None
        if block["kind"] == "landscape":
            for inner in block["blocks"]:
                inner["ends_page"] = inner is block["blocks"][-1] and inner["kind"] == "table"
        elif block["kind"] == "table":
            block["ends_page"] = nxt in ("pagebreak", "landscape")
    return blocks


def _drop_needless_breaks(blocks: list[dict]) -> list[dict]:
    """Page breaks at the start or end, twice in a row, or next to turned pages (which start
    a page anyway) would make empty pages, and one after a heading would strand it: they
    are dropped."""
    kept: list[dict] = []
    for i, block in enumerate(blocks):
        if block["kind"] == "pagebreak":
            nxt = blocks[i + 1]["kind"] if i + 1 < len(blocks) else None
            prev = kept[-1]["kind"] if kept else None
            if prev in (None, "pagebreak", "landscape", "heading") or nxt in (None, "pagebreak", "landscape"):
                continue
        kept.append(block)
    return kept
