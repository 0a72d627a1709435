"""The bundled sample data (data/raw, 示例数据) read end to end, cross-checked against the
generator's manifest: its totals are computed by the generator from its own records, before
any workbook is written, independently of the ingestion and analysis code."""

import json

import pytest

from fupin_lib import config
from fupin_lib.figures import cadres, consumption, funds
from fupin_lib.ingest import ingest_folder
from fupin_lib.figures.registry import compute_metrics
from fupin_lib.periods import parse_period
from fupin_dev.sample_data import generate

YEAR = parse_period("2020")


@pytest.fixture(scope="module")
def manifest():
    return json.loads(config.SAMPLE_MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result():
    return ingest_folder(config.RAW_DIR)


def test_accounting_and_planted_rows(result, manifest):
    for sheet in result.sheets:
        assert sheet.read == sheet.accepted + sheet.rejected
        expected = manifest["files"][sheet.file][sheet.sheet]
        assert (sheet.read, sheet.totals_excluded) == (expected["data_rows"], expected["total_rows"])
    rejected = set(zip(result.rejections["文件"], result.rejections["工作表"], result.rejections["行号"]))
    planted = {(p["file"], p["sheet"], p["row"]) for p in manifest["planted"]}
    assert rejected == planted  # every planted bad row rejected, and nothing else
    accepted = {k: len(t) for k, t in result.tables.items()}
    assert accepted == manifest["expected"]["accepted_rows"]


def test_year_figures_match_the_generator(result, manifest):
    exp = manifest["expected"]
    m = compute_metrics(result.tables, YEAR)
    assert m["extra_funds_wan"] == pytest.approx(exp["extra_funds_wan_2020"])
    assert m["people_benefited"] == exp["distinct_valid_persons"]
    assert m["people_exited"] == exp["people_exited"]
    assert m["industry_people_benefited"] == exp["industry_people_benefited"]
    assert m["industry_people_exited"] == exp["industry_people_exited"]
    assert m["registered_poor_start"] == exp["registered_poor_start_total"]
    assert m["product_sales_wan"] == pytest.approx(exp["product_sales_wan"])
    q1 = funds.extra_funds(result.tables["funds"], parse_period("2020Q1"))["amount_wan"].sum()
    assert q1 == pytest.approx(exp["extra_funds_wan_q1"])
    by_area = funds.benefit_by_county(result.tables["beneficiaries"], result.tables["funds"], YEAR)
    assert by_area["惠及贫困人口（人）"].drop("合计").to_dict() == exp["distinct_valid_persons_by_area"]


@pytest.mark.parametrize("period, key", [("2020", "metrics_2020"), ("2020Q2", "metrics_2020Q2")])
def test_every_metric_matches_the_generator(result, manifest, period, key):
    expected = manifest["expected"][key]
    got = compute_metrics(result.tables, parse_period(period), result.supplied)
    assert set(got) == set(expected)
    for name, value in expected.items():
        assert got[name] == (pytest.approx(value) if isinstance(value, float) else value), name


@pytest.mark.parametrize("quarter", ["2020Q1", "2020Q2", "2020Q3", "2020Q4"])
def test_canteen_quarters_match_the_generator(result, manifest, quarter):
    overall = consumption.canteen_overall(result.tables["canteen"], parse_period(quarter), ytd=False)
    assert len(overall["units_below_target"]) == manifest["expected"]["canteen_below_30"][quarter]
    sheet = {"2020Q1": "一季度", "2020Q2": "二季度", "2020Q3": "三季度", "2020Q4": "四季度"}[quarter]
    planted_here = sum(p["sheet"] == sheet for p in manifest["planted"] if "食堂" in p["file"])
    assert overall["units"] == manifest["expected"]["canteen_units"] - planted_here
    assert overall["overall_ratio"] == pytest.approx(manifest["expected"]["canteen_ratio"][quarter], abs=5e-5)


def test_cadres_reconcile_with_the_generator(result, manifest):
    exp = manifest["expected"]
    by_county = cadres.counts_by_county(result.tables["cadres"], YEAR)
    enriched = cadres.enrich(result.tables["cadres"], YEAR)
    short = int((enriched["tenure_band"] == cadres.SHORT_EXCHANGE).sum())
    assert by_county.loc["合计", "党政干部"] == exp["cadres_in_post_2020"]["党政干部"]
    # The generator counts short exchanges as in post; the count per county leaves them out.
    assert by_county.loc["合计", "专业技术人才"] + short == exp["cadres_in_post_2020"]["专业技术人才"]
    m = cadres.cadre_metrics(result.tables["cadres"], YEAR)
    tenure = exp["self_selected_professionals_by_tenure_2020"]
    assert m["professionals_1_6m"] == tenure["1_6m"]
    # Postings with no end date are banded by their tenure so far (all of them over 182 days here).
    assert (
        m["professionals_6_12m"] + m["professionals_12m_plus"]
        == tenure["6_12m"] + tenure["12m_plus"] + tenure["no_end_date"]
    )


def test_exactly_thirty_percent_unit_is_not_below(result, manifest):
    case = manifest["expected"]["canteen_exactly_30"]
    table = consumption.canteen_ratios(result.tables["canteen"], parse_period(case["quarter"]), ytd=False)
    row = table.set_index("unit").loc[case["unit"]]
    assert row["ratio"] == pytest.approx(0.30) and not row["below_target"]


def test_generator_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", seed=11, scale=0.05)
    b = generate(tmp_path / "b", seed=11, scale=0.05)
    assert a == b
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.xlsx"))
    assert any(f.parts[0] == "2020Q2" for f in files)  # the second round too
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel


def test_small_sample_keeps_every_planted_row(sample_raw):
    manifest = json.loads((sample_raw.parent / "manifest.json").read_text(encoding="utf-8"))
    result = ingest_folder(sample_raw)
    rejected = set(zip(result.rejections["文件"], result.rejections["工作表"], result.rejections["行号"]))
    assert {(p["file"], p["sheet"], p["row"]) for p in manifest["planted"]} == rejected
    assert len(manifest["planted"]) >= 12
