"""The district's data for the city (`fupin export-city`), and the city's assembly of every
district's data into the peers table (`fupin score --peers-dir`).

A district's file is one row per metric key the assessment uses: 区, 年度, 指标键, 指标, 数值, 单位,
来源, 制表时间 (.xlsx and .csv, the same content). A figure nobody sent, or one still 待核, has no
value, and its 来源 says why: the city never scores data nobody sent.

The assembly reads every such file of a folder, one per district: a district without a file is
named (and scored on no data), two files of one district with different figures stop the
assembly (the same figures in its .xlsx and .csv count once), a value that cannot be read or is
outside its key's range stops it with the file, row and value, and a value more than a hundred
times the other districts' median is named and left out (a unit slip until the district says
otherwise). Every rank says which peers table it comes from and when it was made
(`rank_note`); a sample table reads 示例数据.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Mapping

import pandas as pd

from .. import refdata
from ..ingest.parsers import parse_self_assessed
from . import keys
from .peers import PeersError, PeersTable, Problem, canonical_district, peers_from_frame

EXPORT_COLUMNS = ["区", "年度", "指标键", "指标", "数值", "单位", "来源", "制表时间"]
SHEET = "考核数据"
EXPORT_SUFFIXES = (".xlsx", ".csv")
# A value this many times the other districts' median is doubted (named and left out).
DOUBT_FACTOR = 100


def unit_zh(key: str) -> str:
    """A key's unit as a reader writes it: 万元, 人, 个, 是/否, 等级（好/一般）."""
    unit = keys.unit(key)
    if unit == "10k CNY":
        return "万元"
    if unit == "persons":
        return "人"
    if unit == "flag":
        return "是/否"
    if unit.startswith("grade "):
        return f"等级（{unit.split(' ', 1)[1]}）"
    m = re.fullmatch(r"count (\d+)-(\d+)", unit)
    if m:
        return f"个（{m.group(1)}–{m.group(2)}）"
    return "个" if unit.startswith("count") else ""


def export_keys() -> list[str]:
    """Every metric key of a peers table (metrics.csv, the district column left out)."""
    return [k for k in refdata.metrics()["key"] if k != "district"]


def source_text(key: str, value: object, cover) -> str:
    """Where a key's value comes from, as the city reads it: the ledgers behind it (figures.yml)
    and who did not send, or the self-assessment (自评事项)."""
    from ..ledgers import ledger_specs

    sources = refdata.sources_of("metrics", key)
    specs = ledger_specs()
    if sources:
        names = "、".join(
            dict.fromkeys(
                specs[s.partition(":")[0]].sheet + (f"（{s.partition(':')[2]}）" if s.partition(":")[2] else "")
                for s in sources
            )
        )
        if cover is not None and not cover.sent:
            return f"未报送（{names}{'：' + '、'.join(cover.missing) if cover.missing else ''}）"
        if cover is not None and cover.pending:
            return f"待核（{names}中有数值超出合理范围，尚未核实）"
        text = f"台账：{names}"
        return text + (f"；部分未报送（{'、'.join(cover.missing)}）" if cover is not None and cover.missing else "")
    if key == "paired_counties":
        return "结对关系（paired_areas.csv）"
    return "自评事项" if value is not None else "未填写（自评事项中没有此项）"


def export_frame(
    district: str,
    year: int,
    figures: Mapping[str, object],
    coverage: Mapping[str, object] | None = None,
    made: str | None = None,
) -> pd.DataFrame:
    """The district's row of the peers table, one line per key: its value from `figures`
    (figures.registry.compute_metrics for the year), none where `coverage` says it was not sent
    or is 待核, with its unit and source."""
    made = made or datetime.now().strftime("%Y-%m-%d %H:%M")
    coverage = coverage or {}
    rows = []
    for key in export_keys():
        value = figures.get(key)
        if key == "paired_counties" and value is None:
            value = len(refdata.area_names())
        cover = coverage.get(key)
        if cover is not None and (not cover.sent or cover.pending):
            value = None
        if isinstance(value, float) and math.isnan(value):
            value = None
        rows.append(
            {
                "区": district,
                "年度": year,
                "指标键": key,
                "指标": keys.label(key),
                "数值": _cell(value),
                "单位": unit_zh(key),
                "来源": source_text(key, value, cover),
                "制表时间": made,
            }
        )
    return pd.DataFrame(rows, columns=EXPORT_COLUMNS)


def _cell(value: object) -> object:
    if value is None or isinstance(value, str):
        return value
    number = float(value)
    return int(number) if number.is_integer() else round(number, 6)


def write_export(frame: pd.DataFrame, folder: Path, district: str, year: int) -> list[Path]:
    """The district's file as .xlsx and .csv (UTF-8 with BOM, which Excel opens), put in place
    as a set (files.staging/publish)."""
    import xlsxwriter

    from ..excel import TEXT_ONLY, write_table
    from ..files import publish, staging

    folder = Path(folder)
    stem = f"{district}_考核数据_{year}"
    with staging(folder, "export-city") as work:
        xlsx, csv = work / f"{stem}.xlsx", work / f"{stem}.csv"
        book = xlsxwriter.Workbook(str(xlsx), TEXT_ONLY)
        write_table(book, SHEET, frame)
        book.close()
        frame.to_csv(csv, index=False, encoding="utf-8-sig")
        publish([(xlsx, folder / xlsx.name), (csv, folder / csv.name)], work)
    return [folder / f"{stem}.xlsx", folder / f"{stem}.csv"]


# --- the city's assembly -----------------------------------------------------------------------


@dataclass
class DistrictFile:
    path: Path
    district: str
    year: int | None
    values: dict[str, object]
    made: str
    sample: bool = False  # its name or its 来源 says 示例数据


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def read_district_file(path: Path, problems: list[Problem]) -> DistrictFile | None:
    """One district's file (export_frame's columns; 指标 may stand in for 指标键), its problems
    appended to `problems` (file, row, column, value)."""
    from ..tabular import TableFileError, read_table_any

    try:
        df = read_table_any(path)
    except TableFileError as exc:
        problems.append(Problem(path.name, str(exc)))
        return None
    if "区" not in df.columns or "数值" not in df.columns or not ({"指标键", "指标"} & set(df.columns)):
        problems.append(
            Problem(path.name, "不是区考核数据文件：应有“区”“指标键”（或“指标”）“数值”列（由 fupin export-city 生成）")
        )
        return None
    lookup = {re.sub(r"\s+", "", k).lower(): k for k in export_keys()}
    lookup.update({re.sub(r"\s+", "", keys.label(k)): k for k in export_keys()})
    districts, years, values, made = set(), set(), {}, set()
    sample = "示例数据" in path.name
    for i, row in enumerate(df.to_dict("records"), start=2):
        name = _text(row.get("指标键")) or _text(row.get("指标"))
        raw = _text(row.get("数值"))
        if not name and not raw:
            continue
        district = canonical_district(_text(row.get("区")))
        if district is None:
            problems.append(Problem(path.name, f"未知的区“{_text(row.get('区'))}”", i, "区", _text(row.get("区"))))
            continue
        districts.add(district)
        if _text(row.get("年度")):
            years.add(_text(row.get("年度"))[:4])
        if _text(row.get("制表时间")):
            made.add(_text(row.get("制表时间")))
        sample = sample or "示例数据" in _text(row.get("来源"))
        key = lookup.get(re.sub(r"\s+", "", name).lower()) or lookup.get(re.sub(r"\s+", "", name))
        if key is None:
            problems.append(
                Problem(path.name, f"未知的指标“{name}”（应为 metrics.csv 的指标键或中文名称）", i, "指标键", name)
            )
            continue
        if key in values:
            problems.append(Problem(path.name, f"指标“{keys.label(key)}”重复", i, "指标键", name))
            continue
        if not raw:
            values[key] = None
            continue
        parsed = parse_self_assessed(key, raw)
        if parsed.problem or parsed.value is None:
            problems.append(
                Problem(
                    path.name, f"“{keys.label(key)}”的数值超出范围或无法读取：{parsed.problem or raw}", i, "数值", raw
                )
            )
            continue
        values[key] = parsed.value
    if len(districts) != 1:
        if len(districts) > 1:
            problems.append(Problem(path.name, f"一个文件应只有一个区的数据，此文件有：{'、'.join(sorted(districts))}"))
        elif not problems:
            problems.append(Problem(path.name, "文件中没有数据"))
        return None
    year = int(next(iter(years))) if len(years) == 1 and next(iter(years)).isdigit() else None
    if len(years) > 1:
        problems.append(Problem(path.name, f"“年度”列有多个年份：{'、'.join(sorted(years))}"))
    return DistrictFile(
        path,
        districts.pop(),
        year,
        values,
        max(made) if made else datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M"),
        sample,
    )


def district_files(folder: Path) -> list[Path]:
    folder = Path(folder)
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES and not p.name.startswith(("~$", "."))
    )


def assemble(folder: Path | str, year: int, allow_missing: tuple[str, ...] = ()) -> PeersTable:
    """The peers table from the districts' files in `folder` (module docstring). Raises
    PeersError naming every file that cannot be used; missing districts and doubted values are
    the table's notes."""
    folder = Path(folder)
    if not folder.is_dir():
        raise PeersError([Problem(str(folder), "文件夹不存在")])
    problems: list[Problem] = []
    found: dict[str, list[DistrictFile]] = {}
    for path in district_files(folder):
        got = read_district_file(path, problems)
        if got is None:
            continue
        if got.year is not None and got.year != year:
            problems.append(Problem(path.name, f"是{got.year}年的数据，不是{year}年的"))
            continue
        found.setdefault(got.district, []).append(got)
    notes: list[str] = []
    chosen: dict[str, DistrictFile] = {}
    twice = []
    for district, files in found.items():
        first = files[0]
        differ = [f for f in files[1:] if f.values != first.values]
        if differ:
            problems.append(
                Problem(
                    "、".join(f.path.name for f in files),
                    f"{district}有 {len(files)} 个文件且数据不同（重复报送），无法确定以哪个为准；请只保留一个",
                )
            )
            continue
        if len(files) > 1:
            twice.append(district)
        chosen[district] = first
    if twice:
        notes.append(f"{'、'.join(twice)}各有几个文件（如 .xlsx 和 .csv）内容相同，各按一份计")
    if problems:
        raise PeersError(problems)
    names = list(refdata.districts()["district"])
    missing = [d for d in names if d not in chosen and d not in allow_missing]
    if missing:
        notes.append(
            f"缺少{'、'.join(missing)}的报送文件（共 {len(missing)} 个区），这些区按没有数据计分，排名仅供参考"
        )
    doubted = _doubted(chosen)
    for district, key, value, median in doubted:
        chosen[district].values[key] = None
        notes.append(
            f"{district}的“{keys.label(key)}”为 {value:,.6g}，是其他区中位数（{median:,.6g}）的 "
            f"{value / median:,.0f} 倍，超出合理范围（疑似单位有误），未计入；请与该区核实（{chosen[district].path.name}）"
        )
    frame = pd.DataFrame([{"区": d, **chosen[d].values} for d in names if d in chosen])
    table = peers_from_frame(
        frame,
        f"各区报送文件（{folder.name}/，{len(chosen)} 个区）",
        allow_missing=tuple(missing) + tuple(allow_missing),
    )
    made = max((f.made for f in chosen.values()), default="")
    return replace(table, notes=list(table.notes) + notes, made=made, sample=any(f.sample for f in chosen.values()))


def _doubted(chosen: Mapping[str, DistrictFile]) -> list[tuple[str, str, float, float]]:
    """(district, key, value, median of the others) for amounts and counts above DOUBT_FACTOR
    times the other districts' median."""
    out = []
    for key in export_keys():
        unit = keys.unit(key)
        if not (unit in ("10k CNY", "persons") or unit == "count"):
            continue
        values = {d: f.values.get(key) for d, f in chosen.items()}
        numbers = {d: float(v) for d, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        for d, v in numbers.items():
            others = [x for o, x in numbers.items() if o != d]
            if len(others) < 3:
                continue
            median = statistics.median(others)
            if median >= 1 and v > DOUBT_FACTOR * median:
                out.append((d, key, v, median))
    return out


def peers_title(peers: PeersTable) -> str:
    """The peers table as a leader document names it (never by its file name): 各区考核数据表,
    or 各区考核数据示例表（示例数据） for a sample; a table assembled from the districts' files
    keeps its Chinese source (各区报送文件)."""
    import re

    if re.search(r"\.[A-Za-z0-9]{2,4}$", peers.source or "") or not peers.source:
        return "各区考核数据示例表（示例数据）" if peers.sample else "各区考核数据表"
    return peers.source + ("（示例数据）" if peers.sample else "")


def document_rank_note(peers: PeersTable) -> str:
    """rank_note for a leader document: the table named in Chinese, the day it was made."""
    from ..periods import date_zh

    made = f"，{date_zh(peers.made)}制表" if peers.made else ""
    sample = "；随机生成，不是各区实际报送的数据，排名仅作演示" if peers.sample else ""
    return f"排名依据：{peers_title(peers)}{made}{sample}"


def rank_note(peers: PeersTable) -> str:
    """Where a rank comes from: the peers table and when it was made; 示例数据 for a sample."""
    made = f"，{peers.made}制表" if peers.made else ""
    sample = "；示例数据（随机生成，不是各区实际报送的数据），排名仅作演示" if peers.sample else ""
    return f"排名依据：{peers.source}{made}{sample}"
