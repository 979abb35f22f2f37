"""Reading finished PDFs: each page's words with their boxes, its folio, its
chapter (from the bookmarks) and its image.

pypdfium2 (Google's PDFium, the engine of Chromium's PDF viewer, as a wheel
with no system dependency) does all of it in process: text with character
boxes, the outline, and fast rasterisation to Pillow images. The alternative,
pypdf for text plus poppler's ``pdftoppm`` for images, needs a subprocess per
page range and gives no character boxes, which the report needs to highlight
changed words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from book.diff.pairing import Chapter, Page, Word
from book.errors import InputError

_FOLIO = re.compile(r"^(\d+|[ivxlcdm]+|[IVXLCDM]+)$")
_SPACE = frozenset(" \t\r\n\u00a0")
_SOFT = ("\u2010", "\u00ad", "\u0002", "\ufffe")
"""Hyphens a typesetter adds at a line's end (PDFium reports some soft hyphens as U+0002 or U+FFFE)."""
_EDGE = 1.0
"""Points of tolerance when deciding that a word is the top-most or bottom-most on its page."""


@contextmanager
def opened(path: Path) -> Iterator[pdfium.PdfDocument]:
    """The PDF at ``path``, closed afterwards; a file that is not one is an error."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", "missing-file")
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            raise InputError(f"{path}: not a PDF file", "not-pdf")
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise InputError(f"{path}: cannot read the PDF: {exc}", "bad-pdf") from None
    try:
        yield document
    finally:
        document.close()


def read_pages(document: pdfium.PdfDocument) -> tuple[Page, ...]:
    """Every page's words, folio and size, with the chapter it belongs to."""
    pages = [_read_page(document[index], index + 1) for index in range(len(document))]
    chapters = _chapters(document, pages)
    starts = {chapter.first_page: chapter for chapter in chapters}
    result: list[Page] = []
    current: Chapter | None = None
    for page, _ in pages:
        current = starts.get(page.number, current)
        result.append(Page(page.number, page.words, page.folio, page.folio_box, current, page.size))
    return tuple(result)


def render(document: pdfium.PdfDocument, number: int, dpi: float) -> Image.Image:
    """Page ``number`` (1-based) as an RGB image at ``dpi``."""
    bitmap = document[number - 1].render(scale=dpi / 72)
    image: Image.Image = bitmap.to_pil().convert("RGB")
    return image


# --- words and folios ------------------------------------------------------------------


def _read_page(page: pdfium.PdfPage, number: int) -> tuple[Page, list[list[Word]]]:
    width, height = page.get_size()
    lines = _lines(page.get_textpage(), height)
    folio = _folio(lines)
    words = _dehyphenated([[w for w in line if w is not folio] for line in lines])
    if folio is None:
        return Page(number, words, "", None, None, (width, height)), lines
    return Page(number, words, folio.text, folio.boxes[0], None, (width, height)), lines


def _dehyphenated(lines: list[list[Word]]) -> tuple[Word, ...]:
    """The words of the lines, a word hyphenated at a line's end joined again.

    Otherwise a paragraph that reflows would differ in every word whose
    hyphenation moved. WeasyPrint hyphenates with U+2010 (CSS
    ``hyphenate-character``); a soft hyphen may show too; both go. A hard
    hyphen at a line's end ("anti-" "tank") stays.
    """
    words: list[Word] = []
    joining = False
    for line in lines:
        for index, word in enumerate(line):
            if joining and index == 0 and word.text[:1].islower():
                last = words.pop()
                word = Word(last.text.rstrip("".join(_SOFT)) + word.text, last.boxes + word.boxes)
            words.append(word)
        joining = bool(line) and line[-1].text.endswith((*_SOFT, "-"))
    return tuple(words)


def _lines(text: pdfium.PdfTextPage, height: float) -> list[list[Word]]:
    """The page's words line by line, boxes measured from the top-left corner."""
    chars = text.get_text_range()
    lines: list[list[Word]] = [[]]
    start: int | None = None
    for index, char in enumerate([*chars, "\n"]):
        if char not in _SPACE and start is None:
            start = index
        elif char in _SPACE and start is not None:
            lines[-1].append(_word(text, chars, start, index, height))
            start = None
        if char == "\n" and lines[-1]:
            lines.append([])
    return [line for line in lines if line]


def _word(text: pdfium.PdfTextPage, chars: str, start: int, end: int, height: float) -> Word:
    boxes = [text.get_charbox(i) for i in range(start, end)]
    left = min(b[0] for b in boxes)
    bottom = min(b[1] for b in boxes)
    right = max(b[2] for b in boxes)
    top = max(b[3] for b in boxes)
    return Word(chars[start:end], ((left, height - top, right, height - bottom),))


def _folio(lines: list[list[Word]]) -> Word | None:
    """The printed page number: a number alone at either end of the first or last
    line that is also the top-most or bottom-most text on the page.

    WeasyPrint writes the margin boxes (running head, folio) after the body, so
    they come last in reading order; other tools put them first. The position
    test keeps a number at the end of a body line from being taken for a folio.
    On a page without a folio, a bare number in the top or bottom line of text
    is still taken for one: a change to it alone goes unnoticed.
    """
    if not lines:
        return None
    boxes = [word.boxes[0] for line in lines for word in line]
    top = min(box[1] for box in boxes)
    bottom = max(box[3] for box in boxes)
    for word in (lines[-1][-1], lines[-1][0], lines[0][0], lines[0][-1]):
        box = word.boxes[0]
        if _FOLIO.match(word.text) and (box[1] <= top + _EDGE or box[3] >= bottom - _EDGE):
            return word
    return None


# --- chapters --------------------------------------------------------------------------


def _chapters(
    document: pdfium.PdfDocument, pages: list[tuple[Page, list[list[Word]]]]
) -> tuple[Chapter, ...]:
    """The top-level bookmarks, each with the label printed above its title."""
    chapters: list[Chapter] = []
    for item in document.get_toc():
        destination = item.get_dest()
        index = destination.get_index() if destination is not None else None
        if item.level != 0 or index is None or not 0 <= index < len(pages):
            continue
        title = item.get_title()
        chapters.append(Chapter(title, _label(title, pages[index][1]), index + 1))
    return tuple(chapters)


def _label(title: str, lines: list[list[Word]]) -> str:
    """The label printed above a title (Chapter 2): a short first line before the title."""
    if len(lines) < 2 or len(lines[0]) > 3:
        return ""
    second = _letters(" ".join(w.text for w in lines[1]))
    if second and _letters(title).startswith(second[: len(_letters(title))]):
        return " ".join(w.text for w in lines[0])
    return ""


def _letters(text: str) -> str:
    return re.sub(r"\W", "", text).casefold()
