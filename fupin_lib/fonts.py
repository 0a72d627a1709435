"""A Simplified Chinese font for charts, from the pip package noto-cjk-sans-otc (OFL).

The package ships one OpenType collection (.ttc); matplotlib reads only its first face
(Noto Sans CJK JP), whose glyph shapes are Japanese. The Simplified Chinese face is extracted
once into the cache folder and registered, so charts show 简体 shapes and never empty boxes.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .config import CACHE_DIR

FAMILY = "Noto Sans CJK SC"
_SC_FACE = 2  # face index of Noto Sans CJK SC in NotoSansCJK-Regular.ttc


def collection_path() -> Path:
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


def sc_font_path(cache_dir: Path = CACHE_DIR) -> Path:
    """The Simplified Chinese face as a standalone .otf, extracted on first use."""
    target = Path(cache_dir) / "fonts" / "NotoSansCJKsc-Regular.otf"
    if not target.exists():
        from fontTools.ttLib import TTCollection

        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTCollection(str(collection_path())).fonts[_SC_FACE]
        if font["name"].getDebugName(1) != FAMILY:  # pragma: no cover - guards a changed package
            raise RuntimeError(f"字体包内容与预期不符：第{_SC_FACE}个字体不是 {FAMILY}")
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(tmp))
        os.replace(tmp, target)
    return target


@lru_cache(maxsize=None)
def setup_matplotlib() -> str:
    """Register the font and make it matplotlib's default; returns the family name."""
    import matplotlib
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(sc_font_path()))
    matplotlib.rcParams["font.family"] = [FAMILY]
    matplotlib.rcParams["font.sans-serif"] = [FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return FAMILY
