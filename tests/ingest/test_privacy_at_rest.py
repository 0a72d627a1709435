"""Issue 13: no ID number, phone number or full name in clear in the clean tables. A person is
keyed by a keyed hash (HMAC with the project's secret): every count stays the same, and the
privacy check still finds a planted name without any clear name at rest."""

from __future__ import annotations

import os
import re
import stat
import subprocess

import pandas as pd
import pytest

from fupin_lib import config, privacy, secret, store
from fupin_lib.figures import cadres, funds, labour
from fupin_lib.ingest import folder as ingest_module
from fupin_lib.ingest import ingest_folder
from fupin_lib.ledgers import ledger_specs
from fupin_lib.periods import parse_period


def clear_ingestion(raw, monkeypatch):
    """What ingestion had in memory before its last step: the tables with personal data in clear."""
    with monkeypatch.context() as m:
        m.setattr(ingest_module, "pseudonymise", lambda result: result)
        return ingest_folder(raw)


def clear_values(tables: dict[str, pd.DataFrame]) -> dict[str, set[str]]:
    """Every personal value of the clear tables, by type (names as the privacy check sees them)."""
    out: dict[str, set[str]] = {"id_card": set(), "phone": set(), "name": set()}
    for key, spec in ledger_specs().items():
        for col in spec.columns:
            if col.personal:
                values = {str(v).strip() for v in tables[key][col.name].dropna()}
                out[col.type] |= {v for v in values if privacy.is_name(v)} if col.type == "name" else values
    return out


def store_text(folder) -> list[str]:
    """Every text cell and column name of every Parquet file in a store folder."""
    cells = []
    for path in sorted(folder.glob("*.parquet")):
        frame = pd.read_parquet(path)
        cells += [str(c) for c in frame.columns]
        for col in frame.columns:
            cells += [str(v) for v in frame[col].dropna().unique()]
    return cells


def check_store(folder, clear: dict[str, set[str]]) -> None:
    cells = store_text(folder)
    assert len(list(folder.glob("*.parquet"))) == 24  # 21 tables, rejections, sheets, notices
    text = "\n".join(cells)
    # No ID, mobile or listed name: the names the check of published files looks for (乌兰 is a
    # person's name and part of 乌兰察布, a place the reference data names: not searched for).
    names = {privacy.name_key(n) for n in clear["name"] if not privacy.is_own_wording(n)}
    assert privacy.scan_text(text, names) == []
    values = set(cells)
    for kind in ("id_card", "phone", "name"):
        assert clear[kind], kind  # the data has some
        assert not values & clear[kind], kind  # none as a cell
    assert not [v for v in clear["id_card"] | clear["phone"] if v in text]  # nor inside one


def test_sample_store_holds_no_personal_data(sample_raw, tmp_path, monkeypatch):
    clear = clear_values(clear_ingestion(sample_raw, monkeypatch).tables)
    store.load_result(sample_raw, tmp_path / "store")
    check_store(tmp_path / "store", clear)


def test_project_store_holds_no_personal_data(monkeypatch):
    """data/processed as the analysts and the reports read it."""
    store.load_result(config.RAW_DIR)
    clear = clear_values(clear_ingestion(config.RAW_DIR, monkeypatch).tables)
    check_store(config.PROCESSED_DIR, clear)


def test_columns_replaced(sample_raw):
    t = ingest_folder(sample_raw).tables
    assert {"name", "id_number", "phone"}.isdisjoint(t["cadres"].columns)
    assert {"name_key", "name_masked", "person_key", "id_number_masked", "phone_key", "phone_masked"} <= set(
        t["cadres"].columns
    )
    assert {"leader_key", "leader_masked"} <= set(t["visits"].columns) and "leader" not in t["awards"].columns
    ids = t["beneficiaries"]["id_number_masked"]
    assert ids.str.fullmatch(r"[1-9]\d{5}\*{8}\d{3}[\dX]").all()
    assert t["cadres"]["phone_masked"].dropna().str.fullmatch(r"1\d{2}\*{4}\d{4}").all()
    names = t["beneficiaries"]["name_masked"].dropna()
    assert names.str.fullmatch(r".\*+").all()
    assert t["beneficiaries"]["person_key"].str.fullmatch(r"[0-9a-f]{24}").all()


def test_every_count_is_the_count_of_clear_ids(sample_raw, monkeypatch):
    """Distinct persons by hand from the clear ID numbers equal the figures on the keys."""
    clear = clear_ingestion(sample_raw, monkeypatch).tables
    keyed = ingest_folder(sample_raw).tables
    for code in ("2020Q1", "2020Q2", "2020H1", "2020"):
        p = parse_period(code)
        ben = clear["beneficiaries"]
        in_window = ben[p.mask(ben["benefit_date"])]
        out = ben[ben["exited"].eq(True) & p.mask(ben["exit_date"])]
        assert funds.people_counts(keyed["beneficiaries"], p) == {
            "people_benefited": in_window["id_number"].nunique(),
            "people_exited": out["id_number"].nunique(),
            "industry_people_benefited": in_window.loc[in_window["route"] == "产业合作", "id_number"].nunique(),
            "industry_people_exited": out.loc[out["route"] == "产业合作", "id_number"].nunique(),
        }
        emp = clear["employed"]
        hired = emp[p.mask(emp["employed_date"]) & emp["registered_poor"].eq(True)]
        assert labour.employment_metrics(keyed["employed"], p) == {"poor_employed": hired["id_number"].nunique()}
        cad = clear["cadres"]
        start, end = p.window()
        on = cad[(cad["start_date"] <= end) & (cad["end_date"].isna() | (cad["end_date"] >= start))]
        person = on["id_number"].where(on["id_number"].notna(), "姓名:" + on["name"] + "|" + on["home_unit"])
        enriched = cadres.enrich(keyed["cadres"], p)
        assert len(enriched) == person.nunique()


def test_same_id_same_key_across_ledgers(tmp_path, book):
    pid = "11010519491231002X"
    raw = book(
        "区人社局_台账.xlsx",
        {
            "就业人员": [
                ["姓名", "身份证号", "结对地区", "就业地", "是否建档立卡", "就业日期"],
                ["王小明", pid, "和田县", "在京", "是", "2020-04-01"],
            ],
            "贫困人口受益台账": [
                ["姓名", "身份证号", "结对地区", "受益途径", "受益日期", "是否脱贫"],
                ["王小明", pid.lower(), "和田县", "产业合作", "2020-04-01", "否"],
            ],
            "挂职干部台账": [
                [
                    "姓名",
                    "身份证号",
                    "人员类别",
                    "派出单位",
                    "结对地区",
                    "开始日期",
                    "是否自主选派",
                    "是否脱贫攻坚岗位",
                ],
                ["李娜", "", "党政干部", "区委组织部", "和田县", "2020-03-01", "是", "是"],
                ["--", "", "党政干部", "区委组织部", "和田县", "2020-03-01", "是", "是"],
            ],
        },
    )
    t = ingest_folder(raw).tables
    assert (
        t["employed"]["person_key"].item()
        == t["beneficiaries"]["person_key"].item()
        == secret.keyed_hash("person", pid)
    )
    assert (
        t["employed"]["name_key"].item() == t["beneficiaries"]["name_key"].item() == secret.keyed_hash("name", "王小明")
    )
    assert (
        t["employed"]["id_number_masked"].item() == "110105********002X"
        and t["employed"]["name_masked"].item() == "王**"
    )
    c = t["cadres"]
    # A cadre without ID number: keyed by name and sending unit (as counted before), ID shown empty.
    assert c["person_key"].tolist() == [
        secret.keyed_hash("person", "姓名:李娜|区委组织部"),
        secret.keyed_hash("person", "姓名:--|区委组织部"),
    ]
    assert c["id_number_masked"].isna().all()
    # A placeholder is not a name: shown as written, no name key.
    assert c["name_masked"].tolist() == ["李*", "--"] and c["name_key"].isna().tolist() == [False, True]


def test_the_check_finds_names_from_the_store(sample_raw, tmp_path, monkeypatch):
    """The names the privacy check looks for, read from the store (keys only), are the names of
    the clear tables; a planted full name is still caught, masked names pass."""
    clear = clear_ingestion(sample_raw, monkeypatch).tables
    store.load_result(sample_raw, tmp_path / "store")
    at_rest = store.read(tmp_path / "store")
    from_store = privacy.personal_names(at_rest.tables)
    assert from_store == privacy.personal_names(clear) and len(from_store) > 100
    assert all(isinstance(n, privacy.NameKey) for n in from_store)
    names = sorted(clear_values(clear)["name"])
    long_name = max((n for n in names if "·" in n), key=len)  # 布沙热木·依明 and the like
    han = next(n for n in names if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) and not privacy.is_own_wording(n))
    for planted in (han, long_name):
        text = f"报告正文：受益人{planted}，已核实"
        found = privacy.scan_text(text, from_store)
        assert [f.kind for f in found] == ["姓名"] and planted not in str(found[0])
        assert at_rest.redact(f"{planted}_台账.xlsx") == privacy.mask_name(planted) + "_台账.xlsx"
    assert privacy.scan_text(f"受益人{privacy.mask_name(han)}", from_store) == []


def test_name_index_hashes_candidates_of_each_length():
    index = privacy.NameIndex({"王芳", "阿不都热合曼", "布沙热木·依明", "Anna", "--", "无"})
    assert len(index) == 4  # placeholders are not names
    text = "王芳芳、阿不都热合曼个体食堂、by Anna、布沙热木·依明"
    assert [(text[s.start : s.end], s.masked) for s in index.spans(text)] == [
        ("王芳", "王*"),
        ("阿不都热合曼", "阿*****"),
        ("Anna", "A***"),
        ("布沙热木·依明", "布******"),
    ]
    assert index.spans("王小芳 阿不都 布沙热木") == []
    assert "王芳" not in repr(vars(index))  # held as hashes only


def test_own_wording_is_exempt_as_before():
    # 于平 is in 低于平均值: not searched for; 王小明 is.
    names = privacy.personal_names({"cadres": pd.DataFrame({"name": ["于平", "王小明"]})})
    assert names == {privacy.name_key("王小明")}


# --- the secret ----------------------------------------------------------------------------------


def test_secret_file_is_private_and_kept_out_of_git():
    path = secret.ensure()
    assert path == config.SECRET_FILE and path.parent == config.PROJECT_ROOT
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=config.PROJECT_ROOT)
    assert ignored.returncode == 0
    assert len(bytes.fromhex(path.read_text().strip())) == 32


def test_missing_secret_is_made_on_first_use_with_a_message(tmp_path, monkeypatch, capsys):
    path = tmp_path / "keys" / "fupin.key"
    monkeypatch.setattr(config, "SECRET_FILE", path)
    first = secret.keyed_hash("person", "x")
    assert "已生成密钥文件" in capsys.readouterr().err and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret.keyed_hash("person", "x") == first and capsys.readouterr().err == ""
    os.chmod(path, 0o644)
    secret._key.cache_clear()
    secret.key()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # made private again


def test_bad_secret_is_a_message(tmp_path, monkeypatch):
    path = tmp_path / "fupin.key"
    path.write_text("不是密钥")
    monkeypatch.setattr(config, "SECRET_FILE", path)
    with pytest.raises(secret.SecretError, match="格式不对"):
        secret.key()


def test_new_secret_new_store_same_counts(sample_raw, tmp_path, monkeypatch):
    hashes = store.input_hashes(sample_raw)
    before = store.store_key(sample_raw, hashes)
    first = store.load_result(sample_raw, tmp_path / "store")
    monkeypatch.setattr(config, "SECRET_FILE", tmp_path / "other.key")
    assert store.store_key(sample_raw, hashes) != before
    calls = []
    monkeypatch.setattr(store, "ingest_folder", lambda d: calls.append(d) or ingest_folder(d))
    again = store.load_result(sample_raw, tmp_path / "store")
    assert calls == [sample_raw]  # made again under the new key
    a, b = first.tables["beneficiaries"], again.tables["beneficiaries"]
    assert set(a["person_key"]).isdisjoint(b["person_key"])
    p = parse_period("2020H1")
    assert funds.people_counts(a, p) == funds.people_counts(b, p)
    assert a["id_number_masked"].tolist() == b["id_number_masked"].tolist()
