"""Worker processes, for the stages that run chapter by chapter.

Parsing and PDF layout are pure Python and hold the GIL, so threads would
not run them in parallel; forked processes do, and inherit what the parent
has loaded (no re-import, nothing pickled on the way in but the work item).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Kept(Generic[T]):
    """One value this process keeps between calls (a worker's ledger, the
    last book's styles...), or none yet: a typed holder for module state."""

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value: T | None = None

    def get(self) -> T | None:
        """The value kept, or None."""
        return self._value

    def set(self, value: T) -> None:
        """Keep ``value`` instead of what was kept."""
        self._value = value

    def clear(self) -> None:
        """Keep nothing."""
        self._value = None


def available_cores() -> int:
    """The CPUs this process may use (the container's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def pool_method() -> str:
    """Fork while this process runs one thread and has not loaded Pango
    (WeasyPrint); otherwise the workers start from a fork server, and get
    their initializer's arguments pickled. A process with more threads
    (``book serve`` builds in one) could fork while another holds a lock; a
    process that has laid a book out (``--jobs 1``, tests, a server) has used
    GLib and Pango, whose locks and caches a forked child inherits in whatever
    state they were: a worker forked from one hung in ``g_slice_alloc``."""
    if threading.active_count() == 1 and "weasyprint" not in sys.modules:
        return "fork"
    return "forkserver"


def pool(
    workers: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[object, ...] = (),
    method: str | None = None,
) -> ProcessPoolExecutor:
    """``workers`` processes, each set up by ``initializer(*initargs)``,
    started by ``method`` (default ``pool_method()``). Ctrl-C is the
    parent's to handle (it stops them): they ignore it, and are born with it
    held back if their first jobs are handed out under ``deaf_to_ctrl_c``."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method or pool_method()),
        initializer=_ignoring_ctrl_c,  # type: ignore[arg-type]
        initargs=(initializer, *initargs),  # type: ignore[arg-type]
    )


def _ignoring_ctrl_c(initializer: Callable[..., object] | None, *initargs: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def deaf_to_ctrl_c() -> Iterator[None]:
    """Within: SIGINT held back from this thread and any process it forks
    (which keep it held back); a Ctrl-C that comes meanwhile reaches this
    process when the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
