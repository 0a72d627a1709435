"""What ingestion returns: the clean tables, the rejected rows, per-sheet counts and notices.

Nothing is dropped silently: for every sheet, rows read = accepted + rejected, and every
skipped file, sheet or row is a Notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..ledgers import ledger_specs
from .file_names import department_of


PROVENANCE = ["_file", "_sheet", "_row"]


REJECTION_COLUMNS = ["台账", "文件", "工作表", "行号", "列", "单元格", "值", "原因"]


@dataclass
class Notice:
    """Something said to the user that is not a rejected row: a skipped file, sheet or row."""

    file: str
    sheet: str | None
    row: int | None
    message: str
    kind: str = "提示"
    code: str = ""  # what the notice says, for programs (missing_columns, resent …): never parse `message`
    detail: str = ""  # its data: the missing columns (、), the resend's 新增,修改,删除 counts

    def __str__(self) -> str:
        where = self.file + (f" / {self.sheet}" if self.sheet else "") + (f" / 第{self.row}行" if self.row else "")
        return f"[{self.kind}] {where}：{self.message}"


USED = "计入"
MISSING_COLUMNS, RESENT = (
    "missing_columns",
    "resent",
)  # Notice.code of the notices programs read          # SheetReport.status of a sheet whose rows count


@dataclass
class SheetReport:
    file: str
    sheet: str
    ledger: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    totals_excluded: int = 0
    notes_skipped: int = 0
    round: str = ""  # the submission round (period code) the file was sent for, "" if unmarked
    status: str = USED  # 计入, or why the sheet does not count (已被第二季度报送取代, 汇总表 …)
    header_rows: str = ""  # the rows taken as the header (第1行、第2行)

    @property
    def department(self) -> str:
        return department_of(self.file)

    @property
    def used(self) -> bool:
        return self.status == USED


@dataclass
class IngestResult:
    tables: dict[str, pd.DataFrame]
    rejections: pd.DataFrame
    sheets: list[SheetReport]
    notices: list[Notice] = field(default_factory=list)
    names: object = field(default=None, repr=False, compare=False)  # privacy.NameIndex of the ledgers' persons

    def redact(self, text: str) -> str:
        """Text about the inputs (a file or sheet name) with the ledgers' personal data masked."""
        from ..privacy import NameIndex, personal_names, redact

        if self.names is None:
            self.names = NameIndex(personal_names(self.tables))
        return redact(str(text), self.names)[0]

    @property
    def supplied(self):
        """The ledgers (clean table keys) of which at least one sheet counts: a frozenset, which
        also knows which departments sent each ledger (figures.coverage.Submissions)."""
        from .submissions import Submissions

        # Made once for these tables and sheets (the figures of a report ask for it many times,
        # and what is worked out from it is kept on it: figures.coverage.pending_by_ledger).
        key = (
            id(self.tables),
            tuple(map(id, self.tables.values())),
            tuple((s.file, s.sheet, s.ledger, s.status) for s in self.sheets),
        )
        made = self.__dict__.get("_supplied")
        if made is None or made[0] != key:
            made = self.__dict__["_supplied"] = (key, Submissions.of(self.sheets, self.tables))
        return made[1]

    def __getstate__(self):
        return {k: v for k, v in self.__dict__.items() if k != "_supplied"}  # ids mean nothing elsewhere

    def summary(self) -> pd.DataFrame:
        """Per ledger, over the sheets that count: rows read, accepted, rejected, 合计 rows excluded."""
        rows = []
        for key, spec in ledger_specs().items():
            mine = [s for s in self.sheets if s.ledger == key and s.used]
            rows.append(
                {
                    "台账": spec.sheet,
                    "表": key,
                    "工作表数": len(mine),
                    "读取行数": sum(s.read for s in mine),
                    "接受": sum(s.accepted for s in mine),
                    "拒绝": sum(s.rejected for s in mine),
                    "排除合计行": sum(s.totals_excluded for s in mine),
                    "跳过说明行": sum(s.notes_skipped for s in mine),
                }
            )
        return pd.DataFrame(rows)

    def sheet_table(self, used_only: bool = True) -> pd.DataFrame:
        """One row per sheet read (by default only those that count), with its round and status."""
        specs = ledger_specs()
        columns = [
            "部门",
            "文件",
            "工作表",
            "台账",
            "轮次",
            "表头行",
            "读取行数",
            "接受",
            "拒绝",
            "排除合计行",
            "跳过说明行",
            "状态",
        ]
        return pd.DataFrame(
            [
                {
                    "部门": s.department,
                    "文件": s.file,
                    "工作表": s.sheet,
                    "台账": specs[s.ledger].sheet,
                    "轮次": s.round or "未标期次",
                    "表头行": s.header_rows,
                    "读取行数": s.read,
                    "接受": s.accepted,
                    "拒绝": s.rejected,
                    "排除合计行": s.totals_excluded,
                    "跳过说明行": s.notes_skipped,
                    "状态": s.status,
                }
                for s in self.sheets
                if s.used or not used_only
            ],
            columns=columns,
        )
