"""Rebuilding in the background for ``book serve``: the status board and the workers.

A :class:`Worker` runs one job on its own thread whenever it is asked to,
never two at once; requests that arrive during a run are folded into one more
run after it. The HTML worker waits for a burst of file events to settle
(an editor's save is several events) before it builds.

The :class:`Board` holds the :class:`Status` the browser is told about and
wakes everyone waiting for the next one (the server's event streams).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

QUIET_PERIOD = 0.15
"""Seconds without a new file event before a rebuild starts."""


@dataclass(frozen=True, slots=True)
class Status:
    """What the last builds came to, as told to the browser."""

    build: int = 0
    """Builds attempted so far (failed ones included)."""
    site: int = 0
    """Generation of the site being served; 0 while no build has succeeded."""
    error: str | None = None
    """The diagnostics of the last build if it failed, as printed."""
    pdf: int = 0
    """PDF builds completed so far (``--pdf``)."""
    session: str = ""
    """Tells this server from an earlier one on the same port (whose sites were numbered alike)."""

    def as_json(self) -> dict[str, int | str | None]:
        return {
            "build": self.build,
            "site": self.site,
            "error": self.error,
            "pdf": self.pdf,
            "session": self.session,
        }


class Board:
    """The current Status, and a way to wait for the next one."""

    def __init__(self, session: str = "") -> None:
        self._changed = threading.Condition()
        self._status = Status(session=session)
        self._closed = False

    @property
    def status(self) -> Status:
        with self._changed:
            return self._status

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed

    def update(self, change: Callable[[Status], Status]) -> Status:
        """Apply ``change`` to the status and wake the waiters."""
        with self._changed:
            self._status = change(self._status)
            self._changed.notify_all()
            return self._status

    def wait_after(self, seen: Status, timeout: float) -> Status | None:
        """The status once it differs from ``seen``; None on timeout or when closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._status != seen, timeout)
            return None if self._closed or self._status == seen else self._status

    def close(self) -> None:
        """Wake every waiter for good (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class Worker:
    """Runs ``job`` on a thread of its own each time it is requested, one run at a time."""

    def __init__(self, name: str, job: Callable[[], None], quiet: float = 0.0) -> None:
        self._job = job
        self._quiet = quiet
        self._wake = threading.Condition()
        self._requested_at: float | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self) -> None:
        """Ask for a run; during a run, this asks for one more after it."""
        with self._wake:
            self._requested_at = time.monotonic()
            self._wake.notify_all()

    def stop(self, timeout: float = 5.0) -> None:
        """Finish (a run in progress completes first, within ``timeout``)."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _loop(self) -> None:
        while self._next_run():
            self._job()

    def _next_run(self) -> bool:
        """Wait for a request and for the quiet period after the last one; False to stop."""
        with self._wake:
            while not self._stopping:
                if self._requested_at is None:
                    self._wake.wait()
                    continue
                settle = self._requested_at + self._quiet - time.monotonic()
                if settle > 0:
                    self._wake.wait(settle)
                    continue
                self._requested_at = None
                return True
            return False
