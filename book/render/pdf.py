"""The PDF adapter: one HTML document; each note is set where it is called,
floated to the foot of the page by the print CSS."""

from __future__ import annotations

import re

from lxml import etree
from markupsafe import Markup

from book.model import (
    Chapter,
    Document,
    Format,
    Manuscript,
    Matter,
    RenderOptions,
)
from book.render.common import (
    UNLISTED_IN_PRINT,
    Rendered,
    chapter_tree,
    fill_template,
    metadata_context,
    proof_anchors,
    relink,
    table_of_contents,
)
from book.source import tree as tree_


def render_pdf(manuscript: Manuscript, options: RenderOptions) -> Rendered:
    """One HTML document; WeasyPrint paginates it with the print CSS."""
    sections = []
    first_body = next((c for c in manuscript.chapters if c.source.matter is Matter.BODY), None)
    for chapter in manuscript.chapters:
        tree = chapter_tree(chapter, Format.PDF, manuscript.metadata.language)
        proof_anchors(tree, manuscript, chapter, options)
        if chapter is first_body:
            tree.set("class", tree.get("class", "") + " first-body")
        _pdf_footnotes(tree, chapter)
        relink(tree, manuscript, chapter.slug, Format.PDF)
        sections.append((chapter, Markup(tree_.serialize(tree))))
    content = fill_template(
        "pdf.html.j2",
        sections=sections,
        toc=[
            e for e in table_of_contents(manuscript, Format.PDF) if e.kind not in UNLISTED_IN_PRINT
        ],
        built=options.built,
        **metadata_context(manuscript, options),
    )
    document = Document("book.html", manuscript.metadata.title, content, "book")
    return (document,), table_of_contents(manuscript, Format.PDF)


def _pdf_footnotes(tree: etree._Element, chapter: Chapter) -> None:
    """The first call of a note becomes the note itself, floated to the page foot."""
    notes = {f"#{note.id}": note for note in chapter.footnotes}
    placed: set[str] = set()
    for ref in tree_.select(tree, './/a[@class="noteref"]'):
        href = ref.get("href", "")
        if href in placed or href not in notes:
            continue
        placed.add(href)
        ref.addprevious(_pdf_note(notes[href].body, notes[href].id))
        tree_.remove(ref)


FOOTNOTE_BLOCKS = {"p", "div", "pre", "ul", "ol", "li", "blockquote", "dl", "dt", "dd"}


def _pdf_note(body: str, note_id: str) -> etree._Element:
    """The note goes where its call was, inside a paragraph, so it may hold only
    inline markup: an HTML parser ends the paragraph at a ``<p>``, ``<pre>`` or
    ``<ul>``. Blocks become spans that the print CSS displays as blocks."""
    note = tree_.fragment(body)
    _join_source_lines(note)
    note.tag = "span"
    note.attrib.update({"class": "footnote", "id": note_id})
    for element in note.iter(*FOOTNOTE_BLOCKS):
        kind = "para" if element.tag == "p" else str(element.tag)
        classes = " ".join(filter(None, (f"footnote-{kind}", element.get("class"))))
        element.tag = "span"
        element.set("class", classes)
    return note


SOURCE_LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r\n]*")
KEEPS_LINES = {"pre", "code", "textarea"}


def _join_source_lines(element: etree._Element, keep: bool = False) -> None:
    """A line break of the source is a space, as HTML collapses it everywhere
    else. WeasyPrint 70 does not collapse white space inside a ``float:
    footnote`` element: it would print a note's source lines as lines (a note
    read like verse) and fails on a space before a line break ("Got ' \\n'
    between two lines")."""
    keep = keep or element.tag in KEEPS_LINES
    if not keep:
        element.text = _joined(element.text)
    for child in element:
        _join_source_lines(child, keep)
        if not keep:
            child.tail = _joined(child.tail)


def _joined(text: str | None) -> str | None:
    """Text with its source line breaks as spaces; white space alone (between
    blocks) is left as it is."""
    return SOURCE_LINE_BREAK.sub(" ", text) if text and text.strip() else text


# --- EPUB --------------------------------------------------------------------
