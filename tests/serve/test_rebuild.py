"""rebuild: the status board wakes its waiters; a worker runs one job at a time."""

from __future__ import annotations

import threading
from dataclasses import replace

from book.serve.rebuild import Board, Status, Worker

WAIT = 30.0
"""Generous: a condition that should come true at once, on a busy machine."""


def test_a_waiter_gets_the_next_status() -> None:
    board = Board()
    seen = board.status
    got: list[Status | None] = []
    waiter = threading.Thread(target=lambda: got.append(board.wait_after(seen, WAIT)))
    waiter.start()
    board.update(lambda s: replace(s, build=1, site=1))
    waiter.join(WAIT)
    assert got == [Status(build=1, site=1)]


def test_a_status_already_newer_is_returned_at_once() -> None:
    board = Board()
    old = board.status
    board.update(lambda s: replace(s, build=1, error="chapters/01-a.md:3: error: x [code]"))
    newer = board.wait_after(old, WAIT)
    assert newer is not None and newer.error == "chapters/01-a.md:3: error: x [code]"


def test_nothing_new_or_a_closed_board_gives_none() -> None:
    board = Board()
    assert board.wait_after(board.status, 0.01) is None
    got: list[Status | None] = []
    waiter = threading.Thread(target=lambda: got.append(board.wait_after(board.status, WAIT)))
    waiter.start()
    board.close()
    waiter.join(WAIT)
    assert got == [None] and board.closed


def test_status_as_json() -> None:
    status = Status(build=3, site=2, error="e", pdf=1, session="c0ffee")
    assert status.as_json() == {"build": 3, "site": 2, "error": "e", "pdf": 1, "session": "c0ffee"}


def test_requests_during_a_run_become_one_more_run() -> None:
    runs: list[int] = []
    started, release, second_done = threading.Event(), threading.Event(), threading.Event()

    def job() -> None:
        runs.append(len(runs) + 1)
        if len(runs) == 1:
            started.set()
            release.wait(WAIT)
        else:
            second_done.set()

    worker = Worker("test-worker", job)
    worker.start()
    worker.request()
    assert started.wait(WAIT)
    for _ in range(3):
        worker.request()
    release.set()
    assert second_done.wait(WAIT)
    worker.stop()
    assert runs == [1, 2]


def test_a_stopped_worker_runs_nothing_more() -> None:
    runs: list[int] = []
    worker = Worker("test-worker", lambda: runs.append(1), quiet=60.0)
    worker.start()
    worker.request()  # would run only after a minute of quiet
    worker.stop()
    assert runs == []
