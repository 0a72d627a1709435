"""Blank ledger templates for the departments (`fupin templates DIR`, ledgers.md), made from the
ledger definitions (fupin_lib/ledgers.py) so that what a department fills in is what ingestion reads.

Made for the rows departments really send: every column formatted as a whole (ID numbers,
phones and credit codes as text, so that Excel cannot turn an 18-digit ID into a number at any
row), drop-down lists down to Excel's last row, an instructions sheet (what each column means,
which forms are accepted, how to name the file for a round), and for the self-assessment ledger
the list of valid 事项 with their allowed values. With a period, each department gets the
templates of the ledgers the year's plan asks of it, named as it should send them back
(部门_台账_2020年第二季度.xlsx: the period in the name marks the round).
"""

from __future__ import annotations

from pathlib import Path

from . import refdata
from .excel import TEXT_ONLY
from .periods import Period
from .ledgers import ColumnSpec, LedgerSpec, ledger_specs

BOOK_NAMES = {11: "劳务协作台账", 13: "社会帮扶台账"}
TEXT_TYPES = ("id_card", "credit_code", "phone", "period", "quarter", "text", "name", "metric_key")
LAST_ROW = 1_048_575  # Excel's last row (0-based)
ACCEPTED = {
    "date": "2020-03-05、2020/3/5、2020年3月5日、2020.3.5 或 Excel 日期",
    "amount": "数字，单位按表头（万元）；写成“3,400元”“12万”“1.2亿元”的按所写单位换算",
    "count": "整数，如 12、“12人”、“十二”；不写“十几”“两三个”",
    "yesno": "是 / 否",
    "id_card": "18 位居民身份证号（末位可为 X），本列已设为文本格式",
    "credit_code": "18 位统一社会信用代码，本列已设为文本格式",
    "phone": "手机号或固定电话，本列已设为文本格式",
    "quarter": "2020Q1 或 2020年第一季度",
    "period": "2020Q1、2020H1、2020 或 2020年第一季度、2020年上半年、2020年全年",
    "year": "四位年份，如 2020",
    "area": "结对地区：察右前旗、正镶白旗、苏尼特右旗、和田县、224团（常见的全称、简称均可）",
    "township": "结对地区所辖乡镇的名称",
    "metric_key": "见“可填事项”工作表",
    "name": "姓名（仅用于统计，报告中不出现）",
    "text": "文字",
}


def _choices(col: ColumnSpec) -> list[str]:
    if col.choices:
        return list(col.choices)
    if col.type == "yesno":
        return ["是", "否"]
    if col.type == "area":
        return refdata.area_names()
    return []


def _self_assessable() -> list[dict]:
    """The 事项 ledger 17 may state: metric keys that no other ledger gives, with their units."""
    from .figures.registry import derived_keys

    derived = derived_keys()
    return [
        {"事项": row.label_zh, "指标键": row.key, "取值": _unit_text(row.unit), "含义": row.meaning}
        for row in refdata.metrics().itertuples()
        if row.key not in derived and row.key != "district"
    ]


def _unit_text(unit: str) -> str:
    if unit == "flag":
        return "是 / 否"
    if unit.startswith("grade"):
        return " / ".join(unit.split(" ", 1)[1].split("/"))
    if unit.startswith("count"):
        rng = unit.removeprefix("count").strip()
        return f"整数（{rng.replace('-', ' 至 ')}）" if rng else "整数"
    return {"10k CNY": "金额（万元）", "persons": "人数（整数）"}.get(unit, unit)


def _write_sheet(book, formats: dict, spec: LedgerSpec, items: list[dict]) -> None:
    ws = book.add_worksheet(spec.sheet)
    for j, col in enumerate(spec.columns):
        ws.write_string(
            0, j, col.header + ("（必填）" if col.required else ""), formats["required" if col.required else "header"]
        )
        width = max(10, min(30, len(col.header) * 2.2 + 2))
        column_format = formats["text"] if col.type in TEXT_TYPES else formats["date"] if col.type == "date" else None
        ws.set_column(j, j, width, column_format)  # the whole column, down to the last row
        choices = [i["事项"] for i in items] if col.type == "metric_key" else _choices(col)
        if choices:
            validation = {
                "validate": "list",
                "ignore_blank": not col.required,
                "error_title": "取值不在可选范围内",
                "error_message": f"“{col.header}”请从下拉列表中选择"[:255],
            }
            if col.type == "metric_key":
                validation["source"] = f"='可填事项'!$A$2:$A${len(items) + 1}"
            else:
                validation["source"] = choices
            ws.data_validation(1, j, LAST_ROW, j, validation)
    ws.freeze_panes(1, 0)
    ws.set_row(0, 30)


def _write_instructions(
    book, formats: dict, specs: list[LedgerSpec], department: str | None, period: Period | None
) -> None:
    ws = book.add_worksheet("填表说明")
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 8)
    ws.set_column(3, 3, 70)
    name = (
        "_".join(
            x
            for x in (
                department or "部门名称",
                BOOK_NAMES.get(specs[0].id, specs[0].sheet),
                period.label_zh if period else "2020年第二季度",
            )
            if x
        )
        + ".xlsx"
    )
    lines = [
        f"{BOOK_NAMES.get(specs[0].id, specs[0].sheet)}填表说明",
        "1. 每季度报送年初至本季度末的完整台账（累计），不只报新增；更正的数据直接在台账中改，重新报送整本台账。",
        f"2. 文件名写明部门、台账和报送期间，如：{name}；期间写法：2020Q2、2020年第二季度、2020年二季度。",
        "3. 不要改动表头、不要合并单元格；一行一条记录；合计行可以保留（会自动排除）。",
        "4. 身份证号、联系电话、统一社会信用代码等列已设为文本格式，请直接填写，不要改成数字格式。",
        "5. 带下拉列表的列请从列表中选择。表头带“（必填）”的列不能为空，否则该行不计入。",
    ]
    for i, text in enumerate(lines):
        ws.write_string(i, 0, text, formats["title" if i == 0 else "note"])
    row = len(lines) + 1
    for j, head in enumerate(("列名", "工作表", "必填", "填写说明（接受的写法）")):
        ws.write_string(row, j, head, formats["header"])
    for spec in specs:
        for col in spec.columns:
            row += 1
            choices = _choices(col)
            how = f"可选：{' / '.join(choices)}" if choices and col.type != "area" else ACCEPTED.get(col.type, "文字")
            if col.type == "amount" and "（" not in col.header:
                how = ACCEPTED["amount"]
            ws.write_string(row, 0, col.header)
            ws.write_string(row, 1, spec.sheet)
            ws.write_string(row, 2, "是" if col.required else "")
            ws.write_string(row, 3, how, formats["wrap"])


def _write_items(book, formats: dict, items: list[dict]) -> None:
    ws = book.add_worksheet("可填事项")
    for j, head in enumerate(("事项", "指标键", "取值", "含义")):
        ws.write_string(0, j, head, formats["header"])
    for i, item in enumerate(items, start=1):
        for j, key in enumerate(("事项", "指标键", "取值", "含义")):
            ws.write_string(i, j, str(item[key]), formats["wrap"] if j == 3 else None)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 2, 22)
    ws.set_column(3, 3, 60)
    ws.freeze_panes(1, 0)


def write_book(
    path: Path, specs: list[LedgerSpec], department: str | None = None, period: Period | None = None
) -> Path:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), TEXT_ONLY)
    try:
        base = {"font_name": "Noto Sans CJK SC", "font_size": 10}
        formats = {
            "header": book.add_format(
                {
                    **base,
                    "bold": True,
                    "bg_color": "#DDE4EE",
                    "align": "center",
                    "valign": "vcenter",
                    "text_wrap": True,
                    "border": 1,
                }
            ),
            "required": book.add_format(
                {
                    **base,
                    "bold": True,
                    "font_color": "#9C0006",
                    "bg_color": "#DDE4EE",
                    "align": "center",
                    "valign": "vcenter",
                    "text_wrap": True,
                    "border": 1,
                }
            ),
            "text": book.add_format({**base, "num_format": "@"}),
            "date": book.add_format({**base, "num_format": "yyyy-mm-dd"}),
            "title": book.add_format({**base, "bold": True, "font_size": 14}),
            "note": book.add_format(base),
            "wrap": book.add_format({**base, "text_wrap": True, "valign": "top"}),
        }
        items = _self_assessable() if any(c.type == "metric_key" for s in specs for c in s.columns) else []
        for spec in specs:
            _write_sheet(book, formats, spec, items)
        _write_instructions(book, formats, specs, department, period)
        if items:
            _write_items(book, formats, items)
        book.set_properties({"title": f"{BOOK_NAMES.get(specs[0].id, specs[0].sheet)}（空白模板）"})
    finally:
        book.close()
    return path


def _books() -> dict[int, list[LedgerSpec]]:
    books: dict[int, list[LedgerSpec]] = {}
    for spec in ledger_specs().values():
        books.setdefault(spec.id, []).append(spec)
    return books


def write_templates(folder: Path, period: Period | None = None) -> list[Path]:
    """Write the blank templates into folder; return the files.

    Without a period: one workbook per ledger (NN_台账_模板.xlsx). With a period: for each
    department the year's plan asks for ledgers (obligations.csv), a folder of its templates
    named as it should send them back (部门_台账_2020年第二季度.xlsx)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    books = _books()
    if period is None:
        return [
            write_book(folder / f"{i:02d}_{BOOK_NAMES.get(i, specs[0].sheet)}_模板.xlsx", specs)
            for i, specs in books.items()
        ]
    plan = refdata.plan(period.year)
    if plan is None:
        raise ValueError(
            f"{period.year}年尚无工作计划（参考数据中没有 {period.year} 年的任务分解），无法按部门生成模板"
        )
    owed: dict[str, set[int]] = {}
    for row in plan.obligations().itertuples():
        for dept in row.departments.split("|"):
            owed.setdefault(dept, set()).add(ledger_specs()[row.ledger].id)
    written = []
    for dept, ids in sorted(owed.items()):
        (folder / dept).mkdir(exist_ok=True)
        for i in sorted(ids):
            name = f"{dept}_{BOOK_NAMES.get(i, books[i][0].sheet)}_{period.label_zh}.xlsx"
            written.append(write_book(folder / dept / name, books[i], dept, period))
    return written
