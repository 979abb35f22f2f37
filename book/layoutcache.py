"""The print edition's page starts, kept so that an EPUB built on its own
(``book build -f epub``) still gets the page list of the last PDF.

The key is a hash of everything the PDF's layout depends on: the document
WeasyPrint was given, its stylesheets, the page settings and the tool's
version. A stale or corrupt entry is simply not used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from book.fingerprint import code_fingerprint
from book.model import PageStart, RenderedBook
from book.output import atomic_file


def layout_key(pdf: RenderedBook) -> str:
    """What the PDF's pages depend on, hashed."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(repr(pdf.options.page).encode())
    for document in pdf.documents:
        digest.update(document.content.encode())
    for href, css in pdf.stylesheets:
        digest.update(href.encode() + css.encode())
    for asset in pdf.assets:  # an image's size changes the layout
        digest.update(asset.href.encode() + hashlib.sha256(asset.read()).digest())
    return digest.hexdigest()[:32]


def save(cache: Path, key: str, starts: tuple[PageStart, ...]) -> None:
    """Keep the page starts of a PDF just written."""
    with atomic_file(cache / f"{key}.json") as temporary:
        temporary.write_text(json.dumps([asdict(start) for start in starts]), encoding="utf-8")


def load(cache: Path, key: str) -> tuple[PageStart, ...]:
    """The page starts of the PDF with this key, or () when there are none."""
    try:
        entries = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
        return tuple(PageStart(**entry) for entry in entries)
    except (OSError, ValueError, TypeError):
        return ()
