"""The analysts' catalog of the clean tables: what there is (`tables`), what each column means
(`describe`), and the tables themselves (`load`, `load_all`), over the same store the reports
read (store.py). One clean table per ledger sheet of reference/ledgers.yml: the catalog, the
data dictionary (`docs/数据字典.md`, `fupin dictionary`) and the store all follow from it.

Personal columns are never in a clean table in clear (ingest/pseudonym.py): a keyed hash
(`person_key`, `name_key` …) to count and match persons, and a masked copy to show.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import config
from .ingest.pseudonym import PERSON_KEY, key_column, masked_column
from .ledgers import ColumnSpec, LedgerSpec, ledger_specs
from .store import load_result


# Column type (ledgers.yml) -> its Chinese name and the dtype of its clean column.
TYPES = {
    "text": ("文本", "object"),
    "name": ("姓名", "object"),
    "phone": ("电话", "object"),
    "id_card": ("身份证号", "object"),
    "credit_code": ("统一社会信用代码", "object"),
    "date": ("日期", "datetime64[ns]"),
    "amount": ("金额", "float64"),
    "count": ("整数", "Int64"),
    "choice": ("选项", "object"),
    "yesno": ("是否", "boolean"),
    "area": ("结对地区", "object"),
    "township": ("乡镇", "object"),
    "quarter": ("季度", "object"),
    "year": ("年度", "Int64"),
    "period": ("期次", "object"),
    "metric_key": ("指标键", "object"),
}
DESCRIBE_COLUMNS = [
    "列",
    "中文名",
    "类型",
    "数据类型",
    "单位",
    "可选值",
    "必填",
    "个人信息",
    "来源台账",
    "来源表头",
    "说明",
]
_PROVENANCE = {
    "_file": ("来源文件", "文本", "object", "原始台账文件在数据目录中的相对路径（文件名中的人员姓名已脱敏）"),
    "_sheet": ("来源工作表", "文本", "object", "原始台账中的工作表名"),
    "_row": ("来源行号", "整数", "int64", "原始台账中的行号（与 Excel 中看到的行号一致）"),
}


def _check(name: str) -> LedgerSpec:
    specs = ledger_specs()
    if name not in specs:
        raise KeyError(f"没有名为“{name}”的数据表；可选：{'、'.join(specs)}")
    return specs[name]


def _allowed(col: ColumnSpec) -> str:
    from . import refdata

    if col.choices:
        return "、".join(col.choices)
    return {
        "yesno": "是、否（存为 True/False）",
        "area": "、".join(refdata.area_names()),
        "township": "结对地区所属乡镇（规范名称）",
        "quarter": "如 2020Q2",
        "year": "如 2020",
        "period": "如 2020Q2、2020H1、2020",
        "metric_key": "指标键（reference/metrics.csv）",
        "date": "日期（读取 2020-03-05、2020/3/5、2020年3月5日 等写法）",
    }.get(col.type, "")


def _rows(spec: LedgerSpec) -> list[dict]:
    rows = [
        {
            "列": name,
            "中文名": label,
            "类型": kind,
            "数据类型": dtype,
            "单位": "",
            "可选值": "",
            "必填": "是",
            "个人信息": "否",
            "来源台账": spec.sheet,
            "来源表头": "",
            "说明": note,
        }
        for name, (label, kind, dtype, note) in _PROVENANCE.items()
    ]
    for col in spec.columns:
        kind, dtype = TYPES[col.type]
        base = {
            "类型": kind,
            "数据类型": dtype,
            "单位": col.unit,
            "可选值": _allowed(col),
            "必填": "是" if col.required else "否",
            "个人信息": "否",
            "来源台账": spec.sheet,
            "来源表头": "、".join((col.header, *col.aliases)),
            "说明": "",
        }
        if not col.personal:
            rows.append({"列": col.name, "中文名": col.header, **base})
            continue
        if key_column(col) == PERSON_KEY:
            by = "、".join(spec.column(c).header for c in spec.person_fallback)
            note = "按人计数、去重、跨台账匹配用：身份证号的加密散列（同一身份证号在各台账中相同）" + (
                f"；未填身份证号的按{by}" if by else ""
            )
            label = "人员键"
        else:
            note = f"{col.header}的加密散列：相同的{col.header}相同，用于匹配，不可还原"
            label = f"{col.header}（键）"
        always = col.required or (key_column(col) == PERSON_KEY and bool(spec.person_fallback))
        rows.append(
            {
                "列": key_column(col),
                "中文名": label,
                **base,
                "类型": "键",
                "数据类型": "object",
                "单位": "",
                "可选值": "",
                "必填": "是" if always else "否",
                "个人信息": "加密散列（不可还原）",
                "说明": note,
            }
        )
        shown = {"id_card": "110101********1234", "phone": "138****5678"}.get(col.type, "张*")
        rows.append(
            {
                "列": masked_column(col),
                "中文名": f"{col.header}（脱敏）",
                **base,
                "数据类型": "object",
                "可选值": "",
                "个人信息": "脱敏",
                "说明": f"显示用，如 {shown}" + ("；占位写法（如“无”“--”）原样保留" if col.type == "name" else ""),
            }
        )
    return rows


def describe(name: str) -> pd.DataFrame:
    """一张清洗后的表的各列（按表中顺序）：中文名、类型和数据类型、单位、可选值、是否必填、是否个人信息
    （加密散列或脱敏）、来源台账和表头；也包括来源列 _file、_sheet、_row。

        >>> d = describe("cadres")
        >>> d.loc[d["列"] == "person_key", "个人信息"].item()
        '加密散列（不可还原）'
        >>> describe("funds").set_index("列").loc["amount_wan", ["中文名", "单位"]].tolist()
        ['金额（万元）', '万元']
    """
    return pd.DataFrame(_rows(_check(name)), columns=DESCRIBE_COLUMNS)


def tables(raw_dir: Path | str | None = config.RAW_DIR) -> pd.DataFrame:
    """全部清洗后的表，每表一行（索引为传给 `load` 的表名）：来源台账、内容说明、行数（raw_dir 的清洗结果；
    raw_dir=None 时不计行数）、列数和个人信息列。

        >>> t = tables()
        >>> len(t), t.loc["cadres", "台账"]
        (21, '挂职干部台账')
    """
    counts = {k: len(v) for k, v in load_result(raw_dir).tables.items()} if raw_dir is not None else {}
    rows = []
    for key, spec in ledger_specs().items():
        columns = _rows(spec)
        rows.append(
            {
                "表": key,
                "台账": spec.sheet,
                "台账编号": spec.id,
                "说明": spec.description,
                "行数": counts.get(key),
                "列数": len(columns),
                "个人信息列": "、".join(r["列"] for r in columns if r["个人信息"] != "否"),
            }
        )
    out = pd.DataFrame(rows).set_index("表")
    out["行数"] = out["行数"].astype("Int64")
    return out


def load(name: str, raw_dir: Path | str = config.RAW_DIR, **filters) -> pd.DataFrame:
    """一张清洗后的表（与报告读取的是同一份；台账有变化时先自动重新清洗）。`describe(name)` 说明各列的
    含义；按人计数用 `person_key`。可加筛选条件，如 `load("cadres", area="和田县", category="党政干部")`
    （`department` 为报送部门）：写错的值会报错并提示最接近的可选值，没有符合条件的行时给出提示
    （见 `fupin_lib.where`）。

        >>> cadres = load("cadres")
        >>> cadres.columns[:7].tolist()
        ['_file', '_sheet', '_row', 'name_key', 'name_masked', 'person_key', 'id_number_masked']
        >>> len(load("cadres", area="和田县", category="党政干部")) < len(cadres)
        True
    """
    from .windows import YEARS_ATTR, years_read

    _check(name)
    result = load_result(raw_dir)
    table = result.tables[name]
    table.attrs.update({"表": name, YEARS_ATTR: sorted(years_read(result)[name])})
    if filters:
        from .filters import where

        table = where(table, name, **filters)
    return table


def load_all(raw_dir: Path | str = config.RAW_DIR) -> dict[str, pd.DataFrame]:
    """全部清洗后的表 {表名: DataFrame}，顺序同 `tables()`：即各项数字函数（`fupin_lib.figures`）所用的表。

    >>> t = load_all()
    >>> len(t), list(t)[:3]
    (21, ['meetings', 'visits', 'cadres'])
    """
    from .windows import YEARS_ATTR, years_read

    result = load_result(raw_dir)
    years = years_read(result)
    for key, table in result.tables.items():
        table.attrs.update({"表": key, YEARS_ATTR: sorted(years[key])})
    return {key: result.tables[key] for key in ledger_specs()}


# --- the data dictionary page ---------------------------------------------------------------


def _cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return lines


def dictionary_markdown() -> str:
    """The data dictionary page (docs/数据字典.md), made from ledgers.yml: every clean table and
    every column. `fupin dictionary` writes it; a test checks that the committed page is this."""
    lines = [
        "# 数据字典：清洗后的表",
        "",
        "本页由 `fupin dictionary` 根据 `fupin_lib/reference/ledgers.yml` 生成，请勿手工修改。",
        "",
        "在 JupyterLab 或 Python 中：",
        "",
        "```python",
        "import fupin_lib",
        "fupin_lib.tables()               # 全部表：来源台账、说明、行数、列数、个人信息列",
        'fupin_lib.describe("cadres")     # 一张表的各列：中文名、类型、单位、可选值、个人信息、来源表头',
        'cadres = fupin_lib.load("cadres")  # 一张表（台账有变化时自动重新清洗）',
        "tables = fupin_lib.load_all()      # 全部表 {表名: DataFrame}",
        "```",
        "",
        "**个人信息**：清洗后的表（`data/processed/`）中没有明文的身份证号、手机号和姓名。每个个人信息列换成两列：",
        "加密散列列（`person_key`、`name_key`、`phone_key` 等，用项目密钥计算，同一人在各台账中相同，"
        "可用于计数、去重和跨台账匹配，不可还原）和脱敏列（`*_masked`，如 110101********1234、138****5678、张*）。"
        "按人计数一律用 `person_key`（挂职干部未填身份证号的按姓名和派出单位）。明文只在原始台账中。",
        "",
        "**来源**：每行的 `_file`、`_sheet`、`_row` 是它在原始台账中的文件、工作表和行号。"
        "被拒绝的行、每个工作表的读取情况和提示见 `fupin_lib.store.load_result()` 的 `rejections`、`sheet_table()`、"
        "`summary()` 和 `notices`，以及 `data/processed/被拒绝行.xlsx`。",
        "",
        "## 全部表",
        "",
    ]
    overview = tables(raw_dir=None).reset_index()[["表", "台账", "台账编号", "列数", "个人信息列", "说明"]]
    lines += _markdown_table(overview)
    for key, spec in ledger_specs().items():
        lines += ["", f"## {key}：{spec.sheet}", "", spec.description, ""]
        frame = describe(key)[["列", "中文名", "类型", "单位", "可选值", "必填", "个人信息", "来源表头", "说明"]]
        lines += _markdown_table(frame)
    return "\n".join(lines) + "\n"


def write_dictionary(path: Path | str = config.DICTIONARY_FILE) -> Path:
    """Write the data dictionary page (atomically)."""
    from .files import atomic_write

    text = dictionary_markdown()
    return atomic_write(Path(path), lambda tmp: tmp.write_text(text, encoding="utf-8"), mode=0o644)
