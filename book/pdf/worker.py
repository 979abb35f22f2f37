"""In a worker process: one part of the book laid out, mended and written.

``book.pdf.parallel`` decides which parts to lay out and with what; here a
part becomes a PDF (its fonts whole, for the merge to subset once) and what
the layout found: its pages, anchors, page starts, and the warnings logged,
which the parent tells again where ``--strict`` counts them.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import multiprocessing
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyphen

from book.model import RenderedBook
from book.output import atomic_file
from book.pdf.job import Job, Numbers, anchors_file
from book.pdf.ledger import Ledger
from book.pdf.ledger import ledger as shared
from book.pdf.mending import mend_footnotes
from book.pdf.partcache import PartLayout, layout_key
from book.pdf.parts import PART_END, first_folios, part_css
from book.pdf.weasy.boxes import (
    holds_part_end,
    overflowing_boxes,
    page_starts,
    stub_outside_anchors,
)
from book.pdf.weasy.folios import settled_after_pagination
from book.pdf.weasy.fonts import keeping_whole_fonts
from book.pdf.weasy.layout import layout, pdf_options, warm_up_layout
from book.workers import Kept

_BOOK: Kept[tuple[str, RenderedBook]] = Kept()
"""The book this worker was handed last, and the path of its pickle."""


def lay_out_part(job: Job) -> PartLayout:
    """Lay out one part, mend its notes, publish its page count, write it as
    PDF bytes."""
    kept = _BOOK.get()
    if kept is None or kept[0] != job.book:
        book = pickle.loads(Path(job.book).read_bytes())
        _BOOK.set((job.book, book))  # one build's book at a time
        if multiprocessing.parent_process() is not None:  # a worker, not a serving process
            _collect_between_parts()
    else:
        book = kept[1]
        gc.collect()  # the last part's boxes, in cycles (not before its result goes)
    ledger = shared()
    try:
        return _lay_out(book, ledger, job)
    except BaseException:
        ledger.fail(job.part.index)
        raise


GC_THRESHOLDS = (100_000, 50, 100)
"""Python's collector, left at (700, 10, 10), takes a tenth of a layout:
WeasyPrint makes hundreds of thousands of short-lived objects, and every 700
set off a collection that looks at everything the process holds. At
100,000 the youngest generation's collections cost almost nothing and the
worker's peak memory did not change (``bench/RESULTS.md``)."""


def _collect_between_parts() -> None:
    """Collect garbage rarely during a layout and fully between two, and never
    look again at what the worker holds for good (modules, the book): less
    time in the collector and a lower peak than either alone
    (``bench/RESULTS.md``)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def warm_up(language: str, wanted: Callable[[], bool] = lambda: True) -> None:
    """Pay WeasyPrint's first-use costs before the first part comes, in
    steps, each only while ``wanted()``: the hyphenation dictionary of
    ``language``; a few justified, hyphenated lines with a note and running
    heads laid out; written as PDF (cffi parses its C types as they are first
    used)."""
    if _WARM.get():
        return
    _WARM.set(True)
    try:
        fallback = pyphen.language_fallback(language)
        if fallback:
            pyphen.Pyphen(lang=fallback)  # kept by pyphen for every later use
        if wanted():
            warm_up_layout(language, wanted)
    except Exception:  # a warm-up that fails costs nothing but time: the layout will tell
        return


_WARM: Kept[bool] = Kept()


def _lay_out(book: RenderedBook, ledger: Ledger, job: Job) -> PartLayout:
    if job.numbers is not None:
        job = _numbered(job, job.numbers, ledger)
    css, moved = job.css, []
    if job.follows is not None and job.part.numbered:  # its numbers set its lines
        start = 1 + ledger.pages_before(job.part.index, job.follows)
        css = part_css(job.part, start, job.title)
        moved.append(start - job.start)

    def shift() -> int:
        if job.follows is None or job.part.numbered:
            return 0
        moved.append(1 + ledger.pages_before(job.part.index, job.follows) - job.start)
        return moved[0]

    with _captured() as messages, settled_after_pagination(shift):
        options = pdf_options(book) if job.part.front else {**pdf_options(book), "attachments": []}
        document, misplaced = mend_footnotes(
            lambda content: layout(book, content, options, css), job.html
        )
        pages = list(document.pages)
        if job.part.ends_recto and pages and holds_part_end(pages[-1], PART_END):
            pages.pop()
        anchors = tuple(
            (name, number) for number, page in enumerate(pages) for name in page.anchors
        )
        _leave_anchors(job, anchors)
        ledger.publish(job.part.index, len(pages))
        kept = document.copy(pages)
        stub_outside_anchors(pages, {name for name, _ in anchors})
        pdf, fonts = b"", {}
        if not job.draft:
            with keeping_whole_fonts(Path(job.fonts)) as fonts:
                pdf = kept.write_pdf(**options)
    return PartLayout(
        key=job.key,
        pages=len(pages),
        anchors=anchors,
        starts=page_starts(kept),
        overflow=tuple(overflowing_boxes(kept)),
        misplaced=tuple((note, call, page) for note, (call, page) in misplaced.items()),
        messages=tuple(messages),
        pdf=pdf,
        fonts=tuple(sorted(fonts.items())),
        moved=moved[0] if moved else 0,
    )


def _numbered(job: Job, numbers: Numbers, ledger: Ledger) -> Job:
    """``job`` with the page numbers of other parts filled in, once they are
    all paginated: their page counts from the ledger, their anchors as the
    parent knew them or as their workers left them (``_leave_anchors``)."""
    index = job.part.index
    counts = ledger.counts((i for i in range(len(numbers.restarts)) if i != index), index)
    counts[index] = 0  # the next part restarts the numbering: nothing follows this one's pages
    starts = first_folios(numbers.restarts, [counts[i] for i in range(len(numbers.restarts))])
    within = dict(numbers.known)
    read: set[int] = set()
    for anchor, owner in numbers.owners:
        if anchor not in within and owner not in read:
            read.add(owner)
            left: dict[str, int] = pickle.loads(anchors_file(job.book, owner).read_bytes())
            within.update(left)
    html = job.part.filled(
        {anchor: starts[owner] + within.get(anchor, 0) for anchor, owner in numbers.owners}
    )
    start = starts[index]
    css = part_css(job.part, start, job.title)
    key = layout_key(numbers.environment, html, css)
    return dataclasses.replace(
        job, html=html, css=css, key=key, start=start, draft=False, numbers=None
    )


def _leave_anchors(job: Job, anchors: Sequence[tuple[str, int]]) -> None:
    """The page of the part where each anchor is first set, for a part laid
    out later in the round that prints it (``Job.numbers``)."""
    first: dict[str, int] = {}
    for name, page in anchors:
        first.setdefault(name, page)
    if job.book:
        with atomic_file(anchors_file(job.book, job.part.index)) as temporary:
            temporary.write_bytes(pickle.dumps(first, protocol=pickle.HIGHEST_PROTOCOL))


@contextmanager
def _captured() -> Iterator[list[tuple[str, int, str]]]:
    """WeasyPrint's and octavo's log records in a worker, to be told by the
    parent (where warnings are counted for ``--strict``)."""
    records: list[tuple[str, int, str]] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.name, record.levelno, record.getMessage()))

    handler = Keep(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ("book", "weasyprint")]
    saved = [(each.handlers, each.propagate) for each in loggers]
    for each in loggers:
        each.handlers = [handler]
        each.propagate = False
    try:
        yield records
    finally:
        for each, (handlers, propagate) in zip(loggers, saved, strict=True):
            each.handlers, each.propagate = handlers, propagate
