"""Resident ID numbers (居民身份证号码, GB 11643-1999): check digit, validation, masking.

Only the structure is checked: 18 characters, a real birth date, the check digit. The
address code is not checked (codes change; people keep their number).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^[1-9][0-9]{16}[0-9X]$")
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalise(raw: object) -> str:
    """The ID as text: spaces dropped, full-width digits made ASCII, x upper-cased."""
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return ""
    text = str(raw).translate(_FULLWIDTH)
    return re.sub(r"\s+", "", text).upper()


def problem(raw: object, earliest_year: int = 1900, latest: date | None = None) -> str | None:
    """Why an ID is not valid, in Chinese, or None when it is valid."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # Excel stored the ID as a number: 18 digits do not survive a float.
        return "身份证号被存成了数字，已丢失精度（请将该列设为文本格式后重新填写）"
    text = normalise(raw)
    if not text:
        return "身份证号为空"
    if re.fullmatch(r"\d(\.\d+)?E\+\d+", text):
        return "身份证号被存成了科学计数法数字，已丢失精度（请将该列设为文本格式后重新填写）"
    if len(text) != 18:
        return f"身份证号应为18位，实际{len(text)}位"
    if not _SHAPE.match(text):
        return "身份证号含有非法字符（前17位应为数字，末位为数字或X）"
    try:
        born = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在"
    if born.year < earliest_year or born > (latest or date.today()):
        return "身份证号中的出生日期不合理"
    if check_digit(text[:17]) != text[17]:
        return "身份证号校验位错误"
    return None


def is_valid(raw: object) -> bool:
    return problem(raw) is None


def valid_mask(ids: pd.Series) -> pd.Series:
    """Vectorised validity of already normalised 18-character IDs (True where valid)."""
    s = ids.fillna("").astype(str)
    ok = s.str.fullmatch(r"[1-9][0-9]{16}[0-9X]")
    digits = s.where(ok, "100000190001010000")
    arr = np.frombuffer("".join(digits.str[:17]).encode("ascii"), dtype=np.uint8)
    arr = (arr - ord("0")).reshape(-1, 17).astype(np.int64)
    total = arr @ np.array(WEIGHTS, dtype=np.int64)
    expected = np.array(list(CHECK_CHARS))[total % 11]
    ok &= pd.Series(expected, index=s.index) == s.str[17]
    born = pd.to_datetime(s.str[6:14].where(ok), format="%Y%m%d", errors="coerce")
    ok &= born.notna() & (born.dt.year >= 1900) & (born <= pd.Timestamp.today())
    return ok


def mask(raw: object) -> str:
    """110101********1234 for an 18-character ID; other text keeps only its last 4 characters."""
    text = normalise(raw)
    if not text:
        return ""
    if len(text) == 18:
        return text[:6] + "*" * 8 + text[14:]
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


def normalise_series(ids: pd.Series) -> pd.Series:
    """normalise() for a whole column at once (missing values become "")."""
    text = ids.astype("string").fillna("")
    return text.str.translate(_FULLWIDTH).str.replace(r"\s+", "", regex=True).str.upper().astype(object)
