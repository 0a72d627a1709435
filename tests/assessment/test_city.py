"""The district's data for the city (fupin export-city) and the city's assembly of the districts'
files (fupin score --peers-dir): the same scores as the peers-table path, every district missing,
duplicated or out of range named, and every rank saying which peers table it comes from."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from fupin_lib import config
from fupin_lib.assessment.city import assemble, export_frame, write_export
from fupin_lib.assessment.peers import PeersError, read_peers

FUPIN = Path(sys.executable).parent / "fupin"


def fupin(*args, tmp: Path) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp),
        "COLUMNS": "200",
        "FUPIN_ROOT": str(tmp),
        "FUPIN_CACHE": str(tmp / "cache"),
        "FUPIN_SECRET": str(config.SECRET_FILE),
    }
    return subprocess.run([str(FUPIN), *map(str, args)], capture_output=True, text=True, env=env, cwd=tmp, timeout=600)


@pytest.fixture(scope="module")
def city(sample_raw, tmp_path_factory):
    """export-city of the sample, and the other 15 districts' files made from the sample's peers
    table (as each district's office would send them)."""
    tmp = tmp_path_factory.mktemp("city")
    folder = tmp / "各区"
    run = fupin("export-city", "--year", "2020", "--raw", sample_raw, "--out", folder, tmp=tmp)
    assert run.returncode == 0, run.stderr
    peers = sample_raw.parent / "external" / "peers_2020_示例数据.csv"
    for district, values in read_peers(peers, allow_missing=["大兴区"]).values.items():
        frame = export_frame(district, 2020, values)
        frame["来源"] = "示例数据"
        write_export(frame, folder, district, 2020)
    return tmp, folder, peers, run


def test_export_city_writes_the_districts_row(city, sample_raw):
    _tmp, folder, _peers, run = city
    xlsx, csv = folder / "大兴区_考核数据_2020.xlsx", folder / "大兴区_考核数据_2020.csv"
    assert xlsx.is_file() and csv.is_file() and str(xlsx) in run.stdout
    a = pd.read_excel(xlsx, dtype=str, engine="calamine").fillna("")
    b = pd.read_csv(csv, dtype=str, keep_default_na=False)
    assert list(a.columns) == ["区", "年度", "指标键", "指标", "数值", "单位", "来源", "制表时间"] == list(b.columns)
    keys = [k for k in pd.read_csv(config.REFERENCE_DIR / "metrics.csv")["key"] if k != "district"]
    assert list(a["指标键"]) == keys == list(b["指标键"])
    # every value as the generator worked it out for 2020 (its own records, not the code's figures)
    expected = json.loads((sample_raw.parent / "manifest.json").read_text(encoding="utf-8"))["expected"]["metrics_2020"]
    got = dict(zip(b["指标键"], b["数值"]))
    for key, value in expected.items():
        if key in got and got[key] != "":
            assert (
                float(got[key]) == pytest.approx(float(value)) if isinstance(value, (int, float)) else got[key] == value
            ), key
    row = b.set_index("指标键").loc["extra_funds_wan"]
    assert row["单位"] == "万元" and row["来源"] == "台账：资金台账"
    assert (
        b.set_index("指标键")
        .loc["professionals_1_6m", "来源"]
        .startswith("台账：挂职干部台账（专业技术人才）；部分未报送")
    )
    assert b.set_index("指标键").loc["paired_counties", "数值"] == "5"


def test_the_assembled_table_scores_as_the_peers_table_does(city, sample_raw):
    tmp, folder, peers, _run = city
    assembled = fupin("score", "--peers-dir", folder, "--all", "--json", tmp=tmp)
    today = fupin(
        "score",
        "--peers",
        peers,
        "--own-from-ledgers",
        "--raw",
        sample_raw,
        "--period",
        "2020Q4",
        "--all",
        "--json",
        tmp=tmp,
    )
    assert assembled.returncode == 0 and today.returncode == 0, assembled.stderr + today.stderr
    a, b = json.loads(assembled.stdout), json.loads(today.stdout)
    assert set(a["districts"]) == set(b["districts"]) and len(a["districts"]) == 16
    for district in a["districts"]:
        assert a["districts"][district]["total"] == b["districts"][district]["total"], district
        assert a["districts"][district]["bonus"] == b["districts"][district]["bonus"], district
        for item, got in a["districts"][district]["items"].items():
            assert got["points"] == b["districts"][district]["items"][item]["points"], (district, item)
    assert a["ranks"] == b["ranks"]
    assert a["peers_table"]["sample"] and "示例数据" in a["peers_table"]["note"]
    assert a["peers_table"]["source"].startswith("各区报送文件") and a["peers_table"]["made"]
    assert "内容相同，各按一份计" in assembled.stderr


def test_every_printed_rank_names_its_table(city, sample_raw):
    tmp, folder, peers, _run = city
    ranking = fupin("score", "--peers", peers, "--own-from-ledgers", "--raw", sample_raw, "--all", tmp=tmp)
    assert ranking.returncode == 0, ranking.stderr
    made = pd.Timestamp.fromtimestamp(peers.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    assert f"排名依据：peers_2020_示例数据.csv，{made}制表；示例数据" in ranking.stdout
    one = fupin("score", "--peers-dir", folder, tmp=tmp)
    assert one.returncode == 0, one.stderr
    assert "排第" in one.stdout and "排名依据：各区报送文件" in one.stdout and "示例数据" in one.stdout


def test_missing_duplicated_and_out_of_range_districts_are_named(city, tmp_path):
    _tmp, folder, _peers, _run = city
    work = tmp_path / "各区"
    shutil.copytree(folder, work)
    for name in ("延庆区_考核数据_2020.xlsx", "延庆区_考核数据_2020.csv", "密云区_考核数据_2020.csv"):
        (work / name).unlink()
    table = assemble(work, 2020)
    notes = "\n".join(table.notes)
    assert "缺少延庆区的报送文件" in notes and "密云区" not in notes.split("缺少")[1]
    assert table.values.get("延庆区") is None and "密云区" in table.values
    # a district sending two files with different figures: which one is meant?
    frame = pd.read_csv(work / "平谷区_考核数据_2020.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["指标键"] == "villages_paired", "数值"] = "999"
    frame.to_csv(work / "平谷区_考核数据_2020（更正）.csv", index=False, encoding="utf-8-sig")
    # a value outside its key's range (quarters: 0 to 4)
    bad = pd.read_csv(work / "通州区_考核数据_2020.csv", dtype=str, keep_default_na=False)
    bad.loc[bad["指标键"] == "quarters_leader_meeting", "数值"] = "7"
    bad.to_csv(work / "通州区_考核数据_2020.csv", index=False, encoding="utf-8-sig")
    (work / "通州区_考核数据_2020.xlsx").unlink()
    with pytest.raises(PeersError) as caught:
        assemble(work, 2020)
    text = str(caught.value)
    assert "平谷区_考核数据_2020.csv" in text and "平谷区_考核数据_2020（更正）.csv" in text and "重复报送" in text
    row = 2 + list(bad["指标键"]).index("quarters_leader_meeting")
    assert f"通州区_考核数据_2020.csv 第{row}行“数值”列" in text and "0 到 4" in text
    run = fupin("score", "--peers-dir", work, tmp=tmp_path)
    assert run.returncode == 2 and "重复报送" in run.stderr and "Traceback" not in run.stderr


def test_a_value_a_hundred_times_the_others_is_named_and_left_out(city, tmp_path):
    _tmp, folder, _peers, _run = city
    work = tmp_path / "各区"
    shutil.copytree(folder, work)
    (work / "顺义区_考核数据_2020.xlsx").unlink()
    frame = pd.read_csv(work / "顺义区_考核数据_2020.csv", dtype=str, keep_default_na=False)
    funds = frame["指标键"] == "extra_funds_wan"
    frame.loc[funds, "数值"] = str(
        float(frame.loc[funds, "数值"].iloc[0]) * 1000
    )  # a slip of three digits: over 100x the others
    frame.to_csv(work / "顺义区_考核数据_2020.csv", index=False, encoding="utf-8-sig")
    table = assemble(work, 2020)
    assert table.values["顺义区"]["extra_funds_wan"] is None
    assert any("顺义区的“区级财政额外安排资金（万元）”" in n and "超出合理范围" in n for n in table.notes)


def test_export_city_of_a_year_without_ledgers_stops(sample_raw, tmp_path):
    run = fupin("export-city", "--year", "2019", "--raw", sample_raw, "--out", tmp_path / "out", tmp=tmp_path)
    assert run.returncode == 2 and "没有2019年的台账" in run.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
