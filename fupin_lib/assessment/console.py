"""`fupin score` output: the score card as rich tables (Chinese), or one JSON object."""

from __future__ import annotations

import re
import sys

import pandas as pd
from rich.console import Console
from rich.table import Table

from .. import refdata
from . import views
from .card import ScoreCard
from .departments import department_items, department_json, load_directory

_NUMERIC = ("得分", "满分", "失分", "分值", "加分", "总分", "可多得（分）")


def _cell(column: str, value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if column == "得分率":
        return f"{value:.1%}"
    if column in _NUMERIC and isinstance(value, (int, float)):
        return views.fmt_points(value)
    return str(value)


def rich_table(df: pd.DataFrame, title: str, index: bool = False) -> Table:
    data = df.reset_index() if index else df
    table = Table(title=title, title_justify="left")
    for column in data.columns:
        table.add_column(
            str(column), justify="right" if column in _NUMERIC or column == "得分率" else "left", overflow="fold"
        )  # long Chinese texts wrap, never cut
    for row in data.itertuples(index=False):
        table.add_row(*(_cell(c, v) for c, v in zip(data.columns, row)))
    return table


def _plain(markdown: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)


def print_notes(card: ScoreCard, err: Console) -> None:
    """Notes on the peers table and the ledgers-vs-table disagreements, on stderr."""
    for note in card.notes:
        err.print(f"提示：{note}", markup=False, highlight=False)
    if card.disagreements:
        err.print(
            f"提示：{card.district}的以下 {len(card.disagreements)} 项指标，本区台账计算结果与其他区数据表不一致，"
            "按台账计算结果评分：",
            markup=False,
            highlight=False,
        )
        for d in card.disagreements:
            err.print(f"  - {d}", markup=False, highlight=False)


def print_district(card: ScoreCard, out: Console) -> None:
    """One district: items by section, the section totals, the summary."""
    policy = card.assessment.policy
    items = views.item_table(card).drop(columns=["计分方式"])
    sections = [s.item.section for s in card.mine.items.values()]
    table = rich_table(items.iloc[:0], f"{card.district}考核得分（分档口径：{policy.name_zh}）")
    current = None
    for section, row in zip(sections, items.itertuples(index=False)):
        if section != current:
            if current is not None:
                table.add_section()
            table.add_row(f"[bold]{section}[/bold]", *[""] * (len(items.columns) - 1))
            current = section
        table.add_row(*(_cell(c, v) for c, v in zip(items.columns, row)))
    out.print(table)
    out.print(rich_table(views.section_table(card), "分部分得分", index=True))
    out.print(_plain(views.summary_text(card, for_document=False)), markup=False, highlight=False)


def print_ranking(card: ScoreCard, out: Console) -> None:
    policy = card.assessment.policy
    out.print(
        rich_table(
            views.ranking_table(card), f"{refdata.district_count()} 个区考核得分排名（分档口径：{policy.name_zh}）"
        )
    )
    out.print(views.rank_note(card.assessment.peers), markup=False, highlight=False)


def check_departments(names: list[str]) -> list[str]:
    """The names as given, each checked (DepartmentError before anything is printed)."""
    directory = load_directory()
    for name in names:
        directory.resolve(name)
    return list(names)


def print_departments(card: ScoreCard, departments: list[str], out: Console) -> None:
    for name in departments:
        doc = department_json(card.assessment, card.district, name)
        shown = doc["department"] + (f"（按“{name}”查找）" if doc["department"] != name else "")
        df = department_items(card.assessment, card.district, name)
        out.print(rich_table(df, f"{shown}：{card.district}负责的考核项"))
        out.print(
            f"{doc['department']}直接负责的考核项（不含共同责任和加分项）分值 {views.fmt_points(doc['max'])} 分，"
            f"失分 {views.fmt_points(doc['lost'])} 分。",
            markup=False,
            highlight=False,
        )


def print_json(card: ScoreCard, all_districts: bool, departments: list[str]) -> None:
    doc = card.assessment.to_json(None if all_districts else [card.district])
    peers = card.assessment.peers
    doc["ranks"] = {d: card.assessment.rank(d) for d in doc["districts"]}
    doc["peers_table"] = {
        "source": peers.source,
        "made": peers.made,
        "sample": peers.sample,
        "note": views.rank_note(peers),
    }
    if departments:
        doc["departments"] = [department_json(card.assessment, card.district, d) for d in departments]
    from ..files import dumps, finite

    sys.stdout.write(dumps(finite(doc), indent=2) + "\n")  # strict JSON: never NaN or Infinity
