"""SQL over the store for analysts who prefer it: `sql("select …")` runs in an embedded DuckDB
over the store's Parquet files, one view per clean table under the name `load()` takes (cadres,
funds, beneficiaries …), plus `rejections`, `sheets` and `notices` (what ingestion said). The
store is made again first when the ledgers changed, as for load(); nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import config

EXTRA_VIEWS = {"rejections": "_rejections", "sheets": "_sheets", "notices": "_notices"}


class SQLError(ValueError):
    """A query DuckDB refused; the message is Chinese with DuckDB's own words."""


def store_folder(raw_dir: Path | str = config.RAW_DIR) -> Path:
    """The store folder of a raw folder, made fresh first (store.load_result when it is stale)."""
    from ..store import input_hashes, is_fresh, load_result, location, store_key

    raw_dir = Path(raw_dir)
    folder = location(raw_dir)
    hashes = input_hashes(raw_dir) if raw_dir.is_dir() else {}
    if not raw_dir.is_dir() or not is_fresh(folder, store_key(raw_dir, hashes)):
        load_result(raw_dir, hashes=hashes or None)
    return folder


def connect(raw_dir: Path | str = config.RAW_DIR):
    """A DuckDB connection (in memory) with a view per clean table of the store."""
    import duckdb

    from ..ledgers import ledger_specs

    folder = store_folder(raw_dir)
    con = duckdb.connect(":memory:")
    views = {key: key for key in ledger_specs()} | EXTRA_VIEWS
    for view, file in views.items():
        path = str(folder / f"{file}.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {view} AS SELECT * FROM read_parquet('{path}')")
    return con


def sql(query: str, raw_dir: Path | str = config.RAW_DIR, **params) -> pd.DataFrame:
    """用 SQL 查询清洗后的表，返回 DataFrame。表名与 `load()` 相同（cadres、funds、beneficiaries 等），
    另有 rejections（被拒绝行）、sheets（各工作表读取情况）、notices（提示）；查询前台账有变化时自动重新清洗。
    可用 $名称 传参数：`sql("select * from funds where area = $area", area="和田县")`。

        >>> sql("select count(*) as n from cadres")["n"].item() == len(__import__("fupin_lib").load("cadres"))
        True
        >>> sql("select source, round(sum(amount_wan), 2) as wan from funds group by source order by wan desc").iloc[0].to_dict()
        {'source': '区级财政', 'wan': 6009.41}
    """
    import duckdb

    con = connect(raw_dir)
    try:
        return con.execute(query, params or None).df()
    except duckdb.Error as exc:
        from ..ledgers import ledger_specs

        tables = "、".join([*ledger_specs(), *EXTRA_VIEWS])
        raise SQLError(f"SQL 查询出错：{exc}（可用的表：{tables}；各列见 fupin_lib.describe(表名)）") from None
    finally:
        con.close()
