"""Resident ID numbers (居民身份证号码, GB 11643-1999): check digit, validation, masking.

Only the structure is checked: 18 characters, a real birth date, the check digit. The
address code is not checked (codes change; people keep their number).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from ..privacy import mask_cell

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


_CHECK_CODES = np.array([ord(c) for c in CHECK_CHARS], dtype=np.uint32)
_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _valid_codes(cp: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """Validity of IDs given as code points (n x 19) and lengths, all at once."""
    d = cp[:, :17].astype(np.int32) - 48
    last = cp[:, 17]
    ok = (lens == 18) & ((d >= 0) & (d <= 9)).all(axis=1) & (d[:, 0] != 0)
    ok &= ((last >= 48) & (last <= 57)) | (last == 88)
    total = np.zeros(len(cp), dtype=np.int32)
    for i, w in enumerate(WEIGHTS):  # 17 vector operations (integer matmul has no fast path)
        total += w * d[:, i]
    ok &= _CHECK_CODES[total % 11] == last
    year = d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9]
    month = d[:, 10] * 10 + d[:, 11]
    day = d[:, 12] * 10 + d[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days = np.where(month_ok, _DAYS[np.clip(month, 1, 12) - 1] + ((month == 2) & leap), 0)
    today = pd.Timestamp.today()
    born = year * 10000 + month * 100 + day
    ok &= month_ok & (day >= 1) & (day <= days) & (year >= 1900)
    ok &= born <= today.year * 10000 + today.month * 100 + today.day
    return ok


def normalise_and_validate(ids: pd.Series) -> tuple[pd.Series, pd.Series]:
    """normalise() and validity for a whole column (numpy, for a million IDs in well under a
    second). IDs already in clean form are checked as they are; only the others (spaces,
    lower-case x, full-width digits) go through the slower text normalisation first."""
    text = ids.where(ids.map(type) == str, "").astype(object) if ids.dtype == object else ids.astype(str)  # noqa: E721 (a Series of types, compared element-wise)
    arr = text.to_numpy(dtype="U19")
    lens = np.char.str_len(arr)
    cp = arr.view(np.uint32).reshape(len(arr), 19) if len(arr) else np.zeros((0, 19), np.uint32)
    ok = _valid_codes(cp, lens)
    normal = text.copy()
    redo = ~ok & (lens > 0)
    if redo.any():
        fixed = normalise_series(text[redo])
        arr2 = fixed.to_numpy(dtype="U19")
        ok2 = _valid_codes(arr2.view(np.uint32).reshape(len(arr2), 19), np.char.str_len(arr2))
        normal[redo] = fixed.to_numpy()
        ok[redo] = ok2
    return normal, pd.Series(ok, index=ids.index)


def valid_mask(ids: pd.Series) -> pd.Series:
    """Vectorised validity of IDs (True where valid); see normalise_and_validate."""
    return normalise_and_validate(ids)[1]


def mask(raw: object) -> str:
    """110101********1234 for an 18-character ID; other text keeps only its last 4 characters
    (the rule: privacy.mask_cell)."""
    return mask_cell("id_card", normalise(raw))


def normalise_series(ids: pd.Series) -> pd.Series:
    """normalise() for a whole column at once (missing values become "")."""
    text = ids.astype("string").fillna("")
    return text.str.translate(_FULLWIDTH).str.replace(r"\s+", "", regex=True).str.upper().astype(object)
