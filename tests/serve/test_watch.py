"""watch: edits in the project reach the callback; build output and hidden files do not."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from book.serve.watch import ProjectWatcher, is_source_path

WAIT = 30.0


def test_source_paths() -> None:
    root = Path("/p")
    assert is_source_path(root, Path("/p/chapters/01-a.md"))
    assert is_source_path(root, Path("/p/book.toml"))
    assert is_source_path(root, Path("/p/images/deep/map.svg"))
    assert not is_source_path(root, Path("/p/build/html/index.html"))
    assert not is_source_path(root, Path("/p/chapters/.01-a.md.swp"))
    assert not is_source_path(root, Path("/p/.git/index"))
    assert not is_source_path(root, Path("/p/chapters/01-a.md~"))
    assert not is_source_path(root, Path("/p/node_modules/x/y.js"))
    assert not is_source_path(root, Path("/elsewhere/book.toml"))
    assert not is_source_path(root, root)


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, queue.Queue[Path]]]:
    root = tmp_path / "project"
    (root / "chapters").mkdir(parents=True)
    (root / "build").mkdir()
    (root / "book.toml").write_text("", encoding="utf-8")
    changes: queue.Queue[Path] = queue.Queue()
    watcher = ProjectWatcher(root, changes.put)
    watcher.start()
    yield watcher.root, changes
    watcher.stop()


def _until(changes: queue.Queue[Path], wanted: Path) -> list[Path]:
    """Every change reported up to and including ``wanted``."""
    seen: list[Path] = []
    while wanted not in seen:
        seen.append(changes.get(timeout=WAIT))
    return seen


def test_an_edited_chapter_is_reported_and_build_output_is_not(
    watched: tuple[Path, queue.Queue[Path]],
) -> None:
    root, changes = watched
    (root / "build" / "book.pdf").write_bytes(b"%PDF")
    (root / "chapters" / ".01-a.md.swp").write_bytes(b"swap")
    chapter = root / "chapters" / "01-a.md"
    chapter.write_text("# A\n", encoding="utf-8")
    seen = _until(changes, chapter)
    assert all(is_source_path(root, path) for path in seen)
    (root / "book.toml").write_text("[book]\n", encoding="utf-8")
    assert (root / "book.toml") in _until(changes, root / "book.toml")


def test_a_directory_made_later_is_watched(watched: tuple[Path, queue.Queue[Path]]) -> None:
    root, changes = watched
    (root / "figures").mkdir()
    _until(changes, root / "figures")
    figure = root / "figures" / "map.svg"
    figure.write_text("<svg/>", encoding="utf-8")
    assert figure in _until(changes, figure)


def test_a_save_by_rename_is_reported(watched: tuple[Path, queue.Queue[Path]]) -> None:
    root, changes = watched
    chapter = root / "chapters" / "01-a.md"
    temporary = root / "chapters" / ".01-a.md.tmp"
    temporary.write_text("# A, saved as editors do\n", encoding="utf-8")
    temporary.replace(chapter)
    assert chapter in _until(changes, chapter)
