"""The Simplified Chinese font: the SC face (not the collection's first, Japanese face),
built once even when report jobs ask for it at the same time."""

from concurrent.futures import ThreadPoolExecutor

from fontTools.ttLib import TTFont

from fupin_lib.render import fonts


def test_sc_face_extracted_once_under_concurrency(tmp_path):
    with ThreadPoolExecutor(4) as pool:
        paths = set(pool.map(lambda _: fonts.sc_font_path(tmp_path), range(4)))
    assert len(paths) == 1
    path = paths.pop()
    assert TTFont(str(path))["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_matplotlib_uses_the_sc_face():
    import matplotlib

    assert fonts.setup_matplotlib() == "Noto Sans CJK SC"
    assert matplotlib.rcParams["font.family"] == ["Noto Sans CJK SC"]
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False)
    assert found.endswith("NotoSansCJKsc-Regular.otf")
