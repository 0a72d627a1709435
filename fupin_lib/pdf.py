"""HTML report -> A4 PDF with WeasyPrint (no browser, no LaTeX).

The Simplified Chinese face extracted by fonts.py is made visible to WeasyPrint with an
@font-face rule pointing at the file, so the PDF never depends on the system's fonts.
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
tr, img {{ page-break-inside: avoid; }}
img {{ max-width: 100%; }}
h2 {{ page-break-after: avoid; }}
"""


def html_to_pdf(html: Path, pdf: Path) -> Path:
    import logging

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fonts = FontConfiguration()  # the @font-face rule registers the font here
    css = CSS(string=PRINT_CSS.format(family=FAMILY, url=sc_font_path().as_uri(), print_family=PRINT_FAMILY,
                                      print_url=print_font_path().as_uri()), font_config=fonts)
    HTML(filename=str(html), base_url=str(html.parent)).write_pdf(str(pdf), stylesheets=[css], font_config=fonts)
    return pdf


def pdf_text(pdf: Path) -> str:
    """The text of a PDF (for the privacy check and tests)."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages)
