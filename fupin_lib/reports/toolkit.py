"""What the report notebooks call: the period's data in one object, the tables as the office
writes them (Chinese headers, units, 合计 rows), and the short texts around them.

Every figure a report shows is computed in figures/ (once, for the reports and the workbook
alike); this module only picks, labels and formats them. The notebooks compute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import date
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from .. import config
from ..figures import consumption, sections, targets
from ..figures.headline import headline
from ..ingest import IngestResult
from ..store import data_version, input_hashes, load_result
from .markup import esc, md  # noqa: F401  (md: for the notebooks' Markdown)
from ..figures.registry import compute_metrics
from ..periods import Period, parse_period


@dataclass
class PeriodData:
    period: Period
    district: str
    raw_dir: Path
    result: IngestResult
    hashes: dict[str, str]

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

    @property
    def files_read(self) -> int:
        return sum(not d.startswith(("skipped:", "unreadable:")) for d in self.hashes.values())

    @property
    def is_sample(self) -> bool:
        return self.raw_dir.resolve() == config.RAW_DIR.resolve() and config.SAMPLE_MANIFEST.exists()


def load_period(raw_dir: str | Path, period: str, district: str = config.HOME_DISTRICT) -> PeriodData:
    """Ingest the raw folder and bind it to a period: the first call of every report notebook."""
    raw_dir = Path(raw_dir).resolve()
    hashes = input_hashes(raw_dir)
    return PeriodData(parse_period(period), district, raw_dir, load_result(raw_dir, hashes=hashes), hashes)


# --- formatting --------------------------------------------------------------------------

def _fmt(value, kind: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if kind == "pct":
        return f"{value:.1%}"
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "ratio":
        return f"{value:,.2f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{value:,.0f}" if isinstance(value, (int, float)) else str(value)


def show(table: pd.DataFrame, pct: tuple[str, ...] = (), money: tuple[str, ...] = (),
         ratio: tuple[str, ...] = (), caption: str | None = None, index: bool = True) -> HTML:
    """A table as the office writes it: the row labels as the first column, numbers
    right-aligned with separators, the 合计 row in bold, no code look."""
    df = table.reset_index() if index else table.copy()
    numeric = [pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c]) for c in df.columns]
    for col, is_num in zip(df.columns, numeric):
        kind = "pct" if col in pct else "money" if col in money else "ratio" if col in ratio else "int"
        if is_num:
            df[col] = [_fmt(v, kind) for v in df[col]]
    # Figures already formatted as text are aligned as figures too.
    numeric = [is_num or df[c].astype(str).str.fullmatch(r"[-—+\d,.%]*").all() for c, is_num in zip(df.columns, numeric)]
    total = df.iloc[:, 0].astype(str).eq("合计")
    # Every cell and header is text from the data as far as HTML is concerned: escaped.
    styler = (df.style.hide(axis="index").format(escape="html").format_index(escape="html", axis=1)
              .apply(lambda row: ["font-weight: bold" if total[row.name] else "" for _ in row], axis=1))
    if caption:
        styler = styler.set_caption(esc(caption))
    styles = [
        {"selector": "th", "props": "text-align: center;"},
        {"selector": "caption", "props": "caption-side: top; font-weight: bold; text-align: left;"},
    ]
    # Numbers right-aligned and kept on one line; short labels on one line; long text wraps.
    for i, (col, is_num) in enumerate(zip(df.columns, numeric)):
        longest = max([len(str(v)) for v in df[col]] + [0])
        if is_num:
            props = "text-align: right; white-space: nowrap;"
        elif longest <= 12:
            props = "text-align: left; white-space: nowrap;"
        else:
            props = "text-align: left; min-width: 10em; width: 14em;"
        styles.append({"selector": f"td.col{i}", "props": props})
    styler = styler.set_table_styles(styles)
    return HTML(styler.to_html())


def title_block(data: PeriodData, title: str) -> HTML:
    p = data.period
    sample = "<br><b>本报告使用示例数据（随机生成的虚构数据），不代表真实工作情况。</b>" if data.is_sample else ""
    return HTML(
        f'<div class="fupin-title"><h1>{esc(data.district)}东西部扶贫协作{esc(title)}</h1>'
        f"<p>报告期：{p.label_zh}（{p.start.date()} 至 {p.end.date()}）；累计口径：{p.ytd_start.date()} 至 {p.end.date()}"
        f"<br>编制单位：{esc(data.district)}经济协作办公室　生成日期：{date.today().isoformat()}"
        f"<br>数据版本：{data.data_version}（{data.files_read} 个台账文件）{sample}</p></div>"
    )


# --- the key figures -----------------------------------------------------------------------

def show_key_figures(data: PeriodData) -> HTML:
    df = headline(data.tables, data.period)
    shown = df.astype(object).copy()
    for label in shown.index:
        kind = "pct" if "比例" in label else "money" if "万元" in label else "int"
        shown.loc[label] = [_fmt(v, kind) for v in df.loc[label]]
    return show(shown, caption="表1 主要指标")


def highlights(data: PeriodData) -> str:
    """Three to five sentences for leadership, in Markdown (figures from figures/ only)."""
    p, m = data.period, data.metrics
    prog = targets.progress(data.tables, p).set_index(["目标", "范围"])
    cadre = prog.loc[("选派党政干部和专业技术人才", "全区")]
    funds_target = targets.target_value("funds_wan", p.year)
    canteen = consumption.canteen_overall(data.tables["canteen"], p)
    extra = m.get("extra_funds_wan", 0.0)
    lines = [
        f"- 截至{p.end.month}月底，在岗挂职干部和专业技术人才 **{cadre['完成值']:,.0f}** 人，"
        f"为全年目标 {cadre['目标值']:,.0f} 人的 **{cadre['完成比例']:.0%}**。",
        f"- 区级财政额外安排资金累计 **{extra:,.2f} 万元**"
        + (f"，已达到全年 {funds_target:,.0f} 万元目标。" if extra >= funds_target
           else f"，距全年 {funds_target:,.0f} 万元目标尚差 {funds_target - extra:,.2f} 万元（计划要求一季度前拨付到位）。"),
        f"- 累计惠及建档立卡贫困人口 **{m.get('people_benefited', 0):,}** 人、助力脱贫 **{m.get('people_exited', 0):,}** 人"
        + (f"，每万元资金惠及 {m.get('people_benefited', 0) / extra:.2f} 人。" if extra else "。"),
    ]
    if canteen["overall_ratio"] is not None:
        below = len(canteen["units_below_target"])
        lines.append(
            f"- 预算单位食堂和工会扶贫产品采购比例 **{canteen['overall_ratio']:.1%}**（目标不低于 {canteen['target']:.0%}），"
            + (f"**{below}** 个单位低于 {canteen['target']:.0%}，需督促。" if below else f"所有单位均达到 {canteen['target']:.0%}。")
        )
    rejected = int(data.result.summary()["拒绝"].sum())
    if rejected:
        lines.append(f"- 台账中有 {rejected} 行因数据问题未计入，明细见“数据质量”一节。")
    return "\n".join(lines)


def targets_summary(progress: pd.DataFrame) -> str:
    """One sentence: how many targets are done, on pace and behind (Markdown)."""
    counts = progress["状态"].value_counts()
    return (f"共 {len(progress)} 项目标：已完成 **{counts.get('已完成', 0)}** 项，进度正常 **{counts.get('进度正常', 0)}** 项，"
            f"落后 **{counts.get('落后', 0)}** 项。")


def canteen_below_target(data: PeriodData) -> tuple[str, pd.DataFrame]:
    """The canteen analysis for the report: a sentence (Markdown) and the units below the
    target, with Chinese headers."""
    p = data.period
    ratios = consumption.canteen_ratios(data.tables["canteen"], p)
    overall = consumption.canteen_overall(data.tables["canteen"], p)
    below = ratios[ratios["below_target"]].drop(columns=["below_target"]).rename(columns={
        "unit": "单位名称", "unit_type": "单位类型", "food_total_wan": "食材采购总额（万元）",
        "poverty_products_wan": "扶贫产品采购额（万元）", "ratio": "扶贫产品比例", "quarters_reported": "已报季度数"})
    ratio = "—" if overall["overall_ratio"] is None else f"{overall['overall_ratio']:.1%}"
    text = (f"全区 {overall['units']} 个预算单位食堂和工会，扶贫产品采购比例合计 **{ratio}**；"
            f"低于 {overall['target']:.0%} 的单位 **{len(below)}** 个。")
    return text, below


def area_overview(data: PeriodData) -> pd.DataFrame:
    """One row per paired area: the main figures of the year to date side by side, from the
    sections the progress workbook shows too."""
    t, p = data.tables, data.period
    cadre = sections.cadres_by_area(t, p).table.set_index("结对地区")
    money = sections.funds_by_area(t, p).table.set_index("结对地区")
    industry = sections.industry_by_area(t, p).table.set_index("结对地区")
    labour = sections.labour_by_area(t, p).table.set_index("结对地区")
    pairs = sections.pairings_by_area(t, p).table.set_index("结对地区")
    return pd.DataFrame({
        "党政干部（人）": cadre["党政干部（人）"],
        "专业技术人才（人）": cadre["专业技术人才（人）"],
        "额外安排资金（万元）": money["累计拨付（万元）"],
        "惠及贫困人口（人）": money["惠及贫困人口（人）"],
        "助力脱贫人口（人）": money["助力脱贫人口（人）"],
        "引导企业（家）": industry["引导企业（家）"],
        "推送岗位（个）": labour["推送岗位（个）"],
        "消费扶贫（万元）": industry["消费扶贫金额（万元）"],
        "结对关系（对）": pairs["结对关系（对）"],
    })


def data_quality(data: PeriodData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per department and ledger: rows read, accepted, rejected, and the main reasons; and
    the files and sheets that were passed over (said, not silently skipped)."""
    from ..ingest import department_of

    sheets = data.result.sheet_table()
    by_dept = sheets.groupby(["部门", "台账"], as_index=False)[["读取行数", "接受", "拒绝", "排除合计行"]].sum()
    rej = data.result.rejections
    if len(rej):
        reason = rej.drop_duplicates(["文件", "工作表", "行号"]).copy()
        reason["部门"] = reason["文件"].map(department_of)
        reason["原因"] = reason["原因"].str.replace(r"“[^”]*”", "“…”", regex=True)
        top = (reason.groupby(["部门", "台账", "原因"]).size().rename("行数").reset_index()
               .sort_values("行数", ascending=False).groupby(["部门", "台账"]).head(3))
        main = top.groupby(["部门", "台账"])["原因"].agg(lambda r: "；".join(r)).rename("主要拒绝原因")
        by_dept = by_dept.merge(main, on=["部门", "台账"], how="left").fillna({"主要拒绝原因": ""})
    else:
        by_dept["主要拒绝原因"] = ""
    skipped = pd.DataFrame(
        [{"文件": n.file, "工作表": n.sheet or "", "说明": n.message}
         for n in data.result.notices if n.kind in ("警告", "错误")],
        columns=["文件", "工作表", "说明"],
    )
    return by_dept.sort_values(["拒绝", "部门"], ascending=[False, True]), skipped


def show_provenance(data: PeriodData) -> HTML:
    """The inputs of the report: every raw file with its size and hash, the version and the time."""
    from datetime import datetime

    from .. import __version__

    files = pd.DataFrame(
        [{"文件": data.result.redact(name),
          "SHA-256（前16位）": "未能读取" if digest.startswith(("skipped:", "unreadable:")) else digest[:16]}
         for name, digest in data.hashes.items()], columns=["文件", "SHA-256（前16位）"]
    )
    intro = (f"<p class='fupin-note'>期间参数：{esc(data.period.code)}；数据目录：{esc(data.result.redact(data.raw_dir.name))}/；"
             f"数据版本：{data.data_version}；fupin_lib {__version__}；生成时间："
             f"{datetime.now().astimezone().isoformat(timespec='seconds')}。"
             "完整校验值和运行参数保存在本期报告的运行记录（reports/运行记录/）中。</p>")
    return HTML(intro + show(files, caption="输入文件及其校验值", index=False).data)


def show_targets(progress: pd.DataFrame, caption: str) -> HTML:
    """The targets table with each figure in its own unit's format (万元 with decimals, counts whole)."""
    df = progress.drop(columns=["责任部门"], errors="ignore").copy()
    for col in ("目标值", "完成值", "落后"):
        df[col] = [_fmt(v, "money" if unit == "万元" else "int") for v, unit in zip(df[col], df["单位"])]
    df["落后"] = [gap if status == "落后" else "" for gap, status in zip(df["落后"], df["状态"])]
    return show(df, pct=("完成比例", "应完成比例"), caption=caption, index=False)
