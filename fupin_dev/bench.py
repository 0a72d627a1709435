"""Benchmarks: speed and memory, measured side by side with what a user would do by hand.

`fupin bench` (or `make bench`) prints a table and writes docs/benchmarks.md. Every figure is
the median of several runs (min and max shown), each run in a fresh Python process, so that
peak memory (max RSS) is the run's own. Generated inputs are cached in .cache/bench/.
Nothing here is part of the test run; tests/test_bench.py runs a tiny version to keep it working.
"""

from __future__ import annotations

import json
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

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def row(self) -> str:
        peak = f"{max(self.peak_mb):,.0f}" if self.peak_mb else "—"
        return (f"| {self.name} | {self.median:,.2f} | {min(self.seconds):,.2f} | {max(self.seconds):,.2f} "
                f"| {peak} | {len(self.seconds)} |")


_WRAPPER = """
import json, resource, time
{setup}
t0 = time.perf_counter()
{code}
seconds = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
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


def _timed_commands(commands: list[list[str]], runs: int, name: str) -> Figure:
    """Wall time of a sequence of commands, as a user's script would run them."""
    fig = Figure(name, [])
    for _ in range(runs):
        t0 = time.perf_counter()
        for cmd in commands:
            subprocess.run(cmd, capture_output=True, check=True)
        fig.seconds.append(time.perf_counter() - t0)
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
    ws.append(["序号", "姓名", "身份证号", "结对地区", "乡镇", "村", "受益途径", "受益日期", "是否脱贫", "脱贫日期",
               "户主姓名", "家庭人口", "联系电话", "帮扶责任人", "备注"])
    areas = ["察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团"]
    towns = {"察右前旗": "平地泉镇", "正镶白旗": "明安图镇", "苏尼特右旗": "朱日和镇", "和田县": "罕艾日克镇", "224团": None}
    routes = ["资金项目", "产业合作", "劳务协作", "消费扶贫", "其他"]
    for i in range(rows):
        first = f"{150926 + (i % 7)}{1950 + i % 60}{1 + i % 12:02d}{1 + i % 28:02d}{i % 997:03d}"
        pid = first + check_digit(first) if rng.random() > 0.01 else first + "0"
        area = areas[i % 5]
        month, day = 1 + i % 12, 1 + i % 28
        exited = rng.random() < 0.4
        ws.append([i + 1, "某某", pid, area, towns[area], f"{i % 40}村", routes[i % 5], f"2020-{month:02d}-{day:02d}",
                   "是" if exited else "否", f"2020-{month:02d}-{day:02d}" if exited else None,
                   "某某", int(1 + i % 6), "13800000000", "某某", ""])
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
    body = np.char.add(np.char.add("653221", np.datetime_as_string(born).astype("U10")),
                       rng.integers(100, 999, people).astype(str))
    body = np.char.replace(body, "-", "")
    codes = np.frombuffer("".join(body).encode(), dtype=np.uint8).reshape(-1, 17) - ord("0")
    checks = np.array(list(CHECK_CHARS))[(codes @ np.array(WEIGHTS)) % 11]
    ids = np.char.add(body, checks)
    pick = rng.integers(0, people, rows)
    frame = pd.DataFrame({
        "id_number": ids[pick],
        "area": np.array(["察右前旗", "正镶白旗", "苏尼特右旗", "和田县", "224团"])[rng.integers(0, 5, rows)],
        "route": np.array(["资金项目", "产业合作", "劳务协作", "消费扶贫", "其他"])[rng.integers(0, 5, rows)],
        "benefit_date": "2020-05-01",
    })
    bad = rng.random(rows) < 0.02
    frame.loc[bad, "id_number"] = frame.loc[bad, "id_number"].str[:17] + "Y"
    frame.to_csv(path, index=False)
    return path


# --- the comparisons -----------------------------------------------------------------------

def bench_ingest(runs: int, rows: int) -> list[Figure]:
    path = ledger_100k(rows)
    ours = _timed_python("from pathlib import Path\nfrom fupin_lib.ingest import ingest_folder",
                         f"r = ingest_folder(Path({str(path.parent)!r}))", runs,
                         f"fupin 读取+校验+清洗 {rows:,} 行 x 15 列")
    openpyxl = _timed_python("import pandas as pd", f"pd.read_excel({str(path)!r}, engine='openpyxl')", runs,
                             "pandas.read_excel(engine=openpyxl)，仅读取")
    calamine = _timed_python("import pandas as pd", f"pd.read_excel({str(path)!r}, engine='calamine')", runs,
                             "pandas.read_excel(engine=calamine)，仅读取（参考）")
    return [ours, openpyxl, calamine]


def bench_persons(runs: int, rows: int) -> list[Figure]:
    path = persons_1m(rows)
    floor = _timed_python("import pandas as pd", f"df = pd.read_csv({str(path)!r}, dtype=str)", runs,
                          f"仅读取 {rows:,} 行（下限）")
    ours = _timed_python("import pandas as pd\nfrom fupin_lib.figures.funds import count_persons",
                         f"df = pd.read_csv({str(path)!r}, dtype=str)\ntable, acc = count_persons(df)", runs,
                         "读取 + 校验身份证号 + 去重 + 按地区和途径计人数")
    return [floor, ours]


def bench_batch(runs: int, period: str = "2020Q2") -> list[Figure]:
    from fupin_lib.periods import parse_period
    from fupin_lib.reports.batch import notebooks_for

    work = Path(tempfile.mkdtemp(prefix="fupin-bench-"))
    raw = str(config.RAW_DIR)
    fupin = str(BIN / "fupin")
    ours = _timed_commands([[fupin, "report", "--period", period, "--out", str(work / "ours"), "--force"]], runs,
                           f"fupin report --period {period}（全部笔记本、HTML、PDF、Excel）")
    again = _timed_commands([[fupin, "report", "--period", period, "--out", str(work / "ours")]], runs,
                            "再次运行，输入未变化")
    hand: list[list[str]] = []
    for name in notebooks_for(parse_period(period)):
        out = str(work / "hand" / f"{name}.ipynb")
        params = ["-p", "period", period, "-p", "raw_dir", raw]
        if name == "assessment_score":
            params += ["-p", "peers", str(refdata.plan(parse_period(period).year).peers_file)]
        hand += [[str(BIN / "papermill"), str(config.NOTEBOOKS_DIR / f"{name}.ipynb"), out, *params, "-k", config.KERNEL_NAME,
                  "--cwd", str(config.NOTEBOOKS_DIR)],
                 [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", "--HTMLExporter.language_code=zh", out],
                 [str(BIN / "weasyprint"), out.replace(".ipynb", ".html"), out.replace(".ipynb", ".pdf")]]
    hand.append([sys.executable, "-c", "from pathlib import Path; from fupin_lib.ingest import ingest_folder; "
                 "from fupin_lib.periods import parse_period; from fupin_lib.reports.workbook import write_progress_workbook; "
                 f"write_progress_workbook(ingest_folder(Path({raw!r})).tables, parse_period({period!r}), "
                 f"Path({str(work / 'hand' / 'x.xlsx')!r}), '大兴区', 'v')"])
    (work / "hand").mkdir(parents=True, exist_ok=True)
    by_hand = _timed_commands(hand, runs, "逐个运行 papermill、jupyter nbconvert、weasyprint 命令行（手写脚本）")
    floor = _timed_python(
        "from pathlib import Path\nfrom fupin_lib.ingest import ingest_folder\nfrom fupin_lib.periods import parse_period\n"
        "from fupin_lib.figures import registry as metrics, targets\nfrom fupin_lib.assessment import build_card",
        f"r = ingest_folder(Path({raw!r}))\np = parse_period({period!r})\n"
        "m = metrics.compute_metrics(r.tables, p, r.supplied)\nt = targets.progress(r.tables, p)\n"
        f"card = build_card({str(refdata.plan(parse_period(period).year).peers_file)!r}, own=m, period={period!r})",
        runs, "直接调用库计算同样的数字（无笔记本，下限）")
    shutil.rmtree(work, ignore_errors=True)
    return [ours, again, by_hand, floor]


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
    """The quarterly batch for n districts x 4 quarters, one district after another."""
    from fupin_lib.periods import parse_period
    from fupin_lib.reports.batch import run_reports

    quarters = [parse_period(f"2020Q{q}") for q in range(1, n_quarters + 1)]
    folders = district_folders(max(counts), scale)
    figures = []
    for n in counts:
        work = Path(tempfile.mkdtemp(prefix="fupin-scale-"))
        t0 = time.perf_counter()
        for i, raw in enumerate(folders[:n]):
            run_reports(quarters, raw_dir=raw, out_dir=work / f"d{i:02d}", console=_Quiet(), force=True)
        figures.append(Figure(f"季度批处理：{n} 个区 x {n_quarters} 个季度", [time.perf_counter() - t0]))
        shutil.rmtree(work, ignore_errors=True)
    return figures


class _Quiet:
    def print(self, *args, **kwargs) -> None:
        pass


# --- the report ----------------------------------------------------------------------------

def _ratio(a: Figure, b: Figure) -> float:
    return a.median / b.median


def run(quick: bool = False, scale_counts: list[int] | None = None, out: Path | None = None) -> str:
    """Run every benchmark and return (and write) docs/benchmarks.md."""
    runs = 1 if quick else 3
    rows_ingest, rows_persons = (2_000, 20_000) if quick else (100_000, 1_000_000)
    counts = scale_counts or ([1] if quick else [1, 2, 4])
    ingest = bench_ingest(runs, rows_ingest)
    persons = bench_persons(runs, rows_persons)
    batch = [] if quick else bench_batch(2)
    scale = bench_scale(counts, 0.05, n_quarters=1) if quick else bench_scale(counts, 0.2)
    lines = [
        "# 性能基准（benchmarks）",
        "",
        f"由 `make bench`（`fupin bench`）于 {date.today().isoformat()} 生成，不属于测试。每项为多次运行的中位数"
        "（另列最小值、最大值），每次运行在新的 Python 进程中，峰值内存为该进程的最大常驻内存。",
        "",
        f"机器：{platform.platform()}，{_cores()} 核，Python {platform.python_version()}；"
        + "，".join(f"{p} {version(p)}" for p in ("pandas", "python-calamine", "openpyxl", "papermill", "nbconvert", "weasyprint")),
        "",
        "| 项目 | 中位数（秒） | 最小 | 最大 | 峰值内存（MB） | 次数 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [f.row() for f in ingest + persons + batch + scale]
    lines += ["", "## 对照与目标", ""]
    lines.append(f"- 读取台账：fupin 的完整读取、校验和清洗比 openpyxl 仅读取快 **{_ratio(ingest[1], ingest[0]):.1f} 倍**（目标 ≥ 5 倍）。")
    lines.append(f"- 百万人员名单：校验、去重、计数用时为仅读取的 **{_ratio(persons[1], persons[0]):.2f} 倍**（目标 ≤ 3 倍），"
                 f"峰值内存 {max(persons[1].peak_mb):,.0f} MB（目标 < 2048 MB）。")
    if batch:
        lines.append(f"- 季度批处理：比手写的逐个命令行脚本快 **{_ratio(batch[2], batch[0]):.1f} 倍**（目标 ≥ 2 倍）；"
                     f"是直接调用库（下限）的 {_ratio(batch[0], batch[3]):.1f} 倍。")
        lines.append(f"- 输入未变化时再次运行：用时为首次的 **{_ratio(batch[1], batch[0]):.0%}**（目标 ≤ 25%）。")
    if len(scale) > 1:
        growth = "，".join(f"{f.name}：{f.median / scale[0].median:.1f} 倍" for f in scale[1:])
        per = scale[-1].median / counts[-1]
        lines.append(f"- 规模：相对 1 个区，{growth}；按每区 {per:,.0f} 秒线性外推，16 个区 x 4 个季度约 {per * 16 / 60:,.0f} 分钟。")
    text = "\n".join(lines) + "\n"
    target = out or (config.PROJECT_ROOT / "docs" / "benchmarks.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return text


def _cores() -> int:
    import os

    return os.cpu_count() or 1
