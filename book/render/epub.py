"""The EPUB adapter: one XHTML file per chapter (or per section), popup notes,
the navigation document with landmarks and the print page list, the cover
page and accessibility metadata."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from lxml import etree
from markupsafe import Markup, escape

from book.model import (
    Chapter,
    Document,
    Format,
    Manuscript,
    Matter,
    PageStart,
    RenderOptions,
    TocEntry,
)
from book.render.common import (
    MATTER_TYPES,
    SEMANTICS,
    Rendered,
    chapter_tree,
    fill_template,
    metadata_context,
    page_breaks,
    page_id,
    popup_footnotes,
    proof_anchors,
    stylesheets,
    table_of_contents,
)
from book.source import tree as tree_
from book.source.words import word


def render_epub(manuscript: Manuscript, options: RenderOptions) -> Rendered:
    sheets = [href for href, _ in stylesheets(Format.EPUB, manuscript.styles)]
    context = metadata_context(manuscript, options) | {"stylesheets": sheets, "xml": True}
    documents = [_epub_cover(manuscript, context)] if manuscript.cover else []
    documents.append(_epub_titlepage(manuscript, context))
    parts: list[tuple[Chapter, str, etree._Element]] = []
    placed: list[PageStart] = []
    for chapter in manuscript.chapters:
        tree = chapter_tree(chapter, Format.EPUB, manuscript.metadata.language)
        proof_anchors(tree, manuscript, chapter, options)
        placed += page_breaks(tree, [s for s in options.page_starts if s.chapter == chapter.slug])
        for n, part in enumerate(_split(tree, options.epub.split_chapters)):
            popup_footnotes(part, chapter, Format.EPUB)
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
    content = fill_template(
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
    content = fill_template(
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
    content = fill_template(
        "nav.xhtml.j2",
        toc=toc,
        landmarks=landmarks,
        pages=pages,
        **context,
    )
    return Document("nav.xhtml", word(language, "contents"), content, "nav")


def _epub_titlepage(manuscript: Manuscript, context: dict[str, object]) -> Document:
    body = fill_template("titlepage.j2", cover=manuscript.cover, **context)
    content = fill_template(
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
