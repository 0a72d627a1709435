"""Write the corpus of bad and awkward department workbooks (tests/data/corpus/), issue 5.

One folder per case: the input file(s) as a department sends them and a case.yml with the
outcome that the reading rules of ledgers.md require (hand-written here, not recorded from a
run): per ledger and per sheet the rows read / accepted / rejected / 合计 rows excluded / note
rows skipped, every rejected row (file, sheet, row, column, value shown, key fragment of the
reason), every notice (file, sheet, kind, key fragment of the message) and, for value cases,
the clean values. tests/ingest/test_corpus.py checks every case.

Run once, from the project root, to (re)write the files; the files are committed, so the tests
need none of the generation-only packages:

    .venv/bin/pip install xlwt odfpy msoffcrypto-tool      # not in requirements.txt
    .venv/bin/python tests/data/make_corpus.py            # every case
    .venv/bin/python tests/data/make_corpus.py 56_stray_cell_far_away …   # only these

The output is deterministic (fixed zip timestamps and document dates, seeded encryption salt):
running it again rewrites the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
import struct
import sys
import zipfile
from pathlib import Path

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parent / "corpus"
sys.path.insert(0, str(ROOT.parents[2]))

from fupin_lib.ingest.parsers import credit_check_char  # noqa: E402
from fupin_lib.ingest.idcard import check_digit  # noqa: E402

FIXED = dt.datetime(2020, 7, 1, 9, 0, 0)
ZIP_TIME = (2020, 7, 1, 9, 0, 0)


# --- valid identifiers --------------------------------------------------------------------


def vid(first17: str) -> str:
    """A valid resident ID number (GB 11643 check digit)."""
    return first17 + check_digit(first17)


def credit(first17: str) -> str:
    """A valid unified social credit code (GB 32100 check character)."""
    return first17 + credit_check_char(first17)


def _id_ending_x(prefix: str) -> str:
    for seq in range(1000):
        first = f"{prefix}{seq:03d}"
        if check_digit(first) == "X":
            return vid(first)
    raise AssertionError("no X check digit")


ID_A = vid("15092619800101001")  # 150926: 察右前旗's code since 2003
ID_B = vid("15252619850312002")
ID_C = vid("65322119900707003")
ID_D = vid("15262519751120004")
ID_X = _id_ending_x("15092619870214")  # an ID whose check digit is X
ID_OLD = vid("15263019700101005")  # 152630: 察右前旗's code before 2003, still valid
CC_A = credit("91110115MA01ABCD1")
CC_B = credit("91150926MA0NXY2Q3")


def mask_id(text: str) -> str:
    return text[:6] + "*" * 8 + text[14:]


def fullwidth(text: str) -> str:
    return text.translate(str.maketrans("0123456789-/.,Xx", "０１２３４５６７８９－／．，Ｘｘ"))


# --- writers ------------------------------------------------------------------------------


def _freeze_zip(path: Path, rename_types: dict[str, str] | None = None) -> None:
    """Rewrite a zip (xlsx/xlsm/ods) with fixed timestamps and document dates: same bytes every run."""
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info, data in items:
            if info.filename in ("docProps/core.xml", "meta.xml"):
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z?", b"2020-07-01T09:00:00Z", data)
            if info.filename == "[Content_Types].xml" and rename_types:
                for old, new in rename_types.items():
                    data = data.replace(old.encode(), new.encode())
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            new.compress_type = info.compress_type
            new.external_attr = 0o644 << 16
            z.writestr(new, data)
    path.write_bytes(buf.getvalue())


def xlsx(path: Path, sheets: dict[str, object], macro: bool = False) -> Path:
    """Write a workbook. Each sheet: a list of rows, or {"rows": [...], "merge": ["A1:G1"], "state": "hidden"}.

    A merged range keeps the value of its top-left cell only (write None in the others)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "区经济协作办"
    wb.properties.created = wb.properties.modified = FIXED
    for name, spec in sheets.items():
        spec = spec if isinstance(spec, dict) else {"rows": spec}
        ws = wb.create_sheet(name)
        for row in spec["rows"]:
            ws.append(list(row))
        for rng in spec.get("merge", []):
            ws.merge_cells(rng)
        if spec.get("state"):
            ws.sheet_state = spec["state"]
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    workbook_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    types = {workbook_type: "application/vnd.ms-excel.sheet.macroEnabled.main+xml"} if macro else None
    _freeze_zip(path, types)
    return path


def xls(path: Path, sheets: dict[str, dict], password: bool = False) -> Path:
    """A legacy .xls (BIFF8) with xlwt. Each sheet: {"rows": [...], "merge": [(r0, r1, c0, c1)]}.

    password=True writes a FILEPASS record after the workbook's BOF, which is what Excel 97-2003
    writes for a workbook with an open password (the content itself is left plain)."""
    import xlwt
    from xlwt.Workbook import Workbook as Book

    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    wb = xlwt.Workbook(encoding="utf-8")
    for name, spec in sheets.items():
        ws = wb.add_sheet(name)
        merged = {(r0, c0): (r0, r1, c0, c1) for r0, r1, c0, c1 in spec.get("merge", [])}
        covered = {
            (r, c) for r0, r1, c0, c1 in spec.get("merge", []) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
        } - set(merged)
        for r, row in enumerate(spec["rows"]):
            for c, value in enumerate(row):
                if (r, c) in covered or value is None:
                    continue
                style = date_style if isinstance(value, (dt.date, dt.datetime)) else xlwt.Style.default_style
                if (r, c) in merged:
                    r0, r1, c0, c1 = merged[(r, c)]
                    ws.write_merge(r0, r1, c0, c1, value, style)
                else:
                    ws.write(r, c, value, style)
    original = Book._Workbook__bof_rec
    if password:

        def bof_with_filepass(self):
            body = struct.pack("<HHH", 1, 1, 1) + bytes(range(48))  # RC4: version 1.1, salt, verifier
            return original(self) + struct.pack("<HH", 0x002F, len(body)) + body

        Book._Workbook__bof_rec = bof_with_filepass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(str(path))
    finally:
        Book._Workbook__bof_rec = original
    return path


def ods_pandas(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An .ods written by pandas with odfpy (first row = header)."""
    import pandas as pd

    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="odf") as xw:
        for name, rows in sheets.items():
            pd.DataFrame(rows[1:], columns=rows[0]).to_excel(xw, sheet_name=name, index=False)
    _freeze_zip(path)
    return path


def ods_merged(path: Path, name: str, rows: list[list[object]], spans: dict[tuple[int, int], int]) -> Path:
    """An .ods written with odfpy directly; spans {(row, col): rows spanned} merges cells down."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    covered = {(r + k, c) for (r, c), n in spans.items() for k in range(1, n)}
    doc = OpenDocumentSpreadsheet()
    table = Table(name=name)
    for r, row in enumerate(rows):
        tr = TableRow()
        for c, value in enumerate(row):
            if (r, c) in covered:
                tr.addElement(CoveredTableCell())
                continue
            kw = {"numberrowsspanned": spans[(r, c)]} if (r, c) in spans else {}
            if isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=value, **kw)
            else:
                cell = TableCell(valuetype="string", **kw)
            if value is not None:
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    _freeze_zip(path)
    return path


def csv_file(path: Path, rows: list[list[object]], encoding: str) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def encrypt(src: Path, dest: Path, password: str = "1234") -> Path:
    """An Excel-encrypted workbook (ECMA-376 agile: an OLE file holding an EncryptedPackage stream)."""
    import msoffcrypto.method.container.ecma376_encrypted as container
    import msoffcrypto.method.ecma376_agile as agile
    from msoffcrypto.format.ooxml import OOXMLFile

    class FixedNow(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return FIXED

    rng = random.Random(20200701)
    saved = agile._random_buffer, container.datetime
    agile._random_buffer, container.datetime = (lambda n: rng.randbytes(n)), FixedNow
    try:
        out = io.BytesIO()
        with src.open("rb") as f:
            OOXMLFile(f).encrypt(password, out)
    finally:
        agile._random_buffer, container.datetime = saved
    dest.write_bytes(out.getvalue())
    return dest


def rewrite_zip(path: Path, edit: dict[str, object]) -> Path:
    """Rewrite entries of a zip: {entry: new bytes, or a function of the old bytes}."""
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for info, data in items:
            if info.filename in edit:
                change = edit[info.filename]
                data = change(data) if callable(change) else change
            new = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            z.writestr(new, data)
    path.write_bytes(buf.getvalue())
    return path


def declare_size(path: Path, entry: str, size: int) -> Path:
    """Make a zip entry declare another uncompressed size (local header and central directory)
    than it really has: what a zip bomb or a damaged file shows a reader first."""
    data = bytearray(path.read_bytes())
    name = entry.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = data.find(sig)
        while pos >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, pos + offset, size)
            pos = data.find(sig, pos + 4)
    path.write_bytes(bytes(data))
    return path


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _record(kind: int, body: bytes = b"") -> bytes:
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    return head + _varint(len(body)) + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def xlsb(path: Path, name: str, rows: list[list[object]]) -> Path:
    """A minimal Excel binary workbook (.xlsb, MS-XLSB): one sheet of text and numbers."""
    book = (
        _record(0x83)
        + _record(0x8F)
        + _record(0x9C, struct.pack("<II", 0, 1) + _wide("rId1") + _wide(name))
        + _record(0x90)
        + _record(0x84)
    )
    last_col = max(len(r) for r in rows) - 1
    sheet = _record(0x81) + _record(0x94, struct.pack("<IIII", 0, len(rows) - 1, 0, last_col)) + _record(0x91)
    for r, row in enumerate(rows):
        sheet += _record(0x00, struct.pack("<I", r) + bytes(13))
        for c, value in enumerate(row):
            if value is None:
                continue
            cell = struct.pack("<II", c, 0)
            if isinstance(value, (int, float)):
                sheet += _record(0x05, cell + struct.pack("<d", float(value)))
            else:
                sheet += _record(0x06, cell + _wide(str(value)))
    sheet += _record(0x92) + _record(0x82)
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.bin"/></Relationships>'
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.bin"/></Relationships>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/></Types>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for entry, data in (
            ("[Content_Types].xml", types),
            ("_rels/.rels", root_rels),
            ("xl/workbook.bin", book),
            ("xl/_rels/workbook.bin.rels", rels),
            ("xl/worksheets/sheet1.bin", sheet),
        ):
            info = zipfile.ZipInfo(entry, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return path


# --- expectations -------------------------------------------------------------------------


def sheet(file, name, ledger, header_row, read, accepted, rejected, totals=0, notes=0) -> dict:
    return {
        "file": file,
        "sheet": name,
        "ledger": ledger,
        "header_row": header_row,
        "read": read,
        "accepted": accepted,
        "rejected": rejected,
        "totals_excluded": totals,
        "notes_skipped": notes,
    }


def rej(file, name, row, column, value, reason) -> dict:
    return {"file": file, "sheet": name, "row": row, "column": column, "value": value, "reason": reason}


def note(file, name, kind, message, row=None) -> dict:
    out = {"file": file, "sheet": name, "kind": kind, "message": message}
    if row is not None:
        out["row"] = row
    return out


def total_notes(file, name, rows) -> list[dict]:
    return [note(file, name, "提示", "合计/小计行，已排除", r) for r in rows]


CASES: list[tuple[str, str, object]] = []


def case(name: str, description: str):
    def register(fn):
        CASES.append((name, description, fn))
        return fn

    return register


# Headers as departments write them (ledgers.md).
FUNDS_H = ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期", "是否深度贫困地区", "项目状态"]
MEET_H = ["日期", "会议名称", "会议类型", "是否研究八到位", "结对地区", "证明材料"]
VISIT_H = [
    "日期",
    "结对地区",
    "带队领导",
    "职务",
    "是否区委区政府主要领导",
    "代表团人次",
    "其中局级人次",
    "调研贫困村数",
    "调研项目点数",
    "调研贫困户数",
]
CADRE_H = [
    "姓名",
    "身份证号",
    "人员类别",
    "专业领域",
    "派出单位",
    "原职务",
    "行政级别或职称",
    "挂职单位",
    "挂职职务",
    "分管工作",
    "结对地区",
    "开始日期",
    "结束日期",
    "是否自主选派",
    "是否脱贫攻坚岗位",
    "联系电话",
]
TRAIN_H = [
    "培训班名称",
    "开始日期",
    "结束日期",
    "地点",
    "主办单位",
    "培训对象",
    "结对地区",
    "培训人数",
    "其中建档立卡贫困人口数",
    "培训后就业人数",
]
BEN_H = ["姓名", "身份证号", "结对地区", "乡镇", "村", "受益途径", "受益日期", "是否脱贫", "脱贫日期"]
BASE_H = ["结对地区", "年度", "年初建档立卡贫困人口数"]
ENT_H = [
    "企业名称",
    "统一社会信用代码",
    "项目名称",
    "主营业务",
    "结对地区",
    "项目地点",
    "是否深度贫困县",
    "项目进展",
    "约定投资额（万元）",
    "实际到位投资额（万元）",
    "吸纳贫困人口就业数",
    "带动脱贫人数",
    "扶贫车间数",
    "签约日期",
]
CONS_H = ["日期", "采购单位", "单位类型", "渠道", "产品名称", "产地", "是否名录产品", "金额（万元）"]
CANTEEN_H = ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"]
FAIR_H = ["名称", "日期", "地点", "结对地区", "提供岗位数", "面向贫困户岗位数", "招聘贫困人口数"]
POST_H = ["日期", "结对地区", "岗位数"]
EMP_H = ["姓名", "身份证号", "结对地区", "就业地", "是否建档立卡", "是否残疾人", "就业日期", "就业单位"]
PAIR_H = [
    "北京方单位",
    "北京方单位类型",
    "受援方单位",
    "受援方单位类型",
    "结对地区",
    "所在乡镇",
    "是否深度贫困村",
    "协议签订日期",
    "是否新增",
]
DON_H = ["日期", "捐赠方", "类型", "金额或折款（万元）", "结对地区"]
ACT_H = ["日期", "活动名称", "组织单位", "结对地区", "内容", "受益人数"]
PUB_H = ["日期", "标题", "类型", "采纳单位或媒体名称", "层级"]
AWARD_H = ["日期", "层级", "批示领导", "职务", "事项"]


def fund(project, area="和田县", source="区级财政", amount=10, date="2020-03-05", deep="是", status="在建"):
    return [project, area, source, amount, date, deep, status]


def cadre(name, pid, unit="区教委", area="察右前旗", start="2020-01-06", end="2020-12-31", post="副县长"):
    return [
        name,
        pid,
        "党政干部",
        "教育",
        unit,
        "科长",
        "正科",
        "察右前旗人民政府",
        post,
        "教育",
        area,
        start,
        end,
        "是",
        "是",
        "13812345678",
    ]


def training(
    title, start="2020-03-05", end="2020-03-07", trainees=30, poor=10, employed=5, area="和田县", audience="贫困劳动力"
):
    return [title, start, end, "和田县", "区人社局", audience, area, trainees, poor, employed]


def ben(
    name,
    pid,
    area="察右前旗",
    town="平地泉镇",
    village="一村",
    route="产业合作",
    date="2020-03-05",
    exited="否",
    exit_date=None,
):
    return [name, pid, area, town, village, route, date, exited, exit_date]


def cons(date, buyer, product, amount, area="察右前旗", buyer_type="预算单位食堂", channel="兴扶购"):
    return [date, buyer, buyer_type, channel, product, area, "是", amount]


def emp(name, pid, employer, area="和田县", place="在京", date="2020-04-01"):
    return [name, pid, area, place, "是", "否", date, employer]


# --- files ----------------------------------------------------------------------------------


@case("01_empty_workbook", "空工作簿：三个工作表都没有内容（一个只有空格），每个都说“空工作表”，不报错")
def _(d: Path):
    f = "区民政局_资金台账_2020.xlsx"
    xlsx(d / f, {"Sheet1": [], "资金台账": [], "Sheet3": [[" ", None, "  "]]})
    return {"notices": [note(f, s, "提示", "空工作表，已跳过") for s in ("Sheet1", "资金台账", "Sheet3")]}


@case("02_zero_byte", "0字节文件（.xlsx、.csv、.xls 各一个）：说明文件为空，已跳过")
def _(d: Path):
    files = ["区商务局_消费扶贫台账_2020.xlsx", "区商务局_消费扶贫台账_2020.csv", "区商务局_食堂采购台账.xls"]
    for f in files:
        (d / f).write_bytes(b"")
    return {"notices": [note(f, None, "错误", "文件为空（0字节）") for f in files]}


@case("03_not_really_excel", "不是Excel：改了扩展名的文本文件、系统导出的HTML“.xls”、说明.txt 和 .docx")
def _(d: Path):
    (d / "区农业农村局_资金台账_2020.xlsx").write_text("项目名称,结对地区\n甲项目,和田县\n", encoding="utf-8")
    (d / "系统导出_就业人员.xls").write_text(
        "<html><body><table><tr><td>姓名</td><td>身份证号</td></tr></table></body></html>", encoding="utf-8"
    )
    (d / "填报说明.txt").write_text("请于每季度末报送台账。", encoding="utf-8")
    with zipfile.ZipFile(d / "工作总结.docx", "w") as z:
        z.writestr(zipfile.ZipInfo("word/document.xml", date_time=ZIP_TIME), "<w:document/>")
    return {
        "notices": [
            note("区农业农村局_资金台账_2020.xlsx", None, "错误", "文件内容不是Excel格式"),
            note("系统导出_就业人员.xls", None, "错误", "文件内容不是Excel格式"),
            note("填报说明.txt", None, "错误", "不是台账文件格式"),
            note("工作总结.docx", None, "错误", "不是台账文件格式"),
        ]
    }


@case("04_corrupt_zip", "损坏的文件：截断一半的 .xlsx，以及一个只装了文本文件的 zip 改名 .xlsx")
def _(d: Path):
    tmp = d / "tmp.xlsx"
    xlsx(tmp, {"资金台账": [FUNDS_H] + [fund(f"项目{i}") for i in range(40)]})
    data = tmp.read_bytes()
    tmp.unlink()
    (d / "区财政局_资金台账_2020.xlsx").write_bytes(data[: len(data) // 2])
    with zipfile.ZipFile(d / "区财政局_资金台账_副本.xlsx", "w") as z:
        z.writestr(zipfile.ZipInfo("readme.txt", date_time=ZIP_TIME), "not a workbook")
    return {
        "notices": [
            note("区财政局_资金台账_2020.xlsx", None, "错误", "文件已损坏，无法作为Excel文件读取"),
            note("区财政局_资金台账_副本.xlsx", None, "错误", "文件已损坏，无法作为Excel文件读取"),
        ]
    }


@case(
    "05_password_protected",
    "设了打开密码的工作簿：Excel 加密的 .xlsx（OLE + EncryptedPackage）、同一文件改名 .xls、"
    "带 FILEPASS 的旧 .xls：都说“设有打开密码”，不说“已损坏”",
)
def _(d: Path):
    plain = xlsx(d / "plain.xlsx", {"培训台账": [TRAIN_H, training("致富带头人培训班")]})
    encrypt(plain, d / "区教委_培训台账_2020.xlsx")
    shutil.copyfile(d / "区教委_培训台账_2020.xlsx", d / "区教委_培训台账_2020_副本.xls")
    plain.unlink()
    xls(d / "区教委_培训台账_2019.xls", {"培训台账": {"rows": [TRAIN_H, training("旧培训班")]}}, password=True)
    return {
        "notices": [
            note(f, None, "错误", "文件设有打开密码")
            for f in ("区教委_培训台账_2019.xls", "区教委_培训台账_2020.xlsx", "区教委_培训台账_2020_副本.xls")
        ]
    }


@case("06_legacy_xls", "旧版 .xls（xlwt 写）：合并的标题行、日期单元格、向下合并的结对地区、合计行，两张劳务协作表")
def _(d: Path):
    f = "区人社局_劳务协作台账_2020.xls"
    fairs = [
        ["2020年劳务协作台账——招聘会"] + [None] * 6,
        FAIR_H,
        ["春风行动专场", dt.datetime(2020, 3, 5), "和田县", "和田县", 300, 120, 40],
        ["就业援助月专场", dt.datetime(2020, 4, 8), "洛浦县", None, 200, 80, 30],
        ["直播带岗", "2020/5/6", "察右前旗", "察哈尔右翼前旗", 150, 50, 12],
        ["合计", None, None, None, 650, 250, 82],
    ]
    posts = [POST_H, [dt.datetime(2020, 3, 1), "和田县", 500], ["2020年4月1日", "224团", 80], [43952, "正镶白旗", 60]]
    xls(d / f, {"招聘会": {"rows": fairs, "merge": [(0, 0, 0, 6), (2, 3, 3, 3)]}, "岗位推送": {"rows": posts}})
    return {
        "sheets": [
            sheet(f, "招聘会", "job_fairs", 2, 3, 3, 0, totals=1),
            sheet(f, "岗位推送", "job_postings", 1, 3, 3, 0),
        ],
        "notices": total_notes(f, "招聘会", [6]),
        "values": {
            "job_fairs": {
                "area": ["和田县", "和田县", "察右前旗"],
                "date": ["2020-03-05", "2020-04-08", "2020-05-06"],
                "jobs": [300, 200, 150],
            },
            "job_postings": {
                "date": ["2020-03-01", "2020-04-01", "2020-05-01"],
                "area": ["和田县", "224团", "正镶白旗"],
            },
        },
    }


@case("07_ods", "OpenDocument .ods（pandas + odfpy 写）：社会帮扶台账的捐赠、活动两张表")
def _(d: Path):
    f = "区民政局_社会帮扶台账_2020.ods"
    ods_pandas(
        d / f,
        {
            "捐赠": [
                DON_H,
                [dt.datetime(2020, 3, 5), "大兴区慈善协会", "资金", 2.5, "和田县"],
                ["2020/4/1", "某企业", "物资", "3,400元", "224团"],
                ["2020年5月1日", "区红十字会", "资金", "12万", None],
            ],
            "活动": [
                ACT_H,
                ["2020-06-01", "六一助学", "区团委", "察右前旗", "捐赠文具", 120],
                ["2020-06-15", "义诊", "区卫健委", "正镶白旗", "送医下乡", "八十"],
            ],
        },
    )
    return {
        "sheets": [sheet(f, "捐赠", "donations", 1, 3, 3, 0), sheet(f, "活动", "activities", 1, 2, 2, 0)],
        "values": {
            "donations": {
                "amount_wan": [2.5, 0.34, 12.0],
                "date": ["2020-03-05", "2020-04-01", "2020-05-01"],
                "area": ["和田县", "224团", None],
            },
            "activities": {"beneficiaries": [120, 80]},
        },
    }


@case("08_ods_merged_cells", ".ods 中向下合并的单元格（北京方单位、结对地区合并三行）：值属于合并区域的每一行")
def _(d: Path):
    f = "区教委_结对帮扶台账_2020.ods"
    rows = [
        PAIR_H,
        ["大兴区第一中学", "学校", "察右前旗第一中学", "学校", "察右前旗", "平地泉镇", "否", "2020-03-05", "是"],
        [None, "学校", "察右前旗第二中学", "学校", None, "玫瑰营镇", "否", "2020-03-06", "是"],
        [None, "学校", "察右前旗第三中学", "学校", None, "土贵乌拉镇", "否", "2020-03-07", "否"],
        ["大兴区人民医院", "医院", "和田县人民医院", "医院", "和田县", "巴格其镇", "否", "2020-04-01", "是"],
    ]
    ods_merged(d / f, "结对帮扶台账", rows, {(1, 0): 3, (1, 4): 3})
    return {
        "sheets": [sheet(f, "结对帮扶台账", "pairings", 1, 4, 4, 0)],
        "values": {
            "pairings": {
                "beijing_unit": ["大兴区第一中学"] * 3 + ["大兴区人民医院"],
                "area": ["察右前旗"] * 3 + ["和田县"],
            }
        },
    }


@case("09_xlsm", "启用宏的 .xlsm 工作簿（macroEnabled 内容类型）：照常读取")
def _(d: Path):
    f = "区委办_会议台账_2020.xlsm"
    xlsx(
        d / f,
        {
            "会议台账": [
                MEET_H,
                ["2020-01-10", "区委常委会（东西部扶贫协作专题）", "区委常委会", "是", None, "会议纪要"],
                ["2020-02-20", "京蒙高层联席会", "高层联席会", "否", "察右前旗", "纪要"],
            ]
        },
        macro=True,
    )
    return {
        "sheets": [sheet(f, "会议台账", "meetings", 1, 2, 2, 0)],
        "values": {"meetings": {"kind": ["区委常委会", "高层联席会"]}},
    }


@case("10_csv_gbk", "GBK 编码的 CSV：表头上方有标题行（字段数少于表格）、合计行、注释行；按表头识别为贫困人口基数")
def _(d: Path):
    f = "区扶贫办_贫困人口基数_2020.csv"
    csv_file(
        d / f,
        [
            ["2020年初建档立卡贫困人口基数"],
            BASE_H,
            ["察哈尔右翼前旗", "2020年", "1200"],
            ["正镶白旗", "2020", "800"],
            ["苏右旗", "2020年度", "650"],
            ["和田地区和田县", "2020", "5400"],
            ["第十四师224团", "2020", "30"],
            ["合计", None, "8080"],
            ["注：数据截至2020年1月1日"],
        ],
        "gbk",
    )
    return {
        "sheets": [sheet(f, "区扶贫办_贫困人口基数_2020", "poor_base", 2, 5, 5, 0, totals=1, notes=1)],
        "notices": total_notes(f, "区扶贫办_贫困人口基数_2020", [8])
        + [note(f, "区扶贫办_贫困人口基数_2020", "提示", "表格说明行（“注：数据截至2020年1月1日”），已跳过", 9)],
        "values": {
            "poor_base": {
                "area": ["察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团"],
                "year": [2020] * 5,
                "registered_poor_start": [1200, 800, 650, 5400, 30],
            }
        },
    }


@case("11_csv_utf8_bom", "UTF-8（带BOM）的 CSV：千分位金额、带单位的金额、全角数字、合计行")
def _(d: Path):
    f = "区商务局_消费扶贫台账.csv"
    csv_file(
        d / f,
        [
            CONS_H,
            cons("2020/3/5", "区委食堂", "小米", "1,234.5"),
            cons("2020年3月6日", "区政府食堂", "牛肉", "3,400元", area="正镶白旗"),
            cons("2020-03-07", "区工会", "红枣", "12万", area="和田县", buyer_type="工会"),
            cons("2020.3.8", "区教委食堂", "核桃", "１２", area="和田县"),
            ["合计", None, None, None, None, None, None, "1258.84"],
        ],
        "utf-8-sig",
    )
    return {
        "sheets": [sheet(f, "区商务局_消费扶贫台账", "consumption", 1, 4, 4, 0, totals=1)],
        "notices": total_notes(f, "区商务局_消费扶贫台账", [6]),
        "values": {
            "consumption": {
                "amount_wan": [1234.5, 0.34, 12.0, 12.0],
                "date": ["2020-03-05", "2020-03-06", "2020-03-07", "2020-03-08"],
            }
        },
    }


@case("12_excel_lock_file", "Excel 打开文件时留下的 ~$ 锁定文件：跳过并说明；旁边的正式文件照常读取")
def _(d: Path):
    f = "区卫健委_挂职干部台账_2020.xlsx"
    xlsx(d / f, {"挂职干部台账": [CADRE_H, cadre("张三", ID_A, unit="区卫健委"), cadre("李四", ID_B, unit="区卫健委")]})
    owner = "zhangsan"
    lock = bytes([len(owner)]) + owner.encode().ljust(53, b" ") + bytes([len(owner), 0]) + owner.encode("utf-16-le")
    (d / f"~${f}").write_bytes(lock.ljust(165, b"\x20"))
    return {
        "sheets": [sheet(f, "挂职干部台账", "cadres", 1, 2, 2, 0)],
        "notices": [note(f"~${f}", None, "提示", "Excel 临时锁定文件（文件正被打开），已跳过")],
    }


# --- sheets ---------------------------------------------------------------------------------


@case("13_hidden_sheets", "隐藏和深度隐藏（veryHidden）的工作表：不读取，但以警告说明，并给出非空行数")
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "资金台账": [FUNDS_H, fund("甲项目"), fund("乙项目")],
            "资金台账（旧）": {"rows": [FUNDS_H, fund("旧一"), fund("旧二"), fund("旧三")], "state": "hidden"},
            "数据源": {"rows": [["结对地区"], ["和田县"]], "state": "veryHidden"},
        },
    )
    return {
        "sheets": [sheet(f, "资金台账", "funds", 1, 2, 2, 0)],
        "notices": [
            note(f, "资金台账（旧）", "警告", "隐藏工作表，未读取（4行非空）"),
            note(f, "数据源", "警告", "隐藏工作表，未读取（2行非空）"),
        ],
    }


@case("14_empty_sheets", "有数据的台账旁边的空工作表 Sheet2、Sheet3：说明后跳过")
def _(d: Path):
    f = "区融媒体中心_信息宣传台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "信息宣传台账": [
                PUB_H,
                ["2020-03-05", "大兴区助力和田县脱贫", "媒体报道", "人民日报", "中央"],
                ["2020-04-05", "消费扶贫进机关", "信息采纳", "北京市扶贫支援办", "市属"],
            ],
            "Sheet2": [],
            "Sheet3": [],
        },
    )
    return {
        "sheets": [sheet(f, "信息宣传台账", "publicity", 1, 2, 2, 0)],
        "notices": [note(f, "Sheet2", "提示", "空工作表，已跳过"), note(f, "Sheet3", "提示", "空工作表，已跳过")],
    }


@case("15_unrecognised_sheet", "没有台账能匹配的工作表（汇总透视表、填报说明）：以警告说明并给出行数，不是悄悄跳过")
def _(d: Path):
    f = "区发改委_企业投资台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "企业投资台账": [
                ENT_H,
                [
                    "北京某农业公司",
                    CC_A,
                    "肉牛养殖",
                    "养殖",
                    "察右前旗",
                    "平地泉镇",
                    "是",
                    "在建",
                    500,
                    300,
                    20,
                    50,
                    1,
                    "2020-03-05",
                ],
            ],
            "汇总": [["结对地区", "投资额合计"], ["察右前旗", 300], ["和田县", 0]],
            "填报说明": [["1. 金额单位为万元"], ["2. 统一社会信用代码为18位"]],
        },
    )
    return {
        "sheets": [sheet(f, "企业投资台账", "enterprises", 1, 1, 1, 0)],
        "notices": [
            note(f, "汇总", "警告", "未能识别为任何台账（工作表名与表头均不匹配），已跳过（3行非空）"),
            note(f, "填报说明", "警告", "未能识别为任何台账（工作表名与表头均不匹配），已跳过（2行非空）"),
        ],
    }


@case(
    "16_two_ledgers_one_workbook",
    "一个工作簿里三种台账（会议、调研对接、批示表彰），各按工作表名识别；全部合格（--strict 退出码 0）",
)
def _(d: Path):
    f = "区委办_综合台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "会议台账": [
                MEET_H,
                ["2020-01-10", "区委常委会", "区委常委会", "是", None, "纪要"],
                ["2020-02-11", "区政府常务会", "区政府常务会", "是", None, "纪要"],
                ["2020-03-12", "京蒙部门对接会", "部门对接", "否", "正镶白旗", "纪要"],
            ],
            "调研对接台账": [
                VISIT_H,
                ["2020-04-01", "察右前旗", "王书记", "区委书记", "是", 12, 3, 2, 4, 10],
                ["2020-05-01", "和田县", "李区长", "区长", "是", 10, 2, 3, 3, 8],
            ],
            "批示表彰台账": [AWARD_H, ["2020-06-01", "市扶贫援合办", "赵主任", "主任", "消费扶贫经验"]],
        },
    )
    return {
        "sheets": [
            sheet(f, "会议台账", "meetings", 1, 3, 3, 0),
            sheet(f, "调研对接台账", "visits", 1, 2, 2, 0),
            sheet(f, "批示表彰台账", "awards", 1, 1, 1, 0),
        ]
    }


@case("17_ledger_split_over_sheets", "同一台账按月分在三个工作表（1月、2月、3月），按表头识别并合并；3月表有合计行")
def _(d: Path):
    f = "区商务局_消费扶贫台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "1月": [
                CONS_H,
                cons("2020-01-05", "区委食堂", "小米", 1.5),
                cons("2020-01-15", "区工会", "牛肉", 2, buyer_type="工会"),
            ],
            "2月": [
                CONS_H,
                cons("2020-02-05", "区委食堂", "小米", 1.5),
                cons("2020-02-15", "区工会", "牛肉", 2, buyer_type="工会"),
            ],
            "3月": [
                CONS_H,
                cons("2020-03-05", "区委食堂", "小米", 1.5),
                cons("2020-03-15", "区工会", "牛肉", 2, buyer_type="工会"),
                ["合计", None, None, None, None, None, None, 3.5],
            ],
        },
    )
    return {
        "sheets": [
            sheet(f, m, "consumption", 1, 2, 2, 0, totals=1 if m == "3月" else 0) for m in ("1月", "2月", "3月")
        ],
        "notices": total_notes(f, "3月", [4]),
        "values": {
            "consumption": {
                "date": ["2020-01-05", "2020-01-15", "2020-02-05", "2020-02-15", "2020-03-05", "2020-03-15"]
            }
        },
    }


@case(
    "18_sheet_named_for_other_ledger", "工作表名叫“会议台账”但内容是培训台账（复制模板后改错名）：名称不符时按表头识别"
)
def _(d: Path):
    f = "区教委_台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "会议台账": [
                TRAIN_H,
                training("乡村教师培训班", audience="专业技术人才"),
                training("致富带头人培训班", audience="致富带头人"),
            ]
        },
    )
    return {
        "sheets": [sheet(f, "会议台账", "trainings", 1, 2, 2, 0)],
        "values": {"trainings": {"audience": ["专业技术人才", "致富带头人"]}},
    }


@case(
    "19_sheet_name_variants",
    "工作表名带空格（“ 资金台账 ”按名称识别）和带年份批次（“2020年资金台账（第二批）”按表头识别）",
)
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    xlsx(d / f, {" 资金台账 ": [FUNDS_H, fund("甲项目")], "2020年资金台账（第二批）": [FUNDS_H, fund("乙项目")]})
    return {
        "sheets": [
            sheet(f, " 资金台账 ", "funds", 1, 1, 1, 0),
            sheet(f, "2020年资金台账（第二批）", "funds", 1, 1, 1, 0),
        ]
    }


# --- headers --------------------------------------------------------------------------------


@case(
    "20_title_and_unit_rows",
    "表头上方有合并的标题行和“单位：元”行：无单位的金额列按元换算；值自带单位的以值为准；"
    "“单位：万元”的表里表头写“金额（元）”的以表头为准；“单位：元”紧贴表头上方也一样",
)
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    h = FUNDS_H[:3] + ["金额"] + FUNDS_H[4:]
    yuan = {
        "rows": [
            ["2020年东西部扶贫协作资金台账"] + [None] * 6,
            ["填报单位：区财政局", None, None, None, None, None, "单位：元"],
            [None] * 7,
            h,
            fund("甲项目", amount=500000),
            fund("乙项目", amount="12万"),
            fund("丙项目", amount="3,400元"),
            fund("丁项目", amount="５００００"),
        ],
        "merge": ["A1:G1"],
    }
    wan = [
        ["2020年东西部扶贫协作资金台账（续）"],
        ["单位：万元"],
        FUNDS_H[:3] + ["金额（元）"] + FUNDS_H[4:],
        fund("戊项目", amount=500000),
    ]
    close = [["单位：元"], h, fund("己项目", amount=250000)]  # the unit row right above the header
    xlsx(d / f, {"资金台账": yuan, "续表": wan, "补充": close})
    return {
        "sheets": [
            sheet(f, "资金台账", "funds", 4, 4, 4, 0),
            sheet(f, "续表", "funds", 3, 1, 1, 0),
            sheet(f, "补充", "funds", 2, 1, 1, 0),
        ],
        "values": {"funds": {"amount_wan": [50.0, 12.0, 0.34, 5.0, 50.0, 25.0]}},
    }


@case(
    "21_merged_header_cells",
    "合并的表头：标题行合并整行，两行表头中“所在地/受益情况/脱贫情况”横向合并在子表头之上，“姓名/身份证号”纵向合并两行",
)
def _(d: Path):
    f = "区民政局_贫困人口受益台账_2020.xlsx"
    rows = [
        ["2020年贫困人口受益台账"] + [None] * 8,
        ["姓名", "身份证号", "所在地", None, None, "受益情况", None, "脱贫情况", None],
        [None, None, "结对地区", "乡镇", "村", "受益途径", "受益日期", "是否脱贫", "脱贫日期"],
        ben("张三", ID_A),
        ben("李四", ID_B, exited="是", exit_date="2020-06-30"),
        ben("王五", ID_C, area="和田县", town="巴格其镇", route="劳务协作"),
    ]
    xlsx(d / f, {"贫困人口受益台账": {"rows": rows, "merge": ["A1:I1", "A2:A3", "B2:B3", "C2:E2", "F2:G2", "H2:I2"]}})
    return {
        "sheets": [sheet(f, "贫困人口受益台账", "beneficiaries", 3, 3, 3, 0)],
        "values": {
            "beneficiaries": {
                "id_number": [ID_A, ID_B, ID_C],
                "township": ["平地泉镇", "平地泉镇", "巴格其镇"],
                "exit_date": [None, "2020-06-30", None],
            }
        },
    }


@case("22_two_row_headers", "两行表头：名称下一行写单位（“（元）”、“元”），以及分组名在上、列名在下")
def _(d: Path):
    f1, f2 = "区商务局_食堂采购台账_2020.xlsx", "区财政局_资金台账_2020.xlsx"
    xlsx(
        d / f1,
        {
            "食堂采购台账": [
                ["单位名称", "单位类型", "季度", "食材采购总额", "其中扶贫产品采购额"],
                [None, None, None, "（元）", "（元）"],
                ["区委食堂", "预算单位食堂", "2020年第一季度", 100000, 35000],
                ["区工会", "工会", "2020Q1", 50000, 10000],
            ]
        },
    )
    xlsx(
        d / f2,
        {
            "资金台账": [
                FUNDS_H[:3] + ["金额"] + FUNDS_H[4:],
                [None, None, None, "元", None, None, None],
                fund("甲项目", amount=80000),
            ],
            "区级资金": {
                "rows": [
                    ["项目名称", "结对地区", "资金来源", "资金情况", None, "是否深度贫困地区", "项目状态"],
                    [None, None, None, "金额（万元）", "拨付日期", None, None],
                    fund("乙项目", amount=8),
                ],
                "merge": ["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2", "G1:G2"],
            },
        },
    )
    return {
        "sheets": [
            sheet(f1, "食堂采购台账", "canteen", 2, 2, 2, 0),
            sheet(f2, "资金台账", "funds", 2, 1, 1, 0),
            sheet(f2, "区级资金", "funds", 2, 1, 1, 0),
        ],
        "values": {
            "canteen": {"food_total_wan": [10.0, 5.0], "poverty_products_wan": [3.5, 1.0]},
            "funds": {"amount_wan": [8.0, 8.0], "project": ["甲项目", "乙项目"]},
        },
    }


@case(
    "23_header_spaces_brackets_breaks",
    "表头里有空格、换行、全角括号和【】：照样匹配；“金额【元】”“金额（单位：元）”按元换算",
)
def _(d: Path):
    f1, f2 = "区教委_培训台账_2020.xlsx", "区财政局_资金台账_2020.xlsx"
    xlsx(
        d / f1,
        {
            "培训台账": [
                [
                    "培训班\n名称",
                    " 开始日期 ",
                    "结束\r\n日期",
                    "地  点",
                    "主办单位",
                    "培训对象",
                    "结对地区",
                    "培训人数（人）",
                    "其中建档立卡\n贫困人口数",
                    "培训后就业人数【人】",
                ],
                training("电商培训班", trainees=40, poor=20, employed=8),
            ]
        },
    )
    xlsx(
        d / f2,
        {
            "资金台账": [
                ["项目名称", "结 对 地 区", "资金来源", "金额【元】", "拨付\n日期", "是否深度\n贫困地区", "项目状态"],
                fund("甲项目", amount=20000),
            ],
            "资金台账二": [
                ["项目名称", "结对地区", "资金来源", "金额（单位：元）", "拨付日期", "是否深度贫困地区", "项目状态"],
                fund("乙项目", amount=30000),
            ],
            "资金台账三": [
                ["项目名称", "结对地区", "资金来源", "金额 (万元)", "拨付日期", "是否深度贫困地区", "项目状态"],
                fund("丙项目", amount=3),
            ],
        },
    )
    return {
        "sheets": [
            sheet(f1, "培训台账", "trainings", 1, 1, 1, 0),
            sheet(f2, "资金台账", "funds", 1, 1, 1, 0),
            sheet(f2, "资金台账二", "funds", 1, 1, 1, 0),
            sheet(f2, "资金台账三", "funds", 1, 1, 1, 0),
        ],
        "values": {
            "trainings": {"trainees": [40], "poor_trainees": [20], "employed_after": [8], "end_date": ["2020-03-07"]},
            "funds": {"amount_wan": [2.0, 3.0, 3.0], "area": ["和田县"] * 3},
        },
    }


@case(
    "24_missing_required_column",
    "缺必填列：每一行都被拒绝，原因写明缺哪几列（贫困人口基数缺“年度”，受益台账缺“身份证号、受益日期”）",
)
def _(d: Path):
    f1, f2 = "区扶贫办_贫困人口基数_2020.xlsx", "区民政局_贫困人口受益台账_2020.xlsx"
    xlsx(
        d / f1,
        {"贫困人口基数": [["结对地区", "年初建档立卡贫困人口数"], ["和田县", 5400], ["224团", 30], ["合计", 5430]]},
    )
    xlsx(
        d / f2,
        {
            "贫困人口受益台账": [
                ["姓名", "结对地区", "乡镇", "村", "受益途径", "是否脱贫", "脱贫日期"],
                ["张三", "察右前旗", "平地泉镇", "一村", "产业合作", "否", None],
            ]
        },
    )
    missing1, missing2 = "工作表缺少必填列：年度", "工作表缺少必填列：身份证号、受益日期"
    return {
        "sheets": [
            sheet(f1, "贫困人口基数", "poor_base", 1, 2, 0, 2, totals=1),
            sheet(f2, "贫困人口受益台账", "beneficiaries", 1, 1, 0, 1),
        ],
        "rejections": [
            rej(f1, "贫困人口基数", 2, "年度", "", missing1),
            rej(f1, "贫困人口基数", 3, "年度", "", missing1),
            rej(f2, "贫困人口受益台账", 2, "身份证号、受益日期", "", missing2),
        ],
        "notices": total_notes(f1, "贫困人口基数", [4])
        + [
            note(f1, "贫困人口基数", "错误", f"{missing1}，该表 2 行均未计入", 1),
            note(f2, "贫困人口受益台账", "错误", f"{missing2}，该表 1 行均未计入", 1),
        ],
    }


@case("25_extra_columns", "多出的列（序号、备注、经办人）：忽略并逐列说明，不是错误；行全部接受")
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "资金台账": [
                ["序号"] + FUNDS_H + ["备注", "经办人"],
                [1] + fund("甲项目") + ["已拨付", "王五"],
                [2] + fund("乙项目") + [None, "王五"],
            ]
        },
    )
    return {
        "sheets": [sheet(f, "资金台账", "funds", 1, 2, 2, 0)],
        "notices": [
            note(f, "资金台账", "提示", f"列“{c}”不属于资金台账，已忽略", 1) for c in ("序号", "备注", "经办人")
        ],
    }


@case("26_columns_reordered", "列的顺序与模板不同（资金台账倒序，就业人员打乱）：按表头对应")
def _(d: Path):
    f1, f2 = "区财政局_资金台账_2020.xlsx", "区人社局_就业人员_2020.xlsx"
    xlsx(
        d / f1,
        {"资金台账": [FUNDS_H[::-1], fund("甲项目", amount=7)[::-1], fund("乙项目", amount=8, area="224团")[::-1]]},
    )
    order = [7, 6, 0, 2, 4, 1, 3, 5]
    xlsx(d / f2, {"就业人员": [[EMP_H[i] for i in order], [emp("张三", ID_A, "京东物流")[i] for i in order]]})
    return {
        "sheets": [sheet(f2, "就业人员", "employed", 1, 1, 1, 0), sheet(f1, "资金台账", "funds", 1, 2, 2, 0)],
        "values": {
            "funds": {"amount_wan": [7.0, 8.0], "area": ["和田县", "224团"], "project": ["甲项目", "乙项目"]},
            "employed": {"id_number": [ID_A], "employer": ["京东物流"], "place": ["在京"]},
        },
    }


@case("27_duplicate_header_column", "同一列出现两次（“金额（万元）”和“金额”）：只读第一列，并说明")
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    xlsx(d / f, {"资金台账": [FUNDS_H + ["金额"], fund("甲项目", amount=5) + [50000]]})
    return {
        "sheets": [sheet(f, "资金台账", "funds", 1, 1, 1, 0)],
        "notices": [note(f, "资金台账", "提示", "列“金额”重复出现，只读取第一列", 1)],
        "values": {"funds": {"amount_wan": [5.0]}},
    }


# --- rows -----------------------------------------------------------------------------------


@case("28_total_rows", "小计、合计、总计行（含“合 计”、“总计：”、合并单元格里的“合计”）：排除、逐行说明、不计入")
def _(d: Path):
    f = "区商务局_消费扶贫台账_2020.xlsx"
    rows = [
        CONS_H,
        cons("2020-03-05", "区委食堂", "核桃", 2, area="和田县"),
        cons("2020-03-06", "区政府食堂", "红枣", 3, area="和田县"),
        ["小计", None, None, None, None, None, None, 5],
        cons("2020-03-07", "区委食堂", "小米", 1),
        cons("2020-03-08", "区政府食堂", "燕麦", 4),
        ["小 计", None, None, None, None, None, None, 5],
        ["合    计", None, None, None, None, None, None, 10],
        [None, "总计：", None, None, None, None, None, 10],
    ]
    xlsx(d / f, {"消费扶贫台账": {"rows": rows, "merge": ["A8:D8"]}})
    return {
        "sheets": [sheet(f, "消费扶贫台账", "consumption", 1, 4, 4, 0, totals=4)],
        "notices": total_notes(f, "消费扶贫台账", [4, 7, 8, 9]),
        "values": {"consumption": {"amount_wan": [2.0, 3.0, 1.0, 4.0]}},
    }


@case("29_blank_rows_middle", "表格中间和末尾的空行（含只有空格的行）：跳过，行号仍是Excel行号")
def _(d: Path):
    f = "区民政局_社会帮扶台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "捐赠": [
                DON_H,
                ["2020-03-05", "甲公司", "资金", 5, "和田县"],
                [None] * 5,
                [" ", None, "  ", None, None],
                ["2020-03-06", "乙公司", "物资", 2, "察右前旗"],
                [None] * 5,
                ["2020-03-07", "丙基金会", "资金", 1, "224团"],
                [None] * 5,
                [None] * 5,
            ]
        },
    )
    return {
        "sheets": [sheet(f, "捐赠", "donations", 1, 3, 3, 0)],
        "values": {"donations": {"donor": ["甲公司", "乙公司", "丙基金会"]}},
    }


@case("30_merged_cells_down", "向下合并的单元格（日期、结对地区、带队领导合并三行）：值属于合并区域的每一行")
def _(d: Path):
    f = "区委办_调研对接台账_2020.xlsx"
    rows = [
        VISIT_H,
        ["2020-04-01", "察右前旗", "王书记", "区委书记", "是", 12, 3, 2, 4, 10],
        [None, None, None, "区委书记", "是", 12, 3, 1, 2, 6],
        [None, None, None, "区委书记", "是", 12, 3, 0, 1, 3],
        ["2020-05-01", "和田县", "李区长", "区长", "是", 10, 2, 3, 3, 8],
    ]
    xlsx(d / f, {"调研对接台账": {"rows": rows, "merge": ["A2:A4", "B2:B4", "C2:C4"]}})
    return {
        "sheets": [sheet(f, "调研对接台账", "visits", 1, 4, 4, 0)],
        "values": {
            "visits": {
                "date": ["2020-04-01"] * 3 + ["2020-05-01"],
                "area": ["察右前旗"] * 3 + ["和田县"],
                "leader": ["王书记"] * 3 + ["李区长"],
                "households_visited": [10, 6, 3, 8],
            }
        },
    }


@case(
    "31_notes_below_table",
    "表格下方的说明行（注：、说明：、填表人/审核人/联系电话写在几个单元格、填报日期）：跳过并说明；"
    "不以这些词开头的一句话（“数据截至…”）当作数据行，因缺必填项被拒绝",
)
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "资金台账": [
                FUNDS_H,
                fund("甲项目"),
                fund("乙项目"),
                fund("丙项目"),
                [None] * 7,
                ["注：1.金额单位为万元；2.拨付日期以银行回单为准"],
                ["说明：本表由区财政局填报"],
                ["填表人：张三", None, "审核人：李四", None, "联系电话：13812345678"],
                ["填报日期：2020年7月1日"],
                ["数据截至2020年6月30日"],
            ]
        },
    )
    miss = "必填项“{}”为空"
    return {
        "sheets": [sheet(f, "资金台账", "funds", 1, 4, 3, 1, notes=4)],
        "rejections": [
            rej(f, "资金台账", 10, c, "", miss.format(c)) for c in ("结对地区", "资金来源", "金额（万元）", "拨付日期")
        ],
        "notices": [
            note(f, "资金台账", "提示", "表格说明行（“注：1.金额单位为万元；2.拨付日期", 6),
            note(f, "资金台账", "提示", "表格说明行（“说明：本表由区财政局填报”）", 7),
            note(f, "资金台账", "提示", "表格说明行（“填表人：张三”）", 8),
            note(f, "资金台账", "提示", "表格说明行（“填报日期：2020年7月1日”）", 9),
        ],
    }


@case(
    "32_same_person_two_departments",
    "同一挂职干部、同一就业人员被两个部门分别报送（身份证号写法不同）：两行都保留、按一人计，并提示",
)
def _(d: Path):
    f1, f2 = "区教委_挂职干部台账_2020.xlsx", "区卫健委_挂职干部台账_2020.xlsx"
    f3, f4 = "区人社局_就业人员_2020.xlsx", "区农业农村局_就业人员_2020.xlsx"
    xlsx(d / f1, {"挂职干部台账": [CADRE_H, cadre("张三", ID_X, unit="区教委", post="副县长")]})
    xlsx(d / f2, {"挂职干部台账": [CADRE_H, cadre("张三", ID_X.lower(), unit="区卫健委", post="卫健委副主任")]})
    xlsx(d / f3, {"就业人员": [EMP_H, emp("李四", ID_B, "京东物流")]})
    xlsx(d / f4, {"就业人员": [EMP_H, emp("李四", ID_B[:6] + " " + ID_B[6:], "首农食品")]})
    return {
        "sheets": [
            sheet(f4, "就业人员", "employed", 1, 1, 1, 0),
            sheet(f3, "就业人员", "employed", 1, 1, 1, 0),
            sheet(f2, "挂职干部台账", "cadres", 1, 1, 1, 0),
            sheet(f1, "挂职干部台账", "cadres", 1, 1, 1, 0),
        ],
        "notices": [
            note(
                f"{f2}、{f1}",
                None,
                "提示",
                f"同一人员（张*，身份证号 {mask_id(ID_X)}）在多个部门的挂职干部台账中都有记录，按一人计",
            ),
            note(
                f"{f3}、{f4}",
                None,
                "提示",
                f"同一人员（李*，身份证号 {mask_id(ID_B)}）在多个部门的就业人员中都有记录，按一人计",
            ),
        ],
        "values": {
            "cadres": {"id_number": [ID_X, ID_X], "host_post": ["卫健委副主任", "副县长"]},
            "employed": {"id_number": [ID_B, ID_B]},
        },
    }


@case(
    "33_exact_duplicate_rows",
    "完全相同的行：同表内重复一行，另一部门又报了同一行（地区、日期、身份证号写法不同但清洗后相同）：只计一次，重复行被拒绝并指明原行",
)
def _(d: Path):
    f1, f2 = "区民政局_贫困人口受益台账_2020.xlsx", "区农业农村局_贫困人口受益台账_2020.xlsx"
    row = ben("张三", ID_X, route="产业合作", date="2020-03-05")
    xlsx(d / f1, {"贫困人口受益台账": [BEN_H, row, row, ben("张三", ID_X, route="消费扶贫", date="2020-03-05")]})
    xlsx(
        d / f2,
        {
            "贫困人口受益台账": [
                BEN_H,
                ben("张三", ID_X.lower(), area="察哈尔右翼前旗", route="产业合作", date="2020/3/5"),
            ]
        },
    )
    s = "贫困人口受益台账"
    return {
        "sheets": [sheet(f2, s, "beneficiaries", 1, 1, 1, 0), sheet(f1, s, "beneficiaries", 1, 3, 1, 2)],
        "rejections": [
            rej(f1, s, 3, "（整行）", "", f"与 {f1} / {s} / 第2行完全相同（重复行），只计一次"),
            rej(f1, s, 2, "（整行）", "", f"与 {f2} / {s} / 第2行完全相同（重复行），只计一次"),
        ],
        "values": {"beneficiaries": {"route": ["产业合作", "消费扶贫"], "_file": [f2, f1]}},
    }


# --- values ---------------------------------------------------------------------------------


@case(
    "34_amount_units_in_values",
    "金额列（万元）中的各种写法：12万、12万元、3,400元、1,234.5、全角、前后空格、0.5万、“3400 元”",
)
def _(d: Path):
    f = "区商务局_消费扶贫台账_2020.xlsx"
    amounts = [12, "12万", "12万元", "3,400元", "1,234.5", "１２３４", " 5 ", "0.5万", "3400 元", 1234.56789]
    xlsx(
        d / f,
        {"消费扶贫台账": [CONS_H] + [cons("2020-03-05", "区委食堂", f"产品{i}", a) for i, a in enumerate(amounts)]},
    )
    return {
        "sheets": [sheet(f, "消费扶贫台账", "consumption", 1, 10, 10, 0)],
        "values": {"consumption": {"amount_wan": [12.0, 12.0, 12.0, 0.34, 1234.5, 1234.0, 5.0, 0.5, 0.34, 1234.56789]}},
    }


@case("35_amount_yuan_column", "表头写“金额或折款（元）”：数值按元换算为万元，值自带“万元”的以值为准")
def _(d: Path):
    f = "区民政局_社会帮扶台账_2020.xlsx"
    xlsx(
        d / f,
        {
            "捐赠": [
                ["日期", "捐赠方", "类型", "金额或折款（元）", "结对地区"],
                ["2020-03-05", "甲公司", "资金", 500000, "和田县"],
                ["2020-03-06", "乙公司", "资金", "12万元", "和田县"],
                ["2020-03-07", "丙公司", "物资", "3400", "和田县"],
                ["2020-03-08", "丁公司", "物资", 2500.5, "和田县"],
            ]
        },
    )
    return {
        "sheets": [sheet(f, "捐赠", "donations", 1, 4, 4, 0)],
        "values": {"donations": {"amount_wan": [50.0, 12.0, 0.34, 0.25005]}},
    }


@case("36_fullwidth_digits", "全角数字：人数、日期、金额、身份证号（含全角Ｘ）都按半角读取")
def _(d: Path):
    f1, f2 = "区人社局_培训台账_2020.xlsx", "区人社局_就业人员_2020.xlsx"
    xlsx(
        d / f1,
        {
            "培训台账": [
                TRAIN_H,
                training(
                    "家政培训班",
                    start="２０２０－０３－０５",
                    end="２０２０年３月７日",
                    trainees="１２",
                    poor="３",
                    employed="０",
                ),
            ]
        },
    )
    xlsx(d / f2, {"就业人员": [EMP_H, emp("张三", fullwidth(ID_X), "京东物流", date="２０２０／４／１")]})
    return {
        "sheets": [sheet(f2, "就业人员", "employed", 1, 1, 1, 0), sheet(f1, "培训台账", "trainings", 1, 1, 1, 0)],
        "values": {
            "trainings": {
                "trainees": [12],
                "poor_trainees": [3],
                "employed_after": [0],
                "start_date": ["2020-03-05"],
                "end_date": ["2020-03-07"],
            },
            "employed": {"id_number": [ID_X], "employed_date": ["2020-04-01"]},
        },
    }


@case("37_chinese_numeral_counts", "人数用汉字或带单位写：十二、一百零五、两百、二十、12人、30人次")
def _(d: Path):
    f = "区人社局_培训台账_2020.xlsx"
    counts = [("十二", "三"), ("一百零五", "十"), ("两百", "零"), ("12人", "2人"), ("30人次", "十五"), ("二十", 0)]
    xlsx(
        d / f, {"培训台账": [TRAIN_H] + [training(f"培训班{i}", trainees=t, poor=p) for i, (t, p) in enumerate(counts)]}
    )
    return {
        "sheets": [sheet(f, "培训台账", "trainings", 1, 6, 6, 0)],
        "values": {"trainings": {"trainees": [12, 105, 200, 12, 30, 20], "poor_trainees": [3, 10, 0, 2, 15, 0]}},
    }


@case(
    "38_text_in_numeric_cells",
    "数值格里写文字：约12人、若干、12.5、12-15、21位的数字（过大）、金额“待定”“12万多”：拒绝并写明原因",
)
def _(d: Path):
    f1, f2 = "区人社局_培训台账_2020.xlsx", "区财政局_资金台账_2020.xlsx"
    bad = ["约12人", "若干", "12.5", "12-15", "100000000000000000000"]
    xlsx(
        d / f1,
        {
            "培训台账": [TRAIN_H]
            + [training(f"培训班{i}", trainees=t) for i, t in enumerate(bad)]
            + [training("培训班5", trainees=20)]
        },
    )
    xlsx(
        d / f2,
        {
            "资金台账": [
                FUNDS_H,
                fund("甲项目", amount="待定"),
                fund("乙项目", amount="12万多"),
                fund("丙项目", amount=3),
            ]
        },
    )
    s1, s2 = "培训台账", "资金台账"
    return {
        "sheets": [sheet(f1, s1, "trainings", 1, 6, 1, 5), sheet(f2, s2, "funds", 1, 3, 1, 2)],
        "rejections": [
            rej(f1, s1, 2, "培训人数", "约12人", "人数/个数“约12人”无法识别为整数"),
            rej(f1, s1, 3, "培训人数", "若干", "人数/个数“若干”无法识别为整数"),
            rej(f1, s1, 4, "培训人数", "12.5", "人数/个数“12.5”不是整数"),
            rej(f1, s1, 5, "培训人数", "12-15", "人数/个数“12-15”无法识别为整数"),
            rej(f1, s1, 6, "培训人数", "100000000000000000000", "过大，不是合理的数值"),
            rej(f2, s2, 2, "金额（万元）", "待定", "金额“待定”无法识别为数字"),
            rej(f2, s2, 3, "金额（万元）", "12万多", "金额“12万多”无法识别为数字"),
        ],
        "values": {"trainings": {"trainees": [20]}, "funds": {"amount_wan": [3.0]}},
    }


@case("39_negative_values", "负数：金额 -100、“-3,400元”，人数 -5：拒绝（--strict 时退出码非零）")
def _(d: Path):
    f1, f2 = "区财政局_资金台账_2020.xlsx", "区人社局_培训台账_2020.xlsx"
    xlsx(
        d / f1,
        {
            "资金台账": [
                FUNDS_H,
                fund("甲项目", amount=-100),
                fund("乙项目", amount="-3,400元"),
                fund("丙项目", amount=0),
            ]
        },
    )
    xlsx(d / f2, {"培训台账": [TRAIN_H, training("培训班", trainees=-5)]})
    return {
        "sheets": [sheet(f2, "培训台账", "trainings", 1, 1, 0, 1), sheet(f1, "资金台账", "funds", 1, 3, 1, 2)],
        "rejections": [
            rej(f1, "资金台账", 2, "金额（万元）", "-100", "金额为负数（-100）"),
            rej(f1, "资金台账", 3, "金额（万元）", "-3,400元", "金额为负数（-3,400元）"),
            rej(f2, "培训台账", 2, "培训人数", "-5", "人数/个数为负数（-5）"),
        ],
        "values": {"funds": {"amount_wan": [0.0]}},
    }


@case(
    "40_dates_accepted_forms",
    "日期的各种写法：2020-03-05、2020/3/5、2020年3月5日、2020.3.5、Excel序列号43895、日期单元格、"
    "20200305、带时间、全角：都读成 2020-03-05",
)
def _(d: Path):
    f = "区委办_会议台账_2020.xlsx"
    dates = [
        "2020-03-05",
        "2020/3/5",
        "2020年3月5日",
        "2020.3.5",
        43895,
        dt.date(2020, 3, 5),
        dt.datetime(2020, 3, 5, 14, 30),
        "20200305",
        "2020-03-05 14:30:00",
        "２０２０－０３－０５",
        " 2020 年 3 月 5 日 ",
    ]
    xlsx(
        d / f,
        {"会议台账": [MEET_H] + [[v, f"调度会{i}", "主管部门调度会", "否", None, None] for i, v in enumerate(dates)]},
    )
    return {
        "sheets": [sheet(f, "会议台账", "meetings", 1, 11, 11, 0)],
        "values": {"meetings": {"date": ["2020-03-05"] * 11}},
    }


@case(
    "41_dates_month_only",
    "只写到月或写法无法识别的日期（2020年3月、2020-03、3月5日、2020年3月上旬）：拒绝，原因写明缺少日",
)
def _(d: Path):
    f, s = "区委办_会议台账_2020.xlsx", "会议台账"
    dates = ["2020年3月", "2020-03", "3月5日", "2020年3月上旬", "2020年3月5日"]
    xlsx(d / f, {s: [MEET_H] + [[v, f"调度会{i}", "主管部门调度会", "否", None, None] for i, v in enumerate(dates)]})
    return {
        "sheets": [sheet(f, s, "meetings", 1, 5, 1, 4)],
        "rejections": [
            rej(f, s, 2, "日期", "2020年3月", "日期“2020年3月”缺少日，请填写到具体日期"),
            rej(f, s, 3, "日期", "2020-03", "日期“2020-03”无法识别"),
            rej(f, s, 4, "日期", "3月5日", "日期“3月5日”无法识别"),
            rej(f, s, 5, "日期", "2020年3月上旬", "日期“2020年3月上旬”无法识别"),
        ],
    }


@case(
    "42_impossible_dates",
    "不存在或不合理的日期：2020-02-30、2020年13月1日、1999-01-01、序列号99999、2035年的日期单元格；2020-02-29 合法",
)
def _(d: Path):
    f, s = "区委办_会议台账_2020.xlsx", "会议台账"
    dates = ["2020-02-30", "2020年13月1日", "1999-01-01", 99999, dt.datetime(2035, 1, 1), "2020-02-29"]
    xlsx(d / f, {s: [MEET_H] + [[v, f"调度会{i}", "主管部门调度会", "否", None, None] for i, v in enumerate(dates)]})
    return {
        "sheets": [sheet(f, s, "meetings", 1, 6, 1, 5)],
        "rejections": [
            rej(f, s, 2, "日期", "2020-02-30", "日期“2020-02-30”不存在"),
            rej(f, s, 3, "日期", "2020年13月1日", "日期“2020年13月1日”不存在"),
            rej(f, s, 4, "日期", "1999-01-01", "日期“1999-01-01”超出合理范围"),
            rej(f, s, 5, "日期", "99999", "日期“99999”无法识别"),
            rej(f, s, 6, "日期", "2035-01-01", "日期“2035-01-01”超出合理范围"),
        ],
        "values": {"meetings": {"date": ["2020-02-29"]}},
    }


@case(
    "43_end_before_start",
    "结束早于开始：挂职干部、培训班的结束日期早于开始日期；受益台账脱贫日期早于受益日期、已脱贫未填脱贫日期",
)
def _(d: Path):
    f1, f2, f3 = (
        "区委组织部_挂职干部台账_2020.xlsx",
        "区人社局_培训台账_2020.xlsx",
        "区民政局_贫困人口受益台账_2020.xlsx",
    )
    xlsx(
        d / f1,
        {
            "挂职干部台账": [
                CADRE_H,
                cadre("张三", ID_A, start="2020-03-01", end="2020-01-01"),
                cadre("李四", ID_B, start="2020-03-01", end=None),
            ]
        },
    )
    xlsx(d / f2, {"培训台账": [TRAIN_H, training("甲班", start="2020-03-07", end="2020-03-05")]})
    xlsx(
        d / f3,
        {
            "贫困人口受益台账": [
                BEN_H,
                ben("王五", ID_C, exited="是", exit_date="2020-01-01", date="2020-03-05"),
                ben("赵六", ID_D, exited="是", exit_date=None),
            ]
        },
    )
    return {
        "sheets": [
            sheet(f2, "培训台账", "trainings", 1, 1, 0, 1),
            sheet(f1, "挂职干部台账", "cadres", 1, 2, 1, 1),
            sheet(f3, "贫困人口受益台账", "beneficiaries", 1, 2, 0, 2),
        ],
        "rejections": [
            rej(f1, "挂职干部台账", 2, "结束日期", "2020-01-01", "结束日期早于开始日期"),
            rej(f2, "培训台账", 2, "结束日期", "2020-03-05", "结束日期早于开始日期"),
            rej(f3, "贫困人口受益台账", 2, "脱贫日期", "2020-01-01", "脱贫日期早于受益日期"),
            rej(f3, "贫困人口受益台账", 3, "是否脱贫", "是", "已脱贫（是否脱贫=是）但未填脱贫日期"),
        ],
    }


@case(
    "44_id_stored_as_number", "身份证号被存成数字（1.5e17，已丢失精度）或科学计数法文本：拒绝并写明原因，显示的值已脱敏"
)
def _(d: Path):
    f, s = "区民政局_贫困人口受益台账_2020.xlsx", "贫困人口受益台账"
    xlsx(d / f, {s: [BEN_H, ben("张三", float(ID_A)), ben("李四", "1.50926E+17"), ben("王五", ID_C)]})
    return {
        "sheets": [sheet(f, s, "beneficiaries", 1, 3, 1, 2)],
        "rejections": [
            rej(f, s, 2, "身份证号", "*" * 15 + "E+17", "身份证号被存成了数字，已丢失精度"),
            rej(f, s, 3, "身份证号", "*******E+17", "身份证号被存成了科学计数法数字，已丢失精度"),
        ],
        "values": {"beneficiaries": {"id_number": [ID_C]}},
    }


@case("45_id_spellings", "同一身份证号的各种写法：小写x、中间有空格、前后空格、全角：都读成同一号码，按一人计")
def _(d: Path):
    f = "区人社局_就业人员_2020.xlsx"
    spellings = [ID_X, ID_X.lower(), f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:]}", f"  {ID_X}\t", fullwidth(ID_X.lower())]
    xlsx(d / f, {"就业人员": [EMP_H] + [emp("张三", v, f"单位{i}") for i, v in enumerate(spellings)]})
    return {"sheets": [sheet(f, "就业人员", "employed", 1, 5, 5, 0)], "values": {"employed": {"id_number": [ID_X] * 5}}}


@case(
    "46_id_invalid",
    "无效身份证号：校验位错、17位、19位、出生日期不存在、出生在未来、含字母：拒绝并写明原因（脱敏显示）；"
    "旧行政区划代码 152630 的号码有效",
)
def _(d: Path):
    f, s = "区民政局_贫困人口受益台账_2020.xlsx", "贫困人口受益台账"
    wrong_check = ID_A[:17] + ("0" if ID_A[17] != "0" else "1")
    bad_month = "150926" + "19801332" + "0017"
    future = vid("15092620990101001")
    ids = [wrong_check, ID_A[:17], ID_A + "1", bad_month, future, "15092619800101001A", ID_OLD]
    xlsx(d / f, {s: [BEN_H] + [ben(f"人员{i}", v) for i, v in enumerate(ids)]})
    return {
        "sheets": [sheet(f, s, "beneficiaries", 1, 7, 1, 6)],
        "rejections": [
            rej(f, s, 2, "身份证号", mask_id(wrong_check), "身份证号校验位错误"),
            rej(f, s, 3, "身份证号", "*" * 13 + ID_A[13:17], "身份证号应为18位，实际17位"),
            rej(f, s, 4, "身份证号", "*" * 15 + (ID_A + "1")[15:], "身份证号应为18位，实际19位"),
            rej(f, s, 5, "身份证号", mask_id(bad_month), "身份证号中的出生日期不存在"),
            rej(f, s, 6, "身份证号", mask_id(future), "身份证号中的出生日期不合理"),
            rej(f, s, 7, "身份证号", "150926********001A", "身份证号含有非法字符"),
        ],
        "values": {"beneficiaries": {"id_number": [ID_OLD]}},
    }


@case(
    "47_unknown_area_township",
    "未知的结对地区（某某县、察右后旗、北京市大兴区）和乡镇（不存在乡）、乡镇与地区不符：拒绝，不新增地区",
)
def _(d: Path):
    f1, f2 = "区民政局_贫困人口受益台账_2020.xlsx", "区财政局_资金台账_2020.xlsx"
    s1, s2 = "贫困人口受益台账", "资金台账"
    xlsx(
        d / f1,
        {
            s1: [
                BEN_H,
                ben("张三", ID_A, area="某某县"),
                ben("李四", ID_B, area="察右后旗"),
                ben("王五", ID_C, town="不存在乡"),
                ben("赵六", ID_D, area="和田县", town="平地泉镇"),
                ben("孙七", ID_X, area="和田县", town="巴格其镇"),
            ]
        },
    )
    xlsx(d / f2, {s2: [FUNDS_H, fund("甲项目", area="北京市大兴区")]})
    return {
        "sheets": [sheet(f1, s1, "beneficiaries", 1, 5, 1, 4), sheet(f2, s2, "funds", 1, 1, 0, 1)],
        "rejections": [
            rej(f1, s1, 2, "结对地区", "某某县", "未知的结对地区“某某县”"),
            rej(f1, s1, 3, "结对地区", "察右后旗", "未知的结对地区“察右后旗”"),
            rej(f1, s1, 4, "乡镇", "不存在乡", "未知的乡镇“不存在乡”"),
            rej(f1, s1, 5, "乡镇", "平地泉镇", "乡镇“平地泉镇”属于察右前旗，与结对地区“和田县”不符"),
            rej(f2, s2, 2, "结对地区", "北京市大兴区", "未知的结对地区“北京市大兴区”"),
        ],
        "values": {"beneficiaries": {"township": ["巴格其镇"]}},
    }


@case("48_area_aliases", "结对地区的各种写法（全称、简称、带盟市、兵团写法、前后空格）：都归到规范名称")
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    written = [
        "察哈尔右翼前旗",
        "乌兰察布市察右前旗",
        "乌兰察布市察哈尔右翼前旗",
        " 察右前旗 ",
        "锡林郭勒盟正镶白旗",
        "苏右旗",
        "锡林郭勒盟苏尼特右旗",
        "新疆和田地区和田县",
        "和田地区和田县",
        "第十四师224团",
        "新疆生产建设兵团第十四师224团",
        "二二四团",
    ]
    canonical = ["察右前旗"] * 4 + [
        "正镶白旗",
        "苏尼特右旗",
        "苏尼特右旗",
        "和田县",
        "和田县",
        "224团",
        "224团",
        "224团",
    ]
    xlsx(d / f, {"资金台账": [FUNDS_H] + [fund(f"项目{i}", area=a) for i, a in enumerate(written)]})
    return {"sheets": [sheet(f, "资金台账", "funds", 1, 12, 12, 0)], "values": {"funds": {"area": canonical}}}


@case(
    "49_source_misspellings",
    "结对任务清单原文的错字（伊克淖苏木、乌日根塔镇、阿瓦提乡）：读取、改成正式名称，并以“更正”说明",
)
def _(d: Path):
    f1, f2 = "区教委_结对帮扶台账_2020.xlsx", "区民政局_贫困人口受益台账_2020.xlsx"
    xlsx(
        d / f1,
        {
            "结对帮扶台账": [
                PAIR_H,
                ["礼贤镇", "镇街", "伊克淖苏木", "乡镇", "正镶白旗", "伊克淖苏木", "否", "2020-03-05", "是"],
                ["榆垡镇", "镇街", "乌日根塔镇", "乡镇", "苏尼特右旗", "乌日根塔镇", "否", "2020-03-06", "是"],
                ["安定镇", "镇街", "阿瓦提乡", "乡镇", "和田县", "阿瓦提乡", "否", "2020-03-07", "是"],
                ["魏善庄镇", "镇街", "明安图镇", "乡镇", "正镶白旗", "明安图镇", "否", "2020-03-08", "否"],
            ]
        },
    )
    xlsx(
        d / f2,
        {
            "贫困人口受益台账": [
                BEN_H,
                ben("张三", ID_A, area="正镶白旗", town="伊克淖苏木"),
                ben("李四", ID_B, area="正镶白旗", town="伊克淖苏木"),
            ]
        },
    )
    return {
        "sheets": [
            sheet(f1, "结对帮扶台账", "pairings", 1, 4, 4, 0),
            sheet(f2, "贫困人口受益台账", "beneficiaries", 1, 2, 2, 0),
        ],
        "notices": [
            note(f1, "结对帮扶台账", "更正", "误作“伊克淖苏木”，按“伊和淖尔苏木”读取（1行）"),
            note(f1, "结对帮扶台账", "更正", "误作“乌日根塔镇”，按“乌日根塔拉镇”读取（1行）"),
            note(f1, "结对帮扶台账", "更正", "和田县无“阿瓦提乡”，结对任务清单原文所指应为“伊斯拉木阿瓦提乡”（1行）"),
            note(f2, "贫困人口受益台账", "更正", "误作“伊克淖苏木”，按“伊和淖尔苏木”读取（2行）"),
        ],
        "values": {
            "pairings": {
                "township": ["伊和淖尔苏木", "乌日根塔拉镇", "伊斯拉木阿瓦提乡", "明安图镇"],
                "partner_unit": ["伊克淖苏木", "乌日根塔镇", "阿瓦提乡", "明安图镇"],
            },
            "beneficiaries": {"township": ["伊和淖尔苏木", "伊和淖尔苏木"]},
        },
    }


@case("50_credit_codes", "统一社会信用代码：有效、小写、中间有空格都接受；校验位错、15位旧注册号、含字母O：拒绝")
def _(d: Path):
    f, s = "区发改委_企业投资台账_2020.xlsx", "企业投资台账"
    wrong = CC_A[:17] + ("0" if CC_A[17] != "0" else "1")
    codes = [CC_A, CC_B.lower(), f"{CC_A[:8]} {CC_A[8:]}", wrong, "110115000123456", "91110115MO01ABCD1X"]

    def ent(i, code):
        return [
            f"企业{i}",
            code,
            "项目",
            "养殖",
            "察右前旗",
            "平地泉镇",
            "是",
            "在建",
            100,
            50 + i,
            1,
            1,
            0,
            "2020-03-05",
        ]

    xlsx(d / f, {s: [ENT_H] + [ent(i, c) for i, c in enumerate(codes)]})
    return {
        "sheets": [sheet(f, s, "enterprises", 1, 6, 3, 3)],
        "rejections": [
            rej(f, s, 5, "统一社会信用代码", wrong, "统一社会信用代码校验位错误"),
            rej(f, s, 6, "统一社会信用代码", "110115000123456", "统一社会信用代码应为18位，实际15位"),
            rej(f, s, 7, "统一社会信用代码", "91110115MO01ABCD1X", "统一社会信用代码含有非法字符"),
        ],
        "values": {"enterprises": {"credit_code": [CC_A, CC_B, CC_A]}},
    }


@case(
    "51_yesno_and_choices", "是/否列写成 √ × Y N 是 否（带空格）；选项带空格（“区委 常委会”）也接受；“有”“党组会”拒绝"
)
def _(d: Path):
    f, s = "区委办_会议台账_2020.xlsx", "会议台账"
    rows = [
        ("√", "区委常委会"),
        ("×", "区政府常务会"),
        ("Y", "全区大会"),
        ("N", "主管领导推进会"),
        (" 是 ", "区委 常委会"),
        ("否", "主管部门调度会"),
        ("有", "其他"),
        ("是", "党组会"),
    ]
    xlsx(
        d / f, {s: [MEET_H] + [[f"2020-03-{i + 1:02d}", f"会议{i}", k, v, None, None] for i, (v, k) in enumerate(rows)]}
    )
    return {
        "sheets": [sheet(f, s, "meetings", 1, 8, 6, 2)],
        "rejections": [
            rej(f, s, 8, "是否研究八到位", "有", "“有”应填“是”或“否”"),
            rej(f, s, 9, "会议类型", "党组会", "“党组会”不是可选值"),
        ],
        "values": {
            "meetings": {
                "bdw": [True, False, True, False, True, False],
                "kind": ["区委常委会", "区政府常务会", "全区大会", "主管领导推进会", "区委常委会", "主管部门调度会"],
            }
        },
    }


@case(
    "52_prefilled_sequence_rows",
    "模板里预先编好序号、只填了前两行：只有序号的行不是空行，照规则读入并因缺必填项被拒绝（不悄悄丢弃）",
)
def _(d: Path):
    f, s = "区财政局_资金台账_2020.xlsx", "资金台账"
    xlsx(
        d / f, {s: [["序号"] + FUNDS_H, [1] + fund("甲项目"), [2] + fund("乙项目"), [3] + [None] * 7, [4] + [None] * 7]}
    )
    miss = [
        ("项目名称", "必填项“项目名称”为空"),
        ("结对地区", "必填项“结对地区”为空"),
        ("资金来源", "必填项“资金来源”为空"),
        ("金额（万元）", "必填项“金额（万元）”为空"),
        ("拨付日期", "必填项“拨付日期”为空"),
    ]
    return {
        "sheets": [sheet(f, s, "funds", 1, 4, 2, 2)],
        "rejections": [rej(f, s, r, c, "", why) for r in (4, 5) for c, why in miss],
        "notices": [note(f, s, "提示", "列“序号”不属于资金台账，已忽略", 1)],
    }


@case("53_subfolders", "按部门分子文件夹报送（区教委/、区卫健委/2020/）：都读取，文件名带相对路径")
def _(d: Path):
    f1, f2 = "区卫健委/2020/资金台账.xlsx", "区教委/资金台账.xlsx"
    xlsx(d / f1, {"资金台账": [FUNDS_H, fund("医疗帮扶", area="某某县")]})
    xlsx(d / f2, {"资金台账": [FUNDS_H, fund("教育帮扶")]})
    return {
        "sheets": [sheet(f1, "资金台账", "funds", 1, 1, 0, 1), sheet(f2, "资金台账", "funds", 1, 1, 1, 0)],
        "rejections": [rej(f1, "资金台账", 2, "结对地区", "某某县", "未知的结对地区“某某县”")],
    }


@case("54_header_only", "只有表头没有数据的台账，以及只有表头和合计行的台账：读0行，不报错")
def _(d: Path):
    f = "区人社局_台账_2020.xlsx"
    xlsx(d / f, {"资金台账": [FUNDS_H], "培训台账": [TRAIN_H, ["合计", None, None, None, None, None, None, 0, 0, 0]]})
    return {
        "sheets": [sheet(f, "资金台账", "funds", 1, 0, 0, 0), sheet(f, "培训台账", "trainings", 1, 0, 0, 0, totals=1)],
        "notices": total_notes(f, "培训台账", [2]),
    }


@case("55_csv_ragged_rows", "CSV 行长短不一（标题行、末尾多一个逗号的行、说明行）：按最长一行补齐后读取，不报错")
def _(d: Path):
    f = "区人社局_岗位推送.csv"
    csv_file(
        d / f,
        [
            ["2020年岗位推送台账"],
            ["单位：个"],
            POST_H,
            ["2020-03-01", "和田县", "500", ""],
            ["2020-04-01", "224团", "80"],
            ["说明：岗位数以推送通知为准"],
        ],
        "utf-8",
    )
    return {
        "sheets": [sheet(f, "区人社局_岗位推送", "job_postings", 3, 2, 2, 0, notes=1)],
        "notices": [note(f, "区人社局_岗位推送", "提示", "表格说明行（“说明：岗位数以推送通知为准”）", 6)],
        "values": {"job_postings": {"jobs": [500, 80]}},
    }


# --- issue 18: files that must cost only themselves -------------------------------------------

FAR = "XFD1048576"  # the last cell of a sheet


def _stray_cell(path: Path, sheet_name: str) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet_name][FAR] = "x"
    wb.save(path)
    _freeze_zip(path)


@case(
    "56_stray_cell_far_away",
    "一个单元格误填在 XFD1048576：该工作表（按使用范围需要170多亿个单元格）说明后不读取，"
    "同一工作簿的其他工作表照读；没有使用范围记录的同样文件由读取进程的内存上限拦下，只有该文件未读取",
)
def _(d: Path):
    a, b, c = "区教委_资金台账_2020.xlsx", "区卫健委_资金台账_2020.xlsx", "区民政局_资金台账_2020.xlsx"
    xlsx(d / a, {"资金台账": [FUNDS_H, fund("教育帮扶", amount=20)]})
    _stray_cell(d / a, "资金台账")
    xlsx(d / b, {"资金台账": [FUNDS_H, fund("医疗帮扶", amount=5)], "Sheet2": [[None]]})
    _stray_cell(d / b, "Sheet2")
    xlsx(d / c, {"资金台账": [FUNDS_H, fund("民政帮扶", amount=7)]})
    _stray_cell(d / c, "资金台账")
    rewrite_zip(d / c, {"xl/worksheets/sheet1.xml": lambda x: re.sub(rb"<dimension[^>]*/>", b"", x)})
    return {
        "sheets": [sheet(b, "资金台账", "funds", 1, 1, 1, 0)],
        "notices": [
            note(a, "资金台账", "错误", f"工作表的使用范围过大（A1:{FAR}，约 172 亿个单元格"),
            note(b, "Sheet2", "错误", f"工作表的使用范围过大（{FAR}:{FAR}，约 172 亿个单元格"),
            note(c, None, "错误", "文件过大：读取需要约"),
        ],
        "values": {"funds": {"amount_wan": [5.0]}},
    }


@case(
    "57_inflated_zip",
    "压缩包声明解压后 3 GB（超过上限，不打开）和声明大小与实际不符（疑似损坏）的 .xlsx：逐个说明，旁边的台账照读",
)
def _(d: Path):
    a, b, c = "区财政局_资金台账_2020.xlsx", "区商务局_资金台账_2020.xlsx", "区教委_资金台账_2020.xlsx"
    xlsx(d / a, {"资金台账": [FUNDS_H, fund("区级项目", amount=3200)]})
    declare_size(d / a, "xl/worksheets/sheet1.xml", 3 << 30)
    xlsx(d / b, {"资金台账": [FUNDS_H, fund("商务项目", amount=12)]})
    declare_size(d / b, "xl/worksheets/sheet1.xml", 100)
    xlsx(d / c, {"资金台账": [FUNDS_H, fund("教育帮扶", amount=8)]})
    return {
        "sheets": [sheet(c, "资金台账", "funds", 1, 1, 1, 0)],
        "notices": [
            note(a, None, "错误", "解压后约 3.0 GB（其中 xl/worksheets/sheet1.xml 3.0 GB），超过 1.0 GB 的上限"),
            note(b, None, "错误", "文件疑似损坏：压缩包中的部件 xl/worksheets/sheet1.xml 与其声明的大小或校验码不符"),
        ],
        "values": {"funds": {"amount_wan": [8.0]}},
    }


JUNK_ROWS = 3500


@case(
    "58_junk_rows",
    "三行台账下面粘贴了 3,500 行无效数据：前 2,997 行逐行拒绝，连续整段被拒绝后其余 503 行整体计为拒绝"
    "（读取 = 接受 + 拒绝），不逐行检查",
)
def _(d: Path):
    f, s = "区财政局_资金台账_2020.xlsx", "资金台账"
    junk = fund("垃圾", amount="abc")
    xlsx(d / f, {s: [FUNDS_H, fund("甲", amount=1), fund("乙", amount=2), fund("丙", amount=3)] + [junk] * JUNK_ROWS})
    last, cut = JUNK_ROWS + 4, 3002  # rows 5..3001 checked (997 + 2,000), 3002..3504 not
    why = f"前面已连续 2,000 行被拒绝，其余 {last - cut + 1} 行（第{cut}—{last}行）疑似无效数据，未逐行检查"
    return {
        "sheets": [sheet(f, s, "funds", 1, JUNK_ROWS + 3, 3, JUNK_ROWS)],
        "rejection_runs": [
            {
                "file": f,
                "sheet": s,
                "rows": [5, cut - 1],
                "column": "金额（万元）",
                "value": "abc",
                "reason": "金额“abc”无法识别为数字",
            }
        ],
        "rejections": [rej(f, s, cut, "（整行）", "", why)],
        "notices": [note(f, s, "错误", why, cut)],
        "values": {"funds": {"amount_wan": [1.0, 2.0, 3.0]}},
    }


@case("59_huge_amounts", "金额 1 后面 307 个 0（二十行）、1e307、超过 1 万亿元、inf 和 NaN：都拒绝，合计仍是有限的数")
def _(d: Path):
    f, s = "区财政局_资金台账_2020.xlsx", "资金台账"
    huge = "1" + "0" * 307
    rows = [FUNDS_H, fund("甲项目", amount=10), fund("乙项目", amount=5)]
    rows += [fund(f"巨额{i}", amount=huge) for i in range(20)]
    rows += [
        fund("浮点巨额", amount=1e307),
        fund("一万亿零一", amount=100000001),
        fund("无穷", amount="inf"),
        fund("非数", amount="NaN"),
    ]
    xlsx(d / f, {s: rows})
    over = "超过单行金额的上限（100,000,000 万元）"
    col = "金额（万元）"
    return {
        "sheets": [sheet(f, s, "funds", 1, 26, 2, 24)],
        "rejections": [rej(f, s, 4 + i, col, huge, over) for i in range(20)]
        + [
            rej(f, s, 24, col, str(int(1e307)), over),
            rej(f, s, 25, col, "100000001", over),
            rej(f, s, 26, col, "inf", "金额“inf”无法识别为数字"),
            rej(f, s, 27, col, "NaN", "金额“NaN”无法识别为数字"),
        ],
        "values": {"funds": {"amount_wan": [10.0, 5.0]}},
    }


@case(
    "60_xlsb_and_wps",
    "Excel 二进制工作簿 .xlsb 和 WPS 的 .et（实为 .xls）照常读取；内容不是表格的 .et 和 Numbers 文件"
    "不读取，作为错误说明（--strict 时计入）",
)
def _(d: Path):
    a, b, c, e = (
        "区财政局_资金台账_2020.xlsb",
        "区教委_资金台账_2020.et",
        "区民政局_资金台账_2020.et",
        "区商务局_资金台账_2020.numbers",
    )
    xlsb(d / a, "资金台账", [FUNDS_H, fund("区级项目一", amount=1200), fund("区级项目二", amount=800)])
    xls(d / b, {"资金台账": {"rows": [FUNDS_H, fund("教育帮扶", amount=50)]}})
    (d / c).write_text("项目名称\t金额\n甲\t10\n", encoding="utf-8")
    with zipfile.ZipFile(d / e, "w") as z:
        z.writestr(zipfile.ZipInfo("Index/Document.iwa", date_time=ZIP_TIME), b"\x00" * 16)
    return {
        "sheets": [sheet(a, "资金台账", "funds", 1, 2, 2, 0), sheet(b, "资金台账", "funds", 1, 1, 1, 0)],
        "notices": [
            note(c, None, "错误", "WPS表格文件（.et）的内容不是可读取的格式"),
            note(e, None, "错误", "不是台账文件格式"),
        ],
        "values": {"funds": {"amount_wan": [1200.0, 800.0, 50.0]}},
    }


@case(
    "61_formula_without_value",
    "程序生成、从未在Excel中打开保存的工作簿：公式单元格没有保存计算结果，拒绝并说明"
    "“请在Excel中打开并保存”，不是“必填项为空”",
)
def _(d: Path):
    f, s = "区财政局_资金台账_2020.xlsx", "资金台账"
    xlsx(
        d / f,
        {
            s: [
                FUNDS_H,
                fund("甲项目", amount=10),
                fund("乙项目", amount="=10+5"),
                fund("丙项目", date="=DATE(2020,3,5)"),
            ]
        },
    )
    why = "但没有保存计算结果：请在Excel中打开该文件、保存后重新报送"
    return {
        "sheets": [sheet(f, s, "funds", 1, 3, 1, 2)],
        "rejections": [
            rej(f, s, 3, "金额（万元）", "=10+5", "单元格是公式（=10+5）" + why),
            rej(f, s, 4, "拨付日期", "=DATE(2020,3,5)", "单元格是公式（=DATE(2020,3,5)）" + why),
        ],
        "values": {"funds": {"amount_wan": [10.0]}},
    }


@case(
    "62_xml_entities",
    "工作表的 XML 里声明了外部实体（指向 /etc/passwd）和层层展开的实体：出于安全考虑整个文件不读取，旁边的台账照读",
)
def _(d: Path):
    a, b, c = "区财政局_资金台账_2020.xlsx", "区商务局_资金台账_2020.xlsx", "区教委_资金台账_2020.xlsx"
    for f in (a, b):
        xlsx(d / f, {"资金台账": [FUNDS_H, fund("甲项目", amount=10)]})
    external = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    laughs = (
        b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    )
    for f, dtd in ((a, external), (b, laughs)):
        rewrite_zip(d / f, {"xl/worksheets/sheet1.xml": lambda x, dtd=dtd: dtd + x})
    xlsx(d / c, {"资金台账": [FUNDS_H, fund("教育帮扶", amount=8)]})
    why = "文件中含有XML实体声明（DOCTYPE/ENTITY，可用来读取本机文件或耗尽内存），出于安全考虑不读取"
    return {
        "sheets": [sheet(c, "资金台账", "funds", 1, 1, 1, 0)],
        "notices": [note(a, None, "错误", why), note(b, None, "错误", why)],
        "values": {"funds": {"amount_wan": [8.0]}},
    }


@case(
    "63_other_digits_and_times",
    "阿拉伯-印度数字（١٢）、数学字母数字（𝟏𝟐）写的金额和日期：拒绝并说明；不存在的时间"
    "“2020-4-1 25:61”拒绝；全角数字和合法的时间照常读取",
)
def _(d: Path):
    f, s = "区财政局_资金台账_2020.xlsx", "资金台账"
    xlsx(
        d / f,
        {
            s: [
                FUNDS_H,
                fund("甲", amount="١٢"),
                fund("乙", amount="𝟏𝟐"),
                fund("丙", date="٢٠٢٠-٠٣-٠٥"),
                fund("丁", date="2020-4-1 25:61"),
                fund("戊", date="2020-4-1 23:59"),
                fund("己", amount="１２"),
            ]
        },
    )
    odd = "中有非常用的数字字符"
    return {
        "sheets": [sheet(f, s, "funds", 1, 6, 2, 4)],
        "rejections": [
            rej(f, s, 2, "金额（万元）", "١٢", "“١٢”" + odd),
            rej(f, s, 3, "金额（万元）", "𝟏𝟐", "“𝟏𝟐”" + odd),
            rej(f, s, 4, "拨付日期", "٢٠٢٠-٠٣-٠٥", odd),
            rej(f, s, 5, "拨付日期", "2020-4-1 25:61", "日期“2020-4-1 25:61”中的时间不存在"),
        ],
        "values": {"funds": {"amount_wan": [10.0, 12.0], "paid_date": ["2020-04-01", "2020-03-05"]}},
    }


@case(
    "64_links_and_own_outputs",
    "指向数据目录之外（/etc/passwd）的链接不跟随，作为错误说明；本程序生成的输出文件夹"
    "（有 .fupin-output 标记）不当作台账读取",
)
def _(d: Path):
    f = "区财政局_资金台账_2020.xlsx"
    xlsx(d / f, {"资金台账": [FUNDS_H, fund("甲项目", amount=10)]})
    (d / "区教委_资金台账_2020.xlsx").symlink_to("/etc/passwd")
    out = d / "报告输出"
    out.mkdir()
    (out / ".fupin-output").write_text("fupin\n", encoding="utf-8")
    xlsx(out / "进展情况表_2020Q2.xlsx", {"资金台账": [FUNDS_H, fund("甲项目", amount=10)]})
    return {
        "sheets": [sheet(f, "资金台账", "funds", 1, 1, 1, 0)],
        "notices": [
            note(
                "区教委_资金台账_2020.xlsx", None, "错误", "快捷方式（链接）指向数据目录之外的文件，出于安全考虑未读取"
            ),
            note("报告输出", None, "提示", "本程序生成的输出文件夹"),
        ],
        "values": {"funds": {"amount_wan": [10.0]}},
    }


LONG_DEPARTMENT = "区" + "长" * 75 + "局"  # with _资金台账_2020.xlsx: a 254-byte file name


@case(
    "65_awkward_file_names",
    "254 字节的文件名（部门名很长）和含终端控制字符（ESC[2K ESC[1A）的文件名：照常读取，屏幕上控制字符显示为转义形式",
)
def _(d: Path):
    long, escape = f"{LONG_DEPARTMENT}_资金台账_2020.xlsx", "区教委_资金台账_\x1b[2K\x1b[1A.xlsx"
    assert len(long.encode()) == 254
    xlsx(d / long, {"资金台账": [FUNDS_H, fund("甲项目", amount=10)]})
    xlsx(d / escape, {"资金台账": [FUNDS_H[:4], fund("乙项目", amount=5)[:4]]})
    missing = "工作表缺少必填列：拨付日期"
    return {
        "sheets": [sheet(long, "资金台账", "funds", 1, 1, 1, 0), sheet(escape, "资金台账", "funds", 1, 1, 0, 1)],
        "rejections": [rej(escape, "资金台账", 2, "拨付日期", "", missing)],
        "notices": [note(escape, "资金台账", "错误", missing, 1)],
        "values": {"funds": {"amount_wan": [10.0]}},
    }


# --- main -----------------------------------------------------------------------------------


def _tables(sheets: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for s in sheets:
        t = out.setdefault(
            s["ledger"], {k: 0 for k in ("read", "accepted", "rejected", "totals_excluded", "notes_skipped")}
        )
        for k in t:
            t[k] += s[k]
    return dict(sorted(out.items()))


def main(names: list[str]) -> None:
    """Write every case, or only the cases named (the others' files are left as committed)."""
    todo = [c for c in CASES if not names or c[0] in names]
    if not names and ROOT.exists():
        shutil.rmtree(ROOT)
    for name, description, make in todo:
        d = ROOT / name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        expect = make(d)
        sheets = expect.get("sheets", [])
        doc = {
            "description": description,
            "tables": _tables(sheets),
            "sheets": sheets,
            "rejections": expect.get("rejections", []),
            "notices": expect.get("notices", []),
            "values": expect.get("values", {}),
        }
        if expect.get("rejection_runs"):
            doc["rejection_runs"] = expect["rejection_runs"]
        (d / "case.yml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=160), encoding="utf-8"
        )
    print(f"{len(todo)} cases written to {ROOT}")


if __name__ == "__main__":
    main(sys.argv[1:])
