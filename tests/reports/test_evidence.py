"""The evidence pack (fupin evidence): the index of all 67 items, a list per list-item whose rows
are the raw ledgers' rows (checked cell by cell against the raw workbooks) and as many as the
figure they prove (the generator's own count), 缺少 with the department to ask, owner-only, and no
name or ID number in clear anywhere else (reports, the store)."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from fupin_lib import config, refdata
from fupin_lib.assessment.rules import load_rules
from fupin_lib.evidence.lists import LISTS
from fupin_lib.evidence.pack import MARK

FUPIN = Path(sys.executable).parent / "fupin"
# list -> the manifest's count of the same persons (the generator's records, not the code's figures)
MANIFEST_FIGURE = {
    "惠及贫困人口名单": "people_benefited",
    "脱贫人口名单": "people_exited",
    "自主选派挂职干部名单": "party_cadres_self_selected",
    "未在脱贫攻坚岗位的挂职干部名单": "cadres_off_poverty_posts",
    "自主选派专业技术人才名单（1-6个月）": "professionals_1_6m",
    "自主选派专业技术人才名单（6-12个月）": "professionals_6_12m",
    "自主选派专业技术人才名单（12个月以上）": "professionals_12m_plus",
    "产业合作惠及贫困人口名单": "industry_people_benefited",
    "产业合作带动脱贫人口名单": "industry_people_exited",
    "劳务协作就业脱贫人口名单": "poor_employed",
}


def env_for(root: Path) -> dict:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(root),
        "COLUMNS": "200",
        "FUPIN_ROOT": str(root),
        "FUPIN_CACHE": str(root / "cache"),
        "FUPIN_SECRET": str(config.SECRET_FILE),
    }


@pytest.fixture(scope="module")
def pack(sample_raw, tmp_path_factory):
    root = tmp_path_factory.mktemp("evidence")
    (root / "data" / "external").mkdir(parents=True)
    shutil.copy(sample_raw.parent / "external" / "peers_2020_示例数据.csv", root / "data" / "external")
    docs = root / "data" / "证明材料" / "1.1 区级会议"
    docs.mkdir(parents=True)
    (docs / "区委常委会会议纪要.pdf").write_bytes(b"%PDF-1.4 minutes")
    (root / "data" / "证明材料" / "3.10").mkdir()
    (root / "data" / "证明材料" / "3.10" / "台账检查记录.docx").write_bytes(b"not 3.1")
    run = subprocess.run(
        [str(FUPIN), "evidence", "--year", "2020", "--raw", str(sample_raw)],
        capture_output=True,
        text=True,
        env=env_for(root),
        cwd=root,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr
    folder = root / "证明材料" / "2020"
    index = pd.read_excel(
        folder / "证明材料索引_2020.xlsx", sheet_name="证明材料索引", header=1, dtype=str, engine="calamine"
    ).fillna("")
    return root, folder, index, run


def read_list(path: Path) -> tuple[str, pd.DataFrame]:
    title = pd.read_excel(path, header=None, nrows=1, engine="calamine").iloc[0, 0]
    return title, pd.read_excel(path, header=1, dtype=str, engine="calamine").fillna("")


def test_the_index_has_every_item(pack):
    _root, folder, index, run = pack
    assert list(index["编号"]) == load_rules(refdata.plan(2020).rules_file).ids and len(index) == 67
    assert {
        "预估得分（零值为没有）",
        "预估得分（上下对称）",
        "分档",
        "责任部门",
        "证明材料（考核方案要求）",
        "已有材料",
        "缺少",
        "名单文件",
    } <= set(index.columns)
    first = pd.read_excel(folder / "证明材料索引_2020.xlsx", header=None, nrows=1, engine="calamine").iloc[0, 0]
    assert MARK in first
    row = index.set_index("编号")
    assert row.loc["1.1", "预估得分（零值为没有）"] == "3"  # 7 meetings at 1.5 each, capped at 3
    assert row.loc["4.1", "分档"] in ("显著", "较好", "一般", "不显著", "没有")
    assert "资金统计表" in row.loc["4.1", "已有材料"]
    assert "67 个考核项" in run.stdout and "内部资料 含个人信息" in run.stdout


def test_a_missing_document_reads_missing_with_its_department(pack):
    _root, folder, index, _run = pack
    row = index.set_index("编号")
    assert row.loc["1.1", "缺少"] == "" and "材料/1.1/区委常委会会议纪要.pdf" in row.loc["1.1", "已有材料"]
    assert (folder / "材料" / "1.1" / "区委常委会会议纪要.pdf").read_bytes() == b"%PDF-1.4 minutes"
    assert row.loc["3.1", "缺少"].startswith("缺少") and "台账检查记录" not in row.loc["3.1", "已有材料"]
    assert row.loc["3.10", "缺少"] == ""
    assert row.loc["7.2", "缺少"] == "缺少：办公室尚未收到本项的证明材料，请向区委组织部索取"
    assert row.loc["8.1", "缺少"].endswith("请向区人保局索取")  # the lead, as the scheme names it


def _normal(text: object) -> str:
    return re.sub(r"\s+", "", str(text)).upper()


@pytest.mark.parametrize("spec", LISTS, ids=[s.key for s in LISTS])
def test_each_list_proves_its_figure_from_the_raw_rows(pack, sample_raw, spec):
    _root, folder, index, _run = pack
    title, table = read_list(folder / "名单" / f"{spec.key}_2020.xlsx")
    assert title.startswith(f"【{MARK}】")
    expected = json.loads((sample_raw.parent / "manifest.json").read_text(encoding="utf-8"))["expected"]["metrics_2020"]
    shown = int(re.search(r"”(\d+) 一致", title).group(1))
    assert len(table) == shown
    if spec.key in MANIFEST_FIGURE:
        assert len(table) == expected[MANIFEST_FIGURE[spec.key]]
    assert list(table["序号"]) == [str(i) for i in range(1, len(table) + 1)]
    assert table["身份证号"].replace("", None).dropna().is_unique or spec.ledger == "cadres"
    # every row is the raw ledger's row it names: its name and ID number stand in that row
    books: dict[str, object] = {}
    checked = 0
    for row in table.sample(min(len(table), 60), random_state=1).itertuples(index=False):
        file, sheet, line = row.来源文件, row.工作表, int(row.行号)
        if file not in books:
            books[file] = openpyxl.load_workbook(sample_raw / file, read_only=True, data_only=True)
        cells = [
            _normal(c)
            for c in next(books[file][sheet].iter_rows(min_row=line, max_row=line, values_only=True))
            if c is not None
        ]
        if row.身份证号:
            assert _normal(row.身份证号) in cells, (file, sheet, line)
        if row.姓名:
            assert _normal(row.姓名) in cells, (file, sheet, line)
        checked += 1
    assert checked == min(len(table), 60)
    items = index.set_index("编号")
    for item in spec.items:
        assert (
            f"名单/{spec.key}_2020.xlsx" in items.loc[item, "名单文件"]
            and "一致" in items.loc[item, "名单行数与所证数字"]
        )


def test_the_pack_is_owner_only_and_ignored_by_git(pack):
    root, folder, _index, _run = pack
    for path in [root / "证明材料", folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    probe = config.PROJECT_ROOT / "证明材料" / "2020" / "证明材料索引_2020.xlsx"
    assert subprocess.run(["git", "check-ignore", "-q", str(probe)], cwd=config.PROJECT_ROOT).returncode == 0


def test_no_name_or_id_in_clear_in_the_store_or_the_reports(pack, report_batch):
    root, folder, _index, _run = pack
    ids, names = set(), set()
    for spec in LISTS:
        _title, table = read_list(folder / "名单" / f"{spec.key}_2020.xlsx")
        ids |= {v for v in table["身份证号"] if v}
        names |= {v for v in table["姓名"] if len(v) >= 3}
    assert len(ids) > 300 and len(names) > 50
    id_re = re.compile(r"\d{17}[\dXx]")
    texts = []
    for path in (root / "cache").rglob("*.parquet"):  # the store the evidence command used
        for col in pd.read_parquet(path).select_dtypes(include=object).columns:
            texts.append(" ".join(map(str, pd.read_parquet(path, columns=[col])[col].dropna())))
    reports, _made = report_batch
    for path in reports.rglob("*"):
        if path.suffix in (".html", ".md", ".json", ".csv"):
            texts.append(path.read_text(encoding="utf-8", errors="ignore"))
        elif path.suffix in (".xlsx", ".docx"):
            with zipfile.ZipFile(path) as z:
                texts += [z.read(n).decode("utf-8", "ignore") for n in z.namelist() if n.endswith(".xml")]
    assert texts
    text = "\n".join(texts)
    assert not (set(id_re.findall(text)) & ids)
    leaked = [n for n in names if n in text]
    assert not leaked, leaked[:5]


def test_the_pack_never_goes_into_reports(sample_raw, tmp_path):
    run = subprocess.run(
        [
            str(FUPIN),
            "evidence",
            "--year",
            "2020",
            "--raw",
            str(sample_raw),
            "--out",
            str(tmp_path / "reports" / "证明材料"),
        ],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 2 and "不能放在reports/" in run.stderr
    assert not (tmp_path / "reports" / "证明材料").exists()
