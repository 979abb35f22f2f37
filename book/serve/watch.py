"""Watching a book project for edits, for ``book serve``.

watchdog (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows, polling elsewhere) is well kept and portable, where a hand-written
poller would either miss quick saves or read every file every second.

The project's top level is watched on its own, and each of its visible
directories recursively (chapters/, styles/, figures wherever they are), except
``build/``: a project at the top of a code repository has ``.venv/`` or
``node_modules/`` beside its chapters, and one inotify watch per directory in
those would be many thousands. A directory created at the top level later is
watched from then on. Only writes, creations, deletions and moves count;
hidden files (editor swap files) and backups (``name~``) do not.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path, PurePath

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch

IGNORED_DIRECTORIES = frozenset({"build", "node_modules", "__pycache__"})
"""Top-level directories that are never part of a book's sources."""

CHANGES = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_CLOSED,
    }
)
"""Event types that can change what a build reads (not opened, not read-only closes)."""


def is_source_path(root: Path, path: PurePath) -> bool:
    """Whether a change at ``path`` may change the book built from ``root``."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if not parts or parts[0] in IGNORED_DIRECTORIES:
        return False
    return not any(part.startswith(".") or part.endswith("~") for part in parts)


class ProjectWatcher(FileSystemEventHandler):
    """Calls ``on_change`` (from watchdog's thread) with each edited path in the project."""

    def __init__(self, root: Path, on_change: Callable[[Path], None]) -> None:
        self.root = root.resolve()
        self._on_change = on_change
        self._observer: BaseObserver = Observer()
        self._observer.daemon = True
        self._watches: dict[str, ObservedWatch] = {}
        self._lock = threading.Lock()

    def start(self) -> None:
        self._observer.schedule(self, str(self.root), recursive=False)
        for child in sorted(self.root.iterdir()):
            self._watch_directory(Path(child))
        self._observer.start()

    def stop(self) -> None:
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(5)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES:
            return
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return  # a file inside changed: that file has its own event
        paths = [_text(event.src_path), _text(event.dest_path)]
        self._follow_top_level(event, paths)
        for changed in {Path(p) for p in paths if p}:
            if is_source_path(self.root, changed):
                self._on_change(changed)

    def _follow_top_level(self, event: FileSystemEvent, paths: list[str]) -> None:
        """Watch directories that appear at the top level; forget those that go."""
        if not event.is_directory:
            return
        source, destination = (Path(p) if p else None for p in paths)
        if event.event_type in (EVENT_TYPE_DELETED, EVENT_TYPE_MOVED) and source:
            self._forget_directory(source)
        if event.event_type == EVENT_TYPE_CREATED and source:
            self._watch_directory(source)
        if event.event_type == EVENT_TYPE_MOVED and destination:
            self._watch_directory(destination)

    def _watch_directory(self, path: Path) -> None:
        if path.parent != self.root or not path.is_dir() or path.is_symlink():
            return
        if not is_source_path(self.root, path):
            return
        with self._lock:
            if str(path) not in self._watches:
                watch = self._observer.schedule(self, str(path), recursive=True)
                self._watches[str(path)] = watch

    def _forget_directory(self, path: Path) -> None:
        with self._lock:
            watch = self._watches.pop(str(path), None)
        if watch is not None:
            # watchdog may already have dropped the watch of a deleted directory
            with contextlib.suppress(KeyError):
                self._observer.unschedule(watch)


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path
