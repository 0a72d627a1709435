"""Issue 13: `make lab` starts JupyterLab at the project root with the fupin kernel by default,
the interface in Chinese, the project's commands on the kernels' PATH, and notebooks paired
with text files (jupytext). Started headless, as an analyst's `make lab` starts it."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from fupin_lib import config
from layout import printed

VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` headless on a free port with a token; yields get(path) -> JSON; stopped after."""
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path_factory.mktemp("lab") / "lab.log"
    env = {**os.environ, "PATH": "/usr/local/bin:/usr/bin:/bin"}  # the venv is not on PATH: make lab puts it there
    env.pop("MAKEFLAGS", None)
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                "make",
                "-C",
                str(config.PROJECT_ROOT),
                "--no-print-directory",
                "lab",
                f"LAB_ARGS=--no-browser --port={port} --IdentityProvider.token={token}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )

    def get(path: str) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}?token={token}", timeout=10) as r:
            return json.loads(r.read().decode("utf-8"))

    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                get("api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + log.read_text())
                time.sleep(0.5)
        yield get
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_fupin_is_the_default_kernel(lab):
    specs = lab("api/kernelspecs")
    assert specs["default"] == config.KERNEL_NAME == "fupin"
    spec = specs["kernelspecs"]["fupin"]["spec"]
    assert spec["display_name"] == "Python (fupin)" and Path(spec["argv"][0]).parent == VENV_BIN
    assert spec["env"]["PATH"] == f"{VENV_BIN}:${{PATH}}"  # `!fupin ingest` works in any fupin kernel


def test_rooted_at_the_project_with_paired_notebooks(lab):
    root = {item["name"] for item in lab("api/contents")["content"]}
    assert {"notebooks", "fupin_lib", "data", "docs", "Makefile", "README.md"} <= root
    notebooks = {item["name"]: item["type"] for item in lab("api/contents/notebooks")["content"]}
    assert notebooks["explore.ipynb"] == "notebook"
    assert notebooks["explore.py"] == "notebook"  # jupytext: the text twin opens as a notebook


def test_interface_in_chinese(lab):
    assert "zh_CN" in lab("lab/api/translations")["data"]  # the language pack
    setting = lab("lab/api/settings/@jupyterlab/translation-extension:plugin")
    assert setting["schema"]["properties"]["locale"]["default"] == "zh_CN"
    assert json.loads(setting["raw"] or "{}").get("locale", "zh_CN") == "zh_CN"  # no user setting overrides it
    bundle = lab("lab/api/translations/zh_CN")
    assert bundle["data"] and bundle["message"] == ""


def test_project_commands_on_the_kernels_path(tmp_path):
    """A fupin kernel started from anywhere, with the venv not on PATH, finds `fupin`."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import shutil; print(shutil.which('fupin'))")])
    env = {**os.environ, "PATH": "/usr/local/bin:/usr/bin:/bin"}
    NotebookClient(nb, kernel_name="fupin", resources={"metadata": {"path": str(tmp_path)}}, timeout=120).execute(
        env=env
    )
    assert printed(nb.cells[0]).strip() == str(VENV_BIN / "fupin")


def test_only_the_fupin_kernel_is_offered(lab):
    """The launcher shows the project's kernel only: no plain Python 3 beside it (issue 22)."""
    specs = lab("api/kernelspecs")
    assert set(specs["kernelspecs"]) == {"fupin"}


def test_no_build_clutter_in_the_file_browser(lab):
    assert (config.PROJECT_ROOT / "fupin_lib.egg-info").is_dir()  # made by the editable install
    root = {item["name"] for item in lab("api/contents")["content"]}
    assert "fupin_lib.egg-info" not in root and "__pycache__" not in root
    assert "__pycache__" not in {item["name"] for item in lab("api/contents/fupin_lib")["content"]}


def test_the_lab_is_ready_as_opened(tmp_path):
    """In a fupin kernel, `import fupin_lib` alone: charts in Chinese (the bundled Noto CJK SC,
    text as text), a table shows its window above it, notices are a table."""
    import nbformat
    from nbclient import NotebookClient

    cells = [
        "import fupin_lib, matplotlib\nfrom matplotlib import font_manager\n"
        "family = matplotlib.rcParams['font.family'][0]\n"
        "print(family, matplotlib.rcParams['text.parse_math'], font_manager.findfont(family, fallback_to_default=False), sep='|')",
        "from fupin_lib.figures import cadres\ncadres.counts_by_county(fupin_lib.load('cadres'), '2020Q2', ytd=False)",
        "n = fupin_lib.notices()\nprint(type(n).__name__, list(n.columns))",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, kernel_name="fupin", resources={"metadata": {"path": str(tmp_path)}}, timeout=300).execute()
    family, parse_math, path = printed(nb.cells[0]).strip().split("|")
    assert family == "Noto Sans CJK SC" and parse_math == "False" and path.endswith("NotoSansCJKsc-Regular.otf")
    html = nb.cells[1].outputs[0]["data"]["text/html"]
    assert html.index("口径：本季度（2020年4月1日至2020年6月30日）") < html.index("<table")
    assert printed(nb.cells[2]).strip() == "DataFrame ['类型', '文件', '工作表', '行', '说明']"
