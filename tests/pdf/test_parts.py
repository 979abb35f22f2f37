"""The print document cut into parts: what each part holds, which page
numbers it must be given, and the CSS that places it in the book."""

from __future__ import annotations

from lxml import etree

from book.pdf.parts import PART_END, part_css, split

DOCUMENT = """<!DOCTYPE html>
<html lang="en"><head><title>T</title><meta name="dcterms.created" content="2026"/></head><body>
<div class="titlepage"><p class="title">A "Quoted" Title</p></div>
<section class="frontmatter" id="preface"><h1>Preface</h1><p>See <a class="xref" href="#fig-1"></a>.</p></section>
<nav class="toc"><ol><li><a href="#preface">Preface</a></li><li><a href="#one">One</a></li></ol></nav>
<section class="bodymatter chapter first-body" id="one"><h1>One</h1>
<figure id="fig-1"><figcaption>F</figcaption></figure><p>Here <a class="xref" href="#fig-1"></a>,
there <a class="xref" href="#two"></a>, and <a href="#two">a plain link</a>.</p></section>
<section class="backmatter chapter" id="two"><h1>Two</h1><p>Back to <a class="xref" href="#one"></a>.</p></section>
</body></html>"""


def test_front_matter_then_one_part_per_chapter() -> None:
    parts, title = split(DOCUMENT)
    assert title == 'A "Quoted" Title'
    assert [p.name for p in parts] == ["front", "one", "two"]
    assert [p.front for p in parts] == [True, False, False]
    assert [p.first_body for p in parts] == [False, True, False]
    assert [p.ends_recto for p in parts] == [True, True, False]  # the last ends the book
    assert "fig-1" in parts[1].ids and "one" in parts[1].ids and "two" not in parts[1].ids


def test_only_numbered_links_to_other_parts_wait_for_page_numbers() -> None:
    front, one, two = split(DOCUMENT)[0]
    assert front.outside == ("fig-1", "one")  # the preface's xref and the contents' entry
    assert one.outside == ("two",)  # the xref; not the plain link, not its own figure
    assert two.outside == ("one",)
    filled = etree.fromstring(one.filled({"two": 17}).split("\n", 1)[1].encode())
    pages = [a.get("data-page") for a in filled.iter("a")]
    assert pages == [None, "17", None]


def test_a_part_is_a_whole_document_without_dates() -> None:
    front, one, two = split(DOCUMENT)[0]
    for part in (front, one, two):
        assert part.html.startswith("<!DOCTYPE html>") and 'lang="en"' in part.html
        assert "dcterms" not in part.html  # the merge dates the PDF: a part's layout is not
    assert f'class="{PART_END}"' in one.html and f'class="{PART_END}"' not in two.html
    assert one.shape != two.shape and one.shape == split(DOCUMENT)[0][1].shape


def test_part_css_gives_the_first_folio_and_the_book_title() -> None:
    front, one, two = split(DOCUMENT)[0]
    assert "counter-reset: page" not in part_css(front, 1, "T")  # roman from i, as in the book
    assert "counter-reset: page" not in part_css(one, 1, "T")  # main matter starts at 1 itself
    css = part_css(two, 9, 'A "Quoted" Title')
    assert "@page :first { counter-reset: page 9; }" in css
    assert 'string-set: book-title "A \\"Quoted\\" Title"' in css
