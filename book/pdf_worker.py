"""In a worker process: one part of the book laid out, mended and written.

``book.pdf_parallel`` decides which parts to lay out and with what; here a
part becomes a PDF (its fonts whole, for the merge to subset once) and what
the layout found: its pages, anchors, page starts, and the warnings logged,
which the parent tells again where ``--strict`` counts them.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint

from book.model import RenderedBook
from book.output import atomic_file
from book.partcache import PartLayout
from book.pdf import layout, pdf_options
from book.pdf_folios import Ledger, settled_after_pagination
from book.pdf_mending import mend_footnotes
from book.pdf_pages import overflowing_boxes, page_starts
from book.pdf_parts import PART_END, Part, part_css
from book.workers import pool, pool_method


@dataclass(frozen=True, slots=True)
class Job:
    """One part to lay out: its document and stylesheet, filled in."""

    part: Part
    html: str
    css: str
    key: str
    fonts: str = ""
    """Where whole font files are kept for the merge."""
    draft: bool = False
    """Laid out on guesses from the parts' lengths alone: only its pages and
    anchors are wanted (it will be laid out again), so no PDF is written."""
    start: int = 1
    """The first folio its stylesheet sets."""
    follows: int | None = None
    """For a part whose first folio follows the pages of parts ``follows`` to
    the one before it, and which quotes no page of another part: that folio is
    learnt from the ledger (``book.pdf_folios``), and ``start`` is a guess. A
    part that prints no page number at all learns it after its pagination; one
    that prints its own pages' numbers ("on page 12"), before its layout."""
    title: str = ""
    """The book's title, for the part's stylesheet made anew with that folio."""


_BOOK: RenderedBook | None = None
"""The book being laid out, in this process and in each worker."""
_LEDGER: Ledger | None = None
"""The parts' page counts, shared by this process and its workers."""


def _set_book(book: RenderedBook | None, ledger: Ledger | None) -> None:
    global _BOOK, _LEDGER
    _BOOK, _LEDGER = book, ledger


@contextmanager
def workers(book: RenderedBook, jobs: int, parts: int) -> Iterator[tuple[Executor | None, Ledger]]:
    """Processes to lay out parts (None: this one) and the ledger they share."""
    method = pool_method() if jobs > 1 else "fork"
    ledger = Ledger(parts, multiprocessing.get_context(method))
    _set_book(book, ledger)
    try:
        if jobs <= 1:
            yield None, ledger
            return
        with pool(jobs, _set_book, (book, ledger), method=method) as workers:
            yield workers, ledger
    finally:
        _set_book(None, None)


def lay_out_part(job: Job) -> PartLayout:
    """In a worker: lay out one part, mend its notes, publish its page count,
    write it as PDF bytes."""
    assert _BOOK is not None and _LEDGER is not None, "lay_out_part runs under write_parts_pdf"
    try:
        return _lay_out(_BOOK, _LEDGER, job)
    except BaseException:
        _LEDGER.fail(job.part.index)
        raise


def _lay_out(book: RenderedBook, ledger: Ledger, job: Job) -> PartLayout:
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
        if job.part.ends_recto and pages and _holds_part_end(pages[-1]):
            pages.pop()
        ledger.publish(job.part.index, len(pages))
        kept = document.copy(pages)
        anchors = tuple(
            (name, number) for number, page in enumerate(pages) for name in page.anchors
        )
        _stub_outside_anchors(pages, {name for name, _ in anchors})
        pdf, fonts = b"", {}
        if not job.draft:
            with _keeping_whole_fonts(Path(job.fonts)) as fonts:
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


@contextmanager
def _keeping_whole_fonts(store: Path) -> Iterator[dict[str, str]]:
    """Each font's whole file, kept in ``store`` by its sha256 as WeasyPrint
    subsets it (keeping glyph ids): the merge cuts one subset per font for all
    parts from it (``book.pdf_merge``). Yields {PDF font name: sha256}."""
    from weasyprint.pdf import fonts

    kept: dict[str, str] = {}
    subset = fonts.Font.subset

    def keeping(font: Any, to_unicode: object, hinting: object) -> None:
        data = bytes(font.file_content)  # before WeasyPrint cuts it
        subset(font, to_unicode, hinting)
        if font.index or "fvar" in font.tables or font.png or font.svg or font.colr:
            return  # WeasyPrint does more to these than subset them: kept per part
        digest = hashlib.sha256(data).hexdigest()
        path = store / f"{digest}.font"
        if not path.exists():
            with atomic_file(path) as temporary:
                temporary.write_bytes(data)
        kept[font.name.decode("latin-1").lstrip("/")] = digest

    fonts.Font.subset = keeping
    try:
        yield kept
    finally:
        fonts.Font.subset = subset


def _holds_part_end(page: weasyprint.Page) -> bool:
    """The last page holds only the ``PART_END`` block."""
    found = []

    def walk(box: object) -> None:
        element = getattr(box, "element", None)
        if element is not None and element.get("class") == PART_END:
            found.append(box)
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(page._page_box)
    return bool(found)


def _stub_outside_anchors(pages: Sequence[weasyprint.Page], anchors: set[str]) -> None:
    """A link to another part would be dropped by WeasyPrint for want of its
    anchor: give it a stand-in on the first page. The merge points each name
    at the part that really holds it."""
    if not pages:
        return
    for page in pages:
        for kind, target, _rect, _box in page.links:
            if kind == "internal" and target not in anchors:
                pages[0].anchors[target] = (0, 0, 0, 0)
                anchors.add(target)


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
