"""Blocks of the document model as the notebooks show them, and as the batch gathers them again.

Every table, chart, text and title block a report notebook displays goes out as HTML (what the
notebook and its HTML export show) and, beside it, as the block itself in JSON under the MIME
type `application/vnd.fupin.block+json`. The batch reads the executed notebook's blocks back
(from_notebook.py) into a Document, which word.py and typeset.py render: one source, the same
figures and the same house style in HTML, PDF and Word.

The HTML of a table follows the house style: the caption (time, place, content) above with the
unit at its right, numbers right-aligned with separators, "待核" for a missing figure and "—" for
one that cannot exist, the 合计 row in bold, the note below, and a box of its own that scrolls
sideways on a narrow screen. Tables and figures are numbered by the page's CSS (表1, 图1 …) as
the PDF and Word renderers number them. Every string is escaped: ledger text is never markup.
"""

from __future__ import annotations

import base64
import math
import numbers

import numpy as np
import pandas as pd

from . import house_style
from .document import Bullets, Figure, Heading, Paragraph, Table
from .markup import esc

MIME = "application/vnd.fupin.block+json"


def _plain(value: object) -> object:
    """A cell as JSON holds it: None for missing, Python numbers, strings."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Number):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            return "inf"
        return int(number) if isinstance(value, (int, np.integer)) else number
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def to_json(block) -> dict:
    if isinstance(block, Table):
        frame = block.frame
        return {
            "kind": "table",
            "caption": block.caption,
            "columns": [str(c) for c in frame.columns],
            "rows": [[_plain(v) for v in row] for row in frame.itertuples(index=False)],
            # every column's format resolved here, from the frame's own types: the rows in
            # JSON lose them (a column of counts would come back as text)
            "formats": {
                str(c): house_style.column_kind(frame.iloc[:, j], block.formats.get(c))
                for j, c in enumerate(frame.columns)
            },
            "unit": block.unit,
            "total": block.total,
            "note": block.note,
            "landscape": block.landscape,
        }
    if isinstance(block, Figure):
        return {
            "kind": "figure",
            "caption": block.caption,
            "words": block.words,
            "width_cm": block.width_cm,
            "png": base64.b64encode(block.png).decode("ascii"),
        }
    if isinstance(block, Heading):
        return {"kind": "heading", "text": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"kind": "paragraph", "text": block.text}
    if isinstance(block, Bullets):
        return {"kind": "bullets", "items": list(block.items)}
    raise TypeError(f"not a block: {type(block).__name__}")


def from_json(data: dict):
    kind = data["kind"]
    if kind == "table":
        rows = [[float("inf") if v == "inf" else v for v in row] for row in data["rows"]]
        frame = pd.DataFrame(rows, columns=data["columns"], dtype=object)
        return Table(
            data["caption"],
            frame,
            data.get("unit"),
            data.get("formats") or {},
            data.get("total", False),
            data.get("note"),
            data.get("landscape", False),
        )
    if kind == "figure":
        return Figure(base64.b64decode(data["png"]), data["caption"], data.get("words", ""), data.get("width_cm", 15.0))
    if kind == "heading":
        return Heading(data["text"], data.get("level", 1))
    if kind == "paragraph":
        return Paragraph(data["text"])
    if kind == "bullets":
        return Bullets(data["items"])
    raise ValueError(f"unknown block kind {kind!r}")


def _rich(text: str) -> str:
    """Escaped text with its `**bold**` runs as <b>."""
    return "".join(f"<b>{esc(t)}</b>" if bold else esc(t) for t, bold in house_style.bold_runs(text))


def table_html(table: Table) -> str:
    """A table in the house style (see the module's docstring)."""
    frame = table.frame
    kinds = [house_style.column_kind(frame[c], table.formats.get(c)) for c in frame.columns]
    unit = house_style._unit(table.unit)
    # The status column (完成情况, 报送情况): kept in view on a phone while the table scrolls (report.css).
    status = [str(c) in house_style.STATUS_COLUMNS for c in frame.columns]
    head = "".join(
        f'<th class="status">{esc(c)}</th>' if s else f"<th>{esc(c)}</th>" for c, s in zip(frame.columns, status)
    )
    body = []
    texts = [[house_style.cell_text(v, k) for v, k in zip(row, kinds)] for row in frame.itertuples(index=False)]
    bold = set(house_style.total_rows(texts, table.total))
    for i, row in enumerate(frame.itertuples(index=False)):
        cells = []
        for value, kind, s in zip(row, kinds, status):
            text = house_style.cell_text(value, kind)
            cls = ("num" if kind in house_style.NUMERIC else "txt") + (" status" if s else "")
            cells.append(f'<td class="{cls}">{esc(text)}</td>')
        total = ' class="total"' if i in bold else ""
        body.append(f"<tr{total}>{''.join(cells)}</tr>")
    note = f'<p class="fupin-table-note">{_rich(table.note)}</p>' if table.note else ""
    unit_html = f'<span class="fupin-unit">{esc(unit)}</span>' if unit else ""
    return (
        f'<div class="fupin-table{" fupin-landscape" if table.landscape else ""}"><div class="fupin-scroll"><table>'
        f'<caption><span class="fupin-caption-text">{esc(table.caption)}</span>{unit_html}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{note}</div>"
    )


def figure_html(figure: Figure) -> str:
    png = base64.b64encode(figure.png).decode("ascii")
    return (
        f'<figure class="fupin-figure"><img src="data:image/png;base64,{png}" alt="{esc(figure.words)}">'
        f"<figcaption>{esc(figure.caption)}</figcaption></figure>"
    )


def text_html(block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_rich(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_rich(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Heading):
        return f"<h{block.level + 1}>{esc(block.text)}</h{block.level + 1}>"
    raise TypeError(type(block).__name__)


class Shown:
    """A block displayed in a notebook: HTML for the reader, the block for the batch."""

    def __init__(self, block):
        self.block = block

    def _repr_mimebundle_(self, include=None, exclude=None):
        if isinstance(self.block, Table):
            html = table_html(self.block)
        elif isinstance(self.block, Figure):
            html = figure_html(self.block)
        else:
            html = text_html(self.block)
        return {"text/html": html, MIME: to_json(self.block), "text/plain": _words(self.block)}


def _words(block) -> str:
    """The block's text, for the plain-text view and the privacy check of the executed notebook."""
    if isinstance(block, Table):
        rows = ["　".join(str(c) for c in block.frame.columns)]
        rows += ["　".join("" if v is None else str(v) for v in row) for row in block.frame.itertuples(index=False)]
        return "\n".join([block.caption, *rows, block.note or ""])
    if isinstance(block, Figure):
        return f"{block.caption}\n图表文字：{block.words}"
    if isinstance(block, Bullets):
        return "\n".join(block.items)
    return block.text
