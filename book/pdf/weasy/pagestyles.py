"""Page and margin-box styles computed once per kind of page.

Replaces ``weasyprint.layout.page.set_page_type_computed_styles``. For every
page it makes, WeasyPrint names a page type (side, blank or not, page name,
index in the document, page groups), gathers the ``@page`` rules that match
it and computes a style for the page and each of its margin boxes. Every
page has its own index, so every page gets fresh styles: each property
computed again from the cascade, the margin boxes' sizes resolved again (the
styles are new to ``book.pdf.weasy.percent``), and the page types' rules
piling up in a list WeasyPrint walks for every page.

Which rules a page gets depends on its type only through which ``@page``
selectors match it. ``shared_page_styles`` gives a page the styles WeasyPrint
computed for the first page of the same kind, a kind being the list of which
of the document's page selectors match (``:left``, ``:blank``, ``:first``,
``:nth(1 of chapter)``, a page name...): the very style objects WeasyPrint
would have computed anew from the same declarations. Saves time only: the
PDF is the same byte for byte (the test lays out pages of many kinds both
ways). Upstream, computing page styles per set of matching selectors rather
than per page index would retire it. Measured figures: ``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from book.pdf.weasy.patching import put_in_place, takes

_KINDS = "_octavo_page_kinds"
"""The ``StyleFor`` attribute holding, by kind of page, the first page type
of that kind and the pseudo-elements (margin boxes) it has styles for."""

NEVER: tuple[list[Any], dict[Any, Any]] = ([], {})
"""What ``_KINDS`` holds for a document whose page rules cannot be read."""


def shared_page_styles() -> bool:
    """Install the wrapper (once). Returns whether it is in place: if
    WeasyPrint's code is not what it expects, nothing is changed."""
    from weasyprint.layout import page

    found: Callable[[Any, Any, Any], None] | None = getattr(
        page, "set_page_type_computed_styles", None
    )
    if found is None or getattr(found, "octavo_shared", False):
        return found is not None
    if not takes(found, "page_type", "html", "style_for"):
        return False
    original = found
    names = set(original.__code__.co_names)
    if not {"add_page_declarations", "set_computed_styles", "get_cascaded_styles"} <= names:
        return False
    if getattr(page, "PageType", None) is None or page.PageType._fields != (
        "side",
        "blank",
        "name",
        "index",
        "groups",
    ):
        return False

    def set_page_type_computed_styles(page_type: Any, html: Any, style_for: Any) -> None:
        known: tuple[list[Any], dict[Any, Any]] | None = getattr(style_for, _KINDS, None)
        if known is None:
            selectors = _selectors(style_for)
            known = NEVER if selectors is None else (selectors, {})
            setattr(style_for, _KINDS, known)
        if known is NEVER:
            original(page_type, html, style_for)
            return
        selectors, kinds = known
        match = style_for._page_type_match
        kind = tuple(match(selector, page_type) for selector in selectors)
        first = kinds.get(kind)
        if first is None:
            original(page_type, html, style_for)
            pseudos = tuple(
                pseudo
                for element, pseudo in style_for.get_cascaded_styles()
                if pseudo and element == page_type
            )
            kinds[kind] = (page_type, pseudos)
            return
        model, pseudos = first
        computed = style_for.get_computed_styles()
        for pseudo in (None, *pseudos):
            computed[page_type, pseudo] = computed[model, pseudo]

    put_in_place(
        set_page_type_computed_styles,
        original,
        "set_page_type_computed_styles",
        ("layout.page",),
        "octavo_shared",
    )
    return True


def _selectors(style_for: Any) -> list[Any] | None:
    """Every page selector of the document's page rules, in order (None if
    they cannot be read)."""
    try:
        found = [
            selector
            for sheet, _origin, _specificity in style_for._sheets
            for _rule, selectors, _declarations in sheet.page_rules
            for _weight, _pseudo, selector in selectors
        ]
        style_for._page_type_match  # noqa: B018 (there to be called)
    except (AttributeError, TypeError, ValueError):
        return None
    return found
