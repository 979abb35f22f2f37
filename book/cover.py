"""A plain, designed cover for books that do not bring their own.

An SVG (so it stays sharp at any size): a dark field with a thin inset frame,
the title set large, the subtitle in italic and the authors at the foot.
Text is wrapped here by a simple width estimate, since SVG does not wrap.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

from book.model import Asset, Metadata

WIDTH, HEIGHT = 1200, 1800
"""2:3, the shape most stores ask for."""
BACKGROUND, INK, ACCENT = "#2f3a3d", "#f3efe6", "#c9a45c"


def generated_cover(metadata: Metadata) -> Asset:
    """The cover as an asset of the e-book (``images/cover.svg``)."""
    svg = cover_svg(metadata).encode("utf-8")
    return Asset(Path("cover.svg"), "images/cover.svg", "image/svg+xml", content=svg)


def cover_svg(metadata: Metadata) -> str:
    """The SVG document."""
    title = _lines(metadata.title, 16)
    subtitle = _lines(metadata.subtitle or "", 32)
    title_size = 120 if max(map(len, title)) <= 12 else 96
    y = 520 - (len(title) - 1) * title_size // 2
    parts = [
        _text(line, y + n * int(title_size * 1.15), title_size, INK) for n, line in enumerate(title)
    ]
    y += len(title) * int(title_size * 1.15) + 60
    parts.append(f'<rect x="500" y="{y - 40}" width="200" height="4" fill="{ACCENT}"/>')
    parts += [_text(line, y + 50 + n * 64, 50, INK, italic=True) for n, line in enumerate(subtitle)]
    authors = ", ".join(metadata.authors)
    parts += [_text(line, 1560 + n * 70, 56, ACCENT) for n, line in enumerate(_lines(authors, 30))]
    body = "\n  ".join(parts)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">
  <title>{escape(metadata.title)}</title>
  <rect width="{WIDTH}" height="{HEIGHT}" fill="{BACKGROUND}"/>
  <rect x="60" y="60" width="{WIDTH - 120}" height="{HEIGHT - 120}" fill="none" stroke="{ACCENT}" stroke-width="3"/>
  {body}
</svg>
"""


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width) or ([""] if not text else [text])


def _text(line: str, y: int, size: int, colour: str, italic: bool = False) -> str:
    style = ' font-style="italic"' if italic else ""
    return (
        f'<text x="{WIDTH // 2}" y="{y}" font-family="serif" font-size="{size}"{style} '
        f'fill="{colour}" text-anchor="middle">{escape(line)}</text>'
    )
