"""A line's glyphs read from Pango in one go, without WeasyPrint's zero adjustments.

Replaces ``weasyprint.draw.text.draw_first_line``. To draw a line, WeasyPrint
walks Pango's glyph string one glyph at a time through cffi (each field of
each glyph a C access wrapped in a Python object), and after almost every
glyph it writes a position adjustment that truncates to ``0``: the glyph's
width in the font, rounded to a thousandth of an em, differs from Pango's by
a fraction. ``<0045>0<004a>0<0054>0`` moves nothing that ``<0045004a0054>``
does not, yet it is written, compressed, merged and read by every viewer.

``whole_glyph_runs`` wraps the function. For the lines a book is made of (no
ellipsis, fonts with outlines, no glyph missing from its font, no vertical
offsets: checked before anything is written), a run's glyph fields are read
as one array of integers and its string is put together by WeasyPrint's
rules, less the zero adjustments; a run already written in the same font and
size (a justified line is a run a word: Pango splits it where the spacing
changes) is written as it was. Any other line is drawn by WeasyPrint's own
function. Saves time only: the pages are the same pixel for pixel and their
text the same (the test renders a page of several scripts, styles and sizes
both ways). Upstream, reading a run's glyphs in bulk and leaving out
adjustments that round to nothing in ``draw_first_line`` would retire it.
Measured figures: ``bench/RESULTS.md``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from book.pdf.weasy.patching import takes

_FIELDS = 5
"""32-bit integers in a ``PangoGlyphInfo``: the glyph, its width, x and y
offsets, and the visual attributes."""

_WRITTEN: weakref.WeakKeyDictionary[Any, dict[tuple[bytes, float], str]] = (
    weakref.WeakKeyDictionary()
)
"""By WeasyPrint's font (one per document and face), what each run of glyphs
(its ``PangoGlyphInfo`` array as bytes, and the font size) was written as: a
word of a font at a size is the same run wherever it is set, and its text
mapping and glyph widths are in the font once it has been written."""


def whole_glyph_runs() -> bool:
    """Install the wrapper (once). Returns whether it is in place: if
    WeasyPrint's code is not what it expects, nothing is changed."""
    from weasyprint.draw import text
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango

    found: Callable[..., list[Any]] | None = getattr(text, "draw_first_line", None)
    if found is None or getattr(found, "octavo_whole_runs", False):
        return found is not None
    if not takes(found, "stream", "textbox", "text_overflow", "block_ellipsis", "matrix"):
        return False
    names = set(found.__code__.co_names)
    if not {"get_first_line", "show_text", "add_font", "set_font_size", "to_unicode"} <= names:
        return False
    if ffi.sizeof("PangoGlyphInfo") != 4 * _FIELDS or [
        ffi.offsetof("PangoGlyphInfo", "glyph"),
        ffi.offsetof("PangoGlyphInfo", "geometry") + ffi.offsetof("PangoGlyphGeometry", "y_offset"),
    ] != [0, 12]:
        return False
    original = found
    empty = int(pango.PANGO_GLYPH_EMPTY)
    unknown = int(pango.PANGO_GLYPH_UNKNOWN_FLAG)
    style_sized = pango.pango_version() < 14802
    units = 1000 * FROM_UNITS
    extents = pango.pango_font_get_glyph_extents
    set_single_paragraph = pango.pango_layout_set_single_paragraph_mode
    null = ffi.NULL
    buffer = ffi.buffer

    def draw_first_line(
        stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any
    ) -> list[Any]:
        style = textbox.style
        if (
            text_overflow == "ellipsis"
            or block_ellipsis != "none"
            or not textbox.text.strip()
            or style["font_size"] < 1e-6
        ):
            return original(stream, textbox, text_overflow, block_ellipsis, matrix)
        layout = textbox.pango_layout
        set_single_paragraph(layout.layout, True)
        first_line, _ = layout.get_first_line()
        runs: list[tuple[Any, int, Any, Any, float, bytes, str | None, dict[Any, str]]] = []
        previous: Any = None
        font: Any = None
        drawn = 0.0
        written: dict[tuple[bytes, float], str] = {}
        run = first_line.runs[0]
        while run != null:
            item = run.data
            run = run.next
            glyphs = item.glyphs
            count = glyphs.num_glyphs
            pango_font = item.item.analysis.font
            if pango_font != previous:
                previous = pango_font
                font, size = stream.add_font(pango_font)
                if font.svg or font.png or font.colr:
                    return original(stream, textbox, text_overflow, block_ellipsis, matrix)
                drawn = style["font_size"] if style_sized else size
                written = _WRITTEN.setdefault(font, {})
            raw = buffer(glyphs.glyphs, 4 * _FIELDS * count)[:]
            known = written.get((raw, drawn))
            if known is None:
                fields = memoryview(raw).cast("i")
                if any(fields[3::_FIELDS].tolist()) or (
                    count and max(fields[0::_FIELDS]) >= unknown
                ):
                    return original(stream, textbox, text_overflow, block_ellipsis, matrix)
            runs.append((item, count, pango_font, font, drawn, raw, known, written))
        stream.set_text_matrix(*matrix.values)
        previous = None
        string = ""
        for item, count, pango_font, font, drawn, raw, known, written in runs:
            if pango_font != previous:
                previous = pango_font
                if string:
                    stream.show_text(string)
                string = ""
                stream.set_font_size(font.hash, 1 if font.bitmap else drawn)
            if known is None:
                known = written[raw, drawn] = _glyphs(
                    layout, item, count, pango_font, font, drawn, raw, stream, extents, units
                )
            string += "<" + known
            if string[-1] == "<":
                string = string[:-1]
            else:
                string += ">"
        stream.show_text(string)
        return []

    def _glyphs(
        layout: Any,
        item: Any,
        count: int,
        pango_font: Any,
        font: Any,
        size: float,
        raw: bytes,
        stream: Any,
        extents: Any,
        units: float,
    ) -> str:
        """The run's glyphs as WeasyPrint writes them inside ``<`` ``>``,
        less the zero adjustments."""
        fields = memoryview(raw).cast("i")
        ids = fields[0::_FIELDS].tolist()
        widths = fields[1::_FIELDS].tolist()
        offsets = fields[2::_FIELDS].tolist()
        advances = font.widths
        to_unicode = font.to_unicode
        hexa = "{:02x}" if font.bitmap else "{:04x}"
        parts = []
        utf8 = None
        for i in range(count):
            glyph = ids[i]
            width = widths[i]
            if glyph == empty:
                parts.append(f">{-width / size}<")
                continue
            if glyph not in to_unicode:
                if utf8 is None:
                    utf8 = layout.text.encode()
                to_unicode[glyph] = _text_of(item, i, count, utf8)
            offset = offsets[i] / size
            if offset:
                parts.append(f">{-offset}<")
            parts.append(hexa.format(glyph))
            logical = advances.get(glyph)
            if logical is None:
                extents(pango_font, glyph, stream.ink_rect, stream.logical_rect)
                logical = advances[glyph] = round(stream.logical_rect.width * units / size)
            kerning = int(logical + offset - width * units / size)
            if kerning:
                parts.append(f">{kerning}<")
        return "".join(parts)

    draw_first_line.octavo_whole_runs = True  # type: ignore[attr-defined]
    draw_first_line.octavo_original = original  # type: ignore[attr-defined]
    text.draw_first_line = draw_first_line
    return True


def _text_of(item: Any, i: int, count: int, utf8: bytes) -> str:
    """The text a run's ``i``-th glyph stands for, as WeasyPrint finds it."""
    clusters = item.glyphs.log_clusters
    offset = item.item.offset
    start = clusters[i]
    if item.item.analysis.level % 2:  # right to left
        end = item.item.length if i == 0 else clusters[i - 1]
    else:
        end = item.item.length if i == count - 1 else clusters[i + 1]
    return utf8[offset + start : offset + end].decode()
