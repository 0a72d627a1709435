"""Hostile ledger content through the real `fupin report` and `fupin ingest` commands: every
published file is checked for what a reader would open, and a local web server counts every
request a renderer makes."""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from fupin_lib.render.blocks import MIME
from fupin_lib.pdf_reader import attachments, pdf_text
from fupin_lib.privacy import scan_file
from hostile import CADRE_IDS, CADRE_PHONES, ID, LONG_NAME, NAME, NAMES, PHONE, make_hostile

FUPIN = str(Path(sys.executable).parent / "fupin")


class _Counter(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        _Counter.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"x")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


@pytest.fixture(scope="module")
def batch(sample_raw, tmp_path_factory, server):
    """The hostile folder, `fupin ingest` and `fupin report --period 2020Q2` on it."""
    work = tmp_path_factory.mktemp("hostile")
    raw = make_hostile(work / "raw", sample_raw, server, work / "processed")
    _Counter.requests.clear()
    ingest = subprocess.run(
        [FUPIN, "ingest", "--raw", str(raw), "--out", str(work / "processed")], capture_output=True, text=True
    )
    report = subprocess.run(
        [FUPIN, "report", "--period", "2020Q2", "--raw", str(raw), "--out", str(work / "reports")],
        capture_output=True,
        text=True,
    )
    return {"work": work, "raw": raw, "ingest": ingest, "report": report, "requests": list(_Counter.requests)}


def _published(batch) -> list[Path]:
    return sorted(p for p in (batch["work"] / "reports").rglob("*") if p.is_file())


def test_commands_succeed_without_traceback(batch):
    for run in (batch["ingest"], batch["report"]):
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stdout + run.stderr and "panicked" not in run.stdout + run.stderr
    # The file lost behind a broken link and the unreadable date are said, by file and sheet.
    assert "区发改委_企业投资台账_补充.xlsx：快捷方式（链接）指向的文件不存在" in batch["ingest"].stderr
    assert "区财政局_资金台账_异常数值.xlsx / 资金台账：工作表中有无法转换的单元格" in batch["ingest"].stderr
    leader = {p.name for p in (batch["work"] / "reports" / "2020Q2").iterdir()}
    assert leader == {
        "quarterly_report.html",
        "quarterly_report.pdf",
        "quarterly_report.docx",
        "assessment_score.html",
        "assessment_score.pdf",
        "简报_2020Q2.pdf",
        "简报_2020Q2.docx",
        "进展情况表_2020Q2.xlsx",
    }


def test_no_request_and_no_embedded_file(batch):
    assert batch["requests"] == []
    pdfs = [p for p in _published(batch) if p.suffix == ".pdf"]
    assert len(pdfs) == 3
    for pdf in pdfs:
        assert attachments(pdf) == [], pdf.name
        if shutil.which("pdfdetach"):
            listed = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True).stdout
            assert listed.startswith("0 embedded files"), listed


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_no_live_markup_in_html(batch):
    html = batch["work"] / "reports" / "2020Q2" / "quarterly_report.html"
    text = html.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "iframe", "object", "embed", "form"), tag
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith("data:image/"), attrs["src"][:60]
        if tag == "a":
            assert attrs.get("href", "#").startswith("#"), attrs
        if tag == "link":
            assert not re.match(r"(https?|file):", attrs.get("href", "")), attrs
        assert "url(http" not in attrs.get("style", "") and "url(file" not in attrs.get("style", "")
    assert [t for t, _ in parser.tags if t == "h1"] == ["h1"]  # the forged heading is text
    # The hostile units are shown, as the characters they are.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b onmouseover=alert(2)&gt;乙食堂&lt;/b&gt;" in text
    assert "=HYPERLINK(" in text and "javascript:alert(3)" in text  # as text, never as a link
    assert "\u202e" not in text and "庚食堂" in text  # no bidirectional override


def test_no_live_formula_from_the_data(batch):
    books = [p for p in _published(batch) if p.suffix == ".xlsx"] + [batch["work"] / "processed" / "被拒绝行.xlsx"]
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    formulas = re.findall(r"<f>(.*?)</f>", z.read(name).decode("utf-8"))
                    assert not [f for f in formulas if re.search(r"HYPERLINK|SUM\(1|127\.0\.0\.1", f)], (
                        book.name,
                        name,
                    )
    progress = books[0].read_bytes()
    with zipfile.ZipFile(books[0]) as z:
        sheets = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/"))
    assert "=HYPERLINK(" in sheets and progress  # the unit is there, stored as text


def test_no_personal_data_in_any_published_file(batch):
    raw_values = {PHONE, ID, *CADRE_IDS, *CADRE_PHONES}
    for path in _published(batch):
        findings = scan_file(path, NAMES)
        assert findings == [], (path.name, findings)
        seen = pdf_text(path) if path.suffix == ".pdf" else path.read_bytes().decode("utf-8", "replace")
        assert not [v for v in raw_values | NAMES if v in seen], path.name


def test_chart_data_is_checked_and_masked(batch):
    record = batch["work"] / "reports" / "运行记录" / "2020Q2" / "quarterly_report.ipynb"
    nb = nbformat.read(record, as_version=4)
    charts = [
        o["data"]["text/plain"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("data", {}).get(MIME, {}).get("kind") == "figure"
    ]
    words = "\n".join(charts)
    assert "图表文字" in words and "联系人138****5678食堂" in words  # the unit drawn, masked
    assert f"{LONG_NAME[0]}*****个体食堂" in words and LONG_NAME not in words


def test_names_in_file_and_sheet_names_are_masked(batch):
    html = (batch["work"] / "reports" / "2020Q2" / "quarterly_report.html").read_text(encoding="utf-8")
    assert NAME not in html
    # The inputs and their SHA-256 are the run record's (issue 21), their names masked there too.
    record = (batch["work"] / "reports" / "运行记录" / "2020Q2" / "manifest.json").read_text(encoding="utf-8")
    files = json.loads(record)["inputs"]["files"]
    assert any(f.endswith("王**_挂职干部台账_2020.xlsx") for f in files) and NAME not in record
    assert "区发改委_企业投资台账_补充.xlsx" in html  # the lost file, in 数据质量
    # A placeholder in a name column is not a name: it blocks nothing.
    assert batch["report"].returncode == 0


def test_pdf_and_word_show_the_characters_typed(batch):
    """The PDF and Word versions are made from the notebooks' Markdown, where data is escaped
    for the browser: no entity (&lt;) and no Markdown escape (\\_) may reach the page."""
    from docx import Document as open_docx

    leftovers = re.compile(r"&(?:lt|gt|amp|quot|#\d+);|\\[_.()\[\]*#!|`{}+-]")
    for path in _published(batch):
        if path.suffix == ".pdf":
            text = pdf_text(path)
        elif path.suffix == ".docx":
            doc = open_docx(str(path))
            text = "\n".join(
                [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
            )
        else:
            continue
        assert not leftovers.findall(text), (path.name, leftovers.findall(text)[:5])
        assert "\u202e" not in text, path.name  # no bidirectional override reaches a page
        if path.stem == "quarterly_report":  # its table of units under 30% lists them all
            squeezed = re.sub(r"\s+", "", text)  # table cells wrap the long names
            assert "<script>alert(1)</script>" in squeezed and "<bonmouseover=alert(2)>乙食堂</b>" in squeezed, (
                path.name
            )
            assert "庚食堂" in squeezed, path.name
