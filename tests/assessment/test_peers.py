"""The peers table reader: .csv (UTF-8, UTF-8-BOM, GBK) and .xlsx, headers as keys or Chinese
labels, values read by the metric's unit, every problem reported with file, row, column, value."""

import openpyxl
import pandas as pd
import pytest

from fupin_lib.assessment.peers import PeersError, peers_from_frame, read_peers

from peers_tables import DISTRICTS, full_rows, write_table

SMALL = {
    d: {"paired_counties": 5, "has_ledger": "是", "ledger_quality": "好", "investment_wan": 120.5} for d in DISTRICTS
}


@pytest.mark.parametrize(
    "name, labels, encoding",
    [
        ("keys.csv", False, "utf-8"),
        ("bom.csv", True, "utf-8-sig"),
        ("gbk.csv", True, "gbk"),
        ("keys.xlsx", False, None),
        ("labels.xlsx", True, None),
    ],
)
def test_reads_both_header_styles_and_file_types(tmp_path, name, labels, encoding):
    path = write_table(tmp_path / name, full_rows(), labels=labels, encoding=encoding or "utf-8")
    table = read_peers(path)
    assert list(table.values) == DISTRICTS
    expected = read_peers(write_table(tmp_path / "ref.csv", full_rows()))
    assert table.values == expected.values  # same figures whatever the file looks like


def test_values_read_by_unit(tmp_path):
    rows = {d: dict(r) for d, r in SMALL.items()}
    rows["大兴区"] = {"paired_counties": "５", "has_ledger": 0, "ledger_quality": "一般", "investment_wan": "1,234.5"}
    rows["东城区"] = {"paired_counties": None, "has_ledger": "1", "ledger_quality": None, "investment_wan": ""}
    table = read_peers(write_table(tmp_path / "t.xlsx", rows, labels=True))
    assert table.values["大兴区"] == {
        "paired_counties": 5,
        "has_ledger": 0,
        "ledger_quality": "一般",
        "investment_wan": 1234.5,
    }
    assert table.values["东城区"] == {
        "paired_counties": None,
        "has_ledger": 1,
        "ledger_quality": None,
        "investment_wan": None,
    }  # missing values are allowed
    assert table.values["西城区"]["has_ledger"] == 1
    assert any("没有以下" in n and "企业实际到位投资额" not in n for n in table.notes)


def test_title_rows_blank_rows_and_a_total_row(tmp_path):
    path = tmp_path / "t.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2020年各区扶贫协作考核数据"])
    ws.append([])
    ws.append(["区", "结对县总个数"])
    for i, d in enumerate(DISTRICTS):
        ws.append([d.removesuffix("区") if i == 0 else d, 3])  # 东城 for 东城区
        if i == 4:
            ws.append([None, None])
    ws.append(["合计", 48])
    wb.save(path)
    table = read_peers(path)
    assert table.values["东城区"] == {"paired_counties": 3} and len(table.values) == 16
    assert any("合计" in n for n in table.notes)


def test_fifteen_rows_when_the_home_row_comes_from_ledgers(tmp_path):
    rows = {d: r for d, r in SMALL.items() if d != "大兴区"}
    path = write_table(tmp_path / "t.csv", rows)
    assert "大兴区" not in read_peers(path, allow_missing=["大兴区"]).values
    with pytest.raises(PeersError, match="缺少大兴区的数据"):
        read_peers(path)


def problems_of(path):
    with pytest.raises(PeersError) as err:
        read_peers(path)
    return err.value.problems, str(err.value)


def test_every_problem_is_reported_with_its_place(tmp_path):
    rows = {d: dict(r) for d, r in SMALL.items()}
    rows["西城区"]["investment_wan"] = "很多"  # text where a number belongs
    rows["朝阳区"]["ledger_quality"] = "优秀"  # not a grade word of the item
    rows["海淀区"]["has_ledger"] = "有"  # not 是/否/1/0
    rows["丰台区"]["paired_counties"] = -2
    path = write_table(tmp_path / "t.csv", rows)
    problems, message = problems_of(path)
    found = {(p.row, p.column, p.value) for p in problems}
    assert (3, "investment_wan", "很多") in found  # header is row 1, 东城区 row 2, 西城区 row 3
    assert (4, "ledger_quality", "优秀") in found
    assert (5, "has_ledger", "有") in found
    assert (6, "paired_counties", "-2") in found
    assert all(p.file == "t.csv" for p in problems)
    assert message.startswith("其他区数据表有 4 处问题")
    assert "t.csv 第3行“investment_wan”列：金额“很多”无法识别为数字" in message
    assert "好/一般/无" in message and "应填“是”或“否”" in message


def test_district_problems(tmp_path):
    rows = {("大兴县" if d == "大兴区" else d): r for d, r in SMALL.items() if d != "延庆区"}
    path = write_table(tmp_path / "t.xlsx", rows)
    lines = path.parent / "dup.csv"
    frame = pd.DataFrame([{"district": d, **r} for d, r in SMALL.items()])
    frame = pd.concat([frame, frame.iloc[[2]]])  # 朝阳区 twice
    frame.to_csv(lines, index=False)
    problems, message = problems_of(path)
    assert {(p.row, p.value) for p in problems if p.value} == {(12, "大兴县")}
    assert "未知的区“大兴县”" in message and "缺少大兴区、延庆区的数据" in message
    problems, message = problems_of(lines)
    assert [(p.row, p.value) for p in problems] == [(18, "朝阳区")]
    assert "“朝阳区”重复（第4行已有）" in message


def test_header_problems(tmp_path):
    frame = pd.DataFrame([{"区": d, "结对县总个数": 5, "paired_counties": 5, "结对县数目": 1} for d in DISTRICTS])
    path = tmp_path / "t.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    problems, message = problems_of(path)
    assert {(p.row, p.column) for p in problems} == {(1, "paired_counties"), (1, "结对县数目")}
    assert "表头重复：与“结对县总个数”是同一指标" in message and "未知的表头“结对县数目”" in message
    no_header = tmp_path / "n.csv"
    no_header.write_text("名称,数值\n大兴区,1\n", encoding="utf-8")
    assert "找不到表头" in problems_of(no_header)[1]


def test_file_problems(tmp_path):
    assert "文件不存在" in problems_of(tmp_path / "无此文件.csv")[1]
    other = tmp_path / "t.json"
    other.write_text("{}", encoding="utf-8")
    assert "不支持的文件类型“.json”" in problems_of(other)[1]
    broken = tmp_path / "t.xlsx"
    broken.write_bytes(b"not a workbook")
    assert "无法读取" in problems_of(broken)[1]
    latin = tmp_path / "l.csv"
    latin.write_bytes(b"\xff\xfe\xfa\x80,\x81")
    assert "编码" in problems_of(latin)[1]


def test_a_frame_in_memory():
    frame = pd.DataFrame([{"区": d, "paired_counties": 5} for d in DISTRICTS])
    assert peers_from_frame(frame).values["大兴区"] == {"paired_counties": 5}
