"""WeasyPrint's layout of a book's document: its assets served, its
stylesheets parsed once per book, octavo's adaptations installed, a stack deep
enough for deeply nested books.

The one door to WeasyPrint's public API (``HTML``, ``CSS``, ``Document``,
``FontConfiguration``, ``URLFetcher``) for the rest of octavo.
"""

from __future__ import annotations

import atexit
import gc
import io
import mimetypes
import sys
import threading
from collections.abc import Callable
from html import escape

import weasyprint
from weasyprint import Document, Page
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from book.model import Asset, RenderedBook
from book.pdf.weasy.adaptations import install_adaptations
from book.pdf.weasy.folios import carried
from book.workers import Kept

__all__ = ["Document", "Page", "layout", "pdf_options"]

BASE_URL = "file:///octavo-book/"
"""A virtual root: documents refer to ``images/x.png``, ``fonts/y.otf``."""


class BookFetcher(URLFetcher):  # type: ignore[misc]
    """Serves only the book's own assets; every other URL is refused."""

    def __init__(self, assets: tuple[Asset, ...]) -> None:
        super().__init__(allowed_protocols=("file",))
        self.files = {BASE_URL + asset.href: asset for asset in assets}

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        asset = self.files.get(url.split("#")[0])
        if asset is None:
            raise ValueError(f"not a file of this book: {url}")
        body = asset.read()
        media_type = (
            asset.media_type or mimetypes.guess_type(asset.href)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


def pdf_options(book: RenderedBook) -> dict[str, object]:
    """WeasyPrint's options for this book: tagged PDF, the variant asked for, and
    only the attachments book.toml lists (read here: WeasyPrint fetches none)."""
    attachments = [
        weasyprint.Attachment(file_obj=io.BytesIO(path.read_bytes()), name=path.name)
        for path in book.options.page.attachments
    ]
    return {"pdf_tags": True, "pdf_variant": book.options.page.variant, "attachments": attachments}


def layout(
    book: RenderedBook, content: str, options: dict[str, object], extra_css: str = ""
) -> Document:
    """One WeasyPrint layout of ``content`` with the book's styles and assets,
    then ``extra_css``."""
    install_adaptations()
    fetcher, fonts, sheets = _styles(book)
    if extra_css:
        sheets = [*sheets, _sheet("octavo-part.css", extra_css, fetcher, fonts)]
    html = weasyprint.HTML(string=content, base_url=BASE_URL, url_fetcher=fetcher)
    return _deep(lambda: html.render(stylesheets=sheets, font_config=fonts, **options))


Styles = tuple[BookFetcher, FontConfiguration, list[weasyprint.CSS]]

_STYLES: Kept[tuple[RenderedBook, Styles]] = Kept()
"""The last book's parsed stylesheets: each layout of a part or a mending
round would otherwise parse them again (a tenth of a part's layout)."""
_STYLES_LOCK = threading.Lock()


@atexit.register
def _forget_styles() -> None:
    """At exit, the last book's styles are let go of, and the layouts they
    are in a cycle with collected: as its font configuration goes, WeasyPrint
    deletes the copies of the book's fonts it made in a temporary directory,
    and ``book.cli.run`` ends the process without freeing what is held."""
    if _STYLES.get() is not None:
        _STYLES.clear()
        gc.collect()


def _styles(book: RenderedBook) -> Styles:
    """The book's fetcher, font configuration (its @font-face rules loaded)
    and parsed stylesheets, made once per book in each process."""
    with _STYLES_LOCK:
        kept = _STYLES.get()
        if kept is not None and kept[0] is book:
            return kept[1]
        fetcher = BookFetcher(book.assets)
        fonts = FontConfiguration()
        sheets = [_sheet(href, css, fetcher, fonts) for href, css in book.stylesheets]
        _STYLES.set((book, (fetcher, fonts, sheets)))
        return fetcher, fonts, sheets


def _sheet(href: str, css: str, fetcher: BookFetcher, fonts: FontConfiguration) -> weasyprint.CSS:
    return weasyprint.CSS(
        string=css, base_url=BASE_URL + href, url_fetcher=fetcher, font_config=fonts
    )


STACK_BYTES = 512 * 1024 * 1024

RECURSION_LIMIT = 40_000
"""WeasyPrint recurses once or more per nesting level: a book with lists nested
200 deep needs more than Python's default 1,000 frames and 8 MB of stack."""


def _deep(work: Callable[[], Document]) -> Document:
    """Run ``work`` in a thread with a large stack and a high recursion limit."""
    result: list[Document] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    previous_stack = threading.stack_size(STACK_BYTES)
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        worker = threading.Thread(target=carried(run), name="octavo-layout")
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return result[0]


def warm_up_layout(language: str, wanted: Callable[[], bool]) -> None:
    """Lay out a few justified, hyphenated lines in ``language`` with a note
    and running heads, and write them as PDF if still ``wanted()``: the
    first-use costs of a layout paid (cffi parses its C types as they are
    first used)."""
    install_adaptations()
    words = " ".join(["typographical", "incomprehensibilities", "notwithstanding"] * 6)
    html = (
        f'<html lang="{escape(language)}"><body style="hyphens: auto; text-align: justify">'
        f'<p style="width: 12em">{words}<span style="float: footnote">{words}</span></p>'
        "</body></html>"
    )
    css = "@page { size: 20em 30em; @top-center { content: counter(page) } }"
    document = weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(string=css)])
    if wanted():
        document.write_pdf()
