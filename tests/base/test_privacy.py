"""The privacy check catches a planted ID number, phone number or full name in each output type."""

import nbformat
import openpyxl
import pytest

from fupin_lib.privacy import scan_file, scan_text

ID = "11010519491231002X"  # valid check digit (GB 11643's example)
NAMES = {"王小明", "李娜", "布沙热木·依明"}


def test_masked_forms_pass():
    assert scan_text("110105********002X 138****5678 王** 李*", NAMES) == []


def test_mistyped_and_separated_ids_and_phones_are_caught():
    kinds = lambda text: [f.kind for f in scan_text(text, NAMES)]  # noqa: E731
    assert kinds("身份证 110105194912310021") == ["身份证号"]  # wrong check digit: still someone's ID
    assert kinds("身份证 110101 19900307 1234") == ["身份证号"]
    assert kinds("老身份证 110105491231002") == ["身份证号（15位）"]
    assert kinds("电话 138 1234 5678、139-1234-5678") == ["手机号", "手机号"]
    assert kinds("金额 1,234,567.89 万元，编号 2020-0101") == []


@pytest.mark.parametrize(
    "planted, kind", [(ID, "身份证号"), ("13812345678", "手机号"), ("王小明", "姓名"), ("布沙热木·依明", "姓名")]
)
@pytest.mark.parametrize("suffix", [".html", ".ipynb", ".xlsx", ".docx"])
def test_planted_value_is_caught(tmp_path, planted, kind, suffix):
    text = f"报告正文：受益人{planted}，已核实"
    path = tmp_path / f"report{suffix}"
    if suffix == ".html":
        path.write_text(f"<html><body><p>{text}</p></body></html>", encoding="utf-8")
    elif suffix == ".ipynb":
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        nb.cells.append(cell)
        nbformat.write(nb, path)
    elif suffix == ".docx":
        import docx

        document = docx.Document()
        document.add_table(rows=1, cols=2).cell(0, 1).paragraphs[0].add_run(text)
        document.save(str(path))
    else:
        wb = openpyxl.Workbook()
        wb.active["B3"] = text
        wb.save(path)
    findings = scan_file(path, NAMES)
    assert [f.kind for f in findings] == [kind]
    assert planted not in str(findings[0])  # the finding itself is masked


def test_hashes_and_long_numbers_are_not_phone_numbers():
    assert scan_text("SHA-256 a13012345677712b 数据版本 647e13812345678f 编号 2138123456789", NAMES) == []
    assert [f.kind for f in scan_text("电话：13812345678。", NAMES)] == ["手机号"]


def test_the_digits_of_a_fraction_are_not_an_id_or_a_phone(tmp_path):
    # 169754 830313 469: the shape of an old 15-digit ID (born 1983-03-13), inside a ratio
    # a notebook printed at full precision; 0.13812345678 likewise holds no mobile number.
    text = "合计 8052.79 1367 90 0.169754830313469 0.13812345678 1.110105194912310021"
    assert scan_text(text, NAMES) == []
    book = tmp_path / "r.ipynb"
    book.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "x": "' + text + '"}')
    assert scan_file(book, NAMES) == []
    # The same digits standing alone are found, after a full stop too.
    found = scan_text("编号 169754830313469。电话.13812345678", NAMES)
    assert [f.kind for f in found] == ["身份证号（15位）", "手机号"]


def test_planted_id_in_a_pdf_is_caught(tmp_path):
    from fupin_lib.render.document import Document, Paragraph
    from fupin_lib.render.typeset import write_pdf

    doc = Document(title="测试", blocks=[Paragraph(f"受益人身份证号 {ID}，已核实")])
    pdf = write_pdf(doc, tmp_path / "report.pdf")
    assert [f.kind for f in scan_file(pdf, NAMES)] == ["身份证号"]


def test_figures_of_two_word_cells_do_not_run_together(tmp_path):
    import docx

    document = docx.Document()
    row = document.add_table(rows=1, cols=2).rows[0]
    row.cells[0].text, row.cells[1].text = "1032", "10200402"  # 1032 | 10200402: no 15-digit number
    document.save(str(tmp_path / "t.docx"))
    assert scan_file(tmp_path / "t.docx", NAMES) == []


def test_a_fractions_digits_are_not_an_id_number(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append([0.8613306487964659, 1034.5715371234535, 13812345678])
    wb.save(tmp_path / "t.xlsx")
    assert [f.kind for f in scan_file(tmp_path / "t.xlsx", NAMES)] == ["手机号"]  # the phone, nothing else
