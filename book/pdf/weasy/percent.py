"""A box's used margins, paddings, sizes and borders, remembered per style.

Replaces ``weasyprint.layout.percent.resolve_percentages`` in every module of
WeasyPrint that holds it. The function sets some twenty used values on a box
(margins, paddings, widths, heights, border widths) from its computed style
and its containing block's size every time the box is laid out: tried on a
line, split across pages, measured for a footnote area; most calls repeat
one already made. ``remembered_percentages`` keeps the values it set on the
style object, by the containing block's width and height and whether the box
is a page, and sets them again from there the next time. Boxes whose borders
a table collapses (their widths come from the table, not the style) are left
to WeasyPrint's function, and so are flex and grid items, whose styles
WeasyPrint copies and changes as it sizes them. Saves time only: the PDF is
the same byte for byte (the test lays out a page of tables, notes, floats
and percentages both ways). Upstream, caching resolved values per style and
containing block in WeasyPrint would retire it. Measured figures:
``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from book.pdf.weasy.patching import put_in_place, takes

USED = (
    "margin_top",
    "margin_right",
    "margin_bottom",
    "margin_left",
    "padding_top",
    "padding_right",
    "padding_bottom",
    "padding_left",
    "width",
    "min_width",
    "max_width",
    "height",
    "min_height",
    "max_height",
    "border_top_width",
    "border_right_width",
    "border_bottom_width",
    "border_left_width",
)
"""The box attributes ``resolve_percentages`` sets (WeasyPrint 70)."""

_KEPT = "_octavo_used"
"""The style's attribute holding its used values, by containing block."""

NEVER: dict[tuple[Any, Any, bool], dict[str, Any]] = {}
"""What ``_KEPT`` holds for a style whose values are not to be remembered."""

MODULES = (
    "block",
    "inline",
    "page",
    "float",
    "grid",
    "absolute",
    "column",
    "table",
    "flex",
)
"""The layout modules that may call it by the name they imported."""


def remembered_percentages() -> bool:
    """Install the wrapper (once). Returns whether it is in place: if
    WeasyPrint's code is not what it expects, nothing is changed."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import percent

    original: Callable[[Any, Any], None] = percent.resolve_percentages
    if getattr(original, "octavo_remembered", False):
        return True
    if not takes(original, "box", "containing_block"):
        return False
    names = set(original.__code__.co_names) | set(original.__code__.co_consts or ())
    if not {"resolve_one_percentage", "adjust_box_sizing", "border_collapse"} <= names:
        return False
    box_class = boxes.Box
    page_class = boxes.PageBox

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        style = box.style
        if isinstance(containing_block, box_class):
            key = (containing_block.width, containing_block.height, isinstance(box, page_class))
        else:
            width, height = containing_block
            key = (width, height, isinstance(box, page_class))
        kept: dict[tuple[Any, Any, bool], dict[str, Any]] | None = getattr(style, _KEPT, None)
        if kept is None:
            kept = {} if _rememberable(style) else NEVER
            try:
                setattr(style, _KEPT, kept)
            except AttributeError:  # a style that takes no attributes: WeasyPrint's
                kept = NEVER
        if kept is NEVER:
            original(box, containing_block)
            return
        values = kept.get(key)
        if values is None:
            original(box, containing_block)
            kept[key] = {name: getattr(box, name) for name in USED}
            return
        box.__dict__.update(values)

    def _rememberable(style: Any) -> bool:
        """Not a table's collapsed borders (set by the table), nor a flex or
        grid item (whose style WeasyPrint copies and changes as it sizes it)."""
        if style["border_collapse"] == "collapse":
            return False
        parent = style.parent_style
        display = parent["display"] if parent is not None else ()
        return "flex" not in display and "grid" not in display

    homes = ("layout.percent", *(f"layout.{name}" for name in MODULES))
    put_in_place(resolve_percentages, original, "resolve_percentages", homes, "octavo_remembered")
    return True
