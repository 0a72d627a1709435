"""Blank templates: every ledger, and a template filled in as a department would is read back."""

import openpyxl

from fupin_lib.ingest.idcard import check_digit
from fupin_lib.ingest import ingest_folder
from fupin_lib.ledger_templates import write_templates
from fupin_lib.ledgers import ledger_specs


def test_templates_cover_every_ledger_and_read_back(tmp_path):
    paths = write_templates(tmp_path / "templates")
    assert len(paths) == 17  # ledgers 1-17; 11 and 13 hold several sheets
    sheets = {ws.title for p in paths for ws in openpyxl.load_workbook(p).worksheets} - {"填表说明", "可填事项"}
    assert sheets == {s.sheet for s in ledger_specs().values()}

    path = next(p for p in paths if "贫困人口受益台账" in p.name)
    wb = openpyxl.load_workbook(path)
    ws = wb["贫困人口受益台账"]
    headers = [c.value for c in ws[1]]
    assert headers[1] == "身份证号（必填）"
    # The whole column is text, to the last row (the sample's 和田县 list alone has 10,878 rows).
    dim = ws.column_dimensions["B"]
    assert dim.number_format == "@" and (dim.min, dim.max) == (2, 2)  # a column style, not 1,000 cells
    yes_no = [dv for dv in ws.data_validations.dataValidation if "是,否" in dv.formula1]
    assert yes_no and str(yes_no[0].sqref).endswith("1048576")
    assert "填表说明" in wb.sheetnames and "2020年第二季度" in wb["填表说明"]["A3"].value
    first = "65322119800101001"
    row = {
        "身份证号（必填）": first + check_digit(first),
        "结对地区（必填）": "和田县",
        "受益途径（必填）": "产业合作",
        "受益日期（必填）": "2020-05-01",
        "是否脱贫（必填）": "否",
    }
    for j, header in enumerate(headers, start=1):
        ws.cell(2, j, row.get(header))
    raw = tmp_path / "raw"
    raw.mkdir()
    wb.save(raw / path.name)
    result = ingest_folder(raw)
    assert len(result.tables["beneficiaries"]) == 1 and result.rejections.empty


def test_self_assessment_template_lists_the_valid_items(tmp_path):
    path = next(p for p in write_templates(tmp_path / "t") if "自评事项" in p.name)
    wb = openpyxl.load_workbook(path)
    items = [r for r in wb["可填事项"].iter_rows(min_row=2, values_only=True)]
    keys = {r[1] for r in items}
    assert "has_leading_body" in keys and "extra_funds_wan" not in keys  # a ledger gives that one
    assert len(items) == 77 - 47
    [dv] = [dv for dv in wb["自评事项"].data_validations.dataValidation if "可填事项" in dv.formula1]
    assert dv.formula1 == f"'可填事项'!$A$2:$A${len(items) + 1}"


def test_per_department_templates_named_for_the_round(tmp_path):
    from fupin_lib.periods import parse_period

    paths = write_templates(tmp_path / "t", parse_period("2020Q2"))
    names = {p.relative_to(tmp_path / "t").as_posix() for p in paths}
    assert "区财政局/区财政局_资金台账_2020年第二季度.xlsx" in names
    assert "区人力社保局/区人力社保局_劳务协作台账_2020年第二季度.xlsx" in names
    from fupin_lib.ingest.file_names import round_of

    assert round_of("区财政局_资金台账_2020年第二季度.xlsx").code == "2020Q2"
