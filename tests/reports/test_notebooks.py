"""The notebooks: committed without outputs, and executed through papermill on a small
sample folder as part of the tests (the report batch end to end)."""

from html import unescape
import json
import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from fupin_lib import config
from fupin_lib.periods import parse_period
from fupin_lib.privacy import personal_names, scan_file
from fupin_lib.reports.batch import ReportError, run_reports
from fupin_lib.pdf_reader import pdf_text
from layout import number

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, path.name
    assert nb["metadata"]["kernelspec"]["name"] == config.KERNEL_NAME
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "one cell tagged parameters"


def test_quarterly_report_batch(sample_raw, report_batch):
    out, made = report_batch
    made = [p for p in made if p.parent.name == "2020Q2"]
    tmp_path = out.parent
    html = out / "2020Q2" / "quarterly_report.html"
    assert html in made
    # Leader folders hold leader documents only; the executed notebooks are the run's record.
    assert {p.suffix for p in (out / "2020Q2").iterdir()} == {".html", ".pdf", ".xlsx", ".docx"}
    record = out / "运行记录" / "2020Q2"
    assert {p.name for p in record.iterdir()} == {"quarterly_report.ipynb", "assessment_score.ipynb", "manifest.json"}
    text = html.read_text(encoding="utf-8")
    assert '<html lang="zh"' in text
    assert "各结对地区在岗挂职干部和专业技术人才" in text and "扶贫产品采购比例" in text
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', text)) >= 3  # the charts
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", text)  # works offline
    assert "import fupin_lib" not in text and "reporting.load_period" not in text  # no code cells
    # The data-quality section: the tracker with each ledger's round, and what the sample's
    # second round changed (区财政局 resent its funds ledger for 2020Q2 with two statuses
    # corrected: sample_data.SECOND_ROUND), in the HTML and in the PDF.
    words = re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))
    assert "各部门台账报送情况（2020年第二季度）" in words
    resent = "区财政局的资金台账按2020年第二季度报送计"
    assert resent in words and "新增0行、修改2行、删除0行" in words
    pdf = re.sub(r"[\s\u2060]+", "", pdf_text(out / "2020Q2" / "quarterly_report.pdf"))
    assert resent in pdf and "修改2行" in pdf
    nb = nbformat.read(record / "quarterly_report.ipynb", as_version=4)
    meta = nb.metadata["fupin"]
    assert meta["period"] == "2020Q2" and len(meta["inputs"]) == len(list(sample_raw.rglob("*.xlsx")))
    # Relative paths only: the record reads the same on any machine and reveals no home folder.
    assert meta["parameters"]["raw_dir"] == os.path.relpath(sample_raw.resolve(), config.NOTEBOOKS_DIR)
    text = (record / "quarterly_report.ipynb").read_text(encoding="utf-8")
    for absolute in (sample_raw.resolve(), config.PROJECT_ROOT, tmp_path):  # (as the tail of ../../x, fine)
        assert not re.search(r"(?<![.\w])" + re.escape(str(absolute)), text), absolute
    from fupin_lib.ingest import ingest_folder

    names = personal_names(ingest_folder(sample_raw).tables)
    assert names
    for path in made + list(record.iterdir()):  # html, pdf, xlsx and the record
        assert scan_file(path, names) == [], path.name
    assert {p.suffix for p in made} == {".html", ".pdf", ".xlsx", ".docx"}
    # A second run on unchanged inputs keeps the reports as they are (the same files, untouched).
    stamps = {p: p.stat().st_mtime_ns for p in made if p.suffix != ".xlsx"}
    again = run_reports(parse_period("2020Q2"), raw_dir=sample_raw, out_dir=out)
    assert set(again) == set(made)
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())


def test_failed_notebook_keeps_previous_report(sample_raw, tmp_path, monkeypatch):
    from fupin_lib import files

    out = files.claim_output_dir(tmp_path / "reports")  # a folder the product made (its marker)
    (out / "2020Q2").mkdir(parents=True)
    previous = out / "2020Q2" / "quarterly_report.html"
    previous.write_text("上一次的报告", encoding="utf-8")
    files.record_written([previous])
    broken = tmp_path / "notebooks"
    broken.mkdir()
    nb = nbformat.read(config.NOTEBOOKS_DIR / "quarterly_report.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('故意出错')"))
    nbformat.write(nb, broken / "quarterly_report.ipynb")
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", broken)
    with pytest.raises(ReportError) as err:
        run_reports(parse_period("2020Q2"), raw_dir=sample_raw, out_dir=out, failed_dir=tmp_path / "failed")
    assert "quarterly_report" in str(err.value) and "故意出错" in str(err.value)
    assert previous.read_text(encoding="utf-8") == "上一次的报告"
    kept = tmp_path / "failed" / "2020Q2" / "quarterly_report.ipynb"
    assert kept.exists() and f"出错的笔记本已保留为 {kept} 供排查" in str(err.value)  # exactly where it says
    assert sorted(p.name for p in out.iterdir()) == [
        files.OUTPUT_MARKER,
        "2020Q2",
        "index.html",
        "运行记录",
    ]  # no staging or unchecked file
    assert [p.name for p in (out / "运行记录" / "2020Q2").iterdir()] == ["manifest.json"]  # the workbook's record
    assert not (tmp_path / ".fupin-staging").exists()  # the staging folder is gone too


def run_explore(out: Path, cwd: Path, parameters: dict | None = None) -> nbformat.NotebookNode:
    """explore.ipynb executed with the project's kernel, as an analyst runs it (no parameter
    injected unless given): the executed notebook, checked for errors."""
    import papermill as pm

    from fupin_lib.reports.kernels import kernel_name

    assert kernel_name() == config.KERNEL_NAME  # the fupin kernel, not python3
    log = out.parent / "查询记录.csv"  # the lookup's access log, not the office's
    before = os.environ.get("FUPIN_ACCESS_LOG")
    os.environ["FUPIN_ACCESS_LOG"] = str(log)
    try:
        pm.execute_notebook(
            str(config.NOTEBOOKS_DIR / "explore.ipynb"),
            str(out),
            parameters=parameters or {},
            kernel_name=config.KERNEL_NAME,
            cwd=str(cwd),
            progress_bar=False,
        )
    finally:
        if before is None:
            os.environ.pop("FUPIN_ACCESS_LOG")
        else:
            os.environ["FUPIN_ACCESS_LOG"] = before
    assert "数据探索示例" in log.read_text(encoding="utf-8-sig")  # the lookup it shows was logged
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors, errors[0]["evalue"] if errors else ""
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells) or parameters
    return nb


def html_tables(html: str) -> dict[str, pd.DataFrame]:
    """The tables of an HTML text: {caption: cells as text}."""
    out = {}
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        caption = re.search(r'<span class="fupin-caption-text">(.*?)</span>', table, flags=re.S)
        table = re.sub(r"<caption>.*?</caption>", "", table, flags=re.S)
        frame = pd.read_html(StringIO(table), keep_default_na=False, thousands=None, decimal="\x00")[0]
        out[unescape(caption.group(1)).strip() if caption else ""] = frame.astype(str)
    return out


def tables_of(nb: nbformat.NotebookNode, tag: str) -> dict[str, pd.DataFrame]:
    """The tables shown by the cells with the tag."""
    return {
        caption: table
        for cell in nb.cells
        if tag in cell.metadata.get("tags", [])
        for o in cell.get("outputs", [])
        for caption, table in html_tables(o.get("data", {}).get("text/html", "")).items()
    }


def chart_words(nb: nbformat.NotebookNode) -> list[str]:
    """The plain text of each chart the notebook shows (a figure block: the picture in its HTML)."""
    from fupin_lib.render.blocks import MIME

    return [
        o["data"]["text/plain"]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.get("data", {}).get(MIME, {}).get("kind") == "figure" and "<img" in o["data"].get("text/html", "")
    ]


@pytest.fixture(scope="module")
def cli_metrics():
    """`fupin metrics --period 2020Q2 --json` on the project's data/raw: the reports' figures."""
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "fupin"), "metrics", "--period", "2020Q2", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("where", ["notebooks", "root"])
def test_explore_runs_with_its_defaults(where, tmp_path, cli_metrics):
    """From notebooks/ (JupyterLab's folder of the notebook) and from the project root, with
    the defaults: data/raw and 2020Q2. Its figures are the ones `fupin metrics` gives."""
    cwd = config.NOTEBOOKS_DIR if where == "notebooks" else config.PROJECT_ROOT
    nb = run_explore(tmp_path / "explore.ipynb", cwd)
    key = tables_of(nb, "headline")["主要指标"].set_index("指标").iloc[:, 0]
    m, by_county = cli_metrics["metrics"], cli_metrics["cadres_by_county"]
    assert number(key["在岗挂职干部和专业技术人才（人）"]) == sum(sum(v.values()) for v in by_county.values())
    assert number(key["区级财政额外安排资金（万元）"]) == round(m["extra_funds_wan"], 2)
    assert number(key["惠及贫困人口（人）"]) == m["people_benefited"]
    assert number(key["助力脱贫人口（人）"]) == m["people_exited"]
    assert number(key["消费扶贫金额（万元）"]) == round(m["product_sales_wan"], 2)
    assert number(key["食堂和工会扶贫产品采购比例"]) == round(cli_metrics["canteen"]["overall_ratio"], 3)
    county = next(iter(tables_of(nb, "cadres").values())).set_index("结对地区")
    for area, counts in by_county.items():
        assert [number(county.loc[area, c]) for c in counts] == list(counts.values()), area
    below = tables_of(nb, "canteen")["扶贫产品采购比例低于 30% 的单位"]
    assert sorted(below["单位名称"]) == cli_metrics["canteen"]["units_below_target"]
    # Issue 22: the series ends at the period's year-to-date figure; the day's count is the
    # cadres in post that day; SQL counts what load() holds; the lookup shows masked rows only.
    trend = tables_of(nb, "series")[""]
    assert trend["period_label"].iloc[-1] == "2020年第二季度" and float(trend["value"].iloc[-1]) == m["extra_funds_wan"]
    assert trend["window"].iloc[-1] == "年初至期末累计（2020年1月1日至2020年6月30日）"
    on_the_day = tables_of(nb, "as_of")["2020-06-30 当日在岗挂职干部和专业技术人才"].set_index("结对地区")
    assert on_the_day.loc["合计", "合计"] == "60"  # test_one_liners works it out from data/raw
    by_sql = tables_of(nb, "sql")[""]
    from fupin_lib.figures import cadres
    from fupin_lib.store import load_result

    in_post = cadres.enrich(load_result().tables["cadres"], "2020Q2")  # short exchanges included
    assert sum(map(int, by_sql["在岗人数"])) == len(in_post) > sum(sum(v.values()) for v in by_county.values())
    looked_up = tables_of(nb, "lookup")[""]
    assert len(looked_up) >= 1 and looked_up["姓名"].str.contains(r"\*").all()
    assert looked_up["来源文件"].str.endswith(".xlsx").all()
    assert "察右前旗" in "".join(
        o.get("text", "") for c in nb.cells if "filters" in c.metadata.get("tags", []) for o in c.outputs
    )
    # Charts speak Chinese: no English legend titles or month names.
    words = "\n".join(chart_words(nb))
    assert len(chart_words(nb)) >= 7 and "1月" in words and "人员类别" in words
    assert not re.search(r"\b(Jan|Feb|category|route|count|tenure_days|ratio)\b", words)
    # No personal data in what the analyst sees.
    from fupin_lib.store import load_result

    assert scan_file(tmp_path / "explore.ipynb", personal_names(load_result().tables)) == []


def test_explore_figures_are_the_reports(sample_raw, report_batch, tmp_path):
    """On the sample folder of the report batch: every table explore shows for 2020Q2 is the
    same, cell for cell, as in the quarterly report a leader opens."""
    out, _made = report_batch
    report = (out / "2020Q2" / "quarterly_report.html").read_text(encoding="utf-8")
    nb = run_explore(tmp_path / "explore.ipynb", config.NOTEBOOKS_DIR, {"raw_dir": str(sample_raw), "period": "2020Q2"})
    shown = {
        c: t for tag in ("headline", "cadres", "benefits", "canteen", "targets") for c, t in tables_of(nb, tag).items()
    }
    report_tables = html_tables(report)
    pairs = {
        "主要指标": "主要指标",
        "各结对地区在岗挂职干部和专业技术人才（年初至6月底，人）": "大兴区各结对地区在岗挂职干部和专业技术人才（2020年1月至6月）",
        "资金惠及贫困人口效益（年初至6月底）": "各结对地区资金惠及贫困人口效益（2020年1月至6月）",
        "扶贫产品采购比例低于 30% 的单位": "扶贫产品采购比例低于30%的预算单位食堂和工会（2020年1月至6月）",
        "2020年工作计划目标完成情况": "2020年工作计划目标完成情况",
    }
    for mine, theirs in pairs.items():
        pd.testing.assert_frame_equal(shown[mine], report_tables[theirs], obj=mine)


def test_notebooks_are_paired_with_text_files():
    """jupytext: each notebook has its py:percent twin, in step (what a diff shows)."""
    import jupytext

    assert "ipynb,py:percent" in (config.NOTEBOOKS_DIR / "jupytext.toml").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        twin = path.with_suffix(".py")
        expected = jupytext.writes(jupytext.read(path), fmt="py:percent")
        assert twin.read_text(encoding="utf-8") == expected, (
            f"{twin.name}：运行 .venv/bin/jupytext --sync notebooks/*.ipynb"
        )
    assert sorted(p.stem for p in config.NOTEBOOKS_DIR.glob("*.py")) == [p.stem for p in NOTEBOOKS]


def test_half_year_batch(report_batch):
    out, made = report_batch
    names = {p.name for p in made if p.parent.name == "2020H1"}
    assert {"half_year_report.html", "half_year_report.pdf", "assessment_score.pdf", "进展情况表_2020H1.xlsx"} <= names
    text = (out / "2020H1" / "half_year_report.html").read_text(encoding="utf-8")
    assert "上半年工作总结" in text and "各责任部门目标完成情况" in text and "分结对地区情况" in text
