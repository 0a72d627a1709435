"""The name lists the assessment scheme asks for as evidence (证明材料), built from the raw
ledgers: one row per person the figure counts, in the scheme's columns, with the source file,
sheet and row of the ledger row it stands on. The row count of a list equals the figure it
proves (`ListOf.figure`).

The rows are chosen by the figures' own functions (figures/funds, cadres, labour) on the
pseudonymised tables; the names, ID numbers and phones in clear come from the same rows of an
ingestion that kept them (ingest_folder(keep_personal=True)), matched by row, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from ..figures import cadres, funds, labour
from ..periods import Period

SOURCE_COLUMNS = ["来源文件", "工作表", "行号"]


@dataclass(frozen=True)
class ListOf:
    """One list of the scheme: its name, the items it proves, the figure its rows make."""

    key: str  # file name stem
    name: str  # as the scheme names it
    items: tuple[str, ...]  # assessment items (rules.yml ids)
    figure_label: str  # what its row count is
    ledger: str  # clean table
    select: Callable[[pd.DataFrame, Period], pd.DataFrame]  # the counted rows, one per person
    figure: Callable[[dict, Period, dict], int]  # the figure (tables, period, metrics), from figures/
    columns: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame]  # (clear rows, selected rows) -> scheme columns


def _first(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per person (person_key): the earliest by `by`, then by file and row."""
    return rows.sort_values([by, "_file", "_row"], kind="stable").drop_duplicates("person_key", keep="first")


def _date(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _yes(value) -> str:
    return "" if value is None or pd.isna(value) else ("是" if bool(value) else "否")


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _join(*parts) -> str:
    return " ".join(p for p in (_text(x) for x in parts) if p)


def _people(clear: pd.DataFrame, _rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "姓名": clear["name"].map(_text),
            "身份证号": clear["id_number"].map(_text),
            "结对地区": clear["area"],
            "乡镇": clear["township"].map(_text),
            "村": clear["village"].map(_text),
            "受益途径": clear["route"],
            "受益日期": clear["benefit_date"].map(_date),
            "是否脱贫": clear["exited"].map(_yes),
            "脱贫日期": clear["exit_date"].map(_date),
        }
    )


def _tenure(rows: pd.DataFrame, clear: pd.DataFrame) -> pd.Series:
    return clear["start_date"].map(_date) + "至" + clear["end_date"].map(lambda d: _date(d) or "今")


def _cadres(clear: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "姓名": clear["name"].map(_text),
            "身份证号": clear["id_number"].map(_text),
            "挂职前工作单位及职务": [_join(u, p) for u, p in zip(clear["home_unit"], clear["home_post"])],
            "行政级别": clear["rank"].map(_text),
            "挂职单位及职务": [_join(u, p) for u, p in zip(clear["host_unit"], clear["host_post"])],
            "分管（协管）工作": clear["duties"].map(_text),
            "结对地区": clear["area"],
            "挂职起止时间": _tenure(rows, clear),
            "是否自主选派": clear["self_selected"].map(_yes),
            "是否脱贫攻坚岗位": clear["on_poverty_post"].map(_yes),
        }
    )


def _professionals(clear: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "姓名": clear["name"].map(_text),
            "身份证号": clear["id_number"].map(_text),
            "专业领域": clear["specialty"].map(_text),
            "挂职前工作单位及职务岗位": [_join(u, p) for u, p in zip(clear["home_unit"], clear["home_post"])],
            "职称及职级": clear["rank"].map(_text),
            "挂职单位及职务岗位": [_join(u, p) for u, p in zip(clear["host_unit"], clear["host_post"])],
            "挂职起止时间": _tenure(rows, clear),
            "挂职时长（天）": rows["tenure_days"].astype(int),
            "联系方式": clear["phone"].map(_text),
            "结对地区": clear["area"],
            "是否自主选派": clear["self_selected"].map(_yes),
        }
    )


def _employed(clear: pd.DataFrame, _rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "姓名": clear["name"].map(_text),
            "身份证号": clear["id_number"].map(_text),
            "结对地区": clear["area"],
            "就业地": clear["place"],
            "就业单位": clear["employer"].map(_text),
            "就业日期": clear["employed_date"].map(_date),
            "是否建档立卡": clear["registered_poor"].map(_yes),
        }
    )


def _dispatched(t: pd.DataFrame, p: Period, category: str) -> pd.DataFrame:
    df = cadres.enrich(t, p)
    return df[df["dispatched"] & (df["category"] == category)]


def _self_selected_party(t, p):
    df = _dispatched(t, p, "党政干部")
    return df[df["self_selected"].eq(True)]


def _off_posts(t, p):
    df = _dispatched(t, p, "党政干部")
    return df[df["on_poverty_post"].eq(False)]


def _professionals_band(band: str):
    def select(t, p):
        df = _dispatched(t, p, "专业技术人才")
        return df[df["self_selected"].eq(True) & (df["tenure_band"] == band)]

    return select


def _metric(key: str) -> Callable[[dict, Period, dict], int]:
    """The figure: a metric key of figures.registry.compute_metrics."""
    return lambda tables, p, metrics: int(metrics[key])


def _scope(target: str) -> Callable[[dict, Period, dict], int]:
    """The figure: the persons dispatched district-wide (the plan's target, figures/cadres)."""
    return lambda tables, p, metrics: int(cadres.dispatched_by_scope(tables["cadres"], p)[(target, "全区")])


def _employed_poor(t, p):
    rows = labour.employed(t, p)
    return _first(rows[rows["registered_poor"].eq(True)], "employed_date")


LISTS: tuple[ListOf, ...] = (
    ListOf(
        "惠及贫困人口名单",
        "全年惠及贫困人口名单",
        ("6.1",),
        "全年惠及贫困人口数（人）",
        "beneficiaries",
        lambda t, p: _first(funds.benefited(t, p), "benefit_date"),
        _metric("people_benefited"),
        _people,
    ),
    ListOf(
        "脱贫人口名单",
        "全年脱贫人口名单",
        ("6.2",),
        "全年助力脱贫人口数（人）",
        "beneficiaries",
        lambda t, p: _first(funds.exited(t, p), "exit_date"),
        _metric("people_exited"),
        _people,
    ),
    ListOf(
        "挂职干部名单",
        "实际选派挂职干部名单（党政干部）",
        ("7.1", "7.5"),
        "选派挂职党政干部人数（人）",
        "cadres",
        lambda t, p: _dispatched(t, p, "党政干部"),
        _scope("party_cadres"),
        _cadres,
    ),
    ListOf(
        "自主选派挂职干部名单",
        "实际选派挂职干部名单（自主选派）",
        ("7.2",),
        "自主选派挂职党政干部人数（人）",
        "cadres",
        _self_selected_party,
        _metric("party_cadres_self_selected"),
        _cadres,
    ),
    ListOf(
        "未在脱贫攻坚岗位的挂职干部名单",
        "未放在脱贫攻坚岗位的挂职干部名单",
        ("7.3",),
        "未放在脱贫攻坚岗位的挂职干部人数（人）",
        "cadres",
        _off_posts,
        _metric("cadres_off_poverty_posts"),
        _cadres,
    ),
    ListOf(
        "专业技术人才名单",
        "实际选派专业人才名单",
        ("8.1", "8.3"),
        "选派专业技术人才人数（人）",
        "cadres",
        lambda t, p: _dispatched(t, p, "专业技术人才"),
        _scope("professionals"),
        _professionals,
    ),
    ListOf(
        "自主选派专业技术人才名单（1-6个月）",
        "自主选派专业技术人才名单（1-6个月）",
        ("8.2a",),
        "自主选派专业技术人才（1-6个月）（人）",
        "cadres",
        _professionals_band("1-6个月"),
        _metric("professionals_1_6m"),
        _professionals,
    ),
    ListOf(
        "自主选派专业技术人才名单（6-12个月）",
        "自主选派专业技术人才名单（6-12个月）",
        ("8.2b",),
        "自主选派专业技术人才（6-12个月）（人）",
        "cadres",
        _professionals_band("6-12个月"),
        _metric("professionals_6_12m"),
        _professionals,
    ),
    ListOf(
        "自主选派专业技术人才名单（12个月以上）",
        "自主选派专业技术人才名单（12个月以上）",
        ("8.2c",),
        "自主选派专业技术人才（12个月以上）（人）",
        "cadres",
        _professionals_band("12个月以上"),
        _metric("professionals_12m_plus"),
        _professionals,
    ),
    ListOf(
        "产业合作惠及贫困人口名单",
        "引导产业合作惠及贫困人口名单",
        ("10.1", "10.2"),
        "产业合作惠及贫困人口数（人）",
        "beneficiaries",
        lambda t, p: _first(funds.benefited(t, p).query("route == '产业合作'"), "benefit_date"),
        _metric("industry_people_benefited"),
        _people,
    ),
    ListOf(
        "产业合作带动脱贫人口名单",
        "引导产业合作帮助贫困人口脱贫人口名单",
        ("10.3", "10.4"),
        "产业合作带动脱贫人口数（人）",
        "beneficiaries",
        lambda t, p: _first(funds.exited(t, p).query("route == '产业合作'"), "exit_date"),
        _metric("industry_people_exited"),
        _people,
    ),
    ListOf(
        "劳务协作就业脱贫人口名单",
        "劳务协作就业脱贫人口名单",
        ("15.2", "15.3"),
        "劳务协作帮助贫困人口就业脱贫人数（人）",
        "employed",
        _employed_poor,
        _metric("poor_employed"),
        _employed,
    ),
)


@dataclass
class BuiltList:
    spec: ListOf
    table: pd.DataFrame  # 序号, the scheme's columns, 来源文件, 工作表, 行号 (names and IDs in clear)
    figure: int  # the figure the rows prove

    @property
    def agrees(self) -> bool:
        return len(self.table) == self.figure


def build(
    spec: ListOf,
    keyed: dict[str, pd.DataFrame],
    clear: dict[str, pd.DataFrame],
    period: Period,
    metrics: dict[str, object],
) -> BuiltList:
    """One list: the rows the figure counts (chosen on the keyed tables), their clear values from
    the same rows of the clear tables (same index), the source of each row."""
    rows = spec.select(keyed[spec.ledger], period)
    rows = rows.sort_values(["_file", "_sheet", "_row"], kind="stable")
    plain = clear[spec.ledger].loc[rows.index]
    if not (plain["_row"].to_numpy() == rows["_row"].to_numpy()).all():
        raise RuntimeError(f"{spec.name}：名单的行与清洗后的表不一致")
    table = spec.columns(plain, rows).reset_index(drop=True)
    table.insert(0, "序号", range(1, len(table) + 1))
    table["来源文件"] = list(rows["_file"])
    table["工作表"] = list(rows["_sheet"])
    table["行号"] = [int(r) for r in rows["_row"]]
    return BuiltList(spec, table, spec.figure(keyed, period, metrics))
