"""The report batch: run the period's notebooks through papermill's Python API (in parallel,
one kernel per notebook), export HTML without code and an A4 PDF, write the Excel progress
table, check every produced file for personal data, and only then move it into
reports/<period>/.

Each report is atomic: its files are written to a staging folder and moved into place only
when all of them succeeded and passed the privacy check. A report that fails leaves the
previous one as it was; its executed notebook is kept in .cache/failed/<period>/ (outside
reports/: it was not privacy-checked), and the
other reports of the batch are still made.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import config
from .periods import Period, parse_period
from .provenance import provenance

# Which notebooks make the reports of a period (a notebook missing from notebooks/ is skipped).
QUARTERLY_NOTEBOOKS = ("quarterly_report", "assessment_score")
HALF_YEAR_NOTEBOOKS = ("half_year_report", "assessment_score")
YEAR_PERIODS = ("Q1", "Q2", "Q3", "Q4", "H1", "H2")


class ReportError(Exception):
    """A batch that did not make every report; the message is for the user (Chinese)."""


@dataclass
class Job:
    """One report: a notebook for a period, or the period's Excel progress table."""
    period: Period
    name: str
    source: Path | None = None   # the notebook to run (None for the Excel table)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    skipped: bool = False

    @property
    def label(self) -> str:
        return f"{self.period.code}/{self.name}"


def notebooks_for(period: Period) -> tuple[str, ...]:
    names = QUARTERLY_NOTEBOOKS if "Q" in period.code else HALF_YEAR_NOTEBOOKS
    return tuple(n for n in names if (config.NOTEBOOKS_DIR / f"{n}.ipynb").exists())


def all_periods(year: int) -> list[Period]:
    return [parse_period(f"{year}{p}") for p in YEAR_PERIODS]


def kernel_name() -> str:
    """The project's kernel, registered by `make setup`; else the default python3 kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    return config.KERNEL_NAME if config.KERNEL_NAME in specs else "python3"


def export_html(notebook: Path, target: Path) -> Path:
    """HTML without code cells, in Chinese (lang="zh"), with no script loaded from the network."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="fupin_report",
        extra_template_basedirs=[str(config.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.language_code = "zh"
    remove = TagRemovePreprocessor(remove_cell_tags={"remove_cell", "injected-parameters", "parameters"},
                                   remove_all_outputs_tags={"hide_output"})
    exporter.register_preprocessor(remove, enabled=True)
    nb = nbformat.read(notebook, as_version=4)
    # stderr (warnings, progress bars) is for developers, not for the report's readers.
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
    body, _resources = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb.metadata.get("title", notebook.stem)}})
    target.write_text(body, encoding="utf-8")
    return target


def _parameters(name: str, period: Period, raw_dir: Path, district: str) -> dict:
    params = {"period": period.code, "district": district, "raw_dir": str(raw_dir)}
    if name == "assessment_score":
        params["peers"] = str(config.PEERS_FILE)
    return params


def _notebook_sha(source: Path) -> str:
    import hashlib

    return hashlib.sha256(source.read_bytes()).hexdigest()[:16]


def _outputs(job: Job) -> list[str]:
    if job.name == "进展情况表":
        return [f"进展情况表_{job.period.code}.xlsx"]
    return [f"{job.name}.ipynb", f"{job.name}.html", f"{job.name}.pdf"]


def _workbook_id(job: Job, meta: dict, district: str) -> str:
    return f"fupin:{meta['code_version']}:{meta['data_version']}:{job.period.code}:{district}"


def _up_to_date(job: Job, final: Path, meta: dict, parameters: dict, district: str) -> bool:
    """True when the report in place was made from the same inputs, code, notebook and parameters."""
    if not all((final / f).exists() for f in _outputs(job)):
        return False
    try:
        if job.name == "进展情况表":
            import openpyxl

            book = openpyxl.load_workbook(final / _outputs(job)[0], read_only=True)
            return book.properties.identifier == _workbook_id(job, meta, district)
        old = nbformat.read(final / f"{job.name}.ipynb", as_version=4).metadata.get("fupin", {})
    except Exception:
        return False
    return (old.get("inputs") == meta["inputs"] and old.get("code_version") == meta["code_version"]
            and old.get("notebook_sha") == _notebook_sha(job.source) and old.get("parameters") == parameters)


def _run_notebook(job: Job, raw_dir: Path, district: str, staging: Path, meta: dict, position: int) -> list[Path]:
    import papermill as pm

    from .pdf import html_to_pdf

    output = staging / f"{job.name}.ipynb"
    parameters = _parameters(job.name, job.period, raw_dir, district)
    pm.execute_notebook(
        str(job.source), str(output), parameters=parameters,
        kernel_name=kernel_name(), cwd=str(job.source.parent), log_output=False,
        progress_bar={"desc": job.label, "position": position, "leave": True},
    )
    nb = nbformat.read(output, as_version=4)
    nb.metadata["fupin"] = {**meta, "period": job.period.code, "parameters": parameters, "notebook": job.name,
                            "notebook_sha": _notebook_sha(job.source)}
    nbformat.write(nb, output)
    html = export_html(output, staging / f"{job.name}.html")
    return [output, html, html_to_pdf(html, staging / f"{job.name}.pdf")]


def _run_workbook(job: Job, raw_dir: Path, staging: Path, district: str, meta: dict) -> list[Path]:
    from .cache import ingest_cached
    from .progress_xlsx import write_progress_workbook

    path = staging / f"进展情况表_{job.period.code}.xlsx"
    tables = ingest_cached(raw_dir).tables
    return [write_progress_workbook(tables, job.period, path, district, meta["data_version"],
                                    identifier=_workbook_id(job, meta, district))]


def _describe(exc: Exception) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"第{exc.exec_count or exc.cell_index + 1}个代码单元出错：{exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def _run_job(job: Job, position: int, raw_dir: Path, out_dir: Path, district: str, meta: dict,
             names: set[str], failed_dir: Path) -> Job:
    """Make one report in a staging folder, check it, and move it into place (in a worker process)."""
    from .privacy import scan_file

    final = out_dir / job.period.code
    started = time.monotonic()
    staging = Path(tempfile.mkdtemp(prefix=f".{job.period.code}-{job.name}-", dir=out_dir))
    try:
        if job.name == "进展情况表":
            made = _run_workbook(job, raw_dir, staging, district, meta)
        else:
            made = _run_notebook(job, raw_dir, district, staging, meta, position)
        findings = [f for path in made for f in scan_file(path, names)]
        if findings:
            raise ReportError("隐私检查未通过：" + "；".join(str(f) for f in findings[:5]))
        final.mkdir(parents=True, exist_ok=True)
        for path in made:
            os.replace(path, final / path.name)
            job.files.append(final / path.name)
    except Exception as exc:  # one report's failure must not stop the others
        job.error = _describe(exc)
        failed = failed_dir / job.period.code
        failed.mkdir(parents=True, exist_ok=True)
        for path in staging.glob("*.ipynb"):
            shutil.copy2(path, failed / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        job.seconds = time.monotonic() - started
    return job


def run_reports(period: Period | list[Period], raw_dir: Path = config.RAW_DIR, out_dir: Path = config.REPORTS_DIR,
                district: str = config.HOME_DISTRICT, notebooks: tuple[str, ...] | None = None,
                console=None, workers: int | None = None, force: bool = False,
                failed_dir: Path | None = None) -> list[Path]:
    """Make every report of the period(s); return the files in out_dir/<period>/.

    Reports run in parallel worker processes (one per core); a report whose inputs, code,
    notebook and parameters have not changed since it was made is kept as it is (force=True
    makes it again).
    """
    from .cache import code_version, ingest_cached
    from .privacy import personal_names

    say = console.print if console else print
    failed_dir = Path(failed_dir or config.FAILED_DIR)
    periods = period if isinstance(period, list) else [period]
    out_dir, raw_dir = Path(out_dir), Path(raw_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    jobs: list[Job] = []
    for p in periods:
        jobs += [Job(p, n, config.NOTEBOOKS_DIR / f"{n}.ipynb") for n in (notebooks or notebooks_for(p))]
        if notebooks is None:
            jobs.append(Job(p, "进展情况表"))
    metas = {p.code: {**provenance(p, raw_dir), "code_version": code_version()} for p in periods}
    todo = []
    for job in jobs:
        meta, final = metas[job.period.code], out_dir / job.period.code
        if not force and _up_to_date(job, final, meta, _parameters(job.name, job.period, raw_dir, district), district):
            job.files, job.skipped = [final / f for f in _outputs(job)], True
        else:
            todo.append(job)
    if todo:
        names = personal_names(ingest_cached(raw_dir).tables)   # also fills the cache for the notebooks
        n_workers = workers or min(os.cpu_count() or 1, len(todo))
        with ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(_run_job, job, i, raw_dir, out_dir, district, metas[job.period.code], names,
                                   failed_dir) for i, job in enumerate(todo)]
            made = {id(j): f.result() for j, f in zip(todo, futures)}
        jobs = [made.get(id(j), j) for j in jobs]
    done = jobs
    _summary(done, out_dir, time.monotonic() - started, say)
    failures = [j for j in done if j.error]
    if failures:
        raise ReportError("；".join(f"{j.label}：{j.error}" for j in failures)
                          + f"。出错的笔记本已保留在 {failed_dir} 供排查（未经隐私检查，勿外传），这些报告原有的文件未被覆盖")
    return [f for j in done for f in j.files]


def _summary(jobs: list[Job], out_dir: Path, seconds: float, say) -> None:
    ok = [j for j in jobs if not j.error]
    say(f"\n批处理结束：{len(ok)}/{len(jobs)} 个报告成功，总用时 {seconds:.1f} 秒，输出目录 {out_dir}")
    for j in jobs:
        if j.error:
            status = "失败：" + j.error
        elif j.skipped:
            status = "输入未变化，沿用已有报告"
        else:
            status = "、".join(f.suffix.lstrip(".") for f in j.files)
        say(f"  {j.label:<28} {j.seconds:6.1f} 秒  {status}")
