"""The report of ``book diff``: ``index.html`` with the changed pages side by side.

Self-contained, so that it can be attached to a CI run or mailed: the page
images sit next to ``index.html`` in ``pages/`` and the styles are inline;
nothing is fetched. Changed words are drawn over the page images with
Pillow, red on the old page and green on the new. The directory is written
beside its target and moved into place when complete.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from book.diff.pairing import SHOWN, Box, Change, Page, PageDiff, ranges
from book.output import atomic_directory
from book.render.common import fill_template

REPORT_DPI = 96
"""Resolution of the page images in the report."""
OLD_COLOUR = (200, 30, 30)
NEW_COLOUR = (20, 140, 60)
_PAD = 1.5
"""Points around a highlighted word."""


@dataclass(frozen=True, slots=True)
class Edition:
    """One side of the comparison, as the report needs it."""

    name: str
    """What the user called it: a file name or a revision."""
    picture: Callable[[int, float], Image.Image]
    """Renders page ``number`` (1-based) at a resolution in dpi."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A changed page in the report, with its images (paths relative to index.html)."""

    diff: PageDiff
    anchor: str
    old_image: str | None
    new_image: str | None


def write_report(
    output: Path, diffs: Sequence[PageDiff], line: str, editions: tuple[Edition, Edition]
) -> Path:
    """Write ``output/index.html`` and its images; returns the index's path."""
    with atomic_directory(output) as directory:
        (directory / "pages").mkdir()
        entries = [
            _entry(directory, index, d, editions)
            for index, d in enumerate((d for d in diffs if d.change in SHOWN), 1)
        ]
        moved = [d.new.number for d in diffs if d.change is Change.MOVED and d.new]
        html = fill_template(
            "diff.html.j2",
            summary=line,
            old=editions[0].name,
            new=editions[1].name,
            entries=entries,
            moved=ranges(moved),
        )
        (directory / "index.html").write_text(html, encoding="utf-8")
    return output / "index.html"


def _entry(directory: Path, index: int, diff: PageDiff, editions: tuple[Edition, Edition]) -> Entry:
    old_image = new_image = None
    if diff.old:
        old_image = f"pages/{index:04d}-old.png"
        _save(editions[0], diff.old, diff.old_marks, OLD_COLOUR, directory / old_image)
    if diff.new:
        new_image = f"pages/{index:04d}-new.png"
        _save(editions[1], diff.new, diff.new_marks, NEW_COLOUR, directory / new_image)
    return Entry(diff, f"page-{index}", old_image, new_image)


def _save(
    edition: Edition, page: Page, marks: Sequence[Box], colour: tuple[int, int, int], path: Path
) -> None:
    image = highlighted(edition.picture(page.number, REPORT_DPI), marks, REPORT_DPI, colour)
    image.save(path, "PNG")


def highlighted(
    image: Image.Image, marks: Sequence[Box], dpi: float, colour: tuple[int, int, int]
) -> Image.Image:
    """``image`` with each box (in points) tinted and outlined in ``colour``."""
    if not marks:
        return image
    scale = dpi / 72
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for left, top, right, bottom in marks:
        draw.rectangle(
            (
                (left - _PAD) * scale,
                (top - _PAD) * scale,
                (right + _PAD) * scale,
                (bottom + _PAD) * scale,
            ),
            fill=(*colour, 60),
            outline=(*colour, 190),
            width=max(1, round(scale)),
        )
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
