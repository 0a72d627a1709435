"""Issue 13: every clean table loads and explains itself: tables(), load(), load_all() and
describe() over one catalog (ledgers.yml) and the store the reports read; the data dictionary
page is what the code generates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import fupin_lib
from fupin_lib import catalog, config
from fupin_lib.ingest import ingest_folder
from fupin_lib.ledgers import ledger_specs

FUPIN = Path(sys.executable).parent / "fupin"


def check_described(name: str, table: pd.DataFrame) -> None:
    """describe(name) is the table: the same columns in the same order, with their dtypes."""
    d = fupin_lib.describe(name)
    assert d["列"].tolist() == table.columns.tolist(), name
    assert d["数据类型"].tolist() == [str(t) for t in table.dtypes], name
    assert d[["中文名", "类型", "必填", "个人信息", "来源台账"]].ne("").all().all(), name


def test_every_table_with_the_defaults():
    """The default path: the project's data/raw and its store data/processed."""
    listed = fupin_lib.tables()
    every = fupin_lib.load_all()
    assert listed.index.tolist() == list(every) == list(ledger_specs()) and len(every) == 21
    for name, table in every.items():
        check_described(name, table)
        assert listed.loc[name, "行数"] == len(table) == len(fupin_lib.load(name))
        assert listed.loc[name, "列数"] == len(fupin_lib.describe(name))
        assert listed.loc[name, "说明"] and listed.loc[name, "台账"] == ledger_specs()[name].sheet
        pd.testing.assert_frame_equal(fupin_lib.load(name), table)


def test_every_table_of_another_folder_and_of_none(sample_raw, tmp_path):
    every = fupin_lib.load_all(sample_raw)
    for name, table in every.items():
        check_described(name, table)
    assert fupin_lib.tables(sample_raw)["行数"].tolist() == [len(t) for t in every.values()]
    empty = ingest_folder(tmp_path).tables  # no ledger at all: the same columns, typed
    for name, table in empty.items():
        assert len(table) == 0
        check_described(name, table)
    assert fupin_lib.tables(raw_dir=None)["行数"].isna().all()


def test_described_by_hand():
    funds = fupin_lib.describe("funds").set_index("列")
    assert funds.loc["amount_wan", ["中文名", "类型", "单位", "必填", "来源表头"]].tolist() == [
        "金额（万元）",
        "金额",
        "万元",
        "是",
        "金额（万元）、金额",
    ]
    assert funds.loc["source", "可选值"] == "区级财政、区直部门、街道乡镇、村集体、社会捐赠"
    assert funds.loc["paid_date", "数据类型"] == "datetime64[ns]"
    assert funds.loc["_row", ["中文名", "数据类型"]].tolist() == ["来源行号", "int64"]
    trainings = fupin_lib.describe("trainings").set_index("列")
    assert trainings.loc["trainees", ["单位", "数据类型"]].tolist() == ["人", "Int64"]
    assert trainings.loc["audience", "可选值"] == "党政干部、专业技术人才、贫困劳动力、致富带头人"
    cadres = fupin_lib.describe("cadres").set_index("列")
    assert cadres.loc["person_key", ["个人信息", "必填", "来源表头"]].tolist() == [
        "加密散列（不可还原）",
        "是",
        "身份证号",
    ]
    assert "姓名、派出单位" in cadres.loc["person_key", "说明"]  # cadres without ID number
    assert cadres.loc["phone_masked", ["中文名", "个人信息"]].tolist() == ["联系电话（脱敏）", "脱敏"]
    assert cadres.loc["self_selected", "可选值"].startswith("是、否")
    beneficiaries = fupin_lib.describe("beneficiaries").set_index("列")
    assert beneficiaries.loc["person_key", "必填"] == "是" and beneficiaries.loc["name_key", "必填"] == "否"
    assert beneficiaries.loc["area", "可选值"] == "察右前旗、正镶白旗、苏尼特右旗、和田县、224团"


def test_no_personal_column_in_clear():
    for name, spec in ledger_specs().items():
        d = fupin_lib.describe(name).set_index("列")
        for col in spec.columns:
            if col.personal:
                assert col.name not in d.index
                replaced = d[(d["来源表头"].str.split("、").str[0] == col.header) & (d["个人信息"] != "否")]
                assert sorted(replaced["个人信息"]) == ["加密散列（不可还原）", "脱敏"], (name, col.name)
        assert fupin_lib.tables(raw_dir=None).loc[name, "个人信息列"] == "、".join(d.index[d["个人信息"] != "否"])


def test_unknown_table_is_a_message():
    with pytest.raises(KeyError, match="没有名为“cadre”的数据表"):
        fupin_lib.load("cadre")
    with pytest.raises(KeyError, match="可选：meetings、visits"):
        fupin_lib.describe("cadre")


def test_committed_dictionary_is_generated(tmp_path):
    page = config.PROJECT_ROOT / "docs" / "数据字典.md"
    assert page.read_text(encoding="utf-8") == catalog.dictionary_markdown(), "运行 fupin dictionary 重新生成"
    out = tmp_path / "字典.md"
    proc = subprocess.run([str(FUPIN), "dictionary", "--out", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0 and out.read_text(encoding="utf-8") == page.read_text(encoding="utf-8")
    text = page.read_text(encoding="utf-8")
    assert text.count("\n## ") == 22  # the overview and 21 tables
    for name, spec in ledger_specs().items():
        assert f"## {name}：{spec.sheet}" in text
        assert all(f"| {c} |" in text for c in fupin_lib.describe(name)["列"])
