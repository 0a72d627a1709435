"""Provenance of a run: parameters, input file hashes, versions, time."""

from __future__ import annotations

import hashlib
import platform
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from . import __version__
from .ingest import READABLE_SUFFIXES
from .periods import Period


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(raw_dir: Path) -> dict[str, str]:
    """SHA-256 of every ledger file under raw_dir, by path relative to it."""
    raw_dir = Path(raw_dir)
    return {
        str(p.relative_to(raw_dir)): sha256(p)
        for p in sorted(raw_dir.rglob("*"))
        if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES and not p.name.startswith(("~$", "."))
    }


def data_version(hashes: dict[str, str]) -> str:
    """A short fingerprint of all inputs together: the data version shown in reports."""
    joined = "\n".join(f"{k}:{v}" for k, v in sorted(hashes.items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:12]


def provenance(period: Period, raw_dir: Path) -> dict:
    hashes = input_hashes(raw_dir)
    return {
        "period": period.code,
        "raw_dir": str(raw_dir),
        "inputs": hashes,
        "data_version": data_version(hashes),
        "fupin_lib": __version__,
        "versions": {pkg: version(pkg) for pkg in ("pandas", "pandera", "papermill", "nbconvert", "matplotlib")},
        "python": platform.python_version(),
        "run_at": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
    }
