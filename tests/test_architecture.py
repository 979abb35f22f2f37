"""The package's shape: where WeasyPrint's internals may be touched, imports
that flow one way, a small root, and tests that mirror the packages."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.timeout(60)

PACKAGE = REPO / "book"
ADAPTER = PACKAGE / "pdf" / "weasy"
ROOT_MODULES = {
    "__init__",
    "__main__",
    "cli",
    "pipeline",
    "model",
    "diagnostics",
    "errors",
    "output",
    "progress",
    "workers",
    "report",
    "fingerprint",
}
"""The cross-cutting core; everything else lives in a stage's or an edition's package."""


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path) -> Iterator[tuple[int, str, tuple[str, ...]]]:
    """(line, module, names) of every import, at any depth (lazy ones too)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.lineno, node.module, tuple(alias.name for alias in node.names)


def test_only_the_adapter_package_imports_weasyprint_or_pydyf() -> None:
    outside = [
        f"{path.relative_to(REPO)}:{line}: {module}"
        for path in PACKAGE.rglob("*.py")
        if ADAPTER not in path.parents
        for line, module, _ in _imports(path)
        if module.split(".")[0] in {"weasyprint", "pydyf"}
    ]
    assert outside == []


def test_the_adapter_package_is_really_where_weasyprint_is_used() -> None:
    """The rule above would hold vacuously if nothing imported WeasyPrint."""
    users = {
        path.name
        for path in ADAPTER.glob("*.py")
        if any(module.startswith("weasyprint") for _, module, _ in _imports(path))
    }
    assert {"layout.py", "boxes.py", "footnotes.py", "fonts.py"} <= users


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for _, module, names in _imports(path):
            if module != "book" and not module.startswith("book."):
                continue
            targets = [f"{module}.{each}" for each in names if f"{module}.{each}" in modules]
            if not targets and module in modules:
                targets = [module]
            # A package is initialised before its modules run: importing a name
            # from an enclosing package (``from book import __version__``) is
            # already satisfied and cannot take part in an import cycle.
            graph[name].update(
                target for target in targets if target != name and not name.startswith(f"{target}.")
            )
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_is_no_import_cycle() -> None:
    graph = _graph()
    assert sum(len(targets) for targets in graph.values()) > 100  # the graph was read
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_package_root_holds_only_the_core() -> None:
    root = {path.stem for path in PACKAGE.glob("*.py")}
    assert root == ROOT_MODULES


def test_tests_mirror_the_packages() -> None:
    """Each test module sits in the folder of the package it tests; every
    subpackage with code has its folder of tests."""
    packages = {path.parent.relative_to(PACKAGE) for path in PACKAGE.rglob("*.py")}
    packages.discard(Path("."))
    missing = [str(folder) for folder in packages if not (REPO / "tests" / folder).is_dir()]
    assert missing == []
    strays = [
        str(path.relative_to(REPO))
        for path in (REPO / "tests").rglob("test_*.py")
        if not (PACKAGE / path.parent.relative_to(REPO / "tests")).is_dir()
    ]
    assert strays == []
