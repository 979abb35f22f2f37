"""What a PDF layout found wrong, told to the author: notes off their
call's page, boxes past the text block. Used by the parent of the layout
workers, which does not import WeasyPrint (``book.pdf.jobs``)."""

from __future__ import annotations

from collections.abc import Iterable

from book.diagnostics import logger

Misplaced = dict[str, tuple[int | None, int | None]]
"""Notes set off their call's page: id -> (call page, note page or None if lost)."""


Overflow = tuple[int, str, float, str]
"""(page index, chapter, points past the text block, text)."""


def report_overflow(name: str, found: Iterable[Overflow], first_page: int = 0) -> None:
    """One warning per page: the worst box that sticks out there; ``first_page``
    is the PDF page index where the laid-out part begins."""
    worst: dict[int, Overflow] = {}
    for item in found:
        if item[0] not in worst or item[2] > worst[item[0]][2]:
            worst[item[0]] = item
    for page, chapter, excess, text in worst.values():
        logger.warning(
            "%s: warning: %s runs %.0fpt past the text block on PDF page %d%s [overflow]",
            name,
            f"'{text[:40]}'" if text else "an image or table",
            excess,
            first_page + page + 1,
            f" (in {chapter})" if chapter else "",
        )


def report_misplaced(misplaced: Misplaced, first_page: int = 0) -> None:
    """Warn of each note still off its call's page; ``first_page`` is the PDF
    page index where the laid-out part begins."""
    for note, (call, page) in misplaced.items():
        where = f"on PDF page {first_page + page + 1}" if page is not None else "nowhere"
        logger.warning(
            "footnote %s is set %s, its call on PDF page %d [footnote-placement]",
            note,
            where,
            first_page + (call or 0) + 1,
        )
