"""The report batch: run the period's notebooks through papermill, export HTML without code,
check every produced file for personal data, and only then move it into reports/<period>/.

A notebook that fails, or whose output fails the privacy check, leaves the previous report
of that notebook as it was; its executed notebook is kept in reports/.failed/<period>/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import config
from .periods import Period
from .provenance import provenance

QUARTERLY_NOTEBOOKS = ("quarterly_report",)


class ReportError(Exception):
    """A batch that did not make every report; the message is for the user (Chinese)."""


@dataclass
class Failure:
    notebook: str
    message: str

    def __str__(self) -> str:
        return f"{self.notebook}：{self.message}"


def notebooks_for(period: Period) -> tuple[str, ...]:
    if "Q" in period.code:
        return QUARTERLY_NOTEBOOKS
    raise ReportError(f"暂只支持季度报告（如 2020Q2），收到“{period.code}”")


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


def _execute(name: str, period: Period, raw_dir: Path, district: str, staging: Path, meta: dict) -> Path:
    import papermill as pm

    source = config.NOTEBOOKS_DIR / f"{name}.ipynb"
    output = staging / f"{name}.ipynb"
    parameters = {"period": period.code, "district": district, "raw_dir": str(raw_dir)}
    pm.execute_notebook(
        str(source), str(output), parameters=parameters, kernel_name=kernel_name(),
        cwd=str(config.NOTEBOOKS_DIR), progress_bar={"desc": name, "leave": True}, log_output=False,
    )
    nb = nbformat.read(output, as_version=4)
    nb.metadata["fupin"] = {**meta, "parameters": parameters, "notebook": name}
    nbformat.write(nb, output)
    return output


def _describe(exc: Exception) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return f"第{exc.exec_count or exc.cell_index + 1}个代码单元出错：{exc.ename}: {exc.evalue}"
    return f"{type(exc).__name__}: {exc}"


def run_reports(period: Period, raw_dir: Path = config.RAW_DIR, out_dir: Path = config.REPORTS_DIR,
                district: str = config.HOME_DISTRICT, notebooks: tuple[str, ...] | None = None,
                console=None) -> list[Path]:
    """Run the period's notebooks; return the files moved into out_dir/<period>/."""
    from .ingest import ingest_folder
    from .privacy import personal_names, scan_file

    say = console.print if console else print
    names = notebooks or notebooks_for(period)
    out_dir, raw_dir = Path(out_dir), Path(raw_dir).resolve()
    final, failed_dir = out_dir / period.code, out_dir / ".failed" / period.code
    out_dir.mkdir(parents=True, exist_ok=True)
    meta = provenance(period, raw_dir)
    person_names = personal_names(ingest_folder(raw_dir).tables)
    made: list[Path] = []
    failures: list[Failure] = []
    started = time.monotonic()
    for name in names:
        staging = Path(tempfile.mkdtemp(prefix=f".{period.code}-{name}-", dir=out_dir))
        try:
            t0 = time.monotonic()
            executed = _execute(name, period, raw_dir, district, staging, meta)
            html = export_html(executed, staging / f"{name}.html")
            findings = [f for path in (executed, html) for f in scan_file(path, person_names)]
            if findings:
                raise ReportError("隐私检查未通过：" + "；".join(str(f) for f in findings[:5]))
            final.mkdir(parents=True, exist_ok=True)
            for path in (executed, html):
                os.replace(path, final / path.name)
                made.append(final / path.name)
            say(f"{name}：完成，用时 {time.monotonic() - t0:.1f} 秒")
        except Exception as exc:  # one notebook's failure must not stop the others
            failures.append(Failure(name, _describe(exc)))
            failed_dir.mkdir(parents=True, exist_ok=True)
            for path in staging.glob("*.ipynb"):
                shutil.copy2(path, failed_dir / path.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    say(f"批处理结束：{len(names) - len(failures)}/{len(names)} 个报告成功，输出目录 {final}，"
        f"总用时 {time.monotonic() - started:.1f} 秒")
    if failures:
        raise ReportError("；".join(str(f) for f in failures)
                          + f"。出错的笔记本已保留在 {failed_dir} 供排查，原有报告未被覆盖")
    return made
