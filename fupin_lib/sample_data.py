"""Synthetic sample workbooks (示例数据) for 2020, as the departments would hand them in.

`generate()` writes a folder of raw Excel ledgers that look like what the district's departments
actually send: title rows above the headers, 合计 rows, dates written six different ways, 元 next
to 万元, numbers typed as text, every spelling of the paired areas, sheets that are recognised only
by their headers, several ledgers in one workbook and one ledger over several sheets. It also
plants a few bad rows that the ingestion must reject, and returns a manifest listing them (file,
sheet, Excel row, column, value, reason) together with totals computed from the generator's own
clean data, so that tests can cross-check the ingestion and the metrics.

Ledgers generated (numbers as in shared/spec/ledgers.md): 3 挂职干部台账, 5 资金台账,
6 贫困人口受益台账, 7 贫困人口基数, 9 消费扶贫台账, 10 食堂采购台账.

Everything is random but deterministic: one numpy Generator seeded with `seed`, split into one
stream per ledger; no current date or time is used anywhere (workbook properties and the zip
entries carry 2021-01-10), so the same seed and scale give byte-identical files.

All names, ID numbers and phone numbers are invented: 示例数据，不涉及真实个人信息.

    python -m fupin_lib.sample_data --out data/raw --seed 2020 --scale 1.0
"""

from __future__ import annotations

import argparse
import calendar
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

from fupin_lib.idcard import check_digit

REFERENCE = Path(__file__).parent / "reference"
FIXED_TIME = datetime(2021, 1, 10)
YEAR_START, YEAR_END = date(2020, 1, 1), date(2020, 12, 31)
Q1_END = date(2020, 3, 31)
EXCEL_EPOCH = date(1899, 12, 30)
NOTE = "示例数据：全部为随机生成的虚构数据，不涉及真实个人信息"
TITLE_SUFFIX = "（示例数据，非真实信息）"
EXTRA_SOURCES = ("区级财政", "区直部门", "街道乡镇")

# ---------------------------------------------------------------------------------------------
# Headers (canonical, as in reference/ledgers.yml). Extra columns such as 序号 and 备注 are what
# departments add on their own; the ingestion ignores columns it does not know.
# ---------------------------------------------------------------------------------------------
CADRE_COLUMNS = ["姓名", "身份证号", "人员类别", "专业领域", "派出单位", "原职务", "行政级别或职称", "挂职单位",
                 "挂职职务", "分管工作", "结对地区", "开始日期", "结束日期", "是否自主选派", "是否脱贫攻坚岗位", "联系电话"]
FUNDS_COLUMNS = ["序号", "项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期", "是否深度贫困地区", "项目状态"]
BENEFIT_COLUMNS = ["姓名", "身份证号", "结对地区", "乡镇", "村", "受益途径", "受益日期", "是否脱贫", "脱贫日期"]
BASE_COLUMNS = ["结对地区", "年度", "年初建档立卡贫困人口数"]
CONSUMPTION_COLUMNS = ["序号", "日期", "采购单位", "单位类型", "渠道", "产品名称", "产地", "是否名录产品", "金额（万元）"]
CANTEEN_COLUMNS = ["单位名称", "单位类型", "季度", "食材采购总额（万元）", "其中扶贫产品采购额（万元）"]

# ---------------------------------------------------------------------------------------------
# Name material
# ---------------------------------------------------------------------------------------------
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
            "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹常武乔贺")
GIVEN = {True: "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林建国志海峰东亮成文博德福贵生",
         False: "芳娜敏静丽艳娟霞秀玲桂英红梅琳雪慧颖婷欣悦琪璐晶倩丹萍燕洁瑶佳蕾妍兰凤翠玉珍"}
MONGOLIAN = {True: ("巴特尔", "额尔敦", "苏和", "宝音", "朝鲁", "孟和", "阿拉坦仓", "毕力格", "达来", "那顺", "特木尔",
                    "吉日嘎拉"),
             False: ("乌云", "其其格", "那仁高娃", "萨仁", "图雅", "斯琴", "乌兰", "高娃", "塔娜", "娜仁花")}
UYGHUR = {True: ("买买提", "艾合买提", "阿不都热依木", "吐尔逊", "阿卜杜拉", "艾买尔", "热合曼", "努尔麦麦提", "艾则孜",
                 "亚森", "玉素甫", "依明", "麦麦提敏"),
          False: ("阿依古丽", "古丽努尔", "热依拉", "布沙热木", "米热古丽", "帕提古丽", "祖丽胡玛尔", "阿米娜", "如克亚",
                  "阿依努尔", "努尔尼沙")}
# Name styles by area: (Han, Mongolian, Uyghur) shares.
NAME_STYLE = {"察右前旗": (0.95, 0.05, 0.0), "正镶白旗": (0.7, 0.3, 0.0), "苏尼特右旗": (0.6, 0.4, 0.0),
              "和田县": (0.03, 0.0, 0.97), "224团": (0.5, 0.0, 0.5)}

# Address codes (first 6 ID digits). People keep their number when a code changes: 察右前旗 was
# 152630 before 2003; 224团 (now under 昆玉市, 659009) settlers were registered in 和田 counties.
ADDRESS_CODES = {"察右前旗": ("150926",), "正镶白旗": ("152529",), "苏尼特右旗": ("152524",), "和田县": ("653221",),
                 "224团": ("659009", "653226", "653223")}
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
    for row in _read_csv("pairing_tasks_2020.csv"):
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
    ledger: str                      # English key of the ledger (ledgers.yml)
    name: str                        # sheet name
    columns: list[str]               # canonical headers
    headers: list[str]               # headers as written
    rows: list[list]                 # data rows, values as written
    title: str | None = None
    blank_after_title: bool = False
    total: list | None = None        # the 合计 row, if any
    planted: dict[int, Plant] = field(default_factory=dict)  # data-row index -> plant
    text_columns: frozenset[str] = frozenset()
    date_format: str = "yyyy-mm-dd"


def make_sheet(ledger: str, name: str, columns: list[str], records: list[dict], *,
               planted: dict[int, Plant] | None = None, title: str | None = None,
               blank_after_title: bool = False, rename: dict[str, str] | None = None,
               total: tuple[str, float] | None = None, text_columns: tuple[str, ...] = (),
               date_format: str = "yyyy-mm-dd") -> SheetSpec:
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
    return SheetSpec(ledger, name, columns, [rename.get(c, c) for c in columns], rows,
                     title=title and title + TITLE_SUFFIX, blank_after_title=blank_after_title,
                     total=total_row, planted=planted or {}, text_columns=frozenset(text_columns),
                     date_format=date_format)


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


def write_workbook(path: Path, sheets: list[SheetSpec]) -> tuple[dict, list[dict]]:
    """Write the sheets; return the manifest entry of the file and its planted rows."""
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
            planted.append({"file": path.name, "sheet": spec.name, "row": first_data_row + index,
                            "column": plant.column, "value": _as_written(value), "reason": plant.reason})
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
    return [date(2020, int(m), 1 + int(f * calendar.monthrange(2020, int(m))[1]))
            for m, f in zip(months, fractions)]


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
    return {"excel": lambda: d,
            "iso": d.isoformat,
            "slash": lambda: f"{d.year}/{d.month}/{d.day}",
            "chinese": lambda: f"{d.year}年{d.month}月{d.day}日",
            "dot": lambda: f"{d.year}.{d.month}.{d.day}",
            "serial": lambda: (d - EXCEL_EPOCH).days}[style]()


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


@dataclass
class LedgerOutput:
    workbooks: dict[str, list[SheetSpec]]
    expected: dict


# =============================================================================================
# 3 挂职干部台账
# =============================================================================================
SPECIALTIES = ("教育", "医疗", "农业", "科技", "文化", "社会工作", "其他")
SPECIALTY_P = (0.38, 0.36, 0.09, 0.05, 0.04, 0.04, 0.04)
HOME_UNITS = {
    "教育": ("区第一中学", "区第三中学", "区第五中学", "区实验学校", "区第二小学", "区第四小学", "区职业学校", "区教师进修学校"),
    "医疗": ("区人民医院", "区中医医院", "区妇幼保健院", "区疾病预防控制中心", "区红星医院", "区心康医院"),
    "农业": ("区农业农村局", "区农业技术推广站", "区畜牧兽医站"),
    "科技": ("区科委", "区科学技术协会"),
    "文化": ("区文化和旅游局", "区文化馆", "区图书馆"),
    "社会工作": ("区民政局", "区社会工作服务中心", "区残联"),
    "其他": ("区市场监管局", "区商务局", "区人力社保局"),
}
PROFESSIONAL_POSTS = {  # specialty -> (home post, title, host unit suffix, host post, duties)
    "教育": (("教师", "教研组长", "年级组长"), ("一级教师", "高级教师", "正高级教师"),
           ("第一中学", "第二小学", "职业中学"), ("副校长", "教学副主任", "支教教师"), "教学管理与教师培训"),
    "医疗": (("主治医师", "科室副主任", "主管护师"), ("主治医师", "副主任医师", "主任医师"),
           ("人民医院", "妇幼保健院", "疾控中心"), ("副院长", "科室主任", "临床医师"), "临床带教与科室建设"),
    "农业": (("农艺师", "畜牧师"), ("农艺师", "高级农艺师", "高级畜牧师"),
           ("农牧业技术推广中心",), ("技术顾问", "副主任"), "种养殖技术指导"),
    "科技": (("科长",), ("工程师", "高级工程师"), ("科技局",), ("副局长", "技术顾问"), "科技成果转化"),
    "文化": (("馆员",), ("馆员", "副研究馆员"), ("文化馆",), ("副馆长",), "群众文化活动"),
    "社会工作": (("社工督导",), ("社会工作师", "高级社会工作师"), ("民政局",), ("社工顾问",), "社会救助与社工站建设"),
    "其他": (("科员", "副科长"), ("科员", "中级"), ("市场监督管理局",), ("副局长",), "电商与市场体系建设"),
}
CADRE_HOME_UNITS = ("区发展改革委", "区财政局", "区商务局", "区经济协作办", "区委组织部", "区农业农村局", "区卫健委",
                    "区教委", "区人力社保局", "区国资委", "黄村镇人民政府", "旧宫镇人民政府", "西红门镇人民政府",
                    "亦庄镇人民政府", "采育镇人民政府")
CADRE_HOME_POSTS = (("副局长", "副处级"), ("副主任", "副处级"), ("科长", "正科级"), ("副科长", "副科级"),
                    ("副镇长", "副处级"), ("办公室主任", "正科级"), ("科员", "一级科员"))
GOVERNMENT = {"224团": "224团团部"}  # default: <area>人民政府
LEADER_TITLE = {"察右前旗": "副旗长", "正镶白旗": "副旗长", "苏尼特右旗": "副旗长", "和田县": "副县长", "224团": "副团长"}
# Tenure classes: (label, shortest, longest) in days, tenure = end - start + 1; None = no end date.
TENURES = {"under_30d": (5, 29), "1_6m": (30, 182), "6_12m": (183, 364), "12m_plus": (365, 1095), "no_end_date": None}
# Per category: tenure class weights, P(是否自主选派=是), P(是否脱贫攻坚岗位=否).
CADRE_MIX = {"党政干部": ((0.0, 0.12, 0.25, 0.53, 0.10), 0.5, 0.05),
             "专业技术人才": ((0.14, 0.40, 0.26, 0.14, 0.06), 0.88, 0.04)}


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
        host_unit, host_post = pick(rng, (
            (GOVERNMENT.get(area.name, f"{area.name}人民政府"), LEADER_TITLE[area.name]),
            (f"{area.name}扶贫开发办公室", "副主任"),
            (f"{area.name}{pick(rng, area.townships) if area.townships else ''}人民政府", "副书记")))
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
        "人员类别": category, "专业领域": specialty, "派出单位": home_unit, "原职务": home_post,
        "行政级别或职称": rank, "挂职单位": host_unit, "挂职职务": host_post, "分管工作": duties,
        "结对地区": area, "开始日期": start, "结束日期": _tenure(rng, start, kind),
        "是否自主选派": self_selected, "是否脱贫攻坚岗位": on_post,
        "联系电话": phone_number(rng), "_tenure": kind,
    }


def _cadre_records(rng, ids, areas, category: str, area_names: list[str]) -> list[dict]:
    """Cadres of one category; every tenure class with a weight, and both answers of each 是否 column, occur."""
    tenure_p, p_self, p_off = CADRE_MIX[category]
    options = [(kind, p) for kind, p in zip(TENURES, tenure_p) if p > 0]
    n = len(area_names)
    kinds = cover(rng, [k for k, _ in options], n, normalised([p for _, p in options]))
    self_selected = cover(rng, ("是", "否"), n, (p_self, 1 - p_self))
    on_post = cover(rng, ("是", "否"), n, (1 - p_off, p_off))
    return [_cadre_record(rng, ids, category, areas[name], *flags)
            for name, *flags in zip(area_names, kinds, self_selected, on_post)]


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
    in_post = [r for r in records
               if r["开始日期"] <= YEAR_END and (r["结束日期"] is None or r["结束日期"] >= YEAR_START)]
    by_tenure = {kind: 0 for kind in TENURES}
    for r in in_post:
        if r["人员类别"] == "专业技术人才" and r["是否自主选派"] == "是":
            by_tenure[r["_tenure"]] += 1
    return {
        "cadres_in_post_2020": {c: sum(r["人员类别"] == c for r in in_post) for c in ("党政干部", "专业技术人才")},
        "self_selected_professionals_by_tenure_2020": by_tenure,
        "cadres_off_poverty_posts_2020": sum(r["是否脱贫攻坚岗位"] == "否" for r in in_post),
    }


def cadres(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    ids = IdFactory(rng)
    inner = scaled(int(rng.integers(12, 15)), scale, 3)
    xinjiang = scaled(int(rng.integers(16, 21)), scale, 2)
    cadre_areas = (cover(rng, ["察右前旗", "正镶白旗", "苏尼特右旗"], inner)
                   + cover(rng, ["和田县", "224团"], xinjiang, [0.75, 0.25]))
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
    professional_rows, planted = mix_in(rng, _written_cadres(rng, professionals),
                                        [(bad_written, Plant("结束日期", "结束日期早于开始日期"))])
    text = ("身份证号", "联系电话")
    workbooks = {
        "区委组织部_挂职干部台账_2020.xlsx": [make_sheet(
            "cadres", "挂职干部台账", CADRE_COLUMNS, _written_cadres(rng, party),
            title="区委组织部 2020年挂职党政干部台账", rename={"是否脱贫攻坚岗位": "是否脱贫\n攻坚岗位"},
            text_columns=text)],
        "区人力社保局_专业技术人才台账_2020.xlsx": [make_sheet(
            "cadres", "专技人才", CADRE_COLUMNS, professional_rows, planted=planted,
            title="区人力社保局 2020年选派专业技术人才台账", blank_after_title=True, text_columns=text,
            date_format="yyyy/m/d")],
    }
    return LedgerOutput(workbooks, expected)


# =============================================================================================
# 5 资金台账
# =============================================================================================
PROJECT_KINDS = {
    "内蒙古": ("肉羊养殖基地建设项目", "马铃薯种薯繁育基地项目", "牧区饲草料基地项目", "燕麦杂粮加工车间项目"),
    "新疆": ("核桃红枣提质增效项目", "鸽子养殖合作社项目", "玫瑰花种植加工项目", "红枣深加工车间项目"),
    "共同": ("设施农业大棚建设项目", "扶贫车间建设项目", "农村人居环境整治项目", "饮水安全巩固提升项目",
           "职业技能培训补贴项目", "教育帮扶助学项目", "医疗卫生帮扶项目", "冷链物流设施建设项目", "乡村旅游扶贫项目"),
}
FUND_ROWS = {"区级财政": 28, "区直部门": 16, "街道乡镇": 22, "村集体": 8, "社会捐赠": 6}
FUND_AREA_P = {"察右前旗": 0.18, "正镶白旗": 0.12, "苏尼特右旗": 0.12, "和田县": 0.5, "224团": 0.08}
DEPARTMENTS = ("区教委", "区卫健委", "区农业农村局", "区商务局", "区人力社保局", "区民政局", "区文化和旅游局",
               "区科委", "区国资委", "区残联")


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
    return {"项目名称": project, "结对地区": area, "资金来源": source,
            "是否深度贫困地区": "是" if area.deep_poverty else "否"}


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
    records = [_fund_record(rng, areas, pairings, source)
               for source, n in FUND_ROWS.items() for _ in range(scaled(n, scale, 2))]
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
    refund.update({"项目名称": f"{refund['项目名称']}（结余资金退回）", "金额（万元）": -35.6,
                   "拨付日期": date(2020, 11, 16), "项目状态": "已完工", "备注": "结余退回"})
    refund["结对地区"] = refund["结对地区"].name
    finance_rows, planted = mix_in(rng, finance_written, [(refund, Plant("金额（万元）", "金额为负数（资金退回不应记为拨付）"))])
    towns_written = _written_funds(rng, towns, in_yuan=True)

    finance_total = sum(r["金额（万元）"] for r in finance) + refund["金额（万元）"]
    towns_total = sum(int(round(r["金额（万元）"] * 10000)) for r in towns)
    workbooks = {
        "区财政局_资金台账_2020.xlsx": [make_sheet(
            "funds", "资金台账", FUNDS_COLUMNS + ["备注"], finance_rows, planted=planted,
            title="2020年大兴区东西部扶贫协作资金台账（区财政局）", total=("金额（万元）", finance_total))],
        "各镇街_资金台账_2020.xlsx": [make_sheet(
            "funds", "镇街拨付资金", FUNDS_COLUMNS, towns_written, title="2020年各镇街结对帮扶资金拨付台账",
            blank_after_title=True, rename={"金额（万元）": "金额（元）"}, total=("金额（万元）", towns_total),
            date_format='yyyy"年"m"月"d"日"')],
    }
    return LedgerOutput(workbooks, expected)


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
    "镇乡": (("大", "小", "东", "西", "南", "北", "前", "后", "新", "上", "下"),
           ("营子", "房子", "滩", "沟", "湾", "泉", "梁", "窑", "井", "圪旦", "土城", "坊子")),
    "苏木": (("巴音", "宝力格", "乌兰", "哈日", "查干", "额尔敦", "希日", "呼和", "阿拉坦", "乌力吉"),
           ("", "淖尔", "敖包", "塔拉", "乌苏", "宝拉格")),
    "和田": (("阿克", "托格拉克", "喀拉", "塔什", "阿热", "英", "库勒", "巴格", "吐格曼", "其乃", "阿恰", "铁热克", "萨依"),
           ("巴格", "艾日克", "吾斯塘", "阿瓦提", "博依", "兰干", "")),
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
    return Person(chinese_name(rng, male, style), ids.make(code, birth, male), area, township,
                  pick(rng, villages[township]))


def _benefit_record(person: Person, route: str, benefit: date) -> dict:
    return {"姓名": person.name, "身份证号": person.id_number, "结对地区": person.area.name, "乡镇": person.township,
            "村": person.village, "受益途径": route, "受益日期": benefit,
            "是否脱贫": "是" if person.exit_date else "否", "脱贫日期": person.exit_date}


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
    columns = {"身份证号": _written_ids(rng, [r["身份证号"] for r in records]),
               "结对地区": spellings(rng, area, len(records)),
               "受益日期": messy_dates(rng, [r["受益日期"] for r in records]),
               "脱贫日期": messy_dates(rng, [r["脱贫日期"] for r in records])}
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
    # typed into a General-format cell: Excel keeps 15 significant digits of the 18
    record["身份证号"] = float(f'{int(ids.make("150926", date(1980, 1, 1), True)):.15g}')
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
    return {"distinct_valid_persons": len(people), "distinct_valid_persons_by_area": by_area,
            "people_exited": len(exited), "industry_people_benefited": len(industry),
            "industry_people_exited": len(industry & exited)}


def beneficiaries(rng: np.random.Generator, areas: dict[str, Area], scale: float) -> LedgerOutput:
    ids = IdFactory(rng)
    total_persons = scaled(12000, scale, 60)
    villages = {name: _villages(rng, area) for name, area in areas.items()}
    people, records_by_area = [], {}
    for name, share in PERSON_AREA_P.items():
        area_people = [_new_person(rng, ids, areas[name], villages[name])
                       for _ in range(max(12, int(round(total_persons * share))))]
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
        workbooks[f"区经济协作办_贫困人口受益台账_{name}_2020.xlsx"] = [make_sheet(
            "beneficiaries", "Sheet1" if name == "224团" else "贫困人口受益台账", BENEFIT_COLUMNS, rows,
            planted=planted, title=f"2020年{name}建档立卡贫困人口受益台账", blank_after_title=index % 2 == 1,
            text_columns=("身份证号",))]
    return LedgerOutput(workbooks, expected)


def poor_base(rng: np.random.Generator, areas: dict[str, Area]) -> tuple[SheetSpec, dict]:
    """One row per area; written without a title row as the second sheet of a workbook."""
    records = [{"结对地区": pick(rng, area.spellings), "年度": 2020, "年初建档立卡贫困人口数": POOR_BASE[name]}
               for name, area in areas.items()]
    expected = {"registered_poor_start": dict(POOR_BASE), "registered_poor_start_total": sum(POOR_BASE.values())}
    return make_sheet("poor_base", "贫困人口基数", BASE_COLUMNS, records), expected


# =============================================================================================
# Budget units (canteens and trade unions), shared by ledgers 9 and 10
# =============================================================================================
UNIT_DEPARTMENTS = (
    "区委办", "区政府办", "区人大办", "区政协办", "区纪委监委", "区委组织部", "区委宣传部", "区委统战部", "区委政法委",
    "区发展改革委", "区教委", "区科委", "区经信局", "区公安分局", "区民政局", "区司法局", "区财政局", "区人力社保局",
    "区规划自然资源分局", "区生态环境局", "区住建委", "区城管委", "区交通局", "区水务局", "区农业农村局", "区商务局",
    "区文化和旅游局", "区卫健委", "区退役军人局", "区应急局", "区市场监管局", "区审计局", "区国资委", "区统计局",
    "区医保局", "区体育局", "区城管执法局", "区园林绿化局", "区信访办", "区经济协作办", "区融媒体中心", "区人民法院",
    "区人民检察院", "区委党校", "区总工会", "团区委", "区妇联", "区残联", "区科协", "区档案馆", "区人民医院",
    "区中医医院", "区第一中学", "区职业学校", "黄村镇", "西红门镇", "旧宫镇", "亦庄镇", "瀛海镇", "青云店镇", "采育镇",
    "安定镇", "礼贤镇", "榆垡镇", "庞各庄镇", "北臧村镇", "魏善庄镇", "长子营镇", "兴丰街道", "林校路街道",
    "清源街道", "观音寺街道", "天宫院街道", "高米店街道",
)


def budget_units(rng: np.random.Generator, n: int) -> list[tuple[str, str]]:
    """n distinct (unit name, 单位类型): about two thirds canteens, one third trade unions."""
    pool = [(f"{d}机关食堂", "预算单位食堂") for d in UNIT_DEPARTMENTS] + [(f"{d}工会", "工会") for d in UNIT_DEPARTMENTS]
    weights = normalised([2.0 if kind == "预算单位食堂" else 1.0 for _, kind in pool])
    chosen = rng.choice(len(pool), size=min(n, len(pool)), replace=False, p=weights)
    return [pool[int(i)] for i in sorted(chosen)]


# =============================================================================================
# 9 消费扶贫台账
# =============================================================================================
BUYER_TYPES = ("预算单位食堂", "工会", "国有企业", "民营企业", "商超", "个人", "其他")
BUYER_TYPE_P = (0.3, 0.25, 0.12, 0.1, 0.1, 0.08, 0.05)
CHANNELS = ("京东", "兴扶购", "双创分中心", "专卖店", "专区专柜", "兴蒙源", "展销会", "其他")
CHANNEL_P = (0.15, 0.2, 0.15, 0.12, 0.13, 0.1, 0.08, 0.07)
OTHER_BUYERS = {
    "国有企业": ("北京兴示范投资有限公司", "北京大兴示范城建集团有限公司", "北京临空示范发展有限公司", "北京兴农示范供销有限公司"),
    "民营企业": ("北京金穗示范农业科技有限公司", "北京瑞丰示范餐饮管理有限公司", "北京康达示范物流有限公司", "北京华兴示范食品有限公司"),
    "商超": ("惠民生鲜超市（黄村店）", "兴旺超市（旧宫店）", "便民连锁超市（亦庄店）", "扶贫产品专区超市（西红门店）"),
    "个人": ("个人消费者（线上）", "个人消费者（展销会）", "职工个人"),
    "其他": ("区慈善协会", "区红十字会", "社区居委会", "区社会组织服务中心"),
}
PRODUCTS = {"察右前旗": ("马铃薯", "燕麦面", "藜麦", "羊肉", "胡麻油"), "正镶白旗": ("羊肉", "奶酪", "奶茶粉", "牛肉干"),
            "苏尼特右旗": ("苏尼特羊肉", "奶豆腐", "驼奶粉", "手把肉"), "和田县": ("和田红枣", "核桃", "玫瑰花茶", "肉苁蓉", "鸽子"),
            "224团": ("红枣", "核桃", "鸡蛋", "羊肉")}
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
    return {"日期": day, "采购单位": buyer, "单位类型": buyer_type, "渠道": channel,
            "产品名称": pick(rng, PRODUCTS[area.name]), "产地": pick(rng, area.spellings),
            "是否名录产品": "是" if rng.random() < 0.9 else "否", "金额（万元）": round(max(amount, 0.01), 2)}


def consumption(rng: np.random.Generator, areas: dict[str, Area], units, scale: float) -> LedgerOutput:
    n = scaled(2000, scale, 30)
    days = sorted(dates_by_month(rng, n, CONSUMPTION_MONTH_P))
    records = [_consumption_record(rng, areas, units, buyer_type, channel, day) for buyer_type, channel, day
               in zip(cover(rng, BUYER_TYPES, n, BUYER_TYPE_P), cover(rng, CHANNELS, n, CHANNEL_P), days)]
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
    sheet = make_sheet("consumption", "消费扶贫台账", CONSUMPTION_COLUMNS, rows, planted=planted,
                       title="2020年大兴区消费扶贫台账", rename={"产地": "产地（结对地区）"},
                       total=("金额（万元）", expected["product_sales_wan"] + bad_amount))
    return LedgerOutput({"区商务局_消费扶贫台账_2020.xlsx": [sheet]}, expected)


# =============================================================================================
# 10 食堂采购台账
# =============================================================================================
BELOW_TARGET_SHARE = {1: 0.175, 2: 0.125, 3: 0.1, 4: 0.0625}  # share of units under 30% per quarter
UNION_SEASON = {1: 1.6, 2: 0.7, 3: 1.3, 4: 1.0}                 # 春节 and 中秋 gifts


def _quarter_labels(rng, quarter: int, n: int) -> list[str]:
    forms = (f"2020Q{quarter}", f"2020年第{CN_QUARTER[quarter]}季度", f"2020年第{quarter}季度", f"2020-Q{quarter}")
    return cover(rng, forms, n, (0.4, 0.3, 0.15, 0.15))


def _canteen_quarter(rng, units, quarter: int, bases: np.ndarray) -> list[dict]:
    n = len(units)
    below = set(int(i) for i in rng.choice(n, size=max(1, int(round(n * BELOW_TARGET_SHARE[quarter]))),
                                           replace=False))
    records = []
    for index, ((unit, kind), base, label) in enumerate(zip(units, bases, _quarter_labels(rng, quarter, n))):
        season = UNION_SEASON[quarter] if kind == "工会" else 1.0
        food_total = round(float(base * season * rng.uniform(0.8, 1.2)), 2)
        high = 0.95 if kind == "工会" else 0.6
        share = rng.uniform(0.08, 0.27) if index in below else rng.uniform(0.32, high)
        records.append({"单位名称": unit, "单位类型": kind, "季度": label, "食材采购总额（万元）": food_total,
                        "其中扶贫产品采购额（万元）": round(food_total * float(share), 2), "_quarter": f"2020Q{quarter}"})
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
        "canteen_ratio": {q: round(sum(r["其中扶贫产品采购额（万元）"] for r in rs)
                                   / sum(r["食材采购总额（万元）"] for r in rs), 4) for q, rs in by_quarter.items()},
    }


def canteen(rng: np.random.Generator, units) -> LedgerOutput:
    bases = np.array([rng.lognormal(np.log(25 if kind == "预算单位食堂" else 8), 0.5) for _, kind in units])
    quarters = {q: _canteen_quarter(rng, units, q, bases) for q in (1, 2, 3, 4)}
    exact = next(r for r in quarters[2] if r["其中扶贫产品采购额（万元）"] / r["食材采购总额（万元）"] >= 0.32)
    exact["食材采购总额（万元）"], exact["其中扶贫产品采购额（万元）"] = 20.0, 6.0  # exactly 30%
    bad_index = next(i for i, r in enumerate(quarters[3])
                     if r["其中扶贫产品采购额（万元）"] / r["食材采购总额（万元）"] >= 0.32 and r["单位名称"] != exact["单位名称"])
    bad = quarters[3][bad_index]
    clean = [r for q in quarters.values() for r in q if r is not bad]
    expected = _canteen_expected(clean)
    expected["canteen_exactly_30"] = {"unit": exact["单位名称"], "quarter": "2020Q2"}
    bad["其中扶贫产品采购额（万元）"] = round(bad["其中扶贫产品采购额（万元）"] * 10, 2)  # a slipped decimal point

    layout = {  # quarter -> (sheet name, title, blank row after title, header renames)
        1: ("一季度", "2020年第一季度预算单位食堂和工会扶贫产品采购台账", False, {}),
        2: ("二季度", "2020年第二季度预算单位食堂和工会扶贫产品采购台账", True, {}),
        3: ("三季度", "2020年第三季度预算单位食堂和工会扶贫产品采购台账", False,
            {"食材采购总额（万元）": "食材采购总额(万元)", "其中扶贫产品采购额（万元）": "扶贫产品采购额(万元)"}),
        4: ("四季度", None, False, {"其中扶贫产品采购额（万元）": "其中扶贫产品采购额"}),
    }
    sheets = []
    for quarter, (name, title, blank, rename) in layout.items():
        planted = {bad_index: Plant("其中扶贫产品采购额（万元）", "扶贫产品采购额大于食材采购总额")} if quarter == 3 else {}
        sheets.append(make_sheet("canteen", name, CANTEEN_COLUMNS, quarters[quarter], planted=planted,
                                 title=title, blank_after_title=blank, rename=rename))
    return LedgerOutput({"区商务局_食堂采购台账_2020.xlsx": sheets}, expected)


# =============================================================================================
# Putting it together
# =============================================================================================
def generate(out_dir: Path, seed: int = 2020, scale: float = 1.0, manifest_path: Path | None = None) -> dict:
    """Write the sample workbooks into out_dir and return the manifest dict.

    out_dir is created if missing; existing *.xlsx/*.csv there are replaced. The manifest is also
    written as JSON (UTF-8, ensure_ascii=False, indent 2) to manifest_path when given. `scale`
    multiplies the row counts; every ledger, every kind of mess and every planted row are kept at
    any scale.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in sorted(out_dir.glob("*.xlsx")) + sorted(out_dir.glob("*.csv")):
        stale.unlink()

    areas, pairings = load_areas(), load_pairings()
    # One stream per ledger, so that a change to one ledger leaves the others as they were.
    # Stream 5 draws the budget units first (shared by the consumption and canteen ledgers).
    streams = np.random.default_rng(seed).spawn(6)
    units = budget_units(streams[5], scaled(80, scale, 8))
    outputs = [cadres(streams[0], areas, scale), funds(streams[1], areas, pairings, scale),
               beneficiaries(streams[2], areas, scale), consumption(streams[3], areas, units, scale),
               canteen(streams[5], units)]
    base_sheet, base_expected = poor_base(streams[4], areas)
    outputs[2].workbooks["区经济协作办_贫困人口受益台账_察右前旗_2020.xlsx"].append(base_sheet)

    manifest = {"seed": seed, "scale": scale, "synthetic": True, "note": NOTE, "files": {}, "planted": [],
                "expected": {}}
    accepted: dict[str, int] = {}
    for output in outputs:
        manifest["expected"].update(output.expected)
        for file_name, sheets in output.workbooks.items():
            entry, planted = write_workbook(out_dir / file_name, sheets)
            manifest["files"][file_name] = entry
            manifest["planted"] += planted
            for sheet in sheets:
                accepted[sheet.ledger] = accepted.get(sheet.ledger, 0) + len(sheet.rows) - len(sheet.planted)
    manifest["expected"].update(base_expected)
    manifest["expected"]["accepted_rows"] = accepted

    if manifest_path is not None:
        manifest_path = Path(manifest_path)
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fupin_lib.sample_data",
                                     description="生成2020年示例台账（随机虚构数据，含故意埋入的错误行）及其清单。")
    parser.add_argument("--out", type=Path, default=Path("data/raw"), help="输出目录（默认 data/raw）；其中已有的 xlsx/csv 会被替换")
    parser.add_argument("--seed", type=int, default=2020, help="随机种子（默认 2020），相同种子与规模生成相同数据")
    parser.add_argument("--scale", type=float, default=1.0, help="行数倍数（默认 1.0；测试可用 0.05）")
    parser.add_argument("--manifest", type=Path, default=None,
                        help="清单 JSON 路径（默认为输出目录上一级的 sample_manifest.json）")
    args = parser.parse_args(argv)
    manifest_path = args.manifest or args.out.parent / "sample_manifest.json"
    started = time.perf_counter()
    manifest = generate(args.out, seed=args.seed, scale=args.scale, manifest_path=manifest_path)
    for file_name, sheets in manifest["files"].items():
        counts = "，".join(f"{sheet} {info['data_rows']} 行" for sheet, info in sheets.items())
        print(f"{file_name}：{counts}")
    print(f"共 {len(manifest['files'])} 个文件，埋入错误行 {len(manifest['planted'])} 行；"
          f"清单：{manifest_path}；用时 {time.perf_counter() - started:.1f} 秒")


if __name__ == "__main__":
    main()
