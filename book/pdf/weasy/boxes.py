"""What WeasyPrint's laid-out pages hold: where each page begins, where each
footnote and its call landed, and what sticks out of the text block.

Reads WeasyPrint's box tree (``Document.pages[n]._page_box``); used by the PDF
writer to mend the layout, to warn, and to give the EPUB its print page list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

import weasyprint
from weasyprint.formatting_structure import boxes

from book.model import PageStart

FOLIO = re.compile(r"\d+|[ivxlcdm]+")


def page_starts(document: weasyprint.Document) -> tuple[PageStart, ...]:
    """Where each page with chapter text begins: its folio, chapter, block and words."""
    starts = []
    for page in document.pages:
        folio = next((t for t in _margin_texts(page._page_box) if FOLIO.fullmatch(t)), None)
        first = _first_content(page._page_box, "", None)
        if folio and first:
            chapter, block, words = first
            if chapter and block is not None:
                starts.append(PageStart(folio, chapter, block, words))
    return tuple(starts)


def _margin_texts(page_box: boxes.Box) -> Iterator[str]:
    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):
            yield "".join(_all_text(child)).strip()


def _first_content(
    box: boxes.Box, chapter: str, block: int | None
) -> tuple[str, int | None, str] | None:
    """The first text or image of the page's flow: (chapter, block, words of its line)."""
    if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
        return None
    element = getattr(box, "element", None)
    if element is not None:
        if element.tag == "section" and element.get("id"):
            chapter = element.get("id")
        if element.get("data-b") is not None:
            block = int(element.get("data-b"))
    if isinstance(box, boxes.LineBox):
        words = "".join(_all_text(box)).strip()
        if words:
            return chapter, block, words
    if isinstance(box, boxes.ReplacedBox):
        return chapter, block, ""
    for child in getattr(box, "children", None) or ():
        found = _first_content(child, chapter, block)
        if found:
            return found
    return None


def misplaced_footnotes(document: weasyprint.Document) -> dict[str, tuple[int | None, int | None]]:
    """Footnotes not on the page of their call: id -> (call page, note page).

    A note page of None means the note was lost (not set on any page).
    """
    calls: dict[str, int] = {}
    notes: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        _scan_notes(page._page_box, number, calls, notes)
    return {  # continuations of long notes have no call and are not listed
        note: (page, notes.get(note)) for note, page in calls.items() if notes.get(note) != page
    }


def _scan_notes(box: boxes.Box, page: int, calls: dict[str, int], notes: dict[str, int]) -> None:
    element = getattr(box, "element", None)
    if element is not None and "footnote" in (element.get("class") or "").split():
        if isinstance(box, boxes.BlockBox):
            notes.setdefault(element.get("id"), page)
        elif "footnote-continuation" not in (element.get("class") or ""):  # has no real call
            calls.setdefault(element.get("id"), page)
        return
    for child in getattr(box, "children", None) or ():
        _scan_notes(child, page, calls, notes)


def truncated_footnotes(document: weasyprint.Document) -> dict[str, str]:
    """Notes too long for their page: WeasyPrint sets them past the foot of the
    page (where nobody sees them) instead of continuing them on the next one.
    Returns id -> the text of the first line below the page's bottom margin."""
    found: dict[str, str] = {}
    for page in document.pages:
        page_box = page._page_box
        bottom = page_box.content_box_y() + page_box.height + OVERFLOW_TOLERANCE
        for box in _note_bodies(page_box):
            below = [line for line in _line_boxes(box) if line.position_y + line.height > bottom]
            if below:
                found.setdefault(box.element.get("id"), "".join(_all_text(below[0])))
    return found


def _all_text(box: boxes.Box) -> Iterator[str]:
    if isinstance(box, boxes.TextBox):
        yield box.text
    for child in getattr(box, "children", None) or ():
        yield from _all_text(child)


def _note_bodies(box: boxes.Box) -> Iterator[boxes.Box]:
    if isinstance(box, boxes.BlockBox) and _is_note(box) and box.element.get("id"):
        yield box
        return
    for child in getattr(box, "children", None) or ():
        yield from _note_bodies(child)


OVERFLOW_TOLERANCE = 1.0
"""Points a box may stick out before it counts (rounding, optical kerning)."""


def overflowing_boxes(document: weasyprint.Document) -> list[tuple[int, str, float, str]]:
    """Text, images and tables that stick out of the text block sideways:
    (page index, chapter id, points beyond the edge, text)."""
    found: list[tuple[int, str, float, str]] = []
    for number, page in enumerate(document.pages):
        box = page._page_box
        left = box.content_box_x()
        right = left + box.width
        for child, chapter in _content_boxes(box, ""):
            start = child.position_x
            end = start + child.margin_width()
            excess = max(left - start, end - right)
            if excess > OVERFLOW_TOLERANCE:
                text = child.text if isinstance(child, boxes.TextBox) else ""
                found.append((number, chapter, excess, text))
    return found


def _content_boxes(box: boxes.Box, chapter: str) -> Iterator[tuple[boxes.Box, str]]:
    element = getattr(box, "element", None)
    if isinstance(box, boxes.MarginBox) or _in_margin(box):
        return
    if element is not None and element.tag == "section" and element.get("id"):
        chapter = element.get("id")
    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox, boxes.TableBox)):
        yield box, chapter
        if isinstance(box, boxes.TableBox):
            return
    for child in getattr(box, "children", None) or ():
        yield from _content_boxes(child, chapter)


def _in_margin(box: boxes.Box) -> bool:
    """A paragraph's ``§2.14`` anchor, set in the margin on purpose (proofs)."""
    element = getattr(box, "element", None)
    if element is None or not isinstance(element.tag, str):
        return False
    return str(box.element_tag).endswith("::before") and bool(element.get("data-cite"))


def _line_boxes(box: boxes.Box) -> Iterator[boxes.LineBox]:
    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", None) or ():
        yield from _line_boxes(child)


def _is_note(box: boxes.Box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and "footnote" in (element.get("class") or "").split()


def _calls_in(box: boxes.Box) -> Iterator[str]:
    for child in getattr(box, "children", None) or ():
        if _is_note(child):
            yield child.element.get("id")
        else:
            yield from _calls_in(child)


def _line_text(box: boxes.Box) -> Iterator[str]:
    if isinstance(box, boxes.TextBox):
        yield box.text
    for child in getattr(box, "children", None) or ():
        if not _is_note(child):
            yield from _line_text(child)


def calling_lines(document: weasyprint.Document, notes: Mapping[str, object]) -> dict[str, str]:
    """The text of the printed line that holds each note's call."""
    found: dict[str, str] = {}
    for page in document.pages:
        for line in _line_boxes(page._page_box):
            for note in _calls_in(line):
                if note in notes and note not in found:
                    found[note] = "".join(_line_text(line))
    return {note: found.get(note, "") for note in notes}


def holds_part_end(page: weasyprint.Page, part_end: str) -> bool:
    """The page holds only the block of class ``part_end`` (``book.pdf.parts.PART_END``)."""
    found = []

    def walk(box: object) -> None:
        element = getattr(box, "element", None)
        if element is not None and element.get("class") == part_end:
            found.append(box)
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(page._page_box)
    return bool(found)


def stub_outside_anchors(pages: Sequence[weasyprint.Page], anchors: set[str]) -> None:
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
