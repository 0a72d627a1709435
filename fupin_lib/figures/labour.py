"""Training and labour cooperation (ledgers 4 and 11).

Trainings count by 开始日期, employment by 就业日期, job fairs by 日期; training bases are
standing things: they count when built on or before the window's end.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..periods import Period


def training_metrics(trainings: pd.DataFrame, period: Period) -> dict[str, int]:
    """Trainees year to date: cadres and professionals, poor labourers, leaders (by 开始日期).

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> training_metrics(t["trainings"], p)
    {'cadres_trained': 752, 'poor_trained': 637, 'leaders_trained': 44}
    """
    t = trainings[period.mask(trainings["start_date"])]
    return {
        "cadres_trained": int(t.loc[t["audience"].isin(["党政干部", "专业技术人才"]), "trainees"].sum()),
        "poor_trained": int(t.loc[t["audience"] == "贫困劳动力", "poor_trainees"].sum()),
        "leaders_trained": int(t.loc[t["audience"] == "致富带头人", "trainees"].sum()),
    }


def job_fair_metrics(job_fairs: pd.DataFrame, period: Period) -> dict[str, int]:
    """Job fairs held in 内蒙古's paired areas, year to date."""
    fairs = job_fairs[period.mask(job_fairs["date"])]
    return {"job_fairs_im": int(fairs["area"].map(lambda a: refdata.province_of(a) == "内蒙古").sum())}


def employment_metrics(employed: pd.DataFrame, period: Period) -> dict[str, int]:
    """Distinct registered poor persons (person_key) employed, year to date.

    >>> from fupin_lib import load_all, parse_period
    >>> t, p = load_all(), parse_period("2020Q2")      # the shipped sample data
    >>> employment_metrics(t["employed"], p)
    {'poor_employed': 254}
    """
    hired = employed[period.mask(employed["employed_date"]) & employed["registered_poor"].eq(True)]
    return {"poor_employed": int(hired["person_key"].nunique())}


def training_base_metrics(training_bases: pd.DataFrame, period: Period) -> dict[str, int]:
    """Training bases built on or before the period's end."""
    return {"training_bases": int((training_bases["built_date"] <= period.end).sum())}


def employed(employed: pd.DataFrame, period: Period, ytd: bool = True) -> pd.DataFrame:
    """Persons employed (就业日期) in the window."""
    return employed[period.mask(employed["employed_date"], ytd)]


def distinct_by_region(persons: pd.DataFrame) -> dict[str, int]:
    """Distinct persons (person_key: the keyed hash of the ID number) overall and per region
    (内蒙古 / 新疆)."""
    region = persons["area"].map(refdata.region_of)
    ids = persons["person_key"]
    return {
        "全区": int(ids.nunique()),
        "内蒙古": int(ids[region == "内蒙古"].nunique()),
        "新疆": int(ids[region == "新疆"].nunique()),
    }


def disabled_employed(employed_rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of disabled persons."""
    return employed_rows[employed_rows["disabled"].eq(True)]


def poor_employed_in_beijing(employed_rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of registered poor persons employed in Beijing (在京)."""
    return employed_rows[(employed_rows["place"] == "在京") & employed_rows["registered_poor"].eq(True)]


def labour_by_area(tables: dict[str, pd.DataFrame], period: Period) -> tuple[pd.DataFrame, dict[str, int]]:
    """Per paired area: job fairs, job postings, poor persons employed, disabled persons
    employed (year to date); and the distinct-person totals (a person employed in two areas
    counts once)."""
    areas = refdata.area_names()
    fairs = tables["job_fairs"][period.mask(tables["job_fairs"]["date"])]
    rows = employed(tables["employed"], period)
    poor, disabled = rows[rows["registered_poor"].eq(True)], disabled_employed(rows)
    table = pd.DataFrame(
        {
            "招聘会（场）": fairs["area"].value_counts().reindex(areas, fill_value=0),
            "推送岗位（个）": job_postings_by_area(tables["job_postings"], period),
            "贫困人口就业（人）": poor.groupby("area")["person_key"].nunique().reindex(areas, fill_value=0),
            "残疾人就业（人）": disabled.groupby("area")["person_key"].nunique().reindex(areas, fill_value=0),
        },
        index=pd.Index(areas, name="结对地区"),
    ).astype(int)
    totals = {
        "贫困人口就业（人）": int(poor["person_key"].nunique()),
        "残疾人就业（人）": int(disabled["person_key"].nunique()),
    }
    return table, totals


def job_postings_by_area(job_postings: pd.DataFrame, period: Period) -> pd.Series:
    """Jobs posted per paired area, year to date."""
    p = job_postings[period.mask(job_postings["date"])]
    return p.groupby("area")["jobs"].sum().reindex(refdata.area_names(), fill_value=0).astype(int)
