"""Shared fixtures: tiny projects on disk and the sample book built once."""

from __future__ import annotations

import importlib
import os
import shutil
import textwrap
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from book import pipeline
from book.model import Format

REPO = Path(__file__).resolve().parent.parent

MakeProject = Callable[..., Path]


def write_project(
    root: Path,
    chapters: dict[str, str],
    book: str = 'title = "Test Book"\nauthors = ["A. Writer"]\nlanguage = "en"\n',
    build: str = "",
    files: dict[str, bytes] | None = None,
) -> Path:
    """A project with the given chapters (name -> Markdown) and extra files."""
    root.mkdir(parents=True, exist_ok=True)
    toml = f"[book]\n{book}"
    if build:
        toml += f"\n[build]\n{build}"
    (root / "book.toml").write_text(toml, encoding="utf-8")
    for name, text in chapters.items():
        path = root / "chapters" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for name, data in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> MakeProject:
    def make(chapters: dict[str, str], **kwargs: object) -> Path:
        return write_project(tmp_path / "project", chapters, **kwargs)  # type: ignore[arg-type]

    return make


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50">'
    b'<title>box</title><rect x="5" y="5" width="90" height="40" fill="none" stroke="black"/></svg>'
)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (90, 90, 90)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
"""A real (tiny) PNG file."""


def copy_sample(root: Path) -> Path:
    """The repository's sample book (book.toml, chapters, styles) copied into ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("book.toml", "chapters", "styles"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    return root


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own sample book, built once in all three formats."""
    project = copy_sample(tmp_path_factory.mktemp("sample"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764028800")
    pipeline.build(project, tuple(Format))
    return project / "build"


def java_available() -> bool:
    return shutil.which("java") is not None


def require_java() -> None:
    """EPUBCheck needs Java: skipped without it, except in CI where it must run."""
    if not java_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Java is missing in CI: .ci/run must install default-jre-headless")
        pytest.skip("Java is not installed (EPUBCheck needs it)")


def box_styles(document: Any) -> list[Any]:
    """The style of every box on a WeasyPrint document's pages, in tree order."""
    found: list[Any] = []

    def walk(box: Any) -> None:
        found.append(box.style)
        for child in getattr(box, "children", None) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return found


def put_back(monkeypatch: pytest.MonkeyPatch, name: str, modules: Iterable[str]) -> None:
    """WeasyPrint's own function back where octavo's wrapper of it is, as
    ``name`` in each of WeasyPrint's ``modules`` (as ``"layout.inline"``)."""
    restored = 0
    for dotted in modules:
        module = importlib.import_module(f"weasyprint.{dotted}")
        original = getattr(getattr(module, name, None), "octavo_original", None)
        if original is not None:
            monkeypatch.setattr(module, name, original)
            restored += 1
    assert restored, f"no wrapper of {name} in place"
