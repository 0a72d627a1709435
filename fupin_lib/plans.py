"""Starting a new plan year in the project's data (`fupin new-year 2021`): the last year's plan
and assessment scheme copied to data/plans/<year>/, its year moved on, and the list of what the
office must edit from the new year's documents. The program is never written to."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from . import config, refdata


class PlanFolderError(ValueError):
    """A new year that cannot be started; the message is Chinese."""


EDIT = [
    "plan.yml：title（计划名称）和 peers（当年其他区考核数据表的位置）",
    "targets.csv：各项量化目标的 minimum（目标值，可写 7600、7,600 或 30%）、due（完成期限，如 {year} 或 {year}Q1）"
    "和 judged（due 表示按期限判断的一次性目标，pace 表示按季度进度判断）",
    "pairing_tasks.csv：结对任务清单（哪个镇街结对哪个乡镇）",
    "plan_sections.csv：计划各部分及其责任部门",
    "obligations.csv：各部门应报的台账（category 一栏写明只报某类人员的，如 党政干部）",
    "assessment_items.csv、rules.yml、banding.yml：当年的考核评分细则和分档办法",
]


def start_year(year: int, source: int | None = None) -> tuple[Path, list[str]]:
    """Copy `source`'s plan (default: the latest year) to data/plans/<year>/ with its year
    moved on; returns the folder and what to edit."""
    target = config.PLANS_DATA_DIR / str(year)
    if refdata.plan(year) is not None or target.exists():
        where = target if target.exists() else refdata.plan(year).folder
        raise PlanFolderError(f"{year}年的计划已存在：{where}；如需重建，请先移走该文件夹")
    years = [y for y in refdata.plan_years() if y < year]
    source = source if source is not None else (years[-1] if years else None)
    base = refdata.plan(source) if source is not None else None
    if base is None:
        raise PlanFolderError(f"没有可作底稿的计划（{source}年的计划不存在）；可用 --from 指定年份")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{year}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(base.folder, staging)
    old, new = str(base.year), str(year)
    plan_yml = staging / "plan.yml"
    text = plan_yml.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^year:\s*\d{4}\s*$", f"year: {year}", text).replace(f"{old}年", f"{new}年")
    text = re.sub(r"(?m)^peers:.*$", f"peers: data/external/peers_{year}.csv", text)
    plan_yml.write_text(text, encoding="utf-8")
    targets = staging / "targets.csv"
    if targets.is_file():
        lines = targets.read_text(encoding="utf-8").splitlines(keepends=True)
        moved = [lines[0]] + [re.sub(rf"(?<=,){old}(?=(Q[1-4]|H[12])?,)", new, line) for line in lines[1:]]
        targets.write_text("".join(moved), encoding="utf-8")
    staging.rename(target)
    refdata.clear_caches()
    return target, [line.format(year=year) for line in EDIT]
