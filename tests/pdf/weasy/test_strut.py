"""A text style's strut remembered on the style: the same PDF, byte for byte."""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.css import AnonymousStyle, ComputedStyle
from weasyprint.text import line_break

from book.pdf.weasy.strut import _KEPT, MODULES, remembered_struts
from tests.conftest import box_styles, put_back

PAGE = """<html lang="en"><body style="text-align: justify; hyphens: auto; width: 20em">
<p>Lines of a paragraph with <em>italic</em>, <strong>bold</strong>, <sup>raised</sup> and
<sub>lowered</sub> text, <span style="line-height: 2">a taller line</span>,
<span style="font-size: 1.4em; line-height: normal">larger type</span>,
<code>code</code> and <span style="line-height: 150%">a line height in percent</span>, long
enough to run over several lines.<span style="float: footnote">A note in a smaller size.</span></p>
<h2 style="line-height: 1.1">A heading</h2>
<p style="line-height: 1.5em">A paragraph whose line height is in ems and whose text runs on
over a second line.</p>
<p><svg width="80" height="20"><text x="0" y="15" font-size="12">SVG text</text></svg></p>
</body></html>"""
CSS = "@page { size: 26em 30em; @bottom-center { content: counter(page) } }"


def _document() -> weasyprint.Document:
    return weasyprint.HTML(string=PAGE).render(stylesheets=[weasyprint.CSS(string=CSS)])


def test_struts_are_remembered_for_the_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    assert remembered_struts()  # WeasyPrint's code is what the wrapper expects
    document = _document()
    mine = document.write_pdf()
    kept = [s for s in box_styles(document) if _KEPT in vars(s)]
    assert len(kept) > 5  # remembered for many styles
    assert all(type(s) in (ComputedStyle, AnonymousStyle) for s in kept)
    assert all(vars(s)[_KEPT] == line_break.strut.octavo_original(s) for s in kept)

    put_back(monkeypatch, "strut", ("text.line_break", *MODULES))
    assert _document().write_pdf() == mine


def test_a_changed_copy_is_measured_again() -> None:
    assert remembered_struts()
    styles = [s for s in box_styles(_document()) if _KEPT in vars(s) and s["font_size"] > 5]
    style = styles[0]
    height, _ = line_break.strut(style)
    copy = style.copy()
    copy["font_size"] *= 2
    copy["line_height"] = "normal"
    assert line_break.strut(copy)[0] > height  # not the original's remembered strut


def test_installed_once() -> None:
    assert remembered_struts() and remembered_struts()
    assert getattr(line_break.strut, "octavo_remembered", False)
    from weasyprint.layout import inline

    assert inline.strut is line_break.strut
