"""The quarterly 携手奔小康行动工作进展情况表 as an Excel workbook (openpyxl).

One sheet per section of the 2020 plan, formatted as the office hands it to the city: a title
row, the unit in every header, styled and frozen headers, column widths, number formats, and
totals and ratios as Excel formulas (so a reader who edits a cell sees the totals follow).
Distinct-person counts are not additive across areas: their 合计 is the distinct count, not a SUM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..figures import funds as benefits, cadres, consumption, labour as labor, society, targets
from .. import refdata
from ..periods import Period

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
TOTAL_FILL = PatternFill("solid", fgColor="F3F3F3")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMATS = {"int": "#,##0", "money": "#,##0.00", "pct": "0.0%", "ratio": "0.00", "text": "@"}


@dataclass
class Sheet:
    """A table to write: column name -> format; which columns are summed, which are formulas."""
    name: str
    title: str
    table: pd.DataFrame
    formats: dict[str, str]
    summed: tuple[str, ...] = ()
    formulas: dict[str, str] = field(default_factory=dict)  # column -> template using {col:<name>} and {row}
    total_values: dict[str, object] = field(default_factory=dict)  # non-additive totals given as values
    note: str | None = None


def _letter(table: pd.DataFrame, column: str) -> str:
    return get_column_letter(list(table.columns).index(column) + 1)


def _formula(sheet: Sheet, template: str, row: int) -> str:
    cols = {c: _letter(sheet.table, c) for c in sheet.table.columns}
    return "=" + template.format(row=row, **{f"c{i}": cols[c] for i, c in enumerate(sheet.table.columns)})


def write_sheet(wb: Workbook, sheet: Sheet, subtitle: str) -> None:
    ws = wb.create_sheet(sheet.name)
    table = sheet.table
    ncol = len(table.columns)
    ws.cell(1, 1, sheet.title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(ncol, 1))
    ws.cell(2, 1, subtitle).font = Font(size=9, color="666666")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=max(ncol, 1))
    header_row, first = 3, 4
    for j, col in enumerate(table.columns, start=1):
        c = ws.cell(header_row, j, col)
        c.font, c.fill, c.border = Font(bold=True), HEADER_FILL, BORDER
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last = first + len(table) - 1
    for i, row in enumerate(table.itertuples(index=False), start=first):
        for j, (col, value) in enumerate(zip(table.columns, row), start=1):
            if col in sheet.formulas:
                value = _formula(sheet, sheet.formulas[col], i)
            elif isinstance(value, float):
                value = None if pd.isna(value) else round(value, 6)
            c = ws.cell(i, j, value)
            if isinstance(value, str) and col not in sheet.formulas:
                c.data_type = "s"   # text from the data stays text: "=HYPERLINK(…)" is not a formula
            c.number_format = FORMATS[sheet.formats.get(col, "text")]
            c.border = BORDER
    if sheet.summed or sheet.total_values:
        t = last + 1
        ws.cell(t, 1, "合计")
        for j, col in enumerate(table.columns, start=1):
            c = ws.cell(t, j)
            if col in sheet.summed:
                letter = get_column_letter(j)
                c.value = f"=SUM({letter}{first}:{letter}{last})" if len(table) else 0
            elif col in sheet.total_values:
                c.value = sheet.total_values[col]
            elif col in sheet.formulas and j > 1:
                c.value = _formula(sheet, sheet.formulas[col], t)
            c.number_format = FORMATS[sheet.formats.get(col, "text")]
            c.font, c.fill, c.border = Font(bold=True), TOTAL_FILL, BORDER
        last = t
    if sheet.note:
        ws.cell(last + 2, 1, sheet.note).font = Font(size=9, color="666666")
    ws.freeze_panes = ws.cell(first, 2)
    for j, col in enumerate(table.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in table[col].head(200)]) * 1.7
        ws.column_dimensions[get_column_letter(j)].width = min(45, max(9, width))
    ws.row_dimensions[header_row].height = 32
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = f"{header_row}:{header_row}"


def sheets(tables: dict[str, pd.DataFrame], period: Period) -> list[Sheet]:
    t, areas = tables, refdata.area_names()
    out: list[Sheet] = []

    prog = targets.progress(t, period)[["计划条目", "目标", "范围", "单位", "目标值", "完成值", "状态", "责任部门"]]
    prog.insert(6, "完成比例", None)
    out.append(Sheet("目标进展", "2020年工作计划目标完成情况", prog,
                     {"目标值": "money", "完成值": "money", "完成比例": "pct"},
                     formulas={"完成比例": "IF({c4}{row}=0,\"\",{c5}{row}/{c4}{row})"}))

    meetings = t["meetings"]
    kinds = refdata_meeting_kinds()
    ytd = meetings[period.mask(meetings["date"])]["kind"].value_counts()
    qtr = meetings[period.mask(meetings["date"], ytd=False)]["kind"].value_counts()
    table = pd.DataFrame({"会议类型": kinds, "本期（次）": [int(qtr.get(k, 0)) for k in kinds],
                          "年初至本期末（次）": [int(ytd.get(k, 0)) for k in kinds]})
    out.append(Sheet("一 组织领导", "一、组织领导：会议与对接", table,
                     {"本期（次）": "int", "年初至本期末（次）": "int"}, summed=("本期（次）", "年初至本期末（次）")))

    ytd_c = cadres.counts_by_county(t["cadres"], period).drop(index="合计")
    new_c = cadres.counts_by_county(t["cadres"], period, ytd=False, new_only=True).drop(index="合计")
    table = pd.DataFrame({"结对地区": areas, "党政干部（人）": ytd_c["党政干部"].to_numpy(),
                          "专业技术人才（人）": ytd_c["专业技术人才"].to_numpy(), "合计（人）": None,
                          "本期新选派（人）": new_c["合计"].to_numpy()})
    out.append(Sheet("二 干部人才", "二、干部人才支援：在岗挂职干部和专业技术人才（年初至本期末）", table,
                     {c: "int" for c in table.columns[1:]},
                     summed=("党政干部（人）", "专业技术人才（人）", "本期新选派（人）"),
                     formulas={"合计（人）": "{c1}{row}+{c2}{row}"}))

    ben = benefits.benefit_by_county(t["beneficiaries"], t["funds"], period)
    qfunds = benefits.benefit_by_county(t["beneficiaries"], t["funds"], period, ytd=False)
    table = pd.DataFrame({
        "结对地区": areas, "本期拨付（万元）": qfunds["额外安排资金（万元）"].drop("合计").to_numpy(),
        "累计拨付（万元）": ben["额外安排资金（万元）"].drop("合计").to_numpy(),
        "惠及贫困人口（人）": ben["惠及贫困人口（人）"].drop("合计").to_numpy(),
        "助力脱贫人口（人）": ben["助力脱贫人口（人）"].drop("合计").to_numpy(), "每万元惠及人数": None,
    })
    out.append(Sheet("三 资金支持", "三、资金支持：区级财政额外安排资金与惠及贫困人口", table,
                     {"本期拨付（万元）": "money", "累计拨付（万元）": "money", "惠及贫困人口（人）": "int",
                      "助力脱贫人口（人）": "int", "每万元惠及人数": "ratio"},
                     summed=("本期拨付（万元）", "累计拨付（万元）"),
                     formulas={"每万元惠及人数": "IF({c2}{row}=0,\"\",{c3}{row}/{c2}{row})"},
                     total_values={"惠及贫困人口（人）": int(ben.loc["合计", "惠及贫困人口（人）"]),
                                   "助力脱贫人口（人）": int(ben.loc["合计", "助力脱贫人口（人）"])},
                     note="注：人数按有效身份证号去重，一人在多个地区受益时各地区分别计入、合计只计一次，故合计不等于各地区之和。"))

    ent = society.enterprises_by_area(t["enterprises"], period)
    table = pd.DataFrame({
        "结对地区": areas,
        "引导企业（家）": ent["引导企业（家）"].to_numpy(),
        "实际到位投资额（万元）": ent["实际到位投资额（万元）"].to_numpy(),
        "消费扶贫金额（万元）": consumption.consumption_by(t["consumption"], period, "area")["金额（万元）"].to_numpy(),
    })
    out.append(Sheet("四 产业合作", "四、产业合作与产销对接（年初至本期末）", table,
                     {"引导企业（家）": "int", "实际到位投资额（万元）": "money", "消费扶贫金额（万元）": "money"},
                     summed=("实际到位投资额（万元）", "消费扶贫金额（万元）"),
                     total_values={"引导企业（家）": society.enterprise_metrics(t["enterprises"], period)["enterprises_invested"]}))

    fairs = t["job_fairs"][period.mask(t["job_fairs"]["date"])]
    emp = t["employed"][period.mask(t["employed"]["employed_date"])]
    poor = emp[emp["registered_poor"].eq(True)]
    table = pd.DataFrame({
        "结对地区": areas, "招聘会（场）": [int((fairs["area"] == a).sum()) for a in areas],
        "推送岗位（个）": labor.job_postings_by_area(t["job_postings"], period).to_numpy(),
        "贫困人口就业（人）": [int(poor.loc[poor["area"] == a, "id_number"].nunique()) for a in areas],
        "残疾人就业（人）": [int(emp.loc[(emp["area"] == a) & emp["disabled"].eq(True), "id_number"].nunique()) for a in areas],
    })
    out.append(Sheet("五 劳务协作", "五、劳务协作（年初至本期末）", table, {c: "int" for c in table.columns[1:]},
                     summed=("招聘会（场）", "推送岗位（个）"),
                     total_values={"贫困人口就业（人）": int(poor["id_number"].nunique()),
                                   "残疾人就业（人）": int(emp.loc[emp["disabled"].eq(True), "id_number"].nunique())}))

    ratios = consumption.canteen_ratios(t["canteen"], period).sort_values("unit")
    table = pd.DataFrame({"单位名称": ratios["unit"], "单位类型": ratios["unit_type"],
                          "食材采购总额（万元）": ratios["food_total_wan"],
                          "其中扶贫产品采购额（万元）": ratios["poverty_products_wan"],
                          "扶贫产品比例": None, "是否达到30%": None})
    target = consumption.target_ratio()
    out.append(Sheet("六 消费扶贫", "六、预算单位食堂和工会采购扶贫产品情况（年初至本期末）", table,
                     {"食材采购总额（万元）": "money", "其中扶贫产品采购额（万元）": "money", "扶贫产品比例": "pct"},
                     summed=("食材采购总额（万元）", "其中扶贫产品采购额（万元）"),
                     formulas={"扶贫产品比例": "IF({c2}{row}=0,\"\",{c3}{row}/{c2}{row})",
                               "是否达到30%": f"IF({{c4}}{{row}}=\"\",\"无采购\",IF({{c4}}{{row}}>={target}-1E-9,\"是\",\"否\"))"},
                     note="注：比例 = 扶贫产品采购额 ÷ 食材采购总额，目标不低于30%（2020年工作计划 二（六））。"))

    don = t["donations"][period.mask(t["donations"]["date"])]
    act = t["activities"][period.mask(t["activities"]["date"])]
    table = pd.DataFrame({"结对地区": areas,
                          "捐赠款物（万元）": [float(don.loc[don["area"] == a, "amount_wan"].sum()) for a in areas],
                          "公益活动（次）": [int((act["area"] == a).sum()) for a in areas]})
    out.append(Sheet("七 社会动员", "七、社会动员：捐赠款物与公益活动（年初至本期末）", table,
                     {"捐赠款物（万元）": "money", "公益活动（次）": "int"}, summed=("捐赠款物（万元）", "公益活动（次）"),
                     note="注：仅含社会帮扶台账中注明结对地区的捐赠和活动；资金台账中村集体和社会捐赠见“三 资金支持”之外的统计。"))

    pairs = t["pairings"][t["pairings"]["signed_date"] <= period.end]
    kinds = ["镇街", "村社区", "学校", "医院", "企业", "社会组织", "职业院校"]
    table = pd.DataFrame({"北京方单位类型": kinds,
                          "北京方单位（个）": [int(pairs.loc[pairs["beijing_type"] == k, "beijing_unit"].nunique()) for k in kinds],
                          "受援方单位（个）": [int(pairs.loc[pairs["beijing_type"] == k, "partner_unit"].nunique()) for k in kinds],
                          "结对关系（对）": [int((pairs["beijing_type"] == k).sum()) for k in kinds]})
    out.append(Sheet("八 结对帮扶", "八、携手奔小康结对帮扶（截至本期末已签订）", table,
                     {c: "int" for c in table.columns[1:]}, summed=("结对关系（对）",)))
    return out


def refdata_meeting_kinds() -> list[str]:
    from ..ingest.schemas import ledger_specs

    return list(ledger_specs()["meetings"].column("kind").choices)


def write_progress_workbook(tables: dict[str, pd.DataFrame], period: Period, path: Path,
                            district: str, data_version: str, identifier: str | None = None) -> Path:
    """Write the workbook; `identifier` (stored in the document properties) records what it was
    made from, so that an unchanged workbook need not be made again."""
    wb = Workbook()
    wb.remove(wb.active)
    subtitle = (f"{district}　报告期：{period.label_zh}（{period.start.date()} 至 {period.end.date()}）"
                f"　数据版本：{data_version}")
    for sheet in sheets(tables, period):
        write_sheet(wb, sheet, subtitle)
    wb.properties.title = f"{district}携手奔小康行动工作进展情况表（{period.label_zh}）"
    wb.properties.identifier = identifier
    wb.save(path)
    return path
