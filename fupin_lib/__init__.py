"""fupin_lib：东西部扶贫协作工作台账的清洗、指标计算与报告（大兴区经济协作办）。

读取各部门报送的工作台账（Excel），校验、清洗为 21 张表，计算各期间的数字，生成报告。
清洗后的表中没有明文的身份证号、手机号和姓名：按人计数用 `person_key`（加密散列），
显示用 `*_masked`（脱敏）。数据字典：`docs/数据字典.md`（`fupin dictionary` 生成）。

清洗后的表（与报告读取的是同一份，台账有变化时自动重新清洗）::

    import fupin_lib
    fupin_lib.tables()                    # 全部 21 张表：来源台账、说明、行数、个人信息列
    fupin_lib.describe("cadres")          # 各列：中文名、类型、单位、可选值、个人信息、来源表头
    cadres = fupin_lib.load("cadres")     # 一张表
    t = fupin_lib.load_all()              # 全部表 {表名: DataFrame}

期间：季度 '2020Q2' 或 '2020年第二季度'、半年 '2020H1' 或 '2020年上半年'、全年 '2020'、某一天
'2020-06-30'（截至当天），或 Period，处处通用。各项数字默认为年初至期末累计，ytd=False 为本期间自身
（本季度、本半年、当日）；返回的表在 `.attrs["口径"]` 中写明口径（JupyterLab 中显示在表的上方）::

    t = fupin_lib.load_all()
    from fupin_lib.figures import cadres, funds, consumption, headline, targets
    cadres.counts_by_county(t["cadres"], "2020-06-30", ytd=False)   # 2020年6月30日当天在岗，各地区、各类别
    funds.funds_by_quarter(t["funds"], "2020", sources="all")      # 各季度本季度拨付的资金，五种来源
    funds.benefit_by_route(t["beneficiaries"], "2020Q2")           # 各受益途径惠及人数（每个途径内按人去重）
    consumption.canteen_ratios(t["canteen"], "2020年第二季度")       # 各单位扶贫产品采购比例
    headline.headline(t, "2020H1"); targets.progress(t, "2020Q2")  # 报告首表；目标完成情况

一项数字在多个期间（上一期、上年同期、增减和增长率；没有台账的期间为“无数据”，不是 0）::

    fupin_lib.series("extra_funds_wan", "2020Q1:2020Q4", ytd=False)          # 指标键见 reference/metrics.csv
    fupin_lib.series(consumption.canteen_overall, "2020Q1:2020Q4", ytd=False)  # 或任一数字函数
    fupin_lib.series("extra_funds_wan", "2020Q1:2020Q4", area="和田县")        # 加筛选条件

筛选（写错的值报错并提示最接近的可选值，如“科右前旗”提示“察右前旗”）::

    fupin_lib.load("cadres", area="察右前旗", category="党政干部")
    fupin_lib.where(table, department="区财政局")

SQL、导出 Excel、读取情况::

    fupin_lib.sql("select area, count(*) from cadres group by area")     # DuckDB，表名同 load()
    fupin_lib.to_excel(table, "资金.xlsx")        # 中文表头、万元和百分比格式、冻结表头、列宽自适应
    fupin_lib.notices(); fupin_lib.round_changes()  # 读取提示；重新报送的台账改了哪些行

查询个人（仅限授权人员，须写明用途，每次记入查询记录 查询记录/个人信息查询记录.csv）::

    fupin_lib.find_person("11010519491231002x", reason="核对受益名单")   # 身份证号、姓名或 person_key
    fupin_lib.source_rows(rows, reason="核对区人保局报送的名单")          # 清洗后的行对应的原始台账行

读取情况（被拒绝的行、每个工作表的读取行数、提示）::

    from fupin_lib.store import load_result
    result = load_result()                # IngestResult：.tables .rejections .notices
    result.summary(); result.sheet_table()
    fupin_lib.ingest_folder("data/raw")   # 不经存储，重新读取一个目录

API：
    tables, describe, load, load_all, where   清洗后的表（catalog.py、filters.py）
    ingest_folder                         读取一个目录的台账（ingest/）
    parse_period, period_range            期间（periods.py）
    series                                一项数字在多个期间（analyst/series.py）
    find_person, source_rows, access_log  授权查询原始台账中的个人信息（analyst/lookup.py）
    to_excel                              导出 Excel（analyst/export.py）
    sql                                   SQL 查询（analyst/sql.py）
    notices, round_changes                读取提示、重新报送的改动（analyst/lab.py）
    store.load_result                     清洗结果及读取情况（store.py）
    figures.*                             各项数字：cadres funds consumption labour society
                                          pairing governance headline targets registry sections
    privacy.scan_file                     发布前的隐私检查

命令行：`fupin --help`；JupyterLab：`make lab`（`notebooks/explore.ipynb` 为示例）。在 JupyterLab 的内核中
`import fupin_lib` 即设置图表中文字体。
"""

import importlib
import importlib.util
import sys

from . import config  # noqa: E402,F401

__version__ = config.VERSION

# The API by name, each imported on first use: `import fupin_lib` (and so every `fupin` command,
# report worker and kernel) loads only what it touches, not pandera, DuckDB or matplotlib.
_API = {
    "to_excel": ".analyst.export",
    "notices": ".analyst.lab",
    "round_changes": ".analyst.lab",
    "access_log": ".analyst.lookup",
    "find_person": ".analyst.lookup",
    "source_rows": ".analyst.lookup",
    "series": ".analyst.series",
    "sql": ".analyst.sql",
    "describe": ".catalog",
    "load": ".catalog",
    "load_all": ".catalog",
    "tables": ".catalog",  # one call per clean table
    "where": ".filters",
    "ingest_folder": ".ingest",
    "parse_period": ".periods",
    "period_range": ".periods",
}

__all__ = [
    "tables",
    "describe",
    "load",
    "load_all",
    "where",
    "ingest_folder",
    "parse_period",
    "period_range",
    "series",
    "find_person",
    "source_rows",
    "access_log",
    "to_excel",
    "sql",
    "notices",
    "round_changes",
    "config",
]


def __getattr__(name: str):
    if name in _API:
        value = getattr(importlib.import_module(_API[name], __name__), name)
    elif not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        value = importlib.import_module(f".{name}", __name__)  # a module: fupin_lib.figures …
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))


def _setup_lab() -> None:
    """In a Jupyter kernel (any IPython shell): the Chinese chart font (analyst/lab.py)."""
    from .analyst.lab import setup_kernel

    try:
        setup_kernel()
    except Exception as exc:  # a chart font that cannot be set must not stop the import
        import warnings

        warnings.warn(f"未能设置图表中文字体（{type(exc).__name__}：{exc}）；可运行 fupin_lib.render.charts.setup()")


if "IPython" in sys.modules:  # only an IPython shell can be a kernel to set up
    _setup_lab()
