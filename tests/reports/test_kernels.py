"""The report kernels: started ahead of need, warm, clean, one per notebook (reports.kernels)."""

from __future__ import annotations

import os
import time

import nbformat
import papermill as pm
import pytest

from fupin_lib.reports import kernels
from layout import printed

# What the notebook below prints: the names a notebook finds defined before its own code (besides
# IPython's), whether the warm imports were already done, and the kernel's process and folder.
PROBE = (
    "seen = sorted(k for k in globals() if not k.startswith('_') and k not in "
    "{'In', 'Out', 'exit', 'quit', 'get_ipython', 'open'})\n"
    "import os, sys\n"
    "print(seen, all(m in sys.modules for m in WARM), os.getpid(), os.getcwd())"
)


def run_probe(tmp_path, kernel) -> tuple[list, bool, int, str]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PROBE.replace("WARM", repr(kernels.WARM_MODULES)))]
    nb.metadata["kernelspec"] = {"name": kernel.name, "display_name": kernel.name, "language": "python"}
    source, out = tmp_path / "probe.ipynb", tmp_path / f"probe-{time.monotonic_ns()}.ipynb"
    nbformat.write(nb, source)
    pm.execute_notebook(str(source), str(out), kernel_name=kernel.name, km=kernel.km, progress_bar=False)
    text = printed(nbformat.read(out, as_version=4).cells[0])
    seen, warm, pid, cwd = text.rsplit(" ", 3)
    return eval(seen), warm == "True", int(pid), cwd.strip()


def test_a_kernel_started_ahead_is_warm_clean_and_used_for_one_notebook(tmp_path):
    pool = kernels.KernelPool()
    folder = tmp_path / "notebooks"
    folder.mkdir()
    pool.prestart(kernels.kernel_name(), str(folder))
    waiting = pool.ready
    assert waiting is not None
    first = pool.take(kernels.kernel_name(), str(folder))
    assert first is waiting and pool.ready is None  # the one started ahead is the one handed out
    try:
        seen, warm, pid, cwd = run_probe(tmp_path, first)
    finally:
        first.stop()
    assert seen == []  # the warm imports left no name behind
    assert warm  # pandas, matplotlib and the library were imported before the notebook asked
    assert cwd == str(folder)  # started in the notebook's folder (its relative paths)
    assert not os.path.exists(f"/proc/{pid}") or "Z" in open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1][:3]
    assert not first.sockets.exists()

    second = pool.take(kernels.kernel_name(), str(folder))  # nothing waiting: one started now
    try:
        seen2, _, pid2, _ = run_probe(tmp_path, second)
    finally:
        second.stop()
    assert pid2 != pid and seen2 == []  # a new kernel for each notebook: nothing passes between them


def test_a_waiting_kernel_for_another_folder_is_not_used_and_closing_stops_it(tmp_path):
    pool = kernels.KernelPool()
    pool.prestart(kernels.kernel_name(), str(tmp_path))
    waiting = pool.ready
    other = tmp_path / "other"
    other.mkdir()
    kernel = pool.take(kernels.kernel_name(), str(other))
    try:
        assert kernel is not waiting and not waiting.alive()  # stopped, not left running
        assert kernel.cwd == str(other)
    finally:
        kernel.stop()
    pool.prestart(kernels.kernel_name(), str(tmp_path))
    left = pool.ready
    pool.close()
    assert pool.ready is None and not left.alive() and not left.sockets.exists()


@pytest.mark.parametrize("n_notebooks, workers, expected", [(2, 2, [False, False]), (4, 2, [True, True, False, False])])
def test_the_batch_starts_a_next_kernel_only_where_a_notebook_follows(n_notebooks, workers, expected):
    """Worked out by hand: with two workers, notebook i is followed on its worker by notebook
    i + 2, so only the first n - 2 start a kernel for the next; briefs and workbooks never."""
    from fupin_lib.periods import parse_period
    from fupin_lib.reports import batch

    q2 = parse_period("2020Q2")
    notebooks = [
        batch.Job(q2, f"nb{i}", tmp) for i, tmp in enumerate([batch.config.NOTEBOOKS_DIR / "x.ipynb"] * n_notebooks)
    ]
    jobs = batch.plan_kernels([batch.Job(q2, batch.BRIEF)] + notebooks, workers)
    assert [j.prestart_next for j in jobs if j.source is not None] == expected
    assert jobs[-1].name == batch.BRIEF and not jobs[-1].prestart_next  # notebooks first


def test_report_workers_fork_only_from_the_command_line_alone():
    """The command line forks its report workers (they start with its imports); a library
    caller (a test runner like this one, a Jupyter kernel), or a process with another Python
    thread running, spawns them: a forked worker could wait for ever on a lock another thread
    held at the fork."""
    import subprocess
    import sys
    import threading

    from fupin_lib.reports.batch import _worker_context

    code = "from fupin_lib.reports.batch import _worker_context as c; print(c(True).get_start_method())"
    alone = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert alone.strip() == "fork"
    assert _worker_context().get_start_method() == "spawn"
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert _worker_context(True).get_start_method() == "spawn"
    finally:
        stop.set()
        other.join()
