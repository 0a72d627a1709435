"""Every document of the 2020Q2 and 2020H1 batches as a reader opens it (issue 12).

The PDFs (the reports, the assessment, the brief) are checked from poppler's word boxes; the
Word and Excel files are opened with python-docx / openpyxl and laid out by LibreOffice, whose
PDF gets the same checks. The HTML pages are measured in Chromium in test_html.py, and the
workbook's stored values are compared with the reports' figures in test_shared_figures.py.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest
from docx import Document as open_docx
from docx.shared import Mm
from layout import pdf_faults, pdf_pages, shared_tool

PERIODS = ("2020Q2", "2020H1")
A4_MM = (210, 297)


def _files(out, suffix: str) -> list:
    return sorted(p for code in PERIODS for p in (out / code).iterdir() if p.suffix == suffix)


@pytest.fixture(scope="module")
def batch(report_batch):
    out, _made = report_batch
    return out


@pytest.fixture(scope="module")
def office_pdfs(batch, tmp_path_factory):
    """Each .docx and .xlsx of the batch laid out by LibreOffice ({file: its PDF}), with the
    project's Chinese face made visible to it (as on an office PC with a CJK font)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui; make test installs them)")
    from fupin_lib.reports.fonts import sc_font_path

    home = tmp_path_factory.mktemp("lo-home")
    (home / ".fonts").mkdir()
    shutil.copy(sc_font_path(), home / ".fonts")
    made = {}
    for source in _files(batch, ".docx") + _files(batch, ".xlsx"):
        out = home / "out" / source.parent.name
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(source)],
                       env={**os.environ, "HOME": str(home)}, capture_output=True, timeout=180, check=True)
        made[source] = out / f"{source.stem}.pdf"
        assert made[source].is_file(), f"LibreOffice made no PDF of {source.name}"
    return made


def test_every_document_is_there(batch):
    for code in PERIODS:
        names = {p.name for p in (batch / code).iterdir()}
        report = "quarterly_report" if "Q" in code else "half_year_report"
        assert {f"{report}.html", f"{report}.pdf", f"{report}.docx", "assessment_score.html", "assessment_score.pdf",
                f"简报_{code}.pdf", f"简报_{code}.docx", f"进展情况表_{code}.xlsx"} <= names


def test_pdfs_lay_out_cleanly(batch):
    pdfs = _files(batch, ".pdf")
    assert len(pdfs) == 6
    assert [fault for pdf in pdfs for fault in pdf_faults(pdf)] == []


def test_brief_is_two_to_four_pages(batch):
    for code in PERIODS:
        assert 2 <= len(pdf_pages(batch / code / f"简报_{code}.pdf")) <= 4


def test_word_files_open_with_east_asian_fonts_tables_and_pictures(batch):
    docs = _files(batch, ".docx")
    assert len(docs) == 4
    for path in docs:
        doc = open_docx(str(path))
        assert doc.tables and doc.inline_shapes, path.name
        for section in doc.sections:                                   # A4, either way round
            size = sorted((round(section.page_width / Mm(1)), round(section.page_height / Mm(1))))
            assert tuple(size) == A4_MM, path.name
        with zipfile.ZipFile(path) as z:
            styles = z.read("word/styles.xml").decode("utf-8")
            body = z.read("word/document.xml").decode("utf-8")
        assert 'w:eastAsia="Noto Sans CJK SC"' in styles, path.name   # the default and every style
        assert "PAGE" in "".join(z_text for z_text in _footers(path)), path.name
        assert "表1" in body and "图1" in body


def _footers(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/footer")]


def test_reviewers_office_check_passes(batch):
    tool = shared_tool("office_files.py")
    files = _files(batch, ".docx") + _files(batch, ".xlsx")
    result = subprocess.run([sys.executable, str(tool), *map(str, files)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workbook_prints_on_a4_fit_to_width_with_page_numbers(batch):
    import openpyxl

    for path in _files(batch, ".xlsx"):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            setup = ws.page_setup
            assert setup.paperSize in (9, "9") and setup.orientation == "landscape", ws.title
            # fitToWidth left out of the file means 1 (the OOXML default): one page wide
            assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1, "1"), ws.title
            assert setup.fitToHeight in (0, "0"), ws.title                # as many pages as it takes
            assert "&P" in ws.oddFooter.center.text, ws.title


def test_office_files_as_libreoffice_lays_them_out(office_pdfs):
    faults = [fault for pdf in office_pdfs.values() for fault in pdf_faults(pdf)]
    assert faults == []
    for source, pdf in office_pdfs.items():
        text = "".join(w.text for page in pdf_pages(pdf) for w in page.words)
        assert "\ufffd" not in text and "大兴区" in text, source.name          # Chinese, not boxes
        if source.name.startswith("简报"):
            assert len(pdf_pages(pdf)) <= 4, source.name
