"""What a layout worker is asked to do: one part, with what it needs to know.

Made by the parent (``book.pdf.parallel``), carried to a worker by
``book.pdf.jobs``, carried out by ``book.pdf.worker``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from book.pdf.parts import Part


@dataclass(frozen=True, slots=True)
class Numbers:
    """For the part laid out last in a round that prints other parts' page
    numbers (the contents, on a first build): what its worker needs to fill
    them in itself as soon as those parts are paginated, instead of after they
    are drawn and back in the parent. Their page counts come from the ledger;
    where their anchors fall, from the files ``anchors_file`` names."""

    environment: str
    """``book.pdf.partcache.environment_key`` of the book, for the part's key."""
    restarts: tuple[bool, ...]
    """Whether each part restarts the page numbering (``book.pdf.parts.first_folios``)."""
    owners: tuple[tuple[str, int], ...]
    """The part that holds each anchor whose page this part prints."""
    known: tuple[tuple[str, int], ...]
    """The page, within its part, of each such anchor held by a part not laid
    out in this round."""


def anchors_file(book: str, index: int) -> Path:
    """Where the worker laying out part ``index`` of the book pickled at
    ``book`` leaves the page of each of its anchors after pagination."""
    return Path(book).parent / f"anchors-{index}.pickle"


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
    learnt from the ledger (``book.pdf.ledger``), and ``start`` is a guess. A
    part that prints no page number at all learns it after its pagination; one
    that prints its own pages' numbers ("on page 12"), before its layout."""
    title: str = ""
    """The book's title, for the part's stylesheet made anew with that folio."""
    book: str = ""
    """The pickled book (its styles, assets and options) this part belongs to."""
    numbers: Numbers | None = None
    """Fill in the page numbers of other parts from this round's layouts
    (``html``, ``css`` and ``key`` are then guesses)."""
