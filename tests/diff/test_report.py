"""The HTML report of ``book diff``, from page verdicts made here."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from book.diff.pairing import Change, Chapter, Page, PageDiff, Segment, Word
from book.diff.report import NEW_COLOUR, REPORT_DPI, Edition, highlighted, write_report

CHAPTER = Chapter("Two Hills", "Chapter 2", 1)


def picture(number: int, dpi: float) -> Image.Image:
    return Image.new("RGB", (round(2 * dpi), round(3 * dpi)), "white")


def page(number: int, folio: str = "") -> Page:
    return Page(number, (Word("word", ((10, 10, 30, 20),)),), folio, None, CHAPTER)


def editions(old: str = "old.pdf", new: str = "new.pdf") -> tuple[Edition, Edition]:
    return Edition(old, picture), Edition(new, picture)


def test_highlighted_tints_only_the_marked_box() -> None:
    image = highlighted(Image.new("RGB", (144, 144), "white"), [(10, 10, 20, 20)], 144, NEW_COLOUR)
    inside = image.getpixel((30, 30))
    assert isinstance(inside, tuple)
    assert inside != (255, 255, 255)
    assert inside[1] > inside[0]  # green
    assert image.getpixel((100, 100)) == (255, 255, 255)


def test_changed_added_and_removed_pages_are_shown(tmp_path: Path) -> None:
    diffs = [
        PageDiff(
            page(1, "1"),
            page(1, "1"),
            Change.CHANGED,
            ((10, 10, 30, 20),),
            ((10, 10, 30, 20),),
            (
                Segment("equal", "Who ordered it"),
                Segment("delete", "old"),
                Segment("insert", "new"),
            ),
        ),
        PageDiff(None, page(2, "2"), Change.ADDED),
        PageDiff(page(2, "2"), None, Change.REMOVED),
        PageDiff(page(3, "3"), page(3, "3"), Change.SAME),
        PageDiff(page(4, "3"), page(5, "4"), Change.MOVED),
        PageDiff(page(5, "4"), page(6, "5"), Change.MOVED),
    ]
    index = write_report(tmp_path / "diff", diffs, "3 of 6 pages changed", editions())
    html = index.read_text(encoding="utf-8")
    assert html.count('<section class="page"') == 3
    assert "3 of 6 pages changed" in html
    assert "Chapter 2: page 1 (p. 1) → page 1 (p. 1)" in html
    assert "<del>old</del>" in html and "<ins>new</ins>" in html
    assert "no page here in old.pdf" in html and "no page here in new.pdf" in html
    assert "page number changed (pages of new.pdf): 5\u20136." in html
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == 4
    for src in images:
        with Image.open(index.parent / src) as image:
            assert image.size == (2 * REPORT_DPI, 3 * REPORT_DPI)


def test_names_are_escaped(tmp_path: Path) -> None:
    index = write_report(tmp_path / "diff", [], "no differences", editions("<b>v1</b>", "v2"))
    html = index.read_text(encoding="utf-8")
    assert "<b>v1</b>" not in html
    assert "&lt;b&gt;v1&lt;/b&gt;" in html
