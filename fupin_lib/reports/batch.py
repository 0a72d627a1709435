"""The report batch: run the period's notebooks through papermill's Python API (in parallel,
one kernel per notebook), export HTML without code and an A4 PDF, write the Excel progress
table, check every produced file for personal data, and only then put them in place.

Where the files go:
- `reports/<period>/`: the leader documents only (HTML, PDF, Excel);
- `reports/运行记录/<period>/`: the run's provenance record: the executed notebooks (privacy-
  checked, relative paths, no stderr) and `manifest.json`, which says from what each report
  was made (a key over the inputs' hashes, the peers table, the code, reference data and
  templates, the notebook and its parameters).

Every file is made in a staging folder outside `reports/` (files.staging). A period's
successful reports are then moved into place as one set (files.publish): if any file cannot
be replaced (open in another program, read-only folder, full disk) none is, and the message
says that the previous files were kept. A report that fails leaves the previous one as it was;
its executed notebook is kept in .cache/failed/<period>/ (not privacy-checked, never
published), and the other reports of the batch are still made. A batch killed mid-way leaves
nothing half-made in `reports/`: the next run recovers and removes what it left in staging.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from rich.cells import cell_len

from .. import config, privacy, refdata
from ..files import (
    PublishError,
    claim_output_dir,
    describe_os_error,
    dumps,
    foreign,
    loads,
    publish,
    recover,
    staging,
    staging_root,
)
from ..periods import Period, parse_period
from ..store import sha256
from ..render.html import drop_stderr, export_html
from .kernels import KERNEL_STARTS, died_at_start, kernel_name
from .kernels import pool as kernel_pool
from .provenance import provenance

# Which notebooks make the reports of a period (a notebook missing from notebooks/ is skipped).
QUARTERLY_NOTEBOOKS = ("quarterly_report", "assessment_score")
HALF_YEAR_NOTEBOOKS = ("half_year_report", "assessment_score")
YEAR_PERIODS = ("Q1", "Q2", "Q3", "Q4", "H1", "H2")
WORKBOOK = "进展情况表"
BRIEF = "简报"
WORD_REPORTS = ("quarterly_report", "half_year_report")  # also as .docx, for the office to edit and forward
RECORD_DIR, MANIFEST, OVERVIEW = config.RECORD_DIR_NAME, config.RECORD_MANIFEST, config.OVERVIEW_PAGE


class ReportError(Exception):
    """A batch that did not make every report; the message is for the user (Chinese).
    `exit_code`: 4 when outputs could not be written, else 1."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Job:
    """One report: a notebook for a period, or the period's Excel progress table."""

    period: Period
    name: str
    source: Path | None = None  # the notebook to run (None for the Excel table)
    key: str = ""  # what the report is made from, hashed (see report_key)
    parameters: dict = field(default_factory=dict)  # the notebook's, fixed when the key is made
    data_version: str = ""  # the inputs' fingerprint the report is made from
    files: list[Path] = field(default_factory=list)  # final paths
    staged: list[Path] = field(default_factory=list)  # made in staging, checked, not yet in place
    seconds: float = 0.0
    damaged: list[str] = field(default_factory=list)  # files in place found damaged: made again
    error: str | None = None
    write_failed: bool = False
    skipped: bool = False
    kept: list[Path] = field(default_factory=list)  # the failed report's executed notebook, kept for checking
    prestart_next: bool = False  # its worker starts a kernel for the next notebook when this one's is done

    @property
    def label(self) -> str:
        return f"{self.period.code}/{self.name}"


def notebooks_for(period: Period) -> tuple[str, ...]:
    names = QUARTERLY_NOTEBOOKS if "Q" in period.code else HALF_YEAR_NOTEBOOKS
    return tuple(n for n in names if (config.NOTEBOOKS_DIR / f"{n}.ipynb").exists())


def all_periods(year: int) -> list[Period]:
    return [parse_period(f"{year}{p}") for p in YEAR_PERIODS]


def record_dir(out_dir: Path, period: Period) -> Path:
    return Path(out_dir) / RECORD_DIR / period.code


def _relative(path: Path, start: Path) -> str:
    return os.path.relpath(Path(path).resolve(), Path(start).resolve())


def _parameters(job: Job, raw_dir: Path, district: str) -> dict:
    """The notebook's parameters, paths relative to the notebook's folder (the kernel's working
    directory): the same on every machine and checkout."""
    where = job.source.parent if job.source else config.NOTEBOOKS_DIR
    params = {"period": job.period.code, "district": district, "raw_dir": _relative(raw_dir, where)}
    if job.name == "assessment_score":
        plan = refdata.plan(job.period.year)
        params["peers"] = _relative(plan.peers_file, where) if plan else ""
    return params


# The year-end documents (2020H2, the 全年总结) have names of their own, never the first half's.
ANNUAL_STEMS = {"half_year_report": "annual_report", "assessment_score": "assessment_score_annual"}


def output_stem(job: Job) -> str:
    """The file name (without suffix) of a notebook report's documents."""
    return ANNUAL_STEMS.get(job.name, job.name) if job.period.code.endswith("H2") else job.name


def _outputs(job: Job) -> list[str]:
    """The leader documents of a report (in reports/<period>/)."""
    if job.name == WORKBOOK:
        return [f"{WORKBOOK}_{job.period.code}.xlsx"]
    if job.name == BRIEF:
        return [f"{BRIEF}_{job.period.code}.pdf", f"{BRIEF}_{job.period.code}.docx"]
    stem = output_stem(job)
    return [f"{stem}.html", f"{stem}.pdf"] + ([f"{stem}.docx"] if job.name in WORD_REPORTS else [])


def _records(job: Job) -> list[str]:
    """The report's provenance files (in reports/运行记录/<period>/)."""
    return [] if job.name in (WORKBOOK, BRIEF) else [f"{output_stem(job)}.ipynb"]


def report_key(job: Job, meta: dict, parameters: dict) -> str:
    """Everything a report is made from, hashed: the inputs' hashes, the code with its
    reference data and templates, the notebook, its parameters, and the peers table for the
    assessment report."""
    parts = {
        "inputs": meta["inputs"],
        "code": meta["code_version"],
        "parameters": parameters,
        "notebook": sha256(job.source) if job.source else None,
    }
    if job.name == "assessment_score":
        plan = refdata.plan(job.period.year)
        parts["peers"] = sha256(plan.peers_file) if plan and plan.peers_file.exists() else "missing"
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:24]


def read_manifest(out_dir: Path, period: Period) -> dict:
    try:
        found = loads((record_dir(out_dir, period) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found = None
    if not isinstance(found, dict) or not isinstance(found.get("reports"), dict):
        return {"period": period.code, "reports": {}}
    return found


def _placed(job: Job, out_dir: Path) -> list[Path]:
    """The final paths of a report's documents and records."""
    final, record = Path(out_dir) / job.period.code, record_dir(out_dir, job.period)
    return [final / f for f in _outputs(job)] + [record / f for f in _records(job)]


def _damaged(job: Job, out_dir: Path, manifest: dict) -> list[str]:
    """The report's files in place that are not the ones published (missing, or their SHA-256
    differs from the one the manifest recorded when they were put in place)."""
    recorded = manifest.get("reports", {}).get(job.name, {}).get("sha256") or {}
    bad = []
    for path in _placed(job, out_dir):
        try:
            same = recorded.get(path.name) == sha256(path)
        except OSError:
            same = False
        if not same:
            bad.append(path.name)
    return bad


def _up_to_date(job: Job, out_dir: Path, manifest: dict) -> bool:
    """True when the report in place was made from exactly what it would be made from now, and
    its files are still the ones published (checked against their SHA-256)."""
    entry = manifest.get("reports", {}).get(job.name, {})
    if entry.get("key") != job.key:
        return False
    bad = _damaged(job, out_dir, manifest)
    job.damaged = [name for name in bad if name in (entry.get("sha256") or {})]  # said; unrecorded ones: remade quietly
    return not bad


def _record_notebook(path: Path, raw_dir: Path) -> None:
    """The executed notebook as a provenance record: no stderr, no absolute paths."""
    nb = nbformat.read(path, as_version=4)
    drop_stderr(nb)
    nb.metadata.get("papermill", {}).update(input_path=f"notebooks/{path.name}", output_path=path.name)
    text = nbformat.writes(nb)
    for absolute, shown in (
        (str(Path(raw_dir).resolve()), "<原始台账目录>"),
        (str(config.PROJECT_ROOT), "<项目目录>"),
        (str(path.parent), "."),
    ):
        # absolute paths only: not the tail of a relative one (../../tmp/…)
        text = re.sub(r"(?<![.\w])" + re.escape(json.dumps(absolute)[1:-1]), shown, text)
    path.write_text(text, encoding="utf-8")


def _run_notebook(job: Job, raw_dir: Path, district: str, work: Path, meta: dict, position: int, names) -> list[Path]:
    import papermill as pm

    from ..render import from_notebook, typeset, word

    stem = output_stem(job)
    output = work / f"{stem}.ipynb"
    parameters = job.parameters
    kernels = kernel_pool()
    for attempt in range(KERNEL_STARTS):
        # a kernel started ahead of need (reports.kernels): one clean kernel for this notebook only
        kernel = kernels.take(kernel_name(), str(job.source.parent))
        try:
            pm.execute_notebook(
                str(job.source),
                str(output),
                parameters=parameters,
                kernel_name=kernel.name,
                cwd=str(job.source.parent),
                log_output=False,
                progress_bar={"desc": job.label, "position": position, "leave": True},
                km=kernel.km,
                # written once, when the notebook ends (or fails), not at each cell's start and end:
                # forty writes of a notebook whose charts grow with every cell
                request_save_on_cell_execute=False,
            )
            break
        except Exception as exc:
            if attempt + 1 < KERNEL_STARTS and died_at_start(exc):
                continue  # a kernel that died before it answered: start another, once
            raise
        finally:
            kernel.stop()
            if job.prestart_next and attempt == 0:
                kernels.prestart(kernel.name, kernel.cwd)  # the next notebook's, while this one is exported
    nb = nbformat.read(output, as_version=4)
    from ..privacy import redact

    inputs = {redact(name, names)[0]: digest for name, digest in meta["inputs"].items()}  # file names may hold names
    nb.metadata["fupin"] = {
        **meta,
        "inputs": inputs,
        "period": job.period.code,
        "parameters": parameters,
        "notebook": job.name,
        "key": job.key,
    }
    nbformat.write(nb, output)
    _record_notebook(output, raw_dir)
    html = export_html(output, work / f"{stem}.html")
    # The PDF and Word versions are made from the same executed notebook: its blocks (render.from_notebook).
    document = from_notebook.document(output)
    made = [html, typeset.write_pdf(document, work / f"{stem}.pdf")]
    if job.name in WORD_REPORTS:
        made.append(word.write_docx(document, work / f"{stem}.docx"))
    return made + [output]


def _run_brief(job: Job, raw_dir: Path, work: Path, district: str) -> list[Path]:
    from ..render import typeset, word
    from . import brief, notebook_api

    document = brief.brief(notebook_api.load_period(raw_dir, job.period.code, district))
    pdf, docx = (work / name for name in _outputs(job))
    return [typeset.write_pdf(document, pdf), word.write_docx(document, docx)]


def _run_workbook(job: Job, raw_dir: Path, work: Path, district: str, meta: dict) -> list[Path]:
    from ..store import load_result
    from .workbook import write_progress_workbook

    path = work / f"{WORKBOOK}_{job.period.code}.xlsx"
    from ..ingest.years import year_view

    result = year_view(load_result(raw_dir), job.period.year)
    return [write_progress_workbook(result.tables, job.period, path, district, meta["data_version"], result.supplied)]


def _disk_full(exc: BaseException) -> bool:
    """A failure that is the disk being full, wherever it was raised (in the kernel too)."""
    import errno

    text = f"{getattr(exc, 'ename', '')} {getattr(exc, 'evalue', '')} {exc}"
    return (
        getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
        or "No space left on device" in text
        or "Errno 28" in text
    )


def _describe(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if _disk_full(exc):
        return "磁盘空间不足（请清理磁盘后重试），该报告未能生成"
    if isinstance(exc, PapermillExecutionError):
        return f"第{exc.exec_count or exc.cell_index + 1}个代码单元出错：{exc.ename}: {exc.evalue}"
    if isinstance(exc, OSError):
        return describe_os_error(exc)
    return f"{type(exc).__name__}: {exc}"


def _worker_init() -> None:
    """A report worker leaves Ctrl+C to the batch (which stops it and its kernels as a whole),
    and SIGTERM ends it (not the batch's own handler, which a forked worker inherits)."""
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from ..files import quiet_unraisable

    sys.unraisablehook = quiet_unraisable


def _descendants(pid: int) -> list[int]:
    """The processes started by pid, and theirs (from /proc), deepest last."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def stop_processes(pids: list[int], grace: float = 5.0) -> None:
    """Stop processes and everything they started (a worker's kernels): SIGTERM, then SIGKILL
    for whatever is still there after `grace` seconds."""
    import signal

    def send(wave, sig):
        for pid in wave:
            try:
                os.kill(pid, sig)
            except (ProcessLookupError, PermissionError):
                pass

    # The workers are frozen while what they started (kernels) goes first: neither a worker
    # whose kernel died nor a kernel whose worker died says so on the console.
    send(pids, signal.SIGSTOP)
    started = [child for pid in pids for child in _descendants(pid)]
    everyone = started + list(pids)
    for wave in (started, list(pids)):
        send(wave, signal.SIGTERM)
        if wave is not started:
            send(wave, signal.SIGCONT)
        deadline = time.monotonic() + grace / 2
        while time.monotonic() < deadline and any(_running(pid) for pid in wave):
            time.sleep(0.05)
    for pid in everyone:
        if _running(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def plan_kernels(todo: list[Job], n_workers: int) -> list[Job]:
    """The jobs in the order they are handed out: the notebooks (the longest jobs) first. A worker
    starts the kernel of the notebook it will likely run next (the one n_workers further on)
    while it exports the one before; where no notebook follows, it starts none."""
    ordered = sorted(todo, key=lambda j: j.source is None)
    notebooks = [j for j in ordered if j.source is not None]
    for i, job in enumerate(notebooks):
        job.prestart_next = i + n_workers < len(notebooks)
    return ordered


def _worker_context(fork: bool = False):
    """How the report workers start. `fork` (the command line, a process of its own whose only
    other threads are numpy's and Arrow's, which prepare for a fork): forked, so that they start
    with what it has imported already, pandas and the library, a second and more each
    (ProcessPoolExecutor forks all its workers before it starts its own thread). Otherwise (a
    test runner, a Jupyter kernel: processes with threads of their own, which may hold a lock at
    the moment of a fork, and a forked worker would wait on it for ever) spawned, as also where
    the platform cannot fork or another Python thread runs."""
    import threading

    fork = fork and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


def _warm_up(kernel: tuple[str, str] | None = None) -> None:
    """For a worker whose first job is a notebook, start its kernel (name, folder) while the main
    process reads the ledgers; and import what a report job uses (already there in a forked
    worker: the batch imported it before forking, once for every worker)."""
    if kernel:
        kernel_pool().prestart(*kernel)  # first: the kernel gets ready in its own process meanwhile
    _import_job_modules()


def _import_job_modules() -> None:
    import papermill  # noqa: F401
    import nbconvert  # noqa: F401

    from ..render import from_notebook, typeset, word  # noqa: F401
    from . import brief, notebook_api, workbook  # noqa: F401
    from ..privacy import scan_file  # noqa: F401


def _run_job(
    job: Job, position: int, raw_dir: Path, work: Path, district: str, meta: dict, names: set[str], failed_dir: Path
) -> Job:
    """Make one report in its own staging folder and check it (in a worker process)."""
    from ..privacy import NameIndex, scan_file

    started = time.monotonic()
    folder = work / job.period.code / job.name
    folder.mkdir(parents=True, exist_ok=True)
    index = NameIndex(names)
    try:
        if job.name == WORKBOOK:
            made = _run_workbook(job, raw_dir, folder, district, meta)
        elif job.name == BRIEF:
            made = _run_brief(job, raw_dir, folder, district)
        else:
            made = _run_notebook(job, raw_dir, district, folder, meta, position, index)
        findings = [f for path in made for f in scan_file(path, index)]
        if findings:
            raise ReportError("隐私检查未通过：" + "；".join(str(f) for f in findings[:5]))
        job.staged = made
    except Exception as exc:  # one report's failure must not stop the others
        job.error = _describe(exc)
        job.write_failed = isinstance(exc, OSError) or _disk_full(exc)
        failed = failed_dir / job.period.code
        try:
            failed.mkdir(parents=True, exist_ok=True)
            for path in folder.glob("*.ipynb"):
                shutil.copy2(path, failed / path.name)
                job.kept.append(failed / path.name)
        except OSError:
            pass
    finally:
        job.seconds = time.monotonic() - started
    return job


def _publish_period(
    jobs: list[Job],
    out_dir: Path,
    period: Period,
    work: Path,
    figures: dict,
    meta: dict | None = None,
    names: set[str] | None = None,
) -> None:
    """Put the period's successful reports in place as one set, with the updated manifest
    (which also records the period's headline figures, for reports/index.html)."""
    ok = [j for j in jobs if j.staged and not j.error]
    if not ok:
        return
    final, record = Path(out_dir) / period.code, record_dir(out_dir, period)
    manifest = read_manifest(out_dir, period)
    # A report that failed keeps its previous version: if that one was made from other data than
    # the new ones, putting the new ones beside it would mix two data versions in one period.
    mixed = [
        j
        for j in jobs
        if j.error
        and j.name in manifest["reports"]
        and manifest["reports"][j.name].get("data_version") != j.data_version
    ]
    if mixed:
        names = "、".join(j.name for j in mixed)
        for job in ok:
            job.error = (
                f"同期的 {names} 未能生成，其原有版本来自另一个数据版本；为免同一期的报告来自两个数据版本，"
                "本期报告均未替换，原有报告保持不变"
            )
            job.write_failed = all(j.write_failed for j in mixed)
        return
    manifest["headline"] = figures
    if meta:
        # Provenance stays here, out of the leader documents (which carry a 数据来源 line only):
        # the data version and every input file with its SHA-256.
        manifest["inputs"] = {
            "data_version": meta.get("data_version"),
            "code_version": meta.get("code_version"),
            "raw_dir": meta.get("raw_dir"),
            # file names may hold a person's name: masked as in the executed notebooks
            "files": {
                privacy.redact(name, privacy.NameIndex(names or set()))[0]: digest
                for name, digest in meta.get("inputs", {}).items()
            },
        }
    pairs, retire = [], []
    for job in ok:
        for path in job.staged:
            pairs.append((path, (record if path.suffix == ".ipynb" else final) / path.name))
        # What an earlier version put in the leader folder for this report and this one no
        # longer makes: its executed notebook (code, paths), a format since dropped.
        stale = {f"{job.name}.ipynb", *manifest["reports"].get(job.name, {}).get("documents", [])} - set(_outputs(job))
        retire += [final / name for name in sorted(stale) if Path(name).name == name]  # names, never paths
        manifest["reports"][job.name] = {
            "key": job.key,
            "documents": _outputs(job),
            "record": _records(job),
            "data_version": job.data_version,
            "sha256": {path.name: sha256(path) for path in job.staged},  # checked before the report is reused
            "made_at": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        }
    manifest_path = work / period.code / MANIFEST
    manifest_path.write_text(dumps(manifest, indent=2), encoding="utf-8")
    pairs.append((manifest_path, record / MANIFEST))
    try:
        publish(pairs, work / period.code, retire)
    except PublishError as exc:
        for job in ok:
            job.error, job.write_failed = str(exc), True
        return
    for job in ok:
        job.files = [final / f for f in _outputs(job)]


def run_reports(
    period: Period | list[Period],
    raw_dir: Path = config.RAW_DIR,
    out_dir: Path = config.REPORTS_DIR,
    district: str = config.HOME_DISTRICT,
    notebooks: tuple[str, ...] | None = None,
    console=None,
    workers: int | None = None,
    force: bool = False,
    failed_dir: Path | None = None,
    read=None,
    fork: bool = False,
) -> list[Path]:
    """Make every report of the period(s); return the leader documents in out_dir/<period>/.

    Reports run in parallel worker processes (one per core); a report whose key (see
    report_key) has not changed since it was made is kept as it is (force=True makes it again).

    `read`: how the batch reads the ledgers (default: the store, store.load_result), a function
    returning the IngestResult. It runs in this process while the workers start and their first
    kernels import the library, so the two overlap; the CLI passes its own, which also says what
    was not sent and refuses a year without ledgers (an exception from it stops the workers and
    is raised, nothing made). It runs once whether or not any report needs making.

    `fork`: start the workers by forking this process (the command line; see _worker_context).
    """
    from ..privacy import personal_names
    from ..store import load_result
    from ..render.fonts import web_font_path

    say = console.print if console else print
    failed_dir = Path(failed_dir or config.FAILED_DIR)
    periods = period if isinstance(period, list) else [period]
    out_dir, raw_dir = Path(out_dir), Path(raw_dir).resolve()
    claim_output_dir(out_dir, raw_dir)  # OutputRefused: /, a system folder, someone else's folder
    for line in recover(staging_root(out_dir)):
        say(line)
    started = time.monotonic()
    jobs: list[Job] = []
    for p in periods:
        names = notebooks_for(p) + (BRIEF, WORKBOOK) if notebooks is None else notebooks  # 简报 and 进展情况表 by name
        jobs += [Job(p, n) if n in (BRIEF, WORKBOOK) else Job(p, n, config.NOTEBOOKS_DIR / f"{n}.ipynb") for n in names]
    metas = {p.code: provenance(p, raw_dir) for p in periods}
    manifests = {p.code: read_manifest(out_dir, p) for p in periods}
    read = read or (lambda: load_result(raw_dir))
    todo = []
    for job in jobs:
        job.parameters = _parameters(job, raw_dir, district)  # the same in the key and in the run
        job.key = report_key(job, metas[job.period.code], job.parameters)
        job.data_version = metas[job.period.code]["data_version"]
        if not force and _up_to_date(job, out_dir, manifests[job.period.code]):
            job.files, job.skipped = [out_dir / job.period.code / f for f in _outputs(job)], True
        else:
            todo.append(job)
    if todo:
        # here, not above: a rerun with nothing to make does not import the charts (a second)
        from .notebook_api import load_period
        from .overview import headline_record

        _check_writable(
            [out_dir.resolve().parent, out_dir]
            + [d for p in periods for d in (out_dir / p.code, record_dir(out_dir, p))]
        )
        web_font_path()  # built once, at set-up; here only if it was removed since
        n_workers = workers or min(os.cpu_count() or 1, len(todo))
        todo = plan_kernels(todo, n_workers)
        nb_jobs = [j for j in todo if j.source is not None]
        first = (kernel_name(), str(nb_jobs[0].source.parent)) if nb_jobs else None
        # Workers stopped by Ctrl+C leave their queues' semaphores to the resource tracker: its
        # English warning about them is not for the office.
        warn = "ignore:resource_tracker:UserWarning"
        if warn not in os.environ.get("PYTHONWARNINGS", ""):
            os.environ["PYTHONWARNINGS"] = ",".join(filter(None, [os.environ.get("PYTHONWARNINGS"), warn]))
        context = _worker_context(fork)
        if context.get_start_method() == "fork":
            _import_job_modules()  # once, here, for every worker
        with staging(out_dir, "report") as work:
            pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=context, initializer=_worker_init)
            try:
                # The workers start and import their libraries while this process reads the ledgers.
                warm = [pool.submit(_warm_up, first if i < len(nb_jobs) else None) for i in range(n_workers)]
                names = personal_names(read().tables)  # also makes the store fresh for the notebooks
                for future in warm:
                    future.result()
                futures = [
                    pool.submit(_run_job, job, i, raw_dir, work, district, metas[job.period.code], names, failed_dir)
                    for i, job in enumerate(todo)
                ]
                # the periods' headline figures (for the overview page), while the workers make the reports
                headlines = {p.code: headline_record(load_period(raw_dir, p.code, district)) for p in periods}
                made = {id(j): f.result() for j, f in zip(todo, futures)}
            except BaseException:
                # Ctrl+C, SIGTERM, or a worker lost: the workers and their kernels stop with the batch.
                stop_processes(list(getattr(pool, "_processes", {}) or {}))
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            jobs = [made.get(id(j), j) for j in jobs]
            for p in periods:
                _publish_period(
                    [j for j in jobs if j.period.code == p.code and not j.skipped],
                    out_dir,
                    p,
                    work,
                    headlines[p.code],
                    metas.get(p.code),
                    names,
                )
    else:
        read()
    overview_error = _update_overview(jobs, out_dir)
    _summary(jobs, out_dir, time.monotonic() - started, say)
    failures = [j for j in jobs if j.error]
    if failures or overview_error:
        said = []
        if failures:
            notebooks = [str(path) for j in failures for path in j.kept]
            kept = (
                "出错的笔记本已保留为 " + "、".join(notebooks) + " 供排查（未经隐私检查，勿外传）；"
                if notebooks
                else ""
            )
            said.append("；".join(f"{j.label}：{j.error}" for j in failures) + f"。{kept}这些报告原有的文件未被覆盖")
        if overview_error:
            said.append(f"总览页 {OVERVIEW} 未能更新：{overview_error}")
        raise ReportError("；".join(said), exit_code=4 if all(j.write_failed for j in failures) else 1)
    return [f for j in jobs for f in j.files]


def _check_writable(folders: list[Path]) -> None:
    """Refuse at once, before a minute of notebooks, a folder the set could not be put into
    (read-only, no permission): said in Chinese, exit 4, nothing touched. A file that cannot be
    replaced (locked, immutable) is still found when the set is put in place (publish)."""
    for folder in folders:
        if not folder.is_dir():
            continue
        try:
            fd, probe = tempfile.mkstemp(prefix=".fupin-probe-", dir=folder)
        except OSError as exc:
            said = describe_os_error(OSError(exc.errno, exc.strerror, str(folder)))
            raise ReportError(f"{said}。本次未生成报告，原有文件保持不变", exit_code=4) from None
        os.close(fd)
        os.unlink(probe)


def _update_overview(jobs: list[Job], out_dir: Path) -> str | None:
    """Write reports/index.html when this run published something (or when it is missing and
    there is something to show); returns what went wrong writing it (Chinese), else None."""
    from .overview import has_records, write_overview

    published = any(j.files and not j.skipped for j in jobs)
    if not published and ((Path(out_dir) / OVERVIEW).exists() or not has_records(out_dir)):
        return None
    if foreign(Path(out_dir) / OVERVIEW):
        return f"{Path(out_dir) / OVERVIEW} 不是本程序生成的文件，为免覆盖未写入总览页：请移走该文件后重试"
    try:
        write_overview(out_dir)
    except OSError as exc:
        return describe_os_error(exc)
    from ..files import record_written

    try:
        record_written([Path(out_dir) / OVERVIEW])
    except OSError:
        pass
    return None


LABEL_CELLS = 30  # terminal cells of the summary's first column


def _summary(jobs: list[Job], out_dir: Path, seconds: float, say) -> None:
    ok = [j for j in jobs if not j.error]
    say(f"\n批处理结束：{len(ok)}/{len(jobs)} 个报告成功，总用时 {seconds:.1f} 秒，输出目录 {out_dir}")
    for j in jobs:
        if j.error:
            status = "失败：" + j.error
        elif j.skipped:
            status = "输入未变化，沿用已有报告（已核对文件未被改动）"
        else:
            status = "、".join(f.suffix.lstrip(".") for f in j.files)
            if j.damaged:
                status += f"（原有的 {'、'.join(j.damaged)} 已损坏或被改动，已重新生成）"
        pad = " " * max(0, LABEL_CELLS - cell_len(j.label))  # Chinese characters take two cells
        say(f"  {j.label}{pad} {j.seconds:6.1f} 秒  {status}")
    if (Path(out_dir) / OVERVIEW).exists():
        say(f"  总览页（各期报告和主要指标）：{Path(out_dir) / OVERVIEW}")
