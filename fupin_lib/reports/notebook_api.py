"""What the report notebooks call: the period's data in one object, the tables as the office
writes them (Chinese headers, units, 合计 rows), and the short texts around them.

Every figure a report shows is computed in figures/ (once, for the reports and the workbook
alike); this module only picks, labels and formats them. The notebooks compute nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path

import pandas as pd

from .. import config, refdata
from ..figures import consumption, coverage, sections, targets
from ..figures.headline import ROWS as HEADLINE_ROWS, headline
from ..figures.coverage import NOT_SENT
from ..ingest import IngestResult
from ..ingest.result import RESENT
from ..store import data_version, input_hashes, load_result
from ..render import house_style
from ..render.blocks import MIME, Shown
from ..render import charts
from . import tracker
from ..render.document import MISSING, NOT_APPLICABLE, Bullets, Paragraph, Table
from ..render.markup import esc, md  # noqa: F401  (md: for the notebooks' Markdown)
from ..figures.registry import compute_metrics
from ..periods import Period, parse_period


@dataclass
class PeriodData:
    period: Period
    district: str
    raw_dir: Path
    result: IngestResult  # as the period's year reads it (ingest/years.py)
    hashes: dict[str, str]
    everything: IngestResult | None = None  # the whole raw folder (every year)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.result.tables

    @property
    def data_version(self) -> str:
        return data_version(self.hashes)

    @cached_property
    def metrics(self) -> dict[str, object]:
        """The district's figures (metric key -> value) year to date at the period's end; the
        keys of ledgers nobody handed in are left out."""
        return compute_metrics(self.tables, self.period, supplied=self.result.supplied)

    @cached_property
    def progress(self) -> pd.DataFrame:
        """The plan's targets at the period's end (figures.targets.progress)."""
        return targets.progress(self.tables, self.period, self.result.supplied)

    @cached_property
    def supplied(self):
        """IngestResult.supplied, worked out once."""
        return self.result.supplied

    @cached_property
    def metric_coverage(self) -> dict:
        """Metric key -> its Coverage, for the keys whose data are incomplete (not sent by an
        owing department, or 待核): what the assessment marks 数据不全."""
        from ..figures.registry import metric_coverage

        return metric_coverage(self.result.supplied, self.period, self.metrics)

    @cached_property
    def previous(self):
        """The previous year's figures of the period (figures/previous_year.py): its ledgers in
        the raw folder, else the office's table, else 无数据."""
        from ..figures.previous_year import previous_year

        return previous_year(self.everything or self.result, self.period, self.district)

    @property
    def files_read(self) -> int:
        return sum(not d.startswith(("skipped:", "unreadable:")) for d in self.hashes.values())

    @property
    def is_sample(self) -> bool:
        return self.raw_dir.resolve() == config.RAW_DIR.resolve() and config.SAMPLE_MANIFEST.exists()


def load_period(raw_dir: str | Path, period: str, district: str = config.HOME_DISTRICT) -> PeriodData:
    """Ingest the raw folder and bind it to a period: the first call of every report notebook."""
    from ..ingest.years import year_view

    raw_dir = Path(raw_dir).resolve()
    hashes = input_hashes(raw_dir)
    p = parse_period(period)
    everything = load_result(raw_dir, hashes=hashes)
    return PeriodData(p, district, raw_dir, year_view(everything, p.year), hashes, everything)


# --- formatting --------------------------------------------------------------------------

_NUMBER = re.compile(r"^(?:表|图)\s*\d+(?:-\d+)?\s*")
_UNIT_AT_END = re.compile(r"（([^（）]{1,6})）$")
_UNITS = ("万元", "元", "人", "人次", "行", "个", "家", "次", "场", "对", "项", "所", "个单位")


def _caption(caption: str | None) -> tuple[str, str | None]:
    """A caption without the number written before it (the page numbers tables itself), and the
    unit written at its end, which the house style shows at the table's top right instead."""
    text = _NUMBER.sub("", (caption or "").strip())
    unit = _UNIT_AT_END.search(text)
    if unit and unit.group(1) in _UNITS:
        return text[: unit.start()].rstrip(), unit.group(1)
    return text, None


def table_block(
    table: pd.DataFrame,
    pct: tuple[str, ...] = (),
    money: tuple[str, ...] = (),
    ratio: tuple[str, ...] = (),
    caption: str | None = None,
    index: bool = True,
    unit: str | None = None,
    note: str | None = None,
    landscape: bool = False,
) -> Table:
    """A table in the house style (document.Table): the row labels as the first column, number
    formats by column, None in a ratio shown as "—" (nothing to divide by), the 合计 row in bold."""
    df = table.reset_index() if index else table.copy()
    df.columns = [str(c) for c in df.columns]
    formats = {**dict.fromkeys(pct, "pct"), **dict.fromkeys(money, "money"), **dict.fromkeys(ratio, "ratio")}
    for col in [c for c, kind in formats.items() if kind in ("pct", "ratio") and c in df]:
        df[col] = df[col].astype(object).where(df[col].notna(), NOT_APPLICABLE)
    # Figures already written as text (a column mixing 万元, counts and ratios, 未报送) are
    # right-aligned as figures too.
    for col in df.columns[1:]:
        if (
            col not in formats
            and df[col].dtype == object
            and len(df)
            and df[col].map(_looks_like_figure).all()
            and df[col].map(lambda v: isinstance(v, (int, float)) or bool(_FIGURE.match(str(v)))).any()
        ):
            formats[col] = "int"
    text, found_unit = _caption(caption)
    total = bool(len(df)) and bool((df.iloc[:, 0].astype(str) == "合计").any())
    return Table(text, df, unit or found_unit, {c: k for c, k in formats.items() if c in df}, total, note, landscape)


_FIGURE = re.compile(r"^(?:[+\-−]|增加|减少|提高|下降)?[\d,]+(\.\d+)?(%| ?个百分点)?$")


def _looks_like_figure(value: object) -> bool:
    if value is None or isinstance(value, (int, float)):
        return True
    return bool(_FIGURE.match(str(value))) or str(value) in (
        NOT_SENT,
        NOT_APPLICABLE,
        MISSING,
        "持平",
        targets.NO_DATA,
        "",
        coverage.PENDING,
        "超额完成",
    )


def show(
    table: pd.DataFrame,
    pct: tuple[str, ...] = (),
    money: tuple[str, ...] = (),
    ratio: tuple[str, ...] = (),
    caption: str | None = None,
    index: bool = True,
    unit: str | None = None,
    note: str | None = None,
    landscape: bool = False,
) -> Shown:
    """Display a table as the office writes it (table_block), in the notebook and in every
    format made from it."""
    return Shown(table_block(table, pct, money, ratio, caption, index, unit, note, landscape))


def _fmt(value, kind: str) -> str:
    """A figure in a sentence or a mixed column: as the tables show it."""
    return house_style.cell_text(value, kind)


class TitleShown:
    """The report's title and masthead, shown in the notebook and given to the Document."""

    def __init__(self, title: str, masthead: dict[str, str], sample_note: str | None):
        self.title, self.masthead, self.sample_note = title, masthead, sample_note

    def _repr_mimebundle_(self, include=None, exclude=None):
        lines = "<br>".join(f"{esc(k)}：{esc(v)}" for k, v in self.masthead.items())
        sample = f"<br><b>{esc(self.sample_note)}</b>" if self.sample_note else ""
        html = f'<div class="fupin-title"><h1>{esc(self.title)}</h1><p>{lines}{sample}</p></div>'
        return {
            "text/html": html,
            "text/plain": self.title,
            MIME: {"kind": "title", "title": self.title, "masthead": self.masthead, "sample_note": self.sample_note},
        }


SAMPLE_NOTE = "本报告使用示例数据（随机生成的虚构数据），不代表真实工作情况。"


def restated_note(data: PeriodData) -> str | None:
    """A sentence when the period's figures come from a round sent after the period (a 2020Q3
    report made after the 2020Q4 round): they are restated, 按2020年第四季度报送修订."""
    rounds = [parse_period(s.round) for s in data.result.sheets if s.used and s.round]
    later = [r for r in rounds if r.end > data.period.end]
    if not later:
        return None
    latest = max(later, key=lambda r: (r.end, r.start))
    return (
        f"本期数字按{latest.label_zh}报送修订：各部门在{latest.label_zh}重新报送的累计台账更正了"
        f"{data.period.label_zh}及以前的数，与当时按期报送的数字可能不同。"
    )


def date_range_zh(start, end) -> str:
    """Two days as a leader document writes them: 2020年4月1日至6月30日 (the year said once)."""
    from ..periods import date_zh

    first, last = date_zh(start), date_zh(end)
    if pd.Timestamp(start).year == pd.Timestamp(end).year:
        last = last.split("年", 1)[1]
    return f"{first}至{last}"


def rounds_used(data: PeriodData) -> list[str]:
    """The submission rounds the period's figures were read from, as a reader names them
    (2020年第一季度、第二季度: the year said once)."""
    codes = sorted(
        {s.round for s in data.result.sheets if s.used and s.round},
        key=lambda c: (parse_period(c).end, parse_period(c).start),
    )
    labels = [parse_period(c).label_zh for c in codes]
    return [
        label if i == 0 or not label.startswith(labels[0][:5]) else label.removeprefix(labels[0][:5])
        for i, label in enumerate(labels)
    ]


def data_source(data: PeriodData) -> str:
    """The documents' one-line 数据来源 in Chinese (as-of date, rounds used); the data version and
    every file's SHA-256 go to the run record (reports/运行记录/<期间>/manifest.json)."""
    from ..periods import date_zh

    rounds = rounds_used(data)
    used = f"，采用{'、'.join(rounds)}报送的台账" if rounds else ""
    return f"各部门报送的工作台账，截至{date_zh(data.period.end)}{used}"


def title_block(data: PeriodData, title: str) -> TitleShown:
    from ..periods import date_zh

    p = data.period
    restated = restated_note(data)
    masthead = {
        "编制单位": f"{data.district}经济协作办公室",
        "报告期": f"{p.label_zh}（{date_range_zh(p.start, p.end)}）",
        "累计口径": date_range_zh(p.ytd_start, p.end),
        "生成日期": date_zh(date.today()),
        "数据来源": data_source(data),
    }
    if restated:
        masthead["数据修订"] = restated.split("：")[0].removeprefix("本期数字")
    return TitleShown(f"{data.district}东西部扶贫协作{title}", masthead, SAMPLE_NOTE if data.is_sample else None)


# --- what was sent -------------------------------------------------------------------------


def sent(data: PeriodData, *ledgers: str) -> bool:
    """True when any of the ledgers was handed in (IngestResult.supplied)."""
    return bool(set(ledgers) & data.result.supplied)


def ledger_names(*ledgers: str) -> str:
    from ..ledgers import ledger_specs

    return "、".join(dict.fromkeys(ledger_specs()[k].sheet for k in ledgers))


def not_sent(data: PeriodData, *ledgers: str) -> list:
    """A sentence for the ledgers (of those given) nobody handed in, or nothing."""
    missing = [k for k in ledgers if k not in data.result.supplied]
    if not missing:
        return []
    return [Shown(Paragraph(f"**未报送：{ledger_names(*missing)}**。相关数字无法统计，表中写“未报送”，不是 0。"))]


# --- the key figures -----------------------------------------------------------------------


def coverages(data: PeriodData) -> coverage.Coverages:
    """What is known of every figure's data in the period (who owes it, who sent it, 待核)."""
    return coverage.Coverages(data.result.supplied, data.period)


def figure_coverage(data: PeriodData, kind: str, key: str) -> coverage.Coverage:
    """The coverage of a declared figure (reference/figures.yml)."""
    return coverages(data).figure(kind, key)


def key_figures(data: PeriodData) -> pd.DataFrame:
    """The headline figures (figures/headline.py): 未报送 where none of a figure's owing
    departments sent it, 待核 where a row it counts is beyond its bounds and not confirmed."""
    df = headline(data.tables, data.period).astype(object)
    known = coverages(data)
    for label in df.index:
        cover = known.figure("headline", label)
        if not cover.sent or cover.pending:
            df.loc[label] = cover.shown(None)
    return df


def key_figure_notes(data: PeriodData) -> list[str]:
    """The headline figures some owing departments did not send, or 待核, as notes."""
    known = coverages(data)
    notes = []
    for label in HEADLINE_ROWS:
        cover = known.figure("headline", label)
        if cover.sent and cover.note:
            notes.append(f"{label.split('（')[0]}：{cover.note}")
    return notes


def headline_text(label: str, value) -> str:
    """A headline figure as the reports write it: 比例 as a percentage, 万元 with two decimals,
    counts whole, … for none (the house style), text (未报送) as it is."""
    if isinstance(value, str):
        return value
    return _fmt(value, "pct" if "比例" in label else "money" if "万元" in label else "int")


def show_key_figures(data: PeriodData, caption: str = "主要指标") -> Shown:
    df = key_figures(data)
    shown = df.copy()
    for label in shown.index:
        shown.loc[label] = [headline_text(label, v) for v in df.loc[label]]
    own = data.period.own_label
    notes = (
        [
            f"注：“{own}”栏只计{own}内发生的数（挂职干部为{own}内任一天在岗的人数，资金、受益人数和采购额为"
            f"{own}内拨付、受益和采购的数），不等于两期累计数之差。"
        ]
        if own in shown.columns
        else []
    )
    partial = key_figure_notes(data)
    if partial:
        notes.append("数据不全：" + "；".join(partial) + "。")
    return show(shown, caption=caption, note="".join(notes) or None)


def highlights(data: PeriodData) -> str:
    """Three to five sentences for leadership, in Markdown (figures from figures/ only); a
    ledger not handed in is said, never counted as 0; a year without a plan has no targets."""
    p, m = data.period, data.metrics
    plan = refdata.plan(p.year)
    known = coverages(data)
    lines = []

    def partly(cover: coverage.Coverage) -> str:
        return f"（{cover.note}，只含已报送部门的数）" if cover.missing else ""

    cover = known.figure("headline", HEADLINE_ROWS[0])
    if not cover.sent:
        lines.append("- 挂职干部台账**未报送**，在岗干部人才人数无法统计。")
    else:
        total = int(key_figures(data).iloc[0, 0])  # a count in a column that also holds 万元
        goal = targets.target_value("dispatched_total", p.year)
        lines.append(
            f"- 截至{p.end.month}月底，在岗挂职干部和专业技术人才 **{total:,}** 人{partly(cover)}"
            + (f"，为全年目标 {goal:,.0f} 人的 **{total / goal:.0%}**。" if goal else "。")
        )
    cover = known.figure("metrics", "extra_funds_wan")
    if not cover.sent:
        lines.append("- 资金台账**未报送**，区级财政额外安排资金无法统计。")
    elif cover.pending:
        lines.append(
            f"- 区级财政额外安排资金**待核**：资金台账中有 {len(cover.pending)} 处数值超出合理范围（疑似单位有误），"
            "核实确认前不列累计数、不评价目标完成情况，见“数据质量”一节。"
        )
    else:
        extra, goal = m.get("extra_funds_wan", 0.0), targets.target_value("funds_wan", p.year)
        text = f"- 区级财政额外安排资金累计 **{extra:,.2f} 万元**{partly(cover)}"
        if goal is not None:
            text += (
                f"，已达到全年 {goal:,.0f} 万元目标。"
                if extra >= goal
                else f"，距全年 {goal:,.0f} 万元目标尚差 {goal - extra:,.2f} 万元（计划要求一季度前拨付到位）。"
            )
        lines.append(text if goal is not None else text + "。")
    cover = known.figure("headline", "惠及贫困人口（人）")
    if not cover.sent:
        lines.append("- 贫困人口受益台账**未报送**，惠及和助力脱贫人数无法统计。")
    else:
        people = m.get("people_benefited", 0)
        funds_cover = known.figure("metrics", "extra_funds_wan")
        ratio = (
            f"，每万元资金惠及 {people / m['extra_funds_wan']:.2f} 人"
            if funds_cover.sent and not funds_cover.pending and m.get("extra_funds_wan")
            else ""
        )
        lines.append(
            f"- 累计惠及建档立卡贫困人口 **{people:,}** 人、助力脱贫 **{m.get('people_exited', 0):,}** 人{ratio}。"
        )
    canteen = consumption.canteen_overall(data.tables["canteen"], p)
    if not sent(data, "canteen"):
        lines.append("- 食堂采购台账**未报送**，扶贫产品采购比例无法统计。")
    elif canteen["overall_ratio"] is not None:
        below, target = len(canteen["units_below_target"]), canteen["target"]
        goal = f"（目标不低于 {target:.0%}）" if target is not None else ""
        lines.append(
            f"- 预算单位食堂和工会扶贫产品采购比例 **{canteen['overall_ratio']:.1%}**{goal}"
            + (
                ""
                if target is None
                else f"，**{below}** 个单位低于 {target:.0%}，需督促。"
                if below
                else f"，所有单位均达到 {target:.0%}。"
            )
        )
    if plan is None:
        lines.append(f"- {p.year}年尚无工作计划和考核方案：本报告只列各项数字，不评价目标进度。")
    missing = tracker.not_received(tracker.status(data.result, p)) if plan is not None else None
    if missing is not None and len(missing):
        depts = list(dict.fromkeys(missing["部门"]))
        lines.append(
            f"- 有 {len(depts)} 个部门的 {len(missing)} 项台账未报送（{'、'.join(depts[:6])}"
            + ("等" if len(depts) > 6 else "")
            + "），见“数据质量”一节。"
        )
    rejected = int(data.result.summary()["拒绝"].sum())
    if rejected:
        lines.append(f"- 台账中有 {rejected} 行因数据问题未计入，明细已反馈各报送部门。")
    restated = restated_note(data)
    if restated:
        lines.append(f"- {restated}")
    return house_style.clean("\n".join(lines))  # no space between a digit and a Chinese character


def targets_summary(progress: pd.DataFrame) -> str:
    """One sentence: how many targets are done, on pace, not yet due, behind, 待核 or without
    data (Markdown); a status no target has is left out."""
    counts = progress["状态"].value_counts()
    parts = [f"已完成 **{counts.get(targets.DONE, 0)}** 项"]
    said = (
        (targets.ON_PACE, ""),
        (targets.NOT_DUE, "（一次性或有期限的目标，期限未到）"),
        (targets.BEHIND, ""),
        (targets.OVERDUE, ""),
        (targets.PENDING, "（相关部门台账未报齐或数值待核实，暂不判断）"),
        (targets.NO_DATA, "（相关台账未报送）"),
    )
    for status, why in said:
        if counts.get(status) or status == targets.BEHIND:
            parts.append(f"{status} **{counts.get(status, 0)}** 项{why}")
    return house_style.clean(f"共 {len(progress)} 项目标：" + "，".join(parts) + "。")


def has_targets(data: PeriodData) -> bool:
    return refdata.plan(data.period.year) is not None


def plan_progress(data: PeriodData) -> pd.DataFrame:
    """The plan's targets at the period's end (无数据 where the ledgers were not handed in, 待核
    on incomplete data); worked out once per PeriodData."""
    return data.progress.copy()


def department_tables(data: PeriodData) -> list:
    """Per responsible department: its targets, done, on pace, behind."""
    if not has_targets(data):
        return [Shown(Paragraph(f"{data.period.year}年尚无工作计划，没有分解到部门的目标。"))]
    return [show(targets.by_department(plan_progress(data)), caption="各责任部门目标完成情况")]


def section_progress(data: PeriodData, section: str | None) -> pd.DataFrame:
    """plan_progress of one section of the plan (二（二）…), or of all where section is None."""
    prog = plan_progress(data)
    return prog[prog["计划条目"] == section] if section else prog


def target_tables(data: PeriodData, caption: str, section: str | None = None) -> list:
    """The plan's targets (of one plan section, or all) with their status; in a year without a
    plan, a sentence that says so."""
    p = data.period
    if refdata.plan(p.year) is None:
        return [Shown(Paragraph(f"{p.year}年尚无工作计划（参考数据中没有 {p.year} 年的量化目标），本节不评价进度。"))]
    prog = section_progress(data, section)
    out = [Shown(Paragraph(targets_summary(prog)))] if section is None else []
    return out + [show_targets(prog, caption=caption)]


def target_chart(data: PeriodData, section: str, title: str) -> list:
    """The plan's targets of one section as bullet graphs (charts.target_bullets: each target's
    share reached against the share due and the target itself); nothing in a year without a
    plan or a section without targets."""
    if refdata.plan(data.period.year) is None:
        return []
    prog = section_progress(data, section)
    return [charts.show(charts.target_bullets(prog, title))] if len(prog) else []


def canteen_below_target(data: PeriodData) -> tuple[str, pd.DataFrame]:
    """The canteen analysis for the report: a sentence (Markdown) and the units below the
    target, with Chinese headers."""
    p = data.period
    ratios = consumption.canteen_ratios(data.tables["canteen"], p)
    overall = consumption.canteen_overall(data.tables["canteen"], p)
    below = (
        ratios[ratios["below_target"]]
        .drop(columns=["below_target"])
        .rename(
            columns={
                "unit": "单位名称",
                "unit_type": "单位类型",
                "food_total_wan": "食材采购总额（万元）",
                "poverty_products_wan": "扶贫产品采购额（万元）",
                "ratio": "扶贫产品比例",
                "quarters_reported": "已报季度数",
            }
        )
    )
    ratio = "—" if overall["overall_ratio"] is None else f"{overall['overall_ratio']:.1%}"
    target = overall["target"]
    text = f"全区 {overall['units']} 个预算单位食堂和工会，扶贫产品采购比例合计 **{ratio}**"
    text += f"；低于 {target:.0%} 的单位 **{len(below)}** 个。" if target is not None else f"；{p.year}年尚无比例目标。"
    return text, below


def area_overview(data: PeriodData) -> pd.DataFrame:
    """One row per paired area: the main figures of the year to date side by side, from the
    sections the progress workbook shows too (未报送 where a ledger was not handed in)."""
    t, p, got = data.tables, data.period, data.result.supplied
    known = coverages(data)
    part = {
        name: sections.mark_not_sent(make(t, p), got, known=known).table.set_index("结对地区")
        for name, make in (
            ("cadre", sections.cadres_by_area),
            ("money", sections.funds_by_area),
            ("industry", sections.industry_by_area),
            ("labour", sections.labour_by_area),
            ("pairs", sections.pairings_by_area),
        )
    }
    return pd.DataFrame(
        {
            "党政干部（人）": part["cadre"]["党政干部（人）"],
            "专业技术人才（人）": part["cadre"]["专业技术人才（人）"],
            "额外安排资金（万元）": part["money"]["累计拨付（万元）"],
            "惠及贫困人口（人）": part["money"]["惠及贫困人口（人）"],
            "助力脱贫人口（人）": part["money"]["助力脱贫人口（人）"],
            "引导企业（家）": part["industry"]["引导企业（家）"],
            "推送岗位（个）": part["labour"]["推送岗位（个）"],
            "消费扶贫（万元）": part["industry"]["消费扶贫金额（万元）"],
            "结对关系（对）": part["pairs"]["结对关系（对）"],
        }
    )


# --- the quarterly report's sections ----------------------------------------------------------


def cadres_by_county(data: PeriodData, ytd: bool = True, new_only: bool = False) -> pd.DataFrame:
    """Cadres per paired area and category (figures.cadres.counts_by_county); a category none of
    whose owing departments sent (党政干部 without 区委组织部's ledger) reads 未报送, and so does
    the 合计 column then (a sum without one of its parts is not the whole)."""
    from ..figures import cadres

    table = cadres.counts_by_county(data.tables["cadres"], data.period, ytd=ytd, new_only=new_only).astype(object)
    known = coverages(data)
    for category in cadres.CATEGORIES:
        cover = known.of((f"cadres:{category}",))
        if not cover.sent or cover.pending:
            table[category] = cover.shown(None)
            table["合计"] = cover.shown(None)
    return table


def cadre_section(data: PeriodData) -> list:
    """Cadres and professionals per paired area (the first of the three analyses), those new in
    the period, the professionals by field and tenure, and the plan's cadre targets."""
    from ..figures import cadres

    if not sent(data, "cadres"):
        return not_sent(data, "cadres")
    p, t = data.period, data.tables
    county = cadres_by_county(data)
    new = cadres_by_county(data, ytd=False, new_only=True)
    return [
        show(
            county,
            caption=f"{data.district}各结对地区在岗挂职干部和专业技术人才（{p.year}年1月至{p.end.month}月）（人）",
        ),
        show(new, caption=f"{p.label_zh}新选派到岗人员（人）"),
        show(
            cadres.professionals_by_band(t["cadres"], p),
            caption=f"专业技术人才按专业领域和挂职时长（截至{p.end.month}月底）（人）",
        ),
        *target_tables(data, f"{p.year}年干部人才选派目标完成情况", section="二（二）"),
        *target_chart(data, "二（二）", f"干部人才选派目标：完成与应完成（截至{p.end.month}月底）"),
    ]


def funds_section(data: PeriodData) -> list:
    """Extra funds paid, the benefit ratios per paired area (the second analysis), and persons
    by route of benefit."""
    from ..figures import funds

    p, t = data.period, data.tables
    out = not_sent(data, "funds", "beneficiaries")
    if sent(data, "funds"):
        by_quarter = funds.funds_by_quarter(t["funds"], p)
        by_quarter.index = [parse_period(code).label_zh.removeprefix(f"{p.year}年") for code in by_quarter.index]
        by_quarter.loc["合计"] = by_quarter.sum()
        by_quarter.index.name = "季度"
        out.append(
            show(
                by_quarter,
                money=("区级财政", "区直部门", "街道乡镇", "合计"),
                caption=f"区级财政额外安排资金拨付进度（{p.year}年，按季度）（万元）",
            )
        )
    if sent(data, "funds") and sent(data, "beneficiaries"):
        by_county = funds.benefit_by_county(t["beneficiaries"], t["funds"], p)
        out += [
            show(
                by_county,
                money=("额外安排资金（万元）",),
                ratio=("每万元惠及人数", "每万元助力脱贫人数"),
                caption=f"各结对地区资金惠及贫困人口效益（{p.year}年1月至{p.end.month}月）",
                note="注：人数按有效身份证号去重；一人在多个地区受益时各地区分别计入、合计只计一次。",
            ),
            charts.show(charts.benefit_ratio(by_county, "各结对地区每万元资金惠及贫困人口数（人）")),
        ]
    if sent(data, "beneficiaries"):
        routes = funds.benefit_by_route(t["beneficiaries"], p)
        people = funds.people_counts(t["beneficiaries"], p)
        routes.loc["合计"] = [people["people_benefited"], people["people_exited"]]
        out.append(
            show(
                routes,
                caption=f"按受益途径统计的贫困人口（{p.year}年1月至{p.end.month}月）（人）",
                note="注：一人可经多种途径受益，在各途径中分别计入，故各途径人数之和大于合计；合计按身份证号去重。",
            )
        )
    return out


def consumption_section(data: PeriodData) -> list:
    """The canteens' purchase ratio (the third analysis), and consumption by channel and area."""
    p, t = data.period, data.tables
    out = not_sent(data, "canteen", "consumption")
    if sent(data, "canteen"):
        text, below = canteen_below_target(data)
        target = consumption.target_ratio(p.year)
        label = f"{target:.0%}" if target is not None else "目标"
        out += [Shown(Paragraph(text))]
        if len(below):
            out.append(
                show(
                    below,
                    money=("食材采购总额（万元）", "扶贫产品采购额（万元）"),
                    pct=("扶贫产品比例",),
                    caption=f"扶贫产品采购比例低于{label}的预算单位食堂和工会（{p.year}年1月至{p.end.month}月）",
                    index=False,
                )
            )
        ratios = consumption.canteen_ratios(t["canteen"], p)
        if ratios["ratio"].notna().any():
            out.append(
                charts.show(
                    charts.canteen_ratios(ratios, target, f"扶贫产品采购比例最低的20个单位（注“未达标”的低于{label}）")
                )
            )
    if sent(data, "consumption"):
        channel = consumption.consumption_by(t["consumption"], p, "channel")
        area = consumption.consumption_by(t["consumption"], p, "area")
        out += [
            show(
                channel,
                money=("金额（万元）",),
                pct=("占比",),
                caption=f"消费扶贫按渠道（{p.year}年1月至{p.end.month}月）",
            ),
            show(
                area,
                money=("金额（万元）",),
                pct=("占比",),
                caption=f"消费扶贫按产地（{p.year}年1月至{p.end.month}月）",
            ),
        ]
    return out + target_chart(data, "二（六）", f"消费扶贫目标：完成与应完成（截至{p.end.month}月底）")


# --- data quality and sources ---------------------------------------------------------------

_REASONS = (
    (re.compile(r"^“[^”]*”不是可选值"), "填写的值不是可选值"),
    (re.compile(r"（应为 ?\S*metrics\.csv ?中的指标键或中文名称）"), "（应为考核指标的中文名称）"),
    (re.compile(r"（应为 ?\d{4}Q1、\d{4}H1 ?或 ?\d{4} ?等）"), "（应写作季度、半年或年度，如2020年第一季度）"),
    (re.compile(r"“[^”]*”"), ""),
)


def reason_for_leaders(reason: str) -> str:
    """A rejection reason as a report groups it: the value typed in the ledger left out (it is in
    the department's feedback file), and no file names or code names (metrics.csv, 2020Q1)."""
    for pattern, replacement in _REASONS:
        reason = pattern.sub(replacement, reason)
    return reason


def data_quality(data: PeriodData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per department and ledger: rows read, accepted, rejected, and the main reasons; and
    the files and sheets that were passed over (said, not silently skipped)."""
    from ..ingest import department_of

    sheets = data.result.sheet_table()
    sheets["部门"] = sheets["部门"].map(refdata.department_name)  # one name per department in every document
    by_dept = sheets.groupby(["部门", "台账"], as_index=False)[["读取行数", "接受", "拒绝", "排除合计行"]].sum()
    rej = data.result.rejections
    if len(rej):
        reason = rej.drop_duplicates(["文件", "工作表", "行号"]).copy()
        reason["部门"] = reason["文件"].map(department_of).map(refdata.department_name)
        reason["原因"] = reason["原因"].map(reason_for_leaders)
        top = (
            reason.groupby(["部门", "台账", "原因"])
            .size()
            .rename("行数")
            .reset_index()
            .sort_values("行数", ascending=False)
            .groupby(["部门", "台账"])
            .head(3)
        )
        main = top.groupby(["部门", "台账"])["原因"].agg(lambda r: "；".join(r)).rename("主要拒绝原因")
        by_dept = by_dept.merge(main, on=["部门", "台账"], how="left").fillna({"主要拒绝原因": ""})
    else:
        by_dept["主要拒绝原因"] = ""
    skipped = pd.DataFrame(
        [
            {"文件": n.file, "工作表": n.sheet or "", "说明": n.message}
            for n in data.result.notices
            if n.kind in ("警告", "错误")
        ],
        columns=["文件", "工作表", "说明"],
    )
    return by_dept.sort_values(["拒绝", "部门"], ascending=[False, True]), skipped


def _round_label(rounds: str) -> str:
    """The tracker's rounds ("2020Q1、2020Q2") as a reader writes them (2020年第一季度、…)."""

    def one(code: str) -> str:
        try:
            return parse_period(code).label_zh
        except ValueError:
            return code

    return "、".join(one(code) for code in str(rounds).split("、"))


def submission_table(status: pd.DataFrame) -> pd.DataFrame:
    """The tracker's table as the report prints it: what came in which round, and what needs
    checking in one column (the rows read, accepted and rejected are in the next table)."""

    def problems(row) -> str:
        said = []
        if row["缺少必填列"]:
            said.append(f"缺少必填列：{row['缺少必填列']}")
        for column in ("年度之外（行）", "期末之后（行）"):
            if pd.notna(row[column]) and row[column]:
                said.append(f"{column.split('（')[0]} {int(row[column])} 行")
        if row["应报"] != "是":
            said.append("计划未列此项")
        return "；".join(said)

    got = status["报送情况"] == tracker.RECEIVED
    return pd.DataFrame(
        {
            "部门": status["部门"],
            "台账": status["台账"],
            "报送情况": status["报送情况"],
            "报送轮次": [_round_label(r) if ok else NOT_APPLICABLE for r, ok in zip(status["轮次"], got)],
            "需核对": [problems(r) for r in status.to_dict("records")],
        }
    )


def quality_tables(data: PeriodData) -> list:
    """The data-quality section: the submission tracker (what each department owes and sent,
    in which round), rows read and rejected per department, and the files not read."""
    p = data.period
    out = []
    status = tracker.status(data.result, p)
    if len(status):
        shown = submission_table(status)
        owed = status["应报"] == "是"
        out.append(
            Shown(
                Paragraph(
                    f"按{p.year}年工作计划的任务分解，应报台账 {int(owed.sum())} 项，已收到 "
                    f"{int((owed & (status['报送情况'] == tracker.RECEIVED)).sum())} 项；未报送的见下表标为“未报送”的行。"
                    if refdata.plan(p.year)
                    else f"{p.year}年尚无任务分解，下表只列已收到的台账。"
                )
            )
        )
        out.append(show(shown, caption=f"各部门台账报送情况（{p.label_zh}）", index=False))
    by_dept, skipped = data_quality(data)
    out.append(show(by_dept, caption="各部门台账读取情况（行）", index=False))
    if len(skipped):
        out.append(show(skipped, caption="未能读取或未计入的文件和工作表", index=False))
    # Last, after the tables (a sentence leading into a long table would be kept with it).
    corrections = [
        data.result.redact(n.message) for n in data.result.notices if n.code == RESENT
    ]  # the resends' summaries, not the spelling corrections
    if corrections:
        out.append(Shown(Paragraph("重新报送的台账以最新一份为准，较上一份的变化：")))
        out.append(Shown(Bullets([house_style.literal(c) for c in corrections])))
    return out


def show_provenance(data: PeriodData) -> Shown:
    """The report's 数据来源 in one line of Chinese; the inputs' hashes (provenance) are kept in
    the run record, never in a leader document."""
    return Shown(Paragraph(f"数据来源：{data_source(data)}。各文件的校验值和运行参数随本期报告的运行记录存档。"))


def share_text(share: object, actual: object, target: object, unit: str) -> object:
    """完成比例 as a table shows it: a percentage up to 100%, 超额完成 beyond (the counts are in
    the 完成值 and 目标值 columns), never a four-digit percentage."""
    if share is None or (isinstance(share, float) and pd.isna(share)):
        return None
    return "超额完成" if float(share) > 1 + 1e-9 else share


def show_targets(progress: pd.DataFrame, caption: str) -> Shown:
    """The targets table: each target with its scope, its figure in its own unit's format (万元
    with decimals, counts whole), the share reached (超额完成 beyond 100%) against the share due,
    the status (无数据 where the target's ledger was not handed in, 待核 on incomplete data)."""
    return Shown(targets_block(progress, caption))


def targets_block(progress: pd.DataFrame, caption: str) -> Table:
    """show_targets' table as a document Table (the brief shows it without a notebook)."""
    df = pd.DataFrame(
        {
            "计划条目": progress["计划条目"],
            "目标": [targets.target_label(g, s) for g, s in zip(progress["目标"], progress["范围"])],
            "单位": progress["单位"],
            "目标值": [
                _fmt(v, "money" if u == "万元" else "int") for v, u in zip(progress["目标值"], progress["单位"])
            ],
            "完成值": [
                st
                if st == targets.NO_DATA or (st == targets.PENDING and v is None)
                else _fmt(v, "money" if u == "万元" else "int")
                for v, u, st in zip(progress["完成值"], progress["单位"], progress["状态"])
            ],
            "完成比例": [
                share_text(sh, a, t, u)
                for sh, a, t, u in zip(progress["完成比例"], progress["完成值"], progress["目标值"], progress["单位"])
            ],
            "应完成": progress["应完成比例"],
            "状态": progress["状态"],
        }
    )
    note = None
    if progress["说明"].astype(bool).any():
        groups: dict[str, list[str]] = {}
        for g, s, n in zip(progress["目标"], progress["范围"], progress["说明"]):
            if n:
                groups.setdefault(n, []).append(targets.target_label(g, s))
        note = (
            "注："
            + "；".join(
                f"{n}：{'、'.join(labels[:3])}{'等 ' + str(len(labels)) + ' 项' if len(labels) > 3 else ''}"
                for n, labels in groups.items()
            )
            + "。这些目标未完成时标为“待核”，不判为落后。"
        )
    return table_block(df, pct=("完成比例", "应完成"), caption=caption, index=False, note=note)


# --- the brief's 核心摘要 -------------------------------------------------------------------


def score_card(data: PeriodData):
    """The assessment's score card of the period on the plan's peers table, with the district's
    own figures (as the assessment notebook builds it); None without a scheme or a peers table."""
    from ..assessment import load_card

    plan = refdata.plan(data.period.year)
    if plan is None:
        return None
    return load_card(
        plan.peers_file, data.district, None, own=data.metrics, period=data.period.code, coverage=data.metric_coverage
    )


def risk_text(risk: dict) -> str:
    """One risk of targets.risks as a sentence part, with its owning departments."""
    owners = "、".join(house_style.literal(d) for d in risk["部门"])
    owners = f"（{owners}负责）" if owners else ""
    verb = {targets.NOT_DUE: "尚未完成，期限未到", targets.OVERDUE: "逾期未完成"}.get(risk["状态"], "落后于进度")
    if risk["范围数"] > 1:
        areas = set(risk["范围"]) <= set(refdata.area_names())
        n, k = risk["范围数"], risk["未达数"]
        of = (
            (f"{n}个结对地区" + ("均" if k == n else f"中{k}个"))
            if areas
            else (f"{n}项" + ("均" if k == n else f"中{k}项"))
        )
        return f"{house_style.literal(risk['目标'])}，{of}{verb}{owners}"
    kind = "money" if risk["单位"] == "万元" else "int"
    return (
        f"{house_style.literal(risk['目标'])}{verb}，完成{_fmt(risk['完成值'], kind)}{risk['单位']}，"
        f"按进度应完成{_fmt(risk['应完成'], kind)}{risk['单位']}{owners}"
    )


def core_summary(data: PeriodData, card=None) -> list[str]:
    """The brief's 核心摘要: three to five lines (Markdown, bold leads) saying what decides the
    meeting: the share of the year's targets reached, the estimated score and rank under every
    banding reading (with the peers table's name and date), the three largest risks with their
    owning departments, and what is 未报送 or 待核. Every figure comes from figures/ and the
    assessment through the same functions as the reports; missing data reads 未报送/待核."""
    from ..assessment import views
    from ..assessment.city import peers_title
    from ..periods import date_zh

    p = data.period
    day = date_zh(p.end)
    lines = []
    plan = refdata.plan(p.year)
    if plan is None:
        return [f"**目标进度**：{p.year}年尚无工作计划和考核方案，不评价目标进度，不测算考核得分。"]
    prog = plan_progress(data)
    counts = prog["状态"].value_counts()
    done, total = int(counts.get(targets.DONE, 0)), len(prog)
    rest = "，".join(
        f"{s}{int(counts[s])}项"
        for s in (targets.ON_PACE, targets.NOT_DUE, targets.BEHIND, targets.OVERDUE, targets.PENDING, targets.NO_DATA)
        if counts.get(s)
    )
    lines.append(
        f"**目标进度**：截至{day}，全年{total}项目标已完成**{done}**项，占{done / total:.0%}"
        + (f"；{rest}。" if rest else "。")
    )
    if card is None:
        card = score_card(data)
    if card is None:
        lines.append("**考核测算**：尚无各区考核数据表，暂不能测算得分和排名。")
    else:
        totals = views.policy_totals(card)
        readings = "，".join(
            f"按“{r.分档口径}”口径总分{views.fmt_points(r.总分)}分、排第{r.排名}名" for r in totals.itertuples()
        )
        part = f"本区数据截至{day}，其他区为全年数据；" if card.part_year else ""
        peers = card.assessment.peers
        made = f"，{date_zh(peers.made)}制表" if peers.made else ""
        lines.append(
            f"**考核测算**：{readings}（共{refdata.district_count()}个区；{part}依据{house_style.literal(peers_title(peers))}{made}）。"
        )
    found = targets.risks(prog, p)
    if found:
        numbered = "；".join(f"{'一二三'[i]}是{risk_text(r)}" for i, r in enumerate(found))
        lines.append(f"**主要风险**：{numbered}。")
    else:
        lines.append("**主要风险**：没有落后于进度的目标。")
    said = []
    missing = tracker.not_received(tracker.status(data.result, p))
    if len(missing):
        depts = list(dict.fromkeys(refdata.department_name(d) for d in missing["部门"]))
        said.append(
            f"{'、'.join(house_style.literal(d) for d in depts[:4])}{'等' if len(depts) > 4 else ''}"
            f"{len(depts)}个部门的{len(missing)}项台账未报送"
        )
    pending = prog[prog["状态"] == targets.PENDING]
    if len(pending):
        names = list(dict.fromkeys(targets.target_label(g, s) for g, s in zip(pending["目标"], pending["范围"])))
        said.append(
            f"{'、'.join(house_style.literal(n) for n in names[:2])}{'等' if len(names) > 2 else ''}{len(pending)}项目标待核"
        )
    no_data = prog[prog["状态"] == targets.NO_DATA]
    if len(no_data):
        said.append(f"{len(no_data)}项目标无数据（相关台账未报送）")
    headline_pending = [
        label.split("（")[0] for label in HEADLINE_ROWS if coverages(data).figure("headline", label).pending
    ]
    if headline_pending:
        said.append(f"{'、'.join(headline_pending)}待核")
    if card is not None and card.incomplete_items:
        said.append(f"{len(card.incomplete_items)}个考核项数据不全、得分待核")
    rejected = int(data.result.summary()["拒绝"].sum())
    if rejected:
        said.append(f"台账中{rejected}行数据有误未计入，已反馈各部门更正")
    lines.append(
        f"**未报送和待核**：{'；'.join(said)}。" if said else "**未报送和待核**：各部门台账均已报送，没有待核的数据。"
    )
    return lines
