"""Training and labour cooperation (ledgers 4 and 11).

Trainings count by 开始日期, employment by 就业日期, job fairs by 日期; training bases are
standing things: they count when built on or before the window's end.
"""

from __future__ import annotations

import pandas as pd

from .. import refdata
from ..periods import Period


def training_metrics(trainings: pd.DataFrame, period: Period) -> dict[str, int]:
    t = trainings[period.mask(trainings["start_date"])]
    return {
        "cadres_trained": int(t.loc[t["audience"].isin(["党政干部", "专业技术人才"]), "trainees"].sum()),
        "poor_trained": int(t.loc[t["audience"] == "贫困劳动力", "poor_trainees"].sum()),
        "leaders_trained": int(t.loc[t["audience"] == "致富带头人", "trainees"].sum()),
    }


def job_fair_metrics(job_fairs: pd.DataFrame, period: Period) -> dict[str, int]:
    fairs = job_fairs[period.mask(job_fairs["date"])]
    return {"job_fairs_im": int(fairs["area"].map(lambda a: refdata.province_of(a) == "内蒙古").sum())}


def employment_metrics(employed: pd.DataFrame, period: Period) -> dict[str, int]:
    hired = employed[period.mask(employed["employed_date"]) & employed["registered_poor"].eq(True)]
    return {"poor_employed": int(hired["id_number"].nunique())}


def training_base_metrics(training_bases: pd.DataFrame, period: Period) -> dict[str, int]:
    return {"training_bases": int((training_bases["built_date"] <= period.end).sum())}


def job_postings_by_area(job_postings: pd.DataFrame, period: Period) -> pd.Series:
    p = job_postings[period.mask(job_postings["date"])]
    return p.groupby("area")["jobs"].sum().reindex(refdata.area_names(), fill_value=0).astype(int)
