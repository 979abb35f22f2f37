"""A text style's strut remembered on the style.

Replaces ``weasyprint.text.line_break.strut`` in every module of WeasyPrint
that holds it. ``strut(style)`` gives the line height and baseline of a
style's font; WeasyPrint keeps them per font configuration under a key it
builds every time it is asked (the string of a tuple of fourteen properties,
the size and the line height), and it is asked for every text box it splits,
every inline box whose line height it adjusts and every line it starts.
``remembered_struts`` keeps the first answer for a style object on that
object and gives it again; only for WeasyPrint's own computed and anonymous
styles, whose font properties do not change once computed (a style
WeasyPrint changes is a copy, which starts without the answer); any other
style goes to WeasyPrint's function every time. Saves time only (the same
bytes). Upstream, keeping the strut on the computed style in WeasyPrint would
retire it. Measured figures: ``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from book.pdf.weasy.patching import put_in_place, takes

_KEPT = "_octavo_strut"
"""The style's attribute holding its strut."""

MODULES = ("layout.inline", "css.units", "css.computed_values")
"""The modules that call ``strut`` by the name they imported (WeasyPrint 70)."""


def remembered_struts() -> bool:
    """Install the wrapper (once). Returns whether it is in place: if
    WeasyPrint's code is not what it expects, nothing is changed."""
    from weasyprint.css import AnonymousStyle, ComputedStyle
    from weasyprint.text import line_break

    found: Callable[[Any], tuple[float, float]] | None = getattr(line_break, "strut", None)
    if found is None or getattr(found, "octavo_remembered", False):
        return found is not None
    if not takes(found, "style"):
        return False
    original = found
    if not {"_font_style_cache_key", "strut_layouts"} <= set(original.__code__.co_names):
        return False
    kinds = (ComputedStyle, AnonymousStyle)

    def strut(style: Any) -> tuple[float, float]:
        if type(style) not in kinds:
            return original(style)
        kept: tuple[float, float] | None = style.__dict__.get(_KEPT)
        if kept is None:
            kept = style.__dict__[_KEPT] = original(style)
        return kept

    put_in_place(strut, original, "strut", ("text.line_break", *MODULES), "octavo_remembered")
    return True
