"""RenderedBook -> PDF, with WeasyPrint. The only module that imports it."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from book.diagnostics import logger
from book.errors import BuildError
from book.model import Asset, RenderedBook
from book.output import atomic_file

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
        body = asset.source.read_bytes()
        media_type = (
            asset.media_type or mimetypes.guess_type(asset.href)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(url, body, {"Content-Type": media_type})


def write_pdf(book: RenderedBook, target: Path) -> None:
    """Lay out the single document and write it atomically to ``target``."""
    (document,) = book.documents
    fetcher = BookFetcher(book.assets)
    fonts = FontConfiguration()
    sheets = [
        weasyprint.CSS(string=css, base_url=BASE_URL + href, url_fetcher=fetcher, font_config=fonts)
        for href, css in book.stylesheets
    ]
    html = weasyprint.HTML(string=document.content, base_url=BASE_URL, url_fetcher=fetcher)
    options = {"pdf_tags": True, "pdf_variant": book.page.variant}
    laid_out = html.render(stylesheets=sheets, font_config=fonts, **options)
    for note, (call, page) in misplaced_footnotes(laid_out).items():
        logger.info(
            "footnote %s is set on PDF page %d, after its call on PDF page %d",
            note,
            page + 1,
            call + 1,
        )
    try:
        with atomic_file(target) as temporary:
            laid_out.write_pdf(temporary, **options)
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None


def misplaced_footnotes(document: weasyprint.Document) -> dict[str, tuple[int, int]]:
    """Footnotes set on another page than their call: id -> (call page, note page).

    WeasyPrint sometimes defers a note to the next page when the line that
    calls it cannot move (orphans, widows); this finds those cases.
    """
    calls: dict[str, int] = {}
    notes: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        _scan_notes(page._page_box, number, calls, notes)
    return {
        note: (calls[note], page) for note, page in notes.items() if calls.get(note, page) != page
    }


def _scan_notes(box: boxes.Box, page: int, calls: dict[str, int], notes: dict[str, int]) -> None:
    element = getattr(box, "element", None)
    if element is not None and "footnote" in (element.get("class") or "").split():
        found = notes if isinstance(box, boxes.BlockBox) else calls
        found.setdefault(element.get("id"), page)
        return
    for child in getattr(box, "children", None) or ():
        _scan_notes(child, page, calls, notes)
