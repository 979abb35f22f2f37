"""paper: trim sizes, lengths and the @page CSS made from book.toml [pdf]."""

from __future__ import annotations

import pytest

from book.model import PageSettings
from book.source.paper import is_length, page_css, trim_size


@pytest.mark.parametrize(
    ("value", "size"),
    [
        ("6x9in", ("6in", "9in")),
        ("A5", ("148mm", "210mm")),
        ("royal", ("156mm", "234mm")),
        ("152mm x 229mm", ("152mm", "229mm")),
        ("5.25 x 8in", ("5.25in", "8in")),
        ("6 \u00d7 9 in", ("6in", "9in")),
    ],
)
def test_trim_sizes(value: str, size: tuple[str, str]) -> None:
    assert trim_size(value) == size


@pytest.mark.parametrize("value", ["6x9", "big", "6 by 9in", "x9in", ""])
def test_unreadable_trim_sizes(value: str) -> None:
    assert trim_size(value) is None


def test_lengths() -> None:
    assert is_length("0.75in") and is_length("18mm") and is_length(".5in")
    assert not is_length("0.75") and not is_length(3) and not is_length("1 in")


def test_page_css_mirrors_margins_and_adds_bleed_only_when_asked() -> None:
    css = page_css(PageSettings(inside="1in", outside="0.5in"))
    assert "size: 6in 9in;" in css
    assert "@page :left { margin-left: 0.5in; margin-right: 1in;" in css
    assert "@page :right { margin-left: 1in; margin-right: 0.5in;" in css
    assert "bleed" not in css and "marks" not in css
    printed = page_css(PageSettings(bleed="3mm", running_heads=("none", "section")))
    assert "bleed: 3mm;" in printed and "marks: crop;" in printed
    assert "content: none;" in printed and "string(section-title" in printed
