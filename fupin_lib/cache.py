"""A cache of ingestion results keyed by the hashes of the inputs and of the code.

The report notebooks of a batch, and a second run on unchanged ledgers, read the cleaned
result instead of cleaning the same workbooks again. The key covers every raw file's content,
the raw folder, and the library's own source and reference data, so any change to a ledger,
a rule or the code cleans again. The cache lives in .cache/ (never committed); like
data/processed/ it holds personal data and stays on the office's machine.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path

from .config import CACHE_DIR, PACKAGE_DIR
from .files import atomic_write
from .ingest import IngestResult, ingest_folder
from .reports.provenance import data_version, input_hashes


@lru_cache(maxsize=1)
def code_version() -> str:
    """A fingerprint of the library: its source, reference data and templates."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_key(raw_dir: Path, hashes: dict[str, str] | None = None) -> str:
    hashes = input_hashes(raw_dir) if hashes is None else hashes
    text = f"{code_version()}|{Path(raw_dir).resolve()}|{data_version(hashes)}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def ingest_cached(raw_dir: Path, cache_dir: Path = CACHE_DIR, hashes: dict[str, str] | None = None) -> IngestResult:
    """ingest_folder(raw_dir), read from the cache when nothing changed since the last run.
    `hashes`: the inputs' hashes when the caller has them already."""
    path = Path(cache_dir) / "ingest" / f"{cache_key(raw_dir, hashes)}.pkl"
    if path.exists():
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except Exception:  # a damaged cache entry is rebuilt, never trusted
            path.unlink(missing_ok=True)
    result = ingest_folder(raw_dir)
    atomic_write(path, lambda tmp: tmp.write_bytes(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))
    _prune(path.parent)
    return result


def _prune(folder: Path, keep: int = 20) -> None:
    """Keep the most recently written entries only."""
    entries = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)
