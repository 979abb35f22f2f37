"""Footnotes kept with their calls: the adaptation that changes the printed book most."""

from __future__ import annotations

from book import pipeline
from book.model import Format
from book.pdf.mending import mend_footnotes
from book.pdf.weasy.footnotes import keep_notes_with_calls
from book.pdf.weasy.layout import layout, pdf_options
from book.render.editions import render
from tests.conftest import REPO


def test_notes_stay_with_their_calls_in_the_first_layout() -> None:
    """WeasyPrint would push notes off their call's page to fit a line (five
    in the sample's first layout); with ``keep_notes_with_calls`` in place the
    first layout has every note on its page, so mending lays out only once."""
    assert keep_notes_with_calls()  # WeasyPrint's code is what the patch expects
    book = render(pipeline.load(REPO)[1], Format.PDF)
    layouts = []

    def lay_out(content: str):  # type: ignore[no-untyped-def]
        layouts.append(content)
        return layout(book, content, pdf_options(book))

    (document,) = book.documents
    _document, misplaced = mend_footnotes(lay_out, document.content)
    assert misplaced == {} and len(layouts) == 1
