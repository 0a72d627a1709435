"""Filters an analyst writes (`area="察右前旗"`, `department="区财政局"`, `category="党政干部"`),
checked before they are applied: a value no row could ever have (科右前旗 for 察右前旗) is
refused with the nearest valid value (difflib), and a valid filter that leaves no row says so
(EmptyFilterWarning) instead of returning an empty table in silence.

What a value may be, per column:
- area: a paired area, written any known way (refdata: 和田地区和田县 is 和田县);
- department: the department that sent the row (the name its file starts with: 区财政局_资金台账…),
  written as departments.yml knows it (区人保局 finds 区人力社保局);
- a column with choices in ledgers.yml (category, source, route …): one of them;
- any other column: a value the table holds.
A list of values keeps the rows matching any of them.
"""

from __future__ import annotations

import difflib
import re
import warnings
from functools import lru_cache

import pandas as pd

from . import refdata
from . import config
from .tabular import read_yaml


class FilterError(ValueError):
    """A filter that cannot match: an unknown column or value (the message is Chinese)."""


class EmptyFilterWarning(UserWarning):
    """A valid filter that left no row."""


LABELS = {"area": "结对地区", "department": "报送部门"}
_BRACKETS = str.maketrans({"（": "(", "）": ")", "　": " "})


def _norm(text: object) -> str:
    text = re.sub(r"\s+", "", str(text).translate(_BRACKETS))
    return "区" + text[3:] if text.startswith("大兴区") else text


@lru_cache(maxsize=None)
def _departments() -> dict[str, str]:
    """Normalised spelling -> the name departments.yml writes first."""
    with open(config.DEPARTMENTS_FILE, encoding="utf-8") as fh:
        doc = read_yaml(fh)
    out: dict[str, str] = {}
    for name, aliases in doc["departments"].items():
        for spelling in [name, *(aliases or [])]:
            out[_norm(spelling)] = name
    return out


def canonical_department(text: object) -> str:
    """A department as departments.yml names it (区人力社保局 -> 区人保局); unknown names as written."""
    key = _norm(text)
    known = _departments()
    return known.get(key) or known.get("区" + key) or key


def department_column(table: pd.DataFrame) -> pd.Series:
    """The department that sent each row (from its file, ingest.result.department_of)."""
    from .ingest.file_names import department_of

    files = table["_file"].astype(str)
    return files.map({f: department_of(f) for f in files.unique()})


def _column_spec(column: str, table_key: str | None):
    from .ledgers import ledger_specs

    specs = ledger_specs()
    keys = [table_key] if table_key in specs else list(specs)
    for key in keys:
        for col in specs[key].columns:
            if col.name == column:
                return col
    return None


def _label(column: str, table_key: str | None) -> str:
    """A column as the ledgers name it: 人员类别（category）."""
    if column in LABELS:
        return LABELS[column]
    col = _column_spec(column, table_key)
    return f"{col.header}（{column}）" if col is not None else f"“{column}”"


def suggest(value: object, candidates: list[str]) -> str | None:
    """The valid value closest to what was typed (difflib), or None."""
    close = difflib.get_close_matches(str(value), [str(c) for c in candidates], n=1, cutoff=0.4)
    return close[0] if close else None


def _refuse(what: str, value: object, valid: list[str], near_from: dict[str, str] | None = None) -> FilterError:
    near_from = near_from or {v: v for v in valid}
    near = suggest(value, list(near_from))
    hint = f"最接近的是“{near_from[near]}”；" if near else ""
    shown = "、".join(valid[:30]) + ("……" if len(valid) > 30 else "")
    return FilterError(f"没有{what}为“{value}”的行：{hint}可选：{shown}")


def _matcher(column: str, wanted: list[object], table: pd.DataFrame, table_key: str | None) -> pd.Series:
    """True for the rows matching any wanted value; FilterError for a value no row could have."""
    if column == "area":
        spellings = {}
        for row in refdata.paired_areas().itertuples():
            for s in [row.area, row.full_name, *row.aliases]:
                spellings[s] = row.area
        chosen = []
        for value in wanted:
            area = refdata.canonical_area(value)
            if area is None:
                raise _refuse("结对地区", value, refdata.area_names(), spellings)
            chosen.append(area)
        return table[column].isin(chosen)
    if column == "department":
        sent = department_column(table) if "_file" in table else pd.Series("", index=table.index)
        canonical = sent.map(canonical_department)
        known = sorted(set(sent.unique()))
        chosen = []
        for value in wanted:
            name = canonical_department(value)
            if name not in set(canonical.unique()) | set(_departments().values()):
                spellings = {s: s for s in sorted(set(sent.unique()))} | {k: v for k, v in _departments().items()}
                raise _refuse("报送部门", value, known, spellings)
            chosen.append(name)
        return canonical.isin(chosen)
    spec = _column_spec(column, table_key)
    choices = tuple(spec.choices) if spec is not None and spec.choices else ()
    valid = list(choices) if choices else [str(v) for v in pd.unique(table[column].dropna())]
    for value in wanted:
        if (choices and value not in choices) or (
            not choices and str(value) not in valid and value not in set(table[column].dropna())
        ):
            raise _refuse(_label(column, table_key), value, valid)
    return table[column].isin(wanted)


def applies(column: str, table: pd.DataFrame) -> bool:
    """True when the filter can be applied to the table (it has the column, or files for department)."""
    return column in table.columns or (column == "department" and "_file" in table.columns)


def where(table: pd.DataFrame, table_key: str | None = None, **filters) -> pd.DataFrame:
    """按条件筛选一张表：`where(load("cadres"), area="和田县", category="党政干部")`。

    条件写作 列名=值（或值的列表，满足其一即可）；`department` 为报送部门（按来源文件名）。
    写错的值不会静默返回空表：没有这个值时报错并给出最接近的可选值（如“科右前旗”提示“察右前旗”）；
    值有效但没有符合条件的行时给出提示（EmptyFilterWarning）。

        >>> import pandas as pd
        >>> t = pd.DataFrame({"area": ["察右前旗", "和田县"], "n": [1, 2]})
        >>> where(t, area="察哈尔右翼前旗")["n"].tolist()
        [1]
        >>> try:
        ...     where(t, area="科右前旗")
        ... except FilterError as refused:
        ...     print(refused)
        没有结对地区为“科右前旗”的行：最接近的是“察右前旗”；可选：察右前旗、正镶白旗、苏尼特右旗、和田县、224团
    """
    if not filters:
        return table
    keep = pd.Series(True, index=table.index)
    said = []
    for column, value in filters.items():
        if not applies(column, table):
            near = suggest(column, [*table.columns, "department"])
            hint = f"，是否指“{near}”" if near else ""
            raise FilterError(
                f"表{('“' + table_key + '”') if table_key else ''}中没有列“{column}”{hint}"
                f"（可选：{'、'.join(c for c in table.columns if not c.startswith('_'))}、department）"
            )
        wanted = list(value) if isinstance(value, (list, tuple, set, pd.Series, pd.Index)) else [value]
        keep &= _matcher(column, wanted, table, table_key)
        said.append(f"{_label(column, table_key)}={'、'.join(map(str, wanted))}")
    out = table[keep]
    if out.empty:
        where_ = f"表“{table_key}”" if table_key else "表"
        warnings.warn(
            f"{where_}按 {'，'.join(said)} 筛选后没有行（共 {len(table)} 行，没有符合条件的）",
            EmptyFilterWarning,
            stacklevel=2,
        )
    return out
