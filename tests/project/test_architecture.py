"""The house docs/architecture.md describes is the one the imports build.

Its layer table (bottom to top) is read here and every import in fupin_lib, at the top of a
module or inside a function, is checked against it: a module imports only from its own layer
and the layers below; every module is in the table; no module comes back to itself through
others (no cycle). A test of the checks themselves runs them on a small hand-made house.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from fupin_lib import config

PACKAGE = config.PACKAGE_DIR
DOC = PACKAGE.parent / "docs" / "architecture.md"


def layer_table(text: str) -> dict[str, int]:
    """Module prefix (fupin_lib.ingest, fupin_lib.config …) -> its layer's number, from the
    table under "## Layers" whose rows read `| 2 | ingest | `ingest` |`."""
    section = text.split("## Layers", 1)[1].split("\n## ", 1)[0]
    layers: dict[str, int] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].isdigit():
            for name in re.findall(r"`([^`]+)`", cells[2]):
                layers["fupin_lib" if name == "__init__" else f"fupin_lib.{name}"] = int(cells[0])
    return layers


def modules(root: Path, package: str = "fupin_lib") -> dict[str, Path]:
    """Dotted name -> file, for every module of the package (a package is its __init__)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> list[tuple[str, str, int]]:
    """(importer, imported module, line) for every import of the package's own modules,
    wherever it stands in the file."""
    edges = []
    for name, path in mods.items():
        here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = (
                    ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
                    if node.level
                    else node.module
                )
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            else:
                continue
            for target in targets:
                while target not in mods and "." in target:
                    target = target.rsplit(".", 1)[0]
                if target in mods and target != name:
                    edges.append((name, target, node.lineno))
    return edges


def layer_of(module: str, layers: dict[str, int]) -> int | None:
    """The layer of the longest table entry the module is or lies under."""
    best = None
    for prefix, number in layers.items():
        if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best)):
            best = prefix
    return layers[best] if best else None


def upward(edges, layers) -> list[str]:
    return [
        f"{a}（第{layer_of(a, layers)}层，第 {line} 行）导入了上层的 {b}（第{layer_of(b, layers)}层）"
        for a, b, line in edges
        if layer_of(b, layers) > layer_of(a, layers)
    ]


def cycles(edges) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {}
    for a, b, _line in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@pytest.fixture(scope="module")
def house():
    layers = layer_table(DOC.read_text(encoding="utf-8"))
    mods = modules(PACKAGE)
    return layers, mods, imports(mods)


def test_every_module_has_a_layer_in_the_table(house):
    layers, mods, _edges = house
    assert len(set(layers.values())) >= 8, layers
    assert [m for m in mods if layer_of(m, layers) is None] == []
    assert [p for p in layers if p not in mods] == [], "the table names modules that do not exist"


def test_no_module_imports_from_a_layer_above_its_own(house):
    layers, _mods, edges = house
    assert len(edges) > 300  # the walk sees the imports inside functions too
    assert upward(edges, layers) == []


def test_no_module_comes_back_to_itself_through_others(house):
    _layers, _mods, edges = house
    assert cycles(edges) == []


def test_the_checks_find_an_upward_import_and_a_cycle(tmp_path):
    """The same checks on a hand-made house of four modules: the base importing the top inside
    a function is upward, and it closes one cycle with the two top modules importing each other."""
    pkg = tmp_path / "pkg"
    (pkg / "top").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "base.py").write_text("def f():\n    from .top import a\n")
    (pkg / "top" / "__init__.py").write_text("")
    (pkg / "top" / "a.py").write_text("from . import b\nfrom .. import base\n")
    (pkg / "top" / "b.py").write_text("from .a import x\n")
    layers = layer_table(
        "## Layers\n\n| # | layer | modules |\n|---|---|---|\n"
        "| 1 | base | `base` |\n| 2 | top | `top` |\n| 3 | package | `__init__` |\n"
    )
    layers = {k.replace("fupin_lib", "pkg", 1): v for k, v in layers.items()}
    mods = modules(pkg, "pkg")
    edges = imports(mods)
    assert sorted((a, b) for a, b, _ in edges) == [
        ("pkg.base", "pkg.top.a"),
        ("pkg.top.a", "pkg.base"),
        ("pkg.top.a", "pkg.top.b"),
        ("pkg.top.b", "pkg.top.a"),
    ]
    assert upward(edges, layers) == ["pkg.base（第1层，第 2 行）导入了上层的 pkg.top.a（第2层）"]
    assert cycles(edges) == [["pkg.base", "pkg.top.a", "pkg.top.b"]]


def test_the_tests_mirror_the_layers():
    """Every test file sits in a folder of tests/ that docs/architecture.md names, none at the
    top; each layer that is one package or module of its own (ingest, figures, render …) has a
    folder of its name."""
    tests = Path(__file__).resolve().parents[1]
    text = DOC.read_text(encoding="utf-8")
    paragraph = text.split("The tests mirror the layers", 1)[1].split("\n\n", 1)[0]
    declared = set(re.findall(r"`tests/(\w+)/`", paragraph))
    assert sorted(p.name for p in tests.glob("test_*.py")) == []
    assert {p.parent.relative_to(tests).as_posix() for p in tests.rglob("test_*.py")} == declared
    by_layer: dict[int, list[str]] = {}
    for module, number in layer_table(text).items():
        by_layer.setdefault(number, []).append(module)
    own = {m[0].split(".", 1)[1] for m in by_layer.values() if len(m) == 1 and "." in m[0]}
    assert {"ingest", "figures", "render", "assessment", "analyst", "cli"} <= own
    assert own - declared == set()
