"""Issue 13: the public API explains itself: help(fupin_lib) lists it, every public function
has a docstring, and the examples in them give what they say (on the shipped sample data)."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pydoc
import re

import pytest

import fupin_lib
from fupin_lib import config

MODULES = [
    "fupin_lib.catalog",
    "fupin_lib.periods",
    "fupin_lib.windows",
    "fupin_lib.filters",
    "fupin_lib.analyst.series",
    "fupin_lib.analyst.lookup",
    "fupin_lib.analyst.export",
    "fupin_lib.analyst.sql",
    "fupin_lib.analyst.lab",
    "fupin_lib.privacy",
    "fupin_lib.secret",
    "fupin_lib.store",
    "fupin_lib.ingest.folder",
    "fupin_lib.ingest.pseudonym",
    "fupin_lib.ingest.years",
] + [
    f"fupin_lib.figures.{m}"
    for m in (
        "cadres",
        "consumption",
        "funds",
        "governance",
        "headline",
        "labour",
        "pairing",
        "registry",
        "sections",
        "society",
        "targets",
        "previous_year",
    )
]


API = (
    "tables",
    "describe",
    "load",
    "load_all",
    "where",
    "ingest_folder",
    "parse_period",
    "period_range",
    "series",
    "find_person",
    "source_rows",
    "access_log",
    "to_excel",
    "sql",
    "notices",
    "round_changes",
)


def test_help_lists_the_api():
    text = pydoc.render_doc(fupin_lib, renderer=pydoc.plaintext)
    functions = text[text.index("FUNCTIONS") :]
    for name in API:
        assert f"\n    {name}(" in functions, name
    for name in (
        "tables",
        "describe",
        "load",
        "load_all",
        "where",
        "ingest_folder",
        "parse_period",
        "period_range",
        "series",
        "find_person",
        "source_rows",
        "to_excel",
        "sql",
        "notices",
        "round_changes",
    ):
        assert ">>>" in inspect.getdoc(getattr(fupin_lib, name)), name  # each with an example
    for words in ("person_key", "数据字典", "figures", "load_result", "make lab", "series", "find_person", "sql"):
        assert words in fupin_lib.__doc__


@pytest.mark.parametrize("name", API)
def test_public_api_explains_itself_in_chinese(name):
    """help() is Chinese, and so is what each function of the public API says first."""
    first = inspect.getdoc(getattr(fupin_lib, name)).splitlines()[0]
    assert re.search(r"[\u4e00-\u9fff]", first), (name, first)
    assert name in fupin_lib.__all__


@pytest.mark.parametrize("module", MODULES)
def test_public_functions_have_docstrings(module):
    mod = importlib.import_module(module)
    missing = [
        name
        for name, fn in vars(mod).items()
        if inspect.isfunction(fn) and fn.__module__ == module and not name.startswith("_") and not inspect.getdoc(fn)
    ]
    assert missing == []


@pytest.mark.skipif(not config.SAMPLE_MANIFEST.exists(), reason="the examples use the shipped sample data in data/raw")
@pytest.mark.parametrize("module", MODULES)
def test_examples_hold(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0
