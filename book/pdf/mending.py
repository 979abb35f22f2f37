"""Mending WeasyPrint's footnotes: every note on the page of its call.

WeasyPrint moves notes to a later page to keep orphans and widows, can lose a
note moved past a chapter's last page, and cuts a note longer than the
footnote area. Most of the moves are prevented before layout
(``book.pdf.weasy.footnotes``); each round here lays the book out again after
cutting the paragraph before the calling line of a note still astray
(``footnote-policy: line`` done by hand) or cutting a long note into an
unnumbered continuation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lxml import etree

from book.pdf.findings import Misplaced
from book.pdf.weasy.boxes import calling_lines, misplaced_footnotes, truncated_footnotes
from book.pdf.weasy.layout import Document
from book.render.linesplit import split_block
from book.source.tree import xml

RELAXATIONS = ("footnote-split", "footnote-break")
"""What is done, in turn, to a paragraph whose note left its page (see pdf.css):
cut it before the calling line, which starts the next page (as ``footnote-policy:
line`` asks); failing that, start the whole paragraph on a new page."""

MAX_ROUNDS = 5


def mend_footnotes(lay_out: Callable[[str], Document], content: str) -> tuple[Document, Misplaced]:
    """Lay out; while a note is off its call's page (or cut short), mend and retry.

    Each round changes only the paragraphs that call a misplaced note: first
    cut before the calling line, then, for a note still astray, a page break
    before the paragraph. A mend can shift later pages, so rounds go on until
    nothing is misplaced (at most ``MAX_ROUNDS``). Returns the layout and the
    notes still astray, for ``report_misplaced``.
    """
    laid_out = lay_out(content)
    tries: dict[str, int] = {}
    for _round in range(MAX_ROUNDS):
        misplaced = misplaced_footnotes(laid_out)
        truncated = truncated_footnotes(laid_out)
        if not misplaced and not truncated:
            return laid_out, {}
        marks = {}
        for note in misplaced:
            tries[note] = tries.get(note, 0) + 1
            marks[note] = RELAXATIONS[min(tries[note], len(RELAXATIONS)) - 1]
        content = _mark_calling_blocks(content, marks, calling_lines(laid_out, marks))
        content = _continue_notes(content, truncated)
        laid_out = lay_out(content)
    return laid_out, misplaced_footnotes(laid_out)


BLOCKS = ("p", "li", "dd", "dt", "td", "th", "blockquote", "figcaption", "h1", "h2", "h3", "h4")


def _mark_calling_blocks(content: str, marks: Mapping[str, str], lines: Mapping[str, str]) -> str:
    """Mend the block that holds each note's call as ``marks[note]`` says."""
    root = xml(content.encode("utf-8"))
    for note, relaxation in marks.items():
        block = _calling_block(root, note)
        if block is None:
            continue
        second = split_block(block, lines[note], note) if relaxation == "footnote-split" else None
        if second is not None:
            _add_class(second, "footnote-continued")
            _add_class(block, relaxation)
        elif not _follows_heading(block):  # a break there would strand the heading
            _add_class(block, "footnote-break")
    return etree.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _add_class(element: etree._Element, name: str) -> None:
    classes = [c for c in (element.get("class") or "").split() if c not in RELAXATIONS]
    element.set("class", " ".join([*classes, name]))


def _follows_heading(block: etree._Element) -> bool:
    previous = block.getprevious()
    return previous is not None and (
        previous.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        or "chapter-label" in (previous.get("class") or "")
    )


def _calling_block(root: etree._Element, note: str) -> etree._Element | None:
    found = root.xpath("//*[@id=$id]", id=note)
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return None
    return next((e for e in found[0].iterancestors() if e.tag in BLOCKS), None)


def _continue_notes(content: str, truncated: Mapping[str, str]) -> str:
    """Cut each truncated note before its last line set; the rest becomes a
    continuation note (no call, no number) that floats to the next page."""
    if not truncated:
        return content
    root = xml(content.encode("utf-8"))
    for note, last_line in truncated.items():
        found = root.xpath("//*[@id=$id]", id=note)
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            rest = split_block(found[0], last_line)
            if rest is not None:
                _add_class(rest, "footnote-continuation")
                rest.set("id", _continuation_id(note))
    return etree.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _continuation_id(note: str) -> str:
    """``x-fn3`` continues as ``x-fn3-cont1``, which continues as ``x-fn3-cont2``."""
    base, _, count = note.partition("-cont")
    return f"{base}-cont{int(count or 0) + 1}"
