"""The score card as tables with Chinese headers, for the notebook (reporting.show) and the
command line: by section, item by item, points lost, nearest next band, items whose band
depends on the banding reading, and the ranking of the 16 districts."""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..render.markup import md
from ..periods import parse_period
from . import keys
from .advice import what_it_takes
from .card import ScoreCard
from .points import band_points
from .rules import Item
from .score import ItemScore, score


def fmt_value(item: Item, value: object) -> str:
    """An item's value in its own unit: 12.5%, 3 次, 0.8421 人/万元, 好."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if item.rule == "flag":
        return "是" if value > 0 else "否"
    if item.unit == "%":
        return f"{value:.2%}"
    if float(value).is_integer():
        text = f"{value:,.0f}"
    elif abs(value) >= 1:
        text = f"{value:,.2f}"
    else:
        text = f"{value:.4f}"
    return f"{text} {item.unit}".strip() if item.unit not in ("分",) else text


def fmt_points(points: float) -> str:
    return f"{round(points, 2):g}"


def _reason(s: ItemScore) -> str:
    """Why an item has the points it has, in a few words."""
    parts = []
    if s.band is not None:
        parts.append(f"分档“{s.band}”")
    if s.reason:
        parts.append(s.reason)
    elif s.item.rule == "flag":
        parts.append("未做到")
    elif s.item.rule == "grade":
        parts.append(f"等级“{s.value}”")
    elif s.band is None and s.lost > 0:
        parts.append(f"数值 {fmt_value(s.item, s.value)}")
    return "；".join(parts)


def incomplete_text(s: ItemScore) -> str:
    """数据不全（区委组织部未报送），1.5 分待定; "" for an item on complete data."""
    if not s.incomplete:
        return ""
    return f"数据不全（{s.incomplete}），{fmt_points(s.at_risk)} 分待定"


def _metrics(card: ScoreCard) -> dict:
    return card.assessment.peers.values.get(card.district, {})


def item_table(card: ScoreCard, section: str | None = None) -> pd.DataFrame:
    """Every item (or a section's): rule, value, average, band, points, next band."""
    rows = []
    for s in card.mine.items.values():
        item = s.item
        if section and item.section != section:
            continue
        nb = s.next_band
        rows.append(
            {
                "编号": item.id,
                "考核内容": item.name,
                "计分方式": item.describe(),
                "数值": fmt_value(item, s.value),
                "平均值": fmt_value(item, s.average) if s.average is not None else "",
                "分档": s.band or "",
                "得分": s.points,
                "满分": item.max,
                "下一档": f"{nb.band}：{'>' if nb.strict else '≥'} {fmt_value(item, nb.value_needed)}" if nb else "",
                "说明": "；".join(
                    filter(None, [incomplete_text(s), s.reason, "分档随口径变化" if s.policy_sensitive else ""])
                ),
            }
        )
    return pd.DataFrame(rows)


def item_tables(card: ScoreCard) -> list[tuple[str, pd.DataFrame]]:
    """The item card split by section: (section with its points, its items)."""
    out = []
    columns = ["编号", "考核内容", "数值", "平均值", "分档", "得分", "满分", "说明"]
    for section in card.assessment.rules.sections:
        table = item_table(card, section)[columns]
        out.append((f"{section}（满分 {table['满分'].sum():g} 分，得分 {fmt_points(table['得分'].sum())} 分）", table))
    return out


def section_table(card: ScoreCard) -> pd.DataFrame:
    """Points by section of the scheme, the 合计 of the 100 points, then the bonus."""
    rows = []
    mine = card.mine
    for section in card.assessment.rules.sections:
        scores = [s for s in mine.items.values() if s.item.section == section]
        if scores[0].item.is_bonus:
            continue
        full, got = sum(s.max for s in scores), sum(s.points for s in scores)
        rows.append(
            {"部分": section, "满分": full, "得分": round(got, 4), "失分": round(full - got, 4), "得分率": got / full}
        )
    rules = card.assessment.rules
    rows.append(
        {
            "部分": "合计",
            "满分": rules.total,
            "得分": mine.total,
            "失分": round(rules.total - mine.total, 4),
            "得分率": mine.total / rules.total,
        }
    )
    rows.append(
        {
            "部分": "创新创优（加分）",
            "满分": rules.bonus_cap,
            "得分": mine.bonus,
            "失分": round(rules.bonus_cap - mine.bonus, 4),
            "得分率": mine.bonus / rules.bonus_cap,
        }
    )
    return pd.DataFrame(rows).set_index("部分")


def lost_table(card: ScoreCard) -> pd.DataFrame:
    """The items where points were lost, most first, with the reason and who answers for it."""
    rows = []
    for s in card.mine.items.values():
        if s.lost <= 0 or s.item.is_bonus:
            continue
        item = s.item
        rows.append(
            {
                "编号": item.id,
                "考核内容": item.name,
                "满分": item.max,
                "得分": s.points,
                "失分": s.lost,
                "原因": _reason(s),
                "牵头/责任部门": "、".join(dict.fromkeys(item.lead + item.responsible)),
            }
        )
    df = pd.DataFrame(rows, columns=["编号", "考核内容", "满分", "得分", "失分", "原因", "牵头/责任部门"])
    return df.sort_values("失分", ascending=False, kind="stable").reset_index(drop=True)


def next_band_table(card: ScoreCard, limit: int | None = 10) -> pd.DataFrame:
    """Banded items by how near the next band is (the gap relative to the value needed)."""
    bands = card.assessment.banding.bands
    rows = []
    for s in card.mine.items.values():
        nb = s.next_band
        if nb is None:
            continue
        item = s.item
        gain = band_points(item, nb.band, bands) - s.points
        rows.append(
            {
                "编号": item.id,
                "考核内容": item.name,
                "当前分档": s.band,
                "数值": fmt_value(item, s.value),
                "平均值": fmt_value(item, s.average),
                "下一档": nb.band,
                "所需数值": ("> " if nb.strict else "≥ ") + fmt_value(item, nb.value_needed),
                "差距": fmt_value(item, nb.distance),
                "可多得（分）": round(gain, 4),
                "需要做到": what_it_takes(s, _metrics(card)),
                "_gap": nb.distance / nb.value_needed if nb.value_needed > 0 else 0.0,
            }
        )
    columns = [
        "编号",
        "考核内容",
        "当前分档",
        "数值",
        "平均值",
        "下一档",
        "所需数值",
        "差距",
        "可多得（分）",
        "需要做到",
    ]
    if not rows:
        return pd.DataFrame(columns=columns)
    df = pd.DataFrame(rows).sort_values(["_gap", "可多得（分）"], ascending=[True, False], kind="stable")
    return df[columns].head(limit).reset_index(drop=True) if limit else df[columns].reset_index(drop=True)


def policy_table(card: ScoreCard) -> pd.DataFrame:
    """The items whose band differs between the banding readings, with the points under each."""
    banding = card.assessment.banding
    rows = []
    for s in card.mine.items.values():
        if not s.policy_sensitive:
            continue
        row = {
            "编号": s.item.id,
            "考核内容": s.item.name,
            "数值": fmt_value(s.item, s.value),
            "平均值": fmt_value(s.item, s.average),
        }
        for name, band in s.bands.items():
            label = banding.policies[name].name_zh
            row[f"分档（{label}）"] = band
            row[f"得分（{label}）"] = band_points(s.item, band, banding.bands)
        rows.append(row)
    return pd.DataFrame(rows)


def rank_note(peers) -> str:
    """Where a rank comes from (assessment/city.py): the peers table, when made, 示例数据."""
    from .city import rank_note as note

    return note(peers)


def document_rank_note(peers) -> str:
    """rank_note as leader documents write it: the peers table named in Chinese, a Chinese date."""
    from .city import document_rank_note as note

    return note(peers)


def ranking_table(card: ScoreCard) -> pd.DataFrame:
    """The 16 districts by total points (bonus included); ties share a rank."""
    a = card.assessment
    rows = [
        {
            "排名": a.rank(d.district),
            "区": d.district + ("（本区）" if d.district == card.district else ""),
            "功能区类别": d.category,
            "得分": d.total,
            "加分": d.bonus,
            "总分": d.grand_total,
        }
        for d in a.ranking()
    ]
    return pd.DataFrame(rows)


def summary_text(card: ScoreCard, for_document: bool = True) -> str:
    """The card in three or four sentences (Markdown); the rank names its peers table in Chinese for
    a leader document, by its source (files, time) on the console (for_document=False)."""
    a, mine = card.assessment, card.mine
    lost = lost_table(card).head(3)
    sensitive = policy_table(card)
    where = md(document_rank_note(a.peers) if for_document else rank_note(a.peers))
    lines = [
        f"- 按“{a.policy.name_zh}”分档口径，{md(card.district)}得分 **{fmt_points(mine.total)}** 分（满分 {a.rules.total:g}），"
        f"创新创优加分 **{fmt_points(mine.bonus)}** 分，总分 {fmt_points(mine.grand_total)} 分，"
        f"在 {refdata.district_count()} 个区中排第 **{a.rank(card.district)}** 名（{mine.category}；{where}）。",
    ]
    if len(lost):
        top = "；".join(f"{r.编号} {r.考核内容}（失 {fmt_points(r.失分)} 分）" for r in lost.itertuples())
        lines.append(f"- 失分最多的考核项：{top}。")
    lines.append(
        f"- 有 **{len(sensitive)}** 项的分档取决于分档口径的读法。"
        if len(sensitive)
        else "- 两种分档口径下各项分档相同，得分不取决于口径的读法。"
    )
    pending = card.incomplete_items
    if pending:
        shown = "；".join(f"{s.item.id} {s.item.name}（{s.incomplete}）" for s in pending[:3])
        lines.append(
            f"- **数据不全**的考核项 {len(pending)} 项，涉及 {fmt_points(sum(s.at_risk for s in pending))} 分，"
            f"相关部门报送或核实后才能确定：{shown}" + ("等。" if len(pending) > 3 else "。")
        )
    if card.own_keys:
        lines.append(
            f"- 考核项所用的数据中，本区有 {len(card.own_keys)} 项由本区台账计算，其余取自其他区数据表"
            + (f"；其中 {len(card.disagreements)} 项与数据表中的本区数值不一致。" if card.disagreements else "。")
        )
    return "\n".join(lines)


def policy_totals(card: ScoreCard) -> pd.DataFrame:
    """The district's totals and rank under every banding policy (the chosen one first)."""
    a = card.assessment
    rows = []
    for name, policy in sorted(a.banding.policies.items(), key=lambda kv: kv[0] != a.policy.name):
        other = a if name == a.policy.name else score(a.peers, a.rules, a.banding, name)
        mine = other[card.district]
        rows.append(
            {
                "分档口径": policy.name_zh,
                "说明": policy.description,
                "得分": mine.total,
                "加分": mine.bonus,
                "总分": mine.grand_total,
                "排名": other.rank(card.district),
            }
        )
    return pd.DataFrame(rows)


def caveat_text(card: ScoreCard) -> str:
    """What the reader must know before reading any score (Markdown): in a part of the year the
    home district's figures run to the period's end while the others' are for the whole year.
    Empty for a whole year."""
    if not card.part_year:
        return ""
    p = parse_period(card.period)
    return (
        f"**注意：本区数据只统计到{p.end.month}月底（{p.label_zh}，年初至期末累计），而其他区数据为全年数据，"
        "两者口径不同：按期数、按季度报送等考核项在年中必然偏低，以下得分只反映目前进度，不是全年得分的预测。**"
    )


def method_text(card: ScoreCard) -> str:
    """Where the figures come from and how they are scored (Markdown)."""
    a = card.assessment
    from .city import peers_title

    source = md(peers_title(a.peers))
    if card.own_keys:
        home = (
            f"考核项所用的数据中，{md(card.district)}有 {len(card.own_keys)} 项由本区台账计算（年初至期末累计），"
            f"其余指标和其他 {refdata.district_count() - 1} 个区的数据取自{source}"
        )
    else:
        home = f"{refdata.district_count()} 个区的数据均取自{source}"
    return (
        f"按《大兴区扶贫协作考核评价指标任务分解方案》的 {len(a.rules.items)} 个考核项"
        f"（{a.rules.total:g} 分，另有创新创优加分最高 {a.rules.bonus_cap:g} 分）测算。{home}。"
        f"相对指标与 {refdata.district_count()} 个区（或同类功能区）平均值比较分为显著、较好、一般、不显著、没有五档，"
        f"分档口径为“{a.policy.name_zh}”：{a.policy.description}"
        "缺数的指标不得分，并在“说明”中注明原因。"
    )


def disagreement_table(card: ScoreCard) -> pd.DataFrame:
    return pd.DataFrame(
        [{"指标": keys.label(d.key), "台账计算": d.ledgers, "其他区数据表": d.peers} for d in card.disagreements],
        columns=["指标", "台账计算", "其他区数据表"],
    )
