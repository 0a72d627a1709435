"""The evidence pack (证明材料) of a year's assessment submission: `fupin evidence --year 2020`.

    证明材料/2020/                       owner-only (folders 0700, files 0600), outside reports/, ignored by git
      证明材料索引_2020.xlsx             one row per assessment item (all 67), the funds statistics
                                        table (item 4.1), the lists and their figures
      名单/<名单>_2020.xlsx              the lists (names and ID numbers in clear: the only output that has them)
      材料/<编号>/…                      the documents the office collected (data/证明材料/<编号>/), copied

Every file is marked 内部资料 含个人信息 (its first line, its properties, its printed header).
The pack is made in a hidden folder beside it and put in place whole: a failed run leaves the
previous pack as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from .. import config, refdata
from ..periods import parse_period
from . import lists as lists_mod

MARK = "内部资料 含个人信息"
DIR_MODE, FILE_MODE = 0o700, 0o600
INDEX_COLUMNS_HEAD = ["编号", "部分", "考核内容", "满分"]
DOC_SUFFIXES = None  # any file the office puts there counts as a document


class EvidenceError(ValueError):
    """A pack that cannot be made where asked; the message is Chinese. Exit code 2."""


@dataclass
class Pack:
    folder: Path
    index: Path
    index_table: pd.DataFrame
    lists: list = field(default_factory=list)  # lists_mod.BuiltList
    funds: pd.DataFrame | None = None
    files: list[Path] = field(default_factory=list)


# --- the office's documents ------------------------------------------------------------------


def item_folder_matches(name: str, item_id: str) -> bool:
    """A folder of data/证明材料/ belongs to an item when its name is the item's number, or starts
    with it followed by something that is not part of a number (6.1_惠及名单, 6.1 会议纪要;
    not 3.10 for 3.1)."""
    return name == item_id or bool(re.match(rf"{re.escape(item_id)}(?![0-9.a-z])", name))


def documents(item_id: str, docs_dir: Path | None = None) -> list[Path]:
    """The documents the office collected for an item (data/证明材料/<编号>/, any depth)."""
    docs_dir = Path(docs_dir) if docs_dir is not None else config.EVIDENCE_DOCS_DIR
    if not docs_dir.is_dir():
        return []
    out = []
    for folder in sorted(p for p in docs_dir.iterdir() if p.is_dir() and item_folder_matches(p.name, item_id)):
        out += sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "~$")))
    return out


def ask_whom(item) -> str:
    """The department to ask for an item's documents: its lead, else its responsible departments."""
    names = list(item.lead) or list(item.responsible) or list(item.support)
    return "、".join(names) or "经济协作办"


def departments_text(item) -> str:
    parts = [
        (role, names)
        for role, names in (("牵头", item.lead), ("责任", item.responsible), ("配合", item.support))
        if names
    ]
    return "；".join(f"{role}：{'、'.join(names)}" for role, names in parts)


# --- the estimated points ------------------------------------------------------------------------


def _points(year: int, district: str, own: dict, coverage: dict):
    """(card or None, note): the district's card under the year's scheme with its own figures;
    None when the peers table is missing (band items cannot be banded without the others)."""
    from ..assessment import build_card

    plan = refdata.plan(year)
    if plan is None or not Path(plan.peers_file).is_file():
        return None, "没有其他区数据表，相对指标无法分档"
    return build_card(plan.peers_file, district, None, own=own, period=str(year), coverage=coverage), ""


def index_table(
    year: int,
    district: str,
    own: dict,
    coverage: dict,
    built: list,
    docs_dir: Path | None,
    pack_files: dict[str, list[str]],
) -> pd.DataFrame:
    """One row per assessment item of the year's scheme (rules.yml): points under both banding
    readings, band, departments, the documents the scheme asks for, those found, those missing,
    the list file."""
    from ..assessment.banding import load_banding
    from ..assessment.points import band_points
    from ..assessment.rules import load_rules

    plan = refdata.plan(year)
    if plan is None:
        raise EvidenceError(f"{year}年没有考核方案（计划文件夹 plans/{year}/），无法生成证明材料索引")
    rules, banding = load_rules(plan.rules_file), load_banding(plan.banding_file)
    card, why = _points(year, district, own, coverage)
    policies = list(banding.policies.items())
    by_item: dict[str, list] = {}
    for b in built:
        for item_id in b.spec.items:
            by_item.setdefault(item_id, []).append(b)
    rows = []
    for item in rules.items:
        s = card.mine.items.get(item.id) if card else None
        row = {"编号": item.id, "部分": item.section, "考核内容": item.name, "满分": item.max}
        for name, policy in policies:
            label = f"预估得分（{policy.name_zh}）"
            if s is None:
                row[label] = "—" if item.is_band else None
            elif item.is_band:
                band = s.bands.get(name)
                row[label] = round(band_points(item, band, banding.bands), 4) if band else 0.0
            else:
                row[label] = round(s.points, 4)
        row["分档"] = (s.band or "") if s is not None and item.is_band else ("—" if item.is_band else "")
        row["数据"] = (
            f"数据不全：{s.incomplete}" if s is not None and s.incomplete else (why if item.is_band and why else "")
        )
        row["责任部门"] = departments_text(item)
        row["证明材料（考核方案要求）"] = item.evidence
        found = pack_files.get(item.id, [])
        mine = by_item.get(item.id, [])
        made = [f"{b.spec.name}（{len(b.table)} 人）" for b in mine]
        if item.id == "4.1":
            made.append("资金统计表（本工作簿“资金统计表”）")
        row["已有材料"] = "；".join(made + found)
        row["缺少"] = "" if found else f"缺少：办公室尚未收到本项的证明材料，请向{ask_whom(item)}索取"
        row["名单文件"] = "；".join(f"名单/{b.spec.key}_{year}.xlsx" for b in mine)
        row["名单行数与所证数字"] = "；".join(
            f"{len(b.table)} 行，{b.spec.figure_label} {b.figure}" + ("，一致" if b.agrees else "，不一致，请核对")
            for b in mine
        )
        rows.append(row)
    return pd.DataFrame(rows)


# --- writing ---------------------------------------------------------------------------------


def _workbook(path: Path, title: str):
    import xlsxwriter

    from ..excel import TEXT_ONLY

    book = xlsxwriter.Workbook(str(path), TEXT_ONLY)
    book.set_properties(
        {
            "title": title,
            "subject": MARK,
            "keywords": MARK,
            "comments": f"{MARK}：仅供考核报送使用，不得外传，不得放入 reports/ 或共享文件夹",
        }
    )
    return book


def _sheet(book, name: str, title: str, table: pd.DataFrame, widths: dict[str, int] | None = None) -> None:
    """One sheet: the mark and title on the first line, the header, the rows (text stays text)."""
    import numbers

    mark = book.add_format({"bold": True, "font_color": "#C00000", "font_size": 12})
    head = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    ws = book.add_worksheet(name[:31])
    ws.write_string(0, 0, f"【{MARK}】{title}", mark)
    ws.set_header(f'&C&"宋体,加粗"{MARK}')
    ws.set_footer("&C第 &P 页，共 &N 页")
    for j, col in enumerate(table.columns):
        ws.write_string(1, j, str(col), head)
        sample = [len(str(v)) for v in table[col].head(200)] + [len(str(col))]
        width = (widths or {}).get(str(col)) or min(50, max(6, max(sample) * 1.7))
        ws.set_column(j, j, width, wrap)
    for i, row in enumerate(table.itertuples(index=False), start=2):
        for j, value in enumerate(row):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                continue
            if isinstance(value, numbers.Number) and not isinstance(value, bool):
                ws.write_number(i, j, float(value))
            else:
                ws.write_string(i, j, str(value))
    ws.freeze_panes(2, 0)
    ws.repeat_rows(1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)


def _lock(path: Path) -> None:
    os.chmod(path, DIR_MODE if path.is_dir() else FILE_MODE)


def _check_place(root: Path, raw_dir: Path) -> None:
    """The pack never goes where published files, the ledgers or the clean tables are."""
    where = root.resolve()
    for forbidden, what in (
        (config.REPORTS_DIR, "reports/（发给领导的文件）"),
        (raw_dir, "原始台账目录"),
        (config.PROCESSED_DIR, "清洗后的数据目录"),
        (config.CACHE_DIR, "缓存目录"),
    ):
        f = Path(forbidden).resolve()
        if where == f or where.is_relative_to(f):
            raise EvidenceError(
                f"证明材料包含个人信息，不能放在{what}中（{root}）；请另选文件夹，默认为 {config.EVIDENCE_DIR}"
            )


def build_pack(
    raw_dir: Path,
    year: int,
    root: Path | None = None,
    district: str = config.HOME_DISTRICT,
    docs_dir: Path | None = None,
) -> Pack:
    """Make the year's evidence pack (module docstring) and return what it holds."""
    from ..figures.previous_year import funds_statistics, previous_year
    from ..figures.registry import compute_metrics, metric_coverage
    from ..ingest import IngestResult
    from ..ingest.folder import ingest_folder
    from ..ingest.pseudonym import pseudonymise_table
    from ..ledgers import ledger_specs
    from ..ingest.years import year_view

    raw_dir = Path(raw_dir)
    root = Path(root) if root is not None else config.EVIDENCE_DIR
    _check_place(root, raw_dir)
    period = parse_period(str(year))
    # the clear rows: an ingestion that kept them, in memory only; the keyed tables are the
    # same rows as the store has them
    clear_all = ingest_folder(raw_dir, keep_personal=True)
    clear = year_view(clear_all, year)
    specs = ledger_specs()

    def keyed_of(result) -> IngestResult:
        return IngestResult(
            {k: pseudonymise_table(specs[k], t) for k, t in result.tables.items()},
            result.rejections,
            result.sheets,
            result.notices,
        )

    keyed = keyed_of(clear)
    keyed_tables = keyed.tables
    supplied = keyed.supplied
    own = compute_metrics(keyed_tables, period, supplied=supplied)
    coverage = metric_coverage(supplied, period, own)
    built = [lists_mod.build(spec, keyed_tables, clear.tables, period, own) for spec in lists_mod.LISTS]
    everything = keyed_of(clear_all)
    funds = funds_statistics(keyed_tables, period, previous_year(everything, period, district), supplied)

    root.mkdir(parents=True, exist_ok=True)
    _lock(root)
    work = Path(tempfile.mkdtemp(prefix=f".{year}-", dir=root))  # 0700, beside the pack
    try:
        made = _write(work, year, district, own, coverage, built, funds, docs_dir)
        final = root / str(year)
        old = root / f".{year}-old-{os.getpid()}"
        if final.exists():
            os.replace(final, old)
        try:
            os.replace(work, final)
        except OSError:
            if old.exists():
                os.replace(old, final)  # the previous pack stays as it was
            raise
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    files = [final / p.relative_to(work) for p in made["files"]]
    return Pack(final, final / made["index"].name, made["table"], built, funds, files)


def _write(
    work: Path,
    year: int,
    district: str,
    own: dict,
    coverage: dict,
    built: list,
    funds: pd.DataFrame,
    docs_dir: Path | None,
) -> dict:
    from ..assessment.rules import load_rules

    files: list[Path] = []
    (work / "名单").mkdir(mode=DIR_MODE)
    for b in built:
        path = work / "名单" / f"{b.spec.key}_{year}.xlsx"
        book = _workbook(path, f"{district}{year}年{b.spec.name}")
        agree = "一致" if b.agrees else "不一致，请核对"
        _sheet(
            book,
            b.spec.key,
            f"{district}{year}年{b.spec.name}（考核项 {'、'.join(b.spec.items)}）：共 {len(b.table)} 人，"
            f"与“{b.spec.figure_label}”{b.figure} {agree}；每行注明来源台账文件、工作表和行号",
            b.table,
        )
        book.close()
        files.append(path)
    pack_files: dict[str, list[str]] = {}
    plan = refdata.plan(year)
    for item in load_rules(plan.rules_file).items if plan else []:
        for doc in documents(item.id, docs_dir):
            target = work / "材料" / item.id / doc.name
            target.parent.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
            shutil.copyfile(doc, target)
            files.append(target)
            pack_files.setdefault(item.id, []).append(f"材料/{item.id}/{doc.name}")
    table = index_table(year, district, own, coverage, built, docs_dir, pack_files)
    index = work / f"证明材料索引_{year}.xlsx"
    book = _workbook(index, f"{district}{year}年考核证明材料索引")
    _sheet(
        book,
        "证明材料索引",
        f"{district}{year}年考核证明材料索引（{len(table)} 个考核项，{datetime.now():%Y-%m-%d %H:%M} 生成）",
        table,
        {"证明材料（考核方案要求）": 50, "已有材料": 40, "缺少": 36, "责任部门": 30, "考核内容": 24},
    )
    _sheet(book, "资金统计表", f"{district}{year}年财政援助资金统计表（考核项 4.1）", funds.reset_index())
    _sheet(
        book,
        "名单",
        "名单与所证数字",
        pd.DataFrame(
            [
                {
                    "名单": b.spec.name,
                    "考核项": "、".join(b.spec.items),
                    "文件": f"名单/{b.spec.key}_{year}.xlsx",
                    "行数": len(b.table),
                    "所证数字": b.spec.figure_label,
                    "数值": b.figure,
                    "一致": "是" if b.agrees else "否",
                }
                for b in built
            ]
        ),
    )
    _sheet(
        book,
        "说明",
        "说明",
        pd.DataFrame(
            {
                "说明": [
                    f"本文件夹为{MARK}，仅供向市扶贫援合办报送考核证明材料使用：名单中的姓名、身份证号和联系方式为明文，"
                    "不得外传，不得复制到 reports/、共享文件夹或电子邮件正文。",
                    "名单由原始台账生成（清洗后的数据中没有明文），每行注明来源台账文件、工作表和行号；名单行数与其所证数字一致。",
                    "各考核项的会议纪要、协议、照片等材料请放入 data/证明材料/<考核项编号>/（如 data/证明材料/1.1/），"
                    "重新运行 fupin evidence 即列入索引并复制到“材料”文件夹；“缺少”一栏写明应向哪个部门索取。",
                    "预估得分按本区台账（全年）和其他区数据表测算，两种分档口径并列；相对指标的分档以市里最终数据为准。",
                ]
            }
        ),
    )
    book.close()
    files.append(index)
    for path in [work, *work.rglob("*")]:
        _lock(path)
    return {"files": files, "index": index, "table": table}
