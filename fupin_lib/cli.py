"""The `fupin` command: one small command per pipeline step.

Errors reach the user as one Chinese sentence and an exit code, never as a traceback:
0 success; 1 a run that failed (a report not made); 2 bad input or arguments; 3 `--strict` and
rows were rejected or files not read; 4 outputs could not be written (permission, read-only
folder, full disk, a file in use), the previous outputs kept; 130 interrupted.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import config, refdata
from .periods import PeriodError, parse_period

app = typer.Typer(
    help="东西部扶贫协作工作台账分析：清洗台账、计算指标、生成报告。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: str) -> str:
    """Text as it may reach a terminal or a log: control characters (a file name holding ESC[2K
    would erase the line above) shown as escapes (\\x1b), not obeyed."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


class _Console(Console):
    """A console whose text never carries a control character from the data (visible())."""

    def print(self, *objects, **kwargs) -> None:  # noqa: A003 - rich's name
        super().print(*(visible(o) if isinstance(o, str) else o for o in objects), **kwargs)


out = _Console(soft_wrap=True)
err = _Console(stderr=True, soft_wrap=True)

RawOpt = typer.Option(None, "--raw", help="原始台账目录（默认 data/raw/）")


class UserError(Exception):
    """A problem the user can fix; the message is Chinese. Exit code 2."""


def _period(text: str):
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise UserError(str(exc)) from exc


def _claim(folder: Path, raw_dir: Optional[Path] = None) -> Path:
    """An output folder checked (files.claim_output_dir): / and system folders, a folder inside
    the raw folder and a non-empty folder the product did not make are refused (exit 2)."""
    from .files import OutputRefused, claim_output_dir

    try:
        return claim_output_dir(folder, raw_dir if raw_dir is not None else config.RAW_DIR)
    except OutputRefused as exc:
        raise UserError(str(exc)) from exc


def _ingest(raw: Optional[Path], quiet: bool = False, again: bool = False):
    """The raw folder's clean tables, from the store (store.load_result), or ingested `again`."""
    from .ingest import ingest_folder
    from .store import load_result

    raw_dir = Path(raw) if raw else config.RAW_DIR
    if not raw_dir.is_dir():
        raise UserError(f"原始台账目录不存在：{raw_dir}")
    result = ingest_folder(raw_dir) if again else load_result(raw_dir)
    if not quiet:
        _print_notices(result)
    return raw_dir, result


def _print_notices(result, limit: int = 20) -> None:
    """Errors first (files and sheets not read), then warnings and corrections."""
    rank = {"错误": 0, "警告": 1, "更正": 2, "提示": 3}
    notices = sorted(
        (n for n in result.notices if n.kind != "提示" or "合计" in n.message), key=lambda n: rank.get(n.kind, 3)
    )
    for n in notices[:limit]:
        err.print(str(n), markup=False, highlight=False)
    if len(notices) > limit:
        err.print(f"……另有 {len(notices) - limit} 条提示，见被拒绝行工作簿的“提示与跳过”工作表", highlight=False)
    errors = [n for n in result.notices if n.kind == "错误"]
    if errors:
        err.print(f"注意：有 {len(errors)} 个文件或工作表未能读取（见上），其中的数据未计入任何数字", highlight=False)


def notices_json(result) -> list[dict]:
    """Every notice of a run, for JSON output."""
    return [
        {"kind": n.kind, "file": n.file, "sheet": n.sheet, "row": n.row, "message": n.message} for n in result.notices
    ]


@app.command()
def ingest(
    raw: Optional[Path] = RawOpt,
    out_dir: Optional[Path] = typer.Option(
        None, "--out", help="清洗后数据的输出目录（默认：data/raw 的写入 data/processed/）"
    ),
    strict: bool = typer.Option(False, "--strict", help="有任何被拒绝行或未能读取的文件时以退出码 3 结束"),
) -> None:
    """读取原始台账，校验、清洗，写出清洗后的表（Parquet）和被拒绝行工作簿。"""
    from .store import location, write

    raw_dir = Path(raw) if raw else config.RAW_DIR
    target = Path(out_dir) if out_dir else location(raw_dir)
    _claim(target, raw_dir)  # before reading: a refused --out costs nothing
    raw_dir, result = _ingest(raw, again=True)
    write(result, target, raw_dir)
    table = Table(title=f"台账读取汇总（{raw_dir}）")
    for col in ("台账", "工作表数", "读取行数", "接受", "拒绝", "排除合计行"):
        table.add_column(col, justify="left" if col == "台账" else "right")
    summary = result.summary()
    for row in summary.itertuples(index=False):
        table.add_row(row.台账, *(str(getattr(row, c)) for c in ("工作表数", "读取行数", "接受", "拒绝", "排除合计行")))
    out.print(table)
    rejected = int(summary["拒绝"].sum())
    unread = sum(n.kind == "错误" for n in result.notices)
    out.print(
        f"清洗后的表已写入 {target}；被拒绝 {rejected} 行"
        + (f"，未能读取 {unread} 个文件或工作表" if unread else "")
        + f"，明细见 {target / config.REJECTIONS_FILE}",
        markup=False,
        highlight=False,
    )
    for year in sorted(result.supplied.years or ()):
        _print_pending(result, parse_period(str(year)))
    if strict and (rejected or unread):
        raise typer.Exit(code=3)


def _year_has_ledgers(result, p) -> None:
    """Stop (exit 2) for a period of a year no ledger was sent for: its figures are unknown, not 0."""
    from .figures.coverage import no_ledgers_of_year

    said = no_ledgers_of_year(result.supplied, p)
    if said:
        raise UserError(said + "。请检查期间是否写错，或先放入该年度的台账")


def _of_year(result, p, quiet: bool = False):
    """The ingest result as the period's year reads it: that year's ledgers, an earlier year's
    rows only where a department did not send the ledger for it (ingest/years.py, said here)."""
    from .ingest.years import year_view

    view = year_view(result, p.year)
    if not quiet:
        before = {id(n) for n in result.notices}
        for n in view.notices:
            if id(n) not in before:
                err.print(str(n), markup=False, highlight=False)
    return view


def _print_pending(result, p, console: Console | None = None) -> list:
    """Name on the console every row beyond its plausible bounds not yet confirmed (the figures
    it feeds read 待核), and how to confirm it."""
    from .figures.plausibility import unconfirmed

    found = unconfirmed(result.tables, p)
    console = console or err
    for s in found:
        console.print(result.redact(str(s)), markup=False, highlight=False)
    if found:
        console.print(
            f"注意：以上 {len(found)} 处数值超出合理范围，相关数字在各文件中写“待核”；核实无误后在 "
            f"{config.shown(config.CONFIRMATIONS_FILE)}"
            " 中登记确认（见 README“数据规则”）",
            markup=False,
            highlight=False,
        )
    return found


def _metric_text(value: object, unit: str) -> str:
    """A metric as the console table prints it: 万元 with two decimals, ratios as percentages,
    counts whole; 未报送 and 待核 as they are."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if unit == "ratio":
        return f"{value:.1%}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{value:,.0f}" if isinstance(value, (int, float)) else str(value)


@app.command()
def metrics(
    period: str = typer.Option(..., "--period", help="期间，如 2020Q2、2020H1、2020"),
    raw: Optional[Path] = RawOpt,
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（供脚本使用）"),
    district: str = typer.Option(config.HOME_DISTRICT, "--district", help="本区名称"),
) -> None:
    """计算本区在某期间（年初至期末）的各项指标。"""
    from . import refdata
    from .figures.previous_year import PreviousYearError, document as previous_year_document
    from .figures.registry import metrics_document

    p = _period(period)
    _raw_dir, everything = _ingest(raw, quiet=as_json)
    _year_has_ledgers(everything, p)
    result = _of_year(everything, p, quiet=as_json)
    _print_pending(result, p)
    doc = metrics_document(result.tables, p, district, supplied=result.supplied)
    try:
        doc.update(previous_year_document(everything, p, district, doc["metrics"]))
    except PreviousYearError as exc:
        raise UserError(str(exc)) from exc
    doc["notices"] = notices_json(result)
    if as_json:
        from .files import dumps, finite

        # Strict JSON: a figure that is not a finite number is 待核 (to be checked), never NaN or Infinity.
        sys.stdout.write(dumps(finite(doc, "待核"), indent=2) + "\n")
        return
    units = refdata.metrics().set_index("key")["unit"].to_dict()
    table = Table(title=f"{district} {p.label_zh} 指标（{doc['window'][0]} 至 {doc['window'][1]}）")
    for col, justify in (
        ("指标", "left"),
        ("键", "left"),
        ("数值", "right"),
        ("上年同期", "right"),
        ("增长", "right"),
        ("说明", "left"),
    ):
        table.add_column(col, justify=justify, overflow="fold")
    for key, value in doc["metrics"].items():
        note = doc["incomplete"].get(key)
        said = (
            ""
            if not note
            else note["status"]
            + (f"（{'、'.join(note['missing_departments'])}）" if note["missing_departments"] else "")
        )
        change = doc["growth"].get(key)
        table.add_row(
            refdata.metric_label(key),
            key,
            _metric_text(value, units.get(key, "")),
            _metric_text(doc["previous_year"].get(key), units.get(key, "")),
            f"{change:+.1%}" if isinstance(change, float) else str(change),
            said,
        )
    out.print(table)
    source = doc["previous_year_source"]
    out.print(f"上年同期（{source['period']}）：{source['source']}", markup=False, highlight=False)
    canteen = doc["canteen"]
    ratio = canteen["overall_ratio"]
    out.print(f"食堂和工会扶贫产品采购比例：{_metric_text(ratio, 'ratio')}", markup=False, highlight=False)
    below = canteen["units_below_target"]
    if canteen["target"] is None:
        out.print(f"{p.year}年尚无工作计划，没有采购比例目标。", markup=False, highlight=False)
    elif isinstance(below, str):
        out.print(f"低于{canteen['target']:.0%}的单位：{below}", markup=False, highlight=False)
    else:
        out.print(
            f"低于{canteen['target']:.0%}的单位（{len(below)} 个）：{'、'.join(below) or '无'}",
            markup=False,
            highlight=False,
        )
    if doc["not_sent"]:
        from .ledgers import ledger_specs

        out.print(
            "未报送的台账：" + "、".join(ledger_specs()[k].sheet for k in doc["not_sent"]),
            markup=False,
            highlight=False,
        )


@app.command()
def report(
    period: Optional[str] = typer.Option(
        None, "--period", help="报告期间：2020Q2（季度）、2020H1（上半年）、2020H2（下半年及全年）"
    ),
    all_periods: bool = typer.Option(False, "--all-periods", help="生成全年所有期间的报告（四个季度和两个半年）"),
    year: int = typer.Option(2020, "--year", help="与 --all-periods 一起使用的年份"),
    raw: Optional[Path] = RawOpt,
    out_dir: Optional[Path] = typer.Option(None, "--out", help="报告输出目录（默认 reports/）"),
    district: str = typer.Option(config.HOME_DISTRICT, "--district", help="本区名称"),
    force: bool = typer.Option(False, "--force", help="即使输入未变化也重新生成全部报告"),
) -> None:
    """批量生成报告：用 papermill 运行该期间的报告笔记本，生成简报（PDF、Word）、不含代码的 HTML、A4 PDF、
    季度和半年报告的 Word 版以及进展情况表 Excel，写入 reports/<期间>/，并更新总览页 reports/index.html。"""
    from .reports.batch import ReportError, all_periods as year_periods, run_reports

    if all_periods == bool(period):
        raise UserError("请指定 --period（如 2020Q2）或 --all-periods 之一")
    periods = year_periods(year) if all_periods else [_period(period)]
    if any(p.kind == "day" for p in periods):
        raise UserError(
            f"报告按季度（2020Q2）、半年（2020H1）或全年生成，不按某一天（{period}）；"
            "某一天的数字请用 fupin metrics --period 或 JupyterLab 中的 fupin_lib"
        )
    raw_dir = Path(raw) if raw else config.RAW_DIR
    if not raw_dir.is_dir():
        raise UserError(f"原始台账目录不存在：{raw_dir}")
    wanted = Path(out_dir) if out_dir else config.REPORTS_DIR
    fresh = not wanted.exists()
    target = _claim(wanted, raw_dir)

    def read():
        """The ledgers, read while the report workers start: refused for a year without any,
        and what was not sent said before the reports are made."""
        _raw_dir, result = _ingest(raw_dir, quiet=True)
        for p in periods:
            _year_has_ledgers(result, p)
        for p in {p.year: p for p in periods}.values():
            _print_pending(_of_year(result, p, quiet=True), parse_period(str(p.year)) if all_periods else p)
        return result

    try:
        run_reports(
            periods, raw_dir=raw_dir, out_dir=target, district=district, console=out, force=force, read=read, fork=True
        )
    except ReportError as exc:
        err.print(f"报告生成失败：{exc}", markup=False, highlight=False)
        raise typer.Exit(code=exc.exit_code)
    except UserError:
        # refused on reading (a year without ledgers): nothing made, and no folder left that
        # this command made for the reports
        if fresh:
            shutil.rmtree(target, ignore_errors=True)
        raise


@app.command()
def status(
    period: str = typer.Option(..., "--period", help="期间，如 2020Q2"),
    raw: Optional[Path] = RawOpt,
    feedback: Optional[Path] = typer.Option(
        None, "--feedback", help="各部门反馈工作簿的输出目录（默认 reports/反馈/<期间>/）"
    ),
) -> None:
    """催报：各部门应报台账的报送情况（轮次、读取/接受/拒绝行数、缺少的必填列、年度之外和期末之后的行），
    并为每个部门生成一份反馈工作簿（被拒绝的行、单元格位置和原因），可直接发回各部门。"""
    from .files import publish, staging
    from .reports.tracker import COLUMNS as TRACKER_COLUMNS
    from .reports.tracker import COUNT_COLUMNS, NOT_RECEIVED, feedback_workbooks, not_received
    from .reports.tracker import status as tracker_status

    p = _period(period)
    _raw_dir, result = _ingest(raw, quiet=True)
    _year_has_ledgers(result, p)
    target = _claim(Path(feedback) if feedback else config.FEEDBACK_DIR / p.code, Path(raw) if raw else None)
    result = _of_year(result, p)
    _print_pending(result, p)
    table = tracker_status(result, p)
    shown = Table(title=f"{p.label_zh}各部门台账报送情况")
    shown_columns = [c for c in TRACKER_COLUMNS if c != "说明"]  # the notes go to the feedback files
    for col in shown_columns:
        shown.add_column(col, justify="right" if col in COUNT_COLUMNS else "left")
    for row in table.itertuples(index=False):
        cells = [
            "—" if v is None or (isinstance(v, float) and v != v) else str(int(v)) if isinstance(v, float) else str(v)
            for v in row[: len(shown_columns)]
        ]
        shown.add_row(*map(visible, cells), style="red" if row.报送情况 == NOT_RECEIVED and row.应报 == "是" else None)
    _Console(width=max(out.width, 160)).print(shown)  # a wide table: never squeezed to "…"
    missing = not_received(table)
    if missing.empty:
        out.print("计划要求报送的台账均已收到。", markup=False)
    else:
        out.print(
            f"未报送 {len(missing)} 项：" + "；".join(f"{d} {l}" for d, l in zip(missing["部门"], missing["台账"])),
            markup=False,
            highlight=False,
        )
    with staging(target, "feedback") as work:
        made = feedback_workbooks(result, p, work)
        publish([(path, target / path.name) for path in made], work)
    out.print(f"各部门反馈工作簿（{len(made)} 份）已写入 {target}", markup=False, highlight=False)


@app.command()
def dictionary(
    out_file: Optional[Path] = typer.Option(None, "--out", help="输出文件（默认 docs/数据字典.md）"),
) -> None:
    """生成数据字典（每张清洗后的表、每一列的中文名、类型、单位、可选值、是否个人信息、来源表头）。"""
    from .catalog import write_dictionary

    target = Path(out_file or config.DICTIONARY_FILE)
    if target.exists() and not target.read_bytes().startswith("# 数据字典".encode()):
        raise UserError(f"“{target}”已存在且不是数据字典：为免覆盖其他文件，不写入，请指定另一个文件名")
    if out_file is not None:
        from .files import OutputRefused, check_place

        try:
            check_place(target.resolve().parent, config.RAW_DIR, one_file=True)
        except OutputRefused as exc:
            raise UserError(str(exc)) from exc
    path = write_dictionary(target)
    out.print(f"数据字典已写入 {path}", markup=False, highlight=False)


@app.command()
def templates(
    folder: Path = typer.Argument(..., help="模板输出目录"),
    period: Optional[str] = typer.Option(
        None, "--period", help="按部门生成该期间应报台账的模板，文件名写明部门和期间，如 2020Q2"
    ),
) -> None:
    """生成各台账的空白模板（表头、整列格式、下拉选项、填表说明），供各部门填写；指定期间时按年度计划为每个部门
    生成其应报台账的模板，文件名即报回时应使用的名称。"""
    from .ledger_templates import write_templates

    _claim(folder)
    try:
        paths = write_templates(folder, _period(period) if period else None)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    for path in paths:
        out.print(f"  {path}", markup=False, highlight=False)


@app.command("new-year")
def new_year(
    year: int = typer.Argument(..., help="新的年份，如 2021"),
    source: Optional[int] = typer.Option(None, "--from", help="以哪一年的计划为底稿（默认最近一年）"),
) -> None:
    """开始新的一年：把上一年的计划和考核方案复制到 data/plans/<年份>/（项目数据中，不改程序），
    年份改为新的一年，并列出需要按新计划修改的内容。"""
    from .plans import PlanFolderError, start_year

    try:
        folder, todo = start_year(year, source)
    except PlanFolderError as exc:
        raise UserError(str(exc)) from exc
    out.print(f"{year}年的计划文件夹已建立：{folder}", markup=False, highlight=False)
    out.print(
        "请按新一年的工作计划和考核方案修改以下内容（可用 Excel 编辑 .csv，另存为 CSV 即可，GBK 或 UTF-8 均可）：",
        markup=False,
        highlight=False,
    )
    for line in todo:
        out.print(f"  - {line}", markup=False, highlight=False)


@app.command()
def bench(
    quick: bool = typer.Option(False, "--quick", help="小规模快速运行（检查基准代码是否可用）"),
    districts: str = typer.Option(
        "1,4,16", "--districts", help="规模测试的区数，逗号分隔（默认 1,4,16：16 个区即全市）"
    ),
) -> None:
    """性能基准：与手工做法并排比较，结果写入 docs/benchmarks.md（不属于测试）。"""
    from fupin_dev.bench import run

    counts = [int(n) for n in districts.split(",") if n.strip()]
    out.print(run(quick=quick, scale_counts=counts), markup=False, highlight=False)


@app.command("sample-data")
def sample_data(
    out_dir: Path = typer.Option(config.RAW_DIR, "--out", help="示例台账输出目录"),
    seed: int = typer.Option(2020, "--seed", help="随机种子（相同种子生成相同数据）"),
    scale: float = typer.Option(1.0, "--scale", help="数据规模倍数（测试可用 0.05）"),
    force: bool = typer.Option(False, "--force", help="目录中有不是示例数据的文件时也写入（这些文件保留不动）"),
) -> None:
    """生成示例数据（虚构的 2020 年各部门台账），用于演示和测试。目录中有其他文件（如真实台账）时拒绝写入。"""
    from fupin_dev.sample_data import SampleDataRefused, generate

    try:
        generate(
            out_dir,
            seed=seed,
            scale=scale,
            force=force,
            manifest_path=config.SAMPLE_MANIFEST
            if out_dir == config.RAW_DIR
            else out_dir.parent / "sample_manifest.json",
        )
    except SampleDataRefused as exc:
        raise UserError(str(exc)) from exc
    out.print(f"示例数据已写入 {out_dir}", markup=False, highlight=False)


@app.command("export-city")
def export_city(
    year: int = typer.Option(..., "--year", help="年度，如 2020（全年数字，1月1日至12月31日）"),
    raw: Optional[Path] = RawOpt,
    out_dir: Optional[Path] = typer.Option(None, "--out", help="输出文件夹（默认 reports/报市数据/）"),
    district: str = typer.Option(config.HOME_DISTRICT, "--district", help="本区名称"),
) -> None:
    """生成本区报市里的考核数据（其他区数据表中本区的一行）：考核所用的每个指标键、数值、单位和来源，
    写成 .xlsx 和 .csv；未报送或待核的数字不填数值，来源中写明原因。"""
    from .assessment.card import DistrictError, district_name
    from .assessment.city import export_frame, write_export
    from .figures.registry import compute_metrics, metric_coverage

    try:
        name = district_name(district)
    except DistrictError as exc:
        raise UserError(str(exc)) from exc
    p = _period(str(year))
    _raw_dir, result = _ingest(raw, quiet=True)
    _year_has_ledgers(result, p)
    result = _of_year(result, p)
    _print_pending(result, p)
    figures = compute_metrics(result.tables, p, supplied=result.supplied)
    frame = export_frame(name, year, figures, metric_coverage(result.supplied, p, figures))
    target = Path(out_dir) if out_dir else config.CITY_EXPORT_DIR
    paths = write_export(frame, target, name, year)
    blank = frame[frame["数值"].isna()]
    out.print(
        f"{name}{year}年考核数据（{len(frame)} 项，其中 {len(blank)} 项无数值）已写入：", markup=False, highlight=False
    )
    for path in paths:
        out.print(f"  {path}", markup=False, highlight=False)
    for row in blank.itertuples(index=False):
        out.print(f"  无数值：{row.指标}（{row.来源}）", markup=False, highlight=False)


@app.command()
def evidence(
    year: int = typer.Option(..., "--year", help="考核年度，如 2020"),
    raw: Optional[Path] = RawOpt,
    out_dir: Optional[Path] = typer.Option(
        None, "--out", help="证明材料包的上级文件夹（默认 证明材料/，不能在 reports/ 中）"
    ),
    district: str = typer.Option(config.HOME_DISTRICT, "--district", help="本区名称"),
) -> None:
    """生成考核证明材料包（内部资料 含个人信息，仅本人可读）：67 个考核项的索引（两种分档口径的预估得分、
    责任部门、应交、已有和缺少的材料）、资金统计表，以及由原始台账生成的名单（姓名、身份证号为明文）。"""
    from .evidence import EvidenceError, build_pack

    p = _period(str(year))
    raw_dir, result = _ingest(raw, quiet=True)
    _year_has_ledgers(result, p)
    try:
        pack = build_pack(raw_dir, year, out_dir, district)
    except EvidenceError as exc:
        raise UserError(str(exc)) from exc
    out.print(
        f"证明材料包已生成：{pack.folder}（内部资料 含个人信息：文件夹和文件仅本人可读，勿外传）",
        markup=False,
        highlight=False,
    )
    out.print(f"  索引：{pack.index}（{len(pack.index_table)} 个考核项）", markup=False, highlight=False)
    for b in pack.lists:
        said = "一致" if b.agrees else "不一致"
        out.print(
            f"  名单：{b.spec.name} {len(b.table)} 行，{b.spec.figure_label} {b.figure}，{said}",
            markup=False,
            highlight=False,
        )
    missing = pack.index_table[pack.index_table["缺少"] != ""]
    out.print(
        f"  缺少证明材料的考核项 {len(missing)} 个（见索引“缺少”一栏，写明应向哪个部门索取）；"
        f"材料请放入 {config.EVIDENCE_DOCS_DIR}/<考核项编号>/",
        markup=False,
        highlight=False,
    )
    if not all(b.agrees for b in pack.lists):
        err.print("错误：有名单的行数与其所证数字不一致，请核对（见上）", markup=False, highlight=False)
        raise typer.Exit(code=1)


class Terminated(KeyboardInterrupt):
    """SIGTERM: stop as Ctrl+C does (workers and kernels stopped, outputs left whole)."""


_STOPPED: list[int] = []  # the signal that stopped the command (typer turns the interrupt into exit 130)


def _terminate(number, _frame) -> None:
    _STOPPED.append(number)
    raise Terminated()


def _interrupt(number, _frame) -> None:
    _STOPPED.append(number)
    raise KeyboardInterrupt()


def main() -> None:
    import signal

    from .files import OutputRefused

    from .files import quiet_unraisable

    signal.signal(signal.SIGTERM, _terminate)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)
    sys.unraisablehook = quiet_unraisable  # never a traceback, not even from a file closed late
    try:
        try:
            app()
        except SystemExit:
            if not _STOPPED:
                raise
            raise (Terminated() if _STOPPED[0] == signal.SIGTERM else KeyboardInterrupt()) from None
    except (UserError, OutputRefused) as exc:
        err.print(f"错误：{exc}", markup=False, highlight=False)
        sys.exit(2)
    except refdata.PlanError as exc:
        err.print(f"错误：计划文件有误：{exc}", markup=False, highlight=False)
        sys.exit(2)
    except Terminated:
        err.print("已终止（收到结束信号）：已完成的输出保持完整，未完成的未替换原有文件")
        sys.exit(143)
    except KeyboardInterrupt:
        err.print("已中断：已完成的输出保持完整，未完成的未替换原有文件")
        sys.exit(130)
    except OSError as exc:  # permission, read-only folder, full disk, a file in use
        from .files import describe_os_error

        err.print(f"错误：{describe_os_error(exc, '访问')}。已有的输出文件保持不变。", markup=False, highlight=False)
        sys.exit(4)
    except Exception as exc:  # last resort: a message, never a traceback
        err.print(f"运行出错（{type(exc).__name__}）：{exc}", markup=False, highlight=False)
        sys.exit(1)


@app.command()
def score(
    peers: Optional[Path] = typer.Option(
        None, "--peers", help="其他区数据表（.csv 或 .xlsx，每区一行，表头为指标键或中文名称）"
    ),
    peers_dir: Optional[Path] = typer.Option(
        None,
        "--peers-dir",
        help="各区报送的考核数据文件所在文件夹（fupin export-city 生成，每区一个），汇总为其他区数据表",
    ),
    district: str = typer.Option(config.HOME_DISTRICT, "--district", help="查看哪个区（默认本区）"),
    all_districts: bool = typer.Option(False, "--all", help="输出全市各区（表格输出为排名）"),
    policy: Optional[str] = typer.Option(
        None, "--policy", help="分档口径：zero_is_none（默认）或 symmetric，见 banding.yml"
    ),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出（供脚本使用）"),
    own_from_ledgers: bool = typer.Option(False, "--own-from-ledgers", help="该区数据由本区台账计算，其余取自数据表"),
    raw: Optional[Path] = RawOpt,
    period: str = typer.Option("2020Q4", "--period", help="台账计算的期间（与 --own-from-ledgers 一起使用）"),
    department: Optional[list[str]] = typer.Option(
        None, "--department", help="列出该部门负责的考核项、分值、失分和证明材料（可重复）"
    ),
) -> None:
    """按考核评分细则计算全市各区的考核得分（分档、加分、排名），并可按部门列出责任和证明材料。"""
    from .assessment import AssessmentError, build_card
    from .assessment import console as show

    if (peers is None) == (peers_dir is None):
        raise UserError("请指定 --peers（其他区数据表）或 --peers-dir（各区报送文件所在文件夹）之一")

    own = own_coverage = None
    if own_from_ledgers:
        from .figures.registry import compute_metrics, metric_coverage

        p = _period(period)
        _raw_dir, result = _ingest(raw, quiet=True)
        _year_has_ledgers(result, p)
        result = _of_year(result, p)
        _print_pending(result, p)
        own = compute_metrics(result.tables, p, supplied=result.supplied)
        own_coverage = metric_coverage(result.supplied, p, own)
    try:
        table = peers
        if peers_dir is not None:
            from .assessment.city import assemble
            from .assessment.card import district_name

            table = assemble(
                peers_dir, _period(period).year, allow_missing=(district_name(district),) if own_from_ledgers else ()
            )
        card = build_card(table, district, policy, own=own, period=period, coverage=own_coverage)
        departments = show.check_departments(department or [])
        show.print_notes(card, err)
        if as_json:
            show.print_json(card, all_districts, departments)
            return
        if all_districts:
            show.print_ranking(card, out)
        else:
            show.print_district(card, out)
        show.print_departments(card, departments, out)
    except AssessmentError as exc:
        if not own_from_ledgers and district in getattr(exc, "missing", ()):
            # the sample's peers table has no row for the home district: its figures come from its ledgers
            raise UserError(
                f"{exc}\n{district}的数据可由本区台账计算：加上 --own-from-ledgers（make score 即如此）"
            ) from exc
        raise UserError(str(exc)) from exc
