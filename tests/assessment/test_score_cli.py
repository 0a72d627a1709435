"""`fupin score` end to end (the real console script), the JSON contract, errors with exit code
2, --own-from-ledgers, --department, and the assessment_score notebook through papermill."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from fupin_lib import config, refdata
from fupin_lib.assessment import build_card, peers_from_frame, score
from fupin_lib.assessment.home import own_metrics
from fupin_lib.figures.registry import compute_metrics
from fupin_lib.assessment.rules import load_rules
from fupin_lib.cli import UserError, app
from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period

from peers_tables import DISTRICTS, full_rows, uniform_rows, write_table

FUPIN = Path(sys.executable).parent / "fupin"
REFERENCE = json.loads(
    json.dumps(
        score(peers_from_frame(pd.DataFrame([{"district": d, **r} for d, r in full_rows().items()]))).to_json(),
        ensure_ascii=False,
    )
)
ITEM_KEYS = {
    "points",
    "max",
    "band",
    "value",
    "average",
    "next_band",
    "policy_sensitive",
    "incomplete",
    "points_at_risk",
}


def fupin(*args):
    return subprocess.run([str(FUPIN), *map(str, args)], capture_output=True, text=True)


def check_contract(doc, policy="zero_is_none"):
    ids = load_rules().ids
    assert set(doc) == {"policy", "districts", "ranks", "peers_table"} and doc["policy"] == policy
    assert list(doc["districts"]) == DISTRICTS
    # every rank says which peers table it comes from and when it was made (issue 20)
    assert set(doc["ranks"]) == set(doc["districts"]) and doc["peers_table"]["made"]
    assert doc["peers_table"]["note"].startswith("排名依据：") and doc["peers_table"]["sample"] is False
    for card in doc["districts"].values():
        assert set(card) == {"total", "bonus", "items"} and list(card["items"]) == ids
        assert 0 <= card["total"] <= 100 and 0 <= card["bonus"] <= 5
        assert card["total"] == pytest.approx(sum(i["points"] for k, i in card["items"].items() if k != "19"))
        assert card["bonus"] == card["items"]["19"]["points"]
        for item in card["items"].values():
            assert set(item) == ITEM_KEYS
            assert 0 <= item["points"] <= item["max"]
            assert item["band"] in (None, "显著", "较好", "一般", "不显著", "没有")
            assert isinstance(item["policy_sensitive"], bool)
            nb = item["next_band"]
            assert nb is None or (set(nb) == {"band", "value_needed"} and isinstance(nb["value_needed"], float))


@pytest.mark.parametrize(
    "name, labels", [("keys.csv", False), ("labels.csv", True), ("keys.xlsx", False), ("labels.xlsx", True)]
)
def test_all_json_follows_the_contract(tmp_path, name, labels):
    path = write_table(tmp_path / name, full_rows(), labels=labels)
    proc = fupin("score", "--peers", path, "--all", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    check_contract(doc)
    assert doc["peers_table"]["source"] == name
    assert {k: doc[k] for k in REFERENCE} == REFERENCE  # the same figures whatever the file type and header style


def test_hand_worked_card_of_identical_districts(tmp_path):
    """All 16 districts alike: every banded item is at the average (一般)."""
    rows = uniform_rows(
        leadership_meetings=1,
        counties_visited=2,
        extra_funds_wan=80,
        general_revenue_wan=1000,
        cadres_off_poverty_posts=20,
        ledger_quality="一般",
        job_fairs_im=1,
        award_city_office=1,
        award_central=0,
        award_city_main=0,
        award_province_main=0,
        award_national_dept=0,
        award_city_deputy=0,
    )
    proc = fupin("score", "--peers", write_table(tmp_path / "t.csv", rows), "--json", "--policy", "symmetric")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["policy"] == "symmetric" and list(doc["districts"]) == ["大兴区"]
    card = doc["districts"]["大兴区"]
    items = card["items"]
    assert items["1.1"]["points"] == 1.5 and items["2.1"]["points"] == pytest.approx(1.2)
    assert items["7.3"]["points"] == 0  # 20 cadres off posts: 1.5 - 2.0 -> 0
    assert items["3.10"]["points"] == 1.6 and items["3.10"]["value"] == "一般"
    assert items["15.1"]["points"] == 1.0
    assert card["bonus"] == 1.0
    four = items["4.1"]  # 80 / 1000 = 0.08 for everyone -> 一般, 3.2
    assert (four["band"], four["points"], four["value"], four["average"]) == ("一般", 3.2, 0.08, pytest.approx(0.08))
    # 较好 needs v = 1.15 x (15 x 0.08) / (16 - 1.15)
    assert four["next_band"] == {"band": "较好", "value_needed": pytest.approx(1.15 * 1.2 / 14.85)}
    assert items["6.1"]["band"] == "没有" and items["6.1"]["value"] is None  # no people_benefited anywhere
    # 1.1 + 2.1 + 3.10 + 15.1 + 4.1; 7.3 gives 0 and every other item has no value
    assert card["total"] == pytest.approx(1.5 + 1.2 + 1.6 + 1.0 + 3.2)


def cli(*args):
    """The command in process (fast); exit codes through main() are checked with fupin()."""
    return CliRunner().invoke(app, ["score", *map(str, args)])


def test_table_output_in_chinese(tmp_path):
    path = write_table(tmp_path / "t.csv", full_rows(), labels=True)
    result = cli("--peers", path)
    assert result.exit_code == 0, result.output
    assert "大兴区考核得分" in result.stdout and "分部分得分" in result.stdout and "在 16 个区中排第" in result.stdout
    ranking = cli("--peers", path, "--all", "--policy", "symmetric")
    assert "16 个区考核得分排名" in ranking.stdout and "上下对称" in ranking.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--district", "大兴县"], "未知的区“大兴县”"),
        (["--policy", "loose"], "未知的分档口径“loose”"),
        (["--department", "区人事处"], "未知的部门“区人事处”"),
    ],
)
def test_bad_options_are_user_errors(tmp_path, args, message):
    result = cli("--peers", write_table(tmp_path / "t.csv", full_rows()), *args, "--json")
    assert isinstance(result.exception, UserError) and message in str(result.exception)
    assert result.stdout == ""


def test_malformed_table_exit_2(tmp_path):
    rows = full_rows()
    rows["通州区"]["investment_wan"] = "待统计"
    rows.pop("延庆区")
    path = write_table(tmp_path / "坏表.xlsx", rows, labels=True)
    proc = fupin("score", "--peers", path, "--all", "--json")
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert "坏表.xlsx 第9行“企业实际到位投资额（万元）”列：金额“待统计”无法识别为数字" in proc.stderr
    assert "缺少延庆区的数据" in proc.stderr
    missing = fupin("score", "--peers", tmp_path / "无此文件.csv", "--policy", "loose")
    assert missing.returncode == 2 and "文件不存在" in missing.stderr and "Traceback" not in missing.stderr


def test_a_table_without_the_home_district_points_to_the_ledgers(tmp_path):
    """`fupin score --peers FILE` on a table without 大兴区's row (as the bundled sample's): the
    refusal says the home district's figures can come from its ledgers (--own-from-ledgers, what
    make score passes), in both output forms; a table without another district's row does not."""

    rows = full_rows()
    rows.pop("大兴区")
    path = write_table(tmp_path / "无本区.csv", rows)
    for form in ([], ["--json"]):
        result = cli("--peers", path, *form)
        assert isinstance(result.exception, UserError) and result.stdout == ""
        said = str(result.exception)
        assert "缺少大兴区的数据" in said and "加上 --own-from-ledgers" in said, said
    rows = full_rows()
    rows.pop("延庆区")
    result = cli("--peers", write_table(tmp_path / "缺延庆.csv", rows))
    assert "缺少延庆区的数据" in str(result.exception) and "--own-from-ledgers" not in str(result.exception)


def test_department_view(tmp_path):
    path = write_table(tmp_path / "t.csv", full_rows())
    result = cli("--peers", path, "--department", "区人力社保局", "--department", "区卫生健康委", "--json")
    assert result.exit_code == 0, result.output
    people, health = json.loads(result.stdout)["departments"]
    assert people["department"] == "区人保局" and health["department"] == "区卫计委"
    own = [i for i in people["items"] if not i["shared"]]
    assert [i["id"] for i in own] == [
        "8.1",
        "8.2a",
        "8.2b",
        "8.2c",
        "8.3",
        "13.1",
        "13.2",
        "13.3",
        "14.1",
        "14.2",
        "15.1",
        "15.2",
        "15.3",
        "15.4",
    ]
    assert people["max"] == pytest.approx((0.5 + 3 + 0.5) + 3 + 2 + (1 + 1 + 1.5 + 0.5))  # 8.x, 13.x, 14.1-2, 15.x
    assert people["lost"] == pytest.approx(sum(i["lost"] for i in own))
    assert own[0]["evidence"].startswith("选派专业人才计划、实际选派专业人才名单")
    table = cli("--peers", path, "--department", "人保局")
    assert "区人保局（按“人保局”查找）" in table.stdout and "证明材料" in table.stdout


def test_own_row_from_ledgers(sample_raw, tmp_path):
    rows = full_rows()
    rows["大兴区"]["extra_funds_wan"] = 0.01  # the sample ledgers give thousands of 万元
    result = cli(
        "--peers",
        write_table(tmp_path / "16.csv", rows),
        "--own-from-ledgers",
        "--raw",
        sample_raw,
        "--period",
        "2020Q4",
        "--all",
        "--json",
    )
    assert result.exit_code == 0, result.output
    check_contract(json.loads(result.stdout))
    assert "不一致" in result.stderr and "区级财政额外安排资金（万元）" in result.stderr
    # the peers table may leave the home row out: it comes from the ledgers and the table
    ingested = ingest_folder(sample_raw)
    figures = compute_metrics(ingested.tables, parse_period("2020Q4"), ingested.supplied)
    own = own_metrics(figures)
    fifteen = write_table(tmp_path / "15.csv", {d: r for d, r in rows.items() if d != "大兴区"})
    card = build_card(fifteen, own=figures, period="2020Q4")
    assert card.own_keys and card.disagreements == []
    home = card.assessment.peers.values["大兴区"]
    assert home == {k: v for k, v in own.items() if v is not None}  # nothing else is made up


def test_score_notebook_runs_on_a_small_table(sample_raw, tmp_path):
    import papermill as pm

    from fupin_lib.reports.kernels import kernel_name

    peers = write_table(tmp_path / "peers.csv", {d: r for d, r in full_rows().items() if d != "大兴区"}, labels=True)
    runs = {"ok": peers, "missing": tmp_path / "无此文件.csv"}
    texts = {}
    for name, path in runs.items():
        out = tmp_path / f"{name}.ipynb"
        pm.execute_notebook(
            str(config.NOTEBOOKS_DIR / "assessment_score.ipynb"),
            str(out),
            parameters={"peers": str(path), "raw_dir": str(sample_raw), "period": "2020Q4"},
            kernel_name=kernel_name(),
            cwd=str(config.NOTEBOOKS_DIR),
            progress_bar=False,
        )
        nb = nbformat.read(out, as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        texts[name] = json.dumps(
            [o.get("data", {}).get("text/html", o.get("data", {}).get("text/markdown", "")) for o in outputs],
            ensure_ascii=False,
        )
    for heading in (
        "一、得分概况",
        "三、失分项",
        "四、最接近升档的考核项",
        "五、取决于分档口径的考核项",
        "六、16 个区排名",
        "七、各部门责任和证明材料",
        "负责的考核项",
    ):
        assert heading in texts["ok"]
    assert "未找到其他区数据表" in texts["missing"] and "一、得分概况" not in texts["missing"]


def test_part_year_card_warns_that_peers_are_annual(tmp_path):
    from fupin_lib import config
    from fupin_lib.assessment import load_card, views
    from fupin_lib.store import load_result

    result = load_result(config.RAW_DIR)
    own = {p: compute_metrics(result.tables, parse_period(p), result.supplied) for p in ("2020Q2", "2020Q4")}
    peers = refdata.plan(2020).peers_file
    q2 = load_card(peers, own=own["2020Q2"], period="2020Q2")
    year = load_card(peers, own=own["2020Q4"], period="2020Q4")
    assert q2.part_year and not year.part_year
    assert "其他区数据为全年数据" in views.caveat_text(q2)
    assert "其他区数据为全年数据" not in views.caveat_text(year)
