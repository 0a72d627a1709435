"""The Lab as opened: what `import fupin_lib` does in a Jupyter kernel, and what ingestion said
as tables.

In a kernel (or any IPython shell), importing fupin_lib sets the Chinese chart font and draws
chart text as text (render.charts.setup), so that a first plot shows Chinese, not boxes; and
a table that says its window (attrs["口径"], set by the figure functions and series) shows it
above the table. Outside IPython (the CLI, the batch's workers, tests) nothing is changed.

`notices()` and `round_changes()` give what ingestion said as DataFrames: every notice, and for
each ledger a department sent again in a later round, the rows it added, changed and removed
(pseudonymised like the clean tables: no name or ID number in clear).
"""

from __future__ import annotations

import html
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

from .. import config

NOTICE_COLUMNS = ["类型", "文件", "工作表", "行", "说明"]
CHANGE_COLUMNS = ["部门", "台账", "表", "轮次", "取代", "变化", "行的标识", "列", "原值", "新值", "来源文件", "行号"]


def in_ipython():
    """The running IPython shell (a Jupyter kernel, or IPython in a terminal), or None."""
    if "IPython" not in sys.modules:
        return None
    try:
        from IPython import get_ipython
    except Exception:  # a broken IPython install: behave as outside it
        return None
    return get_ipython()


def _frame_html(frame):
    """A DataFrame's HTML, with its window (attrs["口径"]) above it when it has one."""
    body = frame._repr_html_()
    window = frame.attrs.get("口径") if isinstance(frame.attrs, dict) else None
    if not window or body is None:
        return body
    return f'<p style="margin:0 0 4px 0;color:#555">口径：{html.escape(str(window))}</p>' + body


def setup_kernel(shell=None) -> bool:
    """In an IPython shell: the Chinese chart font, chart text as text, and tables showing their
    window. True when done (False outside IPython). Called by `import fupin_lib`."""
    shell = shell if shell is not None else in_ipython()
    if shell is None:
        return False
    from ..render import charts

    charts.setup()
    try:
        shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _frame_html)
    except Exception:  # a shell without rich display: the font is what matters
        pass
    return True


def notices(raw_dir: Path | str = config.RAW_DIR) -> pd.DataFrame:
    """读取台账时的全部提示（每条一行）：类型（提示、警告、错误、更正）、文件、工作表、行和说明。
    与 `fupin ingest`、被拒绝行工作簿的“提示与跳过”相同。

        >>> notices()["类型"].value_counts().to_dict()      # 示例数据
        {'提示': 34, '更正': 15}
    """
    from ..store import load_result

    result = load_result(raw_dir)
    frame = pd.DataFrame(
        [{"类型": n.kind, "文件": n.file, "工作表": n.sheet, "行": n.row, "说明": n.message} for n in result.notices],
        columns=NOTICE_COLUMNS,
    )
    frame["行"] = frame["行"].astype("Int64")
    return frame


def _ingest_alone(raw_dir: Path, files: list[str]):
    """The clean tables of some files of a raw folder, read on their own (same relative paths)."""
    from ..ingest import ingest_folder

    with tempfile.TemporaryDirectory(prefix="fupin-round-") as tmp:
        for rel in files:
            target = Path(tmp) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(raw_dir) / rel, target)
        return ingest_folder(Path(tmp))


def _text(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return str(value.date())
    return str(value)


def round_changes(raw_dir: Path | str = config.RAW_DIR) -> pd.DataFrame:
    """各部门重新报送的台账比上一轮改了什么：每个新增、修改、删除的行一行（修改的行每个改动的列一行），
    写明部门、台账、轮次、取代的轮次、变化、行的标识、列、原值、新值、来源文件和行号。
    个人信息与清洗后的表一样只有加密散列和脱敏形式。没有重新报送的台账时为空表。

        >>> changes = round_changes()                      # 示例数据：区财政局第二季度重报资金台账
        >>> len(changes), changes[["部门", "变化", "列", "原值", "新值"]].drop_duplicates().values.tolist()
        (2, [['区财政局', '修改', 'status', '在建', '已完工']])
    """
    from ..ingest.pseudonym import replaced
    from ..ledgers import ledger_specs
    from ..periods import parse_period
    from ..store import load_result

    raw_dir = Path(raw_dir)
    result = load_result(raw_dir)
    specs = ledger_specs()
    label = {s.round: (parse_period(s.round).label_zh if s.round else "未标期次") for s in result.sheets}
    rows = []
    groups: dict[tuple, list] = {}
    for s in result.sheets:
        groups.setdefault((s.department, s.ledger), []).append(s)
    for (department, ledger), sheets in groups.items():
        used = [s for s in sheets if s.used]
        replaced_sheets = [s for s in sheets if not s.used and s.status.startswith("已被") and "取代" in s.status]
        if not used or not replaced_sheets:
            continue
        spec = specs[ledger]
        old_round = max(
            (s.round for s in replaced_sheets), key=lambda r: parse_period(r).end if r else pd.Timestamp.min
        )
        old_files = sorted({s.file for s in replaced_sheets if s.round == old_round})
        new_files = sorted({s.file for s in used})
        old = _ingest_alone(raw_dir, old_files).tables[ledger]
        new = result.tables[ledger][result.tables[ledger]["_file"].isin(new_files)]
        columns = [c for col in spec.columns for c in replaced(col) if c in new.columns and not c.endswith("_masked")]
        ident = [
            c for col in spec.columns if col.name in spec.identity for c in replaced(col) if c in columns
        ] or columns

        def keyed(frame: pd.DataFrame) -> dict:
            out = {}
            for record in frame.to_dict("records"):
                out.setdefault(tuple(_text(record[c]) for c in ident), record)
            return out

        before, after = keyed(old), keyed(new)
        base = {
            "部门": department,
            "台账": spec.sheet,
            "表": ledger,
            "轮次": label.get(used[0].round, used[0].round),
            "取代": label.get(old_round, old_round),
        }
        for key, record in after.items():
            name = "；".join(f"{c}={v}" for c, v in zip(ident, key))
            if key not in before:
                rows.append(
                    {
                        **base,
                        "变化": "新增",
                        "行的标识": name,
                        "列": "",
                        "原值": "",
                        "新值": "",
                        "来源文件": record["_file"],
                        "行号": record["_row"],
                    }
                )
                continue
            for c in columns:
                if _text(before[key][c]) != _text(record[c]):
                    rows.append(
                        {
                            **base,
                            "变化": "修改",
                            "行的标识": name,
                            "列": c,
                            "原值": _text(before[key][c]),
                            "新值": _text(record[c]),
                            "来源文件": record["_file"],
                            "行号": record["_row"],
                        }
                    )
        for key, record in before.items():
            if key not in after:
                rows.append(
                    {
                        **base,
                        "变化": "删除",
                        "行的标识": "；".join(f"{c}={v}" for c, v in zip(ident, key)),
                        "列": "",
                        "原值": "",
                        "新值": "",
                        "来源文件": record["_file"],
                        "行号": record["_row"],
                    }
                )
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    frame["行号"] = frame["行号"].astype("Int64")
    return frame
