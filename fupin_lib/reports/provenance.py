"""Provenance of a run: parameters, input file hashes, versions, time."""

from __future__ import annotations

import hashlib
import os
import platform
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from .. import __version__
from ..config import PROJECT_ROOT
from ..ingest import find_files
from ..periods import Period


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(raw_dir: Path) -> dict[str, str]:
    """SHA-256 of every ledger file that ingestion reads under raw_dir, by path relative to it
    (the same files: find_files decides). A file that vanishes or cannot be read while being
    hashed is recorded as such, so that it still counts as a change."""
    raw_dir = Path(raw_dir)
    files, skipped = find_files(raw_dir)
    # Entries that could not be read (broken links, no permission) are part of what was read:
    # when one is mended, the inputs have changed.
    out = {n.file: f"skipped:{n.message}" for n in skipped if n.kind == "错误"}
    for p in files:
        try:
            out[str(p.relative_to(raw_dir))] = sha256(p)
        except OSError as exc:
            out[str(p.relative_to(raw_dir))] = f"unreadable:{type(exc).__name__}"
    return out


def data_version(hashes: dict[str, str]) -> str:
    """A short fingerprint of all inputs together: the data version shown in reports."""
    joined = "\n".join(f"{k}:{v}" for k, v in sorted(hashes.items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def provenance(period: Period, raw_dir: Path) -> dict:
    hashes = input_hashes(raw_dir)
    return {
        "period": period.code,
        "raw_dir": os.path.relpath(Path(raw_dir).resolve(), PROJECT_ROOT),
        "inputs": hashes,
        "data_version": data_version(hashes),
        "fupin_lib": __version__,
        "versions": {pkg: version(pkg) for pkg in ("pandas", "pandera", "papermill", "nbconvert", "matplotlib")},
        "python": platform.python_version(),
        "run_at": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
    }
