"""Reading a PDF: its text (for the privacy check) and the files embedded in it.

The reports' PDFs are typeset by Typst (render/typeset.py), which reads nothing but the document's
own data and charts; these functions read what was made, as a reader's tools would.
"""

from __future__ import annotations

from pathlib import Path


def pdf_text(pdf: Path) -> str:
    """The text of a PDF and its document information (for the privacy check and tests)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    info = [str(v) for v in (reader.metadata or {}).values()]
    return "\n".join(info + [page.extract_text() or "" for page in reader.pages])


def attachments(pdf: Path) -> list[str]:
    """Names of the files embedded in a PDF (document-level and on pages)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    names = list(reader.attachments)
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            obj = annot.get_object()
            if obj.get("/Subtype") == "/FileAttachment":
                names.append(str(obj.get("/FS", {}).get("/F", "?")))
    return names
