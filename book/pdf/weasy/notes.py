"""A page's footnote area laid out once for its last note, not once more.

Replaces ``block_level_layout`` where ``weasyprint.layout.page`` (its
``make_page``) and ``LayoutContext._update_footnote_area`` call it for a
footnote area. WeasyPrint lays a page's footnote area out every time a note
joins the page, to know how much room the notes take; once the page is full,
``make_page`` lays the same notes out a last time to draw them. That last
layout repeats the one made when the last note came: the same notes, the
same width, at the same place, with the room below unlimited.
``reused_note_areas`` keeps the measuring layout of a footnote area (with
the area and the notes it holds), and hands ``make_page`` the kept one when
the area holds the same notes; else, or if the notes hold positioned boxes,
the area is laid out as before. Saves time only: the PDF is the same byte
for byte (the test compares a page of several notes both ways). Upstream,
``make_page`` reusing the footnote area's last layout would retire it.
Measured figures: ``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from math import inf
from typing import Any

_KEPT = "octavo_note_area"
"""The layout context's attribute holding the last measuring layout:
(the page's footnote area, its notes, the layout's result)."""


def reused_note_areas() -> bool:
    """Install the wrappers (once). Returns whether they are in place: if
    WeasyPrint's code is not what they expect, nothing is changed."""
    import weasyprint.layout as measuring_module
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import LayoutContext, block
    from weasyprint.layout import page as page_module

    original: Callable[..., Any] = block.block_level_layout
    measuring = getattr(measuring_module, "block_level_layout", None)
    final = getattr(page_module, "block_level_layout", None)
    if getattr(measuring, "octavo_reused", False) and getattr(final, "octavo_reused", False):
        return True
    update = getattr(LayoutContext, "_update_footnote_area", None)
    make_page = getattr(page_module, "make_page", None)
    if measuring is not original or final is not original or update is None or make_page is None:
        return False
    if not {"block_level_layout", "deepcopy", "current_footnote_area"} <= set(
        update.__code__.co_names
    ) or not {"block_level_layout", "FootnoteAreaBox", "deepcopy"} <= set(
        make_page.__code__.co_names
    ):
        return False
    area_class = boxes.FootnoteAreaBox

    def measure(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(box, area_class) or len(args) != 3 or kwargs:
            return block.block_level_layout(context, box, *args, **kwargs)
        absolute: list[Any] = []
        fixed: list[Any] = []
        result = block.block_level_layout(
            context, box, *args, absolute_boxes=absolute, fixed_boxes=fixed
        )
        area = context.current_footnote_area
        kept = (area, list(area.children), result) if not absolute and not fixed else None
        setattr(context, _KEPT, kept)
        return result

    def lay_out_last(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        kept = getattr(context, _KEPT, None)
        if (
            isinstance(box, area_class)
            and kept is not None
            and kwargs.get("bottom_space") == -inf
            and kwargs.get("skip_stack", 0) is None
            and not args
        ):
            setattr(context, _KEPT, None)
            area, notes, result = kept
            if (
                area is context.current_footnote_area
                and box.page is area.page
                and len(notes) == len(area.children)
                and all(a is b for a, b in zip(notes, area.children, strict=True))
            ):
                return result
        return block.block_level_layout(context, box, *args, **kwargs)

    measure.octavo_reused = True  # type: ignore[attr-defined]
    lay_out_last.octavo_reused = True  # type: ignore[attr-defined]
    measuring_module.block_level_layout = measure
    page_module.block_level_layout = lay_out_last
    return True
