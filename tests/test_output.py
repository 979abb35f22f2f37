"""output: atomic writes never leave half a file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from book.output import atomic_directory, atomic_file


def test_atomic_file_keeps_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "build" / "book.pdf"
    with atomic_file(target) as temporary:
        temporary.write_bytes(b"good")
    with pytest.raises(RuntimeError), atomic_file(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("layout failed")
    assert target.read_bytes() == b"good"
    assert [p.name for p in target.parent.iterdir()] == ["book.pdf"]


def test_atomic_directory_swaps_whole_trees(tmp_path: Path) -> None:
    target = tmp_path / "html"
    with atomic_directory(target) as site:
        (site / "old.html").write_text("old")
    with pytest.raises(RuntimeError), atomic_directory(target) as site:
        (site / "new.html").write_text("new")
        raise RuntimeError
    assert [p.name for p in target.iterdir()] == ["old.html"]
    with atomic_directory(target) as site:
        (site / "new.html").write_text("new")
    assert [p.name for p in target.iterdir()] == ["new.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["html"]


def test_build_lock_keeps_a_second_build_out(tmp_path: Path) -> None:
    import fcntl
    import hashlib
    import tempfile

    from book.output import build_lock

    key = hashlib.sha256(str(tmp_path.resolve()).encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"octavo-{key}.lock"
    with build_lock(tmp_path), open(path, "a") as other, pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with open(path, "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again once the build is done
    assert not list(tmp_path.iterdir())  # nothing is left in the output directory
