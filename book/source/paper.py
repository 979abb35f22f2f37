"""Page geometry for print: trim sizes, lengths, and the @page CSS they make.

Imports nothing from ``book`` but the model, so config can validate with it and
render can turn the settings into CSS.
"""

from __future__ import annotations

import re

from book.model import PageSettings

TRIM_SIZES: dict[str, tuple[str, str]] = {
    "6x9in": ("6in", "9in"),
    "5.5x8.5in": ("5.5in", "8.5in"),
    "5x8in": ("5in", "8in"),
    "a5": ("148mm", "210mm"),
    "royal": ("156mm", "234mm"),
    "letter": ("8.5in", "11in"),
    "a4": ("210mm", "297mm"),
}
"""Named trim sizes: trade paperbacks, ISO A5/A4, British royal, US letter."""

LENGTH = re.compile(r"(?:\d+(?:\.\d+)?|\.\d+)(?:in|mm|cm|pt|pc|px)")
TRIM = re.compile(
    r"\s*(?P<w>\d+(?:\.\d+)?)\s*(?P<wu>in|mm|cm|pt)?\s*[x\u00d7]\s*(?P<h>\d+(?:\.\d+)?)\s*(?P<hu>in|mm|cm|pt)\s*"
)
RUNNING_HEADS = {
    "book": "string(book-title)",
    "chapter": "string(chapter-title)",
    "section": "string(section-title)",
    "none": "none",
}
VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-2u", "pdf/a-3b", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1")
"""PDF variants passed through to WeasyPrint and tested here."""


def trim_size(value: str) -> tuple[str, str] | None:
    """``"6x9in"``, ``"a5"`` or ``"152mm x 229mm"`` -> (width, height); None if unreadable."""
    if value.lower() in TRIM_SIZES:
        return TRIM_SIZES[value.lower()]
    match = TRIM.fullmatch(value)
    if not match:
        return None
    return f"{match['w']}{match['wu'] or match['hu']}", f"{match['h']}{match['hu']}"


def is_length(value: object) -> bool:
    """A CSS length with a unit, e.g. ``0.75in`` or ``18mm``."""
    return isinstance(value, str) and LENGTH.fullmatch(value.strip()) is not None


def page_css(page: PageSettings) -> str:
    """The @page rules for a trim size, mirrored margins and (print-ready) bleed."""
    left_head, right_head = (
        RUNNING_HEADS[page.running_heads[0]],
        RUNNING_HEADS[page.running_heads[1]],
    )
    bleed = f"\n  bleed: {page.bleed};\n  marks: crop;" if page.bleed else ""
    return f"""/* Generated from book.toml [pdf]. */
@page {{
  size: {page.width} {page.height};
  margin: {page.top} {page.outside} {page.bottom} {page.inside};{bleed}
}}
@page :left {{ margin-left: {page.outside}; margin-right: {page.inside};
  @top-center {{ content: {left_head}; }} }}
@page :right {{ margin-left: {page.inside}; margin-right: {page.outside};
  @top-center {{ content: {right_head}; }} }}
"""
