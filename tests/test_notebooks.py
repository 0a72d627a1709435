"""The notebooks: committed without outputs, and executed through papermill on a small
sample folder as part of the tests (the report batch end to end)."""

import json
import os
import re

import nbformat
import pytest

from fupin_lib import config
from fupin_lib.periods import parse_period
from fupin_lib.privacy import personal_names, scan_file
from fupin_lib.reports.batch import ReportError, run_reports

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
    assert len(re.findall(r'<img[^>]+src="data:image/png;base64,', text)) >= 3   # the charts
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", text)      # works offline
    assert "import fupin_lib" not in text and "reporting.load_period" not in text   # no code cells
    nb = nbformat.read(record / "quarterly_report.ipynb", as_version=4)
    meta = nb.metadata["fupin"]
    assert meta["period"] == "2020Q2" and len(meta["inputs"]) == len(list(sample_raw.rglob("*.xlsx")))
    # Relative paths only: the record reads the same on any machine and reveals no home folder.
    assert meta["parameters"]["raw_dir"] == os.path.relpath(sample_raw.resolve(), config.NOTEBOOKS_DIR)
    text = (record / "quarterly_report.ipynb").read_text(encoding="utf-8")
    for absolute in (sample_raw.resolve(), config.PROJECT_ROOT, tmp_path):   # (as the tail of ../../x, fine)
        assert not re.search(r"(?<![.\w])" + re.escape(str(absolute)), text), absolute
    from fupin_lib.ingest import ingest_folder
    names = personal_names(ingest_folder(sample_raw).tables)
    assert names
    for path in made + list(record.iterdir()):          # html, pdf, xlsx and the record
        assert scan_file(path, names) == [], path.name
    assert {p.suffix for p in made} == {".html", ".pdf", ".xlsx", ".docx"}
    # A second run on unchanged inputs keeps the reports as they are (the same files, untouched).
    stamps = {p: p.stat().st_mtime_ns for p in made if p.suffix != ".xlsx"}
    again = run_reports(parse_period("2020Q2"), raw_dir=sample_raw, out_dir=out)
    assert set(again) == set(made)
    assert all(p.stat().st_mtime_ns == t for p, t in stamps.items())


def test_failed_notebook_keeps_previous_report(sample_raw, tmp_path, monkeypatch):
    out = tmp_path / "reports"
    (out / "2020Q2").mkdir(parents=True)
    previous = out / "2020Q2" / "quarterly_report.html"
    previous.write_text("上一次的报告", encoding="utf-8")
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
    assert (tmp_path / "failed" / "2020Q2" / "quarterly_report.ipynb").exists()
    assert sorted(p.name for p in out.iterdir()) == ["2020Q2", "index.html", "运行记录"]   # no staging or unchecked file
    assert [p.name for p in (out / "运行记录" / "2020Q2").iterdir()] == ["manifest.json"]  # the workbook's record
    assert not (tmp_path / ".fupin-staging").exists()            # the staging folder is gone too


def test_explore_notebook_runs(sample_raw, tmp_path):
    import papermill as pm

    from fupin_lib.reports.batch import kernel_name

    pm.execute_notebook(str(config.NOTEBOOKS_DIR / "explore.ipynb"), str(tmp_path / "explore.out.ipynb"),
                        parameters={"raw_dir": str(sample_raw)}, kernel_name=kernel_name(),
                        cwd=str(config.NOTEBOOKS_DIR), progress_bar=False)
    out = nbformat.read(tmp_path / "explore.out.ipynb", as_version=4)
    assert not [o for c in out.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def test_half_year_batch(report_batch):
    out, made = report_batch
    names = {p.name for p in made if p.parent.name == "2020H1"}
    assert {"half_year_report.html", "half_year_report.pdf", "assessment_score.pdf", "进展情况表_2020H1.xlsx"} <= names
    text = (out / "2020H1" / "half_year_report.html").read_text(encoding="utf-8")
    assert "上半年工作总结" in text and "各责任部门目标完成情况" in text and "分结对地区情况" in text
