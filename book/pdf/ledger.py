"""The page counts the processes laying out a book's parts share: the ledger.

Folios are given after pagination, so a chapter is laid out once on a cold
build (``book.pdf.weasy.folios``). A chapter opens on a recto, so its text sets the same wherever it lands; only
its folios depend on the pages before it. WeasyPrint paginates a document
first and makes the margin boxes (folios, running heads) afterwards
(``layout_document``). A part that prints no page number in its text is laid
out with any first folio; when its pages are set, its worker waits for the
page counts of the parts before it, which the other workers publish in the
``Ledger`` as they finish paginating, and the margin boxes are made with the
page counter moved by the difference. (A part that prints its own pages'
numbers in its text waits for the same counts before its layout:
``book.pdf.worker``.) Parts are handed out in book order, so the earliest
unfinished part never waits and the chain always moves.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from multiprocessing.context import BaseContext

from book.workers import Kept

PENDING = -1
"""Being laid out in this round: its pages will be published."""
ABSENT = -2
"""Neither laid out nor being laid out: nothing may wait for it."""
FAILED = -3
"""Its layout failed: whoever waits for it stops."""

WAIT_SLICE = 1.0
"""Seconds between looks at whether the process that started this one is
still there."""


class LedgerError(RuntimeError):
    """A part waited for the pages of a part that will not be laid out."""


class Ledger:
    """The page count of each part, shared by the parent and its workers."""

    def __init__(self, parts: int, context: BaseContext) -> None:
        self._pages = context.RawArray("i", max(1, parts))
        self._changed = context.Condition()
        self._closed = context.RawValue("b", 0)

    @property
    def parts(self) -> int:
        """How many parts it has room for."""
        return len(self._pages)

    def open(self, known: Mapping[int, int], pending: set[int]) -> None:
        """A new round: the pages of parts already laid out, and which parts
        this round lays out. (In the parent, before any job is handed out.)"""
        with self._changed:
            for index in range(len(self._pages)):
                if index in pending:
                    self._pages[index] = PENDING
                else:
                    self._pages[index] = known.get(index, ABSENT)
            self._changed.notify_all()

    def close(self) -> None:
        """No round will open any more: a worker waiting for one stops
        waiting. (In the parent, as the workers stop.)"""
        with self._changed:
            self._closed.value = 1
            self._changed.notify_all()

    def lone_part(self) -> bool:
        """In a worker: wait until a round opens. For a round that lays out
        one part, wait until that part's pages are known and return True;
        for a round of several, return False at once. True as well if no
        round opens before the ledger is closed."""
        parent = os.getppid()
        opened = False
        with self._changed:
            while not self._closed.value:
                pending = self._pages[:].count(PENDING)
                if pending > 1:
                    return False
                if pending == 1:
                    opened = True
                elif opened:
                    return True
                self._changed.wait(WAIT_SLICE)
                if os.getppid() != parent:
                    raise LedgerError("the build stopped")
        return True

    def publish(self, index: int, pages: int) -> None:
        with self._changed:
            self._pages[index] = pages
            self._changed.notify_all()

    def fail(self, index: int) -> None:
        self.publish(index, FAILED)

    def pages_before(self, index: int, since: int) -> int:
        """The pages of parts ``since`` to ``index - 1``, waiting until each
        is known."""
        return sum(self.counts(range(since, index), index).values())

    def counts(self, parts: Iterable[int], waiting: int) -> dict[int, int]:
        """The pages of each of ``parts``, waiting until each is known (for
        part ``waiting``, named in errors)."""
        wanted = list(parts)
        parent = os.getppid()
        with self._changed:
            while True:
                counts = {i: self._pages[i] for i in wanted}
                if FAILED in counts.values():
                    raise LedgerError(f"part {waiting}: an earlier part failed")
                if ABSENT in counts.values():
                    raise LedgerError(f"part {waiting}: waits for a part not being laid out")
                if PENDING not in counts.values():
                    return counts
                self._changed.wait(WAIT_SLICE)
                if os.getppid() != parent:  # orphaned: the build is gone
                    raise LedgerError("the build stopped")


_LEDGER: Kept[Ledger] = Kept()
"""The ledger this process shares with the others laying out the book."""


def shared_ledger(ledger: Ledger) -> None:
    """Set the ledger this process uses (in a worker as it starts)."""
    _LEDGER.set(ledger)


def ledger() -> Ledger:
    """The ledger set by ``shared_ledger``."""
    kept = _LEDGER.get()
    assert kept is not None, "a part is laid out under book.pdf.jobs.LayoutWorkers"
    return kept
