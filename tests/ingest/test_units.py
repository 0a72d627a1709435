"""Units and magnitudes: 元, 千元, 万元 and 亿元 in headers and values are converted to 万元; an
unknown unit is refused with a clear message; implausible magnitudes are said; Chinese
numerals are read by cn2an or refused when they are not one number."""

import pytest

from fupin_lib.ingest import ingest_folder
from fupin_lib.ingest.parsers import parse_amount, parse_count

HEAD = ["项目名称", "结对地区", "资金来源", "{amount}", "拨付日期"]


def funds(book, header: str, amounts: list) -> object:
    rows = [[h.format(amount=header) for h in HEAD]]
    rows += [[f"项目{i}", "和田县", "区级财政", a, "2020-03-01"] for i, a in enumerate(amounts)]
    return ingest_folder(book("区财政局_资金台账_2020.xlsx", {"资金台账": rows}))


@pytest.mark.parametrize(
    "header, amount, wan",
    [
        ("金额（元）", 25_000, 2.5),
        ("金额（千元）", 2_500, 250.0),
        ("金额（万元）", 2.5, 2.5),
        ("金额（亿元）", 0.3, 3000.0),
        ("金额（人民币元）", 10_000, 1.0),
        ("金额(单位：千元)", 12, 1.2),
    ],
)
def test_header_units(book, header, amount, wan):
    result = funds(book, header, [amount])
    assert result.tables["funds"]["amount_wan"].tolist() == [pytest.approx(wan)]


def test_unit_row_above_the_header(book):
    raw = book(
        "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                ["单位：千元"],
                ["项目名称", "结对地区", "资金来源", "金额", "拨付日期"],
                ["甲", "和田县", "区级财政", 500, "2020-03-01"],
            ]
        },
    )
    assert ingest_folder(raw).tables["funds"]["amount_wan"].tolist() == [50.0]


def test_an_unknown_unit_is_refused(book):
    result = funds(book, "金额（美元）", [100, 200])
    assert result.tables["funds"].empty and len(result.rejections) == 2
    assert set(result.rejections["原因"]) == {
        "“金额（美元）”列的单位“美元”无法识别（应为人民币万元、人民币亿元、人民币千元、人民币元、亿元、万元、千元、元之一）"
    }
    [notice] = [n for n in result.notices if n.kind == "错误"]
    assert "单位“美元”无法识别" in notice.message and "该列的金额均未计入" in notice.message


def test_values_naming_their_unit():
    assert parse_amount("1.2亿元").value == 12000.0 and parse_amount("1.2亿").value == 12000.0
    assert parse_amount("5千元").value == 0.5 and parse_amount("3,400元").value == 0.34
    assert parse_amount("12万").value == 12.0 and parse_amount("500", factor=0.1).value == 50.0


def test_implausible_magnitudes_are_said(book):
    result = funds(book, "金额（万元）", [1_000_000, 12.5, 110101199003071234])
    assert result.tables["funds"]["amount_wan"].tolist() == [1_000_000.0, 12.5]  # read as written
    warnings = [n.message for n in result.notices if n.kind == "警告"]
    assert any("单行金额超过 100,000 万元，请核对单位" in w and "第2行" in w for w in warnings)
    # Beyond the ledger's bound (1 万亿元 a row, units.yml) an amount is not read at all (issue 18).
    [why] = result.rejections.loc[result.rejections["行号"] == 4, "原因"]
    assert "像是身份证号或账号" in why and "超过单行金额的上限（100,000,000 万元）" in why


def test_amounts_beyond_the_bound_are_rejected():
    assert parse_amount(100_000_000).value == 100_000_000.0  # 1 万亿元 a row: the bound itself
    for raw in (100_000_001, "1" + "0" * 307, 1e307, 10**400, float("inf"), "2万亿"[:1] + "0001亿元"):
        parsed = parse_amount(raw)
        assert parsed.value is None and "超过单行金额的上限" in parsed.problem, raw
    assert parse_amount(20_000_000_000, factor=0.0001).value == 2_000_000.0  # 200 亿元, in 元
    assert parse_amount(2_000_000_000_000, factor=0.0001).value is None  # 2 万亿元, in 元


def test_chinese_numerals():
    assert parse_count("一万五").value == 15000  # not 10005
    assert parse_count("十二人").value == 12 and parse_count("两千").value == 2000
    assert parse_count("一百零五").value == 105
    assert "不是确定的数" in parse_count("十几").problem and "不是确定的数" in parse_count("两三个").problem
