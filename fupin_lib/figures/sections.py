"""The tables of the plan's sections that the reports and the progress workbook (进展情况表) both
show, each computed once here from the domain modules: per paired area, per meeting kind, per
canteen unit, per target. A Section carries its rows and its 合计 row; which totals are sums and
which columns are ratios is said, so that the workbook can write them as formulas whose stored
values are these same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from .. import refdata
from ..periods import Period, parse_period
from . import coverage
from .coverage import NOT_SENT, PENDING
from . import cadres, consumption, funds, governance, labour, pairing, society, targets


@dataclass
class Section:
    name: str  # the workbook's sheet name
    title: str  # the table's title (time, place and content)
    table: pd.DataFrame  # first column: the row label
    formats: dict[str, str]  # column -> int / money / pct / ratio / text / by_unit (万元 rows as money)
    totals: dict[str, object] = field(default_factory=dict)  # the 合计 row, column -> value
    summed: tuple[str, ...] = ()  # totals that are the sum of their column
    ratios: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (numerator, denominator)
    note: str | None = None
    flag: tuple[str, str | tuple[str, ...]] | None = None  # (column, value or values) marking a row that falls short
    capped: tuple[str, ...] = ()  # ratio columns that are shares of a target: 超额完成 above 100%
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column -> the ledgers it comes from
    not_sent: tuple[str, ...] = ()  # the ledgers (Chinese names) of this section nobody handed in
    partial: tuple[str, ...] = ()  # "column: departments" whose owing departments sent only in part
    pending: tuple[str, ...] = ()  # rows beyond their plausible bounds (the figures read 待核)

    def notes(self) -> list[str]:
        """What a reader is told under the table: ledgers not sent, figures sent in part, 待核."""
        out = [f"未报送：{'、'.join(self.not_sent)}（相关数字标为“未报送”，不是 0）"] if self.not_sent else []
        if self.partial:
            out.append(f"部分未报送：{'；'.join(self.partial)}，表中数字只含已报送部门的台账。")
        if self.pending:
            out.append(f"待核：有数值超出合理范围，相关数字标为“待核”，经核实确认后再计入（{len(self.pending)} 处）")
        return out + ([self.note] if self.note else [])

    @property
    def flagged(self) -> tuple[str, ...]:
        """The values of the flag column that mark a row as falling short."""
        if self.flag is None:
            return ()
        return self.flag[1] if isinstance(self.flag[1], tuple) else (self.flag[1],)

    def total_row(self) -> dict[str, object]:
        """The 合计 row with its ratios (empty when the section has none)."""
        if not self.totals and not self.summed:
            return {}
        row = {self.table.columns[0]: "合计", **self.totals}
        for col, (num, den) in self.ratios.items():
            if num in row and den in row:
                row[col] = _ratio(row[num], row[den])
        return row


def _ratio(num, den):
    return None if den is None or pd.isna(den) or not den else float(num) / float(den)


def _with_ratios(table: pd.DataFrame, ratios: dict[str, tuple[str, str]]) -> pd.DataFrame:
    for col, (num, den) in ratios.items():
        table[col] = [_ratio(n, d) for n, d in zip(table[num], table[den])]
    return table


def _summed(table: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, object]:
    """The column sums, as Python numbers."""
    sums = {c: pd.Series([table[c].sum()]).tolist()[0] for c in columns}
    return {c: round(v, 6) if isinstance(v, float) else v for c, v in sums.items()}


def plan_targets(tables: dict[str, pd.DataFrame], period: Period, supplied: set[str] | None = None) -> Section:
    """The year's plan targets with what is done so far (ledgers not sent read 无数据)."""
    prog = targets.progress(tables, period, supplied)
    table = prog[
        ["计划条目", "目标", "范围", "单位", "目标值", "完成值", "完成比例", "状态", "责任部门", "说明"]
    ].copy()
    return Section(
        "目标进展",
        f"{period.year}年工作计划目标完成情况",
        table,
        {"目标值": "by_unit", "完成值": "by_unit", "完成比例": "pct"},
        ratios={"完成比例": ("完成值", "目标值")},
        flag=("状态", targets.BEHIND_STATUSES),
        capped=("完成比例",),
        note=None if refdata.plan(period.year) else f"注：{period.year}年尚无工作计划，没有量化目标。",
    )


def meetings(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 一 组织领导: meetings and contacts per paired area, year to date."""
    ytd = governance.meetings_by_kind(tables["meetings"], period)
    own = governance.meetings_by_kind(tables["meetings"], period, ytd=False)
    table = pd.DataFrame(
        {"会议类型": ytd.index, f"{period.own_label}（次）": own.to_numpy(), "年初至本期末（次）": ytd.to_numpy()}
    )
    summed = tuple(table.columns[1:])
    return Section(
        "一 组织领导",
        "一、组织领导：会议与对接",
        table,
        dict.fromkeys(summed, "int"),
        totals=_summed(table, summed),
        summed=summed,
        sources=dict.fromkeys(summed, ("meetings",)),
    )


def cadres_by_area(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 二 干部人才: dispatched cadres and professionals per paired area (cadres.counts_by_county)."""
    ytd = cadres.counts_by_county(tables["cadres"], period).drop(index="合计")
    new = cadres.counts_by_county(tables["cadres"], period, ytd=False, new_only=True).drop(index="合计")
    table = pd.DataFrame(
        {
            "结对地区": ytd.index,
            "党政干部（人）": ytd["党政干部"].to_numpy(),
            "专业技术人才（人）": ytd["专业技术人才"].to_numpy(),
            "合计（人）": ytd["合计"].to_numpy(),
            f"{period.own_label}新选派（人）": new["合计"].to_numpy(),
        }
    )
    summed = tuple(table.columns[1:])
    return Section(
        "二 干部人才",
        "二、干部人才支援：在岗挂职干部和专业技术人才（年初至本期末）",
        table,
        dict.fromkeys(summed, "int"),
        totals=_summed(table, summed),
        summed=summed,
        sources={
            "党政干部（人）": ("cadres:党政干部",),
            "专业技术人才（人）": ("cadres:专业技术人才",),
            "合计（人）": ("cadres",),
            f"{period.own_label}新选派（人）": ("cadres",),
        },
        note="注：挂职不足 30 天的短期交流不计入；报告期内任一天在岗即计入。",
    )


def funds_by_area(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 三 资金支持: extra funds, persons benefited and lifted out, per 万元 (funds.benefit_by_county)."""
    ytd = funds.benefit_by_county(tables["beneficiaries"], tables["funds"], period)
    own = funds.benefit_by_county(tables["beneficiaries"], tables["funds"], period, ytd=False)
    areas = refdata.area_names()
    table = pd.DataFrame(
        {
            "结对地区": areas,
            f"{period.own_label}拨付（万元）": own.loc[areas, "额外安排资金（万元）"].to_numpy(),
            "累计拨付（万元）": ytd.loc[areas, "额外安排资金（万元）"].to_numpy(),
            "惠及贫困人口（人）": ytd.loc[areas, "惠及贫困人口（人）"].to_numpy(),
            "助力脱贫人口（人）": ytd.loc[areas, "助力脱贫人口（人）"].to_numpy(),
        }
    )
    ratios = {"每万元惠及人数": ("惠及贫困人口（人）", "累计拨付（万元）")}
    summed = (f"{period.own_label}拨付（万元）", "累计拨付（万元）")
    totals = {
        **_summed(table, summed),
        "惠及贫困人口（人）": int(ytd.loc["合计", "惠及贫困人口（人）"]),
        "助力脱贫人口（人）": int(ytd.loc["合计", "助力脱贫人口（人）"]),
    }
    return Section(
        "三 资金支持",
        "三、资金支持：区级财政额外安排资金与惠及贫困人口（年初至本期末）",
        _with_ratios(table, ratios),
        {
            **dict.fromkeys(summed, "money"),
            "惠及贫困人口（人）": "int",
            "助力脱贫人口（人）": "int",
            "每万元惠及人数": "ratio",
        },
        totals=totals,
        summed=summed,
        ratios=ratios,
        sources={
            **dict.fromkeys(summed, ("funds",)),
            "惠及贫困人口（人）": ("beneficiaries",),
            "助力脱贫人口（人）": ("beneficiaries",),
            "每万元惠及人数": ("funds", "beneficiaries"),
        },
        note="注：人数按有效身份证号去重，一人在多个地区受益时各地区分别计入、合计只计一次，故合计不等于各地区之和。",
    )


def industry_by_area(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 四 产业合作: enterprises, investment and consumption per paired area."""
    ent = society.enterprises_by_area(tables["enterprises"], period)
    table = pd.DataFrame(
        {
            "结对地区": ent.index,
            "引导企业（家）": ent["引导企业（家）"].to_numpy(),
            "实际到位投资额（万元）": ent["实际到位投资额（万元）"].to_numpy(),
            "消费扶贫金额（万元）": consumption.consumption_by(tables["consumption"], period, "area")[
                "金额（万元）"
            ].to_numpy(),
        }
    )
    summed = ("实际到位投资额（万元）", "消费扶贫金额（万元）")
    totals = {
        **_summed(table, summed),
        "引导企业（家）": society.enterprise_metrics(tables["enterprises"], period)["enterprises_invested"],
    }
    return Section(
        "四 产业合作",
        "四、产业合作与产销对接（年初至本期末）",
        table,
        {"引导企业（家）": "int", **dict.fromkeys(summed, "money")},
        totals=totals,
        summed=summed,
        sources={
            "引导企业（家）": ("enterprises",),
            "实际到位投资额（万元）": ("enterprises",),
            "消费扶贫金额（万元）": ("consumption",),
        },
        note="注：企业按统一社会信用代码去重，一家企业在多个地区投资时合计只计一次。",
    )


def labour_by_area(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 五 劳务协作: job fairs, postings, poor and disabled persons employed (labour.labour_by_area)."""
    table, distinct = labour.labour_by_area(tables, period)
    table = table.reset_index()
    summed = ("招聘会（场）", "推送岗位（个）")
    return Section(
        "五 劳务协作",
        "五、劳务协作（年初至本期末）",
        table,
        dict.fromkeys(table.columns[1:], "int"),
        totals={**_summed(table, summed), **distinct},
        summed=summed,
        sources={
            "招聘会（场）": ("job_fairs",),
            "推送岗位（个）": ("job_postings",),
            "贫困人口就业（人）": ("employed",),
            "残疾人就业（人）": ("employed",),
        },
        note="注：就业人数按有效身份证号去重，合计只计一次。",
    )


def canteen_units(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 六 消费扶贫: every canteen and union with its ratio (consumption.canteen_ratios)."""
    ratios = consumption.canteen_ratios(tables["canteen"], period).sort_values("unit")
    target = consumption.target_ratio(period.year)
    reached = f"是否达到{target:.0%}" if target is not None else "是否达到目标"
    table = pd.DataFrame(
        {
            "单位名称": ratios["unit"].to_numpy(),
            "单位类型": ratios["unit_type"].to_numpy(),
            "食材采购总额（万元）": ratios["food_total_wan"].to_numpy(),
            "其中扶贫产品采购额（万元）": ratios["poverty_products_wan"].to_numpy(),
        }
    )
    ratio_cols = {"扶贫产品比例": ("其中扶贫产品采购额（万元）", "食材采购总额（万元）")}
    table = _with_ratios(table, ratio_cols)
    table[reached] = [
        "无采购" if r is None else "无目标" if target is None else "是" if consumption.reaches(r, target) else "否"
        for r in table["扶贫产品比例"]
    ]
    summed = ("食材采购总额（万元）", "其中扶贫产品采购额（万元）")
    return Section(
        "六 消费扶贫",
        "六、预算单位食堂和工会采购扶贫产品情况（年初至本期末）",
        table,
        {**dict.fromkeys(summed, "money"), "扶贫产品比例": "pct"},
        totals=_summed(table, summed),
        summed=summed,
        ratios=ratio_cols,
        flag=(reached, "否"),
        sources={c: ("canteen",) for c in table.columns[2:]},
        note=(
            f"注：比例 = 扶贫产品采购额 ÷ 食材采购总额，目标不低于{target:.0%}（{period.year}年工作计划 二（六））。"
            if target is not None
            else f"注：比例 = 扶贫产品采购额 ÷ 食材采购总额；{period.year}年尚无工作计划，没有比例目标。"
        ),
    )


def society_by_area(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 七 社会动员: donations and activities per paired area."""
    table = society.social_by_area(tables["donations"], tables["activities"], period).reset_index()
    summed = tuple(table.columns[1:])
    return Section(
        "七 社会动员",
        "七、社会动员：捐赠款物与公益活动（年初至本期末）",
        table,
        {"捐赠款物（万元）": "money", "公益活动（次）": "int"},
        totals=_summed(table, summed),
        summed=summed,
        sources={"捐赠款物（万元）": ("donations",), "公益活动（次）": ("activities",)},
        note="注：仅含社会帮扶台账中注明结对地区的捐赠和活动；资金台账中村集体和社会捐赠计入捐赠总额，不分地区列示。",
    )


def pairings_by_area(tables: dict[str, pd.DataFrame], period: Period) -> Section:
    """The sheet 八 结对帮扶: pairs signed by the period's end per paired area."""
    table = pairing.pairs_by_area(tables["pairings"], period)
    standing = pairing.standing(tables["pairings"], period)
    table = table.reset_index().rename(columns={"area": "结对地区"})
    totals = {
        "结对关系（对）": int(table["结对关系（对）"].sum()),
        "北京方单位（个）": int(standing["beijing_unit"].nunique()),
        "受援方单位（个）": int(standing["partner_unit"].nunique()),
    }
    return Section(
        "八 结对帮扶",
        "八、携手奔小康结对帮扶（截至本期末已签订）",
        table,
        dict.fromkeys(table.columns[1:], "int"),
        totals=totals,
        summed=("结对关系（对）",),
        sources=dict.fromkeys(table.columns[1:], ("pairings",)),
        note="注：同一对结对关系由多个部门报送时只计一次；单位按名称去重，合计只计一次。计划所列各类结对数见“目标进展”。",
    )


SECTIONS = (
    plan_targets,
    meetings,
    cadres_by_area,
    funds_by_area,
    industry_by_area,
    labour_by_area,
    canteen_units,
    society_by_area,
    pairings_by_area,
)


def mark_not_sent(
    section: Section, supplied: set[str], period: Period | None = None, known: coverage.Coverages | None = None
) -> Section:
    """Every figure of a ledger none of whose owing departments sent it reads 未报送, and every
    figure fed by an unconfirmed implausible row 待核, in every row and in the 合计 row (never 0);
    a ratio reads so when either of its figures does. Figures some owing departments did not
    send keep their value, and the section says which departments (`partial`)."""
    from ..ledgers import ledger_specs

    if period is None and known is None:  # a plain set of ledgers: sent or not, nothing more
        period = parse_period("2020")
    known = known or coverage.Coverages(supplied, period)
    covers = {c: known.of(sources) for c, sources in section.sources.items()}
    marked = {c: cov.shown(0) for c, cov in covers.items() if not cov.sent or cov.pending}
    for col, (num, den) in section.ratios.items():
        if col not in marked and (num in marked or den in marked):
            marked[col] = NOT_SENT if NOT_SENT in (marked.get(num), marked.get(den)) else PENDING
    by_missing: dict[tuple[str, ...], list[str]] = {}
    for col, cov in covers.items():
        if cov.sent and cov.missing and col not in marked:
            by_missing.setdefault(cov.missing, []).append(col.split("（")[0])
    partial = tuple(f"{'、'.join(depts)}未报送（涉及{'、'.join(cols)}）" for depts, cols in by_missing.items())
    if not marked and not partial:
        return section
    table = section.table.astype({c: object for c in marked})
    for col, text in marked.items():
        table[col] = text
    totals = {**section.totals, **marked}
    ledgers = sorted(
        {source.partition(":")[0] for c in marked for source in section.sources.get(c, ()) if not covers[c].sent}
        - set(supplied)
    )
    names = tuple(ledger_specs()[k].sheet for k in ledgers)
    return replace(
        section,
        table=table,
        totals=totals,
        summed=tuple(c for c in section.summed if c not in marked),
        ratios={c: r for c, r in section.ratios.items() if c not in marked},
        not_sent=names,
        partial=partial,
        pending=tuple(dict.fromkeys(r for c in marked for r in covers.get(c, coverage.COMPLETE).pending)),
    )


def all_sections(tables: dict[str, pd.DataFrame], period: Period, supplied: set[str] | None = None) -> list[Section]:
    """Every section of the period, in the order of the progress workbook's sheets; with
    `supplied` (IngestResult.supplied), the figures none of whose owing departments sent them
    read 未报送, figures fed by unconfirmed implausible rows 待核, and the targets they feed read
    无数据 or 待核.

        >>> from fupin_lib import load_all, parse_period
        >>> [s.name for s in all_sections(load_all(), parse_period("2020Q2"))][:3]
        ['目标进展', '一 组织领导', '二 干部人才']
    """
    out = [plan_targets(tables, period, supplied)] + [make(tables, period) for make in SECTIONS[1:]]
    if supplied is None:
        return out
    known = coverage.Coverages(supplied, period)
    return [mark_not_sent(s, supplied, known=known) for s in out]
