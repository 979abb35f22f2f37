"""The processes that lay out the PDF's parts, seen from the parent.

They start when a build that makes a PDF starts, before the book is read:
the first to start imports WeasyPrint at once; both parse chapters; then
(``warm``) the other imports it too, and each lays out a few lines to pay
WeasyPrint's first-use costs (its hyphenation dictionary, its C types), all
while the parent reads, parses and renders the book. Once the parent hands
over the book (``book_file``), a warm-up not yet begun lays out nothing: the
parts come next, and the few lines would only delay them. In a rebuild
(``lazy``), the others wait for the round to open and import WeasyPrint only
if it lays out more than one part. The parent itself never
imports WeasyPrint (a fifth of a rebuild): what it needs of a part's layout
comes back as a ``book.pdf.partcache.PartLayout``. Ctrl-C is the parent's: the
workers ignore it and the parent stops them (``book.workers``).

The book reaches the workers once, as a pickle in a temporary directory
named by each job (the workers were forked before it was rendered); the
ledger of page counts (``book.pdf.ledger``) is made before them, large enough
for any book with fewer than ``LEDGER_PARTS`` parts.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import pickle
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

from book.model import RenderedBook
from book.pdf import ledger as ledger_module
from book.pdf.job import Job
from book.pdf.ledger import Ledger
from book.pdf.partcache import PartLayout
from book.pdf.weasy.native import quick_library_lookup
from book.workers import Kept, deaf_to_ctrl_c, pool, pool_method

LEDGER_PARTS = 4096
"""Parts the shared ledger has room for (16 KB); a longer book gets its own."""


class LayoutWorkers:
    """``jobs`` processes (none for 1: this one lays out), their ledger and
    the books handed to them. A context manager; ``warm`` queues their
    start-up, ``book_file`` hands them a book, ``map`` lays out parts,
    ``stop`` ends them (their memory goes). ``lazy`` (a rebuild, with laid
    out parts to reuse): the workers but the first import WeasyPrint only
    for a round of several parts; for one part (a one-chapter edit) they
    stay idle, leaving both cores to the parent and the worker laying it out
    (faster one-chapter rebuilds: ``bench/RESULTS.md``)."""

    def __init__(self, jobs: int, parts: int = LEDGER_PARTS, *, lazy: bool = False) -> None:
        self.local = jobs <= 1
        self.count = 1 if self.local else jobs
        method = "fork" if self.local else pool_method()
        self.ledger = Ledger(max(parts, LEDGER_PARTS), multiprocessing.get_context(method))
        self._directory = tempfile.TemporaryDirectory(prefix="octavo-layout-")
        self._books: dict[int, tuple[RenderedBook, str]] = {}
        self._warming = False
        self.executor: Executor | None = None
        if not self.local:
            context = multiprocessing.get_context(method)
            self._handed = context.Event()
            first = (context.Lock(), context.RawValue("b", 0), context.Event(), self._handed, lazy)
            scratch = self._directory.name
            self.executor = pool(jobs, _install, (self.ledger, first, scratch), method=method)
            try:
                with deaf_to_ctrl_c():  # the workers are born ignoring it
                    self.executor.submit(_started)  # fork them now, while one thread runs
            except BaseException:  # a Ctrl-C held back meanwhile, raised as the block ends
                self.close()  # no ``with`` owns them yet: left, they would hang the exit
                raise

    def __enter__(self) -> LayoutWorkers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def stop(self, wait: bool = True) -> None:
        """Stop the workers (``wait``: until they have); parts laid out after
        this are laid out in this process."""
        if self.executor is not None:
            self.ledger.close()  # a worker waiting for a round to warm up for stops waiting
            self.executor.shutdown(wait=wait, cancel_futures=True)
            self.executor = None

    def close(self) -> None:
        """Stop the workers; the books handed to them go."""
        self.stop()
        self._directory.cleanup()

    def warm(self, language: str) -> None:
        """Queue each worker's start-up (for a book in ``language``) behind
        the work already queued. Each worker: a part goes to whichever is
        free, and a worker still cold takes longer over its first."""
        if self.executor is not None and not self._warming:
            self._warming = True
            for _ in range(self.count):
                self.executor.submit(warm_up, language)

    def book_file(self, book: RenderedBook) -> str:
        """Where the workers find ``book`` (written once per book). Its parts
        follow at once: a warm-up not yet begun would only delay them."""
        if self.executor is not None:
            self._handed.set()
        if id(book) not in self._books:
            path = str(Path(self._directory.name) / f"book-{len(self._books)}.pickle")
            slim = dataclasses.replace(book, documents=())  # parts come with their jobs
            Path(path).write_bytes(pickle.dumps(slim, protocol=pickle.HIGHEST_PROTOCOL))
            self._books[id(book)] = (book, path)
        return self._books[id(book)][1]

    def map(self, jobs: Sequence[Job]) -> Iterable[PartLayout]:
        """Each job's layout, in order (in this process if they are stopped)."""
        if self.executor is None:
            _install(self.ledger)
            return map(lay_out_part, jobs)
        return self.executor.map(lay_out_part, jobs)


def lay_out_part(job: Job) -> PartLayout:
    """In a worker: ``book.pdf.worker.lay_out_part``."""
    result: PartLayout = _worker().lay_out_part(job)
    return result


def warm_up(language: str) -> None:
    """In a worker: import WeasyPrint, once the first worker has (two
    imports at once would slow the first, which lays out a rebuild's
    chapter), then ``book.pdf.worker.warm_up``, each step of it only until
    the parent hands over the book: its parts come next, and would wait (a
    rebuild's one chapter waited for the worker that had WeasyPrint first to
    lay out a few lines)."""
    first = _FIRST.get()
    if first is not None:
        first[0].wait(IMPORT_WAIT)
        if first[2] and ledger_module.ledger().lone_part():
            return  # one part to lay out: the worker that has WeasyPrint takes it
    worker = _worker()
    worker.warm_up(language, lambda: not (first is not None and first[1].is_set()))


def _worker() -> ModuleType:
    """``book.pdf.worker``, imported (with WeasyPrint) the first time."""
    with quick_library_lookup():
        from book.pdf import worker as pdf_worker

    return pdf_worker


IMPORT_WAIT = 5.0
"""Seconds a worker waits for the first one's import before its own."""

_FIRST: Kept[tuple[Any, Any, bool]] = Kept()
"""In a worker: the events set once the first worker has imported WeasyPrint
and once the parent hands over a book whose parts are to be laid out; and
whether this worker, not the first, waits to see how many parts the round
lays out before it imports WeasyPrint (``LayoutWorkers(lazy=True)``)."""


def _started() -> None:
    """Nothing: the first job makes the pool start its processes."""


def _install(
    ledger: Ledger, first: tuple[Any, Any, Any, Any, bool] | None = None, scratch: str | None = None
) -> None:
    """In a worker as it starts: the ledger it shares with the parent; its
    temporary files in ``scratch``, the directory the parent deletes when
    the workers are done (a worker process ends without running the
    finalizers that would delete them: WeasyPrint's copies of the book's
    fonts, 1.8 MB a worker, were left behind by every build); the first
    worker to start imports WeasyPrint at once (half a second, while the
    parent starts too), the others when they warm up."""
    ledger_module.shared_ledger(ledger)
    if scratch is not None:
        tempfile.tempdir = scratch
    if first is None:
        return
    lock, claimed, imported, handed, lazy = first
    with lock:
        mine = not claimed.value
        claimed.value = 1
    _FIRST.set((imported, handed, lazy and not mine))
    if mine:
        try:
            _worker()  # imported to be ready
        finally:
            imported.set()
