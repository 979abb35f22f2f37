"""Manuscript + Format -> RenderedBook.

The one place where editions differ. Each format has a small adapter:
footnotes become page-foot floats (PDF), EPUB 3 popup notes
(``noteref``/``aside``) or notes at the end of the page (HTML); links become
``#id`` in the single PDF document or ``file#id`` across files. Everything else
is the shared XHTML from assemble plus the theme's CSS.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
from lxml import etree
from markupsafe import Markup, escape
from pygments.formatters import HtmlFormatter

from book import __version__
from book import tree as tree_
from book.cover import generated_cover
from book.linesplit import insert_at
from book.model import (
    Asset,
    Chapter,
    ChapterKind,
    Document,
    Format,
    Manuscript,
    Matter,
    PageStart,
    RenderedBook,
    RenderOptions,
    TocEntry,
)
from book.paper import page_css
from book.words import word, words_for

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
DEFAULT_OPTIONS = RenderOptions()
UNLISTED_IN_PRINT = {ChapterKind.TITLEPAGE, ChapterKind.COPYRIGHT}
"""Pages a printed table of contents does not list."""
MATTER_TYPES = {Matter.FRONT: "frontmatter", Matter.BODY: "bodymatter", Matter.BACK: "backmatter"}


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("book", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render(
    manuscript: Manuscript, fmt: Format, options: RenderOptions = DEFAULT_OPTIONS
) -> RenderedBook:
    """Turn the assembled book into the documents of one edition."""
    renderer = {Format.PDF: _render_pdf, Format.EPUB: _render_epub, Format.HTML: _render_html}[fmt]
    extra: tuple[Asset, ...] = ()
    if fmt is Format.EPUB and manuscript.cover is None:  # every e-book gets a cover
        extra = (generated_cover(manuscript.metadata),)
        manuscript = replace(manuscript, cover=extra[0])
    documents, toc = renderer(manuscript, options)
    fonts = font_assets() if fmt is not Format.EPUB or options.epub.embed_fonts else ()
    return RenderedBook(
        format=fmt,
        metadata=manuscript.metadata,
        documents=documents,
        stylesheets=stylesheets(fmt, manuscript.styles, options),
        assets=manuscript.assets + extra + fonts,
        toc=toc,
        cover=manuscript.cover,
        options=options,
        accessibility=accessibility(manuscript, options) if fmt is Format.EPUB else (),
    )


def accessibility(manuscript: Manuscript, options: RenderOptions) -> tuple[tuple[str, str], ...]:
    """EPUB Accessibility 1.1 metadata, claiming only what the book earns."""
    images = any(a.media_type.startswith("image/") for a in manuscript.assets)
    alt_text = not any(d.code == "missing-alt" for d in manuscript.diagnostics)
    pages = bool(options.page_starts)
    features = ["tableOfContents", "readingOrder", "structuralNavigation"]
    features += ["alternativeText"] if images and alt_text else []
    features += ["pageNavigation", "printPageNumbers"] if pages else []
    properties = [("schema:accessMode", "textual")]
    properties += [("schema:accessMode", "visual")] if images else []
    properties += [("schema:accessModeSufficient", "textual")] if alt_text else []
    properties += [("schema:accessibilityFeature", feature) for feature in features]
    properties += [("schema:accessibilityHazard", "none")]
    summary = options.epub.accessibility_summary or (
        "Structured with headings, a table of contents and landmarks; reading order follows "
        "the printed book"
        + ("; every image has a text description" if images and alt_text else "")
        + ("; page numbers of the print edition are marked" if pages else "")
        + "."
    )
    properties.append(("schema:accessibilitySummary", summary))
    if alt_text:  # WCAG 2 AA needs text alternatives for every image
        properties.append(("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"))
        properties.append(("a11y:certifiedBy", "octavo (automated checks)"))
    return tuple(properties)


# --- shared pieces -----------------------------------------------------------


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
        href = _href(chapter.slug, chapter.slug, "", fmt)
        kind, matter = chapter.source.kind, chapter.source.matter
        label = _chapter_label(chapter, manuscript.metadata.language)
        entries.append(TocEntry(1, chapter.title, href, label, kind, matter))
        for heading in chapter.headings:
            if heading.level == 2 and heading.id:
                href = _href(chapter.slug, heading.id, "", fmt)
                entries.append(TocEntry(2, heading.text, href, None, kind, matter))
    return tuple(entries)


def _chapter_label(chapter: Chapter, language: str) -> str | None:
    if chapter.label is None:
        return None
    kind = "appendix" if chapter.source.kind is ChapterKind.APPENDIX else "chapter"
    return f"{word(language, kind)} {chapter.label}"


def _href(owner: str, target: str, current: str, fmt: Format) -> str:
    """Where a link to ``target`` (an id held by chapter ``owner``) points."""
    if fmt is Format.PDF or owner == current:
        return f"#{target}"
    page = f"{owner}{EXTENSIONS[fmt]}"
    return page if target == owner else f"{page}#{target}"


def _chapter_tree(chapter: Chapter, fmt: Format, language: str) -> etree._Element:
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
    label = _chapter_label(chapter, language)
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


def _page_breaks(tree: etree._Element, starts: list[PageStart]) -> list[PageStart]:
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
        if not (start.words and insert_at(block, start.words, marker)):
            _mark_start(block, marker)
        placed.append(start)
    for block in blocks.values():
        del block.attrib["data-b"]
    return placed


LISTS = {"dl", "ul", "ol", "table", "thead", "tbody", "tfoot", "tr", "select"}
"""Parents whose content model admits no ``span`` between their items."""


def _mark_start(block: etree._Element, marker: etree._Element) -> None:
    """Put the marker before the block, or as its first content inside a list."""
    parent = block.getparent()
    if parent is not None and parent.tag not in LISTS:
        block.addprevious(marker)
    else:
        marker.tail, block.text = block.text, None
        block.insert(0, marker)


def page_id(folio: str) -> str:
    """The id of the marker for a printed page: ``page-37``, ``page-iv``."""
    return f"page-{folio}"


def _relink(tree: etree._Element, manuscript: Manuscript, current: str, fmt: Format) -> None:
    owners = dict(manuscript.id_owner)
    for link in tree_.select(tree, ".//a[starts-with(@href, '#')]"):
        target = link.get("href", "")[1:]
        owner = owners.get(target)
        if owner:
            link.set("href", _href(owner, target, current, fmt))


def _page(template: str, **context: object) -> str:
    return _templates().get_template(template).render(version=__version__, **context)


def _metadata_context(manuscript: Manuscript) -> dict[str, object]:
    language = manuscript.metadata.language
    return {"meta": manuscript.metadata, "lang": language, "words": words_for(language)}


# --- PDF ---------------------------------------------------------------------


Rendered = tuple[tuple[Document, ...], tuple[TocEntry, ...]]
"""A renderer's result: the documents and the table of contents they have."""


def _render_pdf(manuscript: Manuscript, options: RenderOptions) -> Rendered:
    """One HTML document; WeasyPrint paginates it with the print CSS."""
    sections = []
    first_body = next((c for c in manuscript.chapters if c.source.matter is Matter.BODY), None)
    for chapter in manuscript.chapters:
        tree = _chapter_tree(chapter, Format.PDF, manuscript.metadata.language)
        if chapter is first_body:
            tree.set("class", tree.get("class", "") + " first-body")
        _pdf_footnotes(tree, chapter)
        _relink(tree, manuscript, chapter.slug, Format.PDF)
        sections.append((chapter, Markup(tree_.serialize(tree))))
    content = _page(
        "pdf.html.j2",
        sections=sections,
        toc=[
            e for e in table_of_contents(manuscript, Format.PDF) if e.kind not in UNLISTED_IN_PRINT
        ],
        built=options.built,
        **_metadata_context(manuscript),
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
    note.tag = "span"
    note.attrib.update({"class": "footnote", "id": note_id})
    for element in note.iter(*FOOTNOTE_BLOCKS):
        kind = "para" if element.tag == "p" else str(element.tag)
        classes = " ".join(filter(None, (f"footnote-{kind}", element.get("class"))))
        element.tag = "span"
        element.set("class", classes)
    return note


# --- EPUB --------------------------------------------------------------------


def _render_epub(manuscript: Manuscript, options: RenderOptions) -> Rendered:
    sheets = [href for href, _ in stylesheets(Format.EPUB, manuscript.styles)]
    context = _metadata_context(manuscript) | {"stylesheets": sheets, "xml": True}
    documents = [_epub_cover(manuscript, context)] if manuscript.cover else []
    documents.append(_epub_titlepage(manuscript, context))
    parts: list[tuple[Chapter, str, etree._Element]] = []
    placed: list[PageStart] = []
    for chapter in manuscript.chapters:
        tree = _chapter_tree(chapter, Format.EPUB, manuscript.metadata.language)
        placed += _page_breaks(tree, [s for s in options.page_starts if s.chapter == chapter.slug])
        for n, part in enumerate(_split(tree, options.epub.split_chapters)):
            _popup_footnotes(part, chapter, Format.EPUB)
            parts.append((chapter, chapter.slug if n == 0 else f"{chapter.slug}-{n + 1}", part))
    files = {i: f"{name}.xhtml" for _, name, part in parts for i in _ids(part)}
    chapters = [_epub_chapter(chapter, name, part, files, context) for chapter, name, part in parts]
    pages = [(start.folio, _file_href(files, page_id(start.folio))) for start in placed]
    toc = tuple(
        replace(
            entry,
            href=_file_href(
                files, entry.href.partition("#")[2] or entry.href.removesuffix(".xhtml")
            ),
        )
        for entry in table_of_contents(manuscript, Format.EPUB)
    )
    return (*documents, _epub_nav(manuscript, context, pages, toc), *chapters), toc


def _split(section: etree._Element, split: bool) -> list[etree._Element]:
    """The chapter, or (``[epub] split_chapters``) one part per level-2 section."""
    groups: list[list[etree._Element]] = [[]]
    for child in section:
        if split and child.tag == "h2" and groups[-1]:
            groups.append([])
        groups[-1].append(child)
    parts = [section]  # the first group stays where it is, with the chapter's id
    attributes = {str(k): str(v) for k, v in section.attrib.items() if k != "id"}
    for group in groups[1:]:
        part = etree.Element("section", attributes)
        part.extend(group)  # moves the elements out of the chapter's first part
        parts.append(part)
    return parts


def _ids(tree: etree._Element) -> Iterator[str]:
    return (element.get("id", "") for element in tree.iter() if element.get("id"))


def _file_href(files: dict[str, str], target: str) -> str:
    """Where an id lives once chapters may be split: ``ch02-2.xhtml#id``."""
    name = files.get(target, f"{target}.xhtml")
    return name if name == f"{target}.xhtml" else f"{name}#{target}"


def _epub_chapter(
    chapter: Chapter,
    name: str,
    part: etree._Element,
    files: dict[str, str],
    context: dict[str, object],
) -> Document:
    for link in tree_.select(part, ".//a[starts-with(@href, '#')]"):
        target = link.get("href", "")[1:]
        if files.get(target, f"{name}.xhtml") != f"{name}.xhtml":
            link.set("href", _file_href(files, target))
    content = _page(
        "page.xhtml.j2",
        title=chapter.title,
        body=Markup(_epub_attributes(tree_.serialize(part))),
        body_type=MATTER_TYPES[chapter.source.matter],
        nav=None,
        **context,
    )
    return Document(f"{name}.xhtml", chapter.title, content, SEMANTICS[chapter.source.kind][0])


def _epub_cover(manuscript: Manuscript, context: dict[str, object]) -> Document:
    assert manuscript.cover is not None
    alt = f"Cover of {manuscript.metadata.title}"
    body = (
        f'<section class="cover" data-epub-type="cover"><img src="{manuscript.cover.href}"'
        f' alt="{escape(alt)}" role="doc-cover"/></section>'
    )
    content = _page(
        "page.xhtml.j2",
        title=alt,
        body=Markup(_epub_attributes(body)),
        body_type="cover",
        nav=None,
        **context,
    )
    return Document("cover.xhtml", word(manuscript.metadata.language, "cover"), content, "cover")


def _epub_nav(
    manuscript: Manuscript,
    context: dict[str, object],
    pages: list[tuple[str, str]],
    toc: tuple[TocEntry, ...],
) -> Document:
    """The EPUB 3 navigation document: table of contents, landmarks and, when
    the print edition was laid out, its page list."""
    language = manuscript.metadata.language
    landmarks = [
        ("titlepage.xhtml", "titlepage", word(language, "titlepage")),
        ("nav.xhtml", "toc", word(language, "contents")),
    ]
    if manuscript.cover:
        landmarks.insert(0, ("cover.xhtml", "cover", word(language, "cover")))
    body = next((c for c in manuscript.chapters if c.source.matter is Matter.BODY), None)
    if body:
        landmarks.append((f"{body.slug}.xhtml", "bodymatter", word(language, "start")))
    back = next((c for c in manuscript.chapters if c.source.matter is Matter.BACK), None)
    if back:
        landmarks.append((f"{back.slug}.xhtml", "backmatter", word(language, "back")))
    content = _page(
        "nav.xhtml.j2",
        toc=toc,
        landmarks=landmarks,
        pages=pages,
        **context,
    )
    return Document("nav.xhtml", word(language, "contents"), content, "nav")


def _epub_titlepage(manuscript: Manuscript, context: dict[str, object]) -> Document:
    body = _page("titlepage.j2", cover=manuscript.cover, **context)
    content = _page(
        "page.xhtml.j2",
        title=manuscript.metadata.title,
        body=Markup(_epub_attributes(body)),
        body_type="frontmatter",
        nav=None,
        **context,
    )
    return Document("titlepage.xhtml", manuscript.metadata.title, content, "titlepage")


def _epub_attributes(markup: str) -> str:
    """``data-epub-type`` (kept so lxml needs no namespace) becomes ``epub:type``."""
    return markup.replace(' data-epub-type="', ' epub:type="')


def _popup_footnotes(tree: etree._Element, chapter: Chapter, fmt: Format) -> None:
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


def _render_html(manuscript: Manuscript, options: RenderOptions) -> Rendered:
    sheets = [href for href, _ in stylesheets(Format.HTML, manuscript.styles)]
    context = _metadata_context(manuscript) | {"stylesheets": sheets, "xml": False}
    chapters = manuscript.chapters
    index = _page(
        "index.html.j2",
        toc=table_of_contents(manuscript, Format.HTML),
        cover=manuscript.cover,
        first=_html_name(chapters[0]) if chapters else None,
        **context,
    )
    documents = [Document("index.html", manuscript.metadata.title, index, "toc")]
    for n, chapter in enumerate(chapters):
        tree = _chapter_tree(chapter, Format.HTML, manuscript.metadata.language)
        _page_breaks(tree, [])  # the HTML edition has no print page numbers
        _popup_footnotes(tree, chapter, Format.HTML)
        _relink(tree, manuscript, chapter.slug, Format.HTML)
        nav = _neighbours(chapters, n, word(manuscript.metadata.language, "contents"))
        content = _page(
            "page.xhtml.j2",
            title=chapter.title,
            body=Markup(tree_.serialize(tree)),
            body_type=None,
            nav=nav,
            **context,
        )
        documents.append(Document(_html_name(chapter), chapter.title, content))
    return tuple(documents), table_of_contents(manuscript, Format.HTML)


def _html_name(chapter: Chapter) -> str:
    return f"{chapter.slug}.html"


def _neighbours(
    chapters: tuple[Chapter, ...], n: int, contents: str
) -> dict[str, tuple[str, str] | None]:
    def link(i: int) -> tuple[str, str] | None:
        if 0 <= i < len(chapters):
            return (_html_name(chapters[i]), chapters[i].title)
        return None

    return {"prev": link(n - 1), "next": link(n + 1), "index": ("index.html", contents)}
