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

期间与数字（与报告使用同一套函数）::

    p = fupin_lib.parse_period("2020Q2")  # 季度 2020Q2、半年 2020H1、全年 2020；指标为年初至期末
    from fupin_lib.figures import cadres, funds, consumption, headline, targets
    cadres.counts_by_county(t["cadres"], p)             # 各结对地区在岗挂职干部和专业技术人才
    funds.benefit_by_county(t["beneficiaries"], t["funds"], p)   # 资金、惠及和助力脱贫人数、每万元人数
    consumption.canteen_ratios(t["canteen"], p)         # 各单位扶贫产品采购比例
    headline.headline(t, p)                             # 报告首表
    targets.progress(t, p)                              # 2020 年目标完成情况

读取情况（被拒绝的行、每个工作表的读取行数、提示）::

    from fupin_lib.store import load_result
    result = load_result()                # IngestResult：.tables .rejections .notices
    result.summary(); result.sheet_table()
    fupin_lib.ingest_folder("data/raw")   # 不经存储，重新读取一个目录

API：
    tables, describe, load, load_all      清洗后的表（catalog.py）
    ingest_folder                         读取一个目录的台账（ingest/）
    parse_period                          期间（periods.py）
    store.load_result                     清洗结果及读取情况（store.py）
    figures.*                             各项数字：cadres funds consumption labour society
                                          pairing governance headline targets registry sections
    privacy.scan_file                     发布前的隐私检查

命令行：`fupin --help`；JupyterLab：`make lab`（`notebooks/explore.ipynb` 为示例）。
"""

__version__ = "0.1.0"

from . import config  # noqa: E402,F401
from .catalog import describe, load, load_all, tables  # noqa: E402,F401  (one call per clean table)
from .ingest import ingest_folder  # noqa: E402,F401
from .periods import parse_period  # noqa: E402,F401

__all__ = ["tables", "describe", "load", "load_all", "ingest_folder", "parse_period", "config"]
