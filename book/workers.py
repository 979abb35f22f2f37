"""Worker processes, for the stages that run chapter by chapter.

Parsing and PDF layout are pure Python and hold the GIL, so threads would
not run them in parallel; forked processes do, and inherit what the parent
has loaded (no re-import, nothing pickled on the way in but the work item).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def available_cores() -> int:
    """The CPUs this process may use (the container's share, not the host's)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def pool_method() -> str:
    """Fork while this process runs one thread; a process with more (``book
    serve`` builds in a thread) could fork while another thread holds a lock,
    so its workers start from a fork server instead, and get their
    initializer's arguments pickled."""
    return "fork" if threading.active_count() == 1 else "forkserver"


def pool(
    workers: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[object, ...] = (),
    method: str | None = None,
) -> ProcessPoolExecutor:
    """``workers`` processes, each set up by ``initializer(*initargs)``,
    started by ``method`` (default ``pool_method()``)."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method or pool_method()),
        initializer=initializer,
        initargs=initargs,  # type: ignore[arg-type]
    )
