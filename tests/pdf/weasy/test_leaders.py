"""Leader dots in runs of text: the page WeasyPrint draws, in far fewer boxes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import weasyprint
from PIL import ImageChops
from weasyprint.layout import inline, leader

from book.diff.pdfread import opened, render
from book.pdf.weasy.leaders import RUN, one_run_leaders

CONTENTS = """<html lang="en"><body style="font-family: serif; text-align: justify">
<ul style="width: 24em; list-style: none">
<li><a href="#a">A first entry</a></li>
<li><a href="#b">A second entry whose title is long enough to wrap onto another line
of the contents before its page number</a></li>
<li><a href="#c">Short</a></li>
</ul>
<h1 id="a">A</h1><h1 id="b" style="break-before: page">B</h1>
<h1 id="c" style="break-before: page">C</h1>
</body></html>"""

CSS = "a::after { content: leader('. ') target-counter(attr(href), page); }"


def _leaders(document: weasyprint.Document) -> list[Any]:
    found: list[Any] = []

    def walk(box: Any) -> None:
        if getattr(box, "is_leader", False):
            found.append(box)
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(document.pages[0]._page_box)
    return found


def _pdf(path: Path) -> weasyprint.Document:
    document = weasyprint.HTML(string=CONTENTS).render(stylesheets=[weasyprint.CSS(string=CSS)])
    document.write_pdf(path)
    return document


def test_leader_dots_are_runs_drawn_as_weasyprint_draws_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert one_run_leaders()  # WeasyPrint's code is what the wrapper expects
    ours = _pdf(tmp_path / "ours.pdf")
    monkeypatch.setattr(inline, "handle_leader", leader.handle_leader)
    theirs = _pdf(tmp_path / "theirs.pdf")

    counts = [len(box.children) for box in _leaders(theirs)]
    assert len(counts) == 3 and min(counts) > RUN
    for box, dots in zip(_leaders(ours), counts, strict=True):
        assert len(box.children) == -(-dots // RUN)
        assert "".join(run.text for run in box.children) == ". " * dots
    with opened(tmp_path / "ours.pdf") as mine, opened(tmp_path / "theirs.pdf") as other:
        image, expected = render(mine, 1, 150), render(other, 1, 150)
    assert image.convert("L").getextrema()[0] < 100  # the page is not blank
    difference = ImageChops.difference(image.convert("L"), expected.convert("L"))
    assert difference.getextrema()[1] < 96  # shades at a dot's edge, no dot moved a pixel


def test_installed_once() -> None:
    assert one_run_leaders() and one_run_leaders()
    assert getattr(inline.handle_leader, "octavo_one_run", False)
    assert inline.handle_leader is not leader.handle_leader
