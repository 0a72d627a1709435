"""Writing outputs so that readers only ever see the old or the complete new version.

- `atomic_write`: one file, through a temporary file in the target's folder.
- `staging` and `publish`: a set of files (a report's HTML, PDF and Word files with its
  provenance record; the clean tables with the rejections workbook) is made in a staging folder
  outside the output folder, then moved into place as a set. Before the first move a journal
  lists every move; if a move fails (a file open in another program, a read-only folder, a full
  disk) the moves already made are undone and the old set stays. If the process is killed
  mid-way, the next run finds the journal of the dead run and undoes its moves, then deletes
  its staging folder.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

STAGING_DIR_NAME = ".fupin-staging"
_OWNER = "owner.json"
_JOURNAL = "journal.json"


def _read_umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it: done once, at import
    os.umask(mask)
    return mask


# The mode open() gives a new file: 0o666 less the umask (read at import, not per write:
# setting the umask for a moment would race with files other threads create).
DEFAULT_MODE = 0o666 & ~_read_umask()


def atomic_write(path: Path, write: Callable[[Path], object], mode: int | None = None) -> Path:
    """Call write(temporary path) in the target's folder, then move the result into place.

    Safe across threads and processes (each writer has its own temporary file); a failed write
    leaves the previous file as it was and no temporary file behind. `mode` sets permissions;
    without it the file gets what open() would give under the umask (a report others in the
    office may read), not the temporary file's owner-only mode.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, mode if mode is not None else DEFAULT_MODE)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def quiet_unraisable(unraisable) -> None:
    """sys.unraisablehook: an error Python could not raise (a file closed by the garbage
    collector on a full disk) is not printed as a traceback; the failure it belongs to is said
    where it happened."""


# --- strict JSON ---------------------------------------------------------------------------


def _refuse_constant(name: str):
    raise ValueError(f"JSON 中不允许 {name}（不是有限的数）")


def loads(text: str):
    """JSON as the standard has it: NaN, Infinity and -Infinity are refused when read."""
    return json.loads(text, parse_constant=_refuse_constant)


def dumps(obj, **kwargs) -> str:
    """JSON as the standard has it (allow_nan=False: a NaN or an infinity is an error, never
    written as the invalid `NaN`/`Infinity`); Chinese as it is."""
    return json.dumps(obj, allow_nan=False, ensure_ascii=False, **kwargs)


def finite(obj, placeholder=None):
    """obj with every float that is not finite (NaN, ±infinity) replaced by `placeholder`
    (numpy scalars too), in dicts, lists and tuples: what may be printed as JSON."""
    import math

    if isinstance(obj, dict):
        return {k: finite(v, placeholder) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v, placeholder) for v in obj]
    if isinstance(obj, float) or type(obj).__name__.startswith("float"):
        try:
            return float(obj) if math.isfinite(obj) else placeholder
        except (TypeError, ValueError):
            return obj
    return obj


NAME_BYTES = 255  # the longest file name most file systems take (bytes, UTF-8)


def fit_name(name: str, limit: int = NAME_BYTES) -> str:
    """A file name that fits the file system: a name longer than `limit` bytes keeps its
    beginning and its suffix, with a short hash of the whole name between them (still unique).

        >>> fit_name("区" + "长" * 90 + "局_数据反馈_2020Q2.xlsx").endswith(".xlsx")
        True
        >>> len(fit_name("区" + "长" * 90 + "局_数据反馈_2020Q2.xlsx").encode()) <= 255
        True
    """
    if len(name.encode("utf-8")) <= limit:
        return name
    import hashlib

    path = Path(name)
    suffix = path.suffix if len(path.suffix.encode()) <= 16 else ""
    tag = "_" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    room = limit - len((tag + suffix).encode("utf-8"))
    stem = name[: len(name) - len(suffix)] if suffix else name
    while len(stem.encode("utf-8")) > room:
        stem = stem[:-1]
    return stem + tag + suffix


# --- where outputs may go -------------------------------------------------------------------

OUTPUT_MARKER = ".fupin-output"  # in every folder the product writes its outputs into
_MARKER_HEAD = "fupin 输出目录：本程序写入的文件（每行一个）。请勿把其他文件放在这里。\n"
# Folders an output never goes into (the folder itself, or anything below the first group).
_SYSTEM_TREES = (
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
)
_SYSTEM_FOLDERS = ("/", "/home", "/root", "/var", "/opt", "/srv", "/mnt", "/media", "/tmp", "/var/tmp")


class OutputRefused(Exception):
    """An output folder the product will not write into; the message is for the user (Chinese)."""


def _project_output(path: Path) -> bool:
    """Folders of the project's own outputs (reports/, data/processed/, the cache): outputs an
    earlier version wrote there without a marker are the product's too."""
    from . import config

    homes = [config.REPORTS_DIR, config.PROCESSED_DIR, config.CACHE_DIR]
    return any(path == home.resolve() or path.is_relative_to(home.resolve()) for home in homes)


def _marker_root(path: Path, depth: int = 4) -> Path | None:
    """The output folder (with a marker) that holds path, looking at most `depth` folders up."""
    for folder in [path, *path.parents][: depth + 1]:
        if (folder / OUTPUT_MARKER).is_file():
            return folder
    return None


def _written(root: Path) -> set[str]:
    try:
        lines = (root / OUTPUT_MARKER).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    return set(lines[1:])


def record_written(paths: list[Path]) -> None:
    """Add files to their output folder's list of what the product wrote (one appended line
    each: several runs may append at once)."""
    by_root: dict[Path, list[str]] = {}
    for path in paths:
        path = Path(path).resolve()
        root = _marker_root(path.parent)
        if root is not None:
            by_root.setdefault(root, []).append(str(path.relative_to(root)))
    for root, names in by_root.items():
        new = [n for n in names if n not in _written(root) and "\n" not in n]
        if new:
            fd = os.open(root / OUTPUT_MARKER, os.O_WRONLY | os.O_APPEND)
            try:
                os.write(fd, "".join(f"{n}\n" for n in new).encode("utf-8"))
            finally:
                os.close(fd)


def foreign(final: Path) -> bool:
    """True when final exists in an output folder but the product did not write it (a file the
    user put there): it is never overwritten."""
    final = Path(final)
    if not final.exists():
        return False
    final = final.resolve()
    root = _marker_root(final.parent)
    return root is not None and str(final.relative_to(root)) not in _written(root)


def check_place(folder: Path, raw_dir: Path | None = None, *, one_file: bool = False) -> Path:
    """Raise OutputRefused (Chinese) when outputs may not go into folder at all: /, a system
    folder, the home folder itself (unless one named file goes there: one_file), a folder inside
    the raw folder, a file."""
    folder = Path(folder)
    where = folder.resolve()
    shown = str(folder)
    if str(where) in _SYSTEM_FOLDERS or any(str(where) == t or where.is_relative_to(t) for t in _SYSTEM_TREES):
        raise OutputRefused(f"不能把输出写入系统目录“{shown}”：请指定一个新的或空的目录（如 reports/ 或 ~/扶贫报告）")
    home = Path.home().resolve() if os.environ.get("HOME") else None
    if home is not None and where == home and not one_file:
        raise OutputRefused(f"不能把输出直接写入主目录“{shown}”：请指定其中一个新的或空的子目录")
    if raw_dir is not None:
        raw = Path(raw_dir).resolve()
        if where == raw or where.is_relative_to(raw):
            raise OutputRefused(
                f"输出目录“{shown}”在原始台账目录“{raw_dir}”之内：生成的文件会在下次被当作台账读取，"
                "请指定原始台账目录之外的目录"
            )
    if where.exists() and not where.is_dir():
        raise OutputRefused(f"“{shown}”是一个文件，不是目录：请指定一个目录")
    return where


def claim_output_dir(folder: Path, raw_dir: Path | None = None) -> Path:
    """Check that outputs may go into folder (check_place), and mark it as the product's
    (OUTPUT_MARKER); also refused: a non-empty folder the product did not make (outputs of the
    project's own folders written by an earlier version are adopted). Returns the folder."""
    folder = Path(folder)
    where = check_place(folder, raw_dir)
    shown = str(folder)
    marker = where / OUTPUT_MARKER
    if marker.is_file():
        return folder
    existing = sorted(p for p in where.rglob("*") if p.is_file()) if where.is_dir() else []
    if existing and not _project_output(where):
        raise OutputRefused(
            f"目录“{shown}”不是空的（有 {len(existing)} 个文件，如 {existing[0].name}），也不是本程序生成的"
            "输出目录：为免覆盖其他文件，不写入。请指定一个新的或空的目录"
        )
    where.mkdir(parents=True, exist_ok=True)
    adopted = [str(p.relative_to(where)) for p in existing if "\n" not in str(p)]  # an earlier version's outputs
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, DEFAULT_MODE)
    except FileExistsError:
        return folder
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(_MARKER_HEAD + "".join(f"{n}\n" for n in adopted))
    return folder


class PublishError(OSError):
    """A set of outputs that could not be moved into place; the message says what stayed."""

    def __str__(self) -> str:
        return str(self.strerror)


def describe_os_error(exc: BaseException, action: str = "写入") -> str:
    """An OSError in one Chinese sentence naming the file: permission, read-only, full disk,
    a file in use."""
    where = getattr(exc, "filename", None)
    where = f"“{where}”" if where else ""
    code = getattr(exc, "errno", None)
    if code in (errno.EACCES, errno.EPERM):
        why = "没有权限（请检查文件夹权限，或文件是否被设为只读）"
    elif code == errno.EROFS:
        why = "所在位置是只读的"
    elif code in (errno.ENOSPC, errno.EDQUOT):
        why = "磁盘空间不足（请清理磁盘后重试）"
    elif code in (errno.EBUSY, errno.ETXTBSY):
        why = "文件正被其他程序占用（请关闭打开该文件的程序后重试）"
    elif code == errno.ENOENT:
        why = "文件或文件夹不存在"
    else:
        why = getattr(exc, "strerror", None) or type(exc).__name__
    return f"无法{action}{where}：{why}"


def staging_root(final_dir: Path) -> Path:
    """Where the outputs of final_dir are staged: a hidden folder beside it (the same disk, so
    that moving a file into place is a rename), never inside it."""
    return Path(final_dir).resolve().parent / STAGING_DIR_NAME


def _process_start(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _alive(owner: dict) -> bool:
    pid = int(owner.get("pid", 0))
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _process_start(pid) == owner.get("start", "")


def recover(root: Path) -> list[str]:
    """Finish what dead runs left in a staging root: undo the half-done moves of a journal,
    then delete their staging folders. Returns a line per run recovered (for the log)."""
    said = []
    root = Path(root)
    if not root.is_dir():
        return said
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        try:
            owner = loads((folder / _OWNER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            owner = {}
        if owner and _alive(owner):
            continue
        journal = folder / _JOURNAL
        if journal.exists():
            try:
                state = loads(journal.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                state = {}
            if state.get("state") == "moving":
                _undo(state.get("entries", []))
                said.append(f"上次运行中断，已恢复原有文件（{len(state.get('entries', []))} 个）")
        shutil.rmtree(folder, ignore_errors=True)
    return said


@contextmanager
def staging(final_dir: Path, label: str) -> Iterator[Path]:
    """A fresh folder for one run's outputs of final_dir, removed when the run ends (whether
    it succeeded or not). What dead runs left behind is recovered first."""
    root = staging_root(final_dir)
    root.mkdir(parents=True, exist_ok=True)
    recover(root)
    work = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=root))
    pid = os.getpid()
    (work / _OWNER).write_text(json.dumps({"pid": pid, "start": _process_start(pid)}), encoding="utf-8")
    try:
        yield work
    finally:
        if _moving(work):
            # A set left half-moved (a move that could not be undone, or the process stopped in
            # the middle): the journal and the backups stay for the next run's recover().
            pass
        else:
            shutil.rmtree(work, ignore_errors=True)
            try:
                root.rmdir()  # only when empty: other runs may be staging beside this one
            except OSError:
                pass


def _moving(work: Path) -> bool:
    """True while a publish in `work` has moved part of its set (its journal says so)."""
    try:
        return loads((Path(work) / _JOURNAL).read_text(encoding="utf-8")).get("state") == "moving"
    except (OSError, ValueError, AttributeError):
        return False


STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s is not None)


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Ctrl+C and SIGTERM wait until the block is done, then take effect: a set of outputs is
    never left half-moved because the user pressed Ctrl+C at the wrong moment. Only in the main
    thread (elsewhere Python cannot set handlers, and none are run there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    saved = {}
    for sig in STOP_SIGNALS:
        try:
            saved[sig] = signal.signal(sig, lambda number, _frame: caught.append(number))
        except (ValueError, OSError):
            pass
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        if caught:
            handler = saved.get(caught[0])
            if callable(handler):
                handler(caught[0], None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(caught[0])


def _move(src: Path, dst: Path) -> None:
    """Rename src to dst; across disks, copy next to dst first and rename there."""
    try:
        os.replace(src, dst)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=".tmp-", suffix=dst.suffix)
        os.close(fd)
        try:
            shutil.copy2(src, tmp)
            os.replace(tmp, dst)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        os.remove(src)


def _undo(entries: list[dict]) -> list[str]:
    """Put back the old files of the entries moved so far (in reverse order); returns the
    finals that could not be put back."""
    stuck = []
    for e in reversed(entries):
        final, backup = Path(e["final"]), Path(e["backup"])
        try:
            if backup.exists():
                _move(backup, final)
            elif e["new"] and not e["existed"] and final.exists() and not Path(e["new"]).exists():
                final.unlink()
        except OSError:
            stuck.append(str(final))
    return stuck


def publish(pairs: list[tuple[Path, Path]], work: Path, retire: list[Path] = ()) -> None:
    """Move each staged file to its final path, all or none (see the module's docstring);
    the files in `retire` (outputs of an earlier version that the new set no longer has) leave
    with the old set, and come back with it if the set cannot be put in place.

    Raises PublishError (an OSError) when the set could not be put in place; by then every
    move made has been undone and the message says so, or says which files could not be put
    back."""
    work = Path(work)
    mine = [final for _new, final in pairs if foreign(final)]
    if mine:
        raise PublishError(
            errno.EEXIST,
            f"输出目录中已有不是本程序生成的文件（{'、'.join(str(p) for p in mine[:3])}），"
            "为免覆盖，本次生成的文件均未替换：请移走这些文件后重试",
        )
    backups = work / "backup"
    backups.mkdir(exist_ok=True)
    moves = [(None, old) for old in retire if Path(old).exists()] + list(pairs)
    entries = [
        {
            "new": new and str(new),
            "final": str(final),
            "backup": str(backups / f"{i}{Path(final).suffix}"),
            "existed": Path(final).exists(),
        }
        for i, (new, final) in enumerate(moves)
    ]
    journal = work / _JOURNAL
    with deferred_signals():  # the set is whole (old or new) before Ctrl+C or SIGTERM act
        atomic_write(journal, lambda p: p.write_text(dumps({"state": "moving", "entries": entries}), encoding="utf-8"))
        done: list[dict] = []
        try:
            for e in entries:
                final = Path(e["final"])
                final.parent.mkdir(parents=True, exist_ok=True)
                done.append(e)
                if e["existed"]:
                    _move(final, Path(e["backup"]))
                if e["new"]:
                    _move(Path(e["new"]), final)
        except OSError as exc:
            stuck = _undo(done)
            reason = describe_os_error(exc, "替换")
            if stuck:  # the journal stays: the next run tries again to put the old files back
                raise PublishError(
                    exc.errno, f"{reason}；以下文件未能恢复为原有版本，请检查：{'、'.join(stuck)}"
                ) from exc
            journal.unlink(missing_ok=True)
            raise PublishError(exc.errno, f"{reason}；本次生成的文件均未替换，原有文件保持不变") from exc
        atomic_write(journal, lambda p: p.write_text(dumps({"state": "done"}), encoding="utf-8"))
        try:
            record_written([Path(final) for _new, final in pairs])
        except OSError:
            pass  # the set is in place; only the list of what was written is behind
    shutil.rmtree(backups, ignore_errors=True)
    journal.unlink(missing_ok=True)
