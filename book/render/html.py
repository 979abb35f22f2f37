"""The HTML adapter: a contents page and one page per chapter, with notes at
the end of each page and links to the previous and next chapters."""

from __future__ import annotations

from markupsafe import Markup

from book.model import (
    Chapter,
    Document,
    Format,
    Manuscript,
    RenderOptions,
)
from book.render.common import (
    Rendered,
    chapter_tree,
    fill_template,
    metadata_context,
    page_breaks,
    popup_footnotes,
    proof_anchors,
    relink,
    stylesheets,
    table_of_contents,
)
from book.source import tree as tree_
from book.source.words import word


def render_html(manuscript: Manuscript, options: RenderOptions) -> Rendered:
    sheets = [href for href, _ in stylesheets(Format.HTML, manuscript.styles)]
    context = metadata_context(manuscript, options) | {"stylesheets": sheets, "xml": False}
    chapters = manuscript.chapters
    index = fill_template(
        "index.html.j2",
        toc=table_of_contents(manuscript, Format.HTML),
        cover=manuscript.cover,
        first=_html_name(chapters[0]) if chapters else None,
        **context,
    )
    documents = [Document("index.html", manuscript.metadata.title, index, "toc")]
    for n, chapter in enumerate(chapters):
        tree = chapter_tree(chapter, Format.HTML, manuscript.metadata.language)
        proof_anchors(tree, manuscript, chapter, options)
        page_breaks(tree, [])  # the HTML edition has no print page numbers
        popup_footnotes(tree, chapter, Format.HTML)
        relink(tree, manuscript, chapter.slug, Format.HTML)
        nav = _neighbours(chapters, n, word(manuscript.metadata.language, "contents"))
        content = fill_template(
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
