"""The period's headline figures: year to date and the period's own window side by side (the
first table of every report and of the brief). Each figure comes from its domain module."""

from __future__ import annotations

import pandas as pd

from ..periods import Period
from . import cadres, consumption, funds

ROWS = (
    "在岗挂职干部和专业技术人才（人）",
    "区级财政额外安排资金（万元）",
    "惠及贫困人口（人）",
    "助力脱贫人口（人）",
    "消费扶贫金额（万元）",
    "食堂和工会扶贫产品采购比例",
)


def _window(tables: dict[str, pd.DataFrame], period: Period, ytd: bool) -> list[object]:
    people = funds.people_counts(tables["beneficiaries"], period, ytd)
    return [
        int(cadres.counts_by_county(tables["cadres"], period, ytd=ytd).loc["合计", "合计"]),
        funds.extra_funds_wan(tables["funds"], period, ytd),
        people["people_benefited"],
        people["people_exited"],
        consumption.product_sales_wan(tables["consumption"], period, ytd),
        consumption.canteen_overall(tables["canteen"], period, ytd)["overall_ratio"],
    ]


def headline(tables: dict[str, pd.DataFrame], period: Period) -> pd.DataFrame:
    """Rows: the headline figures; columns: 年初至X月底, and 本季度 / 本半年 / 本年 (the first
    table of every report).

        >>> from fupin_lib import load_all, parse_period
        >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
        >>> [int(v) for v in headline(t, p).loc["惠及贫困人口（人）"]]
        [6879, 4942]
    """
    columns = [f"年初至{period.end.month}月底"]
    values = [_window(tables, period, True)]
    if period.start != period.ytd_start:  # a year-to-date window longer than the period's own
        columns.append(period.own_label)
        values.append(_window(tables, period, False))
    return pd.DataFrame(dict(zip(columns, values)), index=pd.Index(ROWS, name="指标"))
