"""Manuscript + Format -> RenderedBook.

The one place where editions differ. Each format has a small adapter:
footnotes become page-foot floats (PDF), EPUB 3 popup notes
(``noteref``/``aside``) or notes at the end of the page (HTML); links become
``#id`` in the single PDF document or ``file#id`` across files. Everything else
is the shared XHTML from assemble plus the theme's CSS.
"""

from __future__ import annotations

from dataclasses import replace

from book.model import (
    Asset,
    Format,
    Manuscript,
    RenderedBook,
    RenderOptions,
)
from book.proof.edition import watermark_asset
from book.render.common import DEFAULT_OPTIONS, font_assets, stylesheets
from book.render.epub import accessibility, render_epub
from book.render.html import render_html
from book.render.pdf import render_pdf


def render(
    manuscript: Manuscript, fmt: Format, options: RenderOptions = DEFAULT_OPTIONS
) -> RenderedBook:
    """Turn the assembled book into the documents of one edition."""
    renderer = {Format.PDF: render_pdf, Format.EPUB: render_epub, Format.HTML: render_html}[fmt]
    extra: tuple[Asset, ...] = ()
    if fmt is Format.EPUB and manuscript.cover is None:  # every e-book gets a cover
        from book.render.cover import generated_cover  # Pillow's drawing: only for an EPUB

        extra = (generated_cover(manuscript.metadata),)
        manuscript = replace(manuscript, cover=extra[0])
    if fmt is Format.PDF and options.proof and (watermark := watermark_asset(options.proof)):
        extra += (watermark,)
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
