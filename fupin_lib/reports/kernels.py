"""The report notebooks' kernels: one clean kernel per notebook, started ahead of need.

A kernel takes seconds to be ready: the interpreter starts, ipykernel starts, then the
notebook's first cell imports pandas, matplotlib and the library. A report worker therefore
keeps one kernel started in advance (`KernelPool`): the first while the batch reads the
ledgers, the next while it exports and checks the documents of the notebook before. The kernel
imports `WARM_MODULES` while it starts (ipykernel's `exec_lines`, each import bound to a name
that is deleted at once: the notebook finds no variable it did not make). Each kernel runs one
notebook and is then shut down, so nothing passes from one report to the next; papermill is
handed the started kernel's manager (`km=`, which nbclient uses instead of starting its own).

Kernels talk over Unix sockets in a folder of their own (`ipc_kernel_manager`), never TCP ports.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import config

# What every report notebook imports before its first figure (their first cells).
WARM_MODULES = ("pandas", "matplotlib.pyplot", "fupin_lib.render.charts", "fupin_lib.reports.notebook_api")
KERNEL_STARTS = 2  # a kernel that dies before answering kernel_info is started once more


def kernel_name() -> str:
    """The project's kernel, registered by `make setup`; else the default python3 kernel."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    return config.KERNEL_NAME if config.KERNEL_NAME in specs else "python3"


def socket_dir() -> str:
    """Where kernels' sockets go: a short path (a Unix socket's path has at most 107 bytes)."""
    base = tempfile.gettempdir()
    return base if len(base) < 60 else ("/tmp" if Path("/tmp").is_dir() else base)


def ipc_kernel_manager(folder: Path):
    """A kernel manager whose kernel talks over Unix sockets in `folder` (one folder per
    kernel) instead of TCP ports: kernels started at the same moment by parallel workers (or
    several districts in one batch) can never pick the same port (papermill issue 511, "ZMQError:
    Address already in use")."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            return str(Path(folder) / "k")

    return IpcKernelManager


def died_at_start(exc: BaseException) -> bool:
    """True for a kernel lost before it ran anything (it died at start, or never answered)."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return False
    text = f"{type(exc).__name__}: {exc}"
    return any(
        s in text
        for s in (
            "DeadKernel",
            "Kernel died before replying to kernel_info",
            "Address already in use",
            "Kernel didn't respond",
        )
    )


def warm_arguments(modules: tuple[str, ...] = WARM_MODULES) -> list[str]:
    """The kernel's command-line options that import `modules` while it starts, leaving no name
    behind in the notebook's namespace."""
    return [f"--IPKernelApp.exec_lines=import {m} as _fupin_warm; del _fupin_warm" for m in modules]


@dataclass
class Kernel:
    """A started kernel: its manager (for papermill's `km=`) and its sockets' folder."""

    km: object
    sockets: Path
    name: str
    cwd: str

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:
            return False

    def stop(self) -> None:
        """Shut the kernel down (at once: its notebook is done) and remove its sockets."""
        from jupyter_core.utils import run_sync

        try:
            client = getattr(self.km, "_fupin_client", None)
            if client is not None:
                client.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass
        finally:
            shutil.rmtree(self.sockets, ignore_errors=True)


def start_kernel(name: str, cwd: str, warm: bool = True) -> Kernel:
    """Start a kernel in `cwd` (the notebook's folder) and return at once: it gets ready (and
    imports WARM_MODULES) in its own process while the caller goes on."""
    from jupyter_core.utils import run_sync

    sockets = Path(tempfile.mkdtemp(prefix="fupin-k-", dir=socket_dir()))
    base = ipc_kernel_manager(sockets)

    class Manager(base):
        def client(self, **kwargs):  # the client nbclient makes, kept so that stop() closes its sockets
            made = super().client(**kwargs)
            self._fupin_client = made
            return made

    km = Manager(kernel_name=name)
    try:
        run_sync(km.start_kernel)(cwd=cwd, extra_arguments=warm_arguments() if warm else [])
    except BaseException:
        shutil.rmtree(sockets, ignore_errors=True)
        raise
    return Kernel(km, sockets, name, cwd)


class KernelPool:
    """At most one kernel started ahead of need, in this process (a report worker)."""

    def __init__(self) -> None:
        self.ready: Kernel | None = None

    def prestart(self, name: str, cwd: str) -> None:
        """Start the next notebook's kernel now, unless one is already waiting."""
        if self.ready is None:
            try:
                self.ready = start_kernel(name, cwd)
            except Exception:
                self.ready = None  # the notebook starts its own when it comes (and says why if it cannot)

    def take(self, name: str, cwd: str) -> Kernel:
        """A started kernel for one notebook: the one waiting if it is for this kernel and folder
        and still alive, else one started now. The caller stops it when the notebook is done."""
        kernel, self.ready = self.ready, None
        if kernel is not None and (kernel.name, kernel.cwd) == (name, cwd) and kernel.alive():
            return kernel
        if kernel is not None:
            kernel.stop()
        return start_kernel(name, cwd)

    def close(self) -> None:
        if self.ready is not None:
            self.ready.stop()
            self.ready = None


_POOL: KernelPool | None = None


def pool() -> KernelPool:
    """This process's pool; its waiting kernel is shut down when the process ends."""
    global _POOL
    if _POOL is None:
        import atexit
        from multiprocessing import util

        _POOL = KernelPool()
        # a pool worker ends through multiprocessing (its finalizers run, not atexit); the
        # batch's own process (the profile, one worker) through atexit
        util.Finalize(_POOL, _POOL.close, exitpriority=10)
        atexit.register(_POOL.close)
    return _POOL
