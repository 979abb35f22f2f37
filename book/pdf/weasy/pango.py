"""WeasyPrint's text layouts copied from one set up per text style.

Replaces ``weasyprint.text.line_break.Layout.setup``. WeasyPrint makes a
Pango layout for every try at a line (the line, the next word, each
hyphenation point, the final text) and again to draw it, and sets each one
up from scratch: a new Pango context with its direction and language, a font
description built from the style, the font features as an attribute list,
for a book that has a few dozen distinct text styles. ``copied_layouts``
lets WeasyPrint set up the first layout of a text style (every property
``setup`` reads, and the font configuration) and keeps a pristine copy of
it; later layouts of that style are ``pango_layout_copy`` of it, which
shares the context (never changed once set up) and copies the font
description and attributes by value. Saves time only: the PDF is the same
byte for byte (a test compares a page of mixed styles). Upstream, a layout
set up once per style in WeasyPrint would retire it. Measured figures:
``bench/RESULTS.md``.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from book.pdf.weasy.patching import takes

STYLE = (
    "direction",
    "font_language_override",
    "lang",
    "font_family",
    "font_style",
    "font_stretch",
    "font_weight",
    "font_size",
    "font_variant_caps",
    "font_variation_settings",
    "text_decoration_line",
    "font_kerning",
    "font_variant_ligatures",
    "font_variant_position",
    "font_variant_numeric",
    "font_variant_alternates",
    "font_variant_east_asian",
    "font_feature_settings",
)
"""The properties ``Layout.setup`` reads (WeasyPrint 63 to 70)."""

KEPT = (
    "language",
    "ascent",
    "underline_position",
    "strikethrough_position",
    "underline_thickness",
    "strikethrough_thickness",
)
"""What ``Layout.setup`` sets besides the layout itself (the last two only
for decorated text)."""

_Set = tuple[Any, dict[str, Any]]
"""A pristine Pango layout and the other attributes ``setup`` gave it."""

_SETS: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], _Set]] = weakref.WeakKeyDictionary()
"""By font configuration (they go with it), then by style."""

_ON_STYLE = "_octavo_layout"
"""A computed or anonymous style's attribute holding its set: found once by
its properties (eighteen lookups and a tuple), then by the style object,
whose font properties do not change once computed (WeasyPrint changes
copies)."""


def copied_layouts() -> bool:
    """Install the wrapper (once). Returns whether it is in place: if
    WeasyPrint's code is not what it expects, nothing is changed."""
    from weasyprint.css import AnonymousStyle, ComputedStyle
    from weasyprint.text import line_break
    from weasyprint.text.ffi import ffi, gobject, pango

    layout_class = getattr(line_break, "Layout", None)
    original: Callable[[Any, Any], None] | None = getattr(layout_class, "setup", None)
    if original is None or getattr(original, "octavo_copied", False):
        return original is not None
    if not takes(original, "self", "style"):
        return False
    names = set(original.__code__.co_names)
    if not {"pango_layout_new", "pango_font_map_create_context"} <= names:
        return False
    try:
        pango.pango_layout_copy  # noqa: B018 (declared already?)
    except AttributeError:
        ffi.cdef("PangoLayout * pango_layout_copy (PangoLayout *src);")
    copy_layout = pango.pango_layout_copy
    unref = gobject.g_object_unref
    kinds = (ComputedStyle, AnonymousStyle)

    def setup(layout: Any, style: Any) -> None:
        mine = type(style) in kinds
        found: _Set | None = style.__dict__.get(_ON_STYLE) if mine else None
        if found is None:
            try:
                key = tuple(style[name] for name in STYLE)
                sets = _SETS.setdefault(style.font_config, {})
                found = sets.get(key)
            except TypeError:  # an unhashable value, or a configuration without weak references
                original(layout, style)
                return
            fresh = found is None
            if fresh:  # set up by WeasyPrint, a pristine copy kept
                original(layout, style)
                kept = {name: getattr(layout, name) for name in KEPT if hasattr(layout, name)}
                found = sets[key] = (ffi.gc(copy_layout(layout.layout), unref), kept)
            if mine:
                style.__dict__[_ON_STYLE] = found
            if fresh:
                return
        assert found is not None
        pristine, kept = found
        layout.style = style
        layout.first_line_direction = 0
        layout.layout = ffi.gc(copy_layout(pristine), unref)
        for name, value in kept.items():
            setattr(layout, name, value)

    setup.octavo_copied = True  # type: ignore[attr-defined]
    setup.octavo_original = original  # type: ignore[attr-defined]
    layout_class.setup = setup  # type: ignore[union-attr]
    return True
