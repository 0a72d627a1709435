"""The document model of a leader-facing report: plain data, no rendering.

A `Document` is a title, a masthead and a list of blocks. The renderers (word.py for .docx,
typeset.py for PDF) number headings, tables and figures themselves and apply the house style;
the model says only what is shown. Every string here may come from a department's ledger and
is shown literally by both renderers: nothing in it is markup, except that in a Paragraph or a
bullet `**…**` marks a bold run and a backslash makes the next character literal (text from a
ledger goes in through `house_style.literal`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Union

import pandas as pd

MISSING = "待核"  # a figure that should exist but is not known (None and NaN show so too): never 0, never "…"
NOT_APPLICABLE = "—"  # a figure that cannot exist (a ratio with nothing to divide by)

Format = Literal["int", "money", "pct", "ratio", "text"]


@dataclass
class Heading:
    """A heading; the renderer numbers it 一、 (level 1), （一） (level 2) or 1. (level 3)."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3):
            raise ValueError(f"标题级别只能是 1、2、3，收到 {self.level!r}")


@dataclass
class Paragraph:
    """Body text; `**…**` marks bold runs, `\\*` is a literal asterisk, everything else is literal."""

    text: str


@dataclass
class Bullets:
    """A bulleted list; each item follows the Paragraph convention for bold."""

    items: list[str]


@dataclass
class Table:
    """A statistical table in the house style.

    caption: time, place and content (the renderer puts 表N before it, above the table).
    frame: the columns as shown (the index is not shown); headers are the column names.
    unit: e.g. "万元" or "单位：万元", shown at the table's top right.
    formats: column -> "int" (1,234), "money" (1,234.56), "pct" (a fraction shown 12.3%),
        "ratio" (1.23) or "text"; a column not listed is "int" if its values are integers,
        "money" if they are other numbers and "text" otherwise.
    total: the table has a 合计 row (the rows whose first cell is 合计 are set in bold; a
        row after it, such as a bonus, is not part of it).
    note: the note or source, in small type below the table.
    landscape: the table gets a page (or pages) of its own turned sideways.
    """

    caption: str
    frame: pd.DataFrame
    unit: str | None = None
    formats: dict[str, Format] = field(default_factory=dict)
    total: bool = False
    note: str | None = None
    landscape: bool = False


@dataclass
class Figure:
    """A chart as a PNG; `words` is its text (title, labels), kept for the privacy check only."""

    png: bytes
    caption: str
    words: str = ""
    width_cm: float = 15.0


@dataclass
class PageBreak:
    """Start a new page (ignored where a page starts anyway)."""


Block = Union[Heading, Paragraph, Bullets, Table, Figure, PageBreak]


@dataclass
class Document:
    """A report: title, masthead (label -> value, e.g. 编制单位, 报告期, 生成日期), blocks and,
    for reports on sample data, the note that says so; a 简报 ends with its 版记 (colophon)."""

    title: str
    masthead: dict[str, str] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)
    sample_note: str | None = None
    colophon: list[str] = field(default_factory=list)  # the 版记 at the end (报送、印发), between rules
