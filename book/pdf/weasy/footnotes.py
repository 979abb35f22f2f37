"""Footnotes kept on the page of their call when a line is pushed to the next page.

Replaces how ``weasyprint.layout.block._linebox_layout`` reads
``LayoutContext.in_column``: WeasyPrint 70 moves a page's last notes to the
next page to make room for a line that would otherwise leave a widow or an
orphan, though their calls stay behind; it skips that inside columns. Changes
the printed book (the sample book is 40 pages with it, 44 without), so a
build fails if it cannot be put in place. Upstream, honouring
``footnote-policy`` (or not moving notes away from their calls) in
``_linebox_layout`` would retire it.
"""

from __future__ import annotations

import sys
from typing import Any


def keep_notes_with_calls() -> bool:
    """Stop WeasyPrint from moving notes off their call's page to fit a line.

    When a line overflows the page and breaking before it would leave a widow
    or an orphan, WeasyPrint 70 pushes the page's last notes to the next page
    to make room for the line (in ``block._linebox_layout``), though their
    calls stay behind. It skips that inside columns: the one place it reads
    ``LayoutContext.in_column`` in that function. Here that read answers
    True, so the line is broken as widows and orphans allow and the notes stay
    with their calls (``book.pdf.mending`` then has little or nothing left
    to mend). Returns whether the patch is in place: if WeasyPrint's code is
    not what it expects, nothing is changed, and the build stops
    (``book.pdf.weasy.adaptations``).
    """
    from weasyprint.layout import LayoutContext, block

    if isinstance(LayoutContext.__dict__.get("in_column"), property):
        return True
    function = getattr(block, "_linebox_layout", None)
    code = getattr(function, "__code__", None)
    if code is None or not {"in_column", "report_footnote"} <= set(code.co_names):
        return False

    def get(context: Any) -> bool:
        return bool(context.octavo_in_column) or sys._getframe(1).f_code is code

    def put(context: Any, value: bool) -> None:
        context.octavo_in_column = value

    LayoutContext.in_column = property(get, put)
    return True
