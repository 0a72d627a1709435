"""The submission tracker (催报): for a period, each department's ledgers as the year's plan
assigns them (reference/plans/<year>/obligations.csv), received or not, in which round, rows
read, accepted and rejected, missing required columns, rows dated outside the year or after the
period's end; and one feedback workbook per department listing its rejected rows with cell
references and reasons, ready to send back.

Department names are matched through reference/departments.yml (区人力社保局 is 区人保局).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import refdata
from ..excel import TEXT_ONLY, write_table
from ..figures.coverage import NOT_SENT
from ..ingest import IngestResult, department_of
from ..ingest.result import MISSING_COLUMNS
from ..ledgers import ledger_specs
from ..periods import Period, parse_period

COLUMNS = [
    "部门",
    "台账",
    "应报",
    "报送情况",
    "轮次",
    "读取行数",
    "接受",
    "拒绝",
    "缺少必填列",
    "年度之外（行）",
    "期末之后（行）",
    "说明",
]
COUNT_COLUMNS = ("读取行数", "接受", "拒绝", "年度之外（行）", "期末之后（行）")  # right-aligned where shown
RECEIVED, NOT_RECEIVED = "已报送", NOT_SENT


def _canonical(name: str) -> str:
    from ..assessment.departments import load_directory

    return load_directory().find(name) or name


def owed(period: Period) -> dict[tuple[str, str], str]:
    """(department as the plan writes it, ledger key) -> the plan section it comes from."""
    plan = refdata.plan(period.year)
    if plan is None:
        return {}
    return {
        (dept, row.ledger): row.source for row in plan.obligations().itertuples() for dept in row.departments.split("|")
    }


def _dates(table: pd.DataFrame, key: str) -> pd.Series:
    """The date that puts each row of a clean table in a period (ledgers.yml `dated_by`; the
    canteen's quarter as the quarter's last day)."""
    spec = ledger_specs()[key]
    if key == "canteen":
        return table["quarter"].map(lambda q: parse_period(q).end if isinstance(q, str) else pd.NaT)
    if spec.dated_by and spec.dated_by in table:
        return pd.to_datetime(table[spec.dated_by])
    return pd.Series(pd.NaT, index=table.index)


def status(result: IngestResult, period: Period) -> pd.DataFrame:
    """One row per department and ledger, owed by the plan or received: what came, and what
    needs the department's attention."""
    plan_rows = owed(period)
    owed_by = {(_canonical(d), k): (d, source) for (d, k), source in plan_rows.items()}
    sheets = [s for s in result.sheets if s.used]
    received: dict[tuple[str, str], list] = {}
    for s in sheets:
        received.setdefault((_canonical(s.department), s.ledger), []).append(s)
    missing_cols = {}
    for n in result.notices:
        if n.code == MISSING_COLUMNS:
            missing_cols.setdefault((n.file, n.sheet), n.detail)
    outside, later = {}, {}
    for key, table in result.tables.items():
        if table.empty:
            continue
        dates = _dates(table, key)
        senders = {f: _canonical(department_of(f)) for f in table["_file"].unique()}  # a few files, many rows
        depts = table["_file"].map(senders)
        for dept, n in depts[dates.notna() & (dates.dt.year != period.year)].value_counts().items():
            outside[(dept, key)] = int(n)
        for dept, n in depts[(dates.dt.year == period.year) & (dates > period.end)].value_counts().items():
            later[(dept, key)] = int(n)
    rows = []
    # Departments in order, each one's ledgers in the order of ledgers.yml (several share an id:
    # the labour ledger's sheets), never in the order of a set, which changes from run to run.
    position = {ledger: i for i, ledger in enumerate(ledger_specs())}
    for key in sorted(set(owed_by) | set(received), key=lambda k: (k[0], position[k[1]])):
        dept, ledger = key
        mine = received.get(key, [])
        shown_dept = owed_by[key][0] if key in owed_by else mine[0].department
        note = [] if key in owed_by else ["计划未列此项，报送的数据照常计入"]
        if key in owed_by and not mine:
            note.append(f"计划{owed_by[key][1]}要求报送")
        gaps = sorted({missing_cols[(s.file, s.sheet)] for s in mine if (s.file, s.sheet) in missing_cols})
        rows.append(
            {
                "部门": refdata.department_name(shown_dept),
                "台账": ledger_specs()[ledger].sheet,
                "应报": "是" if key in owed_by else "否",
                "报送情况": RECEIVED if mine else NOT_RECEIVED,
                "轮次": "、".join(sorted({s.round or "未标期次" for s in mine})) if mine else "—",
                "读取行数": sum(s.read for s in mine) if mine else None,
                "接受": sum(s.accepted for s in mine) if mine else None,
                "拒绝": sum(s.rejected for s in mine) if mine else None,
                "缺少必填列": "、".join(gaps),
                "年度之外（行）": outside.get(key, 0) if mine else None,
                "期末之后（行）": later.get(key, 0) if mine else None,
                "说明": "；".join(note),
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def not_received(table: pd.DataFrame) -> pd.DataFrame:
    """The ledgers the plan asks for that did not come."""
    return table[(table["应报"] == "是") & (table["报送情况"] == NOT_RECEIVED)]


def feedback_workbooks(result: IngestResult, period: Period, folder: Path) -> list[Path]:
    """One workbook per department that owes or sent a ledger: its ledgers' status, its rejected
    rows (file, sheet, cell, column, value with personal data masked, reason) and the notices
    about its files. Written into folder (made as a set by the caller). Returns the paths."""
    import xlsxwriter

    from ..files import fit_name

    table = status(result, period)
    rejections = result.rejections.assign(部门=result.rejections["文件"].map(department_of))
    notices = pd.DataFrame(
        [
            {
                "部门": department_of(n.file),
                "类型": n.kind,
                "文件": n.file,
                "工作表": n.sheet or "",
                "行号": n.row or "",
                "说明": n.message,
            }
            for n in result.notices
            if n.kind != "提示"
        ],
        columns=["部门", "类型", "文件", "工作表", "行号", "说明"],
    )
    paths = []
    for dept in table["部门"].unique():
        canon = _canonical(dept)
        mine_rej = rejections[rejections["部门"].map(_canonical) == canon]
        mine_notes = notices[notices["部门"].map(_canonical) == canon]
        path = Path(folder) / fit_name(f"{dept}_数据反馈_{period.code}.xlsx")  # a long department name is cut, hashed
        book = xlsxwriter.Workbook(str(path), TEXT_ONLY)
        try:
            summary = table[table["部门"] == dept].drop(columns=["部门"])
            write_table(book, "报送情况", summary)
            write_table(book, "被拒绝的行", mine_rej[["文件", "工作表", "单元格", "行号", "列", "值", "原因"]])
            write_table(book, "提示", mine_notes.drop(columns=["部门"]))
            book.set_properties({"title": f"{dept} {period.label_zh}台账数据反馈"})
        finally:
            book.close()
        paths.append(path)
    return paths
