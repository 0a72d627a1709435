"""fupin_lib: 东西部扶贫协作工作台账的清洗、指标计算与报告。"""

__version__ = "0.1.0"

from . import config  # noqa: E402,F401
from .catalog import load, load_all, tables  # noqa: E402,F401  (one call per clean table)
from .ingest import ingest_folder  # noqa: E402,F401
from .periods import parse_period  # noqa: E402,F401
