"""HTML report -> A4 PDF with WeasyPrint (no browser, no LaTeX).

The Simplified Chinese face extracted by fonts.py is made visible to WeasyPrint with an
@font-face rule pointing at the file, so the PDF never depends on the system's fonts.

WeasyPrint fetches what the HTML refers to: stylesheets, images, `url()` in CSS, and the
targets of `<a rel="attachment">`, which it embeds in the PDF. The report's HTML carries its
images inline (data: URLs) and nothing else, so the fetcher given to WeasyPrint allows data:
URLs and the project's two font files, and refuses everything else (file:, http:, https:,
ftp: …): a ledger cell can never make a PDF carry a local file or call a server.
"""

from __future__ import annotations

from pathlib import Path

from .fonts import FAMILY, PRINT_FAMILY, print_font_path, sc_font_path

PRINT_CSS = """
@font-face {{ font-family: "{print_family}"; src: url("{print_url}"); }}
@font-face {{ font-family: "{family}"; src: url("{url}"); }}
@page {{ size: A4; margin: 18mm 15mm 20mm 15mm;
        @bottom-center {{ content: "第 " counter(page) " 页，共 " counter(pages) " 页";
                          font-family: "{print_family}", "{family}"; font-size: 9pt; color: #666; }} }}
html, body, table, th, td, p, li, h1, h2, h3 {{ font-family: "{print_family}", "{family}", sans-serif; }}
body {{ max-width: none; padding: 0; font-size: 10pt; }}
table {{ width: 100%; max-width: 100%; font-size: 8.5pt; page-break-inside: auto; table-layout: auto; }}
.jp-OutputArea-output, .jp-RenderedHTMLCommon {{ width: 100%; max-width: 100%; }}
th {{ white-space: normal; }}
td, th {{ overflow-wrap: anywhere; }}
tr, img {{ page-break-inside: avoid; }}
img {{ max-width: 100%; }}
h2 {{ page-break-after: avoid; }}
"""


class RefusedURL(ValueError):
    """A URL the PDF renderer was asked to fetch and did not."""


class DocumentOnlyFetcher:
    """A WeasyPrint URL fetcher that serves data: URLs and the listed local files only, and
    remembers every URL it refused (for tests and for the run's log)."""

    def __init__(self, allowed_files: list[Path]):
        self.allowed = {Path(p).resolve().as_uri() for p in allowed_files}
        self.refused: list[str] = []

    def __call__(self, url: str, timeout: int = 10, ssl_context=None, http_headers=None):
        from weasyprint.urls import default_url_fetcher

        if url.startswith("data:") or url in self.allowed:
            return default_url_fetcher(url, timeout=timeout)
        self.refused.append(url)
        raise RefusedURL(f"报告只能使用自身内嵌的资源，已拒绝访问：{url[:80]}")


def html_to_pdf(html: Path, pdf: Path) -> Path:
    import logging

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fonts = FontConfiguration()  # the @font-face rule registers the font here
    fetcher = DocumentOnlyFetcher([sc_font_path(), print_font_path()])
    css = CSS(string=PRINT_CSS.format(family=FAMILY, url=sc_font_path().as_uri(), print_family=PRINT_FAMILY,
                                      print_url=print_font_path().as_uri()),
              font_config=fonts, url_fetcher=fetcher)
    # base_url: relative references resolve to a URL the fetcher refuses, never to a nearby file.
    document = HTML(string=Path(html).read_text(encoding="utf-8"), base_url="about:blank", url_fetcher=fetcher)
    document.write_pdf(str(pdf), stylesheets=[css], font_config=fonts)
    return pdf


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
