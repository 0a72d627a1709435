"""The metric keys (metrics.csv) as fast lookups: Chinese label and unit of a key."""

from __future__ import annotations

from functools import lru_cache

from .. import refdata


@lru_cache(maxsize=None)
def _table() -> dict[str, tuple[str, str]]:
    m = refdata.metrics()
    return {k: (label, unit) for k, label, unit in zip(m["key"], m["label_zh"], m["unit"])}


def known(key: str) -> bool:
    return key in _table()


def label(key: str) -> str:
    """The key's Chinese label (the key itself if unknown)."""
    return _table().get(key, (key, ""))[0]


def unit(key: str) -> str:
    """The key's unit as metrics.csv writes it: flag, persons, 10k CNY, count 0-4, grade 好/一般 ..."""
    return _table()[key][1]
