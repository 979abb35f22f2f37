"""A page's footnote area laid out once for its last note: the same PDF."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import weasyprint
import weasyprint.layout as measuring_module
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block
from weasyprint.layout import page as page_module

from book.pdf.weasy.notes import reused_note_areas

NOTE = '<span style="float: footnote">{}</span>'
PAGE = (
    '<html lang="en"><body style="width: 20em; text-align: justify; hyphens: auto">'
    + "".join(
        f"<p>Paragraph {i} of a page that calls a note here{NOTE.format(f'Note {i}, a note.')} "
        + "and goes on for a while with words to fill its lines. " * (i % 4 + 1)
        + (NOTE.format("A second note of the paragraph, " * 3) if i % 3 == 0 else "")
        + "</p>"
        for i in range(24)
    )
    + '<p>A note holding a positioned box.<span style="float: footnote">Note'
    '<span style="position: absolute; right: 0">§</span></span></p>' + "</body></html>"
)
CSS = "@page { size: 24em 30em; @bottom-center { content: counter(page) } }"


def _pdf() -> bytes:
    document = weasyprint.HTML(string=PAGE).render(stylesheets=[weasyprint.CSS(string=CSS)])
    assert len(document.pages) > 4
    data: bytes = document.write_pdf()
    return data


WEASYPRINTS = block.block_level_layout


def _counting(calls: list[str]) -> Callable[..., Any]:
    real = WEASYPRINTS

    def count(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(box, boxes.FootnoteAreaBox):
            calls.append("last" if "bottom_space" in kwargs else "measure")
        return real(context, box, *args, **kwargs)

    return count


def test_note_areas_are_laid_out_once_for_the_same_pdf(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert reused_note_areas()  # WeasyPrint's code is what the wrappers expect
    ours: list[str] = []
    monkeypatch.setattr(block, "block_level_layout", _counting(ours))
    mine = _pdf()

    theirs: list[str] = []
    counting = _counting(theirs)
    for module in (block, measuring_module, page_module):
        monkeypatch.setattr(module, "block_level_layout", counting)
    assert _pdf() == mine

    pages = theirs.count("last")
    assert ours.count("measure") == theirs.count("measure") > pages  # several notes a page
    # laid out again: only the areas of pages without notes, and the positioned box's
    assert ours.count("last") < pages / 2


def test_installed_once() -> None:
    assert reused_note_areas() and reused_note_areas()
    assert getattr(page_module.block_level_layout, "octavo_reused", False)
    assert getattr(measuring_module.block_level_layout, "octavo_reused", False)
