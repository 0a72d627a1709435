"""Every command and option the README lists runs here, through the installed `fupin` console
script, in each output form (a table and --json where a command has both), on the small sample:
exit 0, no traceback, and what it prints checked against the sample's known figures where a
figure is printed. A README option no test below runs fails test_readme_lists_only_what_runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fupin_lib import config
from fupin_lib.assessment.city import export_frame, write_export
from fupin_lib.pdf_reader import pdf_text
from peers_tables import full_rows, write_table

FUPIN = Path(sys.executable).parent / "fupin"
README = Path(__file__).resolve().parents[2] / "README.md"

# Each invocation: the README command it exercises, then its arguments ({raw}, {tmp}, {peers}).
RUNS = [
    ["ingest", "--raw", "{raw}", "--out", "{tmp}/out"],
    ["ingest", "--raw", "{raw}", "--out", "{tmp}/out2", "--strict"],  # rejected rows: exit 3
    ["metrics", "--period", "2020Q2", "--raw", "{raw}"],
    ["metrics", "--period", "2020Q2", "--raw", "{raw}", "--json"],
    ["metrics", "--period", "2020H1", "--raw", "{raw}", "--district", "大兴区"],
    ["score", "--peers", "{peers}"],
    ["score", "--peers", "{peers}", "--json"],
    ["score", "--peers", "{peers}", "--all", "--policy", "symmetric"],
    ["score", "--peers", "{peers}", "--all", "--json", "--policy", "zero_is_none"],
    [
        "score",
        "--peers",
        "{peers}",
        "--own-from-ledgers",
        "--raw",
        "{raw}",
        "--period",
        "2020Q2",
        "--department",
        "区人保局",
    ],
    [
        "score",
        "--peers",
        "{peers}",
        "--own-from-ledgers",
        "--raw",
        "{raw}",
        "--period",
        "2020Q2",
        "--json",
        "--department",
        "区委组织部",
    ],
    # the district's file for the city, written beside 15 districts' files; then the city's assembly
    ["export-city", "--year", "2020", "--raw", "{raw}", "--out", "{peersdir}", "--district", "大兴区"],
    ["score", "--peers-dir", "{peersdir}"],
    ["score", "--peers-dir", "{peersdir}", "--all", "--json", "--policy", "symmetric"],
    ["evidence", "--year", "2020", "--raw", "{raw}", "--out", "{tmp}/证明材料", "--district", "大兴区"],
    ["status", "--period", "2020Q2", "--raw", "{raw}", "--feedback", "{tmp}/feedback"],
    ["templates", "{tmp}/blank"],
    ["templates", "{tmp}/blank2", "--period", "2020Q2"],
    ["dictionary", "--out", "{tmp}/字典.md"],
    ["sample-data", "--out", "{tmp}/sample", "--seed", "3", "--scale", "0.02"],
    ["sample-data", "--out", "{tmp}/sample", "--seed", "3", "--scale", "0.02", "--force"],
    ["new-year", "2021"],
    ["new-year", "2022", "--from", "2020"],
    # the year's batch, then one period again: unchanged inputs are kept as they are, --force remakes them
    ["report", "--all-periods", "--year", "2020", "--raw", "{empty}", "--out", "{tmp}/reports"],
    ["report", "--period", "2020Q2", "--raw", "{empty}", "--out", "{tmp}/reports"],
    ["report", "--period", "2020Q2", "--raw", "{empty}", "--out", "{tmp}/reports", "--force", "--district", "大兴区"],
]
# Run elsewhere (minutes each): the benchmark's quick form in tests/project/test_bench.py.
ELSEWHERE = {("bench", ""), ("bench", "--quick"), ("bench", "--districts")}
EXIT = {("ingest", "--strict"): 3}


def readme_options() -> set[tuple[str, str]]:
    """(command, option) for every option the README's command table gives."""
    found = set()
    for line in README.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\| `fupin ([a-z-]+)([^`]*)`", line)
        if m:
            found.add((m.group(1), ""))
            found |= {(m.group(1), opt) for opt in re.findall(r"--[a-z-]+", m.group(2))}
    return found


def exercised() -> set[tuple[str, str]]:
    out = set(ELSEWHERE)
    for args in RUNS:
        out.add((args[0], ""))
        out |= {(args[0], a) for a in args if a.startswith("--")}
    return out


def test_readme_lists_only_what_runs():
    listed = readme_options()
    assert len(listed) > 20
    assert listed <= exercised(), sorted(listed - exercised())
    for command in {c for c, _ in listed}:
        assert command in {"bench"} or any(args[0] == command for args in RUNS)


@pytest.fixture(scope="module")
def ran(sample_raw, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("readme")
    root = tmp / "project"  # FUPIN_ROOT: new-year writes here, not into the checkout
    (root / "data").mkdir(parents=True)
    empty = tmp / "empty"
    empty.mkdir()
    peers = write_table(tmp / "peers.csv", full_rows())
    peersdir = tmp / "各区"
    for district, values in full_rows().items():
        if district != "大兴区":
            write_export(export_frame(district, 2020, values), peersdir, district, 2020)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "COLUMNS": "200",
        "FUPIN_ROOT": str(root),
        "FUPIN_CACHE": str(tmp / "cache"),
        "FUPIN_SECRET": str(config.SECRET_FILE),
    }
    results = {}
    for args in RUNS:
        filled = [a.format(raw=sample_raw, tmp=tmp, peers=peers, empty=empty, peersdir=peersdir) for a in args]
        results[tuple(args)] = subprocess.run(
            [str(FUPIN), *filled], capture_output=True, text=True, env=env, timeout=900, cwd=tmp
        )
    return results, tmp


@pytest.mark.parametrize("args", RUNS, ids=[" ".join(a[:4]) for a in RUNS])
def test_each_runs(ran, args):
    results, _tmp = ran
    run = results[tuple(args)]
    want = next((code for (c, o), code in EXIT.items() if args[0] == c and o in args), 0)
    assert run.returncode == want, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "运行出错" not in run.stderr
    if "--json" in args:
        json.loads(run.stdout)  # strict JSON
    elif args[0] in ("metrics", "score", "status", "ingest", "export-city", "evidence"):
        assert run.stdout.strip() and not run.stdout.lstrip().startswith("{")


def test_the_printed_figures(ran):
    results, tmp = ran
    table = results[("metrics", "--period", "2020Q2", "--raw", "{raw}")].stdout
    doc = json.loads(results[("metrics", "--period", "2020Q2", "--raw", "{raw}", "--json")].stdout)
    money = doc["metrics"]["extra_funds_wan"]
    assert f"{money:,.2f}" in table and "区级财政额外安排资金" in table  # the table shows the JSON's figure
    assert "食堂和工会扶贫产品采购比例" in table
    assert (tmp / "reports" / "2020Q2" / "简报_2020Q2.pdf").is_file()
    assert {p.name for p in (tmp / "reports").iterdir()} >= {"2020Q1", "2020Q2", "2020Q3", "2020Q4", "2020H1", "2020H2"}
    again = results[("report", "--period", "2020Q2", "--raw", "{empty}", "--out", "{tmp}/reports")].stdout
    forced = results[
        (
            "report",
            "--period",
            "2020Q2",
            "--raw",
            "{empty}",
            "--out",
            "{tmp}/reports",
            "--force",
            "--district",
            "大兴区",
        )
    ].stdout
    assert again.count("输入未变化") == 4 and "输入未变化" not in forced  # the brief, the table and two notebooks
    assert (tmp / "project" / "data" / "plans" / "2021" / "plan.yml").is_file()
    # the sample has no 2019: the previous year reads 无数据, keyed like the metrics
    assert set(doc["previous_year"]) == set(doc["metrics"]) == set(doc["growth"])
    assert set(doc["previous_year"].values()) == {"无数据"} and "上年同期" in table
    city = results[("score", "--peers-dir", "{peersdir}", "--all", "--json", "--policy", "symmetric")]
    assert (
        len(json.loads(city.stdout)["districts"]) == 16 and "排名依据" in json.loads(city.stdout)["peers_table"]["note"]
    )
    assert "排名依据：各区报送文件" in results[("score", "--peers-dir", "{peersdir}")].stdout
    index = tmp / "证明材料" / "2020" / "证明材料索引_2020.xlsx"
    assert index.is_file() and oct(index.stat().st_mode & 0o777) == "0o600"


def test_an_empty_folder_reads_not_sent(ran):
    """The reports of a period with no ledgers at all (the runs above on an empty folder): every
    document is made, and what was not sent reads 未报送, never 0 and never 已完成."""
    _results, tmp = ran
    folder = tmp / "reports" / "2020Q2"
    assert {
        "quarterly_report.html",
        "quarterly_report.pdf",
        "quarterly_report.docx",
        "assessment_score.pdf",
        "简报_2020Q2.pdf",
        "简报_2020Q2.docx",
        "进展情况表_2020Q2.xlsx",
    } <= {p.name for p in folder.iterdir()}
    html = (folder / "quarterly_report.html").read_text(encoding="utf-8")
    assert "<b>未报送：挂职干部台账</b>" in html and "资金台账<strong>未报送</strong>" in html
    assert "0.00 万元" not in html and "已完成" not in html.split("目标完成情况")[-1].split("数据质量")[0]
    brief = pdf_text(folder / "简报_2020Q2.pdf")
    assert "未报送" in brief and "7,600" not in brief.split("主要数字")[1].split("目标进度")[0]
