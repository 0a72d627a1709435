"""A corpus of hostile ledger content, written beside a small sample folder.

What a careless or hostile department can type into a ledger: markup and script, links and
images pointing at local files and at a server, spreadsheet formulas, Markdown and TeX, absurd
numbers and dates, personal data inside a unit's name, a person's name as a sheet or file
name, names longer than four characters. Every value is planted where a report shows it: the
canteens all buy under 30%, so that they appear in the quarterly report's table of units
below target, in its chart of the lowest ratios and in the progress workbook.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from conftest import write_book
from fupin_lib.ingest.idcard import check_digit

PHONE = "13812345678"
PHONE_CC = "+86 139 1234 5678"
ID = "11010519491231002X"  # valid check digit (GB 11643's example)
LONG_NAME = "阿不都热合曼"
NAME = "王小明"
NAMES = {LONG_NAME, NAME, "李建华"}
CADRE_IDS = [base + check_digit(base) for base in ("11010119900307123", "11010119850712001", "65012119881123041")]
CADRE_PHONES = ["13912345670", "13698765432", "15011112222"]


def hostile_units(processed: Path, port: int) -> list[str]:
    url = f"http://127.0.0.1:{port}"
    return [
        "<script>alert(1)</script>",
        "<b onmouseover=alert(2)>乙食堂</b>",
        '<a rel="attachment" href="file:///etc/passwd">甲食堂</a>',
        f'<a rel="attachment" href="{(processed / "cadres.parquet").as_uri()}">丙食堂</a>',
        f'<img src="{url}/img.png">丁食堂',
        f'<link rel="stylesheet" href="{url}/x.css">戊食堂',
        f'<div style="background:url({url}/bg.png)">己食堂</div>',
        f'=HYPERLINK("{url}/xl","点我")',
        "+SUM(1,2)",
        "@SUM(1)",
        f"![图]({url}/md.png)",
        "[点我](javascript:alert(3))",
        r"$\frac{1}{0}$食堂",
        "</table><h1>伪造的标题</h1>",
        f"联系人{PHONE}食堂",
        f"{PHONE_CC} 工会",
        f"{ID}食堂",
        f"{LONG_NAME}个体食堂",
        "\u202e庚食堂\u202c",  # a right-to-left override: would reverse what follows
        "辛" + "A" * 120 + "食堂",  # one long name must not squeeze a chart
    ]


def _as_text(path: Path) -> None:
    """Cells typed as text that start with "=" (as Excel keeps them after a leading apostrophe,
    or after importing a CSV): openpyxl would otherwise write them as formulas."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    wb.save(path)


def make_hostile(raw: Path, sample: Path, port: int, processed: Path) -> Path:
    """Copy the sample folder to raw and add the hostile workbooks; returns raw."""
    shutil.copytree(sample, raw)
    units = hostile_units(processed, port)
    canteen = [["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"]]
    for unit in units:
        canteen += [[unit, "预算单位食堂", "2020Q1", 10, 0.5], [unit, "预算单位食堂", "2020Q2", 10, 0.5]]
    consumption = [["日期", "采购单位", "单位类型", "渠道", "产品名称", "产地", "是否名录产品", "金额（万元）"]]
    consumption += [["2020-04-02", unit, "工会", "京东", unit, "察右前旗", "是", 1.5] for unit in units]
    path = write_book(
        raw / "区商务局_食堂采购台账_恶意内容.xlsx", {"食堂采购台账": canteen, "消费扶贫台账": consumption}
    )
    _as_text(path)

    # A person's name as the file's department and as the sheet's name; a long name.
    cadres = [
        [
            "姓名",
            "身份证号",
            "人员类别",
            "专业领域",
            "派出单位",
            "结对地区",
            "开始日期",
            "结束日期",
            "是否自主选派",
            "是否脱贫攻坚岗位",
            "联系电话",
        ]
    ]
    for name, pid, phone in zip(sorted(NAMES), CADRE_IDS, CADRE_PHONES):
        cadres.append(
            [
                name,
                pid,
                "专业技术人才",
                "医疗",
                f"区医院（{name}）",
                "和田县",
                "2020-03-01",
                "2020-12-31",
                "否",
                "是",
                phone,
            ]
        )
    cadres.append(
        ["--", "", "党政干部", "", "区委组织部", "和田县", "2020-03-01", "", "是", "是", ""]
    )  # placeholder name
    write_book(raw / f"{NAME}_挂职干部台账_2020.xlsx", {LONG_NAME: cadres})

    # Absurd numbers and dates: a date cell holding serial -1e12 (calamine panics on it), an
    # amount of 1e300, a count of twenty digits, a date in the year 9999.
    path = raw / "区财政局_资金台账_异常数值.xlsx"
    write_book(
        path,
        {
            "资金台账": [
                ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"],
                ["正常项目", "和田县", "区级财政", 12.5, "2020-04-10"],
                ["日期序号异常", "和田县", "区级财政", 3, None],
                ["金额异常", "和田县", "区级财政", 1e300, "2020-04-11"],
                ["年份异常", "和田县", "区级财政", 3, "9999-12-31"],
            ]
        },
    )
    wb = openpyxl.load_workbook(path)
    cell = wb["资金台账"]["E3"]
    cell.value, cell.number_format = -1e12, "yyyy-mm-dd"
    wb.save(path)
    write_book(
        raw / "区人力社保局_培训台账_异常数值.xlsx",
        {
            "培训台账": [
                ["培训班名称", "开始日期", "培训对象", "培训人数"],
                ["人数异常", "2020-04-01", "贫困劳动力", "99999999999999999999"],
            ]
        },
    )

    # A link to nowhere: a file lost, which must be said, not skipped.
    (raw / "区发改委_企业投资台账_补充.xlsx").symlink_to(raw / "不存在的文件.xlsx")
    return raw
