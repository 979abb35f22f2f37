"""The print edition's page starts, kept so that an EPUB built on its own
(``book build -f epub``) still gets the page list of the last PDF.

The key is a hash of everything the PDF's layout depends on: the document
WeasyPrint was given, its stylesheets, the page settings and the tool's
version. A stale or corrupt entry is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from pathlib import Path

from book.model import PageStart, RenderedBook
from book.output import atomic_file
from book.pdf.partcache import environment_key

BUILD_TIME = re.compile(r'<meta name="dcterms\.(?:created|modified)" content="[^"]*"/>\n')
"""The build time in the print document: in its metadata, not in its layout."""


def layout_key(pdf: RenderedBook) -> str:
    """What the PDF's pages depend on, hashed: its documents (less the build
    time), and what every part of its layout depends on
    (``partcache.environment_key``)."""
    digest = hashlib.sha256(environment_key(pdf).encode())
    for document in pdf.documents:
        digest.update(BUILD_TIME.sub("", document.content).encode())
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
