"""Who owes what decides 未报送 (issue 17, items 3 and 4).

The plan (obligations.csv) says 区委组织部 owes the 党政干部 rows of the cadres ledger and
区人力社保局, 区教委, 区卫生健康委 and 区农业农村局 the 专业技术人才 rows. Here 区委组织部 sends
nothing while 区人力社保局 sends its own cadres ledger: three professionals, counted by hand."""

import json
import sys
import subprocess
from pathlib import Path

import pytest

from conftest import write_book
from fupin_lib.figures import coverage, targets
from fupin_lib.figures.registry import metrics_document
from fupin_lib.ingest import ingest_folder
from fupin_lib.periods import parse_period
from peers_tables import full_rows, write_table

FUPIN = Path(sys.executable).parent / "fupin"

CADRE_HEAD = [
    "姓名",
    "身份证号",
    "人员类别",
    "专业领域",
    "派出单位",
    "结对地区",
    "开始日期",
    "结束日期",
    "是否自主选派",
    "是否脱贫攻坚岗位",
]
# Three professionals in post at the end of June, all 6-12 months planned but counted to 30 June.
PROFESSIONALS = [
    ["王医生", "110101199003071233", "专业技术人才", "医疗", "区人民医院", "和田县", "2020-01-10", None, "是", "是"],
    ["李老师", "110101198805121234", "专业技术人才", "教育", "区一中", "和田县", "2020-02-01", None, "是", "是"],
    ["赵农艺", "110101198501011239", "专业技术人才", "农业", "区农技站", "察右前旗", "2020-03-01", None, "是", "是"],
]


def run(*args, cwd) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "FUPIN_CACHE": str(Path(cwd) / "cache"), "HOME": str(cwd), "COLUMNS": "250"}
    return subprocess.run([str(FUPIN), *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture
def raw(book):
    folder = book("区人力社保局_专业技术人才台账_2020.xlsx", {"挂职干部台账": [CADRE_HEAD, *PROFESSIONALS]})
    # Another ledger of the year, complete: the funds (owed by 区财政局 and 各镇街).
    write_book(
        folder / "区财政局_资金台账_2020.xlsx",
        {
            "资金台账": [
                ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"],
                ["甲", "和田县", "区级财政", 100, "2020-03-01"],
            ]
        },
    )
    write_book(
        folder / "各镇街_资金台账_2020.xlsx",
        {
            "资金台账": [
                ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"],
                ["乙", "和田县", "街道乡镇", 20, "2020-04-01"],
            ]
        },
    )
    return folder


def test_a_category_whose_owing_department_sent_nothing_reads_not_sent(raw):
    result = ingest_folder(raw)
    q2 = parse_period("2020Q2")
    doc = metrics_document(result.tables, q2, supplied=result.supplied)
    m = doc["metrics"]
    assert m["party_cadres_self_selected"] == "未报送" and m["cadres_off_poverty_posts"] == "未报送"  # not 0
    # 专业技术人才: sent by 区人力社保局; 区教委, 区卫生健康委, 区农业农村局 owe theirs too (named as the
    # department directory names them: 区卫计委, 区农委).
    assert m["professionals_1_6m"] == 3  # 3 self-selected, in post 30 to 182 days at 30 June
    assert doc["incomplete"]["professionals_1_6m"] == {
        "status": "部分未报送",
        "missing_departments": ["区教委", "区卫计委", "区农委"],
        "pending": [],
    }
    assert doc["cadres_by_county"]["和田县"] == {"党政干部": "未报送", "专业技术人才": 2}
    assert doc["cadres_by_county"]["察右前旗"] == {"党政干部": "未报送", "专业技术人才": 1}
    # Funds owed by 区财政局 and 各镇街, both sent: complete, 120 万元.
    assert m["extra_funds_wan"] == 120.0 and "extra_funds_wan" not in doc["incomplete"]


def test_targets_are_judged_only_on_complete_data(raw):
    result = ingest_folder(raw)
    table = targets.progress(result.tables, parse_period("2020Q2"), result.supplied).set_index(["目标", "范围"])
    party = table.loc[("其中党政干部", "全区")]
    assert party["状态"] == "无数据" and party["说明"] == ""  # nobody owing sent: no figure, not 落后
    pros = table.loc[("其中专业技术人才", "全区")]
    # 3 of 92, half due by June: behind on the data sent, but three owing departments did not send.
    assert pros["完成值"] == 3 and pros["状态"] == "待核"
    assert pros["说明"] == "部分未报送（区教委、区卫计委、区农委）"
    total = table.loc[("选派党政干部和专业技术人才", "全区")]
    assert total["状态"] == "待核" and "区委组织部" in total["说明"]
    funds = table.loc[("东西部扶贫协作携手奔小康资金", "全区")]
    assert funds["状态"] == "逾期未完成"  # complete data: judged (120 of 7,600 due by Q1)


def test_coverage_rules():
    """The rules on their own: sent by an owing department, by another one, by nobody."""
    q2 = parse_period("2020Q2")
    sub = coverage.Submissions(
        {"cadres"}, {"cadres": frozenset({"区人保局"})}, {("cadres", "专业技术人才"): frozenset({"区人保局"})}
    )
    assert coverage.coverage(sub, ["cadres:党政干部"], q2) == coverage.Coverage(False, ("区委组织部",))
    assert coverage.coverage(sub, ["cadres:党政干部"], q2).shown(0) == "未报送"
    pros = coverage.coverage(sub, ["cadres:专业技术人才"], q2)
    assert pros.sent and pros.missing == ("区教委", "区卫计委", "区农委") and pros.shown(3) == 3
    assert pros.note == "部分未报送（区教委、区卫计委、区农委）"
    # 党政干部 rows sent by a department that does not owe them still count (with the owing one missing).
    other = coverage.Submissions(
        {"cadres"}, {"cadres": frozenset({"区人保局"})}, {("cadres", "党政干部"): frozenset({"区人保局"})}
    )
    assert coverage.coverage(other, ["cadres:党政干部"], q2) == coverage.Coverage(True, ("区委组织部",))
    # A year without a plan: no one owes anything; sent is sent.
    assert coverage.coverage(sub, ["cadres:党政干部"], parse_period("2021Q2")).complete is False
    assert coverage.coverage(sub, ["cadres"], parse_period("2021Q2")).complete is True
    # A plain set of ledgers (no departments known): sent or not.
    assert coverage.coverage({"funds"}, ["funds"], q2).complete


def test_from_the_command_line(raw, tmp_path):
    """metrics (JSON and table) and score --own-from-ledgers: item 7.3 (0.1 off per cadre off a
    poverty post) reads 数据不全, never the full 1.5 points on data nobody sent."""
    as_json = run("metrics", "--period", "2020Q2", "--raw", raw, "--json", cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["metrics"]["cadres_off_poverty_posts"] == "未报送"
    table = run("metrics", "--period", "2020Q2", "--raw", raw, cwd=tmp_path)
    assert table.returncode == 0 and "Traceback" not in table.stderr, table.stderr
    assert "部分未报送（区教委、区卫计委、区农委）" in table.stdout
    peers = write_table(tmp_path / "peers.csv", full_rows())
    scored = run(
        "score", "--peers", peers, "--own-from-ledgers", "--raw", raw, "--period", "2020Q2", "--json", cwd=tmp_path
    )
    assert scored.returncode == 0, scored.stderr
    item = json.loads(scored.stdout)["districts"]["大兴区"]["items"]["7.3"]
    assert item["value"] is None and item["points"] == 0
    assert item["incomplete"] == "区委组织部未报送" and item["points_at_risk"] == 1.5
    shown = run("score", "--peers", peers, "--own-from-ledgers", "--raw", raw, "--period", "2020Q2", cwd=tmp_path)
    assert shown.returncode == 0 and "数据不全" in shown.stdout, shown.stderr
