"""A Simplified Chinese font for charts, from the pip package noto-cjk-sans-otc (OFL).

The package ships one OpenType collection (.ttc); matplotlib reads only its first face
(Noto Sans CJK JP), whose glyph shapes are Japanese. The Simplified Chinese face is extracted
once (by `make setup`, beside the font package in the venv: config.BUILD_DIR) and registered,
so charts show 简体 shapes and never empty boxes.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

from ..config import BUILD_DIR
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


def sc_font_path(cache_dir: Path = BUILD_DIR) -> Path:
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
# Whole blocks of symbols a report may show (the face's glyphs of them): general punctuation,
# letterlike symbols and number forms (Ⅱ), arrows, mathematical operators (− U+2212, which a page
# missing from the cut sent down the slow path: the whole face cut and converted, a second a page),
# enclosed numbers (①), geometric shapes, CJK symbols and punctuation, full-width forms.
_PRINT_BLOCKS = (
    (0x2000, 0x206F),
    (0x2100, 0x21FF),
    (0x2200, 0x22FF),
    (0x2460, 0x24FF),
    (0x25A0, 0x25FF),
    (0x3000, 0x303F),
    (0xFF00, 0xFFEF),
)


def print_font_path(cache_dir: Path = BUILD_DIR) -> Path:
    """The SC face cut down to GB 2312 plus Latin and punctuation (7,600 of its 65,000
    glyphs), built once: the source of the web cut (web_font_path), and the face the
    benchmark's hand-written WeasyPrint route names first (then the full face, so that
    nothing becomes a box)."""
    target = Path(cache_dir) / "fonts" / "NotoSansCJKsc-Print-2.otf"  # -2: with _PRINT_BLOCKS
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
    codes += [c for start, end in _PRINT_BLOCKS for c in range(start, end + 1)]
    options = subset.Options()
    options.layout_features, options.name_IDs = ["*"], ["*"]
    options.notdef_outline, options.hinting = True, False
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codes)
    subsetter.subset(font)
    _save(font, target)


def web_font_path(cache_dir: Path = BUILD_DIR) -> Path:
    """The print cut (GB 2312, Latin, punctuation, symbol blocks) with TrueType outlines, built
    once (about half a minute, at set-up): the HTML pages' font subsets are cut from it in a quarter of a second,
    where cutting the CFF face and converting its outlines takes about a second a page."""
    target = Path(cache_dir) / "fonts" / "NotoSansCJKsc-Web-2.ttf"
    source = print_font_path(cache_dir)
    with _LOCK:
        if not target.exists():
            from fontTools.ttLib import TTFont

            font = TTFont(str(source), recalcBBoxes=False)
            to_truetype(font)
            _save(font, target)
    return target


@lru_cache(maxsize=None)
def web_font_codes(cache_dir: Path = BUILD_DIR) -> frozenset[int]:
    """The characters the web cut has."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(web_font_path(cache_dir)), lazy=True)["cmap"].getBestCmap())


def to_truetype(font) -> None:
    """Replace the font's CFF outlines by TrueType (quadratic) ones, within 1/1000 em.

    A browser's print to PDF (Chromium's Skia) embeds a CFF web font as Type 3 glyph procedures,
    whose text boxes are far taller than the text (they overlap line to line for any PDF tool)
    and which some viewers draw blurred; TrueType outlines are embedded as a real font."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    maxp = newTable("maxp")  # version 1.0 (TrueType); the glyph counts are computed on save
    maxp.tableVersion = 0x00010000
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    del font["CFF "]
    font["glyf"], font["loca"], font["maxp"] = glyf, newTable("loca"), maxp
    font["post"].formatType = 3.0  # no glyph names: a web font needs none
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.recalcBBoxes = True


# The type roles of a Chinese official document (GB/T 9704-2012) in the PDF, each with the free
# face that plays it: the title in 小标宋 (Noto Serif CJK SC Bold), the body in 仿宋 (no free
# Simplified Chinese 仿宋 exists on PyPI, Debian or npm: cwTeX's covers traditional characters
# only, so the 宋 face Word also falls back to, Noto Serif CJK SC), first-level headings in 黑体
# (Noto Sans CJK SC Bold), second-level headings in 楷体 (LXGW WenKai). Tables and charts keep the
# sans face. Debian's fonts-noto-cjk and fonts-lxgw-wenkai carry them (`make setup` installs them);
# where one is missing, the PDF is set in the sans face alone, with its bold drawn (as before).
ROLE_FILES = {
    "title": ("Noto Serif CJK SC", "opentype/noto/NotoSerifCJK-Bold.ttc"),
    "body": ("Noto Serif CJK SC", "opentype/noto/NotoSerifCJK-Regular.ttc"),
    "heading": ("Noto Sans CJK SC", "opentype/noto/NotoSansCJK-Bold.ttc"),
    "subheading": ("LXGW WenKai", "truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf"),
}
ROLE_PACKAGES = ("fonts-noto-cjk", "fonts-lxgw-wenkai")


def role_font_files(font_dir: Path | None = None) -> list[Path] | None:
    """The files of the PDF's role faces (ROLE_FILES) if all are installed, else None."""
    from ..config import SYSTEM_FONT_DIR

    base = Path(font_dir or SYSTEM_FONT_DIR)
    files = [base / name for _family, name in ROLE_FILES.values()]
    return files if all(f.is_file() for f in files) else None


def role_faces(font_dir: Path | None = None) -> dict[str, str]:
    """Each type role's family, or the sans face for every role where the role faces are missing;
    "real_bold" says whether bold is a bold face ("yes") or drawn ("")."""
    if role_font_files(font_dir) is None:
        return {role: FAMILY for role in ROLE_FILES} | {"table": FAMILY, "real_bold": ""}
    return {role: family for role, (family, _name) in ROLE_FILES.items()} | {"table": FAMILY, "real_bold": "yes"}
