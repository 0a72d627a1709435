"""Document -> A4 PDF with Typst (the `typst` wheel: no LaTeX, no browser, no system fonts).

The template (render/templates/typst/report.typ) is fixed. The document goes to it as data: a JSON
file and the charts' PNG files, written into a temporary folder that is Typst's whole world
(its root: Typst cannot read a file outside it). The template shows every string as a string,
so ledger text is never evaluated as Typst markup or code. The only fonts Typst sees are the
project's Noto Sans CJK SC and the faces of the type roles (fonts.ROLE_FILES, where installed),
linked into a folder of its own.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from . import fonts
from ..config import TYPST_TEMPLATE
from ..files import atomic_write
from . import house_style
from .document import Document


def _style() -> dict:
    return {
        "face": house_style.FACE,
        "faces": fonts.role_faces(),
        "margins": house_style.MARGINS,
        "landscape_margins": house_style.LANDSCAPE_MARGINS,
        "text_height_mm": house_style.TEXT_HEIGHT,
        "text_width_mm": house_style.TEXT_WIDTH,
        "title_pt": house_style.TITLE_PT,
        "masthead_pt": house_style.MASTHEAD_PT,
        "body_pt": house_style.BODY_PT,
        "heading_pt": {str(k): v for k, v in house_style.HEADING_PT.items()},
        "caption_pt": house_style.CAPTION_PT,
        "table_pt": house_style.TABLE_PT,
        "note_pt": house_style.NOTE_PT,
        "footer_pt": house_style.FOOTER_PT,
        "cell_pad_mm": house_style.CELL_PAD_MM,
    }


def _with_files(blocks: list[dict], root: Path, counter: list[int]) -> list[dict]:
    """The blocks as JSON data: each chart written to root as figN.png and named by that file."""
    out = []
    for block in blocks:
        if block["kind"] == "figure":
            counter[0] += 1
            name = f"fig{counter[0]}.png"
            (root / name).write_bytes(block["png"])
            block = {k: v for k, v in block.items() if k != "png"} | {"file": name}
        elif block["kind"] == "landscape":
            block = block | {"blocks": _with_files(block["blocks"], root, counter)}
        out.append(block)
    return out


def typeset(doc: Document) -> bytes:
    """The document as PDF bytes."""
    import typst

    prepared = house_style.prepare(doc)
    with tempfile.TemporaryDirectory(prefix="fupin-typst-") as tmp:
        root, font_dir = Path(tmp) / "root", Path(tmp) / "fonts"
        root.mkdir()
        font_dir.mkdir()
        # Only the SC face: its folder also holds the GB 2312 cut under the same family name.
        face = fonts.sc_font_path()
        os.symlink(face, font_dir / face.name)
        for k, path in enumerate(fonts.role_font_files() or []):  # the type roles' faces, where installed
            os.symlink(path, font_dir / f"{k}-{path.name}")
        data = {
            "title": prepared.title,
            "title_lines": list(prepared.title_lines) or [prepared.title],
            "colophon": list(prepared.colophon),
            "author": [house_style.clean(doc.masthead.get("编制单位") or doc.masthead.get("编发单位"))]
            if {"编制单位", "编发单位"} & set(doc.masthead)
            else [],
            "masthead": prepared.masthead,
            "sample_note": prepared.sample_note,
            "style": _style(),
            "blocks": _with_files(prepared.blocks, root, [0]),
        }
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        main = root / "main.typ"
        main.write_bytes(TYPST_TEMPLATE.read_bytes())
        try:
            return typst.compile(str(main), root=str(root), font_paths=[str(font_dir)], ignore_system_fonts=True)
        except typst.TypstError as exc:
            raise RuntimeError(f"PDF 排版失败：{exc.message}") from exc


def write_pdf(doc: Document, path: str | Path) -> Path:
    """Typeset the document and write it to path (atomically); returns the path."""
    pdf = typeset(doc)
    return atomic_write(Path(path), lambda tmp: tmp.write_bytes(pdf))
