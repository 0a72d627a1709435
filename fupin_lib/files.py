"""Writing a file so that readers only ever see the old or the complete new version."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def atomic_write(path: Path, write: Callable[[Path], object], mode: int | None = None) -> Path:
    """Call write(temporary path) in the target's folder, then move the result into place.

    Safe across threads and processes (each writer has its own temporary file); a failed write
    leaves the previous file as it was and no temporary file behind. `mode` sets permissions
    (the temporary file is created readable by its owner only).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    os.close(fd)
    try:
        write(Path(tmp))
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
