"""RenderedBook -> a static site in ``build/html/``: pages, CSS, images, fonts."""

from __future__ import annotations

from pathlib import Path

from book.errors import BuildError
from book.model import RenderedBook, Written
from book.output import atomic_directory


def write_html(book: RenderedBook, target: Path) -> Written:
    """Write the whole site into a fresh directory, then swap it in."""
    try:
        with atomic_directory(target) as site:
            for document in book.documents:
                (site / document.href).write_text(document.content, encoding="utf-8")
            for href, css in book.stylesheets:
                _place(site, href).write_text(css, encoding="utf-8")
            for asset in book.assets:
                _place(site, asset.href).write_bytes(asset.read())
    except OSError as exc:
        raise BuildError(f"cannot write {target}: {exc.strerror or exc}") from None
    return Written()


def _place(site: Path, href: str) -> Path:
    path = site / href
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
