"""Issue 22, done when: each everyday one-liner, run in the fupin kernel on the shipped sample,
gives what this test works out from the raw sample workbooks (data/raw) with plain pandas: the
ledgers' reading rules (ledgers.md) applied by hand here, without fupin_lib.

- cadres in post on 2020-06-30 by category (that day only; dispatched: 30 days or more);
- funds by quarter, each quarter its own window, all five sources;
- the canteen ratio by quarter (each quarter its own window);
- persons benefited by route in 2020Q2, each person once within a route;
- find_person of a sample ID typed with a lowercase x and a space;
- a to_excel round trip with Chinese headers;
- a sql count equal to load()'s length.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from fupin_lib import config

RAW = config.RAW_DIR
pytestmark = pytest.mark.skipif(
    not config.SAMPLE_MANIFEST.exists(), reason="the one-liners run on the shipped sample in data/raw"
)

ONE_LINERS = r"""
import json, fupin_lib
from fupin_lib.figures import cadres, consumption, funds
t = fupin_lib.load_all()
out = {}
out["cadres"] = cadres.counts_by_county(t["cadres"], "2020-06-30", ytd=False).loc["合计"].to_dict()
out["cadres_window"] = cadres.counts_by_county(t["cadres"], "2020-06-30", ytd=False).attrs["口径"]
out["funds"] = funds.funds_by_quarter(t["funds"], "2020", sources="all").round(2).to_dict(orient="index")
s = fupin_lib.series(consumption.canteen_overall, "2020Q1:2020Q4", ytd=False)
out["canteen"] = s[s["item"] == "overall_ratio"].set_index("period")["value"].to_dict()
out["routes"] = funds.benefit_by_route(t["beneficiaries"], "2020年第二季度")["惠及贫困人口（人）"].to_dict()
rows = fupin_lib.find_person(TYPED, reason="测试：核对一个示例身份证号")
out["person"] = sorted([f, sh, int(r), n, i] for f, sh, r, n, i in rows[["来源文件", "工作表", "行号", "姓名", "身份证号"]].values)
path = fupin_lib.to_excel(consumption.canteen_ratios(t["canteen"], "2020Q2"), EXPORT)
out["export"] = str(path)
out["sql"] = {k: int(fupin_lib.sql(f"select count(*) as n from {k}")["n"].item()) for k in ("cadres", "beneficiaries", "funds")}
out["load"] = {k: len(fupin_lib.load(k)) for k in ("cadres", "beneficiaries", "funds")}
print(json.dumps(out, ensure_ascii=False, default=str))
"""


# --- the raw sample, read by hand ----------------------------------------------------------


def _key(text) -> str:
    """A header as written, without spaces, line breaks and the bracketed unit."""
    return re.sub(r"[（(].*?[）)]", "", re.sub(r"\s+", "", str(text)))


def sheets(pattern: str):
    """(relative file, sheet, header row index, frame) of every sheet of the files matching
    pattern, where the header is the first row holding a known header word."""
    for path in sorted(RAW.rglob("*.xlsx")):
        if not re.search(pattern, path.name):
            continue
        for name, frame in pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=object).items():
            for i in range(min(10, len(frame))):
                cells = [_key(v) for v in frame.iloc[i]]
                if {"身份证号", "资金来源", "单位名称"} & set(cells):
                    yield str(path.relative_to(RAW)), name, i, frame
                    break


def columns(frame: pd.DataFrame, header: int) -> dict[str, int]:
    return {_key(v): j for j, v in enumerate(frame.iloc[header]) if not pd.isna(v)}


def unit_of(frame: pd.DataFrame, header: int, column: int) -> float:
    """万元 per unit of an amount column: 元 -> 1/10000 (the header says 元); 万元 or nothing -> 1."""
    text = str(frame.iloc[header, column])
    return 1e-4 if re.search(r"[（(](人民币)?元[）)]", text) else 1.0


def date(value):
    """A date as departments write it: a datetime, an Excel serial, 2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    if isinstance(value, datetime):
        return pd.Timestamp(value).normalize()
    if isinstance(value, (int, float)):
        return pd.Timestamp(datetime(1899, 12, 30) + timedelta(days=int(value)))
    text = re.sub(r"[年月/.]", "-", str(value).strip()).rstrip("日")
    return pd.Timestamp(text.split(" ")[0])


def amount(value, per_unit: float) -> float | None:
    """万元 from a cell: 1,907.44 / 12万 / 3,400元 / a number in the column's unit."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, (int, float)):
        return float(value) * per_unit
    text = str(value).replace(",", "").replace("，", "").strip()
    if text.endswith("万元") or text.endswith("万"):
        return float(text.rstrip("元").rstrip("万"))
    if text.endswith("元"):
        return float(text[:-1]) / 10000
    return float(text) * per_unit


def valid_id(text: str) -> bool:
    """GB 11643: 18 characters, a real birth date, the check digit."""
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", text):
        return False
    try:
        datetime(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(text, weights)) % 11] == text[17]


def normal_id(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return re.sub(r"\s+", "", str(value)).upper()


AREAS = ("察右前旗", "察哈尔右翼前旗", "正镶白旗", "苏尼特右旗", "苏右旗", "和田县", "224团", "二二四团")


def by_hand_cadres_on(day: pd.Timestamp) -> dict[str, int]:
    """Persons in post on `day`, dispatched (tenure >= 30 days: end date, or the day when open,
    minus start, plus one), counted once each, by category."""
    kept: dict[str, tuple[int, str]] = {}
    for _file, _sheet, h, frame in sheets("挂职干部台账|专业技术人才台账"):
        col = columns(frame, h)
        for row in frame.iloc[h + 1 :].itertuples(index=False):
            start, end = date(row[col["开始日期"]]), date(row[col["结束日期"]])
            if start is None or start > day or (end is not None and end < day):
                continue
            tenure = ((end or day) - start).days + 1
            ident = normal_id(row[col["身份证号"]]) or f"{row[col['姓名']]}|{row[col['派出单位']]}"
            if tenure >= 30 and tenure > kept.get(ident, (0, ""))[0]:
                kept[ident] = (tenure, row[col["人员类别"]])
    counts = {"党政干部": 0, "专业技术人才": 0}
    for _tenure, category in kept.values():
        counts[category] += 1
    return counts


def by_hand_funds() -> dict[str, dict[str, float]]:
    """万元 paid per quarter (by 拨付日期) and source. 区财政局 resent its ledger for 2020Q2
    (data/raw/2020Q2/): that round replaces the earlier file. The 合计 row and negative amounts
    (rejected) are left out."""
    files = [s for s in sheets("资金台账")]
    resent = {Path(f).name.split("_")[0] for f, *_ in files if Path(f).parent.name == "2020Q2"}
    sums: dict[str, dict[str, float]] = {}
    for file, _sheet, h, frame in files:
        if Path(file).name.split("_")[0] in resent and Path(file).parent.name != "2020Q2":
            continue
        col = columns(frame, h)
        per_unit = unit_of(frame, h, col["金额"])
        for row in frame.iloc[h + 1 :].itertuples(index=False):
            if str(row[0]).strip() in ("合计", "小计") or pd.isna(row[col["资金来源"]]):
                continue
            money, paid = amount(row[col["金额"]], per_unit), date(row[col["拨付日期"]])
            if money is None or money < 0 or paid is None or paid.year != 2020:
                continue
            quarter = f"2020Q{(paid.month - 1) // 3 + 1}"
            sums.setdefault(quarter, {}).setdefault(row[col["资金来源"]], 0.0)
            sums[quarter][row[col["资金来源"]]] += money
    return sums


def by_hand_canteen() -> dict[str, float]:
    """Per quarter: Σ 扶贫产品采购额 / Σ 食材采购总额 over the units' rows of that quarter (a row whose
    poverty purchases exceed its food purchases is rejected)."""
    food: dict[str, float] = {}
    poor: dict[str, float] = {}
    for _file, _sheet, h, frame in sheets("食堂采购台账"):
        col = columns(frame, h)
        poverty_col = col.get("其中扶贫产品采购额", col.get("扶贫产品采购额"))
        for row in frame.iloc[h + 1 :].itertuples(index=False):
            if pd.isna(row[col["单位名称"]]):
                continue
            q = re.search(r"([1-4一二三四])", str(row[col["季度"]])[4:]).group(1)
            quarter = "2020Q" + str("一二三四".index(q) + 1 if q in "一二三四" else q)
            total, products = amount(row[col["食材采购总额"]], 1.0), amount(row[poverty_col], 1.0)
            if products > total:
                continue
            food[quarter] = food.get(quarter, 0.0) + total
            poor[quarter] = poor.get(quarter, 0.0) + products
    return {q: poor[q] / food[q] for q in sorted(food)}


def by_hand_routes(start: str, end: str) -> dict[str, int]:
    """Distinct valid ID numbers per 受益途径, benefited (受益日期) from start to end, in a paired area."""
    persons: dict[str, set[str]] = {}
    for _file, _sheet, h, frame in sheets("贫困人口受益台账"):
        col = columns(frame, h)
        for row in frame.iloc[h + 1 :].itertuples(index=False):
            ident, route = normal_id(row[col["身份证号"]]), row[col["受益途径"]]
            if not valid_id(ident) or pd.isna(route) or not any(a in str(row[col["结对地区"]]) for a in AREAS):
                continue
            when = date(row[col["受益日期"]])
            if when is not None and pd.Timestamp(start) <= when <= pd.Timestamp(end):
                persons.setdefault(route, set()).add(ident)
    return {route: len(ids) for route, ids in persons.items()}


def a_sample_id_with_x() -> tuple[str, list[list]]:
    """The first valid sample ID ending in X that appears in two rows or more, and every raw row
    where it appears: [file, sheet, Excel row, name, ID]."""
    where: dict[str, list[list]] = {}
    for file, sheet, h, frame in sheets("台账"):
        col = columns(frame, h)
        if "身份证号" not in col:
            continue
        for i in range(h + 1, len(frame)):
            ident = normal_id(frame.iloc[i, col["身份证号"]])
            if ident.endswith("X") and valid_id(ident):
                where.setdefault(ident, []).append(
                    [file, sheet, i + 1, frame.iloc[i, col["姓名"]], frame.iloc[i, col["身份证号"]]]
                )
    ident = next(k for k, rows in where.items() if len(rows) >= 2)
    return ident, sorted(where[ident])


# --- the one-liners in the kernel ----------------------------------------------------------


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    """The one-liners run in a fresh fupin kernel, their results as JSON."""
    from nbclient import NotebookClient

    tmp = tmp_path_factory.mktemp("oneliners")
    ident, _rows = a_sample_id_with_x()
    typed = ident[:6] + " " + ident[6:-1] + "x"  # a space, and a lowercase x
    code = ONE_LINERS.replace("TYPED", repr(typed)).replace("EXPORT", repr(str(tmp / "采购比例.xlsx")))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    env = {"FUPIN_ACCESS_LOG": str(tmp / "查询记录.csv")}
    import os

    NotebookClient(nb, kernel_name=config.KERNEL_NAME, timeout=600, resources={"metadata": {"path": str(tmp)}}).execute(
        env={**os.environ, **env}
    )
    outputs = nb.cells[0].outputs
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors[0]["evalue"] if errors else ""
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stdout")
    return json.loads(text.strip().splitlines()[-1]), tmp


def test_cadres_in_post_on_a_day_by_category(ran):
    out, _ = ran
    hand = by_hand_cadres_on(pd.Timestamp("2020-06-30"))
    assert {k: out["cadres"][k] for k in hand} == hand
    assert out["cadres"]["合计"] == sum(hand.values())
    assert out["cadres_window"] == "当日（2020年6月30日）"


def test_funds_by_quarter_each_its_own_window_all_five_sources(ran):
    out, _ = ran
    hand = by_hand_funds()
    sources = ["区级财政", "区直部门", "街道乡镇", "村集体", "社会捐赠"]
    for quarter in ("2020Q1", "2020Q2", "2020Q3", "2020Q4"):
        got = out["funds"][quarter]
        assert [got[s] for s in sources] == pytest.approx(
            [round(hand.get(quarter, {}).get(s, 0.0), 2) for s in sources]
        ), quarter
        assert got["合计"] == pytest.approx(round(sum(hand.get(quarter, {}).values()), 2), abs=0.011)
    assert any(out["funds"][q]["村集体"] > 0 for q in out["funds"]) and any(
        out["funds"][q]["社会捐赠"] > 0 for q in out["funds"]
    )


def test_canteen_ratio_by_quarter(ran):
    out, _ = ran
    hand = by_hand_canteen()
    assert sorted(out["canteen"]) == sorted(hand) == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
    for quarter, ratio in hand.items():
        assert out["canteen"][quarter] == pytest.approx(ratio, rel=1e-9), quarter


def test_persons_benefited_by_route_each_person_once(ran):
    out, _ = ran
    hand = by_hand_routes("2020-01-01", "2020-06-30")
    assert {k: v for k, v in out["routes"].items() if v} == hand


def test_find_person_with_a_lowercase_x_and_a_space(ran):
    out, tmp = ran
    ident, rows = a_sample_id_with_x()
    assert out["person"] == [[f, s, r, n, i] for f, s, r, n, i in rows]
    log = (tmp / "查询记录.csv").read_text(encoding="utf-8-sig")
    assert ident not in log and "测试：核对一个示例身份证号" in log and ident[-4:] in log


def test_to_excel_round_trip_with_chinese_headers(ran):
    out, _ = ran
    back = pd.read_excel(out["export"], engine="calamine")
    assert back.columns.tolist() == [
        "单位名称",
        "单位类型",
        "食材采购总额（万元）",
        "其中扶贫产品采购额（万元）",
        "报送季度数",
        "扶贫产品采购比例",
        "低于目标",
    ]
    # The 2020Q2 ratios (year to date: Q1 and Q2), by hand for the first unit listed.
    first = back.iloc[0]
    assert first["扶贫产品采购比例"] == pytest.approx(
        first["其中扶贫产品采购额（万元）"] / first["食材采购总额（万元）"]
    )
    assert (
        set(back["低于目标"]) <= {"是", "否"}
        and (back["低于目标"] == "是").sum() == (back["扶贫产品采购比例"] < 0.3).sum()
    )


def test_sql_count_is_loads_length(ran):
    out, _ = ran
    assert out["sql"] == out["load"]
    assert out["load"]["funds"] == 80  # 51 rows of 区财政局's second round - 1 rejected + 30 of 各镇街


def readme_one_liners() -> list[str]:
    """The code of every row of the README's table of everyday one-liners."""
    readme = (config.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### 日常问题，一行一个") : readme.index("- **期间**")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    return [code for row in rows for code in re.findall(r"`([^`]+)`", row.split("|")[2]) if "..." not in code]


def test_the_readmes_one_liners_run(tmp_path, monkeypatch):
    """Each one-liner the README shows runs as written (in the set-up the README gives)."""
    import warnings

    import fupin_lib
    from fupin_lib.figures import cadres, consumption, funds

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FUPIN_ACCESS_LOG", str(tmp_path / "查询记录.csv"))
    t = fupin_lib.load_all()
    space = {
        "fupin_lib": fupin_lib,
        "t": t,
        "cadres": cadres,
        "consumption": consumption,
        "funds": funds,
        "表": funds.funds_by_quarter(t["funds"], "2020", sources="all"),
    }
    codes = readme_one_liners()
    assert len(codes) >= 10 and any("find_person" in c for c in codes) and any("sql" in c for c in codes)
    for code in codes:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = eval(code, space)
        assert got is not None, code
    assert (tmp_path / "资金.xlsx").exists()
    assert "find_person" in (tmp_path / "查询记录.csv").read_text(encoding="utf-8-sig")


def test_cli_takes_the_written_forms():
    """fupin metrics reads 2020年第二季度 as 2020Q2 and a day as the year to that day; a report is
    never made for a day (exit 2, said in Chinese)."""
    import subprocess
    import sys

    fupin = str(Path(sys.executable).parent / "fupin")

    def metrics(period: str) -> dict:
        proc = subprocess.run(
            [fupin, "metrics", "--period", period, "--json"], capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    q2, written, day = metrics("2020Q2"), metrics("2020年第二季度"), metrics("2020-06-30")
    assert written == q2
    assert day["window"] == ["2020-01-01", "2020-06-30"] and day["metrics"] == q2["metrics"]
    proc = subprocess.run([fupin, "report", "--period", "2020-06-30"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "不按某一天" in proc.stderr and "Traceback" not in proc.stderr
