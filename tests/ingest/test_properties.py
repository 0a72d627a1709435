"""Property-based tests of the cell parsers (cleaning.py), ID numbers and area names.

Two kinds of property: a parser never raises, whatever a cell holds (any text, float, int, None,
date, datetime, bool), and never changes a valid value: a valid amount, count, date, ID number,
credit code, quarter, period or area name, written in any of the accepted ways, reads as itself.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from fupin_lib import refdata
from fupin_lib.ingest import idcard, parsers as cleaning
from fupin_lib.ingest.parsers import (
    CREDIT_CHARS,
    Parsed,
    credit_check_char,
    parse_amount,
    parse_area,
    parse_count,
    parse_credit_code,
    parse_date,
    parse_id_card,
    parse_period_code,
    parse_quarter,
    parse_township,
    parse_year,
)

modest = settings(max_examples=200, deadline=None, database=None)  # fast, and writes nothing

_FW = str.maketrans("0123456789.,-/Xx", "０１２３４５６７８９．，－／Ｘｘ")
CELL_CHARS = "0123456789０１２３４５６７８９.,-+ 万元年月日季度第QHq一二三四五六七八九十百千两零人个次:：/xX上下半全察右前旗和田县团"
cells = st.one_of(
    st.text(),
    st.text(alphabet=CELL_CHARS, max_size=24),
    st.floats(),
    st.integers(),
    st.none(),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


def fullwidth(text: str) -> str:
    return text.translate(_FW)


# --- never raise ----------------------------------------------------------------------------

PARSER_CALLS = [(name, fn) for name, fn in cleaning.PARSERS.items() if name not in ("choice", "amount")] + [
    ("amount", lambda v: parse_amount(v)),
    ("amount in 元", lambda v: parse_amount(v, factor=0.0001)),
    ("choice", lambda v: cleaning.parse_choice(v, choices=["是", "否"])),
]


@pytest.mark.parametrize("name, parse", PARSER_CALLS, ids=[n for n, _ in PARSER_CALLS])
@modest
@given(raw=cells)
@example(raw=10**400)  # beyond float range: no OverflowError
@example(raw="1" + "0" * 20)  # a count that would overflow the Int64 column
@example(raw=float("inf"))
@example(raw=pd.NaT)
@example(raw=dt.time(10, 30))
@example(raw=dt.timedelta(days=2))
def test_parsers_never_raise(name, parse, raw):
    parsed = parse(raw)
    assert isinstance(parsed, Parsed)
    assert parsed.value is None or parsed.problem is None  # a value or a reason, not both
    assert parsed.note is None or parsed.value is not None  # a note only on a value read
    if name == "count" and parsed.value is not None:
        assert 0 <= parsed.value <= cleaning.COUNT_MAX  # fits the Int64 column of the clean table


@modest
@given(raw=cells)
def test_helpers_never_raise(raw):
    """Whatever a cell holds: a reason or None, a mask that never shows more than it should, a
    normal form without spaces or lower-case x, known names or None."""
    why = idcard.problem(raw)
    assert why is None or (isinstance(why, str) and why)
    normal = idcard.normalise(raw)
    assert isinstance(normal, str) and not any(c.isspace() for c in normal) and "x" not in normal
    if why is None:  # a valid ID: 18 characters, masked in the middle
        assert len(normal) == 18 and idcard.mask(raw) == normal[:6] + "*" * 8 + normal[14:]
    for kind in ("id_card", "phone", "name"):
        masked = cleaning.mask_value(kind, raw)
        assert isinstance(masked, str)
        if len(normal) > 4:  # something is always hidden (a star over a star the cell held hides it too: *0000)
            assert masked != normal or "*" in normal
    area = refdata.canonical_area(raw if isinstance(raw, str) else None)
    assert area is None or area in refdata.area_names()
    township = refdata.canonical_township(raw if isinstance(raw, str) else None)
    assert township is None or (len(township) == 3 and refdata.canonical_area(township[1]) == township[1])
    assert cleaning.is_blank(raw) in (True, False)


# --- amounts --------------------------------------------------------------------------------

# Up to the bound of one row (units.yml: 1 万亿元 = 10**8 万元); above it an amount is rejected.
amounts = st.decimals(min_value=0, max_value=10**8, places=4, allow_nan=False, allow_infinity=False)


@modest
@given(amounts)
def test_amount_in_any_accepted_spelling_reads_as_itself(d: Decimal):
    x = float(d)
    spellings = [
        str(x),
        str(d),
        f"{d:,}",
        fullwidth(f"{d:,}"),
        f"{d}万",
        f"{d}万元",
        f" {d} ",
        f"{d * 10000}元",
        f"{d * 10000:,} 元",
    ]
    for text in spellings:
        assert parse_amount(text).value == pytest.approx(x, rel=1e-9, abs=1e-6), text
        assert parse_amount(text).problem is None
    assert parse_amount(x).value == pytest.approx(x, rel=1e-9, abs=1e-6)
    assert parse_amount(x * 10000, factor=0.0001).value == pytest.approx(x, rel=1e-9, abs=1e-6)  # a 金额（元） column
    assert parse_amount(f"{d}万元", factor=0.0001).value == pytest.approx(
        x, rel=1e-9, abs=1e-6
    )  # the value's unit wins


@modest
@given(st.decimals(min_value=10**8 + 1, max_value=10**320, allow_nan=False, allow_infinity=False))
def test_amount_beyond_the_bound_is_a_problem(d: Decimal):
    for raw in (f"{d:f}", f"{d:,f}", float(d) if float(d) != float("inf") else 1e308, f"{d * 10000:f}元"):
        parsed = parse_amount(raw)
        assert parsed.value is None and "超过单行金额的上限" in parsed.problem, raw


@modest
@given(amounts.filter(lambda d: d > 0))
def test_negative_amount_is_a_problem(d: Decimal):
    for raw in (-float(d), f"-{d}", f"-{d}元"):
        parsed = parse_amount(raw)
        assert parsed.value is None and "负数" in parsed.problem


# --- counts ---------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"


def _cn4(n: int) -> str:
    out, gap = "", False
    for unit, size in (("千", 1000), ("百", 100), ("十", 10), ("", 1)):
        q = n // size % 10
        if q:
            out += ("零" if gap else "") + _DIGITS[q] + unit
            gap = False
        elif out:
            gap = True
    return out


def chinese(n: int) -> str:
    """12 -> 十二, 105 -> 一百零五, 10005 -> 一万零五 (for 0 <= n < 10**8)."""
    if n == 0:
        return "零"
    high, low = divmod(n, 10000)
    text = (_cn4(high) + "万" if high else "") + ("零" if high and 0 < low < 1000 else "") + (_cn4(low) if low else "")
    return text[1:] if text.startswith("一十") else text


@modest
@given(st.integers(min_value=0, max_value=10**12))
def test_count_in_any_accepted_spelling_reads_as_itself(n: int):
    for raw in (n, float(n), str(n), f"{n:,}", fullwidth(str(n)), f"{n}人", f"{n}人次", f" {n} 个"):
        assert parse_count(raw).value == n, raw
    if n < 10**8:
        assert parse_count(chinese(n)).value == n, chinese(n)


@modest
@given(st.integers(min_value=1, max_value=10**6))
def test_negative_or_fractional_count_is_a_problem(n: int):
    assert "负数" in parse_count(-n).problem
    assert "不是整数" in parse_count(n + 0.5).problem


# --- dates ----------------------------------------------------------------------------------

in_range = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2030, 12, 31))


@modest
@given(in_range, st.times())
def test_date_in_any_accepted_format_reads_as_itself(d: dt.date, t: dt.time):
    expected = pd.Timestamp(d)
    serial = (d - dt.date(1899, 12, 30)).days
    spellings = [
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{d.year}.{d.month}.{d.day}",
        f"{d:%Y%m%d}",
        f"{d:%Y/%m/%d}",
        fullwidth(d.isoformat()),
        f"{d.isoformat()} {t:%H:%M:%S}",
        f" {d.year} 年 {d.month} 月 {d.day} 日 ",
        serial,
        float(serial) + t.hour / 24,
        d,
        dt.datetime.combine(d, t),
        pd.Timestamp(dt.datetime.combine(d, t)),
    ]
    for raw in spellings:
        parsed = parse_date(raw)
        assert parsed.value == expected and parsed.problem is None, raw


@modest
@given(
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2009, 12, 31))
    | st.dates(min_value=dt.date(2031, 1, 1), max_value=dt.date(2199, 12, 31))
)
def test_date_out_of_range_is_a_problem(d: dt.date):
    for raw in (d.isoformat(), d, f"{d.year}年{d.month}月{d.day}日"):
        assert "超出合理范围" in parse_date(raw).problem


# --- ID numbers -----------------------------------------------------------------------------


@st.composite
def valid_ids(draw) -> str:
    region = draw(st.integers(min_value=100000, max_value=999999))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2019, 12, 31)))
    first = f"{region}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return first + idcard.check_digit(first)


@modest
@given(
    valid_ids(), st.lists(st.integers(min_value=0, max_value=18), max_size=4), st.sampled_from(["", " ", "\t", "  "])
)
def test_valid_id_in_any_accepted_spelling_parses_to_itself(pid: str, cuts: list[int], pad: str):
    spaced = pid
    for cut in sorted(set(cuts), reverse=True):
        spaced = spaced[:cut] + " " + spaced[cut:]
    for raw in (pid, pid.lower(), spaced, pad + pid + pad, fullwidth(pid), fullwidth(spaced.lower())):
        parsed = parse_id_card(raw)
        assert parsed.value == pid and parsed.problem is None, raw
    assert idcard.valid_mask(pd.Series([pid])).tolist() == [True]
    assert idcard.mask(pid) == pid[:6] + "********" + pid[14:]


@modest
@given(valid_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_caught(pid: str, pos: int, char: str):
    changed = pid[:pos] + char + pid[pos + 1 :]
    if changed != pid:
        assert parse_id_card(changed).problem is not None, changed


@modest
@given(valid_ids())
def test_id_stored_as_a_number_is_a_problem(pid: str):
    if pid[17] != "X":
        assert "数字" in parse_id_card(float(pid)).problem
        assert "数字" in parse_id_card(int(pid)).problem


@modest
@given(st.text(alphabet="0123456789Xx ０１２３４５６７８９", max_size=22) | valid_ids())
def test_vectorised_validity_agrees(text: str):
    assert idcard.valid_mask(pd.Series([idcard.normalise(text)])).tolist() == [idcard.is_valid(text)]


# --- credit codes ---------------------------------------------------------------------------


@modest
@given(st.text(alphabet=CREDIT_CHARS, min_size=17, max_size=17))
def test_valid_credit_code_in_any_spelling_parses_to_itself(first17: str):
    code = first17 + credit_check_char(first17)
    for raw in (code, code.lower(), f" {code[:8]} {code[8:]} "):
        assert parse_credit_code(raw).value == code, raw
    wrong = next(c for c in CREDIT_CHARS if c != code[17])
    assert "校验位" in parse_credit_code(code[:17] + wrong).problem


# --- areas and townships ------------------------------------------------------------------------

AREAS = refdata.paired_areas()
SPELLINGS = [(spelling, row.area) for row in AREAS.itertuples() for spelling in {row.area, row.full_name, *row.aliases}]
TOWNS = [(town, row.area) for row in AREAS.itertuples() for town in row.townships]
ALIASES = list(refdata.township_aliases().itertuples())


@modest
@given(st.sampled_from(SPELLINGS), st.sampled_from(["", " ", "　", "\t"]), st.integers(min_value=0, max_value=20))
def test_every_area_spelling_maps_to_its_canonical_name(written_area, pad: str, cut: int):
    written, area = written_area
    spaced = written[:cut] + pad + written[cut:]
    for raw in (written, pad + written + pad, spaced):
        assert refdata.canonical_area(raw) == area, raw
        assert parse_area(raw).value == area, raw
    assert refdata.canonical_area(area) == area and parse_area(area).value == area  # canonical maps to itself


@modest
@given(st.text(max_size=12))
def test_unknown_area_is_a_problem_never_a_new_area(text: str):
    parsed = parse_area(text)
    if parsed.value is not None:
        assert parsed.value in refdata.area_names()
    elif not cleaning.is_blank(text):
        assert "未知的结对地区" in parsed.problem


@modest
@given(st.sampled_from(TOWNS), st.sampled_from(["", " "]))
def test_official_township_maps_to_itself(town_area, pad: str):
    town, area = town_area
    assert refdata.canonical_township(pad + town + pad) == (town, area, None)
    assert parse_township(town) == Parsed(town)


@modest
@given(st.sampled_from(ALIASES))
def test_source_misspelling_maps_to_the_official_township_and_says_so(alias):
    parsed = parse_township(alias.as_written)
    assert parsed.value == alias.township and parsed.note == alias.note and parsed.problem is None
    assert (alias.township, alias.area) in TOWNS


# --- quarters, periods, years -----------------------------------------------------------------

_CN_Q = "一二三四"


@modest
@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=4))
def test_quarter_in_any_accepted_spelling(year: int, q: int):
    expected = f"{year}Q{q}"
    for raw in (
        expected,
        f"{year}q{q}",
        f"{year}-Q{q}",
        f"{year}年Q{q}",
        f"{year}年第{_CN_Q[q - 1]}季度",
        f"{year}年第{q}季度",
        f"{year}年{_CN_Q[q - 1]}季度",
        f" {year} 年 第 {q} 季度 ",
        fullwidth(f"{year}Q{q}"),
    ):
        assert parse_quarter(raw).value == expected, raw
        assert parse_period_code(raw).value == expected, raw
    assert parse_quarter(parse_quarter(expected).value).value == expected


@modest
@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=2))
def test_half_year_and_year_periods(year: int, h: int):
    half = f"{year}H{h}"
    for raw in (half, f"{year}h{h}", f"{year}年{'上' if h == 1 else '下'}半年", f"{year}-H{h}"):
        assert parse_period_code(raw).value == half, raw
    for raw in (str(year), year, f"{year}年", f"{year}年度", f"{year}年全年", f"{year}全年"):
        assert parse_period_code(raw).value == str(year), raw
    for raw in (str(year), year, float(year), f"{year}年", f"{year}年度", fullwidth(str(year))):
        assert parse_year(raw).value == year, raw
