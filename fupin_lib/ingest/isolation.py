"""What one department's file can cost: bounds checked before a workbook is opened, and a
reader process of its own for each file.

A workbook is a zip of XML parts (.xlsx, .xlsm, .xlsb, .ods) or an OLE file (.xls): both can
claim anything. Before the reader sees a zip, `check_package` streams every entry once with a
cap: the entries' declared sizes must add up to less than `MAX_UNPACKED` and each entry must
inflate to exactly what it declares (a lie is 疑似损坏); no XML part may declare a DTD (external
entities are refused as unsafe); every sheet's `<dimension ref>` and its count of cells must
stay under `MAX_GRID_CELLS` and `MAX_CELLS` (a single stray cell at XFD1048576 asks the reader
for a grid of 17 billion cells: that sheet is refused and named, the others are read). Cells
holding a formula without a stored value are found there too (see reading.py).

Then `run` (or `run_each`, several files at once: `readers()`) reads the file in a child process (fork) with an address-space limit
(RLIMIT_AS: `memory_limit()` above what the child starts with) and a time limit
(`time_limit()`): an abort inside the reader (python-calamine aborts the process on an absurd
allocation), a MemoryError or a reader that never ends cost that file only, which is named
with a Chinese reason (文件过大, 无法读取, 疑似损坏), while every other file is read.

The limits can be set with FUPIN_READ_MEMORY_MB and FUPIN_READ_SECONDS.
"""

from __future__ import annotations

import faulthandler
import gc
import os
import pickle
import re
import resource
import select
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path
from typing import Any, Callable
from xml.etree import ElementTree

MAX_FILE_BYTES = 512 << 20  # a department's workbook on disk
MAX_UNPACKED = 1 << 30  # all entries of a zip, inflated
MAX_ENTRIES = 10_000  # entries in a zip
MAX_GRID_CELLS = 20_000_000  # rows x columns of a sheet's used range (the reader fills the grid)
MAX_CELLS = 20_000_000  # cells written in a sheet
MEMORY_MB = 2048  # what reading one file may add to the process, MB
SECONDS = 300  # what reading one file may take

_CHUNK = 1 << 20
IN_CHILD = False  # True in a reader process: its stderr already goes to the parent


class ReadBoundError(Exception):
    """A file refused or stopped by a bound; the message is for the user (Chinese)."""


def memory_limit() -> int:
    """Bytes one file's reader may add to its address space."""
    try:
        return int(os.environ.get("FUPIN_READ_MEMORY_MB", MEMORY_MB)) << 20
    except ValueError:
        return MEMORY_MB << 20


def time_limit() -> float:
    try:
        return float(os.environ.get("FUPIN_READ_SECONDS", SECONDS))
    except ValueError:
        return float(SECONDS)


def _size(n: float) -> str:
    """Bytes as a Chinese reader says them: 3.0 GB, 512 MB, 20 KB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} 字节"


def _count(n: int) -> str:
    if n >= 100_000_000:
        return f"{n / 100_000_000:.0f} 亿"
    if n >= 10_000:
        return f"{n / 10_000:.0f} 万"
    return f"{n:,}"


# --- before reading: the zip and its sheets ---------------------------------------------------

_CELL = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([^\"]+)\"")
_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_FORMULA = (b"<f>", b"<f ", b":f>", b":f ")


def cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column), 0-based, of a cell reference such as XFD1048576."""
    m = _CELL.match(ref.strip().upper())
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


class SheetScan:
    """What streaming one sheet's XML found: its dimension, its cells, formulas."""

    def __init__(self, entry: str):
        self.entry = entry
        self.dimension: str | None = None
        self.cells = 0
        self.formulas = False


def _scan_entry(z: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: bool) -> SheetScan:
    """Inflate one entry in chunks (never more than it declares: zipfile stops there and the
    CRC check then fails), looking for a DTD in the prolog and, in a sheet, its dimension,
    its cell count and whether it holds formulas."""
    scan = SheetScan(info.filename)
    head = b""
    tail = b""
    with z.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            if len(head) < 65536:
                head += chunk[:65536]
                if any(t in head for t in _DTD):
                    raise ReadBoundError(
                        "文件中含有XML实体声明（DOCTYPE/ENTITY，可用来读取本机文件或耗尽内存），"
                        "出于安全考虑不读取：请用Excel打开后另存为 .xlsx 再重新报送"
                    )
                if sheet and scan.dimension is None:
                    m = _DIMENSION.search(head)
                    if m:
                        scan.dimension = m.group(1).decode("ascii", "replace")
            if sheet:
                both = tail + chunk
                scan.cells += both.count(b"<c ") + both.count(b"<c>") + both.count(b":c ")
                scan.cells -= tail.count(b"<c ") + tail.count(b"<c>") + tail.count(b":c ")
                scan.formulas = scan.formulas or any(t in both for t in _FORMULA)
                tail = chunk[-8:]
    return scan


def _sheet_entries(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML entry, from xl/workbook.xml and its relationships (.xlsx, .xlsm)."""
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, ValueError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = os.path.normpath(target).replace(os.sep, "/")
    out = {}
    for el in book.iter():
        if el.tag.endswith("}sheet") or el.tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id")), None)
            if rid in targets and el.get("name") is not None:
                out[el.get("name")] = targets[rid]
    return out


class PackageScan:
    """The outcome of check_package: per sheet, why it is refused, and where formulas are."""

    def __init__(self):
        self.refused: dict[str, str] = {}  # sheet name -> reason
        self.formula_sheets: dict[str, str] = {}  # sheet name -> its XML entry


def check_package(path: Path) -> PackageScan:
    """Check a workbook before any reader opens it (see the module's docstring). Raises
    ReadBoundError for the whole file; sheets beyond the bounds are in `refused`."""
    path = Path(path)
    scan = PackageScan()
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadBoundError(
            f"文件过大（{_size(size)}，上限 {_size(MAX_FILE_BYTES)}），未读取：请删除多余的内容或分成几个文件后重新报送"
        )
    with path.open("rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            return scan  # not a zip (.xls, .csv): bounded by the reader's process
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return scan  # said by the reader: 文件已损坏
    with z:
        infos = z.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ReadBoundError(f"文件疑似损坏：压缩包中有 {len(infos):,} 个部件（正常的工作簿不超过几百个），未读取")
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNPACKED:
            biggest = max(infos, key=lambda i: i.file_size)
            raise ReadBoundError(
                f"文件过大：{_size(size)} 的文件解压后约 {_size(declared)}（其中 {biggest.filename} "
                f"{_size(biggest.file_size)}），超过 {_size(MAX_UNPACKED)} 的上限，未读取：请用Excel打开、"
                "删除多余内容后另存为 .xlsx 再重新报送"
            )
        sheets = _sheet_entries(z)
        by_entry = {entry: name for name, entry in sheets.items()}
        for info in infos:
            if info.is_dir():
                continue
            xml = info.filename.endswith((".xml", ".rels", ".vml"))
            try:
                found = _scan_entry(z, info, info.filename in by_entry) if xml or info.filename in by_entry else None
                if found is None:
                    _drain(z, info)
            except ReadBoundError:
                raise
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
                raise ReadBoundError(
                    f"文件疑似损坏：压缩包中的部件 {info.filename} 与其声明的大小或校验码不符"
                    f"（{type(exc).__name__}），未读取：请用Excel打开后另存为 .xlsx 再重新报送"
                ) from None
            if found is None or info.filename not in by_entry:
                continue
            name = by_entry[info.filename]
            if found.formulas:
                scan.formula_sheets[name] = info.filename
            problem = _sheet_problem(found)
            if problem:
                scan.refused[name] = problem
    return scan


def _drain(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    with z.open(info) as fh:
        while fh.read(_CHUNK):
            pass


def _sheet_problem(found: SheetScan) -> str | None:
    if found.cells > MAX_CELLS:
        return (
            f"工作表中有约 {_count(found.cells)}个单元格，超过 {_count(MAX_CELLS)}个的上限（文件过大），该表未读取："
            "请删除多余的内容或分成几个工作表后重新报送"
        )
    if not found.dimension:
        return None
    corners = [cell_position(part) for part in found.dimension.split(":")]
    if any(c is None for c in corners):
        return None
    # The reader fills the grid from A1 to the range's far corner, whatever the range's start.
    grid = (max(r for r, _c in corners) + 1) * (max(c for _r, c in corners) + 1)
    if grid <= MAX_GRID_CELLS:
        return None
    far = found.dimension.split(":")[-1]
    return (
        f"工作表的使用范围过大（{found.dimension}，约 {_count(grid)}个单元格，而实际填写的只有 {found.cells:,} 个），"
        f"读取需要的内存超过上限（文件过大），该表未读取：可能有内容误填在远处的单元格（如 {far}），"
        "请删除多余的行和列后重新报送"
    )


# --- reading in a process of its own ----------------------------------------------------------


def _vm_size() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _child(write_fd: int, err_fd: int, fn: Callable, args: tuple) -> None:
    """In the forked child: limits, then fn(*args) pickled to the pipe. Never returns."""
    global IN_CHILD
    IN_CHILD = True
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        faulthandler.disable()  # an abort here is the parent's to explain, not a crash dump
        os.dup2(err_fd, 2)
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _vm_size() + memory_limit()
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        try:
            outcome = ("ok", fn(*args))
        except MemoryError:
            outcome = ("memory", None)
        except ReadBoundError as exc:
            outcome = ("bound", str(exc))
        except BaseException as exc:  # sent back as it is: the caller decides
            try:
                pickle.dumps(exc)
                outcome = ("raised", exc)
            except Exception:
                outcome = ("failed", f"{type(exc).__name__}: {exc}")
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        with os.fdopen(write_fd, "wb") as out:
            out.write(data)
    except BaseException:
        code = 70
        try:
            traceback.print_exc()
        except BaseException:
            pass
    finally:
        os._exit(code)


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def isolation_available() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux") and os.environ.get("FUPIN_READ_ISOLATION") != "0"


class _Reader:
    """One child process reading: its pipe, its stderr file, its deadline and what it sent."""

    def __init__(self, fn: Callable[..., Any], args: tuple):
        read_fd, write_fd = os.pipe()
        self.err = tempfile.TemporaryFile()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = -1
        gc.freeze()  # the child's collector then leaves the inherited objects (and their pages) alone
        try:
            pid = os.fork()
        finally:
            if pid != 0:
                gc.unfreeze()
        if pid == 0:  # pragma: no cover - the child
            os.close(read_fd)
            _child(write_fd, self.err.fileno(), fn, args)
        os.close(write_fd)
        self.pid, self.fd = pid, read_fd
        self.deadline = time.monotonic() + time_limit()
        self.chunks: list[bytes] = []
        self.status: int | None = None
        self.timed_out = False

    def read(self) -> bool:
        """Take what the pipe holds; True when the child has finished (and is reaped)."""
        data = os.read(self.fd, _CHUNK)
        if data:
            self.chunks.append(data)
            return False
        self.status = os.waitpid(self.pid, 0)[1]
        os.close(self.fd)
        return True

    def stop(self, timed_out: bool = False) -> None:
        """Kill the child (a time limit passed, or the parent is stopping) and reap it."""
        self.timed_out = timed_out
        try:
            os.kill(self.pid, signal.SIGKILL)
            self.status = os.waitpid(self.pid, 0)[1]
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass

    def result(self) -> Any:
        """What fn returned, or what it raised; ReadBoundError (Chinese) when the child was
        stopped by a bound or died."""
        self.err.seek(0)
        said = self.err.read(65536).decode("utf-8", "replace")
        self.err.close()
        status = self.status
        if self.timed_out:
            raise ReadBoundError(
                f"读取超过 {time_limit():.0f} 秒仍未完成（文件过大或过于复杂），已停止读取，该文件未读取："
                "请删除多余的内容或分成几个文件后重新报送"
            )
        if self.chunks and status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            if said.strip() and "panicked at" not in said:
                sys.stderr.write(said)  # what the reader printed (a library's warning), as if read here
            kind, value = pickle.loads(b"".join(self.chunks))
            if kind == "ok":
                return value
            if kind == "raised":
                raise value
            if kind == "bound":
                raise ReadBoundError(value)
            if kind == "memory":
                raise ReadBoundError(
                    f"文件过大：读取所需内存超过 {_size(memory_limit())} 的上限，已停止读取，该文件未读取："
                    "请删除多余的内容或分成几个文件后重新报送"
                )
            raise ReadBoundError(f"文件无法读取（{value}），该文件未读取")
        wanted = re.search(r"memory allocation of (\d+) bytes failed", said)
        if wanted:
            raise ReadBoundError(
                f"文件过大：读取需要约 {_size(int(wanted.group(1)))} 内存（上限 {_size(memory_limit())}），"
                "已停止读取，该文件未读取：请删除多余的内容（如误填在远处的单元格）后重新报送"
            )
        status = status or 0
        how = (
            f"读取程序异常终止（{_signal_name(os.WTERMSIG(status))}）"
            if os.WIFSIGNALED(status)
            else f"读取程序异常退出（退出码 {os.WEXITSTATUS(status)}）"
        )
        raise ReadBoundError(
            f"文件无法读取：{how}，文件可能过大或疑似损坏，该文件未读取：请用Excel打开后另存为 .xlsx 再重新报送"
        )


def readers() -> int:
    """How many files are read at once: one per core, at most four, and no more than half the
    machine's memory allows at `memory_limit()` each."""
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):
        memory = 0
    by_memory = memory // (2 * memory_limit()) if memory > 0 else 1
    return max(1, min(os.cpu_count() or 1, 4, by_memory))


def run_each(fn: Callable[..., Any], calls: list[tuple], width: int | None = None) -> list[tuple[bool, Any]]:
    """fn(*args) for each args in calls, each in a child process of its own bounded in memory
    and time (see run), `width` at a time (readers()); in the order of calls, (True, what fn
    returned) or (False, the exception: what fn raised, or ReadBoundError). Ctrl+C or SIGTERM
    stops every child."""
    if not isolation_available():
        out = []
        for args in calls:
            try:
                out.append((True, fn(*args)))
            except (KeyboardInterrupt, SystemExit, GeneratorExit):
                raise
            except BaseException as exc:  # pyo3's PanicException too
                out.append((False, exc))
        return out
    width = max(1, width or readers())
    waiting = list(enumerate(calls))[::-1]
    active: dict[int, tuple[int, _Reader]] = {}
    done: dict[int, _Reader] = {}
    try:
        while waiting or active:
            while waiting and len(active) < width:
                index, args = waiting.pop()
                reader = _Reader(fn, args)
                active[reader.fd] = (index, reader)
            now = time.monotonic()
            for fd, (index, reader) in list(active.items()):
                if reader.deadline <= now:
                    reader.stop(timed_out=True)
                    done[index] = active.pop(fd)[1]
            if not active:
                continue
            left = min(r.deadline for _i, r in active.values()) - now
            ready, _, _ = select.select(list(active), [], [], max(0.0, min(left, 1.0)))
            for fd in ready:
                index, reader = active[fd]
                if reader.read():
                    done[index] = active.pop(fd)[1]
    finally:
        for _index, reader in active.values():  # interrupted: the children go too
            reader.stop()
    out = []
    for index in range(len(calls)):
        try:
            out.append((True, done[index].result()))
        except BaseException as exc:
            out.append((False, exc))
    return out


def run(fn: Callable[..., Any], *args: Any) -> Any:
    """fn(*args) in a child process bounded in memory and time; its result (pickled), or the
    exception it raised. Raises ReadBoundError (Chinese) when the child is stopped by a bound or
    dies."""
    if not isolation_available():
        return fn(*args)
    ok, value = run_each(fn, [args], width=1)[0]
    if ok:
        return value
    raise value
