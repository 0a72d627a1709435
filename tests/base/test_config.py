"""config.py: the paths, and how a path is shown to the office."""

from __future__ import annotations

from pathlib import Path

from fupin_lib import config


def test_a_path_is_shown_relative_to_the_project_only_when_inside_it(tmp_path):
    """The explore notebook showed an export under FUPIN_CACHE with relative_to(PROJECT_ROOT),
    which raises for a cache outside the project (as `FUPIN_CACHE=/tmp/…` puts it)."""
    inside = config.PROJECT_ROOT / "reports" / "2020Q2" / "简报_2020Q2.pdf"
    assert config.shown(inside) == Path("reports/2020Q2/简报_2020Q2.pdf")
    outside = Path("/tmp") / "fupin-cache" / "导出" / "食堂采购比例_2020Q2.xlsx"
    assert config.shown(outside) == outside
    assert config.shown("data/raw") == Path("data/raw")  # already relative: as given


def test_every_location_is_under_the_project_the_package_or_the_build_folder():
    """The product writes and reads where config says (the locations other modules used to define)."""
    homes = (config.PROJECT_ROOT, config.PACKAGE_DIR, config.BUILD_DIR, config.CACHE_DIR)
    for name in (
        "FEEDBACK_DIR",
        "CITY_EXPORT_DIR",
        "DICTIONARY_FILE",
        "SHIPPED_PLANS_DIR",
        "DEPARTMENTS_FILE",
        "STORE_CACHE_DIR",
        "LOCKS_DIR",
        "OWN_WORDING_DIR",
        "TYPST_TEMPLATE",
        "REPORT_STYLESHEET",
    ):
        path = getattr(config, name)
        assert any(path.is_relative_to(home) for home in homes), name
    assert config.TYPST_TEMPLATE.is_file() and config.REPORT_STYLESHEET.is_file() and config.DEPARTMENTS_FILE.is_file()
    assert (config.SHIPPED_PLANS_DIR / "2020").is_dir()
