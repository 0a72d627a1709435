"""Issue 13: the public API explains itself: help(fupin_lib) lists it, every public function
has a docstring, and the examples in them give what they say (on the shipped sample data)."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pydoc

import pytest

import fupin_lib
from fupin_lib import config

MODULES = ["fupin_lib.catalog", "fupin_lib.periods", "fupin_lib.windows", "fupin_lib.privacy", "fupin_lib.secret", "fupin_lib.store",
           "fupin_lib.ingest.policy", "fupin_lib.ingest.pseudonym"] + [
    f"fupin_lib.figures.{m}" for m in ("cadres", "consumption", "funds", "governance", "headline", "labour", "pairing",
                                       "registry", "sections", "society", "targets")]


def test_help_lists_the_api():
    text = pydoc.render_doc(fupin_lib, renderer=pydoc.plaintext)
    functions = text[text.index("FUNCTIONS"):]
    for name in ("tables", "describe", "load", "load_all", "ingest_folder", "parse_period"):
        assert f"\n    {name}(" in functions, name
        assert ">>>" in inspect.getdoc(getattr(fupin_lib, name)), name       # each with an example
    for words in ("person_key", "数据字典", "figures", "load_result", "make lab"):
        assert words in fupin_lib.__doc__


@pytest.mark.parametrize("module", MODULES)
def test_public_functions_have_docstrings(module):
    mod = importlib.import_module(module)
    missing = [name for name, fn in vars(mod).items() if inspect.isfunction(fn) and fn.__module__ == module
               and not name.startswith("_") and not inspect.getdoc(fn)]
    assert missing == []


@pytest.mark.skipif(not config.SAMPLE_MANIFEST.exists(), reason="the examples use the shipped sample data in data/raw")
@pytest.mark.parametrize("module", MODULES)
def test_examples_hold(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0
