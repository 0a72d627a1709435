"""The privacy check catches a planted ID number, phone number or full name in each output type."""

import nbformat
import openpyxl
import pytest

from fupin_lib.privacy import scan_file, scan_text

ID = "11010519491231002X"          # valid check digit (GB 11643's example)
NAMES = {"王小明", "李娜", "布沙热木·依明"}


def test_masked_forms_pass():
    assert scan_text("110105********002X 138****5678 王** 李*", NAMES) == []


def test_invalid_check_digit_is_not_an_id():
    assert scan_text("编号 110105194912310021", NAMES) == []


@pytest.mark.parametrize("planted, kind", [(ID, "身份证号"), ("13812345678", "手机号"), ("王小明", "姓名"),
                                            ("布沙热木·依明", "姓名")])
@pytest.mark.parametrize("suffix", [".html", ".ipynb", ".xlsx"])
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
    else:
        wb = openpyxl.Workbook()
        wb.active["B3"] = text
        wb.save(path)
    findings = scan_file(path, NAMES)
    assert [f.kind for f in findings] == [kind]
    assert planted not in str(findings[0])       # the finding itself is masked


def test_hashes_and_long_numbers_are_not_phone_numbers():
    assert scan_text("SHA-256 a13012345677712b 数据版本 647e13812345678f 编号 2138123456789", NAMES) == []
    assert [f.kind for f in scan_text("电话：13812345678。", NAMES)] == ["手机号"]
