"""RenderedBook -> EPUB 3 with ebooklib (``writer``)."""
