"""Benchmarks: speed and memory, measured side by side with what a user would do by hand.

`fupin bench` (or `make bench`) prints a table and writes docs/benchmarks.md. Every figure is
the median of several runs (min and max shown), each run in a fresh Python process, so that
peak memory (max RSS) is the run's own. Generated inputs are cached in .cache/bench/.
Nothing here is part of the test run; tests/project/test_bench.py runs a tiny version to keep it working.
"""

from __future__ import annotations

import json
from concurrent.futures import Executor, Future
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from importlib.metadata import version
from pathlib import Path

from fupin_lib import config, refdata

BENCH_DIR = config.CACHE_DIR / "bench"
BIN = Path(sys.executable).parent


@dataclass
class Figure:
    name: str
    seconds: list[float]
    peak_mb: list[float] = field(default_factory=list)
    parts: dict[str, list[float]] = field(default_factory=dict)  # seconds per stage, one entry a run

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def merge(self, other: Figure) -> None:
        """Add the runs of `other` (the same thing measured again) to this figure's."""
        self.seconds += other.seconds
        self.peak_mb += other.peak_mb
        for stage, seconds in other.parts.items():
            self.parts.setdefault(stage, []).extend(seconds)

    def row(self) -> str:
        peak = f"{max(self.peak_mb):,.0f}" if self.peak_mb else "—"
        return (
            f"| {self.name} | {self.median:,.2f} | {min(self.seconds):,.2f} | {max(self.seconds):,.2f} "
            f"| {peak} | {len(self.seconds)} |"
        )


_WRAPPER = """
import json, resource, time
{setup}
t0 = time.perf_counter()
{code}
seconds = time.perf_counter() - t0
# The largest of this process and its children (a workbook is read in a process of its own).
# This process's own high-water mark from /proc (VmHWM, of its own address space): Linux keeps
# ru_maxrss across exec, so RUSAGE_SELF would report the benchmark's parent if it was larger.
def _own_peak_kb():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak = max(_own_peak_kb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print("BENCH" + json.dumps({{"seconds": seconds, "peak_mb": peak}}))
"""


def _timed_python(setup: str, code: str, runs: int, name: str) -> Figure:
    """Run `code` after `setup` in a fresh interpreter, `runs` times; only `code` is timed."""
    script = _WRAPPER.format(setup=setup, code=code)
    fig = Figure(name, [])
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
        result = json.loads(out.split("BENCH", 1)[1])
        fig.seconds.append(result["seconds"])
        fig.peak_mb.append(result["peak_mb"])
    return fig


def _timed_commands(commands: list[list[str]], runs: int, name: str, stages: list[str] | None = None) -> Figure:
    """Wall time of a sequence of commands, as a user's script would run them; with `stages`
    (one label a command), also the seconds of each stage (its commands together) in `parts`."""
    fig = Figure(name, [])
    for _ in range(runs):
        t0 = time.perf_counter()
        spent: dict[str, float] = {}
        for i, cmd in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            if stages:
                spent[stages[i]] = spent.get(stages[i], 0.0) + time.perf_counter() - start
        fig.seconds.append(time.perf_counter() - t0)
        for stage, seconds in spent.items():
            fig.parts.setdefault(stage, []).append(seconds)
    return fig


# --- inputs ------------------------------------------------------------------------------


def ledger_100k(rows: int = 100_000) -> Path:
    """A 贫困人口受益台账 of `rows` rows x 15 columns (the 9 of the ledger and 6 a department adds)."""
    import numpy as np
    import openpyxl

    from fupin_lib.ingest.idcard import check_digit

    path = BENCH_DIR / f"ingest_{rows}" / "raw" / f"区经济协作办_贫困人口受益台账_{rows}.xlsx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(6)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("贫困人口受益台账")
    ws.append(
        [
            "序号",
            "姓名",
            "身份证号",
            "结对地区",
            "乡镇",
            "村",
            "受益途径",
            "受益日期",
            "是否脱贫",
            "脱贫日期",
            "户主姓名",
            "家庭人口",
            "联系电话",
            "帮扶责任人",
            "备注",
        ]
    )
    areas = ["察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团"]
    towns = {
        "察右前旗": "平地泉镇",
        "正镶白旗": "明安图镇",
        "苏尼特右旗": "朱日和镇",
        "和田县": "罕艾日克镇",
        "224团": None,
    }
    routes = ["资金项目", "产业合作", "劳务协作", "消费扶贫", "其他"]
    for i in range(rows):
        first = f"{150926 + (i % 7)}{1950 + i % 60}{1 + i % 12:02d}{1 + i % 28:02d}{i % 997:03d}"
        pid = first + check_digit(first) if rng.random() > 0.01 else first + "0"
        area = areas[i % 5]
        month, day = 1 + i % 12, 1 + i % 28
        exited = rng.random() < 0.4
        ws.append(
            [
                i + 1,
                "某某",
                pid,
                area,
                towns[area],
                f"{i % 40}村",
                routes[i % 5],
                f"2020-{month:02d}-{day:02d}",
                "是" if exited else "否",
                f"2020-{month:02d}-{day:02d}" if exited else None,
                "某某",
                int(1 + i % 6),
                "13800000000",
                "某某",
                "",
            ]
        )
    wb.save(path)
    return path


def persons_1m(rows: int = 1_000_000) -> Path:
    """A benefit list of `rows` rows: valid and invalid IDs, a person on 1 to 3 rows."""
    import numpy as np
    import pandas as pd

    from fupin_lib.ingest.idcard import WEIGHTS, CHECK_CHARS

    path = BENCH_DIR / f"persons_{rows}.csv"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    people = rows * 6 // 10
    born = rng.integers(0, 20_000, people) * np.timedelta64(1, "D") + np.datetime64("1950-01-01")
    body = np.char.add(
        np.char.add("653221", np.datetime_as_string(born).astype("U10")), rng.integers(100, 999, people).astype(str)
    )
    body = np.char.replace(body, "-", "")
    codes = np.frombuffer("".join(body).encode(), dtype=np.uint8).reshape(-1, 17) - ord("0")
    checks = np.array(list(CHECK_CHARS))[(codes @ np.array(WEIGHTS)) % 11]
    ids = np.char.add(body, checks)
    pick = rng.integers(0, people, rows)
    frame = pd.DataFrame(
        {
            "id_number": ids[pick],
            "area": np.array(["察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团"])[rng.integers(0, 5, rows)],
            "route": np.array(["资金项目", "产业合作", "劳务协作", "消费扶贫", "其他"])[rng.integers(0, 5, rows)],
            "benefit_date": "2020-05-01",
        }
    )
    bad = rng.random(rows) < 0.02
    frame.loc[bad, "id_number"] = frame.loc[bad, "id_number"].str[:17] + "Y"
    frame.to_csv(path, index=False)
    return path


# --- the comparisons -----------------------------------------------------------------------


def bench_ingest(runs: int, rows: int) -> list[Figure]:
    path = ledger_100k(rows)
    ours = _timed_python(
        "from pathlib import Path\nfrom fupin_lib.ingest import ingest_folder",
        f"r = ingest_folder(Path({str(path.parent)!r}))",
        runs,
        f"fupin 读取+校验+清洗 {rows:,} 行 x 15 列",
    )
    openpyxl = _timed_python(
        "import pandas as pd",
        f"pd.read_excel({str(path)!r}, engine='openpyxl')",
        runs,
        "pandas.read_excel(engine=openpyxl)，仅读取",
    )
    calamine = _timed_python(
        "import pandas as pd",
        f"pd.read_excel({str(path)!r}, engine='calamine')",
        runs,
        "pandas.read_excel(engine=calamine)，仅读取（参考）",
    )
    return [ours, openpyxl, calamine]


def junk_sheet(rows: int = 1_048_575) -> Path:
    """A funds ledger of three good rows above `rows` rows of junk (a column filled down to the
    sheet's last row, as a department's pasted export leaves it)."""
    import xlsxwriter

    path = BENCH_DIR / f"junk_{rows}" / "raw" / "区财政局_资金台账_2020.xlsx"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("资金台账")
    sheet.write_row(0, 0, ["项目名称", "结对地区", "资金来源", "金额（万元）", "拨付日期"])
    for r, amount in enumerate((10, 20, 30), start=1):
        sheet.write_row(r, 0, [f"项目{r}", "和田县", "区级财政", amount, "2020-04-01"])
    for r in range(4, rows + 1):
        sheet.write_row(r, 0, [f"垃圾{r}", "某某县", "x", "abc", "2020-99-99"])
    book.close()
    return path


def bench_junk(runs: int, rows: int) -> Figure:
    """Ingesting a sheet of junk rows: cut short after a part of rejected rows (issue 18)."""
    path = junk_sheet(rows)
    return _timed_python(
        "from pathlib import Path\nfrom fupin_lib.ingest import ingest_folder",
        f"r = ingest_folder(Path({str(path.parent)!r}))\nassert len(r.tables['funds']) == 3",
        runs,
        f"fupin 读取 {rows:,} 行（3 行台账，其余为无效数据，截断并计数）",
    )


def bench_persons(runs: int, rows: int) -> list[Figure]:
    path = persons_1m(rows)
    floor = _timed_python(
        "import pandas as pd", f"df = pd.read_csv({str(path)!r}, dtype=str)", runs, f"仅读取 {rows:,} 行（下限）"
    )
    ours = _timed_python(
        "import pandas as pd\nfrom fupin_lib.figures.funds import count_persons",
        f"df = pd.read_csv({str(path)!r}, dtype=str)\ntable, acc = count_persons(df)",
        runs,
        "读取 + 校验身份证号 + 去重 + 按地区和途径计人数",
    )
    return [floor, ours]


@dataclass
class Step:
    """One command line of the hand-written script: what it is, and the leader documents it makes."""

    stage: str
    command: list[str]
    makes: list[str] = field(default_factory=list)


def _library_line(code: str, stage: str, makes: list[str]) -> Step:
    """A file only the library can make, by one `python -c` command line in its own process."""
    return Step(stage, [sys.executable, "-c", code], makes)


def hand_steps(
    period: str, out: Path, raw_dir: Path = config.RAW_DIR, district: str = config.HOME_DISTRICT
) -> list[Step]:
    """The command lines a careful analyst would script without the batch to make the files the
    batch puts in reports/<period>/, in `out`: per notebook papermill (same parameters, same
    kernel and working folder as the batch), jupyter nbconvert to HTML without code, WeasyPrint
    from that HTML to PDF with the office's print stylesheet (the route before Typst; without a
    CJK font the PDF would show boxes); and one `python -c` line per file only the library makes
    (Word, the brief, the Excel table). `out/print.css` is written by `write_print_css`."""
    from fupin_lib.periods import parse_period
    from fupin_lib.reports.batch import (
        BRIEF,
        WORD_REPORTS,
        WORKBOOK,
        Job,
        _outputs,
        _parameters,
        notebooks_for,
    )
    from fupin_lib.reports.kernels import kernel_name

    p = parse_period(period)
    raw = str(Path(raw_dir).resolve())
    steps: list[Step] = []
    for name in notebooks_for(p):
        job = Job(p, name, config.NOTEBOOKS_DIR / f"{name}.ipynb")
        executed, html, pdf = (str(out / f"{name}{ext}") for ext in (".ipynb", ".html", ".pdf"))
        params = [arg for key, value in _parameters(job, Path(raw_dir), district).items() for arg in ("-p", key, value)]
        steps += [
            Step(
                "papermill",
                [
                    str(BIN / "papermill"),
                    str(job.source),
                    executed,
                    *params,
                    "-k",
                    kernel_name(),
                    "--cwd",
                    str(job.source.parent),
                ],
            ),
            Step(
                "jupyter nbconvert",
                [
                    str(BIN / "jupyter"),
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    "--HTMLExporter.language_code=zh",
                    executed,
                ],
                [Path(html).name],
            ),
            Step("weasyprint", [str(BIN / "weasyprint"), "-s", str(out / "print.css"), html, pdf], [Path(pdf).name]),
        ]
        if name in WORD_REPORTS:
            docx = f"{name}.docx"
            steps.append(
                _library_line(
                    "from fupin_lib.render import from_notebook, word; "
                    f"word.write_docx(from_notebook.document({executed!r}), {str(out / docx)!r})",
                    "python -c（Word）",
                    [docx],
                )
            )
    brief_pdf, brief_docx = _outputs(Job(p, BRIEF))
    load = (
        "from fupin_lib.reports import brief, notebook_api; "
        f"doc = brief.brief(notebook_api.load_period({raw!r}, {period!r}, {district!r}))"
    )
    steps += [
        _library_line(
            f"{load}; from fupin_lib.render import typeset; typeset.write_pdf(doc, {str(out / brief_pdf)!r})",
            "python -c（简报 PDF）",
            [brief_pdf],
        ),
        _library_line(
            f"{load}; from fupin_lib.render import word; word.write_docx(doc, {str(out / brief_docx)!r})",
            "python -c（简报 Word）",
            [brief_docx],
        ),
    ]
    (workbook,) = _outputs(Job(p, WORKBOOK))
    steps.append(
        _library_line(
            "from fupin_lib.store import load_result, input_hashes, data_version; from fupin_lib.periods import parse_period; "
            "from fupin_lib.reports.workbook import write_progress_workbook; "
            f"r = load_result({raw!r}); write_progress_workbook(r.tables, parse_period({period!r}), {str(out / workbook)!r}, "
            f"{district!r}, data_version(input_hashes({raw!r})), r.supplied)",
            "python -c（进展情况表）",
            [workbook],
        )
    )
    return steps


# The analyst's print stylesheet for WeasyPrint (the route the library took before Typst): A4,
# page numbers, the project's Chinese faces by @font-face.
PRINT_CSS = """
@font-face {{ font-family: "{print_family}"; src: url("{print_url}"); }}
@font-face {{ font-family: "{family}"; src: url("{url}"); }}
@page {{ size: A4; margin: 18mm 15mm 20mm 15mm;
        @bottom-center {{ content: "第 " counter(page) " 页，共 " counter(pages) " 页";
                          font-family: "{print_family}", "{family}"; font-size: 9pt; color: #666; }} }}
html, body, table, th, td, p, li, h1, h2, h3 {{ font-family: "{print_family}", "{family}", sans-serif; }}
body {{ max-width: none; padding: 0; font-size: 10pt; }}
table {{ width: 100%; max-width: 100%; font-size: 8.5pt; page-break-inside: auto; table-layout: auto; }}
.jp-OutputArea-output, .jp-RenderedHTMLCommon {{ width: 100%; max-width: 100%; }}
th {{ white-space: normal; }}
td, th {{ overflow-wrap: anywhere; }}
tr, img {{ page-break-inside: avoid; }}
img {{ max-width: 100%; }}
h2 {{ page-break-after: avoid; }}
"""


def write_print_css(out: Path) -> Path:
    """The analyst's print stylesheet for WeasyPrint: A4, page numbers and the project's Chinese
    faces (the stylesheet the library used before Typst)."""
    from fupin_lib.render.fonts import FAMILY, PRINT_FAMILY, print_font_path, sc_font_path

    out.mkdir(parents=True, exist_ok=True)
    path = out / "print.css"
    path.write_text(
        PRINT_CSS.format(
            family=FAMILY, url=sc_font_path().as_uri(), print_family=PRINT_FAMILY, print_url=print_font_path().as_uri()
        ),
        encoding="utf-8",
    )
    return path


@dataclass
class BatchBench:
    """The batch against the same files by hand (rows of the table), with what bounds the batch."""

    period: str
    ours: Figure  # first run: fresh output folder, empty store
    again: Figure  # run again, nothing changed
    hand: Figure  # the hand-written script, first run too
    floor: Figure  # the library computing the same figures, no documents
    documents: list[str]  # the files both sides make (reports/<period>/)
    steps: list[Step]  # the hand-written script's command lines
    stages: dict[str, float]  # the batch's stages one after another in one process (profile_batch)
    jobs: dict[str, float]  # the same run: seconds of each report job, whatever its stages
    load: tuple[float, float]  # 1-minute load average before and after the timed runs


def _cold_store(raw_dir: Path = config.RAW_DIR) -> None:
    """Make the next run ingest the ledgers again: its store is missing its manifest (the tables
    are made again and the manifest written back by whoever reads first)."""
    from fupin_lib import store

    (store.location(raw_dir) / store.MANIFEST).unlink(missing_ok=True)


def batch_documents(period: str) -> list[str]:
    """The leader documents the batch makes in reports/<period>/ (besides reports/index.html)."""
    from fupin_lib.periods import parse_period
    from fupin_lib.reports.batch import BRIEF, WORKBOOK, Job, _outputs, notebooks_for

    p = parse_period(period)
    return [f for name in (*notebooks_for(p), BRIEF, WORKBOOK) for f in _outputs(Job(p, name))]


def bench_batch(runs: int, period: str = "2020Q2") -> BatchBench:
    """The batch's first run, the hand-written script and the library's floor, each from an
    empty store (the first two into a fresh folder), taken in turns (so that a change of the
    machine's speed falls on all three); then the batch again with nothing changed, and the
    batch's stages."""
    import os

    from fupin_lib.periods import parse_period

    work = Path(tempfile.mkdtemp(prefix="fupin-bench-"))
    fupin = str(BIN / "fupin")
    steps = hand_steps(period, work / "hand")
    ours = Figure(f"批处理 fupin report --period {period}（首次运行：新的输出目录，存储为空）", [])
    hand = Figure(
        "手写脚本：逐个运行 papermill、jupyter nbconvert、weasyprint 和 python -c 命令行（首次运行，存储为空）", []
    )
    raw = str(config.RAW_DIR)
    floor = Figure("直接调用库计算同样的数字（无笔记本，下限）", [])
    floor_setup = (
        "from pathlib import Path\nfrom fupin_lib.ingest import ingest_folder\nfrom fupin_lib.periods import parse_period\n"
        "from fupin_lib.figures import registry as metrics, targets\nfrom fupin_lib.assessment import build_card"
    )
    floor_code = (
        f"r = ingest_folder(Path({raw!r}))\np = parse_period({period!r})\n"
        "m = metrics.compute_metrics(r.tables, p, r.supplied)\nt = targets.progress(r.tables, p)\n"
        f"card = build_card({str(refdata.plan(parse_period(period).year).peers_file)!r}, own=m, period={period!r})"
    )
    load_before = os.getloadavg()[0]
    # The three in turns, run after run: the machine's speed, which moves by a third from one
    # minute to the next on a shared host, falls on each alike.
    for i in range(runs):
        _cold_store()
        ours.merge(
            _timed_commands([[fupin, "report", "--period", period, "--out", str(work / f"ours{i}")]], 1, ours.name)
        )
        _cold_store()
        out = work / f"hand{i}"
        write_print_css(out)
        run_steps = hand_steps(period, out)
        hand.merge(_timed_commands([s.command for s in run_steps], 1, hand.name, stages=[s.stage for s in run_steps]))
        floor.merge(_timed_python(floor_setup, floor_code, 1, floor.name))
    again = _timed_commands(
        [[fupin, "report", "--period", period, "--out", str(work / "ours0")]], runs, "再次运行，输入未变化"
    )
    load_after = os.getloadavg()[0]
    stages, jobs = profile_batch(period, work / "profile")
    shutil.rmtree(work, ignore_errors=True)
    return BatchBench(
        period, ours, again, hand, floor, batch_documents(period), steps, stages, jobs, (load_before, load_after)
    )


# The batch's stages as the profile times them: (label, module, function). A stage's time is its
# own, without the stages it calls (the font subset is not in nbconvert's, reading the store is
# not in the brief's).
STAGES = (
    ("读取并清洗台账（存储为空时）", "fupin_lib.store", "ingest_folder"),
    ("读取存储中已清洗的表", "fupin_lib.store", "read"),
    ("papermill：启动内核、运行笔记本单元", "papermill", "execute_notebook"),
    ("nbconvert：导出 HTML", "fupin_lib.reports.batch", "export_html"),
    ("网页字体子集（WOFF）", "fupin_lib.render.html", "font_subset"),
    ("Typst：排版 PDF", "fupin_lib.render.typeset", "typeset"),
    ("python-docx：写 Word", "fupin_lib.render.word", "write_docx"),
    ("简报：计算内容", "fupin_lib.reports.brief", "brief"),
    ("进展情况表：写 Excel", "fupin_lib.reports.workbook", "write_progress_workbook"),
    ("隐私检查：读出每个文件的文字", "fupin_lib.privacy", "scan_file"),
    ("总览页 index.html", "fupin_lib.reports.overview", "write_overview"),
)
OTHER_STAGE = "其他：导入模块、写运行记录、发布文件"


class _Inline(Executor):
    """An executor that runs each job at once, in this process (so that the profile sees it);
    the rest of a pool's interface (shutdown, map, with) is the Executor's."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def submit(self, fn, *args, **kwargs):
        future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller as the pool would
            future.set_exception(exc)
        return future


def _profile_child(period: str, out: str) -> None:
    """In a fresh process: the batch's first run with every job in this process, one after the
    other, each stage timed; prints the seconds per stage as JSON."""
    import importlib

    t0 = time.perf_counter()
    spent: dict[str, float] = {}
    stack: list[float] = []

    def timed(label, fn):
        def wrapper(*args, **kwargs):
            stack.append(0.0)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                seconds = time.perf_counter() - start
                inner = stack.pop()
                spent[label] = spent.get(label, 0.0) + seconds - inner
                if stack:
                    stack[-1] += seconds

        return wrapper

    from fupin_lib.periods import parse_period
    from fupin_lib.reports import batch

    for label, module, name in STAGES:
        mod = importlib.import_module(module)
        setattr(mod, name, timed(label, getattr(mod, name)))
    jobs: dict[str, float] = {}
    run_job = batch._run_job

    def timed_job(job, *args, **kwargs):  # a report job's whole time, its stages included
        start = time.perf_counter()
        try:
            return run_job(job, *args, **kwargs)
        finally:
            jobs[job.label] = time.perf_counter() - start

    batch._run_job = timed_job
    batch.ProcessPoolExecutor = _Inline
    _cold_store()
    batch.run_reports(parse_period(period), out_dir=Path(out), console=_Quiet())
    total = time.perf_counter() - t0
    spent[OTHER_STAGE] = total - sum(spent.values())
    print("BENCH" + json.dumps({"stages": spent, "jobs": jobs}, ensure_ascii=False))


def profile_batch(period: str, out: Path) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per stage of the batch's first run (STAGES), one job after another in one fresh
    process: the work the batch has to do, whatever the cores; and the seconds of each report job."""
    code = f"from fupin_dev.bench import _profile_child; _profile_child({period!r}, {str(out)!r})"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    found = json.loads(result.split("BENCH", 1)[1])
    return found["stages"], found["jobs"]


def chain_bound(work: float, jobs: dict[str, float], cores: int) -> tuple[float, float, float]:
    """What the batch's shape allows on `cores` cores: (the work outside every report job, which
    comes before the reports (starting, reading the ledgers every report uses) or after them
    (publishing), the reports' own lower bound: the longest report or all of them spread evenly
    over the cores, whichever is longer; their sum, the least time the batch can take)."""
    outside = work - sum(jobs.values())
    reports = max(max(jobs.values(), default=0.0), sum(jobs.values()) / cores)
    return outside, reports, outside + reports


def district_folders(n: int, scale: float) -> list[Path]:
    """Sample ledgers for n districts (the generator with one seed per district)."""
    from .sample_data import generate

    folders = []
    for i in range(n):
        raw = BENCH_DIR / "districts" / f"d{i:02d}_{scale}" / "raw"
        if not raw.exists():
            generate(raw, seed=100 + i, scale=scale, manifest_path=raw.parent / "manifest.json")
        folders.append(raw)
    return folders


def bench_scale(counts: list[int], scale: float, n_quarters: int = 4) -> list[Figure]:
    """The quarterly batch for n districts x 4 quarters, one district after another, each n in a
    Python process of its own (its peak memory: the largest of that process, its report workers
    and their kernels)."""
    folders = district_folders(max(counts), scale)
    figures = []
    for n in counts:
        code = (
            "import shutil, tempfile\nfrom pathlib import Path\nfrom fupin_lib.periods import parse_period\n"
            "from fupin_lib.reports.batch import ReportError, run_reports\n"
            "class Quiet:\n    def print(self, *a, **k): pass\n"
            f"quarters = [parse_period(f'2020Q{{q}}') for q in range(1, {n_quarters} + 1)]\n"
            "work = Path(tempfile.mkdtemp(prefix='fupin-scale-'))\nfailed = 0\n"
            f"for i, raw in enumerate({[str(f) for f in folders[:n]]!r}):\n"
            "    try:\n"
            "        run_reports(quarters, raw_dir=Path(raw), out_dir=work / f'd{i:02d}', console=Quiet(), force=True, fork=True)\n"
            "    except ReportError as exc:\n"
            "        failed += str(exc).count('：') or 1\n"
            "shutil.rmtree(work, ignore_errors=True)\n"
            "assert not failed, f'{failed} 个报告失败'"
        )
        figures.append(_timed_python("", code, 1, f"季度批处理：{n} 个区 x {n_quarters} 个季度"))
    return figures


class _Quiet:
    def print(self, *args, **kwargs) -> None:
        pass


# --- the report ----------------------------------------------------------------------------


# The targets (issue 19): the batch against the hand-written command lines and against the
# library's floor, a rerun with nothing changed against the first run, reading against openpyxl.
HAND_TARGET, FLOOR_TARGET, AGAIN_TARGET, INGEST_TARGET = 3.0, 3.0, 0.10, 5.0


def _met(ok: bool) -> str:
    return "达到" if ok else "未达到"


def _ratio(a: Figure, b: Figure) -> float:
    return a.median / b.median


def _files(names: list[str]) -> str:
    """quarterly_report.html/.pdf/.docx、简报_2020Q2.pdf/.docx: a document's formats together."""
    stems: dict[str, list[str]] = {}
    for name in names:
        stem, suffix = name.rsplit(".", 1)
        stems.setdefault(stem, []).append(suffix)
    return "、".join(f"{stem}.{'/.'.join(suffixes)}" for stem, suffixes in stems.items())


def batch_lines(b: BatchBench, cores: int) -> list[str]:
    """The batch's lines of 对照与目标 and its section on stages: what each side makes and how, the
    ratio against the target, and what bounds the batch (all from the measured figures)."""
    from fupin_lib.reports.batch import MANIFEST, OVERVIEW, RECORD_DIR

    ratio, floor, again = _ratio(b.hand, b.ours), _ratio(b.ours, b.floor), _ratio(b.again, b.ours)
    commands: dict[str, int] = {}
    for step in b.steps:
        commands[step.stage] = commands.get(step.stage, 0) + 1
    library = [s for s in b.steps if s.command[0] == sys.executable]
    lines = [
        f"- 季度批处理（首次运行）：两边生成同样的 {len(b.documents)} 个文件（reports/{b.period}/ 中的 {_files(b.documents)}），"
        "都从空的存储开始（先读取并清洗台账），输出到新的目录；两边和下限（直接调用库）三者一次接一次轮流运行，"
        "方法相同（新进程，取中位数；批处理和手写脚本计整条命令的墙钟时间，下限只计库的计算，不计导入），"
        "机器速度的起伏因而同样落在三者上。",
        f"  - 批处理：`fupin report --period {b.period}`。工作进程由主进程分叉（主进程已导入的库不再导入），"
        "各自预先启动第一个笔记本的内核，同时主进程读取并清洗台账；然后各工作进程并行：每个报告笔记本用 "
        "papermill 运行，导出不含代码的 HTML（嵌入网页字体子集），由同一笔记本组装文档，用 Typst 排版 PDF、用 python-docx 写 Word；"
        "简报（PDF、Word）和进展情况表（Excel）各为一个任务；每个文件都经过隐私检查；另外写运行记录"
        f"（{RECORD_DIR}/{b.period}/ 中执行过的笔记本和 {MANIFEST}）并更新总览页 {OVERVIEW}，手写脚本不做这些。",
        "  - 手写脚本：不用批处理，逐条运行命令行（每条一个新进程）："
        + "；".join(f"{stage} {n} 次" for stage, n in commands.items())
        + "。每个笔记本用 papermill 命令行运行（参数、内核、工作目录与批处理相同），"
        "`jupyter nbconvert --to html --no-input --HTMLExporter.language_code=zh` 导出 HTML（nbconvert 默认模板，不嵌入字体），"
        "`weasyprint` 从该 HTML 生成 PDF（用办公室的打印样式表提供中文字体，否则中文显示为方框）；"
        f"只有本项目的库能生成的 {len(library)} 个文件（Word、简报 PDF 和 Word、进展情况表）"
        "各用一条 `python -c` 命令行，在自己的进程中调用库里生成该文件的函数。",
        f"  - 结果：手写脚本 {b.hand.median:,.2f} 秒，批处理 {b.ours.median:,.2f} 秒，批处理快 **{ratio:.1f} 倍**"
        f"（目标 ≥ {HAND_TARGET:g} 倍，{_met(ratio >= HAND_TARGET)}）；批处理是直接调用库计算同样数字（下限）的 "
        f"**{floor:.1f} 倍**（目标 ≤ {FLOOR_TARGET:g} 倍，{_met(floor <= FLOOR_TARGET)}）。",
        f"- 输入未变化时再次运行：用时为首次的 **{again:.0%}**（目标 ≤ {AGAIN_TARGET:.0%}，{_met(again <= AGAIN_TARGET)}）。",
    ]
    return lines


def stage_lines(b: BatchBench, cores: int) -> list[str]:
    """The section on the batch's stages and the hand script's commands, and what bounds the batch."""
    work = sum(b.stages.values())
    ranked = sorted(b.stages.items(), key=lambda kv: kv[1], reverse=True)
    lines = [
        "",
        f"## 季度批处理各阶段用时（{b.period}，首次运行）",
        "",
        "批处理的全部工作在一个进程中依次运行一次（不并行，存储为空），各阶段只计自身用时（字体子集不计入导出 HTML）：",
        "",
        "| 阶段 | 秒 | 占比 |",
        "|---|---:|---:|",
    ]
    lines += [f"| {stage} | {seconds:,.2f} | {seconds / work:.0%} |" for stage, seconds in ranked]
    lines += [
        f"| 合计 | {work:,.2f} | 100% |",
        "",
        "手写脚本各类命令（每次运行的合计，取中位数）：",
        "",
        "| 命令 | 条数 | 中位数（秒） |",
        "|---|---:|---:|",
    ]
    counts: dict[str, int] = {}
    for step in b.steps:
        counts[step.stage] = counts.get(step.stage, 0) + 1
    lines += [
        f"| {stage} | {counts.get(stage, 0)} | {statistics.median(seconds):,.2f} |"
        for stage, seconds in b.hand.parts.items()
    ]
    best = work / cores
    (top, top_s), (second, second_s) = ranked[0], ranked[1]
    ratio = _ratio(b.hand, b.ours)
    outside, reports, chain = chain_bound(work, b.jobs, cores)
    longest, longest_s = max(b.jobs.items(), key=lambda kv: kv[1]) if b.jobs else ("", 0.0)
    lines += [
        "",
        "### 限制批处理的因素",
        "",
        f"- 工作量：依次运行共 {work:,.2f} 秒，最多的是“{top}”{top_s:,.2f} 秒（{top_s / work:.0%}）和"
        f"“{second}”{second_s:,.2f} 秒（{second_s / work:.0%}）；这些手写脚本同样要做。",
        f"- 核数：本机 {cores} 核；即使全部工作平均分到各核、并行没有任何损耗，用时也不少于 {work:,.2f} / {cores} = "
        f"{best:,.2f} 秒，即比手写脚本最多快约 {b.hand.median / best:.1f} 倍。",
        f"- 先后顺序：只有各报告之间可以并行。报告之外的工作（启动和导入、读取并清洗台账：每个报告都用清洗后的表；"
        f"最后发布文件、写运行记录和总览页）共 {outside:,.2f} 秒，只能在报告之前或之后进行；"
        f"{len(b.jobs)} 个报告共 {sum(b.jobs.values()):,.2f} 秒，最长的是“{longest}”{longest_s:,.2f} 秒，"
        f"分到 {cores} 核至少要 {reports:,.2f} 秒（最长的一个和平均每核的工作量中较大的一个）。"
        f"按这一顺序估计，批处理用时约为 {outside:,.2f} + {reports:,.2f} = **{chain:,.2f} 秒**"
        f"（实际读取台账时各工作进程已在启动内核，略有重叠），即比手写脚本最多快约 **{b.hand.median / chain:.1f} 倍**。"
        f"实测 {b.ours.median:,.2f} 秒，为这一估计的 {b.ours.median / chain:.1f} 倍。",
        f"- 负载：测量开始和结束时系统 1 分钟平均负载为 {b.load[0]:.2f} 和 {b.load[1]:.2f}（{cores} 核）。"
        "机器与其他人共用时，批处理可用的核少于全部核数，并行的收益随之减少；手写脚本一次只用一个核，受影响较小。",
    ]
    need = b.hand.median / HAND_TARGET
    if ratio < HAND_TARGET and chain > need:
        lines.append(
            f"- 结论：本次未达到 {HAND_TARGET:g} 倍目标（{ratio:.1f} 倍）。限制批处理的是上面的先后顺序："
            f"报告之外必须先后进行的 {outside:,.2f} 秒，加上最长的报告“{longest}”；"
            f"要达到目标，须把这两段合计缩短到 {need:,.2f} 秒以内。"
        )
    elif ratio < HAND_TARGET:
        lines.append(
            f"- 结论：本次未达到 {HAND_TARGET:g} 倍目标（{ratio:.1f} 倍）。按先后顺序估计本可达到"
            f"（{chain:,.2f} 秒，目标要求 {need:,.2f} 秒以内）；实测多出的 {b.ours.median - chain:,.2f} 秒是并行运行本身的损耗，"
            f"估计没有计入：同一时刻运行的进程多于 {cores} 个核（读取台账时有主进程、每个台账一个读取进程、"
            "各工作进程和正在启动的内核），以及机器上其他程序的负载。限制批处理的是这部分损耗和实际可用的核数。"
        )
    return lines


def run(quick: bool = False, scale_counts: list[int] | None = None, out: Path | None = None) -> str:
    """Run every benchmark and return (and write) docs/benchmarks.md."""
    runs = 1 if quick else 3
    rows_ingest, rows_persons = (2_000, 20_000) if quick else (100_000, 1_000_000)
    counts = scale_counts or ([1] if quick else [1, 4, 16])
    ingest = bench_ingest(runs, rows_ingest)
    persons = bench_persons(runs, rows_persons)
    junk = bench_junk(runs, 20_000 if quick else 1_048_575)
    batch = None if quick else bench_batch(runs)
    scale = bench_scale(counts, 0.05, n_quarters=1) if quick else bench_scale(counts, 0.2)
    lines = [
        "# 性能基准（benchmarks）",
        "",
        f"由 `make bench`（`fupin bench`）于 {date.today().isoformat()} 生成，不属于测试。每项为多次运行的中位数"
        "（另列最小值、最大值），每次运行在新的 Python 进程中，峰值内存为该进程的最大常驻内存。",
        "",
        f"机器：{platform.platform()}，{_cores()} 核，Python {platform.python_version()}；"
        + "，".join(
            f"{p} {version(p)}"
            for p in ("pandas", "python-calamine", "openpyxl", "papermill", "nbconvert", "weasyprint")
        ),
        "",
        "| 项目 | 中位数（秒） | 最小 | 最大 | 峰值内存（MB） | 次数 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    rows = [batch.ours, batch.again, batch.hand, batch.floor] if batch else []
    lines += [f.row() for f in ingest + persons + [junk] + rows + scale]
    lines += ["", "## 对照与目标", ""]
    lines.append(
        f"- 读取台账：fupin 的完整读取、校验和清洗比 openpyxl 仅读取快 **{_ratio(ingest[1], ingest[0]):.1f} 倍**"
        f"（目标 ≥ {INGEST_TARGET:g} 倍，{_met(_ratio(ingest[1], ingest[0]) >= INGEST_TARGET)}）。"
    )
    lines.append(
        f"- 百万人员名单：校验、去重、计数用时为仅读取的 **{_ratio(persons[1], persons[0]):.2f} 倍**（目标 ≤ 3 倍），"
        f"峰值内存 {max(persons[1].peak_mb):,.0f} MB（目标 < 2048 MB）。"
    )
    lines.append(
        f"- 无效数据：读取 {junk.name.removeprefix('fupin 读取 ')}用时 {junk.median:,.1f} 秒，峰值内存 "
        f"{max(junk.peak_mb):,.0f} MB（目标 ≤ 60 秒、< 2048 MB；每个文件在自己的进程中读取，内存上限 2 GB）。"
    )
    if batch:
        lines += batch_lines(batch, _cores())
    if len(scale) > 1:
        growth = "，".join(f"{f.name}：{f.median / scale[0].median:.1f} 倍" for f in scale[1:])
        city = scale[-1]
        lines.append(
            f"- 规模：相对 1 个区，{growth}。{city.name}（全市各区的数量）用时 **{city.median / 60:,.1f} 分钟**，"
            f"峰值内存 **{max(city.peak_mb):,.0f} MB**（最大的单个进程：批处理、工作进程或内核）。"
        )
    if batch:
        lines += stage_lines(batch, _cores())
    text = "\n".join(lines) + "\n"
    target = out or (config.PROJECT_ROOT / "docs" / "benchmarks.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return text


def _cores() -> int:
    import os

    return os.cpu_count() or 1
