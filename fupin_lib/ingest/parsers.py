"""Cell parsers: one function per column type of ledgers.yml.

Each parser takes the raw cell as read from Excel/CSV and returns a `Parsed`: the clean value
(or None), a reason in Chinese when the cell cannot be accepted, and a note when the value was
read but changed in a way the user should be told (a misspelt township mapped to its official
name). Parsers never raise on any input.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable, NamedTuple

import pandas as pd

from .. import refdata
from ..config import REFERENCE_DIR
from ..privacy import mask_cell

from . import idcard
from ..tabular import read_yaml


class Parsed(NamedTuple):
    value: Any = None
    problem: str | None = None
    note: str | None = None  # read, but changed in a way the department should know (更正)
    warning: str | None = None  # read as written, but implausible: the department should check (警告)


EMPTY = Parsed()


class Unevaluated(str):
    """A cell holding a formula whose result was never stored (a workbook written by a program
    and not opened in Excel since): the text is the formula. No parser accepts it."""

    def problem(self) -> str:
        return f"单元格是公式（{self[:40]}）但没有保存计算结果：请在Excel中打开该文件、保存后重新报送"


# Decimal digits of other scripts (Arabic-Indic ٣, Devanagari ३, mathematical 𝟑 …): Python's
# float() and int() read them silently. ASCII and full-width digits are the digits of a ledger.
_OTHER_DIGITS = re.compile(r"(?![0-9０-９])\d")


def other_digits(raw: object) -> str | None:
    """Why a cell written with digits of another script is refused, or None."""
    if isinstance(raw, str) and _OTHER_DIGITS.search(raw):
        odd = "".join(dict.fromkeys(_OTHER_DIGITS.findall(raw)))[:5]
        return f"“{raw.strip()[:30]}”中有非常用的数字字符（{odd}，如阿拉伯-印度数字或数学字母数字），请改用 0–9 填写"
    return None


_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋（）：／　", "0123456789.,-+():/ ")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Dates outside this range are treated as typing errors.
DATE_MIN, DATE_MAX = pd.Timestamp("2010-01-01"), pd.Timestamp("2030-12-31")


def is_blank(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if raw is pd.NaT:
        return True
    return isinstance(raw, str) and raw.strip() == ""


def to_text(raw: object) -> str:
    """A cell as clean text: full-width digits and punctuation made ASCII, spaces trimmed."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).translate(_FULLWIDTH).strip()


# --- numbers ---------------------------------------------------------------------------


def chinese_numeral(text: str) -> float | None:
    """十二 -> 12, 一百零五 -> 105, 两千 -> 2000, 一万五 -> 15000 (cn2an); None when the text is not
    a Chinese numeral or is not one number (十几, 两三)."""
    import cn2an

    if not text or not re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟廿点]+", text):
        return None
    if len(text) > 1 and not re.search(r"[十百千万亿拾佰仟廿点]", text):
        return None  # 两三, 三四: a range said in words, not one number (cn2an would read 23, 34)
    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError):
        return None


COUNT_MAX = 2**53  # counts above this are typing errors (and would overflow the Int64 column)
_NUMBER = re.compile(r"^[+-]?(\d+(,\d{3})*|\d*)(\.\d+)?$")


def _plain_number(text: str) -> float | None:
    if not text or not _NUMBER.match(text) or text in {"+", "-", "."}:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


@lru_cache(maxsize=None)
def _units() -> dict:
    return read_yaml((REFERENCE_DIR / "units.yml").read_text(encoding="utf-8"))


def amount_units() -> dict[str, float]:
    """Unit name -> factor to 万元 (reference/units.yml), longest names first."""
    units = _units()["amount_units"]
    return {u: float(units[u]) for u in sorted(units, key=len, reverse=True)}


def unit_factor(text: object) -> float | None:
    """The factor to 万元 of a unit as written (元, 千元, 亿元, 人民币元 …), or None if unknown."""
    return amount_units().get(re.sub(r"\s+", "", str(text)).removeprefix("单位").strip(":："))


_BRACKETED = re.compile(r"[（(【［]([^）)】］]*)[）)】］]")


def header_unit(header: object) -> tuple[float | None, str | None]:
    """The unit an amount header names in brackets: (factor, None) for a known unit, (None,
    word) for an unknown one (金额（美元）), (None, None) when it names none."""
    for inside in _BRACKETED.findall(re.sub(r"\s+", "", str(header))):
        word = inside.removeprefix("单位").strip(":：")
        factor = unit_factor(word)
        if factor is not None:
            return factor, None
        if word and word not in _units()["not_units"]:
            return None, word
    return None, None


def _amount_warning(number: float, value_wan: float) -> str | None:
    limits = _units()["limits"]
    if float(number).is_integer() and len(str(int(abs(number)))) >= limits["id_like_digits"]:
        return "金额位数过多，像是身份证号或账号，请核对"
    if value_wan > limits["amount_wan"]:
        return f"单行金额超过 {limits['amount_wan']:,} 万元，请核对单位（是否应为元）"
    return None


def parse_amount(raw: object, factor: float = 1.0) -> Parsed:
    """An amount in 万元. `factor` converts the header's unit (元 0.0001, 千元 0.1, 亿元 10000).

    "1,234.5", "１２３４", "12万", "12万元", "3,400元", "1.2亿元", "5千元" are read; a value that
    names its own unit wins over the header's unit. An implausible amount (above the limit of
    reference/units.yml, or as long as an ID number) is read with a warning.
    """
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, bool):
        return Parsed(problem=f"金额“{to_text(raw)}”不是数字")
    if isinstance(raw, (int, float)):
        try:
            number = float(raw)
        except OverflowError:  # an int too large for a float: beyond any bound
            number = math.inf
        value = number * factor
    else:
        text = to_text(raw).replace(" ", "")
        unit = factor
        for name, f in amount_units().items():
            if text.endswith(name):
                text, unit = text.removesuffix(name), f
                break
        else:
            if text.endswith("万") or text.endswith("亿"):
                text, unit = text[:-1], amount_units()["万元" if text.endswith("万") else "亿元"]
        number = _plain_number(text)
        if number is None:
            return Parsed(problem=f"金额“{to_text(raw)}”无法识别为数字")
        value = number * unit
    if math.isnan(value):
        return Parsed(problem=f"金额“{to_text(raw)}”无法识别为数字")
    if value < 0:
        return Parsed(problem=f"金额为负数（{to_text(raw)[:30]}）")
    bound = _units()["limits"]["amount_max_wan"]
    if value > bound:  # infinity too
        limits = _units()["limits"]
        if (
            math.isfinite(number)
            and float(number).is_integer()
            and len(str(int(abs(number)))) >= limits["id_like_digits"]
        ):
            return Parsed(
                problem=f"金额“{to_text(raw)[:30]}”位数过多，像是身份证号或账号，超过单行金额的上限（{bound:,} 万元），请核对"
            )
        return Parsed(problem=f"金额“{to_text(raw)[:30]}”超过单行金额的上限（{bound:,} 万元），不是合理的数值，请核对")
    return Parsed(round(value, 6), warning=_amount_warning(number, value))


def parse_count(raw: object) -> Parsed:
    """A head count or number of things: 12, "12", "12人", "十二"."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, bool):
        return Parsed(problem=f"人数/个数“{to_text(raw)}”不是整数")
    if isinstance(raw, (int, float)):
        number = float(raw) if abs(raw) < 1e300 else math.inf  # a huge int: no OverflowError
    else:
        text = re.sub(r"(人次|人|个|次|户|家|场|所|名)$", "", to_text(raw).replace(" ", ""))
        number = _plain_number(text)
        if number is None:
            number = chinese_numeral(text)
            if number is None and re.fullmatch(r"[零〇一二两三四五六七八九十百千万亿几余多来]+", text):
                return Parsed(problem=f"人数/个数“{to_text(raw)}”不是确定的数（如“十几”“两三”），请填写具体数字")
    if number is None or math.isnan(number):
        return Parsed(problem=f"人数/个数“{to_text(raw)}”无法识别为整数")
    if number > COUNT_MAX:  # e.g. an ID or account number in a count column (and no Int64 overflow)
        return Parsed(problem=f"人数/个数“{to_text(raw)[:30]}”过大，不是合理的数值")
    if number < 0:
        return Parsed(problem=f"人数/个数为负数（{to_text(raw)[:30]}）")
    if not float(number).is_integer():
        return Parsed(problem=f"人数/个数“{to_text(raw)}”不是整数")
    return Parsed(int(number))


# --- dates -----------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(raw: object) -> Parsed:
    """2020-03-05, 2020/3/5, 2020年3月5日, 2020.3.5, 20200305, Excel dates and serial numbers."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, (datetime, date, pd.Timestamp)):
        value = pd.Timestamp(raw).normalize()
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if not (20000 <= raw <= 80000):
            return Parsed(problem=f"日期“{to_text(raw)}”无法识别")
        value = (_EXCEL_EPOCH + pd.Timedelta(days=int(raw))).normalize()
    else:
        text = to_text(raw).replace(" ", "") if not re.search(r"\d:\d", str(raw)) else to_text(raw)
        for pattern in _DATE_PATTERNS:
            m = pattern.match(text)
            if m:
                year, month, day = (int(g) for g in m.groups()[:3])
                try:
                    value = pd.Timestamp(year, month, day)
                except ValueError:
                    return Parsed(problem=f"日期“{to_text(raw)}”不存在")
                hour, minute, second = (int(g or 0) for g in (m.groups()[3:6] or (None, None, None)))
                if hour > 23 or minute > 59 or second > 59:
                    return Parsed(problem=f"日期“{to_text(raw)}”中的时间不存在（时应为 0–23，分、秒应为 0–59）")
                break
        else:
            if re.fullmatch(r"\d{4}年\d{1,2}月", text):
                return Parsed(problem=f"日期“{to_text(raw)}”缺少日，请填写到具体日期")
            return Parsed(problem=f"日期“{to_text(raw)}”无法识别（应为 2020-03-05 或 2020年3月5日 等格式）")
    if not (DATE_MIN <= value <= DATE_MAX):
        return Parsed(problem=f"日期“{value.date()}”超出合理范围（{DATE_MIN.year}—{DATE_MAX.year}年）")
    return Parsed(value)


_QUARTER_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def parse_quarter(raw: object) -> Parsed:
    """2020Q1, 2020-Q1, 2020年第一季度, 2020年第1季度, 2020年一季度 -> '2020Q1'."""
    if is_blank(raw):
        return EMPTY
    text = to_text(raw).replace(" ", "").upper()
    m = re.fullmatch(r"(\d{4})[-.年]?(?:Q([1-4])|第?([一二三四1-4])季度?)", text)
    if not m:
        return Parsed(problem=f"季度“{to_text(raw)}”无法识别（应为 2020Q1 或 2020年第一季度 等格式）")
    return Parsed(f"{m.group(1)}Q{_QUARTER_CN[m.group(2) or m.group(3)]}")


def parse_year(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    text = to_text(raw).replace(" ", "").removesuffix("年度").removesuffix("年")
    if not re.fullmatch(r"20\d{2}", text):
        return Parsed(problem=f"年度“{to_text(raw)}”无法识别（应为 2020 等四位年份）")
    return Parsed(int(text))


# --- categorical -----------------------------------------------------------------------

_YES = {"是", "Y", "YES", "1", "√", "✓", "TRUE", "对"}
_NO = {"否", "N", "NO", "0", "×", "✗", "FALSE", "不是"}


def parse_yesno(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    text = to_text(raw).replace(" ", "").upper()
    if text in _YES:
        return Parsed(True)
    if text in _NO:
        return Parsed(False)
    return Parsed(problem=f"“{to_text(raw)}”应填“是”或“否”")


def parse_choice(raw: object, choices: list[str]) -> Parsed:
    if is_blank(raw):
        return EMPTY
    text = re.sub(r"\s+", "", to_text(raw))
    if text in choices:
        return Parsed(text)
    return Parsed(problem=f"“{to_text(raw)}”不是可选值（可选：{'/'.join(choices)}）")


def parse_area(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    area = refdata.canonical_area(to_text(raw))
    if area is None:
        return Parsed(problem=f"未知的结对地区“{to_text(raw)}”（应为{'/'.join(refdata.area_names())}之一或其规范写法）")
    return Parsed(area)


def parse_township(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    found = refdata.canonical_township(to_text(raw))
    if found is None:
        return Parsed(problem=f"未知的乡镇“{to_text(raw)}”（不在结对地区乡镇名单中）")
    township, _area, note = found
    return Parsed(township, note=note)


# --- text and personal data --------------------------------------------------------------

# Bidirectional controls (embeddings, overrides, isolates, marks): in Chinese ledger text they
# only serve to make what follows display reversed, a unit's name turning its neighbours'
# names around in a list. They are dropped from text cells.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def parse_text(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    return Parsed(re.sub(r"\s+", " ", BIDI_CONTROLS.sub("", to_text(raw))))


def parse_name(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    return Parsed(re.sub(r"\s+", "", BIDI_CONTROLS.sub("", to_text(raw))))


def parse_phone(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    return Parsed(re.sub(r"[\s-]", "", to_text(raw)))


def parse_id_card(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, Unevaluated):
        return Parsed(problem=raw.problem())
    if other_digits(raw):
        return Parsed(problem=other_digits(raw))
    reason = idcard.problem(raw)
    if reason:
        return Parsed(problem=reason)
    return Parsed(idcard.normalise(raw))


CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def parse_credit_code(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    text = re.sub(r"\s+", "", to_text(raw)).upper()
    if len(text) != 18:
        return Parsed(problem=f"统一社会信用代码应为18位，实际{len(text)}位")
    if any(c not in CREDIT_CHARS for c in text):
        return Parsed(problem="统一社会信用代码含有非法字符（不使用 I、O、Z、S、V）")
    if credit_check_char(text[:17]) != text[17]:
        return Parsed(problem="统一社会信用代码校验位错误")
    return Parsed(text)


def parse_period_code(raw: object) -> Parsed:
    """期次: 2020Q1, 2020年第一季度, 2020H1, 2020年上半年, 2020, 2020年全年 -> 2020Q1 / 2020H1 / 2020."""
    if is_blank(raw):
        return EMPTY
    text = to_text(raw).replace(" ", "").upper()
    quarter = parse_quarter(text)
    if quarter.value:
        return quarter
    m = re.fullmatch(r"(\d{4})[-.年]?(?:H([12])|([上下])半年)", text)
    if m:
        return Parsed(f"{m.group(1)}H{m.group(2) or ('1' if m.group(3) == '上' else '2')}")
    m = re.fullmatch(r"(\d{4})(?:年|年度|年全年|全年)?", text)
    if m:
        return Parsed(m.group(1))
    return Parsed(problem=f"期次“{to_text(raw)}”无法识别（应为 2020Q1、2020H1 或 2020 等）")


def parse_metric_key(raw: object) -> Parsed:
    """A metrics.csv key, written as the key or as its Chinese label."""
    if is_blank(raw):
        return EMPTY
    text = re.sub(r"\s+", "", to_text(raw))
    metrics = refdata.metrics()
    if text in set(metrics["key"]):
        return Parsed(text)
    by_label = {re.sub(r"\s+", "", to_text(label)): key for label, key in zip(metrics["label_zh"], metrics["key"])}
    if text in by_label:
        return Parsed(by_label[text])
    return Parsed(problem=f"事项“{to_text(raw)}”不是已知的指标（应为 metrics.csv 中的指标键或中文名称）")


# --- ledger 17 (自评事项): a value read by its metric key's unit ---------------------------------


def metric_unit(key: str) -> str:
    return _metric_units()[key]


@lru_cache(maxsize=1)
def _metric_units() -> dict[str, str]:
    return refdata.metrics().set_index("key")["unit"].to_dict()


def parse_self_assessed(key: str, raw: object) -> Parsed:
    """A self-assessed value (ledger 17) read by its key's unit: flag -> 1/0 (是/否), grade ->
    one of the unit's grade words, count/persons -> a whole number within the unit's range
    (e.g. "count 0-4"), 10k CNY -> an amount in 万元."""
    unit = metric_unit(key)
    if unit == "flag":
        parsed = parse_yesno(raw)
        return parsed if parsed.problem or parsed.value is None else Parsed(int(parsed.value))
    if unit.startswith("grade"):
        grades = unit.split(" ", 1)[1].split("/")
        text = re.sub(r"\s+", "", to_text(raw))
        if text in grades:
            return Parsed(text)
        return Parsed(problem=f"“{raw}”不是“{refdata.metric_label(key)}”的可选等级（{'/'.join(grades)}）")
    if unit == "10k CNY":
        return parse_amount(raw)
    if unit.startswith("count") or unit == "persons":
        parsed = parse_count(raw)
        m = re.fullmatch(r"count (\d+)-(\d+)", unit)
        if parsed.value is not None and m and not int(m.group(1)) <= parsed.value <= int(m.group(2)):
            return Parsed(problem=f"“{refdata.metric_label(key)}”应在 {m.group(1)} 到 {m.group(2)} 之间（填写：{raw}）")
        return parsed
    return Parsed(problem=f"“{refdata.metric_label(key)}”不能自评填写")


def _guarded(parser: Callable[..., Parsed], digits: bool) -> Callable[..., Parsed]:
    """A parser that refuses a formula without a stored value, and (for numbers, dates and
    codes) digits of other scripts."""

    def parse(raw: object, *args, **kwargs) -> Parsed:
        if isinstance(raw, Unevaluated):
            return Parsed(problem=raw.problem())
        if digits:
            odd = other_digits(raw)
            if odd:
                return Parsed(problem=odd)
        return parser(raw, *args, **kwargs)

    parse.__name__, parse.__doc__ = parser.__name__, parser.__doc__
    return parse


_NUMERIC_TYPES = {"phone", "id_card", "date", "amount", "count", "quarter", "year", "credit_code", "period"}


PARSERS: dict[str, Callable[..., Parsed]] = {
    "text": parse_text,
    "name": parse_name,
    "phone": parse_phone,
    "id_card": parse_id_card,
    "date": parse_date,
    "amount": parse_amount,
    "count": parse_count,
    "choice": parse_choice,
    "yesno": parse_yesno,
    "area": parse_area,
    "township": parse_township,
    "quarter": parse_quarter,
    "year": parse_year,
    "credit_code": parse_credit_code,
    "period": parse_period_code,
    "metric_key": parse_metric_key,
}
PARSERS = {kind: _guarded(parser, kind in _NUMERIC_TYPES) for kind, parser in PARSERS.items()}


def mask_name(name: object) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧*** (the rule: privacy.mask_cell)."""
    return mask_cell("name", "" if is_blank(name) else str(name).strip())


def mask_phone(phone: object) -> str:
    """13812345678 -> 138****5678 (the rule: privacy.mask_cell)."""
    return mask_cell("phone", "" if is_blank(phone) else re.sub(r"\D", "", to_text(phone)))


def mask_value(kind: str, raw: object) -> str:
    """A cell of a personal column, masked for any message or report."""
    if kind == "id_card":
        return idcard.mask(raw)
    if kind == "phone":
        return mask_phone(raw)
    return mask_name(raw)
