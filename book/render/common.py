"""What the three editions share when they are rendered: the theme and its
stylesheets, the table of contents, the chapter as a section, links, templates,
and the numbered blocks that locate print pages."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
from lxml import etree
from pygments.formatters import HtmlFormatter

from book import __version__
from book.model import (
    Asset,
    Chapter,
    ChapterKind,
    Document,
    Format,
    Manuscript,
    Matter,
    PageStart,
    RenderOptions,
    TocEntry,
)
from book.proof.edition import anchor_paragraphs, chapter_numbers, proof_css
from book.render.linesplit import insert_at
from book.source import tree as tree_
from book.source.paper import page_css
from book.source.words import word, words_for

DEFAULT_OPTIONS = RenderOptions()
THEME = resources.files("book") / "theme"

FONTS = (
    "LinLibertine_R.otf",
    "LinLibertine_RI.otf",
    "LinLibertine_RB.otf",
    "LinLibertine_RBI.otf",
    "LinLibertine_M.otf",
)

PYGMENTS_STYLE = "friendly_grayscale"

EXTENSIONS = {Format.EPUB: ".xhtml", Format.HTML: ".html", Format.PDF: ".html"}

# EPUB 3 Structural Semantics and DPUB-ARIA roles for each kind of chapter.

SEMANTICS: dict[ChapterKind, tuple[str, str | None]] = {
    ChapterKind.CHAPTER: ("chapter", "doc-chapter"),
    ChapterKind.TITLEPAGE: ("titlepage", None),
    ChapterKind.COPYRIGHT: ("copyright-page", None),
    ChapterKind.DEDICATION: ("dedication", "doc-dedication"),
    ChapterKind.EPIGRAPH: ("epigraph", "doc-epigraph"),
    ChapterKind.FOREWORD: ("foreword", "doc-foreword"),
    ChapterKind.PREFACE: ("preface", "doc-preface"),
    ChapterKind.INTRODUCTION: ("introduction", "doc-introduction"),
    ChapterKind.PROLOGUE: ("prologue", "doc-prologue"),
    ChapterKind.EPILOGUE: ("epilogue", "doc-epilogue"),
    ChapterKind.AFTERWORD: ("afterword", "doc-afterword"),
    ChapterKind.ACKNOWLEDGEMENTS: ("acknowledgments", "doc-acknowledgments"),
    ChapterKind.APPENDIX: ("appendix", "doc-appendix"),
    ChapterKind.BIBLIOGRAPHY: ("bibliography", "doc-bibliography"),
    ChapterKind.GLOSSARY: ("glossary", "doc-glossary"),
    ChapterKind.COLOPHON: ("colophon", "doc-colophon"),
}

UNLISTED_IN_PRINT = {ChapterKind.TITLEPAGE, ChapterKind.COPYRIGHT}
"""Pages a printed table of contents does not list."""

MATTER_TYPES = {Matter.FRONT: "frontmatter", Matter.BODY: "bodymatter", Matter.BACK: "backmatter"}


@cache
def templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("book", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def font_assets() -> tuple[Asset, ...]:
    """The bundled typeface, shipped inside the package."""
    fonts = THEME / "fonts"
    return tuple(Asset(Path(str(fonts / name)), f"fonts/{name}", "font/otf") for name in FONTS)


def stylesheets(
    fmt: Format, user: tuple[tuple[str, str], ...], options: RenderOptions = DEFAULT_OPTIONS
) -> tuple[tuple[str, str], ...]:
    """Theme CSS for the format (with the page setup in print), then Pygments
    colours, then the user's CSS."""
    parts = [(THEME / "base.css").read_text(encoding="utf-8")]
    if fmt is Format.PDF:
        parts.append(page_css(options.page))  # before pdf.css, whose page rules refine it
    parts.append((THEME / f"{fmt.value}.css").read_text(encoding="utf-8"))
    if options.proof:
        parts.append((THEME / "proof.css").read_text(encoding="utf-8"))
        if fmt is Format.PDF:
            parts.append((THEME / "proof-pdf.css").read_text(encoding="utf-8"))
        parts.append(proof_css(options.proof, fmt))
    theme = "\n".join(parts)
    pygments = HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    pygments = HEX_COLOUR.sub(_legible, pygments)
    if fmt is Format.EPUB:
        pygments = _reader_decides(pygments)
        if not options.epub.embed_fonts:
            theme = FONT_FACE.sub("", theme)
    sheets = [("book.css", f"{theme}\n/* Pygments: {PYGMENTS_STYLE} */\n{pygments}\n")]
    return (*sheets, *user)


FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")

FIXED_COLOURS = re.compile(
    r"\s*background(?:-color)?:\s*[^;}]+;?|\s*color:\s*#0{3}(?:0{3})?\b;?", re.I
)

HEX_COLOUR = re.compile(r"(?<![-\w])color:\s*#([0-9a-fA-F]{6})\b")


def _legible(match: re.Match[str]) -> str:
    """Darken a text colour until it has WCAG AA contrast (4.5:1) on white."""
    rgb = [int(match[1][i : i + 2], 16) for i in (0, 2, 4)]
    while _contrast_on_white(rgb) < 4.6:
        rgb = [int(c * 0.92) for c in rgb]
    return "color: #{:02x}{:02x}{:02x}".format(*rgb)


def _contrast_on_white(rgb: list[int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return 1.05 / (luminance + 0.05)


def _reader_decides(css: str) -> str:
    """E-readers have night modes: no backgrounds, no black text imposed."""
    return FIXED_COLOURS.sub("", css)


def table_of_contents(manuscript: Manuscript, fmt: Format) -> tuple[TocEntry, ...]:
    """Chapters and their second-level headings."""
    entries = []
    for chapter in manuscript.chapters:
        href = href_for(chapter.slug, chapter.slug, "", fmt)
        kind, matter = chapter.source.kind, chapter.source.matter
        label = chapter_label(chapter, manuscript.metadata.language)
        entries.append(TocEntry(1, chapter.title, href, label, kind, matter))
        for heading in chapter.headings:
            if heading.level == 2 and heading.id:
                href = href_for(chapter.slug, heading.id, "", fmt)
                entries.append(TocEntry(2, heading.text, href, None, kind, matter))
    return tuple(entries)


def chapter_label(chapter: Chapter, language: str) -> str | None:
    if chapter.label is None:
        return None
    kind = "appendix" if chapter.source.kind is ChapterKind.APPENDIX else "chapter"
    return f"{word(language, kind)} {chapter.label}"


def href_for(owner: str, target: str, current: str, fmt: Format) -> str:
    """Where a link to ``target`` (an id held by chapter ``owner``) points."""
    if fmt is Format.PDF or owner == current:
        return f"#{target}"
    page = f"{owner}{EXTENSIONS[fmt]}"
    return page if target == owner else f"{page}#{target}"


def chapter_tree(chapter: Chapter, fmt: Format, language: str) -> etree._Element:
    """The chapter as a ``<section>``, with its number line before the title."""
    tree = tree_.xml(chapter.body)
    epub_type, role = SEMANTICS[chapter.source.kind]
    section = etree.Element("section", id=chapter.slug)
    classes = dict.fromkeys(
        ("chapter", chapter.source.kind.value, f"{chapter.source.matter.value}matter")
    )
    section.set("class", " ".join(classes))
    section.set("data-epub-type", epub_type)
    if role:
        section.set("role", role)
    section.text = tree.text
    section.extend(list(tree))
    label = chapter_label(chapter, language)
    heading = section.find("h1")
    if label and heading is not None:
        number = etree.Element("p", {"class": "chapter-label"})
        number.text = label
        heading.addprevious(number)
    _number_blocks(section)
    return section


NUMBERED_BLOCKS = (
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "figure",
    "table",
    "pre",
    "blockquote",
    "div",
)
"""Blocks that the print edition's page starts are located by (``data-b``)."""


def _number_blocks(section: etree._Element) -> None:
    """Number the blocks of a chapter in order; the same in every edition."""
    for n, block in enumerate(section.iter(*NUMBERED_BLOCKS)):
        block.set("data-b", str(n))


def proof_anchors(
    tree: etree._Element, manuscript: Manuscript, chapter: Chapter, options: RenderOptions
) -> None:
    """In a proof edition, paragraphs get ids and numbers an editor can cite."""
    if options.proof:
        anchor_paragraphs(tree, chapter_numbers(manuscript.chapters)[chapter.slug])


def relink(tree: etree._Element, manuscript: Manuscript, current: str, fmt: Format) -> None:
    owners = dict(manuscript.id_owner)
    for link in tree_.select(tree, ".//a[starts-with(@href, '#')]"):
        target = link.get("href", "")[1:]
        owner = owners.get(target)
        if owner:
            link.set("href", href_for(owner, target, current, fmt))


def fill_template(template: str, **context: object) -> str:
    return templates().get_template(template).render(version=__version__, **context)


def metadata_context(
    manuscript: Manuscript, options: RenderOptions = DEFAULT_OPTIONS
) -> dict[str, object]:
    language = manuscript.metadata.language
    return {
        "meta": manuscript.metadata,
        "lang": language,
        "words": words_for(language),
        "proof": options.proof,
    }


# --- PDF ---------------------------------------------------------------------

Rendered = tuple[tuple[Document, ...], tuple[TocEntry, ...]]
"""A renderer's result: the documents and the table of contents they have."""


def popup_footnotes(tree: etree._Element, chapter: Chapter, fmt: Format) -> None:
    """EPUB 3 popup notes: ``noteref`` calls and ``aside`` notes with back-links."""
    for ref in tree_.select(tree, './/a[@class="noteref"]'):
        ref.set("data-epub-type", "noteref")
        ref.set("role", "doc-noteref")
    called = {ref.get("href", "")[1:] for ref in tree_.select(tree, './/a[@class="noteref"]')}
    here = [note for note in chapter.footnotes if note.id in called]
    if not here:
        return
    notes = etree.SubElement(tree, "section", {"class": "footnotes"})
    if fmt is Format.HTML:
        notes.set("role", "doc-endnotes")
        etree.SubElement(notes, "hr")
    for note in here:
        notes.append(_aside(note.id, note.number, note.body, f"{chapter.slug}-fnref{note.number}"))


def _aside(note_id: str, number: int, body: str, ref_id: str) -> etree._Element:
    aside = etree.Element("aside", {"id": note_id, "class": "footnote", "role": "doc-footnote"})
    aside.set("data-epub-type", "footnote")
    blocks = list(tree_.fragment(body))
    first = blocks[0] if blocks and blocks[0].tag == "p" else etree.Element("p")
    back = etree.Element("a", {"href": f"#{ref_id}", "role": "doc-backlink", "class": "backlink"})
    back.text = f"{number}."
    back.tail = " " + (first.text or "")
    first.text = None
    first.insert(0, back)
    if first not in blocks:
        blocks.insert(0, first)
    aside.extend(blocks)
    return aside


# --- HTML --------------------------------------------------------------------


def page_breaks(tree: etree._Element, starts: list[PageStart]) -> list[PageStart]:
    """Mark where each printed page begins (EPUB 3 ``pagebreak``); the marks placed."""
    blocks = {block.get("data-b"): block for block in tree.iter(*NUMBERED_BLOCKS)}
    placed = []
    for start in starts:
        block = blocks.get(str(start.block))
        if block is None:
            continue
        marker = etree.Element("span", {"id": page_id(start.folio), "role": "doc-pagebreak"})
        marker.set("data-epub-type", "pagebreak")
        marker.set("aria-label", start.folio)
        if start.words and insert_at(block, start.words, marker):
            _out_of_lists(marker)
        else:
            _mark_start(block, marker)
        placed.append(start)
    for block in blocks.values():
        del block.attrib["data-b"]
    return placed


LISTS = {"dl", "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "select"}
"""Parents whose content model admits no ``span`` between their items."""


def _out_of_lists(marker: etree._Element) -> None:
    """A marker set between a row's cells (or a list's items) moves into the
    next cell: a ``span`` may not stand there."""
    parent = marker.getparent()
    while parent is not None and parent.tag in LISTS:
        following = marker.getnext()
        if following is None:
            return
        tree_.remove(marker)
        marker.tail, following.text = following.text, None
        following.insert(0, marker)
        parent = following


def _mark_start(block: etree._Element, marker: etree._Element) -> None:
    """Put the marker before the block, or, inside a list or table, as the
    first content of the block's first item or cell."""
    parent = block.getparent()
    if parent is not None and parent.tag not in LISTS:
        block.addprevious(marker)
        return
    target = block  # a table row starts the page: the marker goes into its first cell
    while target.tag in LISTS and len(target):
        target = target[0]
    marker.tail, target.text = target.text, None
    target.insert(0, marker)


def page_id(folio: str) -> str:
    """The id of the marker for a printed page: ``page-37``, ``page-iv``."""
    return f"page-{folio}"
