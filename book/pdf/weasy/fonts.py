"""A part's fonts kept whole, for the merge to cut one subset per font for the book.

Replaces ``weasyprint.pdf.fonts.Font.subset`` while a part is written: the
font's whole file is kept in a store by its sha256 and the part embeds only a
stand-in (its first four bytes, which tell WeasyPrint its kind). Changes the
parts' PDFs (``book.pdf.merge`` needs the stand-ins), so a part-by-part build
fails if it cannot be put in place. Upstream, a hook to subset fonts outside
``write_pdf`` (or to write them unsubset) would retire it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from book.output import atomic_file
from book.pdf.weasy.patching import takes, uses

FONT_ATTRIBUTES = ("index", "tables", "png", "svg", "colr", "bitmap", "file_content", "name")
"""What the stand-in reads of WeasyPrint's ``Font`` to choose and keep it."""


def whole_fonts() -> bool:
    """Whether ``keeping_whole_fonts`` can work with this WeasyPrint: its
    ``Font.subset`` takes what it passes on, and ``Font`` sets what it reads
    (WeasyPrint 68 and 69 had no ``colr``)."""
    from weasyprint.pdf import fonts

    font = getattr(fonts, "Font", None)
    return takes(getattr(font, "subset", None), "self", "to_unicode", "hinting") and uses(
        getattr(font, "__init__", None), *FONT_ATTRIBUTES
    )


@contextmanager
def keeping_whole_fonts(store: Path) -> Iterator[dict[str, str]]:
    """Each font's whole file, kept in ``store`` by its sha256 where WeasyPrint
    would subset it: the merge cuts one subset per font for all parts from it
    (``book.pdf.merge.merger``), so the part embeds only a stand-in (the file's
    first four bytes, which tell WeasyPrint its kind) instead of a subset the
    merge would throw away. Yields {PDF font name: sha256}."""
    from weasyprint.pdf import fonts

    kept: dict[str, str] = {}
    subset = fonts.Font.subset

    def keeping(font: Any, to_unicode: object, hinting: object) -> None:
        special = font.index or "fvar" in font.tables or font.png or font.svg or font.colr
        if special or font.bitmap or not to_unicode:
            # WeasyPrint does more to these than subset them, or embeds them
            # whole: kept per part.
            subset(font, to_unicode, hinting)
            return
        data = bytes(font.file_content)
        digest = hashlib.sha256(data).hexdigest()
        path = store / f"{digest}.font"
        if not path.exists():
            with atomic_file(path) as temporary:
                temporary.write_bytes(data)
        kept[font.name.decode("latin-1").lstrip("/")] = digest
        font.file_content = data[:4]

    fonts.Font.subset = keeping
    try:
        yield kept
    finally:
        fonts.Font.subset = subset
