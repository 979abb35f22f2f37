"""Folios set after pagination: the page counter of a part's margin boxes
moved by the pages of the parts before it, known only once they are paginated.

Replaces ``weasyprint.layout.make_margin_boxes`` as ``layout_document`` calls
it (the module's own name), with a wrapper that adds this thread's shift to
the ``page`` counter before the margin boxes are made. Changes the printed
book: without it, a chapter laid out on its own would number its pages from
its first guess. Upstream, a way to give ``layout_document`` the counter values
its margin boxes start from, after pagination, would retire it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from book.pdf.weasy.patching import takes, uses

_shift: threading.local = threading.local()
"""The page-counter shift for the layout running in this thread: a function
called once the pages are set, or absent for WeasyPrint's own numbering."""


@contextmanager
def settled_after_pagination(shift: Callable[[], int]) -> Iterator[None]:
    """Within: every layout's margin boxes count pages from ``shift()`` more
    than its stylesheet says; ``shift`` is called (once) when the first
    layout's pages are set. Layouts run in other threads are untouched.
    (``shifted_folios`` is installed with the other adaptations.)"""
    memo: list[int] = []

    def once() -> int:
        if not memo:
            memo.append(shift())
        return memo[0]

    previous = getattr(_shift, "value", None)
    _shift.value = once
    try:
        yield
    finally:
        _shift.value = previous


def carried(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` run with this thread's shift (for a layout run in a
    thread of its own, as ``book.pdf.weasy.layout`` does for its deep stack)."""
    shift = getattr(_shift, "value", None)

    def run(*args: Any, **kwargs: Any) -> Any:
        _shift.value = shift
        return function(*args, **kwargs)

    return run


def shifted_folios() -> bool:
    """Wrap WeasyPrint's ``make_margin_boxes`` as ``layout_document`` calls it.
    Returns whether the wrapper is in place."""
    from weasyprint import layout

    if getattr(layout.make_margin_boxes, "octavo_shifting", False):
        return True
    original = layout.make_margin_boxes
    if not (
        takes(original, "context", "page", "state")
        and uses(layout.layout_document, "make_margin_boxes")
    ):
        return False

    def shifting(context: Any, page: Any, state: Any) -> Any:
        shift = getattr(_shift, "value", None)
        if shift is not None:
            amount = shift()
            if amount:
                values = {**state[1], "page": [value + amount for value in state[1]["page"]]}
                state = (state[0], values, *state[2:])
        return original(context, page, state)

    shifting.octavo_shifting = True  # type: ignore[attr-defined]
    layout.make_margin_boxes = shifting
    return True
