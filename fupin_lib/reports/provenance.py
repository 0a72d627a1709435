"""Provenance of a report run: period, raw folder, the inputs' hashes, versions, time."""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from ..config import PROJECT_ROOT, VERSION
from ..periods import Period
from ..store import code_version, data_version, input_hashes


def provenance(period: Period, raw_dir: Path) -> dict:
    hashes = input_hashes(raw_dir)
    return {
        "period": period.code,
        "raw_dir": os.path.relpath(Path(raw_dir).resolve(), PROJECT_ROOT),
        "inputs": hashes,
        "data_version": data_version(hashes),
        "code_version": code_version(),
        "fupin_lib": VERSION,
        "versions": {pkg: version(pkg) for pkg in ("pandas", "pandera", "papermill", "nbconvert", "matplotlib")},
        "python": platform.python_version(),
        "run_at": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
    }
