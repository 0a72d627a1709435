"""The store: every clean table, with the rows rejected, the counts per sheet and the notices of
the ingestion that made them, kept as Parquet in one folder with a manifest of what they were
made from (the raw folder, the SHA-256 of every input file, the version of the code and its
reference data).

Reports, the CLI and analysts all read through `load_result`: when the manifest matches the
raw folder as it is now, the tables are read from the store; otherwise the folder is ingested
again and the store replaced, all tables as one set (files.publish), so that a reader never
sees tables of two different ingestions side by side.

Where: `data/processed/` for the project's own raw folder (`data/raw/`); a folder under
`.cache/store/` for any other raw folder (`--raw DIR`), so that trying another folder never
replaces the office's clean tables. Neither holds an ID number, a phone number or a name in
clear (ingest/pseudonym.py: keyed hashes and masked copies); they stay on the office's machine.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pandas as pd

from . import config
from .files import claim_output_dir, dumps, loads, publish, staging
from .ingest import IngestResult, Notice, SheetReport, find_files, ingest_folder
from .ledgers import ledger_specs

MANIFEST = "manifest.json"
RESULT_PARTS = ("_rejections", "_sheets", "_notices")  # what ingestion said, beside the tables


# --- what a store is made from -----------------------------------------------------------


def sha256(path: Path) -> str:
    """The SHA-256 of a file, hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hashes(raw_dir: Path) -> dict[str, str]:
    """SHA-256 of every ledger file that ingestion reads under raw_dir, by path relative to it
    (the same files: find_files decides). Entries that could not be read (broken links, no
    permission) are part of what was read: when one is mended, the inputs have changed."""
    raw_dir = Path(raw_dir).resolve()
    files, skipped = find_files(raw_dir)
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


@lru_cache(maxsize=1)
def code_version() -> str:
    """A fingerprint of the library: its source, reference data and templates."""
    digest = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def store_key(raw_dir: Path, hashes: dict[str, str]) -> str:
    """What a store is made from: the code, the raw folder, its inputs, and the project's key
    (a new key gives new keyed hashes for the persons, so the tables are made again)."""
    from .secret import fingerprint

    text = f"{code_version()}|{Path(raw_dir).resolve()}|{data_version(hashes)}|{fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def location(raw_dir: Path) -> Path:
    """The store of a raw folder (see the module's docstring)."""
    raw_dir = Path(raw_dir).resolve()
    if raw_dir == config.RAW_DIR.resolve():
        return config.PROCESSED_DIR
    return config.STORE_CACHE_DIR / hashlib.sha256(str(raw_dir).encode()).hexdigest()[:16]


# --- writing and reading -----------------------------------------------------------------


def _result_frames(result: IngestResult) -> dict[str, pd.DataFrame]:
    sheets = pd.DataFrame([asdict(s) for s in result.sheets], columns=[f.name for f in fields(SheetReport)])
    columns = [f.name for f in fields(Notice)]
    notices = pd.DataFrame([asdict(n) for n in result.notices], columns=columns)
    notices["row"] = notices["row"].astype("Int64")
    return {"_rejections": result.rejections, "_sheets": sheets, "_notices": notices}


def write(
    result: IngestResult, folder: Path, raw_dir: Path | None = None, hashes: dict[str, str] | None = None
) -> list[Path]:
    """Write the ingestion's tables, what it said, the rejections workbook and the manifest as
    one set (the previous set stays in place if any of them cannot be written). Returns the
    final paths."""
    from .ingest.feedback import write_rejections

    folder = claim_output_dir(Path(folder), raw_dir)  # never / or a folder of someone else's files
    manifest = {
        "made_at": datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds"),
        "code_version": code_version(),
        "tables": sorted(result.tables),
    }
    if raw_dir is not None:
        hashes = input_hashes(raw_dir) if hashes is None else hashes
        manifest.update(
            key=store_key(raw_dir, hashes),
            raw_dir=os.path.relpath(Path(raw_dir).resolve(), config.PROJECT_ROOT),
            inputs=hashes,
            data_version=data_version(hashes),
        )
    with staging(folder, "store") as work:
        made = []
        for name, table in {**result.tables, **_result_frames(result)}.items():
            table.to_parquet(work / f"{name}.parquet", index=False)
            made.append(work / f"{name}.parquet")
        write_rejections(result, work / config.REJECTIONS_FILE)
        made.append(work / config.REJECTIONS_FILE)
        # Each file's SHA-256: a table is trusted on read only while it is the one written.
        manifest["sha256"] = {path.name: sha256(path) for path in made}
        (work / MANIFEST).write_text(dumps(manifest, indent=2), encoding="utf-8")
        made.append(work / MANIFEST)
        publish([(path, folder / path.name) for path in made], work)
    return [folder / path.name for path in made]


def manifest(folder: Path) -> dict:
    """The manifest of a store folder (what it was made from), or {}."""
    try:
        found = loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


class StoreDamaged(Exception):
    """Store files that are not the ones written (their SHA-256 differs from the manifest's)."""

    def __init__(self, names: list[str]):
        super().__init__("、".join(names))
        self.names = names


def verify(folder: Path, names: list[str] | None = None) -> None:
    """Check the store's files against the SHA-256 its manifest recorded when it wrote them;
    raises StoreDamaged naming those that differ, are missing or were never recorded."""
    folder = Path(folder)
    recorded = manifest(folder).get("sha256") or {}
    names = names if names is not None else [f"{n}.parquet" for n in [*ledger_specs(), *RESULT_PARTS]]
    bad = []
    for name in names:
        try:
            if recorded.get(name) != sha256(folder / name):
                bad.append(name)
        except OSError:
            bad.append(name)
    if bad:
        raise StoreDamaged(bad)


def read(folder: Path) -> IngestResult:
    """The IngestResult kept in a store folder, each table checked against its SHA-256 first
    (StoreDamaged when one differs)."""
    folder = Path(folder)
    verify(folder)
    tables = {key: pd.read_parquet(folder / f"{key}.parquet") for key in ledger_specs()}
    rejections = pd.read_parquet(folder / "_rejections.parquet")
    sheets = [SheetReport(**row) for row in pd.read_parquet(folder / "_sheets.parquet").to_dict("records")]
    notices = [
        Notice(**{**r, "row": None if pd.isna(r["row"]) else int(r["row"])})
        for r in pd.read_parquet(folder / "_notices.parquet").to_dict("records")
    ]
    return IngestResult(tables, rejections, sheets, notices)


def is_fresh(folder: Path, key: str) -> bool:
    """True when the store folder is complete and was made from what `key` says."""
    folder = Path(folder)
    names = [*ledger_specs(), *RESULT_PARTS]
    return manifest(folder).get("key") == key and all((folder / f"{n}.parquet").exists() for n in names)


@contextmanager
def _one_builder(folder: Path) -> Iterator[None]:
    """Hold the store folder's lock (an advisory lock file under the cache) while it is checked
    and, if need be, made again: a batch and an analyst's notebook started together make it
    once, and neither reads a set the other is replacing. Without a writable cache, no lock."""
    locks = config.LOCKS_DIR
    try:
        locks.mkdir(parents=True, exist_ok=True)
        handle = open(locks / f"{hashlib.sha256(str(Path(folder).resolve()).encode()).hexdigest()[:16]}.lock", "a")
    except OSError:
        yield
        return
    with handle:  # closing the file lets the lock go
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def load_result(
    raw_dir: Path | str = config.RAW_DIR, folder: Path | None = None, hashes: dict[str, str] | None = None
) -> IngestResult:
    """The clean tables of a raw folder with what their ingestion said (IngestResult: tables,
    rejections, sheets, notices): from its store when nothing changed since the store was made,
    else ingested again (and the store replaced). `hashes`: the inputs' hashes, when the caller
    has them already.

        >>> result = load_result()                                  # data/raw, the shipped sample
        >>> [int(n) for n in result.summary().set_index("表").loc["cadres", ["读取行数", "接受", "拒绝"]]]
        [146, 145, 1]
        >>> len(result.tables), len(result.notices) > 0
        (21, True)
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"原始台账目录不存在：{raw_dir}")
    folder = Path(folder) if folder is not None else location(raw_dir)
    hashes = input_hashes(raw_dir) if hashes is None else hashes
    damaged = None
    with _one_builder(folder):  # two runs at once: the second reads what the first made
        if is_fresh(folder, store_key(raw_dir, hashes)):
            try:
                return read(folder)
            except StoreDamaged as exc:  # a flipped byte is never trusted: made again, and said
                damaged = exc.names
            except Exception:  # a damaged store is made again, never trusted
                pass
        result = ingest_folder(raw_dir)
        write(result, folder, raw_dir, hashes)
    if damaged:
        where = str(config.shown(folder))
        result.notices.append(
            Notice(
                where,
                None,
                None,
                f"清洗后的表（{'、'.join(damaged)}）与写入时记录的校验码不符"
                "（文件已损坏或被改动），未采用，已按原始台账重新清洗",
                kind="警告",
            )
        )
    return result
