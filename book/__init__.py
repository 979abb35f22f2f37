"""octavo: publish books from Markdown as PDF (WeasyPrint), EPUB 3 (ebooklib) and HTML.

The pipeline, stage by stage (see ``book.pipeline``)::

    load_config -> parse_chapter -> assemble -> render -> write_pdf / write_epub / write_html
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build", "check"]


def __getattr__(name: str) -> object:
    # The pipeline imports WeasyPrint; load it only when asked for.
    if name in ("build", "check"):
        from book import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
