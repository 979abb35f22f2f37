"""Atomic output: a failed build never leaves a truncated file in build/."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from book.diagnostics import logger
from book.errors import BuildError


def output_directory(project: Path, output: Path | None = None, *, proof: bool = False) -> Path:
    """Where a build of ``project`` writes: ``output``, by default ``project/build``,
    and ``project/build/proof`` for a proof (never over the release editions)."""
    default = Path(project) / "build" / ("proof" if proof else "")
    return (output or default).resolve()


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` on success."""
    _make_parent(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.chmod(0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh temporary directory; it replaces ``target`` on success."""
    _make_parent(target)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))
    try:
        yield temporary
        temporary.chmod(0o755)
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(temporary, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _make_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create {target.parent}: {exc.strerror}") from None


@contextmanager
def build_lock(directory: Path) -> Iterator[None]:
    """One build into ``directory`` at a time: a second waits for the first.

    The lock file lives in the system's temporary directory, named after the
    output directory, so that it neither litters the project nor creates
    ``build/`` for a build that fails.
    """
    key = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"octavo-{key}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("waiting for another build into %s to finish", directory)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
