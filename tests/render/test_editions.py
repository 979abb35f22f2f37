"""render: one manuscript, three adapters (PDF floats, EPUB popups, HTML pages)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from book.model import Format
from book.pipeline import load
from book.render.editions import render
from tests.conftest import SVG, MakeProject

TWO_CHAPTERS = {
    "01-a.md": "# Alpha\n\nA call.[^1] A link to [beta](02-b.md#later).\n\n[^1]: Note *one*.\n\n    More.\n",
    "02-b.md": "# Beta\n\n## Later\n\nCall[^1] and[^1].\n\n[^1]: Note two.\n",
}


@pytest.fixture
def manuscript(make_project: MakeProject):  # type: ignore[no-untyped-def]
    return load(make_project(TWO_CHAPTERS))[1]


def xml(content: str) -> etree._Element:
    return etree.fromstring(content.encode("utf-8"))


EPUB = "{http://www.idpf.org/2007/ops}type"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_pdf_is_one_document_with_floated_notes(manuscript) -> None:  # type: ignore[no-untyped-def]
    book = render(manuscript, Format.PDF)
    (document,) = book.documents
    html = document.content
    assert html.count('class="footnote"') == 2
    assert (
        '<span class="footnote" id="ch01-a-fn1"><span class="footnote-para">Note <em>one</em>.</span>'
        in html
    )
    # the second call of the same note is a plain reference, not a second copy
    assert html.count('<a class="noteref" id="ch02-b-fnref1-2" href="#ch02-b-fn1">1</a>') == 1
    assert 'href="#later"' in html
    assert html.index('id="toc"') < html.index('id="ch01-a"')
    assert re.search(r'<p class="chapter-label"[^>]*>Chapter 1</p>', html)


def test_epub_chapters_are_xhtml_with_popup_notes(manuscript) -> None:  # type: ignore[no-untyped-def]
    book = render(manuscript, Format.EPUB)
    hrefs = [d.href for d in book.documents]
    assert hrefs == ["cover.xhtml", "titlepage.xhtml", "nav.xhtml", "ch01-a.xhtml", "ch02-b.xhtml"]
    assert "data-b=" not in book.documents[3].content
    chapter = xml(book.documents[3].content)
    assert chapter.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    ref = chapter.find(f".//{XHTML}a[@class='noteref']")
    assert ref is not None and ref.get(EPUB) == "noteref" and ref.get("role") == "doc-noteref"
    aside = chapter.find(f".//{XHTML}aside")
    assert aside is not None
    assert (aside.get(EPUB), aside.get("role"), aside.get("id")) == (
        "footnote",
        "doc-footnote",
        "ch01-a-fn1",
    )
    back = aside.find(f".//{XHTML}a[@role='doc-backlink']")
    assert back is not None and back.get("href") == "#ch01-a-fnref1"
    link = next(a for a in chapter.iter(f"{XHTML}a") if a.text == "beta")
    assert link.get("href") == "ch02-b.xhtml#later"
    section = chapter.find(f".//{XHTML}section")
    assert (
        section is not None
        and section.get(EPUB) == "chapter"
        and section.get("role") == "doc-chapter"
    )


def test_epub_nav_has_toc_and_landmarks(manuscript) -> None:  # type: ignore[no-untyped-def]
    nav = xml(render(manuscript, Format.EPUB).documents[2].content)
    navs = {n.get(EPUB): n for n in nav.iter(f"{XHTML}nav")}
    assert set(navs) == {"toc", "landmarks"}
    toc_links = [a.get("href") for a in navs["toc"].iter(f"{XHTML}a")]
    assert toc_links == ["ch01-a.xhtml", "ch02-b.xhtml", "ch02-b.xhtml#later"]
    landmarks = [a.get(EPUB) for a in navs["landmarks"].iter(f"{XHTML}a")]
    assert "bodymatter" in landmarks and "toc" in landmarks


def test_html_pages_have_neighbours_and_endnotes(manuscript) -> None:  # type: ignore[no-untyped-def]
    book = render(manuscript, Format.HTML)
    assert [d.href for d in book.documents] == ["index.html", "ch01-a.html", "ch02-b.html"]
    first = book.documents[1].content
    assert 'rel="next" href="ch02-b.html"' in first and 'rel="prev"' not in first
    assert 'role="doc-endnotes"' in first
    assert "epub:type" not in first
    assert "<span/>" not in first and "<a/>" not in first  # an HTML parser would not close them


def test_every_format_gets_fonts_and_theme(manuscript) -> None:  # type: ignore[no-untyped-def]
    for fmt in Format:
        book = render(manuscript, fmt)
        assert any(
            a.href == "fonts/LinLibertine_R.otf" and Path(a.source).is_file() for a in book.assets
        )
        css = book.stylesheets[0][1]
        assert "@font-face" in css and ".highlight" in css
    assert "@page" in render(manuscript, Format.PDF).stylesheets[0][1]
    assert "@page" not in render(manuscript, Format.EPUB).stylesheets[0][1]


def test_user_styles_come_after_the_theme(make_project: MakeProject) -> None:
    project = make_project(TWO_CHAPTERS, files={"styles/mine.css": b"p { color: red; }"})
    sheets = render(load(project)[1], Format.HTML).stylesheets
    assert [href for href, _ in sheets] == ["book.css", "styles/mine.css"]


def test_pdf_notes_with_blocks_stay_inside_their_paragraph(make_project: MakeProject) -> None:
    chapter = "# A\n\nCall.[^1] After.\n\n[^1]: Text.\n\n    ```\n    code\n    ```\n\n    - item\n"
    book = render(load(make_project({"01-a.md": chapter}))[1], Format.PDF)
    html = book.documents[0].content
    note = html[html.index('<span class="footnote"') :]
    assert "<pre" not in note.split("After.")[0] and "<ul" not in note.split("After.")[0]
    import tinyhtml5

    parsed = tinyhtml5.parse(html, namespace_html_elements=False)
    paragraph = next(p for p in parsed.iter("p") if "Call." in "".join(p.itertext()))
    assert "After." in "".join(paragraph.itertext())  # the paragraph was not cut by the note


def test_the_books_language_names_chapters_and_sets_quotes(make_project: MakeProject) -> None:
    book = 'title = "T"\nauthors = ["A"]\nlanguage = "de"\n'
    project = make_project(
        {"01-a.md": '# A\n\nEr sagte "ja" und \'nein\'.\n\n![Ein Bild](b.svg "Karte")\n'},
        book=book,
        files={"chapters/b.svg": SVG},
    )
    html = render(load(project)[1], Format.PDF).documents[0].content
    assert "Kapitel 1" in html and "Abbildung 1.1" in html and ">Inhalt<" in html
    assert "\u201eja\u201c" in html and "\u201anein\u2018" in html


def test_a_page_that_starts_at_a_table_row_is_marked_inside_its_first_cell() -> None:
    """EPUBCheck refused a page-break span between a row's cells (turing-way-vcs)."""
    from book.model import PageStart
    from book.render.common import page_breaks

    tree = etree.fromstring(
        '<section><p data-b="0">Before.</p><table data-b="1"><thead>\n<tr>\n'
        "<th>Command</th>\n<th>What</th></tr></thead></table></section>"
    )
    placed = page_breaks(tree, [PageStart("39", "ch", 1, "Command What")])
    assert len(placed) == 1
    (marker,) = tree.iter("span")
    assert marker.getparent().tag == "th" and marker.get("aria-label") == "39"
    assert [th.xpath("string()") for th in tree.iter("th")] == ["Command", "What"]
