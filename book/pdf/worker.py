"""In a worker process: one part of the book laid out, mended and written.

``book.pdf.parallel`` decides which parts to lay out and with what; here a
part becomes a PDF (its fonts whole, for the merge to subset once) and what
the layout found: its pages, anchors, page starts, and the warnings logged,
which the parent tells again where ``--strict`` counts them.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import multiprocessing
import pickle
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

import pyphen
import weasyprint

from book.model import RenderedBook
from book.output import atomic_file
from book.pdf.document import layout, pdf_options
from book.pdf.jobs import Job, Numbers, anchors_file
from book.pdf.ledger import Ledger, settled_after_pagination
from book.pdf.ledger import ledger as shared
from book.pdf.mending import mend_footnotes
from book.pdf.partcache import PartLayout, layout_key
from book.pdf.parts import PART_END, first_folios, part_css
from book.pdf.weasy.adaptations import patch_weasyprint
from book.pdf.weasy.boxes import overflowing_boxes, page_starts

_BOOKS: dict[str, RenderedBook] = {}
"""The books this worker was handed, by the path of their pickle."""


def lay_out_part(job: Job) -> PartLayout:
    """Lay out one part, mend its notes, publish its page count, write it as
    PDF bytes."""
    book = _BOOKS.get(job.book)
    if book is None:
        book = pickle.loads(Path(job.book).read_bytes())
        _BOOKS.clear()  # one build's book at a time
        _BOOKS[job.book] = book
        if multiprocessing.parent_process() is not None:  # a worker, not a serving process
            _collect_between_parts()
    else:
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
set off a collection that looks at everything the process holds. With
10,000, the youngest generation's collections still took 0.11 s of a
worker's 10 parts of the benchmark book; with 100,000, 0.005 s, the
worker's peak unchanged (94 MB; 93 and 87 MB in the run with 100,000)."""


def _collect_between_parts() -> None:
    """Collect garbage rarely during a layout and fully between two, and never
    look again at what the worker holds for good (modules, the book). On 16
    chapters of the benchmark book: 0.56 s in the collector instead of 1.47 s,
    and a peak of 115 MB instead of 126 MB (190 MB with rare collections alone)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def warm_up(language: str, wanted: Callable[[], bool] = lambda: True) -> None:
    """Pay WeasyPrint's first-use costs before the first part comes, in
    steps, each only while ``wanted()``: the hyphenation dictionary of
    ``language``; a few justified, hyphenated lines with a note and running
    heads laid out; written as PDF (cffi parses its C types as they are first
    used)."""
    if _WARM:
        return
    _WARM.append(True)
    patch_weasyprint()
    words = " ".join(["typographical", "incomprehensibilities", "notwithstanding"] * 6)
    html = (
        f'<html lang="{escape(language)}"><body style="hyphens: auto; text-align: justify">'
        f'<p style="width: 12em">{words}<span style="float: footnote">{words}</span></p>'
        "</body></html>"
    )
    css = "@page { size: 20em 30em; @top-center { content: counter(page) } }"
    try:
        fallback = pyphen.language_fallback(language)
        if fallback:
            pyphen.Pyphen(lang=fallback)  # kept by pyphen for every later use
        if not wanted():
            return
        document = weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(string=css)])
        if wanted():
            document.write_pdf()
    except Exception:  # a warm-up that fails costs nothing but time: the layout will tell
        return


_WARM: list[bool] = []


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
        if job.part.ends_recto and pages and _holds_part_end(pages[-1]):
            pages.pop()
        anchors = tuple(
            (name, number) for number, page in enumerate(pages) for name in page.anchors
        )
        _leave_anchors(job, anchors)
        ledger.publish(job.part.index, len(pages))
        kept = document.copy(pages)
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
def _keeping_whole_fonts(store: Path) -> Iterator[dict[str, str]]:
    """Each font's whole file, kept in ``store`` by its sha256 where WeasyPrint
    would subset it: the merge cuts one subset per font for all parts from it
    (``book.pdf.merge.merger``), so the part embeds only a stand-in (the file's
    first four bytes, which tell WeasyPrint its kind) instead of a subset the
    merge would throw away. Yields {PDF font name: sha256}."""
    from weasyprint.pdf import fonts

    kept: dict[str, str] = {}
    subset = fonts.Font.subset

    def keeping(font: Any, to_unicode: object, hinting: object) -> None:
        special = font.index or "fvar" in font.tables or font.png or font.svg or font.colr
        if special or font.bitmap or not to_unicode:
            # WeasyPrint does more to these than subset them, or embeds them
            # whole: kept per part.
            subset(font, to_unicode, hinting)
            return
        data = bytes(font.file_content)
        digest = hashlib.sha256(data).hexdigest()
        path = store / f"{digest}.font"
        if not path.exists():
            with atomic_file(path) as temporary:
                temporary.write_bytes(data)
        kept[font.name.decode("latin-1").lstrip("/")] = digest
        font.file_content = data[:4]

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
