"""An executed report notebook as a Document: its Markdown cells (headings, paragraphs, lists)
and the blocks its code cells displayed (blocks.MIME: tables, charts, texts, the title), in
order. What the PDF (typeset.py) and Word (word.py) versions of a report are made from, so
that they show what the notebook and its HTML show.

Markdown here is the product's own (the notebooks' cells, the notebook API's sentences): headings
(## 一级, ### 二级, #### 三级), paragraphs, "- " lists, **bold**, HTML comments and simple tags
dropped. The renderers number headings (一、（一）1.), tables (表N) and figures (图N) themselves,
so numbers written in front of headings and captions are taken off.
"""

from __future__ import annotations

import html
import re

import nbformat

from .blocks import MIME, from_json
from .document import Bullets, Document, Heading, Paragraph
from .html import HIDDEN_CELL_TAGS, HIDDEN_OUTPUT_TAGS

SKIPPED_TAGS = HIDDEN_CELL_TAGS | HIDDEN_OUTPUT_TAGS  # as the HTML leaves them out (html.py)
_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．]\s*|附[:：]\s*)")
_TAG = re.compile(r"<[^>]+>")


def plain(text: str, keep_bold: bool = True) -> str:
    """Markdown text (as markup.md escapes data: HTML entities and backslash escapes) as the
    Document's text: entities and escapes resolved, so that the PDF and Word show what the HTML
    shows; with keep_bold, `**` stays a bold marker and an escaped `*` or backslash stays
    escaped (Paragraph's convention), otherwise every escape is resolved."""
    kept = "*\\" if keep_bold else ""
    text = re.sub(r"\\(.)", lambda m: m.group(0) if m.group(1) in kept else m.group(1), text)
    return html.unescape(text)


def heading_text(text: str) -> str:
    """A heading without the number written in front of it (一、 （一） 1. 附：), as literal text."""
    return _NUMBERED.sub("", plain(re.sub(r"(?<!\\)\*\*", "", _TAG.sub("", text)), keep_bold=False).strip()).strip()


def markdown_blocks(text: str) -> list:
    """The product's Markdown as blocks (see the module's docstring)."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    blocks, paragraph, items = [], [], []

    def flush() -> None:
        if paragraph:
            joined = plain(_TAG.sub("", "".join(paragraph))).strip()
            if joined:
                blocks.append(Paragraph(joined))
            paragraph.clear()
        if items:
            blocks.append(Bullets([plain(_TAG.sub("", item)).strip() for item in items]))
            items.clear()

    for line in text.splitlines():
        stripped = line.strip()
        heading = re.match(r"^(#{1,4})\s+(.*)$", stripped)
        if heading:
            flush()
            level = len(heading.group(1)) - 1
            if level >= 1:
                blocks.append(Heading(heading_text(heading.group(2)), min(level, 3)))
        elif stripped.startswith(("- ", "* ")):
            if paragraph:
                flush()
            items.append(stripped[2:].strip())
        elif not stripped or re.fullmatch(r"-{3,}", stripped):
            flush()
        elif items:
            items[-1] += stripped  # a list item continued on the next line
        else:
            paragraph.append(stripped)
    flush()
    return blocks


def document(notebook) -> Document:
    """The Document of an executed report notebook (a path or a NotebookNode)."""
    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(notebook, as_version=4)
    doc = Document(title=nb.metadata.get("title", ""))
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & SKIPPED_TAGS:
            continue
        if cell.cell_type == "markdown":
            doc.blocks += markdown_blocks(cell.source)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if MIME in data:
                    block = data[MIME]
                    if block["kind"] == "title":
                        doc.title, doc.masthead = block["title"], dict(block["masthead"])
                        doc.sample_note = block.get("sample_note")
                    else:
                        doc.blocks.append(from_json(block))
                elif "text/markdown" in data:
                    doc.blocks += markdown_blocks(data["text/markdown"])
    return doc
