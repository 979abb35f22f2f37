"""RenderedBook -> PDF as one document, laid out by WeasyPrint in this process
(``--jobs 1``, and the books a part-by-part layout cannot make)."""

from __future__ import annotations

from pathlib import Path

from book.errors import BuildError
from book.model import RenderedBook, Written
from book.output import atomic_file
from book.pdf.findings import Misplaced, report_misplaced, report_overflow
from book.pdf.mending import mend_footnotes
from book.pdf.weasy.boxes import overflowing_boxes, page_starts
from book.pdf.weasy.layout import Document, layout, pdf_options


def write_pdf(book: RenderedBook, target: Path) -> Written:
    """Lay out the single document and write it atomically to ``target``.

    Returns where each page begins, for the EPUB's list of print pages."""
    laid_out, misplaced = layout_book(book)
    report_misplaced(misplaced)
    report_overflow(target.name, overflowing_boxes(laid_out))
    try:
        with atomic_file(target) as temporary:
            laid_out.write_pdf(temporary, **pdf_options(book))
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    return Written(len(laid_out.pages), page_starts(laid_out))


def layout_book(book: RenderedBook) -> tuple[Document, Misplaced]:
    """The book's pages, every footnote on the page of its call (or a list of
    those that could not be put there)."""
    (document,) = book.documents
    options = pdf_options(book)
    return mend_footnotes(lambda content: layout(book, content, options), document.content)
