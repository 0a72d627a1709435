"""Synthetic sample workbooks (示例数据) for 2020, as the departments would hand them in.

`generate()` writes a folder of raw Excel ledgers that look like what the district's departments
actually send: title rows above the headers, 合计 rows, dates written six different ways, 元 next
to 万元, numbers typed as text, every spelling of the paired areas, sheets that are recognised only
by their headers, several ledgers in one workbook and one ledger over several sheets. It also
plants a few bad rows that the ingestion must reject, and returns a manifest listing them (file,
sheet, Excel row, column, value, reason) together with totals computed from the generator's own
clean data, so that tests can cross-check the ingestion and the metrics.

Ledgers generated (numbers as in shared/spec/ledgers.md): all seventeen, 21 tables. 1 会议台账,
2 调研对接台账, 3 挂职干部台账, 4 培训台账 (区委组织部 and 区人力社保局), 5 资金台账, 6 贫困人口受益台账,
7 贫困人口基数, 8 企业投资台账, 9 消费扶贫台账, 10 食堂采购台账, 11 劳务协作台账 (招聘会, 岗位推送, 就业人员,
实训基地), 12 结对帮扶台账 (镇街 and 村 from the 结对任务清单, schools, hospitals, 万企帮万村, social
organisations), 13 社会帮扶台账 (捐赠, 活动), 14 信息宣传台账, 15 报送台账, 16 批示表彰台账, 17 自评事项.
The manifest's expected.metrics_2020 and metrics_2020Q2 give every metrics.csv key for the windows
2020-01-01..2020-12-31 and ..2020-06-30. A synthetic peers table of the other 15 districts
(peers_2020_示例数据.csv/.xlsx, scaled on 大兴区's own figures) is written next to the raw folder.

Everything is random but deterministic: one numpy Generator seeded with `seed`, split into one
stream per ledger; no current date or time is used anywhere (workbook properties and the zip
entries carry 2021-01-10), so the same seed and scale give byte-identical files.

All names, ID numbers and phone numbers are invented: 示例数据，不涉及真实个人信息.

    python -m fupin_dev.sample_data --out data/raw --seed 2020 --scale 1.0
"""

from __future__ import annotations

import argparse
import calendar
import dataclasses
import csv
import io
import json
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from fupin_lib.config import REFERENCE_DIR as REFERENCE
from fupin_lib.ingest.idcard import check_digit

FIXED_TIME = datetime(2021, 1, 10)
YEAR_START, YEAR_END = date(2020, 1, 1), date(2020, 12, 31)
Q1_END = date(2020, 3, 31)
H1_END = date(2020, 6, 30)
# The windows of the manifest's metrics_<window> dicts: year to date at the window's end.
WINDOWS = {"2020": YEAR_END, "2020Q2": H1_END}
EXCEL_EPOCH = date(1899, 12, 30)
NOTE = "示例数据：全部为随机生成的虚构数据，不涉及真实个人信息"
TITLE_SUFFIX = "（示例数据，非真实信息）"
EXTRA_SOURCES = ("区级财政", "区直部门", "街道乡镇")
HOME_DISTRICT = "大兴区"

# ---------------------------------------------------------------------------------------------
# Headers (canonical, as in reference/ledgers.yml). Extra columns such as 序号 and 备注 are what
# departments add on their own; the ingestion ignores columns it does not know.
# ---------------------------------------------------------------------------------------------
CADRE_COLUMNS = [
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
FUNDS_COLUMNS = ["序号", "项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期", "是否深度贫困地区", "项目状态"]
BENEFIT_COLUMNS = ["姓名", "身份证号", "结对地区", "乡镇", "村", "受益途径", "受益日期", "是否脱贫", "脱贫日期"]
BASE_COLUMNS = ["结对地区", "年度", "年初建档立卡贫困人口数"]
CONSUMPTION_COLUMNS = [
    "序号",
    "日期",
    "采购单位",
    "单位类型",
    "渠道",
    "产品名称",
    "产地",
    "是否名录产品",
    "金额（万元）",
]
CANTEEN_COLUMNS = ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"]

# ---------------------------------------------------------------------------------------------
# Name material
# ---------------------------------------------------------------------------------------------
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹常武乔贺"
)
GIVEN = {
    True: "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林建国志海峰东亮成文博德福贵生",
    False: "芳娜敏静丽艳娟霞秀玲桂英红梅琳雪慧颖婷欣悦琪璐晶倩丹萍燕洁瑶佳蕾妍兰凤翠玉珍",
}
MONGOLIAN = {
    True: (
        "巴特尔",
        "额尔敦",
        "苏和",
        "宝音",
        "朝鲁",
        "孟和",
        "阿拉坦仓",
        "毕力格",
        "达来",
        "那顺",
        "特木尔",
        "吉日嘎拉",
    ),
    False: ("乌云", "其其格", "那仁高娃", "萨仁", "图雅", "斯琴", "乌兰", "高娃", "塔娜", "娜仁花"),
}
UYGHUR = {
    True: (
        "买买提",
        "艾合买提",
        "阿不都热依木",
        "吐尔逊",
        "阿卜杜拉",
        "艾买尔",
        "热合曼",
        "努尔麦麦提",
        "艾则孜",
        "亚森",
        "玉素甫",
        "依明",
        "麦麦提敏",
    ),
    False: (
        "阿依古丽",
        "古丽努尔",
        "热依拉",
        "布沙热木",
        "米热古丽",
        "帕提古丽",
        "祖丽胡玛尔",
        "阿米娜",
        "如克亚",
        "阿依努尔",
        "努尔尼沙",
    ),
}
# Name styles by area: (Han, Mongolian, Uyghur) shares.
NAME_STYLE = {
    "察右前旗": (0.95, 0.05, 0.0),
    "正镶白旗": (0.7, 0.3, 0.0),
    "苏尼特右旗": (0.6, 0.4, 0.0),
    "和田县": (0.03, 0.0, 0.97),
    "224团": (0.5, 0.0, 0.5),
}

# Address codes (first 6 ID digits). People keep their number when a code changes: 察右前旗 was
# 152630 before 2003; 224团 (now under 昆玉市, 659009) settlers were registered in 和田 counties.
ADDRESS_CODES = {
    "察右前旗": ("150926",),
    "正镶白旗": ("152529",),
    "苏尼特右旗": ("152524",),
    "和田县": ("653221",),
    "224团": ("659009", "653226", "653223"),
}
OLD_CODE_CHAYOU = "152630"
BEIJING_CODES = ("110115", "110224", "110108", "110105", "130602", "370102", "410105", "150102")
BEIJING_CODE_P = (0.4, 0.3, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05)

# ---------------------------------------------------------------------------------------------
# Mess: how dates and amounts are written
# ---------------------------------------------------------------------------------------------
DATE_STYLES = ("excel", "iso", "slash", "chinese", "dot", "serial")
DATE_STYLE_P = (0.55, 0.12, 0.12, 0.09, 0.06, 0.06)
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
CN_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}


# =============================================================================================
# Reference data
# =============================================================================================
@dataclass(frozen=True)
class Area:
    name: str
    province: str
    spellings: tuple[str, ...]
    townships: tuple[str, ...]

    @property
    def inner_mongolia(self) -> bool:
        return self.province == "内蒙古"

    @property
    def deep_poverty(self) -> bool:
        # 和田县 and 224团 are in the 南疆四地州 deep-poverty region.
        return not self.inner_mongolia


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_areas() -> dict[str, Area]:
    areas = {}
    for row in _read_csv("paired_areas.csv"):
        spellings = [row["area"]] + [s for s in row["aliases"].split("|") if s and s != row["area"]]
        townships = tuple(t for t in row["townships"].split("|") if t)
        areas[row["area"]] = Area(row["area"], row["province"], tuple(spellings), townships)
    return areas


def load_pairings() -> list[tuple[str, str, str]]:
    """(Beijing town, area, township) from the 结对任务清单; township empty for 224团."""
    pairs = []
    for row in _read_csv("plans/2020/pairing_tasks.csv"):
        township = row["township"] if "协商" not in row["township"] else ""
        for town in row["beijing_unit"].split("|"):
            pairs.append((town, row["area"], township))
    return pairs


# =============================================================================================
# Sheet model and writer
# =============================================================================================
@dataclass
class Plant:
    """A deliberately bad cell: the column (canonical header) and why the row must be rejected."""

    column: str
    reason: str


@dataclass
class SheetSpec:
    ledger: str  # English key of the ledger (ledgers.yml)
    name: str  # sheet name
    columns: list[str]  # canonical headers
    headers: list[str]  # headers as written
    rows: list[list]  # data rows, values as written
    title: str | None = None
    blank_after_title: bool = False
    total: list | None = None  # the 合计 row, if any
    planted: dict[int, Plant] = field(default_factory=dict)  # data-row index -> plant
    text_columns: frozenset[str] = frozenset()
    date_format: str = "yyyy-mm-dd"


def make_sheet(
    ledger: str,
    name: str,
    columns: list[str],
    records: list[dict],
    *,
    planted: dict[int, Plant] | None = None,
    title: str | None = None,
    blank_after_title: bool = False,
    rename: dict[str, str] | None = None,
    total: tuple[str, float] | None = None,
    text_columns: tuple[str, ...] = (),
    date_format: str = "yyyy-mm-dd",
) -> SheetSpec:
    """Lay records (dicts keyed by canonical header) out as a sheet; 序号 is numbered here.

    total = (amount column, value) adds a 合计 row whose first cell is 合计.
    """
    rows = []
    for number, record in enumerate(records, start=1):
        rows.append([number if column == "序号" else record.get(column) for column in columns])
    total_row = None
    if total is not None:
        total_row = [None] * len(columns)
        total_row[0] = "合计"
        total_row[columns.index(total[0])] = round(total[1], 2)
    rename = rename or {}
    return SheetSpec(
        ledger,
        name,
        columns,
        [rename.get(c, c) for c in columns],
        rows,
        title=title and title + TITLE_SUFFIX,
        blank_after_title=blank_after_title,
        total=total_row,
        planted=planted or {},
        text_columns=frozenset(text_columns),
        date_format=date_format,
    )


TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def _write_sheet(ws, spec: SheetSpec) -> int:
    """Write one sheet; return the Excel row number of the first data row."""
    header_row = 1
    if spec.title:
        ws.cell(1, 1, spec.title).font = TITLE_FONT
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(spec.headers))
        header_row = 3 if spec.blank_after_title else 2
    for col, header in enumerate(spec.headers, start=1):
        cell = ws.cell(header_row, col, header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        width = max(8, min(28, 2 * max(len(part) for part in header.split("\n")) + 2))
        ws.column_dimensions[get_column_letter(col)].width = width
    text_cols = {i for i, c in enumerate(spec.columns) if c in spec.text_columns}
    rows = spec.rows + ([spec.total] if spec.total else [])
    for excel_row, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values):
            if value is None:
                continue
            cell = ws.cell(excel_row, col + 1, value)
            if isinstance(value, date):
                cell.number_format = spec.date_format
            elif col in text_cols and isinstance(value, str):
                cell.number_format = "@"
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    return header_row + 1


def _save_deterministic(wb: Workbook, path: Path) -> None:
    """Save like openpyxl does, but with fixed document and zip-entry times (byte-identical files)."""
    wb.properties.created = wb.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))


def _as_written(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return "" if value is None else str(value)


def write_workbook(path: Path, sheets: list[SheetSpec], name: str | None = None) -> tuple[dict, list[dict]]:
    """Write the sheets; return the manifest entry of the file and its planted rows (named by
    `name`, the path relative to the raw folder, default the file's name)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"{path.stem}（示例数据）"
    wb.properties.description = NOTE
    wb.properties.creator = wb.properties.lastModifiedBy = "fupin_lib.sample_data"
    entry, planted = {}, []
    for spec in sheets:
        first_data_row = _write_sheet(wb.create_sheet(spec.name), spec)
        entry[spec.name] = {"data_rows": len(spec.rows), "total_rows": int(spec.total is not None)}
        for index, plant in sorted(spec.planted.items()):
            value = spec.rows[index][spec.columns.index(plant.column)]
            planted.append(
                {
                    "file": name or path.name,
                    "sheet": spec.name,
                    "row": first_data_row + index,
                    "column": plant.column,
                    "value": _as_written(value),
                    "reason": plant.reason,
                }
            )
    _save_deterministic(wb, path)
    return entry, planted


# =============================================================================================
# Shared random helpers
# =============================================================================================
def scaled(base: float, scale: float, minimum: int) -> int:
    return max(minimum, int(round(base * scale)))


def pick(rng: np.random.Generator, options, p=None):
    """One option (a Python object, not a numpy scalar)."""
    return options[int(rng.choice(len(options), p=p))]


def cover(rng: np.random.Generator, options, n: int, p=None) -> list:
    """n draws from options; every option appears at least once when n allows it."""
    indices = rng.choice(len(options), size=n, p=p)
    if n >= len(options):
        slots = rng.choice(n, size=len(options), replace=False)
        indices[slots] = np.arange(len(options))
    return [options[int(i)] for i in indices]


def normalised(weights) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def random_dates(rng: np.random.Generator, n: int, start: date, end: date) -> list[date]:
    offsets = rng.integers(0, (end - start).days + 1, size=n)
    return [start + timedelta(days=int(o)) for o in offsets]


def dates_by_month(rng: np.random.Generator, n: int, month_weights) -> list[date]:
    """Dates in 2020, the month drawn with the given weights, the day uniformly."""
    months = rng.choice(12, size=n, p=normalised(month_weights)) + 1
    fractions = rng.random(n)
    return [date(2020, int(m), 1 + int(f * calendar.monthrange(2020, int(m))[1])) for m, f in zip(months, fractions)]


def mix_in(rng: np.random.Generator, clean: list, bad: list[tuple[object, Plant]]) -> tuple[list, dict[int, Plant]]:
    """Insert the bad records at random positions; return all records and {index: plant}."""
    total = len(clean) + len(bad)
    positions = set(int(p) for p in rng.choice(total, size=len(bad), replace=False))
    clean_iter, bad_iter = iter(clean), iter(bad)
    records, planted = [], {}
    for index in range(total):
        if index in positions:
            record, plant = next(bad_iter)
            planted[index] = plant
        else:
            record = next(clean_iter)
        records.append(record)
    return records, planted


def written_date(d: date | None, style: str):
    """A date as a department might type it."""
    if d is None:
        return None
    return {
        "excel": lambda: d,
        "iso": d.isoformat,
        "slash": lambda: f"{d.year}/{d.month}/{d.day}",
        "chinese": lambda: f"{d.year}年{d.month}月{d.day}日",
        "dot": lambda: f"{d.year}.{d.month}.{d.day}",
        "serial": lambda: (d - EXCEL_EPOCH).days,
    }[style]()


def messy_dates(rng: np.random.Generator, dates: list[date | None]) -> list:
    """The same column written in every date style (real dates most of the time)."""
    styles = cover(rng, DATE_STYLES, len(dates), DATE_STYLE_P)
    return [written_date(d, s) for d, s in zip(dates, styles)]


def amount_text(value: float) -> str:
    """1234.5 -> '1,234.5': a number typed as text with thousands separators."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".")


def spellings(rng: np.random.Generator, area: Area, n: int) -> list[str]:
    """Area names as written: the canonical name half the time, every alias at least once."""
    others = len(area.spellings) - 1
    p = [0.5] + [0.5 / others] * others if others else None
    return cover(rng, area.spellings, n, p)


def chinese_name(rng: np.random.Generator, male: bool, style: str = "han") -> str:
    if style == "mongolian":
        return pick(rng, MONGOLIAN[male])
    if style == "uyghur":
        return f"{pick(rng, UYGHUR[male])}·{pick(rng, UYGHUR[True])}"
    given = GIVEN[male]
    length = 1 if rng.random() < 0.3 else 2
    return pick(rng, SURNAMES) + "".join(pick(rng, given) for _ in range(length))


def phone_number(rng: np.random.Generator) -> str:
    return pick(rng, ("13", "15", "18")) + f"{int(rng.integers(0, 10**9)):09d}"


class IdFactory:
    """Unique, valid resident ID numbers (GB 11643)."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, address: str, birth: date, male: bool) -> str:
        while True:
            sequence = int(self.rng.integers(0, 500)) * 2 + (1 if male else 0)  # odd = male
            first17 = f"{address}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + check_digit(first17)
            if number not in self.used:
                self.used.add(number)
                return number


def with_wrong_check_digit(number: str) -> str:
    right = number[-1]
    wrong = "0123456789X"[("0123456789X".index(right) + 7) % 11]
    return number[:-1] + wrong


def in_window(d: date | None, end: date) -> bool:
    """A dated row counts in the window 2020-01-01..end."""
    return d is not None and YEAR_START <= d <= end


@dataclass
class LedgerOutput:
    workbooks: dict[str, list[SheetSpec]]
    expected: dict
    # window ("2020", "2020Q2") -> metrics.csv key -> value, from the generator's clean records.
    # Keys starting with "_" are parts that generate() combines (donations from two ledgers).
    metrics: dict[str, dict] = field(default_factory=dict)


# =============================================================================================
# 3 挂职干部台账
# =============================================================================================
SPECIALTIES = ("教育", "医疗", "农业", "科技", "文化", "社会工作", "其他")
SPECIALTY_P = (0.38, 0.36, 0.09, 0.05, 0.04, 0.04, 0.04)
HOME_UNITS = {
    "教育": (
        "区第一中学",
        "区第三中学",
        "区第五中学",
        "区实验学校",
        "区第二小学",
        "区第四小学",
        "区职业学校",
        "区教师进修学校",
    ),
    "医疗": ("区人民医院", "区中医医院", "区妇幼保健院", "区疾病预防控制中心", "区红星医院", "区心康医院"),
    "农业": ("区农业农村局", "区农业技术推广站", "区畜牧兽医站"),
    "科技": ("区科委", "区科学技术协会"),
    "文化": ("区文化和旅游局", "区文化馆", "区图书馆"),
    "社会工作": ("区民政局", "区社会工作服务中心", "区残联"),
    "其他": ("区市场监管局", "区商务局", "区人力社保局"),
}
PROFESSIONAL_POSTS = {  # specialty -> (home post, title, host unit suffix, host post, duties)
    "教育": (
        ("教师", "教研组长", "年级组长"),
        ("一级教师", "高级教师", "正高级教师"),
        ("第一中学", "第二小学", "职业中学"),
        ("副校长", "教学副主任", "支教教师"),
        "教学管理与教师培训",
    ),
    "医疗": (
        ("主治医师", "科室副主任", "主管护师"),
        ("主治医师", "副主任医师", "主任医师"),
        ("人民医院", "妇幼保健院", "疾控中心"),
        ("副院长", "科室主任", "临床医师"),
        "临床带教与科室建设",
    ),
    "农业": (
        ("农艺师", "畜牧师"),
        ("农艺师", "高级农艺师", "高级畜牧师"),
        ("农牧业技术推广中心",),
        ("技术顾问", "副主任"),
        "种养殖技术指导",
    ),
    "科技": (("科长",), ("工程师", "高级工程师"), ("科技局",), ("副局长", "技术顾问"), "科技成果转化"),
    "文化": (("馆员",), ("馆员", "副研究馆员"), ("文化馆",), ("副馆长",), "群众文化活动"),
    "社会工作": (("社工督导",), ("社会工作师", "高级社会工作师"), ("民政局",), ("社工顾问",), "社会救助与社工站建设"),
    "其他": (("科员", "副科长"), ("科员", "中级"), ("市场监督管理局",), ("副局长",), "电商与市场体系建设"),
}
CADRE_HOME_UNITS = (
    "区发展改革委",
    "区财政局",
    "区商务局",
    "区经济协作办",
    "区委组织部",
    "区农业农村局",
    "区卫健委",
    "区教委",
    "区人力社保局",
    "区国资委",
    "黄村镇人民政府",
    "旧宫镇人民政府",
    "西红门镇人民政府",
    "亦庄镇人民政府",
    "采育镇人民政府",
)
CADRE_HOME_POSTS = (
    ("副局长", "副处级"),
    ("副主任", "副处级"),
    ("科长", "正科级"),
    ("副科长", "副科级"),
    ("副镇长", "副处级"),
    ("办公室主任", "正科级"),
    ("科员", "一级科员"),
)
GOVERNMENT = {"224团": "224团团部"}  # default: <area>人民政府
LEADER_TITLE = {
    "察右前旗": "副旗长",
    "正镶白旗": "副旗长",
    "苏尼特右旗": "副旗长",
    "和田县": "副县长",
    "224团": "副团长",
}
# Tenure classes: (label, shortest, longest) in days, tenure = end - start + 1; None = no end date.
TENURES = {"under_30d": (5, 29), "1_6m": (30, 182), "6_12m": (183, 364), "12m_plus": (365, 1095), "no_end_date": None}
# Per category: tenure class weights, P(是否自主选派=是), P(是否脱贫攻坚岗位=否).
CADRE_MIX = {
    "党政干部": ((0.0, 0.12, 0.25, 0.53, 0.10), 0.5, 0.05),
    "专业技术人才": ((0.14, 0.40, 0.26, 0.14, 0.06), 0.88, 0.04),
}


def _tenure(rng: np.random.Generator, start: date, kind: str) -> date | None:
    bounds = TENURES[kind]
    if bounds is None:
        return None
    if kind == "12m_plus":  # long postings run whole years (or a year and a half)
        days = pick(rng, (365, 366, 547, 730, 1095))
    else:
        days = int(rng.integers(bounds[0], bounds[1] + 1))
    return start + timedelta(days=days - 1)


def _beijing_id(rng: np.random.Generator, ids: IdFactory, male: bool) -> str:
    birth = random_dates(rng, 1, date(1965, 1, 1), date(1995, 12, 31))[0]
    code = pick(rng, BEIJING_CODES, normalised(BEIJING_CODE_P))
    return ids.make(code, birth, male)


def _cadre_record(rng, ids, category: str, area: Area, kind: str, self_selected: str, on_post: str) -> dict:
    male = rng.random() < 0.7
    if category == "党政干部":
        home_unit, specialty = pick(rng, CADRE_HOME_UNITS), None
        home_post, rank = pick(rng, CADRE_HOME_POSTS)
        host_unit, host_post = pick(
            rng,
            (
                (GOVERNMENT.get(area.name, f"{area.name}人民政府"), LEADER_TITLE[area.name]),
                (f"{area.name}扶贫开发办公室", "副主任"),
                (f"{area.name}{pick(rng, area.townships) if area.townships else ''}人民政府", "副书记"),
            ),
        )
        duties = "协助分管东西部扶贫协作工作"
        start = random_dates(rng, 1, date(2019, 6, 1), date(2020, 8, 31))[0]
    else:
        specialty = pick(rng, SPECIALTIES, SPECIALTY_P)
        home_posts, titles, host_suffixes, host_posts, duties = PROFESSIONAL_POSTS[specialty]
        home_unit, home_post, rank = (pick(rng, HOME_UNITS[specialty]), pick(rng, home_posts), pick(rng, titles))
        host_unit, host_post = f"{area.name}{pick(rng, host_suffixes)}", pick(rng, host_posts)
        start = random_dates(rng, 1, date(2019, 6, 1), date(2020, 11, 30))[0]
    return {
        "姓名": chinese_name(rng, male),
        "身份证号": _beijing_id(rng, ids, male) if rng.random() < 0.85 else None,
        "人员类别": category,
        "专业领域": specialty,
        "派出单位": home_unit,
        "原职务": home_post,
        "行政级别或职称": rank,
        "挂职单位": host_unit,
        "挂职职务": host_post,
        "分管工作": duties,
        "结对地区": area,
        "开始日期": start,
        "结束日期": _tenure(rng, start, kind),
        "是否自主选派": self_selected,
        "是否脱贫攻坚岗位": on_post,
        "联系电话": phone_number(rng),
        "_tenure": kind,
    }


def _cadre_records(rng, ids, areas, category: str, area_names: list[str]) -> list[dict]:
    """Cadres of one category; every tenure class with a weight, and both answers of each 是否 column, occur."""
    tenure_p, p_self, p_off = CADRE_MIX[category]
    options = [(kind, p) for kind, p in zip(TENURES, tenure_p) if p > 0]
    n = len(area_names)
    kinds = cover(rng, [k for k, _ in options], n, normalised([p for _, p in options]))
    self_selected = cover(rng, ("是", "否"), n, (p_self, 1 - p_self))
    on_post = cover(rng, ("是", "否"), n, (1 - p_off, p_off))
    return [
        _cadre_record(rng, ids, category, areas[name], *flags)
        for name, *flags in zip(area_names, kinds, self_selected, on_post)
    ]


def _written_cadres(rng, records: list[dict]) -> list[dict]:
    """Records as written: area spellings and messy dates."""
    out = [dict(r) for r in records]
    for column in ("开始日期", "结束日期"):
        for record, value in zip(out, messy_dates(rng, [r[column] for r in records])):
            record[column] = value
    by_area: dict[str, list[dict]] = {}
    for record in out:
        by_area.setdefault(record["结对地区"].name, []).append(record)
    for group in by_area.values():
        for record, spelling in zip(group, spellings(rng, group[0]["结对地区"], len(group))):
            record["结对地区"] = spelling
    return out


def _cadre_expected(records: list[dict]) -> dict:
    in_post = [
        r for r in records if r["开始日期"] <= YEAR_END and (r["结束日期"] is None or r["结束日期"] >= YEAR_START)
    ]
    by_tenure = {kind: 0 for kind in TENURES}
    for r in in_post:
        if r["人员类别"] == "专业技术人才" and r["是否自主选派"] == "是":
            by_tenure[r["_tenure"]] += 1
    return {
        "cadres_in_post_2020": {c: sum(r["人员类别"] == c for r in in_post) for c in ("党政干部", "专业技术人才")},
        "self_selected_professionals_by_tenure_2020": by_tenure,
        "cadres_off_poverty_posts_2020": sum(r["是否脱贫攻坚岗位"] == "否" for r in in_post),
    }


def _cadre_metrics(records: list[dict], end: date) -> dict:
    """The ledger-3 keys for the window 2020-01-01..end (ledgers.md, ledger 3).

    In post during the window; one row per person (ID, else name and sending unit; the earliest
    posting kept); tenure = end - start + 1 days, a posting without an end date counted up to
    the window's end; under 30 days is a short exchange and not counted.
    """
    in_post = [r for r in records if r["开始日期"] <= end and (r["结束日期"] is None or r["结束日期"] >= YEAR_START)]
    persons: dict[str, dict] = {}
    for r in sorted(in_post, key=lambda r: r["开始日期"]):
        persons.setdefault(r["身份证号"] or f"姓名:{r['姓名']}|{r['派出单位']}", r)
    counted = []
    for r in persons.values():
        days = ((r["结束日期"] or end) - r["开始日期"]).days + 1
        if days >= 30:
            counted.append((r, "1_6m" if days <= 182 else "6_12m" if days <= 364 else "12m_plus"))
    party = [r for r, _ in counted if r["人员类别"] == "党政干部"]
    pros = [band for r, band in counted if r["人员类别"] == "专业技术人才" and r["是否自主选派"] == "是"]
    return {
        "party_cadres_self_selected": sum(r["是否自主选派"] == "是" for r in party),
        "cadres_off_poverty_posts": sum(r["是否脱贫攻坚岗位"] == "否" for r in party),
        "professionals_1_6m": pros.count("1_6m"),
        "professionals_6_12m": pros.count("6_12m"),
        "professionals_12m_plus": pros.count("12m_plus"),
    }


def cadres(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    ids = IdFactory(rng)
    inner = scaled(int(rng.integers(12, 15)), scale, 3)
    xinjiang = scaled(int(rng.integers(16, 21)), scale, 2)
    cadre_areas = cover(rng, ["察右前旗", "正镶白旗", "苏尼特右旗"], inner) + cover(
        rng, ["和田县", "224团"], xinjiang, [0.75, 0.25]
    )
    n_professionals = scaled(int(rng.integers(110, 121)), scale, 10)
    professional_areas = cover(rng, list(areas), n_professionals, [0.2, 0.12, 0.12, 0.46, 0.1])
    party = _cadre_records(rng, ids, areas, "党政干部", cadre_areas)
    professionals = _cadre_records(rng, ids, areas, "专业技术人才", professional_areas)
    party.sort(key=lambda r: (r["结对地区"].name, r["开始日期"]))
    professionals.sort(key=lambda r: (r["专业领域"], r["开始日期"]))
    expected = _cadre_expected(party + professionals)

    bad = _cadre_record(rng, ids, "专业技术人才", areas["和田县"], "6_12m", "是", "是")
    bad["开始日期"], bad["结束日期"] = date(2020, 8, 20), date(2019, 8, 19)
    bad_written = dict(bad, 结对地区=pick(rng, bad["结对地区"].spellings))
    professional_rows, planted = mix_in(
        rng, _written_cadres(rng, professionals), [(bad_written, Plant("结束日期", "结束日期早于开始日期"))]
    )
    text = ("身份证号", "联系电话")
    workbooks = {
        "区委组织部_挂职干部台账_2020.xlsx": [
            make_sheet(
                "cadres",
                "挂职干部台账",
                CADRE_COLUMNS,
                _written_cadres(rng, party),
                title="区委组织部 2020年挂职党政干部台账",
                rename={"是否脱贫攻坚岗位": "是否脱贫\n攻坚岗位"},
                text_columns=text,
            )
        ],
        "区人力社保局_专业技术人才台账_2020.xlsx": [
            make_sheet(
                "cadres",
                "专技人才",
                CADRE_COLUMNS,
                professional_rows,
                planted=planted,
                title="区人力社保局 2020年选派专业技术人才台账",
                blank_after_title=True,
                text_columns=text,
                date_format="yyyy/m/d",
            )
        ],
    }
    metrics = {w: _cadre_metrics(party + professionals, end) for w, end in WINDOWS.items()}
    return LedgerOutput(workbooks, expected, metrics)


# =============================================================================================
# 5 资金台账
# =============================================================================================
PROJECT_KINDS = {
    "内蒙古": ("肉羊养殖基地建设项目", "马铃薯种薯繁育基地项目", "牧区饲草料基地项目", "燕麦杂粮加工车间项目"),
    "新疆": ("核桃红枣提质增效项目", "鸽子养殖合作社项目", "玫瑰花种植加工项目", "红枣深加工车间项目"),
    "共同": (
        "设施农业大棚建设项目",
        "扶贫车间建设项目",
        "农村人居环境整治项目",
        "饮水安全巩固提升项目",
        "职业技能培训补贴项目",
        "教育帮扶助学项目",
        "医疗卫生帮扶项目",
        "冷链物流设施建设项目",
        "乡村旅游扶贫项目",
    ),
}
FUND_ROWS = {"区级财政": 28, "区直部门": 16, "街道乡镇": 22, "村集体": 8, "社会捐赠": 6}
FUND_AREA_P = {"察右前旗": 0.18, "正镶白旗": 0.12, "苏尼特右旗": 0.12, "和田县": 0.5, "224团": 0.08}
DEPARTMENTS = (
    "区教委",
    "区卫健委",
    "区农业农村局",
    "区商务局",
    "区人力社保局",
    "区民政局",
    "区文化和旅游局",
    "区科委",
    "区国资委",
    "区残联",
)


def _project_name(rng, area: Area, township: str = "") -> str:
    kinds = PROJECT_KINDS["内蒙古" if area.inner_mongolia else "新疆"] + PROJECT_KINDS["共同"]
    place = township or (pick(rng, area.townships) if area.townships and rng.random() < 0.6 else "")
    return f"{area.name}{place}{pick(rng, kinds)}"


def _fund_record(rng, areas, pairings, source: str) -> dict:
    if source in ("街道乡镇", "村集体"):
        town, area_name, township = pick(rng, pairings)
        area = areas[area_name]
        if source == "街道乡镇":
            project = f"{town}结对帮扶{_project_name(rng, area, township)}"
        else:
            project = f"{town}所辖村集体结对帮扶{area.name}{township}资金"
    else:
        area = areas[pick(rng, list(FUND_AREA_P), list(FUND_AREA_P.values()))]
        prefix = f"{pick(rng, DEPARTMENTS)}援助" if source == "区直部门" else ""
        project = prefix + _project_name(rng, area)
        if source == "社会捐赠":
            project = f"社会捐赠{area.name}助学助困资金"
    return {
        "项目名称": project,
        "结对地区": area,
        "资金来源": source,
        "是否深度贫困地区": "是" if area.deep_poverty else "否",
    }


def _fund_amounts(rng, records: list[dict]) -> None:
    """Amounts and dates: extra funds of about 8,000 万元, all but a few hundred paid in Q1."""
    extra = [r for r in records if r["资金来源"] in EXTRA_SOURCES]
    total = float(rng.uniform(7980, 8150))
    share = {"区级财政": 0.74, "区直部门": 0.12, "街道乡镇": 0.14}
    for source, fraction in share.items():
        group = [r for r in extra if r["资金来源"] == source]
        weights = rng.gamma(2.0, 1.0, size=len(group))
        if source == "区级财政":
            weights[0] *= 6  # the first batch of the district's own money is large
        for record, weight in zip(group, normalised(weights)):
            record["金额（万元）"] = round(total * fraction * float(weight), 2)
    later_cap, later = float(rng.uniform(250, 360)), 0.0
    for index in rng.permutation(len(extra)):
        record = extra[int(index)]
        paid_later = record["资金来源"] != "区级财政" and later + record["金额（万元）"] <= later_cap
        later += record["金额（万元）"] if paid_later else 0.0
        window = (date(2020, 4, 1), date(2020, 12, 20)) if paid_later else (date(2020, 1, 10), Q1_END)
        record["拨付日期"] = random_dates(rng, 1, *window)[0]
    for record in records:
        if record["资金来源"] not in EXTRA_SOURCES:
            record["金额（万元）"] = round(float(rng.uniform(2, 60)), 2)
            record["拨付日期"] = random_dates(rng, 1, date(2020, 2, 1), date(2020, 12, 20))[0]
    statuses = ("未开工", "在建", "已完工")
    for record in records:
        late = record["拨付日期"] > date(2020, 6, 30)
        record["项目状态"] = pick(rng, statuses, (0.25, 0.6, 0.15) if late else (0.03, 0.42, 0.55))


def _funds_expected(records: list[dict]) -> dict:
    by_source = {s: round(sum(r["金额（万元）"] for r in records if r["资金来源"] == s), 2) for s in FUND_ROWS}
    extra = [r for r in records if r["资金来源"] in EXTRA_SOURCES]
    return {
        "extra_funds_wan_2020": round(sum(r["金额（万元）"] for r in extra), 2),
        "extra_funds_wan_q1": round(sum(r["金额（万元）"] for r in extra if r["拨付日期"] <= Q1_END), 2),
        "funds_by_source_wan": by_source,
        "fund_donations_wan": round(by_source["村集体"] + by_source["社会捐赠"], 2),
    }


def _written_funds(rng, records: list[dict], in_yuan: bool) -> list[dict]:
    """Funds as written: area spellings, messy dates, and the amount in 万元 or 元, sometimes as text."""
    out = []
    dates = messy_dates(rng, [r["拨付日期"] for r in records])
    for record, paid in zip(records, dates):
        written = dict(record, 拨付日期=paid, 结对地区=pick(rng, record["结对地区"].spellings))
        amount = record["金额（万元）"]
        if "_as_text" in record:
            written["金额（万元）"] = record["_as_text"]
        elif in_yuan:
            yuan = int(round(amount * 10000))
            written["金额（万元）"] = f"{yuan:,}" if rng.random() < 0.2 else yuan
        elif amount >= 1000:
            written["金额（万元）"] = amount_text(amount)
        out.append(written)
    return out


def funds(rng: np.random.Generator, areas: dict[str, Area], pairings, scale: float) -> LedgerOutput:
    records = [
        _fund_record(rng, areas, pairings, source)
        for source, n in FUND_ROWS.items()
        for _ in range(scaled(n, scale, 2))
    ]
    _fund_amounts(rng, records)
    donations = [r for r in records if r["资金来源"] == "社会捐赠"]
    # two small donations typed with their unit, as text
    donations[0].update({"金额（万元）": 12.0, "_as_text": "12万"})
    donations[1].update({"金额（万元）": 0.34, "_as_text": "3,400元"})
    expected = _funds_expected(records)

    finance = [r for r in records if r["资金来源"] in ("区级财政", "区直部门", "社会捐赠")]
    towns = [r for r in records if r["资金来源"] in ("街道乡镇", "村集体")]
    finance_written = _written_funds(rng, finance, in_yuan=False)
    for written in finance_written:
        written["备注"] = "已拨付" if written["项目状态"] != "未开工" else "待开工"
    refund = _fund_record(rng, areas, pairings, "区级财政")
    refund.update(
        {
            "项目名称": f"{refund['项目名称']}（结余资金退回）",
            "金额（万元）": -35.6,
            "拨付日期": date(2020, 11, 16),
            "项目状态": "已完工",
            "备注": "结余退回",
        }
    )
    refund["结对地区"] = refund["结对地区"].name
    finance_rows, planted = mix_in(
        rng, finance_written, [(refund, Plant("金额（万元）", "金额为负数（资金退回不应记为拨付）"))]
    )
    towns_written = _written_funds(rng, towns, in_yuan=True)

    finance_total = sum(r["金额（万元）"] for r in finance) + refund["金额（万元）"]
    towns_total = sum(int(round(r["金额（万元）"] * 10000)) for r in towns)
    workbooks = {
        "区财政局_资金台账_2020.xlsx": [
            make_sheet(
                "funds",
                "资金台账",
                FUNDS_COLUMNS + ["备注"],
                finance_rows,
                planted=planted,
                title="2020年大兴区东西部扶贫协作资金台账（区财政局）",
                total=("金额（万元）", finance_total),
            )
        ],
        "各镇街_资金台账_2020.xlsx": [
            make_sheet(
                "funds",
                "镇街拨付资金",
                FUNDS_COLUMNS,
                towns_written,
                title="2020年各镇街结对帮扶资金拨付台账",
                blank_after_title=True,
                rename={"金额（万元）": "金额（元）"},
                total=("金额（万元）", towns_total),
                date_format='yyyy"年"m"月"d"日"',
            )
        ],
    }
    metrics = {
        w: {
            "extra_funds_wan": round(
                sum(
                    r["金额（万元）"]
                    for r in records
                    if r["资金来源"] in EXTRA_SOURCES and in_window(r["拨付日期"], end)
                ),
                2,
            ),
            "_fund_donations_wan": round(
                sum(
                    r["金额（万元）"]
                    for r in records
                    if r["资金来源"] in ("村集体", "社会捐赠") and in_window(r["拨付日期"], end)
                ),
                4,
            ),
        }
        for w, end in WINDOWS.items()
    }
    return LedgerOutput(workbooks, expected, metrics)


# =============================================================================================
# 6 贫困人口受益台账 and 7 贫困人口基数
# =============================================================================================
ROUTES = ("资金项目", "产业合作", "劳务协作", "消费扶贫", "其他")
ROUTE_P = (0.35, 0.25, 0.2, 0.12, 0.08)
ROWS_PER_PERSON_P = (0.55, 0.28, 0.12, 0.05)  # 1..4 rows, about 1.67 rows per person
PERSON_AREA_P = {"察右前旗": 0.24, "正镶白旗": 0.10, "苏尼特右旗": 0.09, "和田县": 0.545, "224团": 0.025}
BENEFIT_MONTH_P = (0.5, 0.4, 0.8, 1.0, 1.1, 1.2, 1.2, 1.2, 1.2, 1.1, 1.0, 0.8)
POOR_BASE = {"察右前旗": 4126, "正镶白旗": 1873, "苏尼特右旗": 1562, "和田县": 9845, "224团": 437}
VILLAGE_PARTS = {
    "镇乡": (
        ("大", "小", "东", "西", "南", "北", "前", "后", "新", "上", "下"),
        ("营子", "房子", "滩", "沟", "湾", "泉", "梁", "窑", "井", "圪旦", "土城", "坊子"),
    ),
    "苏木": (
        ("巴音", "宝力格", "乌兰", "哈日", "查干", "额尔敦", "希日", "呼和", "阿拉坦", "乌力吉"),
        ("", "淖尔", "敖包", "塔拉", "乌苏", "宝拉格"),
    ),
    "和田": (
        ("阿克", "托格拉克", "喀拉", "塔什", "阿热", "英", "库勒", "巴格", "吐格曼", "其乃", "阿恰", "铁热克", "萨依"),
        ("巴格", "艾日克", "吾斯塘", "阿瓦提", "博依", "兰干", ""),
    ),
}


@dataclass
class Person:
    name: str
    id_number: str
    area: Area
    township: str | None
    village: str
    exit_date: date | None = None


def _villages(rng, area: Area) -> dict[str | None, list[str]]:
    """A few invented villages per township; 224团 has 连队 (companies) instead."""
    if not area.townships:
        return {None: [f"{k}连" for k in range(1, 13)]}
    villages = {}
    for township in area.townships:
        kind = "和田" if not area.inner_mongolia else ("苏木" if township.endswith("苏木") else "镇乡")
        first, second = VILLAGE_PARTS[kind]
        suffix = "嘎查" if kind == "苏木" else "村"
        names = {f"{pick(rng, first)}{pick(rng, second)}{suffix}" for _ in range(int(rng.integers(6, 11)))}
        villages[township] = sorted(names)
    return villages


def _new_person(rng, ids: IdFactory, area: Area, villages) -> Person:
    male = rng.random() < 0.5
    style = pick(rng, ("han", "mongolian", "uyghur"), NAME_STYLE[area.name])
    birth = random_dates(rng, 1, date(1940, 1, 1), date(2015, 12, 31))[0]
    code = pick(rng, ADDRESS_CODES[area.name])
    if area.name == "察右前旗" and birth.year < 2003 and rng.random() < 0.6:
        code = OLD_CODE_CHAYOU
    township = pick(rng, list(villages))
    return Person(
        chinese_name(rng, male, style), ids.make(code, birth, male), area, township, pick(rng, villages[township])
    )


def _benefit_record(person: Person, route: str, benefit: date) -> dict:
    return {
        "姓名": person.name,
        "身份证号": person.id_number,
        "结对地区": person.area.name,
        "乡镇": person.township,
        "村": person.village,
        "受益途径": route,
        "受益日期": benefit,
        "是否脱贫": "是" if person.exit_date else "否",
        "脱贫日期": person.exit_date,
    }


def _person_records(rng, person: Person) -> list[dict]:
    count = int(rng.choice(len(ROWS_PER_PERSON_P), p=ROWS_PER_PERSON_P)) + 1
    routes = [ROUTES[int(i)] for i in rng.choice(len(ROUTES), size=count, replace=False, p=ROUTE_P)]
    benefits = sorted(dates_by_month(rng, count, BENEFIT_MONTH_P))
    if rng.random() < 0.5:
        person.exit_date = random_dates(rng, 1, benefits[-1], YEAR_END)[0]
    return [_benefit_record(person, route, day) for route, day in zip(routes, benefits)]


def _written_ids(rng, ids: list[str]) -> list[str]:
    """IDs as text: a lower-case x now and then, and a few with stray spaces (both still valid)."""
    out = [i[:-1] + "x" if i.endswith("X") and rng.random() < 0.25 else i for i in ids]
    for index in rng.choice(len(out), size=max(1, len(out) // 400), replace=False):
        number = out[int(index)]
        out[int(index)] = f"{number[:6]} {number[6:14]} {number[14:]}" if index % 2 else number + " "
    return out


def _written_benefits(rng, area: Area, records: list[dict]) -> list[dict]:
    out = [dict(r) for r in records]
    columns = {
        "身份证号": _written_ids(rng, [r["身份证号"] for r in records]),
        "结对地区": spellings(rng, area, len(records)),
        "受益日期": messy_dates(rng, [r["受益日期"] for r in records]),
        "脱贫日期": messy_dates(rng, [r["脱贫日期"] for r in records]),
    }
    for column, values in columns.items():
        for record, value in zip(out, values):
            record[column] = value
    return out


def _bad_benefits(rng, ids: IdFactory, areas, villages) -> dict[str, list[tuple[dict, Plant]]]:
    """The planted bad rows per area: each a new person whose only row must be rejected."""

    def row(area_name: str) -> dict:
        person = _new_person(rng, ids, areas[area_name], villages[area_name])
        return _benefit_record(person, pick(rng, ROUTES, ROUTE_P), dates_by_month(rng, 1, BENEFIT_MONTH_P)[0])

    bad: dict[str, list[tuple[dict, Plant]]] = {name: [] for name in areas}
    for area_name in ("察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团", "和田县", "察右前旗", "和田县"):
        record = row(area_name)
        record["身份证号"] = with_wrong_check_digit(record["身份证号"])
        bad[area_name].append((record, Plant("身份证号", "身份证号校验位错误")))
    record = row("正镶白旗")
    first17 = record["身份证号"][:10] + "13" + record["身份证号"][12:17]
    record["身份证号"] = first17 + check_digit(first17)
    bad["正镶白旗"].append((record, Plant("身份证号", "身份证号中的出生日期不存在（月份为13）")))
    record = row("察右前旗")
    # typed into a General-format cell: Excel keeps 15 significant digits of the 18 (an ID
    # ending in X cannot be typed as a number: draw again; the first draw is kept when it can)
    number = ids.make("150926", date(1980, 1, 1), True)
    while number.endswith("X"):
        number = ids.make("150926", date(1980, 1, 1), True)
    record["身份证号"] = float(f"{int(number):.15g}")
    bad["察右前旗"].append((record, Plant("身份证号", "身份证号被存成数字，已丢失精度")))
    record = row("苏尼特右旗")
    record["身份证号"] = record["身份证号"][:9] + record["身份证号"][10:]
    bad["苏尼特右旗"].append((record, Plant("身份证号", "身份证号只有17位")))
    record = row("和田县")
    record["结对地区"] = "某某县"
    bad["和田县"].append((record, Plant("结对地区", "结对地区不在结对名单中")))
    return bad


def _benefit_expected(people: list[Person], records: list[dict]) -> dict:
    industry = {r["身份证号"] for r in records if r["受益途径"] == "产业合作"}
    exited = {p.id_number for p in people if p.exit_date}
    by_area = {}
    for p in people:
        by_area[p.area.name] = by_area.get(p.area.name, 0) + 1
    return {
        "distinct_valid_persons": len(people),
        "distinct_valid_persons_by_area": by_area,
        "people_exited": len(exited),
        "industry_people_benefited": len(industry),
        "industry_people_exited": len(industry & exited),
    }


def _benefit_metrics(people: list[Person], records: list[dict], end: date) -> dict:
    """Ledger-6 keys for the window: distinct IDs benefited (受益日期) or lifted out (脱贫日期)."""
    benefited = [r for r in records if in_window(r["受益日期"], end)]
    exited = {p.id_number for p in people if in_window(p.exit_date, end)}
    industry_rows = {r["身份证号"] for r in records if r["受益途径"] == "产业合作"}
    return {
        "people_benefited": len({r["身份证号"] for r in benefited}),
        "people_exited": len(exited),
        "industry_people_benefited": len({r["身份证号"] for r in benefited if r["受益途径"] == "产业合作"}),
        "industry_people_exited": len(exited & industry_rows),
    }


def beneficiaries(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    ids = IdFactory(rng)
    total_persons = scaled(12000, scale, 60)
    villages = {name: _villages(rng, area) for name, area in areas.items()}
    people, records_by_area = [], {}
    for name, share in PERSON_AREA_P.items():
        area_people = [
            _new_person(rng, ids, areas[name], villages[name])
            for _ in range(max(12, int(round(total_persons * share))))
        ]
        records = [r for p in area_people for r in _person_records(rng, p)]
        order = {p.id_number: k for k, p in enumerate(area_people)}
        records.sort(key=lambda r: (r["乡镇"] or "", r["村"], order[r["身份证号"]], r["受益日期"]))
        people += area_people
        records_by_area[name] = records
    expected = _benefit_expected(people, [r for rs in records_by_area.values() for r in rs])

    bad = _bad_benefits(rng, ids, areas, villages)
    workbooks = {}
    for index, (name, records) in enumerate(records_by_area.items()):
        rows, planted = mix_in(rng, _written_benefits(rng, areas[name], records), bad[name])
        workbooks[f"区经济协作办_贫困人口受益台账_{name}_2020.xlsx"] = [
            make_sheet(
                "beneficiaries",
                "Sheet1" if name == "224团" else "贫困人口受益台账",
                BENEFIT_COLUMNS,
                rows,
                planted=planted,
                title=f"2020年{name}建档立卡贫困人口受益台账",
                blank_after_title=index % 2 == 1,
                text_columns=("身份证号",),
            )
        ]
    all_records = [r for rs in records_by_area.values() for r in rs]
    metrics = {w: _benefit_metrics(people, all_records, end) for w, end in WINDOWS.items()}
    return LedgerOutput(workbooks, expected, metrics)


def poor_base(rng: np.random.Generator, areas: dict[str, Area]) -> tuple[SheetSpec, dict]:
    """One row per area; written without a title row as the second sheet of a workbook."""
    records = [
        {"结对地区": pick(rng, area.spellings), "年度": 2020, "年初建档立卡贫困人口数": POOR_BASE[name]}
        for name, area in areas.items()
    ]
    expected = {"registered_poor_start": dict(POOR_BASE), "registered_poor_start_total": sum(POOR_BASE.values())}
    return make_sheet("poor_base", "贫困人口基数", BASE_COLUMNS, records), expected


# =============================================================================================
# Budget units (canteens and trade unions), shared by ledgers 9 and 10
# =============================================================================================
UNIT_DEPARTMENTS = (
    "区委办",
    "区政府办",
    "区人大办",
    "区政协办",
    "区纪委监委",
    "区委组织部",
    "区委宣传部",
    "区委统战部",
    "区委政法委",
    "区发展改革委",
    "区教委",
    "区科委",
    "区经信局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力社保局",
    "区规划自然资源分局",
    "区生态环境局",
    "区住建委",
    "区城管委",
    "区交通局",
    "区水务局",
    "区农业农村局",
    "区商务局",
    "区文化和旅游局",
    "区卫健委",
    "区退役军人局",
    "区应急局",
    "区市场监管局",
    "区审计局",
    "区国资委",
    "区统计局",
    "区医保局",
    "区体育局",
    "区城管执法局",
    "区园林绿化局",
    "区信访办",
    "区经济协作办",
    "区融媒体中心",
    "区人民法院",
    "区人民检察院",
    "区委党校",
    "区总工会",
    "团区委",
    "区妇联",
    "区残联",
    "区科协",
    "区档案馆",
    "区人民医院",
    "区中医医院",
    "区第一中学",
    "区职业学校",
    "黄村镇",
    "西红门镇",
    "旧宫镇",
    "亦庄镇",
    "瀛海镇",
    "青云店镇",
    "采育镇",
    "安定镇",
    "礼贤镇",
    "榆垡镇",
    "庞各庄镇",
    "北臧村镇",
    "魏善庄镇",
    "长子营镇",
    "兴丰街道",
    "林校路街道",
    "清源街道",
    "观音寺街道",
    "天宫院街道",
    "高米店街道",
)


def budget_units(rng: np.random.Generator, n: int) -> list[tuple[str, str]]:
    """n distinct (unit name, 单位类型): about two thirds canteens, one third trade unions."""
    pool = [(f"{d}机关食堂", "预算单位食堂") for d in UNIT_DEPARTMENTS] + [
        (f"{d}工会", "工会") for d in UNIT_DEPARTMENTS
    ]
    weights = normalised([2.0 if kind == "预算单位食堂" else 1.0 for _, kind in pool])
    chosen = [int(i) for i in rng.choice(len(pool), size=min(n, len(pool)), replace=False, p=weights)]
    for kind in ("预算单位食堂", "工会"):  # a small draw may miss one kind: swap one unit in
        if all(pool[i][1] != kind for i in chosen):
            others = [i for i, (_, k) in enumerate(pool) if k == kind]
            chosen[-1 if kind == "工会" else 0] = others[int(rng.integers(0, len(others)))]
    return [pool[i] for i in sorted(chosen)]


# =============================================================================================
# 9 消费扶贫台账
# =============================================================================================
BUYER_TYPES = ("预算单位食堂", "工会", "国有企业", "民营企业", "商超", "个人", "其他")
BUYER_TYPE_P = (0.3, 0.25, 0.12, 0.1, 0.1, 0.08, 0.05)
CHANNELS = ("京东", "兴扶购", "双创分中心", "专卖店", "专区专柜", "兴蒙源", "展销会", "其他")
CHANNEL_P = (0.15, 0.2, 0.15, 0.12, 0.13, 0.1, 0.08, 0.07)
OTHER_BUYERS = {
    "国有企业": (
        "北京兴示范投资有限公司",
        "北京大兴示范城建集团有限公司",
        "北京临空示范发展有限公司",
        "北京兴农示范供销有限公司",
    ),
    "民营企业": (
        "北京金穗示范农业科技有限公司",
        "北京瑞丰示范餐饮管理有限公司",
        "北京康达示范物流有限公司",
        "北京华兴示范食品有限公司",
    ),
    "商超": ("惠民生鲜超市（黄村店）", "兴旺超市（旧宫店）", "便民连锁超市（亦庄店）", "扶贫产品专区超市（西红门店）"),
    "个人": ("个人消费者（线上）", "个人消费者（展销会）", "职工个人"),
    "其他": ("区慈善协会", "区红十字会", "社区居委会", "区社会组织服务中心"),
}
PRODUCTS = {
    "察右前旗": ("马铃薯", "燕麦面", "藜麦", "羊肉", "胡麻油"),
    "正镶白旗": ("羊肉", "奶酪", "奶茶粉", "牛肉干"),
    "苏尼特右旗": ("苏尼特羊肉", "奶豆腐", "驼奶粉", "手把肉"),
    "和田县": ("和田红枣", "核桃", "玫瑰花茶", "肉苁蓉", "鸽子"),
    "224团": ("红枣", "核桃", "鸡蛋", "羊肉"),
}
CONSUMPTION_AREA_P = {"察右前旗": 0.25, "正镶白旗": 0.15, "苏尼特右旗": 0.15, "和田县": 0.35, "224团": 0.10}
CONSUMPTION_MONTH_P = (1.6, 0.4, 0.6, 0.8, 0.9, 1.0, 0.8, 0.9, 1.4, 1.0, 1.2, 1.4)


def _consumption_record(rng, areas, units, buyer_type: str, channel: str, day: date) -> dict:
    if buyer_type in ("预算单位食堂", "工会"):
        buyer = pick(rng, [name for name, kind in units if kind == buyer_type])
    else:
        buyer = pick(rng, OTHER_BUYERS[buyer_type])
    area_names = [n for n in CONSUMPTION_AREA_P if channel != "兴蒙源" or areas[n].inner_mongolia]
    area = areas[pick(rng, area_names, normalised([CONSUMPTION_AREA_P[n] for n in area_names]))]
    amount = float(np.clip(rng.lognormal(np.log(0.9), 1.0), 0.05, 80.0))
    if buyer_type in ("国有企业", "商超"):
        amount *= 3
    return {
        "日期": day,
        "采购单位": buyer,
        "单位类型": buyer_type,
        "渠道": channel,
        "产品名称": pick(rng, PRODUCTS[area.name]),
        "产地": pick(rng, area.spellings),
        "是否名录产品": "是" if rng.random() < 0.9 else "否",
        "金额（万元）": round(max(amount, 0.01), 2),
    }


def consumption(rng: np.random.Generator, areas: dict[str, Area], units, scale: float) -> LedgerOutput:
    n = scaled(2000, scale, 30)
    days = sorted(dates_by_month(rng, n, CONSUMPTION_MONTH_P))
    records = [
        _consumption_record(rng, areas, units, buyer_type, channel, day)
        for buyer_type, channel, day in zip(
            cover(rng, BUYER_TYPES, n, BUYER_TYPE_P), cover(rng, CHANNELS, n, CHANNEL_P), days
        )
    ]
    fullwidth = set(int(i) for i in rng.choice(n, size=max(1, n // 1000), replace=False))
    for index in fullwidth:
        records[index]["金额（万元）"] = float(int(rng.integers(2, 20)))
    expected = {"product_sales_wan": round(sum(r["金额（万元）"] for r in records), 2)}

    written = []
    for index, (record, day) in enumerate(zip(records, messy_dates(rng, days))):
        amount = record["金额（万元）"]
        if index in fullwidth:
            amount = str(int(amount)).translate(FULLWIDTH_DIGITS)
        elif rng.random() < 0.03:
            amount = amount_text(amount)
        written.append(dict(record, 日期=day, **{"金额（万元）": amount}))
    bad = _consumption_record(rng, areas, units, "工会", "兴扶购", date(2020, 2, 28))
    bad_amount = bad["金额（万元）"]
    bad["日期"] = "2020-02-30"
    rows, planted = mix_in(rng, written, [(bad, Plant("日期", "日期不存在（2月没有30日）"))])
    sheet = make_sheet(
        "consumption",
        "消费扶贫台账",
        CONSUMPTION_COLUMNS,
        rows,
        planted=planted,
        title="2020年大兴区消费扶贫台账",
        rename={"产地": "产地（结对地区）"},
        total=("金额（万元）", expected["product_sales_wan"] + bad_amount),
    )
    metrics = {
        w: {"product_sales_wan": round(sum(r["金额（万元）"] for r in records if in_window(r["日期"], end)), 2)}
        for w, end in WINDOWS.items()
    }
    return LedgerOutput({"区商务局_消费扶贫台账_2020.xlsx": [sheet]}, expected, metrics)


# =============================================================================================
# 10 食堂采购台账
# =============================================================================================
BELOW_TARGET_SHARE = {1: 0.175, 2: 0.125, 3: 0.1, 4: 0.0625}  # share of units under 30% per quarter
UNION_SEASON = {1: 1.6, 2: 0.7, 3: 1.3, 4: 1.0}  # 春节 and 中秋 gifts


def _quarter_labels(rng, quarter: int, n: int) -> list[str]:
    forms = (f"2020Q{quarter}", f"2020年第{CN_QUARTER[quarter]}季度", f"2020年第{quarter}季度", f"2020-Q{quarter}")
    return cover(rng, forms, n, (0.4, 0.3, 0.15, 0.15))


def _canteen_quarter(rng, units, quarter: int, bases: np.ndarray) -> list[dict]:
    n = len(units)
    below = set(int(i) for i in rng.choice(n, size=max(1, int(round(n * BELOW_TARGET_SHARE[quarter]))), replace=False))
    records = []
    for index, ((unit, kind), base, label) in enumerate(zip(units, bases, _quarter_labels(rng, quarter, n))):
        season = UNION_SEASON[quarter] if kind == "工会" else 1.0
        food_total = round(float(base * season * rng.uniform(0.8, 1.2)), 2)
        high = 0.95 if kind == "工会" else 0.6
        share = rng.uniform(0.08, 0.27) if index in below else rng.uniform(0.32, high)
        records.append(
            {
                "单位名称": unit,
                "单位类型": kind,
                "季度": label,
                "食材采购总额（万元）": food_total,
                "其中扶贫产品采购额（万元）": round(food_total * float(share), 2),
                "_quarter": f"2020Q{quarter}",
            }
        )
    return records


def _canteen_expected(records: list[dict]) -> dict:
    by_quarter: dict[str, list[dict]] = {}
    for r in records:
        by_quarter.setdefault(r["_quarter"], []).append(r)

    def ratio(r: dict) -> float:
        return r["其中扶贫产品采购额（万元）"] / r["食材采购总额（万元）"]

    return {
        "canteen_units": len({r["单位名称"] for r in records}),
        "canteen_below_30": {q: sum(ratio(r) < 0.30 for r in rs) for q, rs in by_quarter.items()},
        "canteen_ratio": {
            q: round(sum(r["其中扶贫产品采购额（万元）"] for r in rs) / sum(r["食材采购总额（万元）"] for r in rs), 4)
            for q, rs in by_quarter.items()
        },
    }


def canteen(rng: np.random.Generator, units) -> LedgerOutput:
    bases = np.array([rng.lognormal(np.log(25 if kind == "预算单位食堂" else 8), 0.5) for _, kind in units])
    quarters = {q: _canteen_quarter(rng, units, q, bases) for q in (1, 2, 3, 4)}
    exact = next(r for r in quarters[2] if r["其中扶贫产品采购额（万元）"] / r["食材采购总额（万元）"] >= 0.32)
    exact["食材采购总额（万元）"], exact["其中扶贫产品采购额（万元）"] = 20.0, 6.0  # exactly 30%
    bad_index = next(
        i
        for i, r in enumerate(quarters[3])
        if r["其中扶贫产品采购额（万元）"] / r["食材采购总额（万元）"] >= 0.32 and r["单位名称"] != exact["单位名称"]
    )
    bad = quarters[3][bad_index]
    clean = [r for q in quarters.values() for r in q if r is not bad]
    expected = _canteen_expected(clean)
    expected["canteen_exactly_30"] = {"unit": exact["单位名称"], "quarter": "2020Q2"}
    bad["其中扶贫产品采购额（万元）"] = round(bad["其中扶贫产品采购额（万元）"] * 10, 2)  # a slipped decimal point

    layout = {  # quarter -> (sheet name, title, blank row after title, header renames)
        1: ("一季度", "2020年第一季度预算单位食堂和工会扶贫产品采购台账", False, {}),
        2: ("二季度", "2020年第二季度预算单位食堂和工会扶贫产品采购台账", True, {}),
        3: (
            "三季度",
            "2020年第三季度预算单位食堂和工会扶贫产品采购台账",
            False,
            {"食材采购总额（万元）": "食材采购总额(万元)", "其中扶贫产品采购额（万元）": "扶贫产品采购额(万元)"},
        ),
        4: ("四季度", None, False, {"其中扶贫产品采购额（万元）": "其中扶贫产品采购额"}),
    }
    sheets = []
    for quarter, (name, title, blank, rename) in layout.items():
        planted = (
            {bad_index: Plant("其中扶贫产品采购额（万元）", "扶贫产品采购额大于食材采购总额")} if quarter == 3 else {}
        )
        sheets.append(
            make_sheet(
                "canteen",
                name,
                CANTEEN_COLUMNS,
                quarters[quarter],
                planted=planted,
                title=title,
                blank_after_title=blank,
                rename=rename,
            )
        )
    return LedgerOutput({"区商务局_食堂采购台账_2020.xlsx": sheets}, expected)


# =============================================================================================
# Shared helpers of the ledgers added for the whole assessment (1, 2, 4, 8, 11 to 17)
# =============================================================================================
INNER_MONGOLIA = ("察右前旗", "正镶白旗", "苏尼特右旗")
XINJIANG = ("和田县", "224团")
# The top leaders' trips (区委书记 to 内蒙古 in July, 区长 to 新疆 in September) and the
# 区长's June visit to 察右前旗: the visits ledger and the joint meetings follow them.
TOP_VISITS = (
    (date(2020, 6, 19), "察右前旗", "区长"),
    (date(2020, 7, 14), "察右前旗", "区委书记"),
    (date(2020, 7, 15), "正镶白旗", "区委书记"),
    (date(2020, 7, 16), "苏尼特右旗", "区委书记"),
    (date(2020, 9, 8), "和田县", "区长"),
    (date(2020, 9, 10), "224团", "区长"),
)


def day_in(rng: np.random.Generator, month: int, year: int = 2020) -> date:
    return date(year, month, int(rng.integers(1, calendar.monthrange(year, month)[1] + 1)))


def written_area(rng: np.random.Generator, area: Area) -> str:
    return spellings(rng, area, 1)[0]


def written_count(rng: np.random.Generator, value: int, unit: str, p: float = 0.08):
    """A count, now and then typed as text with its unit (45人)."""
    return f"{value}{unit}" if rng.random() < p else value


def with_messy_dates(rng: np.random.Generator, records: list[dict], column: str) -> list[dict]:
    """Copies of the records with one date column written in every style."""
    out = [dict(r) for r in records]
    for record, value in zip(out, messy_dates(rng, [r[column] for r in records])):
        record[column] = value
    return out


def split_total(rng: np.random.Generator, total: int, n: int) -> list[int]:
    """total split into n positive integers (gamma weights)."""
    weights = normalised(rng.gamma(3.0, 1.0, size=n))
    parts = [max(1, int(w * total)) for w in weights]
    parts[int(np.argmax(parts))] += total - sum(parts)
    return parts


def distinct_names(rng: np.random.Generator, n: int, make) -> list[str]:
    """n distinct names from make(rng) (which must be able to make n of them)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        name = make(rng)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


# =============================================================================================
# 1 会议台账
# =============================================================================================
MEETING_COLUMNS = ["序号", "日期", "会议名称", "会议类型", "是否研究八到位", "结对地区", "证明材料"]
LEADERSHIP_KINDS = ("区委常委会", "区政府常务会", "全区大会")
LEADERSHIP_MEETINGS = (  # (month, type, name, 是否研究八到位); the first is the seed's own meeting
    (2, "区委常委会", "五届区委常委会第101次会议（研究《2020年大兴区扶贫协作工作计划》）", "是"),
    (3, "区政府常务会", "区政府第{n}次常务会议（研究东西部扶贫协作资金安排）", "是"),
    (4, "全区大会", "全区扶贫协作和支援合作工作大会", "是"),
    (7, "区政府常务会", "区政府第{n}次常务会议（研究消费扶贫工作）", "否"),
    (8, "区委常委会", "区委常委会会议（听取扶贫协作工作情况汇报）", "是"),
    (9, "全区大会", "全区消费扶贫工作推进大会", "否"),
    (11, "区政府常务会", "区政府第{n}次常务会议（研究脱贫攻坚收官阶段扶贫协作工作）", "是"),
)
LEADER_MEETING_MONTHS = (3, 6, 12)  # no 主管领导推进会 in Q3 (the summer visits)
DISPATCH_MONTHS = (1, 4, 5, 7, 9, 10, 12)
CONTACT_MONTHS = (1, 3, 4, 6, 7, 8, 9, 10, 11, 12)  # 部门对接; none in February (epidemic), May has a 联席会
CONTACT_TOPICS = (
    "消费扶贫产品供应",
    "劳务协作岗位推送",
    "援派干部管理",
    "资金项目进度",
    "结对帮扶协议落实",
    "疫情防控物资支援",
    "扶贫车间建设",
    "年度考核迎检准备",
    "携手奔小康行动",
    "产业合作项目",
)
OTHER_MEETINGS = ((5, "扶贫协作业务培训会"), (8, "援派干部人才座谈会"), (10, "消费扶贫工作专班会议"))
EVIDENCE = ("会议纪要", "会议纪要、新闻报道", "会议纪要、照片", "视频会议截图、会议纪要")


def _meeting(day: date, name: str, kind: str, bdw: str | None, area: Area | None, evidence: str) -> dict:
    return {
        "日期": day,
        "会议名称": name,
        "会议类型": kind,
        "是否研究八到位": bdw,
        "结对地区": area,
        "证明材料": evidence,
    }


def _meeting_metrics(records: list[dict], end: date) -> dict:
    rows = [r for r in records if in_window(r["日期"], end)]
    leadership = [r for r in rows if r["会议类型"] in LEADERSHIP_KINDS]

    def quarters(kind: str) -> int:
        return len({(r["日期"].month - 1) // 3 for r in rows if r["会议类型"] == kind})

    return {
        "leadership_meetings": len(leadership),
        "leadership_meetings_bdw": sum(r["是否研究八到位"] == "是" for r in leadership),
        "quarters_leader_meeting": quarters("主管领导推进会"),
        "quarters_dept_dispatch": quarters("主管部门调度会"),
        "counties_joint_meeting": len({r["结对地区"].name for r in rows if r["会议类型"] == "高层联席会"}),
        "months_county_contact": len({r["日期"].month for r in rows if r["会议类型"] in ("高层联席会", "部门对接")}),
    }


def meetings(rng: np.random.Generator, areas: dict[str, Area]) -> LedgerOutput:
    records = []
    session = int(rng.integers(52, 58))
    for month, kind, name, bdw in LEADERSHIP_MEETINGS:
        day = date(2020, 2, 20) if month == 2 else day_in(rng, month)
        if "{n}" in name:
            session += int(rng.integers(3, 9))
        records.append(_meeting(day, name.format(n=session), kind, bdw, None, pick(rng, EVIDENCE)))
    for k, month in enumerate(LEADER_MEETING_MONTHS, start=1):
        records.append(
            _meeting(
                day_in(rng, month),
                f"2020年扶贫协作工作推进会（第{CN_QUARTER[k]}次）",
                "主管领导推进会",
                pick(rng, ("是", None)),
                None,
                pick(rng, EVIDENCE),
            )
        )
    for month in DISPATCH_MONTHS:
        records.append(
            _meeting(
                day_in(rng, month),
                f"扶贫协作工作调度会（{month}月）",
                "主管部门调度会",
                None,
                None,
                pick(rng, ("会议纪要", "工作调度记录")),
            )
        )
    joint = [(date(2020, 5, 21), "和田县", "视频会议")] + [(d, a, "会议纪要、新闻报道") for d, a, _ in TOP_VISITS[1:]]
    for day, name, evidence in joint:
        records.append(_meeting(day, f"大兴区—{name}扶贫协作高层联席会议", "高层联席会", "是", areas[name], evidence))
    for month in CONTACT_MONTHS:
        for _ in range(int(rng.integers(1, 4))):
            area = areas[pick(rng, list(areas))]
            records.append(
                _meeting(
                    day_in(rng, month),
                    f"与{area.name}扶贫办对接{pick(rng, CONTACT_TOPICS)}",
                    "部门对接",
                    None,
                    area,
                    pick(rng, ("对接记录", "联系沟通记录", "会议纪要", "视频会议记录")),
                )
            )
    for month, name in OTHER_MEETINGS:
        records.append(_meeting(day_in(rng, month), name, "其他", None, None, "会议通知、签到表"))
    records.sort(key=lambda r: r["日期"])
    metrics = {w: _meeting_metrics(records, end) for w, end in WINDOWS.items()}

    written = with_messy_dates(rng, records, "日期")
    for record in written:
        record["结对地区"] = record["结对地区"] and written_area(rng, record["结对地区"])
        if record["是否研究八到位"] == "是" and rng.random() < 0.15:
            record["是否研究八到位"] = "√"
    bad = _meeting(date(2020, 6, 9), "扶贫协作专题会（研究消费扶贫双创分中心建设）", "专题会", "否", None, "会议纪要")
    rows, planted = mix_in(rng, written, [(bad, Plant("会议类型", "会议类型“专题会”不是可选值"))])
    sheet = make_sheet(
        "meetings", "会议台账", MEETING_COLUMNS, rows, planted=planted, title="2020年大兴区扶贫协作会议台账"
    )
    return LedgerOutput({"区经济协作办_会议台账_2020.xlsx": [sheet]}, {}, metrics)


# =============================================================================================
# 2 调研对接台账
# =============================================================================================
VISIT_COLUMNS = [
    "序号",
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
    "备注",
]
OTHER_LEADERS = (
    "副区长",
    "副区长",
    "区委常委、统战部部长",
    "区委常委、组织部部长",
    "区政协副主席",
    "区经济协作办主任",
    "区商务局局长",
    "区人力社保局局长",
    "区农业农村局局长",
    "区教委主任",
    "区卫生健康委主任",
)
VISIT_MONTH_P = (0.0, 0.0, 0.2, 0.5, 1.0, 1.2, 1.5, 1.5, 1.3, 1.2, 1.0, 0.6)


def _visit(rng, day: date, area: Area, leader: str, post: str, top: bool) -> dict:
    delegation = int(rng.integers(15, 31) if top else rng.integers(4, 16))
    bureau = min(delegation, int(rng.integers(3, 9) if top else rng.integers(1, 5)))
    return {
        "日期": day,
        "结对地区": area,
        "带队领导": leader,
        "职务": post,
        "是否区委区政府主要领导": "是" if top else "否",
        "代表团人次": delegation,
        "其中局级人次": bureau,
        "调研贫困村数": int(rng.integers(1, 6)),
        "调研项目点数": int(rng.integers(2, 9)),
        "调研贫困户数": int(rng.integers(3, 16)),
        "备注": "慰问援派干部及贫困户" if top else None,
    }


def visits(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    leaders = {"区委书记": chinese_name(rng, True), "区长": chinese_name(rng, True)}
    deputies = {post: chinese_name(rng, rng.random() < 0.7) for post in OTHER_LEADERS}
    records = [_visit(rng, day, areas[name], leaders[post], post, True) for day, name, post in TOP_VISITS]
    n = scaled(16, scale, 3)
    for day, name in zip(
        sorted(dates_by_month(rng, n, VISIT_MONTH_P)), cover(rng, list(areas), n, [0.25, 0.15, 0.15, 0.35, 0.1])
    ):
        post = pick(rng, OTHER_LEADERS)
        records.append(_visit(rng, day, areas[name], deputies[post], post, False))
    records.sort(key=lambda r: r["日期"])
    metrics = {
        w: {
            "counties_visited": len(
                {
                    r["结对地区"].name
                    for r in records
                    if r["是否区委区政府主要领导"] == "是" and in_window(r["日期"], end)
                }
            )
        }
        for w, end in WINDOWS.items()
    }
    written = with_messy_dates(rng, records, "日期")
    for record in written:
        record["结对地区"] = written_area(rng, record["结对地区"])
        record["调研贫困户数"] = written_count(rng, record["调研贫困户数"], "户")
    bad = _visit(rng, date(2020, 8, 26), areas["察右前旗"], deputies["区商务局局长"], "区商务局局长", False)
    bad["结对地区"] = "乌兰察布市"
    rows, planted = mix_in(rng, written, [(bad, Plant("结对地区", "“乌兰察布市”是地级市，不是结对地区"))])
    sheet = make_sheet(
        "visits",
        "调研对接台账",
        VISIT_COLUMNS,
        rows,
        planted=planted,
        title="2020年大兴区赴结对地区调研对接台账",
        blank_after_title=True,
    )
    return LedgerOutput({"区经济协作办_调研对接台账_2020.xlsx": [sheet]}, {}, metrics)


# =============================================================================================
# 4 培训台账 (区委组织部: cadre classes; 区人力社保局: poor workers and rural business leaders)
# =============================================================================================
TRAINING_COLUMNS = [
    "序号",
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
CADRE_TRAINING_MONTH_P = (0.3, 0.1, 0.3, 0.6, 0.8, 1.0, 1.2, 1.2, 1.4, 1.4, 1.3, 1.0)
LABOR_TRAINING_MONTH_P = (0.4, 0.1, 0.5, 1.0, 1.2, 1.3, 1.3, 1.2, 1.2, 1.1, 1.0, 0.6)
CADRE_TOPICS = (
    "乡村振兴与脱贫攻坚能力提升",
    "党政干部能力提升",
    "消费扶贫与农村电商",
    "基层治理与党建引领",
    "产业扶贫与招商引资",
)
PRO_TOPICS = ("中小学骨干教师", "医疗卫生专业技术人才", "农牧业技术人员", "疾病预防控制业务骨干", "乡村医生")
SKILLS = (
    "家政服务",
    "保安员",
    "育婴员",
    "电焊工",
    "中式烹调",
    "电子商务",
    "汽车驾驶",
    "种养殖实用技术",
    "民族刺绣",
    "餐饮服务",
    "保洁员",
    "养老护理员",
)


def _training(
    rng,
    title: str,
    start: date,
    days: int,
    place: str,
    organiser: str,
    audience: str,
    area: Area | None,
    trainees: int,
    poor: int | None,
    employed: int | None,
) -> dict:
    return {
        "培训班名称": title,
        "开始日期": start,
        "结束日期": start + timedelta(days=days - 1),
        "地点": place,
        "主办单位": organiser,
        "培训对象": audience,
        "结对地区": area,
        "培训人数": trainees,
        "其中建档立卡贫困人口数": poor,
        "培训后就业人数": employed,
    }


def _cadre_class(rng, areas, start: date) -> dict:
    area = areas[pick(rng, list(areas), [0.2, 0.15, 0.15, 0.4, 0.1])] if rng.random() < 0.85 else None
    online = start.month <= 5 or rng.random() < 0.15
    if rng.random() < 0.6:
        audience, topic, organiser = "党政干部", pick(rng, CADRE_TOPICS), pick(rng, ("区委组织部", "区委党校"))
    else:
        audience, topic = "专业技术人才", pick(rng, PRO_TOPICS)
        organiser = {"中小学骨干教师": "区教委", "农牧业技术人员": "区农业农村局"}.get(topic, "区卫生健康委")
    who = area.name if area else "各结对地区"
    place = "线上（视频培训）" if online else pick(rng, ("区委党校", f"{who}", "区委党校"))
    trainees = int(rng.integers(60, 160) if online else rng.integers(25, 80))
    return _training(
        rng,
        f"{who}{topic}培训班",
        start,
        int(rng.integers(1, 4) if online else rng.integers(3, 11)),
        place,
        organiser,
        audience,
        area,
        trainees,
        None,
        None,
    )


def _labor_class(rng, areas, start: date, audience: str) -> dict:
    area = areas[pick(rng, list(areas), [0.25, 0.15, 0.15, 0.35, 0.1])]
    if audience == "贫困劳动力":
        trainees = int(rng.integers(30, 121))
        poor = int(round(trainees * rng.uniform(0.6, 1.0)))
        employed = int(round(trainees * rng.uniform(0.3, 0.8)))
        in_beijing = rng.random() < 0.2
        return _training(
            rng,
            f"{area.name}建档立卡贫困劳动力{pick(rng, SKILLS)}培训班",
            start,
            int(rng.integers(5, 21)),
            "区职业技能实训基地" if in_beijing else area.name,
            "区人力社保局" if in_beijing else f"{area.name}人社局（区人力社保局支持）",
            audience,
            area,
            trainees,
            poor,
            employed,
        )
    trainees = int(rng.integers(20, 61))
    return _training(
        rng,
        f"{area.name}创业致富带头人培训班",
        start,
        int(rng.integers(5, 11)),
        pick(rng, ("区委党校", "区农业农村局培训中心", area.name)),
        pick(rng, ("区人力社保局", "区农业农村局")),
        audience,
        area,
        trainees,
        int(rng.integers(0, max(1, trainees // 5))),
        None,
    )


def _training_metrics(records: list[dict], end: date) -> dict:
    rows = [r for r in records if in_window(r["开始日期"], end)]
    return {
        "cadres_trained": sum(r["培训人数"] for r in rows if r["培训对象"] in ("党政干部", "专业技术人才")),
        "poor_trained": sum(r["其中建档立卡贫困人口数"] for r in rows if r["培训对象"] == "贫困劳动力"),
        "leaders_trained": sum(r["培训人数"] for r in rows if r["培训对象"] == "致富带头人"),
    }


def _written_trainings(rng, records: list[dict]) -> list[dict]:
    out = with_messy_dates(rng, with_messy_dates(rng, records, "开始日期"), "结束日期")
    for record in out:
        record["结对地区"] = record["结对地区"] and written_area(rng, record["结对地区"])
        record["培训人数"] = written_count(rng, record["培训人数"], "人")
    return out


def trainings(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    n_cadre = scaled(16, scale, 3)
    cadre = [_cadre_class(rng, areas, d) for d in sorted(dates_by_month(rng, n_cadre, CADRE_TRAINING_MONTH_P))]
    n_poor, n_leaders = scaled(22, scale, 2), scaled(6, scale, 1)
    audiences = ["贫困劳动力"] * n_poor + ["致富带头人"] * n_leaders
    starts = dates_by_month(rng, len(audiences), LABOR_TRAINING_MONTH_P)
    starts[n_poor] = random_dates(rng, 1, date(2020, 4, 1), H1_END)[0]  # one leaders' class in the first half
    labor = sorted((_labor_class(rng, areas, d, a) for d, a in zip(starts, audiences)), key=lambda r: r["开始日期"])
    metrics = {w: _training_metrics(cadre + labor, end) for w, end in WINDOWS.items()}

    bad_cadre = _cadre_class(rng, areas, date(2020, 9, 21))
    bad_cadre.update(培训对象="基层干部", 培训班名称=bad_cadre["培训班名称"].replace("培训班", "（村两委干部）培训班"))
    cadre_rows, cadre_planted = mix_in(
        rng, _written_trainings(rng, cadre), [(bad_cadre, Plant("培训对象", "培训对象“基层干部”不是可选值"))]
    )
    bad_labor = _labor_class(rng, areas, date(2020, 7, 6), "贫困劳动力")
    bad_labor["培训人数"] = "约50人"
    for bad in (bad_cadre, bad_labor):
        bad["结对地区"] = bad["结对地区"] and bad["结对地区"].name
    labor_rows, labor_planted = mix_in(
        rng, _written_trainings(rng, labor), [(bad_labor, Plant("培训人数", "培训人数“约50人”不是确数"))]
    )
    workbooks = {
        "区委组织部_培训台账_2020.xlsx": [
            make_sheet(
                "trainings",
                "干部人才培训",
                TRAINING_COLUMNS,
                cadre_rows,
                planted=cadre_planted,
                title="2020年结对地区党政干部和专业技术人才培训台账",
            )
        ],
        "区人力社保局_培训台账_2020.xlsx": [
            make_sheet(
                "trainings",
                "培训台账",
                TRAINING_COLUMNS,
                labor_rows,
                planted=labor_planted,
                title="2020年区人力社保局贫困劳动力及致富带头人培训台账",
                blank_after_title=True,
                date_format="yyyy/m/d",
            )
        ],
    }
    return LedgerOutput(workbooks, {}, metrics)


# =============================================================================================
# 8 企业投资台账
# =============================================================================================
ENTERPRISE_COLUMNS = [
    "序号",
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
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code
BEIJING_ADDRESS = ("110115", "110105", "110108", "110112", "110106")
BEIJING_ADDRESS_P = (0.7, 0.08, 0.08, 0.07, 0.07)
COMPANIES = (  # (name, 主营业务, project, region)
    ("北京兴牧示范农业发展有限公司", "肉羊养殖及屠宰加工", "肉羊标准化养殖基地项目", "内蒙古"),
    ("北京金谷示范食品有限公司", "杂粮加工与销售", "燕麦杂粮深加工项目", "内蒙古"),
    ("北京瑞雪示范乳业有限公司", "乳制品加工", "奶食品加工车间项目", "内蒙古"),
    ("北京绿源示范农业科技有限公司", "设施农业与种苗繁育", "马铃薯种薯繁育基地项目", "内蒙古"),
    ("北京草原示范生态科技有限公司", "饲草种植与加工", "饲草料加工项目", "内蒙古"),
    ("北京和美示范服饰有限公司", "服装加工", "扶贫车间（服装加工）项目", "新疆"),
    ("北京天枣示范农产品有限公司", "红枣核桃收购加工", "红枣核桃精深加工项目", "新疆"),
    ("北京康养示范生物科技有限公司", "玫瑰花及中药材加工", "玫瑰花深加工项目", "新疆"),
    ("北京雁翔示范禽业有限公司", "肉鸽养殖", "肉鸽养殖基地项目", "新疆"),
    ("北京丝路示范电子商务有限公司", "农产品电子商务", "电商服务中心项目", "any"),
    ("北京兴业示范物流有限公司", "冷链物流", "冷链仓储物流中心项目", "any"),
    ("北京鑫源示范新能源有限公司", "光伏发电", "光伏扶贫电站项目", "any"),
    ("北京亿达示范电子有限公司", "电子元器件组装", "电子元器件扶贫车间项目", "新疆"),
)


def credit_check(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def _org_code(rng) -> str:
    """A GB 11714 organisation code (8 characters and its check character)."""
    if rng.random() < 0.6:  # codes issued since 2015 start with MA
        body = "MA0" + "".join(pick(rng, CREDIT_CHARS[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(5))
    else:
        body = "".join(pick(rng, "0123456789") for _ in range(8))
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, ORG_WEIGHTS))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng) -> str:
    """A valid 统一社会信用代码 of a Beijing enterprise: 9 (工商) 1 (企业), address code, org code, check."""
    first17 = "91" + pick(rng, BEIJING_ADDRESS, BEIJING_ADDRESS_P) + _org_code(rng)
    return first17 + credit_check(first17)


def with_wrong_credit_check(code: str) -> str:
    return code[:17] + CREDIT_CHARS[(CREDIT_CHARS.index(code[17]) + 11) % 31]


def _enterprise_row(rng, areas, company, code: str, signed: date) -> dict:
    name, business, project, region = company
    names = {"内蒙古": INNER_MONGOLIA, "新疆": XINJIANG, "any": tuple(areas)}[region]
    area = areas[pick(rng, names)]
    agreed = round(float(np.clip(rng.lognormal(np.log(1500), 0.8), 200, 8000)), -1)
    progress = pick(rng, ("开工", "在建", "已完工"), (0.25, 0.5, 0.25) if signed.year == 2020 else (0.0, 0.4, 0.6))
    invested = agreed if progress == "已完工" else round(agreed * float(rng.uniform(0.35, 0.95)), 2)
    place = (
        f"{area.name}{pick(rng, area.townships)}" if area.townships and rng.random() < 0.7 else f"{area.name}产业园区"
    )
    return {
        "企业名称": name,
        "统一社会信用代码": code,
        "项目名称": f"{area.name}{project}",
        "主营业务": business,
        "结对地区": area,
        "项目地点": place,
        "是否深度贫困县": "是" if area.deep_poverty else "否",
        "项目进展": progress,
        "约定投资额（万元）": agreed,
        "实际到位投资额（万元）": invested,
        "吸纳贫困人口就业数": int(rng.integers(5, 120)),
        "带动脱贫人数": int(rng.integers(10, 400)),
        "扶贫车间数": int(rng.integers(0, 3)),
        "签约日期": signed,
    }


def enterprises(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    n = min(scaled(9, scale, 3), len(COMPANIES) - 2)
    chosen = [COMPANIES[int(i)] for i in rng.choice(len(COMPANIES), size=n + 2, replace=False)]
    codes = distinct_names(rng, n + 2, credit_code)
    first_half = max(1, n // 3)
    signed = sorted(
        random_dates(rng, first_half, date(2020, 1, 6), H1_END)
        + random_dates(rng, n - first_half, date(2020, 7, 1), date(2020, 12, 18))
    )
    records = [_enterprise_row(rng, areas, company, code, day) for company, code, day in zip(chosen, codes, signed)]
    # a second project of the first enterprise, signed later; and a 2019 project still in the ledger
    second = _enterprise_row(
        rng, areas, chosen[0], codes[0], random_dates(rng, 1, date(2020, 8, 1), date(2020, 11, 30))[0]
    )
    second["项目名称"] = second["项目名称"].replace("项目", "（二期）项目")
    old = _enterprise_row(
        rng, areas, chosen[n], codes[n], random_dates(rng, 1, date(2019, 9, 1), date(2019, 12, 20))[0]
    )
    records += [second, old]
    records.sort(key=lambda r: r["签约日期"])
    metrics = {
        w: {
            "enterprises_invested": len({r["统一社会信用代码"] for r in records if in_window(r["签约日期"], end)}),
            "investment_wan": round(
                sum(r["实际到位投资额（万元）"] for r in records if in_window(r["签约日期"], end)), 2
            ),
        }
        for w, end in WINDOWS.items()
    }

    written = with_messy_dates(rng, records, "签约日期")
    for record in written:
        record["结对地区"] = written_area(rng, record["结对地区"])
        for column in ("约定投资额（万元）", "实际到位投资额（万元）"):
            if record[column] >= 1000 and rng.random() < 0.3:
                record[column] = amount_text(record[column])
    bad = _enterprise_row(rng, areas, chosen[n + 1], with_wrong_credit_check(codes[n + 1]), date(2020, 10, 15))
    bad["结对地区"] = bad["结对地区"].name
    rows, planted = mix_in(rng, written, [(bad, Plant("统一社会信用代码", "统一社会信用代码校验位错误"))])
    total = sum(r["实际到位投资额（万元）"] for r in records) + bad["实际到位投资额（万元）"]
    sheet = make_sheet(
        "enterprises",
        "企业投资台账",
        ENTERPRISE_COLUMNS,
        rows,
        planted=planted,
        title="2020年引导企业到结对地区投资台账",
        total=("实际到位投资额（万元）", total),
        text_columns=("统一社会信用代码",),
    )
    return LedgerOutput({"区农业农村局_企业投资台账_2020.xlsx": [sheet]}, {}, metrics)


# =============================================================================================
# 11 劳务协作台账: 招聘会, 岗位推送, 就业人员, 实训基地 (one workbook)
# =============================================================================================
JOB_FAIR_COLUMNS = ["序号", "名称", "日期", "地点", "结对地区", "提供岗位数", "面向贫困户岗位数", "招聘贫困人口数"]
POSTING_COLUMNS = ["序号", "日期", "结对地区", "岗位数", "备注"]
EMPLOYED_COLUMNS = [
    "序号",
    "姓名",
    "身份证号",
    "结对地区",
    "就业地",
    "是否建档立卡",
    "是否残疾人",
    "就业日期",
    "就业单位",
]
TRAINING_BASE_COLUMNS = ["序号", "名称", "地点", "建成日期", "结对地区"]
JOB_FAIRS = (  # (date, area, place, name)
    (date(2020, 4, 22), "和田县", "线上", "大兴区—和田县“春风行动”线上专场招聘会"),
    (date(2020, 5, 18), "正镶白旗", "线上", "大兴区—正镶白旗“就业援助月”网络专场招聘会"),
    (date(2020, 6, 12), "察右前旗", "察右前旗平地泉镇", "大兴区—察右前旗劳务协作专场招聘会"),
    (date(2020, 8, 20), "苏尼特右旗", "苏尼特右旗赛汉塔拉镇", "大兴区—苏尼特右旗劳务协作专场招聘会"),
    (date(2020, 9, 16), "察右前旗", "察右前旗土贵乌拉镇", "大兴区—察右前旗“金秋招聘月”专场招聘会"),
    (date(2020, 10, 22), "224团", "224团团部", "大兴区—224团职工专场招聘会"),
    (date(2020, 11, 5), "正镶白旗", "正镶白旗明安图镇", "大兴区—正镶白旗劳务协作专场招聘会"),
)
POSTINGS = {
    "察右前旗": (12, 1520, 1700),
    "正镶白旗": (12, 1510, 1650),
    "苏尼特右旗": (10, 1010, 1150),
    "和田县": (6, 600, 900),
    "224团": (3, 150, 300),
}  # rows, total jobs between
TRAINING_BASES = (  # (name, place, built, area)
    ("大兴区—察右前旗劳务协作实训基地（家政服务）", "察右前旗平地泉镇", date(2018, 10, 16), "察右前旗"),
    ("大兴区—和田县职业技能实训基地", "和田县罕艾日克镇", date(2019, 5, 20), "和田县"),
    ("临空经济区服务技能实训基地", "北京市大兴区", date(2019, 9, 10), "和田县"),
    ("正镶白旗农牧民技能实训基地", "正镶白旗明安图镇", date(2020, 5, 26), "正镶白旗"),
    ("苏尼特右旗劳务协作实训基地（餐饮服务）", "苏尼特右旗赛汉塔拉镇", date(2020, 8, 18), "苏尼特右旗"),
    ("224团职工技能实训基地", "224团团部", date(2020, 11, 12), "224团"),
)
BEIJING_EMPLOYERS = (
    "北京临空示范物业服务有限公司",
    "北京兴发示范农产品批发市场",
    "北京康达示范物流有限公司",
    "北京瑞丰示范餐饮管理有限公司",
    "北京安居示范家政服务有限公司",
    "北京华兴示范食品有限公司",
    "北京示范保安服务有限公司大兴分公司",
    "北京金穗示范农业科技有限公司",
)
OTHER_EMPLOYERS = {
    "内蒙古": ("呼和浩特示范乳业有限公司", "包头示范钢构有限公司", "鄂尔多斯示范羊绒制品有限公司"),
    "新疆": ("乌鲁木齐示范纺织有限公司", "江苏示范电子有限公司", "库尔勒示范棉业有限公司", "浙江示范服饰有限公司"),
}
EMPLOYED_MONTH_P = {
    "在京": (0.3, 0.2, 1.6, 1.8, 1.5, 1.0, 0.8, 0.9, 1.2, 1.0, 0.6, 0.4),
    "当地": (0.4, 0.3, 0.8, 1.0, 1.2, 1.2, 1.1, 1.1, 1.0, 1.0, 0.9, 0.7),
}


def _area_person(rng, ids: IdFactory, area: Area, earliest: date, latest: date) -> tuple[str, str]:
    male = rng.random() < 0.55
    style = pick(rng, ("han", "mongolian", "uyghur"), NAME_STYLE[area.name])
    birth = random_dates(rng, 1, earliest, latest)[0]
    return chinese_name(rng, male, style), ids.make(pick(rng, ADDRESS_CODES[area.name]), birth, male)


def _employed_rows(rng, ids, areas, scale: float) -> list[dict]:
    groups = (  # (count, areas and weights, place, 是否建档立卡)
        (scaled(46, scale, 3), INNER_MONGOLIA, (0.5, 0.25, 0.25), "在京", "是"),
        (scaled(9, scale, 1), INNER_MONGOLIA, (0.5, 0.25, 0.25), "在京", "否"),
        (scaled(7, scale, 1), XINJIANG, (0.8, 0.2), "在京", "是"),
        (scaled(560, scale, 8), tuple(areas), (0.2, 0.1, 0.1, 0.5, 0.1), None, None),
    )
    rows = []
    for count, names, weights, place, poor in groups:
        for _ in range(count):
            area = areas[pick(rng, names, normalised(weights))]
            where = place or pick(rng, ("当地", "其他地区"), (0.75, 0.25))
            registered = poor or ("是" if rng.random() < 0.88 else "否")
            name, number = _area_person(rng, ids, area, date(1965, 1, 1), date(2002, 6, 30))
            months = EMPLOYED_MONTH_P.get(where, EMPLOYED_MONTH_P["当地"])
            rows.append(
                {
                    "姓名": name,
                    "身份证号": number,
                    "结对地区": area,
                    "就业地": where,
                    "是否建档立卡": registered,
                    "是否残疾人": "否",
                    "就业日期": dates_by_month(rng, 1, months)[0],
                    "就业单位": _employer(rng, area, where),
                }
            )
    im = [r for r in rows if r["结对地区"].inner_mongolia]
    xj = [r for r in rows if not r["结对地区"].inner_mongolia]
    for group, n in ((im, scaled(32, scale, 1)), (xj, scaled(6, scale, 1))):
        for index in rng.choice(len(group), size=min(n, len(group)), replace=False):
            group[int(index)]["是否残疾人"] = "是"
    # some change jobs: a second row for the same person, later
    for index in rng.choice(len(rows), size=max(1, len(rows) // 25), replace=False):
        first = rows[int(index)]
        if first["就业日期"] < date(2020, 11, 1):
            later = random_dates(rng, 1, first["就业日期"] + timedelta(days=30), date(2020, 12, 20))[0]
            rows.append(dict(first, 就业日期=later, 就业地="当地", 就业单位=_employer(rng, first["结对地区"], "当地")))
    rows.sort(key=lambda r: (r["结对地区"].name, r["就业日期"]))
    return rows


def _employer(rng, area: Area, place: str) -> str:
    if place == "在京":
        return pick(rng, BEIJING_EMPLOYERS)
    if place == "其他地区":
        return pick(rng, OTHER_EMPLOYERS["内蒙古" if area.inner_mongolia else "新疆"])
    return pick(
        rng,
        (
            f"{area.name}扶贫车间",
            f"{area.name}农牧业专业合作社",
            f"{area.name}公益性岗位",
            f"{area.name}示范食品加工厂",
            f"{area.name}示范建筑工程队",
        ),
    )


def labor(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    ids = IdFactory(rng)
    fairs = []
    for day, name, place, title in JOB_FAIRS:
        jobs = int(rng.integers(20, 151)) * 10
        fairs.append(
            {
                "名称": title,
                "日期": day,
                "地点": place,
                "结对地区": areas[name],
                "提供岗位数": jobs,
                "面向贫困户岗位数": int(jobs * rng.uniform(0.3, 0.6)),
                "招聘贫困人口数": int(rng.integers(5, 61)),
            }
        )
    postings = []
    for name, (n, low, high) in POSTINGS.items():
        n = scaled(n, scale, 1)
        months = sorted(int(m) + 1 for m in rng.choice(range(1, 12), size=min(n, 11), replace=False))
        months += [int(m) for m in rng.integers(3, 13, size=n - len(months))]
        for month, jobs in zip(sorted(months), split_total(rng, int(rng.integers(low, high + 1)), n)):
            postings.append(
                {
                    "日期": day_in(rng, month),
                    "结对地区": areas[name],
                    "岗位数": jobs,
                    "备注": pick(rng, ("微信公众号推送", "招聘信息汇编", "就业服务平台推送", None)),
                }
            )
    postings.sort(key=lambda r: r["日期"])
    employed = _employed_rows(rng, ids, areas, scale)
    bases = [{"名称": n, "地点": p, "建成日期": d, "结对地区": areas[a]} for n, p, d, a in TRAINING_BASES]

    def poor_ids(end: date) -> set[str]:
        return {r["身份证号"] for r in employed if r["是否建档立卡"] == "是" and in_window(r["就业日期"], end)}

    metrics = {
        w: {
            "job_fairs_im": sum(r["结对地区"].inner_mongolia for r in fairs if in_window(r["日期"], end)),
            "poor_employed": len(poor_ids(end)),
            "training_bases": sum(r["建成日期"] <= end for r in bases),
        }
        for w, end in WINDOWS.items()
    }
    year = [r for r in employed if in_window(r["就业日期"], YEAR_END)]
    expected = {
        "job_postings_by_area_2020": {n: sum(r["岗位数"] for r in postings if r["结对地区"].name == n) for n in areas},
        "disabled_employed_2020": {
            region: len({r["身份证号"] for r in year if r["是否残疾人"] == "是" and r["结对地区"].inner_mongolia == im})
            for region, im in (("内蒙古", True), ("新疆", False))
        },
        "poor_employed_in_beijing_im_2020": len(
            {
                r["身份证号"]
                for r in year
                if r["就业地"] == "在京" and r["是否建档立卡"] == "是" and r["结对地区"].inner_mongolia
            }
        ),
    }

    def areas_written(records: list[dict]) -> list[dict]:
        for record in records:
            record["结对地区"] = written_area(rng, record["结对地区"])
        return records

    fair_rows, fair_planted = mix_in(
        rng,
        areas_written(with_messy_dates(rng, fairs, "日期")),
        [
            (
                {
                    "名称": "大兴区—察右前旗“秋季送岗位”招聘会",
                    "日期": "2020年9月",
                    "地点": "察右前旗巴音塔拉镇",
                    "结对地区": "察右前旗",
                    "提供岗位数": 600,
                    "面向贫困户岗位数": 260,
                    "招聘贫困人口数": 18,
                },
                Plant("日期", "日期缺少日（只写到月）"),
            )
        ],
    )
    posting_rows, posting_planted = mix_in(
        rng,
        areas_written(with_messy_dates(rng, postings, "日期")),
        [
            (
                {"日期": date(2020, 10, 12), "结对地区": "苏右旗", "岗位数": "若干", "备注": "招聘信息汇编"},
                Plant("岗位数", "岗位数“若干”不是数字"),
            )
        ],
    )
    written = areas_written(with_messy_dates(rng, employed, "就业日期"))
    for record, number in zip(written, _written_ids(rng, [r["身份证号"] for r in employed])):
        record["身份证号"] = number
    bad_id = dict(employed[0])
    bad_id["姓名"], bad_id["身份证号"] = _area_person(rng, ids, areas["察右前旗"], date(1970, 1, 1), date(2000, 12, 31))
    bad_id.update(
        结对地区="察右前旗",
        就业地="在京",
        是否建档立卡="是",
        就业日期=date(2020, 4, 7),
        就业单位=pick(rng, BEIJING_EMPLOYERS),
        身份证号=with_wrong_check_digit(bad_id["身份证号"]),
    )
    bad_place = dict(bad_id)
    bad_place["姓名"], bad_place["身份证号"] = _area_person(
        rng, ids, areas["正镶白旗"], date(1970, 1, 1), date(2000, 12, 31)
    )
    bad_place.update(结对地区="正镶白旗", 就业地="北京", 就业日期="2020-05-11")
    employed_rows, employed_planted = mix_in(
        rng,
        written,
        [
            (bad_id, Plant("身份证号", "身份证号校验位错误")),
            (bad_place, Plant("就业地", "就业地“北京”不是可选值（应为在京）")),
        ],
    )
    base_rows, base_planted = mix_in(
        rng,
        areas_written(with_messy_dates(rng, bases, "建成日期")),
        [
            (
                {
                    "名称": "察右前旗电商直播实训基地",
                    "地点": "察右前旗平地泉镇",
                    "建成日期": "2020-09-31",
                    "结对地区": "察右前旗",
                },
                Plant("建成日期", "日期不存在（9月没有31日）"),
            )
        ],
    )
    sheets = [
        make_sheet(
            "job_fairs",
            "招聘会",
            JOB_FAIR_COLUMNS,
            fair_rows,
            planted=fair_planted,
            title="2020年劳务协作专场招聘会",
            rename={"名称": "招聘会名称"},
        ),
        make_sheet("job_postings", "岗位推送", POSTING_COLUMNS, posting_rows, planted=posting_planted),
        make_sheet(
            "employed",
            "就业人员",
            EMPLOYED_COLUMNS,
            employed_rows,
            planted=employed_planted,
            title="2020年劳务协作就业人员名单",
            text_columns=("身份证号",),
        ),
        make_sheet(
            "training_bases",
            "实训基地",
            TRAINING_BASE_COLUMNS,
            base_rows,
            planted=base_planted,
            rename={"名称": "基地名称"},
        ),
    ]
    return LedgerOutput({"区人力社保局_劳务协作台账_2020.xlsx": sheets}, expected, metrics)


# =============================================================================================
# 12 结对帮扶台账 (区经济协作办: towns and villages; 区教委: schools; 区卫生健康委: hospitals;
#    区工商联: 万企帮万村; 区民政局: social organisations)
# =============================================================================================
PAIRING_COLUMNS = [
    "序号",
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
SCHOOLS_HOSPITALS_TYPES = ("学校", "医院", "社会组织")
BEIJING_VILLAGE_PARTS = (
    ("东", "西", "南", "北", "前", "后", "大", "小", "上", "下", "新", "老"),
    (
        "辛庄",
        "王庄",
        "李营",
        "孙家",
        "张家务",
        "马家",
        "白塔",
        "芦城",
        "田营",
        "杨各庄",
        "鹅房",
        "佟营",
        "高庄",
        "刘家",
        "赵家",
        "黄垡",
        "梨园",
        "桑园",
        "枣林",
        "垡上",
        "石园",
        "韩园",
    ),
)
COMMUNITY_PARTS = (
    ("兴", "康", "清", "林", "金", "绿", "丽", "欣", "怡", "富", "瑞", "星"),
    ("华", "苑", "园", "景", "城", "馨", "和", "宁", "海", "河", "枫", "悦"),
)
# Pairs of the 2020 plan signed in 2020 (the rest since 2018): town -> signing date.
NEW_TOWN_PAIRS = {
    ("天宫院街道", "黄茂营乡"): date(2020, 4, 16),
    ("高米店街道", "伊和淖尔苏木"): date(2020, 7, 23),
    ("安定镇", "拉依喀乡"): date(2020, 9, 10),
}
BEIJING_SCHOOLS = (
    "区第一中学",
    "区第三中学",
    "区第五中学",
    "区第八中学",
    "区实验学校",
    "区第二小学",
    "区第四小学",
    "区兴华中学",
    "区亦庄中学",
    "区庞各庄中学",
    "区采育中学",
    "区礼贤中学",
    "区黄村第一小学",
    "区旧宫中心小学",
    "区西红门中心小学",
    "区魏善庄中学",
    "区青云店中学",
    "区长子营中学",
    "区榆垡中学",
)
BEIJING_HOSPITALS = (
    "区人民医院",
    "区中医医院",
    "区妇幼保健院",
    "区红星医院",
    "区心康医院",
    "区中西医结合医院",
    "区老年病医院",
)
SOCIAL_ORG_PAIRS = (
    ("区慈善协会", "村"),
    ("区红十字会", "其他"),
    ("区青年企业家协会", "学校"),
    ("区志愿者联合会", "其他"),
    ("区社会组织联合会", "村"),
)
COMPANY_PARTS = (
    (
        "兴",
        "华",
        "金",
        "瑞",
        "康",
        "德",
        "恒",
        "鑫",
        "宏",
        "嘉",
        "永",
        "盛",
        "泰",
        "丰",
        "安",
        "达",
        "信",
        "源",
        "博",
        "远",
    ),
    ("科技", "建设", "物流", "食品", "医药", "农业", "投资", "贸易", "物业", "环保", "电子", "商贸"),
)


def _task_rows() -> list[dict]:
    """The 结对任务清单, one row per (Beijing town, township); 采育镇|魏善庄镇 share a township."""
    rows = []
    for row in _read_csv("plans/2020/pairing_tasks.csv"):
        towns = row["beijing_unit"].split("|")
        for k, town in enumerate(towns):
            deep = int(row["deep_poor_villages"]) if row["deep_poor_villages"] else 0
            share = deep // len(towns) + (1 if k < deep % len(towns) else 0)
            township = "" if "协商" in row["township"] else row["township"]
            rows.append(
                {
                    "town": town,
                    "area": row["area"],
                    "township": township,
                    "as_written": row["township_as_written"] if township else "",
                    "deep": share,
                }
            )
    return rows


def _pair(
    beijing: str,
    beijing_type: str,
    partner: str,
    partner_type: str,
    area: Area,
    township: str | None,
    deep: str | None,
    signed: date,
) -> dict:
    return {
        "北京方单位": beijing,
        "北京方单位类型": beijing_type,
        "受援方单位": partner,
        "受援方单位类型": partner_type,
        "结对地区": area,
        "所在乡镇": township or None,
        "是否深度贫困村": deep,
        "协议签订日期": signed,
        "是否新增": "是" if signed.year == 2020 else "否",
    }


def _signed(rng, p_2020: float, p_h1: float = 0.4) -> date:
    """A signing date: since 2018 for most pairs, in 2020 for a share of them."""
    if rng.random() >= p_2020:
        return random_dates(rng, 1, date(2018, 3, 1), date(2019, 12, 31))[0]
    if rng.random() < p_h1:
        return random_dates(rng, 1, date(2020, 1, 6), H1_END)[0]
    return random_dates(rng, 1, date(2020, 7, 1), date(2020, 11, 30))[0]


def _village_pool(rng, area: Area, township: str, n: int) -> list[str]:
    if not area.townships:
        return [f"{k}连" for k in range(1, n + 1)]
    kind = "和田" if not area.inner_mongolia else ("苏木" if township.endswith("苏木") else "镇乡")
    first, second = VILLAGE_PARTS[kind]
    suffix = "嘎查" if kind == "苏木" else "村"
    return distinct_names(rng, min(n, len(first) * len(second)), lambda r: f"{pick(r, first)}{pick(r, second)}{suffix}")


def _beijing_villages(rng, town: str, n: int) -> list[str]:
    first, second = COMMUNITY_PARTS if town.endswith("街道") else BEIJING_VILLAGE_PARTS
    suffix = "社区" if town.endswith("街道") else "村"
    return [f"{town}{v}" for v in distinct_names(rng, n, lambda r: f"{pick(r, first)}{pick(r, second)}{suffix}")]


def _township_written(rng, task: dict, p: float = 0.35) -> str:
    """The township as written: now and then the task list's own (mis)spelling."""
    if task["as_written"] != task["township"] and rng.random() < p:
        return task["as_written"]
    return task["township"]


def _pairing_metrics(records: list[dict], end: date) -> dict:
    standing = [r for r in records if r["协议签订日期"] <= end]
    return {
        "towns_paired": len({r["北京方单位"] for r in standing if r["北京方单位类型"] == "镇街"}),
        "villages_paired": len({r["北京方单位"] for r in standing if r["北京方单位类型"] == "村社区"}),
        "schools_hospitals_pairs": sum(r["北京方单位类型"] in SCHOOLS_HOSPITALS_TYPES for r in standing),
        "enterprise_village_pairs": sum(
            r["北京方单位类型"] == "企业" and r["受援方单位类型"] == "村" for r in standing
        ),
    }


def _written_pairs(rng, records: list[dict]) -> list[dict]:
    out = with_messy_dates(rng, records, "协议签订日期")
    for record in out:
        record["结对地区"] = written_area(rng, record["结对地区"])
    return out


def pairings(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    tasks = _task_rows()
    # 1. towns with townships (224团: the regiment itself)
    towns = []
    for task in tasks:
        area = areas[task["area"]]
        signed = NEW_TOWN_PAIRS.get((task["town"], task["township"])) or _signed(rng, 0.0)
        if task["township"]:
            towns.append(
                _pair(
                    task["town"], "镇街", f"{area.name}{task['township']}", "乡镇", area, task["township"], None, signed
                )
            )
        else:
            towns.append(_pair(task["town"], "镇街", "第十四师224团", "其他", area, None, None, signed))
    # 2. villages: the deep-poor villages of the task list, a few more where villages are still
    #    being agreed (苏尼特右旗, 伊和淖尔苏木, 224团's companies), and four with two Beijing villages.
    partner_villages = []  # (task, village, deep)
    pools: dict[tuple[str, str], list[str]] = {}
    for task in tasks:
        area = areas[task["area"]]
        key = (task["area"], task["township"])
        if key not in pools:
            pools[key] = _village_pool(rng, area, task["township"], 40)
        n = scaled(task["deep"], scale, 1) if task["deep"] else scaled(2, scale, 1)
        taken = sum(1 for t, _, _ in partner_villages if (t["area"], t["township"]) == key)
        for village in pools[key][taken : taken + n]:
            partner_villages.append((task, village, "是" if task["deep"] else "否"))
    doubles = set(int(i) for i in rng.choice(len(partner_villages), size=scaled(4, scale, 1), replace=False))
    per_town: dict[str, int] = {}
    for index, (task, _, _) in enumerate(partner_villages):
        per_town[task["town"]] = per_town.get(task["town"], 0) + 1 + (index in doubles)
    beijing_villages = {town: _beijing_villages(rng, town, n) for town, n in per_town.items()}
    villages = []
    for index, (task, village, deep) in enumerate(partner_villages):
        area = areas[task["area"]]
        for _ in range(1 + (index in doubles)):
            beijing = beijing_villages[task["town"]].pop()
            partner = f"{task['township']}{village}" if task["township"] else f"224团{village}"
            villages.append(_pair(beijing, "村社区", partner, "村", area, task["township"], deep, _signed(rng, 0.2)))
    # 3. schools (19 Beijing schools, 18 partner schools, 8 new) and vocational schools
    partner_schools = []
    for name, area in areas.items():
        if area.townships:
            partner_schools += [(area, f"{name}第一中学", None), (area, f"{name}第二中学", None)]
            partner_schools += [(area, f"{t}中心小学", t) for t in area.townships[: 3 if name == "和田县" else 2]]
        else:
            partner_schools.append((area, "224团中学", None))
    n_schools = scaled(19, scale, 2)
    schools = []  # 19 Beijing schools, 18 partner schools (the first has two), 8 pairs new in 2020
    for k, beijing in enumerate(BEIJING_SCHOOLS[:n_schools]):
        area, partner, township = partner_schools[max(0, k - 1) % len(partner_schools)]
        new = k in (1, 2, 3, 4, 12, 13, 14, 15)
        signed = random_dates(rng, 1, date(2020, 3, 1), date(2020, 10, 31))[0] if new else _signed(rng, 0.0)
        schools.append(_pair(beijing, "学校", partner, "学校", area, township, None, signed))
    vocational = [
        _pair(beijing, "职业院校", f"{name}{school}", "职业院校", areas[name], None, None, _signed(rng, 0.3))
        for beijing, name, school in (
            ("区职业学校", "察右前旗", "职业中学"),
            ("区第二职业学校", "正镶白旗", "职业中学"),
            ("区第二职业学校", "苏尼特右旗", "职业中学"),
            ("区职业学校", "和田县", "职业技术学校"),
        )
    ]
    # 4. hospitals: 20 Beijing hospitals and health centres, 52 partner hospitals
    beijing_hospitals = list(BEIJING_HOSPITALS) + [
        f"{t}社区卫生服务中心"
        for t in (
            "黄村镇",
            "西红门镇",
            "旧宫镇",
            "亦庄镇",
            "瀛海镇",
            "青云店镇",
            "采育镇",
            "安定镇",
            "礼贤镇",
            "榆垡镇",
            "庞各庄镇",
            "北臧村镇",
            "魏善庄镇",
        )
    ]
    partner_hospitals = []
    for name, area in areas.items():
        if not area.townships:
            partner_hospitals += [(area, "224团医院", None, "医院")]
            continue
        ethnic = "维吾尔医医院" if name == "和田县" else "蒙医医院"
        partner_hospitals += [(area, f"{name}{h}", None, "医院") for h in ("人民医院", ethnic, "妇幼保健院")]
        partner_hospitals += [(area, f"{name}疾病预防控制中心", None, "其他")]
        partner_hospitals += [(area, f"{t}卫生院", t, "医院") for t in area.townships]
    partner_hospitals += [
        (areas["察右前旗"], "察右前旗第二人民医院", None, "医院"),
        (areas["和田县"], "和田县第二人民医院", None, "医院"),
    ]
    n_hospitals = scaled(52, scale, 3)
    hospital_rows = []
    for k, (area, partner, township, kind) in enumerate(partner_hospitals[:n_hospitals]):
        beijing = beijing_hospitals[k % len(beijing_hospitals)]
        hospital_rows.append(_pair(beijing, "医院", partner, kind, area, township, None, _signed(rng, 0.25, 0.7)))
    # 5. 万企帮万村: 47 enterprises, 129 villages (a few villages with two enterprises)
    pool = [(task, v) for task in tasks for v in pools[(task["area"], task["township"])][:12]]
    pool = list({(t["area"], t["township"], v): (t, v) for t, v in pool}.values())
    n_companies, n_villages = scaled(47, scale, 3), scaled(129, scale, 4)
    companies = distinct_names(
        rng,
        n_companies,
        lambda r: f"北京{pick(r, COMPANY_PARTS[0])}{pick(r, COMPANY_PARTS[0])}示范{pick(r, COMPANY_PARTS[1])}有限公司",
    )
    chosen = [pool[int(i)] for i in rng.choice(len(pool), size=min(n_villages, len(pool)), replace=False)]
    owners = list(range(n_companies)) + [int(i) for i in rng.integers(0, n_companies, size=len(chosen) - n_companies)]
    firms = []
    for (task, village), owner in zip(chosen, owners):
        area = areas[task["area"]]
        partner = f"{task['township']}{village}" if task["township"] else f"224团{village}"
        firms.append((companies[owner], partner, area, task))
    for k in rng.choice(len(chosen), size=scaled(4, scale, 1), replace=False):  # a second enterprise
        other = (owners[int(k)] + 1 + int(rng.integers(0, n_companies - 1))) % n_companies
        firms.append((companies[other],) + firms[int(k)][1:])
    enterprise_rows = []
    for company, partner, area, task in firms:
        deep = "是" if task["deep"] else "否"
        enterprise_rows.append(_pair(company, "企业", partner, "村", area, task["township"], deep, _signed(rng, 0.3)))
    for company in companies[:3]:  # pairs with a cooperative, not a village
        area = areas[pick(rng, INNER_MONGOLIA)]
        enterprise_rows.append(
            _pair(
                company,
                "企业",
                f"{area.name}{pick(rng, area.townships)}农牧业专业合作社",
                "其他",
                area,
                None,
                None,
                _signed(rng, 0.3),
            )
        )
    enterprise_rows.sort(key=lambda r: (r["北京方单位"], r["协议签订日期"]))
    # 6. social organisations
    social = []
    for beijing, kind in SOCIAL_ORG_PAIRS:
        area = areas[pick(rng, list(areas))]
        key = next(k for k in pools if k[0] == area.name)
        partner = {
            "村": f"{key[1] or area.name}{pick(rng, pools[key])}",
            "学校": f"{area.name}第一中学",
            "其他": f"{area.name}红十字会" if "红十字" in beijing else f"{area.name}志愿者协会",
        }[kind]
        social.append(_pair(beijing, "社会组织", partner, kind, area, None, None, _signed(rng, 0.4)))

    records = towns + villages + schools + vocational + hospital_rows + enterprise_rows + social
    metrics = {w: _pairing_metrics(records, end) for w, end in WINDOWS.items()}
    expected = {
        "pairings_2020": {
            "towns": len({r["北京方单位"] for r in towns}),
            "townships": len({r["受援方单位"] for r in towns}),
            "villages": len({r["北京方单位"] for r in villages}),
            "partner_villages": len({r["受援方单位"] for r in villages}),
            "deep_poor_partner_villages": len({r["受援方单位"] for r in villages if r["是否深度贫困村"] == "是"}),
            "schools": len({r["北京方单位"] for r in schools}),
            "partner_schools": len({r["受援方单位"] for r in schools}),
            "new_schools": sum(r["是否新增"] == "是" for r in schools),
            "hospitals": len({r["北京方单位"] for r in hospital_rows}),
            "partner_hospitals": len({r["受援方单位"] for r in hospital_rows}),
            "enterprises": len({r["北京方单位"] for r in enterprise_rows}),
            "enterprise_villages": len({r["受援方单位"] for r in enterprise_rows if r["受援方单位类型"] == "村"}),
            "vocational_pairs": len(vocational),
        }
    }

    # as written: the task list's misspellings in a few township cells
    task_of = {(t["area"], t["township"]): t for t in tasks}

    def misspelt(rows: list[dict], written: list[dict], p: float) -> None:
        for record, out in zip(rows, written):
            task = task_of.get((record["结对地区"].name, record["所在乡镇"]))
            if task and record["所在乡镇"]:
                out["所在乡镇"] = _township_written(rng, task, p)

    town_rows = _written_pairs(rng, towns)
    misspelt(towns, town_rows, 1.0)
    village_rows = _written_pairs(rng, villages)
    misspelt(villages, village_rows, 0.3)
    bad_town = _pair("清源街道", "街道", "和田县布扎克乡", "乡镇", areas["和田县"], "布扎克乡", None, date(2019, 4, 2))
    bad_town["结对地区"] = "和田县"
    town_rows, town_planted = mix_in(
        rng, town_rows, [(bad_town, Plant("北京方单位类型", "北京方单位类型“街道”不是可选值（应为镇街）"))]
    )
    school_rows = _written_pairs(rng, schools)
    bad_school = _pair("区第五中学", "学校", "和田县第一中学", "中学", areas["和田县"], None, None, date(2020, 9, 1))
    bad_school["结对地区"] = "和田县"
    school_rows, school_planted = mix_in(
        rng, school_rows, [(bad_school, Plant("受援方单位类型", "受援方单位类型“中学”不是可选值（应为学校）"))]
    )
    hospital_written = _written_pairs(rng, hospital_rows)
    misspelt(hospital_rows, hospital_written, 0.5)
    bad_hospital = _pair(
        "区人民医院", "医院", "正镶白旗人民医院", "医院", areas["正镶白旗"], None, None, date(2019, 3, 1)
    )
    bad_hospital.update(结对地区="正镶白旗", 协议签订日期="2019-02-29")
    hospital_written, hospital_planted = mix_in(
        rng, hospital_written, [(bad_hospital, Plant("协议签订日期", "日期不存在（2019年2月没有29日）"))]
    )
    enterprise_written = _written_pairs(rng, enterprise_rows)
    misspelt(enterprise_rows, enterprise_written, 0.3)
    bad_firm = _pair(
        companies[0], "企业", "朱日和镇巴音塔拉嘎查", "村", areas["察右前旗"], "朱日和镇", "否", date(2020, 6, 5)
    )
    bad_firm["结对地区"] = "察右前旗"
    enterprise_written, enterprise_planted = mix_in(
        rng, enterprise_written, [(bad_firm, Plant("所在乡镇", "乡镇“朱日和镇”属于苏尼特右旗，与结对地区不符"))]
    )
    workbooks = {
        "区经济协作办_结对帮扶台账_2020.xlsx": [
            make_sheet(
                "pairings",
                "结对帮扶台账",
                PAIRING_COLUMNS,
                town_rows,
                planted=town_planted,
                title="2020年镇街结对帮扶台账",
            ),
            make_sheet(
                "pairings",
                "村级结对",
                PAIRING_COLUMNS,
                village_rows,
                title="2020年村（社区）结对帮扶台账",
                blank_after_title=True,
            ),
        ],
        "区教委_结对帮扶台账_2020.xlsx": [
            make_sheet(
                "pairings",
                "学校结对",
                PAIRING_COLUMNS,
                school_rows,
                planted=school_planted,
                title="2020年区教委学校结对帮扶台账",
            ),
            make_sheet("pairings", "职业院校结对", PAIRING_COLUMNS, _written_pairs(rng, vocational)),
        ],
        "区卫生健康委_结对帮扶台账_2020.xlsx": [
            make_sheet(
                "pairings",
                "结对帮扶台账",
                PAIRING_COLUMNS,
                hospital_written,
                planted=hospital_planted,
                title="2020年区卫生健康委医院结对帮扶台账",
                date_format='yyyy"年"m"月"d"日"',
            )
        ],
        "区工商联_结对帮扶台账_2020.xlsx": [
            make_sheet(
                "pairings",
                "万企帮万村",
                PAIRING_COLUMNS,
                enterprise_written,
                planted=enterprise_planted,
                title="2020年“万企帮万村”企业结对台账",
            )
        ],
        "区民政局_结对帮扶台账_2020.xlsx": [
            make_sheet("pairings", "结对帮扶台账", PAIRING_COLUMNS, _written_pairs(rng, social))
        ],
    }
    return LedgerOutput(workbooks, expected, metrics)


# =============================================================================================
# 13 社会帮扶台账: 捐赠 and 活动 (one workbook)
# =============================================================================================
DONATION_COLUMNS = ["序号", "日期", "捐赠方", "类型", "金额或折款（万元）", "结对地区", "备注"]
ACTIVITY_COLUMNS = ["序号", "日期", "活动名称", "组织单位", "结对地区", "内容", "受益人数"]
DONATION_MONTH_P = (0.6, 2.2, 1.6, 0.8, 0.7, 0.7, 0.7, 0.8, 1.0, 1.6, 0.9, 1.0)
ACTIVITY_MONTH_P = (0.3, 0.1, 0.3, 0.6, 0.9, 1.0, 1.1, 1.2, 1.2, 1.6, 1.0, 0.9)
DONORS = (
    "区工商联会员企业",
    "大兴区商会",
    "区慈善协会",
    "区红十字会",
    "区总工会",
    "区妇联",
    "团区委",
    "爱心人士（个人）",
    "北京兴业示范物流有限公司",
    "北京华兴示范食品有限公司",
    "北京临空示范物业服务有限公司",
    "北京金穗示范农业科技有限公司",
    "北京康达示范物流有限公司",
    "区机关工会",
    "区教委系统教职工",
)
GOODS = ("防疫物资（口罩、消毒液）", "冬衣棉被", "学习用品", "图书", "医疗设备", "农机具", "米面油")
ACTIVITIES = (  # (name, organiser, content, beneficiaries low, high)
    ("爱心助学捐赠活动", ("团区委", "区教委", "区青联"), "为贫困学生捐赠助学金和学习用品", 30, 300),
    ("义诊送医下乡活动", ("区卫生健康委", "区红十字会"), "专家义诊、健康讲座", 100, 800),
    ("支教志愿服务", ("区教委", "团区委"), "骨干教师支教、示范课", 50, 600),
    ("消费扶贫进社区活动", ("区商务局", "区妇联"), "扶贫产品展销、爱心购买", 200, 1500),
    ("慰问援派干部及贫困户", ("区委统战部", "区总工会"), "走访慰问、送温暖", 20, 120),
    ("扶贫日主题活动", ("区委统战部", "区工商联"), "捐款捐物、志愿服务", 100, 1000),
    ("巾帼家政技能帮扶活动", ("区妇联",), "家政技能培训与就业对接", 30, 150),
    ("科技助农志愿服务", ("区科协", "区农业农村局"), "农牧业技术指导", 40, 300),
)


def _donation(rng, areas, day: date) -> dict:
    goods = day.month in (2, 3) and rng.random() < 0.8 or rng.random() < 0.3
    amount = rng.lognormal(np.log(3), 0.9) if goods else rng.lognormal(np.log(6), 1.0)
    area = areas[pick(rng, list(areas), [0.22, 0.14, 0.14, 0.4, 0.1])] if rng.random() < 0.9 else None
    if goods:
        note = GOODS[0] if day.month in (2, 3) else pick(rng, GOODS[1:])
    else:
        note = pick(rng, ("助学金", "扶贫日捐款", "产业帮扶资金", None))
    return {
        "日期": day,
        "捐赠方": pick(rng, DONORS),
        "类型": "物资" if goods else "资金",
        "金额或折款（万元）": round(float(np.clip(amount, 0.1, 200)), 2),
        "结对地区": area,
        "备注": note,
    }


def social(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    n = scaled(60, scale, 4)
    donations = [_donation(rng, areas, d) for d in sorted(dates_by_month(rng, n, DONATION_MONTH_P))]
    in_yuan = set(int(i) for i in rng.choice(n, size=2, replace=False))
    for index in in_yuan:  # small gifts typed in 元
        donations[index]["金额或折款（万元）"] = round(int(rng.integers(20, 99)) * 100 / 10000, 4)
    m = scaled(45, scale, 4)
    activities = []
    for day in sorted(dates_by_month(rng, m, ACTIVITY_MONTH_P)):
        name, organisers, content, low, high = pick(rng, ACTIVITIES)
        area = areas[pick(rng, list(areas), [0.22, 0.14, 0.14, 0.4, 0.1])]
        activities.append(
            {
                "日期": day,
                "活动名称": f"{area.name}{name}",
                "组织单位": pick(rng, organisers),
                "结对地区": area,
                "内容": content,
                "受益人数": int(rng.integers(low, high + 1)),
            }
        )
    metrics = {
        w: {
            "_social_donations_wan": round(
                sum(r["金额或折款（万元）"] for r in donations if in_window(r["日期"], end)), 4
            ),
            "social_activities": sum(in_window(r["日期"], end) for r in activities),
        }
        for w, end in WINDOWS.items()
    }

    written = with_messy_dates(rng, donations, "日期")
    for index, record in enumerate(written):
        record["结对地区"] = record["结对地区"] and written_area(rng, record["结对地区"])
        amount = record["金额或折款（万元）"]
        if index in in_yuan:
            record["金额或折款（万元）"] = f"{int(round(amount * 10000)):,}元"
        elif rng.random() < 0.05:
            record["金额或折款（万元）"] = f"{amount:g}万"
    bad = _donation(rng, areas, date(2020, 10, 17))
    bad.update(类型="现金", 结对地区="和田县")
    rows, planted = mix_in(rng, written, [(bad, Plant("类型", "类型“现金”不是可选值（应为资金或物资）"))])
    total = sum(r["金额或折款（万元）"] for r in donations) + bad["金额或折款（万元）"]
    activity_rows = with_messy_dates(rng, activities, "日期")
    for record in activity_rows:
        record["结对地区"] = written_area(rng, record["结对地区"])
        record["受益人数"] = written_count(rng, record["受益人数"], "人")
    bad_activity = dict(activity_rows[0], 日期="2020-04-31")
    activity_rows, activity_planted = mix_in(
        rng, activity_rows, [(bad_activity, Plant("日期", "日期不存在（4月没有31日）"))]
    )
    sheets = [
        make_sheet(
            "donations",
            "捐赠",
            DONATION_COLUMNS,
            rows,
            planted=planted,
            title="2020年社会各界捐赠款物台账",
            total=("金额或折款（万元）", total),
        ),
        make_sheet(
            "activities",
            "活动",
            ACTIVITY_COLUMNS,
            activity_rows,
            planted=activity_planted,
            title="2020年扶贫对接公益活动和志愿服务台账",
        ),
    ]
    expected = {
        "social_donations_by_kind_2020": {
            k: round(sum(r["金额或折款（万元）"] for r in donations if r["类型"] == k), 4) for k in ("资金", "物资")
        }
    }
    return LedgerOutput({"区委统战部_社会帮扶台账_2020.xlsx": sheets}, expected, metrics)


# =============================================================================================
# 14 信息宣传台账
# =============================================================================================
PUBLICITY_COLUMNS = ["序号", "日期", "标题", "类型", "采纳单位或媒体名称", "层级"]
OUTLETS = {
    ("信息采纳", "中央"): ("国务院扶贫办《扶贫信息》", "中央统战部《统战工作信息》"),
    ("信息采纳", "市属"): (
        "市扶贫援合办《扶贫协作和支援合作工作简报》",
        "市委办公厅《北京信息》",
        "市政府办公厅《政务信息》",
    ),
    ("信息采纳", "受援地"): ("乌兰察布市扶贫办《工作简报》", "和田地区扶贫办《扶贫动态》"),
    ("媒体报道", "中央"): ("人民日报", "新华社", "中央电视台", "光明日报", "经济日报", "中国青年报", "农民日报"),
    ("媒体报道", "市属"): ("北京日报", "北京晚报", "北京青年报", "北京电视台", "千龙网", "北京新闻广播"),
    ("媒体报道", "受援地"): (
        "内蒙古日报",
        "乌兰察布日报",
        "锡林郭勒日报",
        "新疆日报",
        "和田日报",
        "兵团日报",
        "和田电视台",
    ),
}
HEADLINES = (
    "大兴区助力{a}打赢脱贫攻坚战",
    "{a}特色农产品走进大兴社区",
    "大兴援派干部扎根{a}的一年",
    "京{a}劳务协作“点对点”送岗到家",
    "大兴—{a}携手奔小康行动成效明显",
    "消费扶贫双创分中心助{a}农产品进京",
    "{a}扶贫车间里的新生活",
    "大兴医疗专家在{a}开展“组团式”帮扶",
    "“万企帮万村”：大兴企业结对{a}贫困村",
    "{a}学子来京交流访学",
)


def publicity(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    plan = (
        [("信息采纳", pick(rng, ("中央", "市属", "受援地"), (0.1, 0.8, 0.1))) for _ in range(scaled(32, scale, 2))]
        + [("媒体报道", "中央")] * scaled(9, scale, 1)
        + [("媒体报道", "市属")] * scaled(26, scale, 2)
        + [("媒体报道", "受援地")] * scaled(45, scale, 2)
    )
    days = dates_by_month(rng, len(plan), (0.6, 0.5, 0.8, 0.9, 1.0, 1.0, 1.0, 1.1, 1.2, 1.4, 1.2, 1.1))
    records = []
    for (kind, level), day in zip(plan, days):
        area = pick(rng, list(areas))
        records.append(
            {
                "日期": day,
                "标题": pick(rng, HEADLINES).format(a=area),
                "类型": kind,
                "采纳单位或媒体名称": pick(rng, OUTLETS[(kind, level)]),
                "层级": level,
            }
        )
    records.sort(key=lambda r: r["日期"])

    def count(kind: str, level: str | None, end: date) -> int:
        return sum(
            r["类型"] == kind and (level is None or r["层级"] == level) and in_window(r["日期"], end) for r in records
        )

    metrics = {
        w: {
            "info_adopted": count("信息采纳", None, end),
            "media_central": count("媒体报道", "中央", end),
            "media_municipal": count("媒体报道", "市属", end),
            "media_local": count("媒体报道", "受援地", end),
        }
        for w, end in WINDOWS.items()
    }
    bad = {
        "日期": date(2020, 10, 20),
        "标题": "大兴区消费扶贫月活动启动",
        "类型": "媒体报道",
        "采纳单位或媒体名称": "大兴区融媒体中心",
        "层级": "区级",
    }
    rows, planted = mix_in(
        rng, with_messy_dates(rng, records, "日期"), [(bad, Plant("层级", "层级“区级”不是可选值（区级媒体不计入）"))]
    )
    sheet = make_sheet(
        "publicity", "信息宣传台账", PUBLICITY_COLUMNS, rows, planted=planted, title="2020年扶贫协作信息宣传台账"
    )
    return LedgerOutput({"区委宣传部_信息宣传台账_2020.xlsx": [sheet]}, {}, metrics)


# =============================================================================================
# 15 报送台账
# =============================================================================================
SUBMISSION_COLUMNS = ["序号", "材料", "期次", "报送日期", "结对地区", "备注"]
# (material, 期次 as written, canonical period, sent, area)
SUBMISSIONS = (
    ("帮扶协议", "2020", "2020", date(2020, 3, 20), "察右前旗"),
    ("帮扶协议", "2020", "2020", date(2020, 3, 20), "正镶白旗"),
    ("帮扶协议", "2020", "2020", date(2020, 3, 27), "苏尼特右旗"),
    ("帮扶协议", 2020, "2020", date(2020, 4, 10), "和田县"),
    ("帮扶协议", "2020", "2020", date(2020, 4, 10), "224团"),
    ("季度进展情况表", "2020Q1", "2020Q1", date(2020, 4, 8), None),
    ("三年行动计划", "2020", "2020", date(2020, 4, 24), "察右前旗"),
    ("三年行动计划", "2020", "2020", date(2020, 4, 24), "正镶白旗"),
    ("三年行动计划", "2020年全年", "2020", date(2020, 5, 15), "苏尼特右旗"),
    ("一县一策", "2020", "2020", date(2020, 6, 5), "和田县"),
    ("季度进展情况表", "2020年第二季度", "2020Q2", date(2020, 7, 7), None),
    ("半年总结", "2020H1", "2020H1", date(2020, 7, 15), None),
    ("季度进展情况表", "2020年第2季度", "2020Q2", date(2020, 7, 21), None),  # a revised table sent again
    ("季度进展情况表", "2020年第三季度", "2020Q3", date(2020, 10, 9), None),
    ("季度进展情况表", "2020Q4", "2020Q4", date(2021, 1, 8), None),
    ("全年总结", "2020年全年", "2020", date(2021, 1, 12), None),
)
PERIOD_END = {
    "2020Q1": Q1_END,
    "2020Q2": H1_END,
    "2020Q3": date(2020, 9, 30),
    "2020Q4": YEAR_END,
    "2020H1": H1_END,
    "2020": YEAR_END,
}


def _submission_metrics(end: date) -> dict:
    done = [(m, p, a) for m, _, p, _, a in SUBMISSIONS]
    return {
        "quarterly_reports_submitted": len({p for m, p, _ in done if m == "季度进展情况表" and PERIOD_END[p] <= end}),
        "summaries_submitted": len(
            {p for m, p, _ in done if (m, p) in (("半年总结", "2020H1"), ("全年总结", "2020")) and PERIOD_END[p] <= end}
        ),
        # agreements and plans: every row of the year (all were sent before June 30 anyway)
        "counties_agreement_reported": len({a for m, _, _, _, a in SUBMISSIONS if m == "帮扶协议"}),
        "counties_plan_reported": len({a for m, _, _, _, a in SUBMISSIONS if m in ("三年行动计划", "一县一策")}),
    }


def submissions(rng: np.random.Generator, areas: dict[str, Area]) -> LedgerOutput:
    records = [
        {
            "材料": m,
            "期次": written,
            "报送日期": sent,
            "结对地区": a and written_area(rng, areas[a]),
            "备注": "修订后重新报送" if sent == date(2020, 7, 21) else pick(rng, ("邮件报送", "公文交换", None)),
        }
        for m, written, _, sent, a in SUBMISSIONS
    ]
    metrics = {w: _submission_metrics(end) for w, end in WINDOWS.items()}
    bad = {
        "材料": "季度进展情况表",
        "期次": "2020年第五季度",
        "报送日期": date(2020, 12, 30),
        "结对地区": None,
        "备注": "邮件报送",
    }
    rows, planted = mix_in(
        rng, with_messy_dates(rng, records, "报送日期"), [(bad, Plant("期次", "期次“2020年第五季度”不存在"))]
    )
    sheet = make_sheet(
        "submissions", "报送台账", SUBMISSION_COLUMNS, rows, planted=planted, title="2020年扶贫协作材料报送台账"
    )
    return LedgerOutput({"区经济协作办_报送台账_2020.xlsx": [sheet]}, {}, metrics)


# =============================================================================================
# 16 批示表彰台账
# =============================================================================================
AWARD_COLUMNS = ["序号", "日期", "层级", "批示领导", "职务", "事项"]
AWARD_KEYS = {
    "党中央国务院": "award_central",
    "北京市主要领导": "award_city_main",
    "受援省区主要领导": "award_province_main",
    "国家部门": "award_national_dept",
    "北京市分管领导": "award_city_deputy",
    "市扶贫援合办": "award_city_office",
}
AWARD_POINTS = {
    "award_central": 5,
    "award_city_main": 4,
    "award_province_main": 4,
    "award_national_dept": 3,
    "award_city_deputy": 2,
    "award_city_office": 1,
}
# Item 19: 2 + 1 + 1 = 4 points for the year (under the cap of 5), 1 point at 2020Q2.
AWARDS = (
    (
        date(2020, 5, 28),
        "市扶贫援合办",
        "市扶贫援合办",
        "《大兴区消费扶贫双创分中心经验做法》在市扶贫协作工作简报刊发推广",
    ),
    (date(2020, 9, 24), "北京市分管领导", "副市长", "对大兴区—和田县劳务协作“点对点”输送工作作出肯定性批示"),
    (date(2020, 11, 19), "市扶贫援合办", "市扶贫援合办", "大兴区“村企结对”做法在全市推广"),
)


def awards(rng: np.random.Generator) -> LedgerOutput:
    records = [
        {
            "日期": day,
            "层级": level,
            "批示领导": chinese_name(rng, rng.random() < 0.7) if level != "市扶贫援合办" else None,
            "职务": post,
            "事项": matter,
        }
        for day, level, post, matter in AWARDS
    ]
    metrics = {}
    for w, end in WINDOWS.items():
        metrics[w] = {
            key: sum(AWARD_KEYS[r["层级"]] == key and in_window(r["日期"], end) for r in records)
            for key in AWARD_POINTS
        }
    expected = {
        "award_points_2020": min(5, sum(AWARD_POINTS[k] * v for k, v in metrics["2020"].items())),
        "award_points_2020Q2": min(5, sum(AWARD_POINTS[k] * v for k, v in metrics["2020Q2"].items())),
    }
    bad = {
        "日期": date(2020, 10, 13),
        "层级": "区委主要领导",
        "批示领导": chinese_name(rng, True),
        "职务": "区委书记",
        "事项": "对区经济协作办消费扶贫工作作出批示",
    }
    rows, planted = mix_in(
        rng,
        with_messy_dates(rng, records, "日期"),
        [(bad, Plant("层级", "层级“区委主要领导”不是可选值（区级批示不计入）"))],
    )
    sheet = make_sheet(
        "awards", "批示表彰台账", AWARD_COLUMNS, rows, planted=planted, title="2020年扶贫协作工作批示表彰台账"
    )
    return LedgerOutput({"区经济协作办_批示表彰台账_2020.xlsx": [sheet]}, expected, metrics)


# =============================================================================================
# 17 自评事项
# =============================================================================================
SELF_COLUMNS = ["序号", "事项", "取值", "说明"]
SELF_ASSESSMENT = (  # (key, value as written, note); flags 是/否, grades as words, counts as numbers
    ("has_leading_body", "是", "区扶贫协作和支援合作工作领导小组，分管副区长任组长"),
    ("has_working_body", "是", "区经济协作办承担日常工作，设扶贫协作科"),
    ("has_work_rules", "是", "印发扶贫协作资金项目管理办法等制度"),
    ("has_ledger", "是", "各责任部门按月报送工作台账"),
    ("ledger_quality", "好", "台账每月更新"),
    ("fund_safety", "正常", "全年未发生资金项目安全重大问题"),
    ("tilt_funds", "是", "资金向和田县、224团等深度贫困地区倾斜"),
    ("tilt_cadres", "是", "新疆方向选派党政干部多于内蒙古"),
    ("tilt_professionals", "是", "专业技术人才重点派往和田县"),
    ("tilt_labor", "是", "劳务协作向深度贫困地区倾斜"),
    ("tilt_pairing", "是", "深度贫困村结对全覆盖"),
    ("party_cadres_required_met", "是", "完成市委市政府要求选派党政干部数"),
    ("professionals_required_met", "是", "完成市要求选派专业技术人才数"),
    ("labor_agreement_signed", "是", "与五个结对地区签订含量化任务的劳务协作协议"),
    ("vocational_full_coverage", "否", "224团职业技术学校尚未结对"),
    ("enterprise_pairing_effect", "好", ""),
    ("social_activity_effect", "好", ""),
    ("town_pairing_effect", "好", ""),
    ("village_pairing_effect", "一般", "部分村结对停留在资金捐赠"),
    ("schools_hospitals_effect", "好", ""),
    ("vocational_effect", "一般", ""),
    ("towns_total", 22, "14个镇、8个街道"),
    ("paired_counties", 5, "含新疆生产建设兵团第十四师224团"),
    ("general_revenue_wan", 1003218.6, "2020年区一般公共预算收入（示例数值）"),
    ("students_enrolled", 126, "区职业学校招收和田县、察右前旗建档立卡贫困家庭学生"),
    ("counties_agreement", 5, ""),
    ("counties_plan", 5, ""),
    ("counties_plan_reviewed", 5, ""),
    ("counties_publicity_checked", 4, "224团资金公示检查未留存记录"),
    ("counties_job_center_paired", 5, ""),
)
FLAG_KEYS = {
    "has_leading_body",
    "has_working_body",
    "has_work_rules",
    "has_ledger",
    "tilt_funds",
    "tilt_cadres",
    "tilt_professionals",
    "tilt_labor",
    "tilt_pairing",
    "party_cadres_required_met",
    "professionals_required_met",
    "labor_agreement_signed",
    "vocational_full_coverage",
}


def _metric_labels() -> dict[str, str]:
    return {row["key"]: row["label_zh"] for row in _read_csv("metrics.csv")}


def self_assessment(rng: np.random.Generator) -> LedgerOutput:
    labels = _metric_labels()
    values = {key: (1 if value == "是" else 0) if key in FLAG_KEYS else value for key, value, _ in SELF_ASSESSMENT}
    records = []
    for key, value, note in SELF_ASSESSMENT:  # about a third of the items written by their Chinese label
        as_label = rng.random() < 0.35
        # general_revenue_wan is written as its key: its label 区财政一般公共预算收入（万元） has
        # full-width brackets, which the ingestion's 事项 parser does not match yet (reported).
        as_label = as_label and key != "general_revenue_wan"
        records.append({"事项": labels[key] if as_label else key, "取值": value, "说明": note or None})
    bad = {"事项": "宣传工作创新", "取值": "是", "说明": "创新宣传方式"}
    rows, planted = mix_in(rng, records, [(bad, Plant("事项", "事项“宣传工作创新”不是指标（metrics.csv）的键或名称"))])
    sheet = make_sheet(
        "self_assessment", "自评事项", SELF_COLUMNS, rows, planted=planted, title="2020年大兴区扶贫协作考核自评事项"
    )
    return LedgerOutput({"区经济协作办_自评事项_2020.xlsx": [sheet]}, {}, {w: dict(values) for w in WINDOWS})


# =============================================================================================
# The peers table: the other 15 districts of 2020 (示例数据, not real figures)
# =============================================================================================
PEERS_STEM = "peers_2020_示例数据"
PEERS_TITLE = "2020年各区扶贫协作考核数据（示例数据，非真实数据）"
# district -> (paired counties, general budget revenue in 万元 (rough order of size), towns and sub-districts)
PEER_PROFILE = {
    "东城区": (2, 1_700_000, 17),
    "西城区": (2, 3_900_000, 15),
    "朝阳区": (3, 5_000_000, 43),
    "海淀区": (4, 4_600_000, 29),
    "丰台区": (3, 1_300_000, 26),
    "石景山区": (1, 600_000, 9),
    "房山区": (5, 600_000, 28),
    "通州区": (5, 900_000, 22),
    "顺义区": (4, 1_800_000, 25),
    "昌平区": (5, 1_100_000, 22),
    "门头沟区": (3, 200_000, 13),
    "怀柔区": (4, 500_000, 16),
    "平谷区": (5, 260_000, 18),
    "密云区": (6, 350_000, 20),
    "延庆区": (4, 160_000, 18),
}
# Figures that grow with the number of paired counties (the rest grow more slowly).
PER_COUNTY = {
    "people_benefited",
    "people_exited",
    "party_cadres_self_selected",
    "cadres_trained",
    "professionals_1_6m",
    "professionals_6_12m",
    "professionals_12m_plus",
    "industry_people_benefited",
    "industry_people_exited",
    "registered_poor_start",
    "enterprise_village_pairs",
    "training_bases",
    "poor_trained",
    "leaders_trained",
    "poor_employed",
    "villages_paired",
    "schools_hospitals_pairs",
    "job_fairs_im",
}
COUNTY_COUNTS = (
    "counties_visited",
    "counties_joint_meeting",
    "counties_agreement",
    "counties_plan",
    "counties_plan_reviewed",
    "counties_publicity_checked",
    "counties_job_center_paired",
)
GRADE_P = {
    "ledger_quality": (("好", "一般"), (0.7, 0.3)),
    "fund_safety": (("正常",), (1.0,)),
    "vocational_effect": (("好", "一般", "无"), (0.45, 0.4, 0.15)),
}


def _peer_row(rng, district: str, home: dict, keys: dict[str, str]) -> dict:
    counties, revenue, towns = PEER_PROFILE[district]
    size = counties / home["paired_counties"]
    row: dict = {"district": district}

    def relative(key: str, sigma: float = 0.4) -> float:
        factor = size if key in PER_COUNTY else size**0.5
        return home[key] * factor * float(rng.lognormal(0.0, sigma))

    for key, unit in keys.items():
        if key == "paired_counties":
            row[key] = counties
        elif key == "general_revenue_wan":
            row[key] = round(revenue * float(rng.uniform(0.92, 1.08)), 1)
        elif key == "towns_total":
            row[key] = towns
        elif key == "towns_paired":
            row[key] = min(towns, int(round(towns * rng.uniform(0.45, 1.0))))
        elif key in COUNTY_COUNTS:
            row[key] = max(0, counties - int(rng.choice(3, p=(0.75, 0.2, 0.05))))
        elif key in ("counties_agreement_reported", "counties_plan_reported"):
            base = row[key.removesuffix("_reported")]
            row[key] = max(0, base - int(rng.choice(2, p=(0.7, 0.3))))
        elif key == "leadership_meetings":
            row[key] = int(rng.integers(2, 9))
        elif key == "leadership_meetings_bdw":
            row[key] = max(0, row["leadership_meetings"] - int(rng.integers(0, 3)))
        elif key.startswith("quarters_"):
            row[key] = int(pick(rng, (2, 3, 4), (0.1, 0.25, 0.65)))
        elif key == "months_county_contact":
            row[key] = int(rng.integers(7, 13))
        elif key == "summaries_submitted":
            row[key] = 2 if rng.random() < 0.85 else 1
        elif key == "quarterly_reports_submitted":
            row[key] = 4 if rng.random() < 0.8 else 3
        elif key == "extra_funds_wan":
            row[key] = round(
                home[key] * size * (revenue / home["general_revenue_wan"]) ** 0.3 * float(rng.lognormal(0.0, 0.35)), 2
            )
        elif key == "cadres_off_poverty_posts":
            row[key] = int(pick(rng, (0, 0, 1, 2)))
        elif key.startswith("award_"):
            chance = {
                "award_central": 0.05,
                "award_city_main": 0.1,
                "award_province_main": 0.2,
                "award_national_dept": 0.15,
                "award_city_deputy": 0.35,
                "award_city_office": 0.5,
            }[key]
            most = 1 if key in ("award_central", "award_city_main") else 2
            row[key] = int(rng.integers(1, most + 1)) if rng.random() < chance else 0
        elif unit == "flag":
            row[key] = int(rng.random() < (0.6 if key == "vocational_full_coverage" else 0.9))
        elif unit.startswith("grade"):
            words, p = GRADE_P.get(key, (("好", "一般"), (0.7, 0.3)))
            row[key] = pick(rng, words, p)
        elif unit == "10k CNY":
            row[key] = round(relative(key), 2)
        else:  # counts and persons
            row[key] = int(round(relative(key)))
    # relations that must hold between the figures
    row["people_exited"] = min(row["people_exited"], int(row["people_benefited"] * 0.85))
    row["industry_people_benefited"] = min(row["industry_people_benefited"], int(row["people_benefited"] * 0.8))
    row["industry_people_exited"] = min(
        row["industry_people_exited"], int(row["industry_people_benefited"] * 0.85), row["people_exited"]
    )
    if row["enterprises_invested"] == 0:
        row["investment_wan"] = 0.0
    return row


def peers(rng: np.random.Generator, home: dict) -> list[dict]:
    """One row per other district, every metrics.csv key; a few empty cells (None) for missing data."""
    keys = {row["key"]: row["unit"] for row in _read_csv("metrics.csv") if row["key"] != "district"}
    districts = [row["district"] for row in _read_csv("districts.csv") if row["district"] != HOME_DISTRICT]
    rows = [_peer_row(rng, district, home, keys) for district in districts]
    names = [row["district"] for row in rows]
    # variety no district average can hide: nobody did much of some items
    no_im = [int(i) for i in rng.choice(6, size=3, replace=False)]  # three core districts pair no 内蒙古 county
    for index in no_im:
        rows[index]["job_fairs_im"] = 0
    for index in rng.choice(len(rows), size=3, replace=False):
        rows[int(index)]["media_central"] = 0
    for index in rng.choice(len(rows), size=2, replace=False):
        rows[int(index)]["enterprises_invested"], rows[int(index)]["investment_wan"] = 0, 0.0
    weak = int(rng.integers(0, len(rows)))
    rows[weak]["has_ledger"], rows[weak]["ledger_quality"] = 0, "无"
    rows[int(rng.integers(0, len(rows)))]["fund_safety"] = "重大问题"
    for row in rows:
        if not row["vocational_full_coverage"] and row["vocational_effect"] == "好":
            row["vocational_effect"] = "一般"
    # missing figures: a few empty cells
    candidates = [
        k
        for k, unit in keys.items()
        if unit in ("count", "persons", "10k CNY")
        and k not in ("paired_counties", "general_revenue_wan", "towns_total")
    ]
    for index in rng.choice(len(rows), size=4, replace=False):
        rows[int(index)][pick(rng, candidates)] = None
    assert names == list(PEER_PROFILE), names
    return rows


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def write_peers(rows: list[dict], directory: Path) -> list[str]:
    """peers_2020_示例数据.csv (UTF-8 with BOM, key headers) and .xlsx (title row, Chinese headers)."""
    directory.mkdir(parents=True, exist_ok=True)
    metric_rows = _read_csv("metrics.csv")
    keys = [row["key"] for row in metric_rows]
    csv_path = directory / f"{PEERS_STEM}.csv"
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(keys)
        for row in rows:
            writer.writerow([_csv_value(row[k]) for k in keys])
    labels = [row["label_zh"] for row in metric_rows]
    spec = SheetSpec("peers", "各区数据", keys, labels, [[row[k] for k in keys] for row in rows], title=PEERS_TITLE)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title, wb.properties.description = PEERS_TITLE, NOTE
    wb.properties.creator = wb.properties.lastModifiedBy = "fupin_lib.sample_data"
    _write_sheet(wb.create_sheet(spec.name), spec)
    xlsx_path = directory / f"{PEERS_STEM}.xlsx"
    _save_deterministic(wb, xlsx_path)
    return [csv_path.name, xlsx_path.name]


# =============================================================================================
# Putting it together
# =============================================================================================
# The second submission round: 区财政局 resends its whole funds ledger for 2020Q2, as departments
# do each quarter, with the status of two projects corrected (在建 -> 已完工). No figure changes;
# the run says which round it used and what changed (修改 2 行).
SECOND_ROUND = ("区财政局_资金台账_2020.xlsx", "2020Q2/区财政局_资金台账_2020年第二季度.xlsx")


def _second_round(out_dir: Path, outputs: list, manifest: dict) -> None:
    first, second = SECOND_ROUND
    sheets = next(o.workbooks[first] for o in outputs if first in o.workbooks)
    resent = []
    for spec in sheets:
        status = spec.columns.index("项目状态")
        rows = [list(r) for r in spec.rows]
        corrected = [i for i, r in enumerate(rows) if r[status] == "在建" and i not in spec.planted][:2]
        for i in corrected:
            rows[i][status] = "已完工"
        resent.append(dataclasses.replace(spec, rows=rows))
    (out_dir / second).parent.mkdir(parents=True, exist_ok=True)
    entry, planted = write_workbook(out_dir / second, resent, name=second)
    manifest["files"][second] = entry
    # The resend replaces the first round: its planted rows are rejected from the resend.
    manifest["planted"] = [p for p in manifest["planted"] if p["file"] != first] + planted
    manifest["rounds"] = {
        "department": "区财政局",
        "ledger": "资金台账",
        "used": second,
        "replaced": first,
        "added": 0,
        "changed": 2,
        "removed": 0,
    }


class SampleDataRefused(Exception):
    """The output folder holds files the generator did not write (real ledgers, perhaps)."""


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _own_files(manifest_path: Path | None) -> dict[str, str]:
    """The files (relative to the project's data folder layout: raw name, or external/name) the
    generator wrote last time, with their SHA-256, from its manifest."""
    try:
        return dict(json.loads(Path(manifest_path).read_text(encoding="utf-8")).get("written", {}))
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _foreign(folder: Path, own: dict[str, str], prefix: str = "") -> list[str]:
    """Files under folder that the generator did not write, or that were changed since."""
    out = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() or p.is_symlink()):
        rel = prefix + str(path.relative_to(folder))
        if own.get(rel) is None or not path.is_file() or _sha256(path) != own[rel]:
            out.append(rel)
    return out


def generate(
    out_dir: Path,
    seed: int = 2020,
    scale: float = 1.0,
    manifest_path: Path | None = None,
    peers_dir: Path | None = None,
    force: bool = False,
) -> dict:
    """Write the sample workbooks into out_dir and return the manifest dict.

    out_dir is created if missing. The generator replaces only what it wrote itself (the files
    listed with their SHA-256 in the manifest's "written"); a folder holding any other file,
    such as a department's real ledger, is refused (SampleDataRefused) unless force=True, and
    even then such files are never deleted. The manifest is also written as JSON (UTF-8,
    ensure_ascii=False, indent 2) to manifest_path when given. `scale` multiplies the row
    counts; every ledger, every kind of mess and every planted row are kept at any scale. The
    synthetic peers table of the other 15 districts (peers_2020_示例数据.csv and .xlsx) goes to
    peers_dir, by default the folder `external` next to out_dir (data/external).
    """
    out_dir = Path(out_dir)
    peers_dir = Path(peers_dir) if peers_dir is not None else out_dir.parent / "external"
    own = _own_files(manifest_path)
    if out_dir.exists():
        foreign = _foreign(out_dir, own)
        foreign += [
            f"external/{n}"
            for n in (f"{PEERS_STEM}.csv", f"{PEERS_STEM}.xlsx")
            if (peers_dir / n).exists() and own.get(f"external/{n}") != _sha256(peers_dir / n)
        ]
        if foreign and not force:
            shown = "、".join(foreign[:5]) + (f" 等 {len(foreign)} 个文件" if len(foreign) > 5 else "")
            raise SampleDataRefused(
                f"{out_dir} 中有不是示例数据生成器写入（或写入后被修改）的文件：{shown}。"
                "为免覆盖或删除真实台账，未写入任何文件。请换一个空目录（--out），或确认后加 --force（这些文件保留不动）"
            )
        for rel, digest in own.items():
            path = out_dir / rel if not rel.startswith("external/") else peers_dir / rel.removeprefix("external/")
            if path.is_file() and _sha256(path) == digest:
                path.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)

    areas, pairings_2020 = load_areas(), load_pairings()
    # One stream per ledger, so that a change to one ledger leaves the others as they were.
    # Stream 5 draws the budget units first (shared by the consumption and canteen ledgers).
    # Streams 0-5 are those of the first version (ledgers 3, 5, 6, 7, 9, 10): same files as before.
    streams = np.random.default_rng(seed).spawn(18)
    units = budget_units(streams[5], scaled(80, scale, 8))
    outputs = [
        cadres(streams[0], areas, scale),
        funds(streams[1], areas, pairings_2020, scale),
        beneficiaries(streams[2], areas, scale),
        consumption(streams[3], areas, units, scale),
        canteen(streams[5], units),
    ]
    base_sheet, base_expected = poor_base(streams[4], areas)
    outputs[2].workbooks["区经济协作办_贫困人口受益台账_察右前旗_2020.xlsx"].append(base_sheet)
    outputs += [
        meetings(streams[6], areas),
        visits(streams[7], areas, scale),
        trainings(streams[8], areas, scale),
        enterprises(streams[9], areas, scale),
        labor(streams[10], areas, scale),
        pairings(streams[11], areas, scale),
        social(streams[12], areas, scale),
        publicity(streams[13], areas, scale),
        submissions(streams[14], areas),
        awards(streams[15]),
        self_assessment(streams[16]),
    ]

    manifest = {
        "seed": seed,
        "scale": scale,
        "synthetic": True,
        "note": NOTE,
        "files": {},
        "planted": [],
        "expected": {},
    }
    accepted: dict[str, int] = {}
    for output in outputs:
        manifest["expected"].update(output.expected)
        for file_name, sheets in output.workbooks.items():
            entry, planted = write_workbook(out_dir / file_name, sheets)
            manifest["files"][file_name] = entry
            manifest["planted"] += planted
            for sheet in sheets:
                accepted[sheet.ledger] = accepted.get(sheet.ledger, 0) + len(sheet.rows) - len(sheet.planted)
    _second_round(out_dir, outputs, manifest)
    manifest["expected"].update(base_expected)
    manifest["expected"]["accepted_rows"] = accepted
    for window in WINDOWS:
        manifest["expected"][f"metrics_{window}"] = _window_metrics(outputs, window, base_expected)

    peer_rows = peers(streams[17], manifest["expected"]["metrics_2020"])
    peer_files = write_peers(peer_rows, peers_dir)
    manifest["written"] = {
        **{name: _sha256(out_dir / name) for name in manifest["files"]},
        **{f"external/{name}": _sha256(peers_dir / name) for name in peer_files},
    }
    manifest["peers"] = {
        "files": peer_files,
        "districts": [row["district"] for row in peer_rows],
        "missing_cells": [
            {"district": row["district"], "key": key}
            for row in peer_rows
            for key, value in row.items()
            if value is None
        ],
    }

    if manifest_path is not None:
        manifest_path = Path(manifest_path)
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def _window_metrics(outputs: list[LedgerOutput], window: str, base_expected: dict) -> dict:
    """Every metrics.csv key (but district) for one window, in the order of metrics.csv."""
    parts: dict = {"registered_poor_start": base_expected["registered_poor_start_total"]}
    for output in outputs:
        parts.update(output.metrics.get(window, {}))
    parts["donations_wan"] = round(parts.pop("_social_donations_wan") + parts.pop("_fund_donations_wan"), 4)
    keys = [row["key"] for row in _read_csv("metrics.csv") if row["key"] != "district"]
    missing, extra = set(keys) - set(parts), set(parts) - set(keys)
    assert not missing and not extra, (missing, extra)
    return {key: parts[key] for key in keys}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m fupin_dev.sample_data",
        description="生成2020年示例台账（随机虚构数据，含故意埋入的错误行）及其清单。",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("data/raw"), help="输出目录（默认 data/raw）；其中已有的 xlsx/csv 会被替换"
    )
    parser.add_argument("--seed", type=int, default=2020, help="随机种子（默认 2020），相同种子与规模生成相同数据")
    parser.add_argument("--scale", type=float, default=1.0, help="行数倍数（默认 1.0；测试可用 0.05）")
    parser.add_argument(
        "--manifest", type=Path, default=None, help="清单 JSON 路径（默认为输出目录上一级的 sample_manifest.json）"
    )
    parser.add_argument(
        "--peers-dir", type=Path, default=None, help="对比区示例数据的输出目录（默认为输出目录上一级的 external）"
    )
    args = parser.parse_args(argv)
    manifest_path = args.manifest or args.out.parent / "sample_manifest.json"
    started = time.perf_counter()
    manifest = generate(
        args.out, seed=args.seed, scale=args.scale, manifest_path=manifest_path, peers_dir=args.peers_dir
    )
    for file_name, sheets in manifest["files"].items():
        counts = "，".join(f"{sheet} {info['data_rows']} 行" for sheet, info in sheets.items())
        print(f"{file_name}：{counts}")
    print(f"对比区示例数据：{'、'.join(manifest['peers']['files'])}（{len(manifest['peers']['districts'])} 个区）")
    print(
        f"共 {len(manifest['files'])} 个文件，埋入错误行 {len(manifest['planted'])} 行；"
        f"清单：{manifest_path}；用时 {time.perf_counter() - started:.1f} 秒"
    )


if __name__ == "__main__":
    main()
