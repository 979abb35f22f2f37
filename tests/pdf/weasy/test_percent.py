"""A box's used sizes remembered per style: the same PDF, byte for byte."""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
from weasyprint.layout import block

from book.pdf.weasy.percent import _KEPT, MODULES, NEVER, remembered_percentages
from tests.conftest import box_styles, put_back

PAGE = (
    """<html lang="en"><body style="text-align: justify; hyphens: auto">
<p style="margin: 0 10% 1em 5%; padding: 2% 1em">A paragraph with margins and paddings in
percentages, long enough to run over several lines of a page and to be split across two of
them when the page ends.<span style="float: footnote">A note, measured for its area.</span></p>
<div style="width: 60%; padding: calc(1em + 2%); box-sizing: border-box">
<p>Inside a box sized with calc() and border-box, with <em>inline</em> text.</p></div>
<img style="float: right; width: 30%; margin: 0 0 1em 1em" alt="" src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/%3E">
<table style="border-collapse: collapse; width: 80%"><tr><td style="border: 2px solid">a</td>
<td style="border: 4px solid; padding: 3%">b</td></tr></table>
<table style="border-collapse: separate; border-spacing: 4px"><tr><td style="border: 1px solid;
width: 40%">c</td><td style="padding: 5%">d</td></tr></table>
<div style="display: flex"><div style="flex: 1; padding: 2%">flex one</div>
<div style="min-width: 20%">flex two</div></div>
<div style="display: grid; grid-template-columns: 1fr 2fr"><div style="padding: 3%">grid a</div>
<div style="margin: 2%">grid b</div></div>
"""
    + "<p style='margin-left: 8%'>Another paragraph that fills the pages. </p>" * 40
    + """
</body></html>"""
)
CSS = "@page { size: 24em 30em; margin: 10%; @bottom-center { content: counter(page) } }"


def _document() -> weasyprint.Document:
    document = weasyprint.HTML(string=PAGE).render(stylesheets=[weasyprint.CSS(string=CSS)])
    assert len(document.pages) > 3
    return document


def test_used_sizes_are_remembered_for_the_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    assert remembered_percentages()  # WeasyPrint's code is what the wrapper expects
    document = _document()
    mine = document.write_pdf()
    styles = box_styles(document)
    kept = [getattr(style, _KEPT, None) for style in styles]
    assert sum(1 for k in kept if k and k is not NEVER) > 10  # remembered for many styles

    def never(test: Any) -> bool:
        found = [getattr(s, _KEPT, None) for s in styles if test(s)]
        return bool(found) and all(k is NEVER for k in found)

    # left to WeasyPrint: flex and grid items, whose styles it changes; collapsed borders
    assert never(lambda s: s.parent_style is not None and "flex" in s.parent_style["display"])
    assert never(lambda s: s.parent_style is not None and "grid" in s.parent_style["display"])
    assert never(lambda s: s["border_collapse"] == "collapse")

    homes = ("layout.percent", *(f"layout.{name}" for name in MODULES))
    put_back(monkeypatch, "resolve_percentages", homes)
    assert _document().write_pdf() == mine


def test_installed_once() -> None:
    assert remembered_percentages() and remembered_percentages()
    assert getattr(block.resolve_percentages, "octavo_remembered", False)
