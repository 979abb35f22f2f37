"""Page and margin-box styles computed once per kind of page: the same PDF."""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.layout import page

from book.pdf.weasy.pagestyles import shared_page_styles

PAGE = (
    """<html lang="en"><body>
<section style="page: front"><h1>Front</h1><p>Front matter.</p></section>
"""
    + "".join(
        f"""<section style="page: chapter; break-before: right">
<h1 style="string-set: head content()">Chapter {n}</h1>"""
        + "<p>A paragraph that fills the pages of the chapter, line after line. </p>" * 40
        + "</section>"
        for n in range(1, 4)
    )
    + "</body></html>"
)
CSS = """
@page { size: 20em 24em; margin: 3em 2em; @bottom-center { content: counter(page) } }
@page :left { @top-left { content: string(head) } }
@page :right { @top-right { content: string(head) } }
@page :first { @top-center { content: "first" } }
@page :blank { @bottom-center { content: none } }
@page front { @bottom-center { content: counter(page, lower-roman) } }
@page :nth(1 of chapter) { @top-left { content: none } @top-right { content: none } }
@page :nth(5) { @top-center { content: "fifth page" } }
@page chapter:nth(2n of chapter) { @bottom-left { content: "even in its chapter" } }
"""


def _document() -> weasyprint.Document:
    return weasyprint.HTML(string=PAGE).render(stylesheets=[weasyprint.CSS(string=CSS)])


def test_pages_of_a_kind_share_styles_for_the_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    assert shared_page_styles()  # WeasyPrint's code is what the wrapper expects
    document = _document()
    pages = len(document.pages)
    styles = {id(p._page_box.style) for p in document.pages}
    assert pages > 12
    assert 3 < len(styles) < pages / 2  # a style per kind of page, not per page
    mine = document.write_pdf()
    monkeypatch.setattr(
        page, "set_page_type_computed_styles", page.set_page_type_computed_styles.octavo_original
    )
    theirs = _document()
    assert len({id(p._page_box.style) for p in theirs.pages}) == pages  # WeasyPrint: one a page
    assert theirs.write_pdf() == mine


def test_installed_once() -> None:
    assert shared_page_styles() and shared_page_styles()
    assert getattr(page.set_page_type_computed_styles, "octavo_shared", False)
