"""RenderedBook -> PDF, with WeasyPrint. The only module that imports it."""

from __future__ import annotations

import io
import mimetypes
import re
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import weasyprint
from lxml import etree
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from book.diagnostics import logger
from book.errors import BuildError
from book.linesplit import split_block
from book.model import Asset, PageStart, RenderedBook, Written
from book.output import atomic_file
from book.tree import xml

BASE_URL = "file:///octavo-book/"
"""A virtual root: documents refer to ``images/x.png``, ``fonts/y.otf``."""


class BookFetcher(URLFetcher):  # type: ignore[misc]
    """Serves only the book's own assets; every other URL is refused."""

    def __init__(self, assets: tuple[Asset, ...]) -> None:
        super().__init__(allowed_protocols=("file",))
        self.files = {BASE_URL + asset.href: asset for asset in assets}

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        asset = self.files.get(url.split("#")[0])
        if asset is None:
            raise ValueError(f"not a file of this book: {url}")
        body = asset.read()
        media_type = (
            asset.media_type or mimetypes.guess_type(asset.href)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


def write_pdf(book: RenderedBook, target: Path) -> Written:
    """Lay out the single document and write it atomically to ``target``.

    Returns where each page begins, for the EPUB's list of print pages."""
    laid_out = layout_book(book)
    _report_overflow(target, overflowing_boxes(laid_out))
    try:
        with atomic_file(target) as temporary:
            laid_out.write_pdf(temporary, **pdf_options(book))
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    return Written(len(laid_out.pages), page_starts(laid_out))


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


def pdf_options(book: RenderedBook) -> dict[str, object]:
    """WeasyPrint's options for this book: tagged PDF, the variant asked for, and
    only the attachments book.toml lists (read here: WeasyPrint fetches none)."""
    attachments = [
        weasyprint.Attachment(file_obj=io.BytesIO(path.read_bytes()), name=path.name)
        for path in book.options.page.attachments
    ]
    return {"pdf_tags": True, "pdf_variant": book.options.page.variant, "attachments": attachments}


def layout_book(book: RenderedBook) -> weasyprint.Document:
    """The book's pages, every footnote on the page of its call."""
    (document,) = book.documents
    return _layout_with_notes_in_place(book, document.content, pdf_options(book))


def layout(book: RenderedBook, content: str, options: dict[str, object]) -> weasyprint.Document:
    """One WeasyPrint layout of ``content`` with the book's styles and assets."""
    fetcher = BookFetcher(book.assets)
    fonts = FontConfiguration()
    sheets = [
        weasyprint.CSS(string=css, base_url=BASE_URL + href, url_fetcher=fetcher, font_config=fonts)
        for href, css in book.stylesheets
    ]
    html = weasyprint.HTML(string=content, base_url=BASE_URL, url_fetcher=fetcher)
    return _deep(lambda: html.render(stylesheets=sheets, font_config=fonts, **options))


STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 40_000
"""WeasyPrint recurses once or more per nesting level: a book with lists nested
200 deep needs more than Python's default 1,000 frames and 8 MB of stack."""


def _deep(work: Callable[[], weasyprint.Document]) -> weasyprint.Document:
    """Run ``work`` in a thread with a large stack and a high recursion limit."""
    result: list[weasyprint.Document] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    previous_stack = threading.stack_size(STACK_BYTES)
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        worker = threading.Thread(target=run, name="octavo-layout")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return result[0]


RELAXATIONS = ("footnote-split", "footnote-break")
"""What is done, in turn, to a paragraph whose note left its page (see pdf.css):
cut it before the calling line, which starts the next page (as ``footnote-policy:
line`` asks); failing that, start the whole paragraph on a new page."""


MAX_ROUNDS = 5


def _layout_with_notes_in_place(
    book: RenderedBook, content: str, options: dict[str, object]
) -> weasyprint.Document:
    """Lay out; if a footnote left the page of its call, mend the paragraph and retry.

    WeasyPrint moves notes to a later page to keep orphans and widows, and can
    lose a note moved past a chapter's last page. Each round relaxes only the
    paragraphs that call a misplaced note, first gently, then by a page break;
    a mend can shift later pages, so rounds go on until nothing is misplaced.
    """
    laid_out = layout(book, content, options)
    tries: dict[str, int] = {}
    for _round in range(MAX_ROUNDS):
        misplaced = misplaced_footnotes(laid_out)
        truncated = truncated_footnotes(laid_out)
        if not misplaced and not truncated:
            return laid_out
        marks = {}
        for note in misplaced:
            tries[note] = tries.get(note, 0) + 1
            marks[note] = RELAXATIONS[min(tries[note], len(RELAXATIONS)) - 1]
        content = _mark_calling_blocks(content, marks, _calling_lines(laid_out, marks))
        content = _continue_notes(content, truncated)
        laid_out = layout(book, content, options)
    for note, (call, page) in misplaced_footnotes(laid_out).items():
        where = f"on PDF page {page + 1}" if page is not None else "nowhere"
        logger.warning(
            "footnote %s is set %s, its call on PDF page %d [footnote-placement]",
            note,
            where,
            (call or 0) + 1,
        )
    return laid_out


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


def _calling_lines(document: weasyprint.Document, notes: Mapping[str, object]) -> dict[str, str]:
    """The text of the printed line that holds each note's call."""
    found: dict[str, str] = {}
    for page in document.pages:
        for line in _line_boxes(page._page_box):
            for note in _calls_in(line):
                if note in notes and note not in found:
                    found[note] = "".join(_line_text(line))
    return {note: found.get(note, "") for note in notes}


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


def _letters(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


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


def _report_overflow(target: Path, found: list[tuple[int, str, float, str]]) -> None:
    """One warning per page: the worst box that sticks out there."""
    worst: dict[int, tuple[int, str, float, str]] = {}
    for item in found:
        if item[0] not in worst or item[2] > worst[item[0]][2]:
            worst[item[0]] = item
    for page, chapter, excess, text in worst.values():
        logger.warning(
            "%s: warning: %s runs %.0fpt past the text block on PDF page %d%s [overflow]",
            target.name,
            f"'{text[:40]}'" if text else "an image or table",
            excess,
            page + 1,
            f" (in {chapter})" if chapter else "",
        )


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
    if isinstance(box, boxes.MarginBox):
        return
    if element is not None and element.tag == "section" and element.get("id"):
        chapter = element.get("id")
    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox, boxes.TableBox)):
        yield box, chapter
        if isinstance(box, boxes.TableBox):
            return
    for child in getattr(box, "children", None) or ():
        yield from _content_boxes(child, chapter)
