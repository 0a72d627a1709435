"""A Simplified Chinese font for charts, from the pip package noto-cjk-sans-otc (OFL).

The package ships one OpenType collection (.ttc); matplotlib reads only its first face
(Noto Sans CJK JP), whose glyph shapes are Japanese. The Simplified Chinese face is extracted
once into the cache folder and registered, so charts show 简体 shapes and never empty boxes.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from ..config import CACHE_DIR
from ..files import atomic_write

FAMILY = "Noto Sans CJK SC"
_LOCK = threading.Lock()  # report jobs run in threads: build each font once


def _save(font, target: Path) -> None:
    """Save the font through a temporary file, then move it into place (safe across processes)."""
    atomic_write(target, lambda tmp: font.save(str(tmp)), mode=0o644)
_SC_FACE = 2  # face index of Noto Sans CJK SC in NotoSansCJK-Regular.ttc


def collection_path() -> Path:
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


def sc_font_path(cache_dir: Path = CACHE_DIR) -> Path:
    """The Simplified Chinese face as a standalone .otf, extracted on first use."""
    target = Path(cache_dir) / "fonts" / "NotoSansCJKsc-Regular.otf"
    with _LOCK:
        if not target.exists():
            _extract_sc(target)
    return target


def _extract_sc(target: Path) -> None:
    from fontTools.ttLib import TTCollection

    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTCollection(str(collection_path())).fonts[_SC_FACE]
    if font["name"].getDebugName(1) != FAMILY:  # pragma: no cover - guards a changed package
        raise RuntimeError(f"字体包内容与预期不符：第{_SC_FACE}个字体不是 {FAMILY}")
    _save(font, target)


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


PRINT_FAMILY = "Fupin Print SC"
_PRINT_EXTRA = "，。、；：？！“”‘’（）《》【】〔〕—…·￥％＋－×÷＝＜＞～　•●○■□▲△▼◆◇★☆→←↑↓√✓✗‰℃№≥≤≠±"


def print_font_path(cache_dir: Path = CACHE_DIR) -> Path:
    """The SC face cut down to GB 2312 plus Latin and punctuation, built once for PDFs.

    WeasyPrint subsets every embedded font per document, and subsetting the full CJK face
    (65,000 glyphs) costs about 10 s a PDF; this cut (7,600 glyphs) about 3 s. A character
    outside it falls back to the full face (pdf.py lists both), so nothing becomes a box.
    """
    target = Path(cache_dir) / "fonts" / "NotoSansCJKsc-Print.otf"
    source = sc_font_path(cache_dir)
    with _LOCK:
        if not target.exists():
            _build_print(source, target)
    return target


def _build_print(source: Path, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    def in_gb2312(code: int) -> bool:
        try:
            chr(code).encode("gb2312")
            return True
        except UnicodeEncodeError:
            return False

    codes = [c for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000 and in_gb2312(c)]
    codes += list(range(0x20, 0x250)) + [ord(c) for c in _PRINT_EXTRA]
    options = subset.Options()
    options.layout_features, options.name_IDs = ["*"], ["*"]
    options.notdef_outline, options.hinting = True, False
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    _save(font, target)
