"""Blank templates: every ledger, and a template filled in as a department would is read back."""

import openpyxl

from fupin_lib.ingest.idcard import check_digit
from fupin_lib.ingest import ingest_folder
from fupin_lib.ingest.blank import write_templates
from fupin_lib.ingest.schemas import ledger_specs


def test_templates_cover_every_ledger_and_read_back(tmp_path):
    paths = write_templates(tmp_path / "templates")
    assert len(paths) == 17                      # ledgers 1-17; 11 and 13 hold several sheets
    sheets = {ws.title for p in paths for ws in openpyxl.load_workbook(p).worksheets}
    assert sheets == {s.sheet for s in ledger_specs().values()}

    path = next(p for p in paths if "贫困人口受益台账" in p.name)
    wb = openpyxl.load_workbook(path)
    ws = wb["贫困人口受益台账"]
    headers = [c.value for c in ws[1]]
    assert headers[1] == "身份证号（必填）" and ws["B2"].number_format == "@"
    assert any("是,否" in dv.formula1 for dv in ws.data_validations.dataValidation)
    first = "65322119800101001"
    row = {"身份证号（必填）": first + check_digit(first), "结对地区（必填）": "和田县", "受益途径（必填）": "产业合作",
           "受益日期（必填）": "2020-05-01", "是否脱贫（必填）": "否"}
    for j, header in enumerate(headers, start=1):
        ws.cell(2, j, row.get(header))
    raw = tmp_path / "raw"
    raw.mkdir()
    wb.save(raw / path.name)
    result = ingest_folder(raw)
    assert len(result.tables["beneficiaries"]) == 1 and result.rejections.empty
