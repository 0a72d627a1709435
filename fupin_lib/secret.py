"""The project's secret key and the keyed hashes made with it (HMAC-SHA256).

The clean tables never hold an ID number, a phone number or a full name in clear: each is
replaced by a keyed hash (ingest/pseudonym.py), so that counting, de-duplication and matching
across ledgers still work while the tables alone reveal nobody. Without the key, a hash cannot
be checked against a guessed ID or name; the raw workbooks stay the only place with clear values.

The key is 32 random bytes (hex) in `config.SECRET_FILE` (`.fupin-secret.key` at the project
root, or `FUPIN_SECRET`), mode 0600, kept out of git. `make setup` creates it; so does the first
use when it is missing, with a message. A new key gives new hashes: the store (store.py) is
keyed by the key's fingerprint and is made again.

    >>> len(keyed_hash("person", "11010519491231002X"))
    24
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from . import config

KEY_BYTES = 32
HASH_CHARS = 24  # 96 bits: no collision among any realistic number of persons


class SecretError(RuntimeError):
    """The key file exists but cannot be used; the message is for the user (Chinese)."""


def _create(path: Path) -> bool:
    """Write a new key to path unless one is there (another process may be making it right now:
    the file appears complete or not at all). True when this call made it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = secrets.token_hex(KEY_BYTES) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-secret-")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # a file system without hard links: create in place
    finally:
        os.remove(tmp)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text)
    return True


@lru_cache(maxsize=None)
def _key(path_text: str) -> bytes:
    path = Path(path_text)
    if not path.exists() and _create(path):
        print(
            f"已生成密钥文件 {path}：清洗后的表中身份证号、手机号和姓名以此密钥转换为不可还原的键。"
            "请勿提交到 git 或外传；更换或删除密钥后，清洗后的表会重新生成。",
            file=sys.stderr,
        )
    try:
        if path.stat().st_mode & 0o077:
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)  # readable by its owner only
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError) as exc:
        raise SecretError(
            f"密钥文件 {path} 无法读取或格式不对（{type(exc).__name__}）；"
            "可删除该文件后重新运行以生成新密钥（清洗后的表会重新生成）"
        ) from exc
    if len(key) < 16:
        raise SecretError(f"密钥文件 {path} 的密钥太短；可删除该文件后重新运行以生成新密钥")
    return key


def key() -> bytes:
    """The project's key, created on first use when missing."""
    return _key(str(config.SECRET_FILE))


def ensure() -> Path:
    """Create the key file if it is missing (make setup); returns its path."""
    key()
    return Path(config.SECRET_FILE)


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of `kind` and `value` under the project's key, as 24 hex characters. `kind`
    separates what is hashed (person, name, phone): an ID and a name never share a hash.

        >>> keyed_hash("person", "11010519491231002X") == keyed_hash("person", "11010519491231002X")
        True
    """
    return hmac.digest(key(), f"{kind}\x1f{value}".encode("utf-8"), hashlib.sha256).hex()[:HASH_CHARS]


def fingerprint() -> str:
    """A short fingerprint of the key (reveals nothing of it): part of the store's key."""
    return keyed_hash("fingerprint", "fupin")[:12]
