"""Every combination of sent and missing ledgers renders every document (issue 17, item 6).

The small sample is ingested once; each case takes ledgers out of it as if their departments had
sent nothing (their sheets do not count, their tables are empty), then builds what every
document is made of: the brief (as a Document, in Word and for a few cases in Typst), the
progress workbook, the report sections the notebooks call, the assessment with the district's
own figures. Nothing may fail, no 0 may stand for a ledger not sent, and what is missing is said."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from fupin_lib.assessment import load_card
from fupin_lib.figures.registry import metrics_document
from fupin_lib.ingest import ingest_folder
from fupin_lib.ledgers import ledger_specs
from fupin_lib.periods import parse_period
from fupin_lib.render import typeset, word
from fupin_lib.reports import annual, brief, notebook_api
from fupin_lib.reports.workbook import write_progress_workbook
from peers_tables import full_rows, write_table

LEDGERS = list(ledger_specs())


@pytest.fixture(scope="module")
def sample_result(sample_raw):
    return ingest_folder(sample_raw)


def without(result, missing: set[str]):
    """The ingest as if nobody had sent the `missing` ledgers."""
    sheets = [replace(s, status="未报送（测试）") if s.ledger in missing else s for s in result.sheets]
    tables = {k: (t.iloc[0:0] if k in missing else t) for k, t in result.tables.items()}
    return replace(result, tables=tables, sheets=sheets)


def period_data(result, sample_raw, period: str) -> notebook_api.PeriodData:
    return notebook_api.PeriodData(parse_period(period), "大兴区", Path(sample_raw), result, {})


def render_all(data: notebook_api.PeriodData, tmp_path: Path, pdf: bool = False) -> str:
    """Everything the documents are made of; returns the text a reader sees in the brief."""
    doc = brief.brief(data)
    word.write_docx(doc, tmp_path / "brief.docx")
    if pdf:
        typeset.write_pdf(doc, tmp_path / "brief.pdf")
    path = write_progress_workbook(
        data.tables, data.period, tmp_path / "book.xlsx", "大兴区", "v", data.result.supplied
    )
    openpyxl.load_workbook(path)  # a valid workbook
    for make in (
        notebook_api.highlights,
        notebook_api.key_figures,
        notebook_api.area_overview,
        notebook_api.cadre_section,
        notebook_api.funds_section,
        notebook_api.consumption_section,
        notebook_api.quality_tables,
        lambda d: notebook_api.target_tables(d, "目标"),
        lambda d: annual.target_tables(d, "目标"),
        annual.unmet_targets,
        annual.department_table,
        annual.show_year_on_year,
    ):
        make(data)
    doc_json = metrics_document(data.tables, data.period, supplied=data.result.supplied)
    peers = write_table(tmp_path / "peers.csv", {d: r for d, r in full_rows().items() if d != "大兴区"})
    card = load_card(peers, own=data.metrics, period=data.period.code, coverage=data.metric_coverage)
    assert card is not None
    return notebook_api.highlights(data), doc_json, card


@pytest.mark.parametrize("ledger", LEDGERS)
def test_each_single_missing_ledger(sample_result, sample_raw, tmp_path, ledger):
    data = period_data(without(sample_result, {ledger}), sample_raw, "2020Q2")
    text, doc, card = render_all(data, tmp_path)
    spec = ledger_specs()[ledger]
    assert ledger in doc["not_sent"]
    if ledger == "funds":
        assert doc["metrics"]["extra_funds_wan"] == "未报送" and "资金台账**未报送**" in text
    if ledger == "cadres":
        assert doc["cadres_by_county"] == "未报送" and "挂职干部台账**未报送**" in text
    if ledger == "canteen":
        assert doc["canteen"]["overall_ratio"] == "未报送"
    # No item of the assessment scores on a key whose ledger was not sent.
    for s in card.mine.items.values():
        if s.incomplete and s.value is None:
            assert s.points == 0 and s.at_risk == s.item.max, (spec.sheet, s.item.id)


@pytest.mark.parametrize("seed", range(3))
def test_random_subsets(sample_result, sample_raw, tmp_path, seed):
    rng = random.Random(seed)
    missing = set(rng.sample(LEDGERS, rng.randint(2, len(LEDGERS) - 1)))
    period = rng.choice(["2020Q1", "2020Q2", "2020H1", "2020Q4", "2020H2"])
    data = period_data(without(sample_result, missing), sample_raw, period)
    _text, doc, _card = render_all(data, tmp_path, pdf=seed == 0)
    assert set(doc["not_sent"]) == missing


def test_nothing_and_everything(sample_result, sample_raw, tmp_path):
    render_all(period_data(without(sample_result, set(LEDGERS)), sample_raw, "2020Q2"), tmp_path, pdf=True)
    render_all(period_data(sample_result, sample_raw, "2020H2"), tmp_path, pdf=True)
