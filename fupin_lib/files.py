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
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

STAGING_DIR_NAME = ".fupin-staging"
_OWNER = "owner.json"
_JOURNAL = "journal.json"


def _read_umask() -> int:
    mask = os.umask(0)     # the only way to read it is to set it: done once, at import
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
            owner = json.loads((folder / _OWNER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            owner = {}
        if owner and _alive(owner):
            continue
        journal = folder / _JOURNAL
        if journal.exists():
            try:
                state = json.loads(journal.read_text(encoding="utf-8"))
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
        shutil.rmtree(work, ignore_errors=True)
        try:
            root.rmdir()  # only when empty: other runs may be staging beside this one
        except OSError:
            pass


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
    backups = work / "backup"
    backups.mkdir(exist_ok=True)
    moves = [(None, old) for old in retire if Path(old).exists()] + list(pairs)
    entries = [{"new": new and str(new), "final": str(final), "backup": str(backups / f"{i}{Path(final).suffix}"),
                "existed": Path(final).exists()} for i, (new, final) in enumerate(moves)]
    journal = work / _JOURNAL
    atomic_write(journal, lambda p: p.write_text(json.dumps({"state": "moving", "entries": entries},
                                                             ensure_ascii=False), encoding="utf-8"))
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
        journal.unlink(missing_ok=True)
        reason = describe_os_error(exc, "替换")
        if stuck:
            raise PublishError(exc.errno, f"{reason}；以下文件未能恢复为原有版本，请检查：{'、'.join(stuck)}") from exc
        raise PublishError(exc.errno, f"{reason}；本次生成的文件均未替换，原有文件保持不变") from exc
    atomic_write(journal, lambda p: p.write_text(json.dumps({"state": "done"}), encoding="utf-8"))
    shutil.rmtree(backups, ignore_errors=True)
    journal.unlink(missing_ok=True)
