"""Page content compressed at zlib's default level instead of its highest.

Replaces ``pydyf.Stream.data``: pydyf compresses every stream WeasyPrint
writes with ``zlib`` at level 9, which for page content (text operators,
mostly glyph strings) saves about a hundredth of the size for three times
the time of zlib's default level 6. ``default_level_streams`` puts in its
place a ``Stream.data`` that writes the same dictionary and data, compressed
at ``LEVEL``; the merge (``book.pdf.merge``) keeps the parts' streams as they
come, so the level chosen here is the book's. Saves time only: the streams
decompress to the same bytes (the test compares both ways). Upstream, a
compression level that pydyf (or WeasyPrint's ``write_pdf``) lets the caller
choose would retire it. Measured figures: ``bench/RESULTS.md``.
"""

from __future__ import annotations

import zlib
from typing import Any

LEVEL = 6
"""zlib's own default: the usual balance of size and time."""


def default_level_streams() -> bool:
    """Install the property (once). Returns whether it is in place: if
    pydyf's code is not what it expects, nothing is changed."""
    import pydyf

    found = pydyf.Stream.__dict__.get("data")
    if not isinstance(found, property) or found.fget is None:
        return False
    if getattr(found.fget, "octavo_level", None) == LEVEL:
        return True
    code = found.fget.__code__
    if not {"compressobj", "Dictionary", "extra", "compress"} <= set(code.co_names):
        return False
    to_bytes = getattr(pydyf, "_to_bytes", None)
    if 9 not in code.co_consts or to_bytes is None:
        return False
    dictionary = pydyf.Dictionary

    def data(stream: Any) -> bytes:
        content = b"\n".join(to_bytes(item) for item in stream.stream)
        extra = dictionary(stream.extra.copy())
        if stream.compress:
            extra["Filter"] = "/FlateDecode"
            content = zlib.compress(content, LEVEL)
        extra["Length"] = len(content)
        return b"\n".join((extra.data, b"stream", content, b"endstream"))

    data.octavo_level = LEVEL  # type: ignore[attr-defined]
    data.octavo_original = found  # type: ignore[attr-defined]
    pydyf.Stream.data = property(data)
    return True
