"""Page content compressed at zlib's default level: the same content."""

from __future__ import annotations

import io
import zlib

import pikepdf
import pydyf
import pytest
import weasyprint

from book.pdf.weasy.deflate import LEVEL, default_level_streams

PAGE = (
    """<html lang="en"><body style="text-align: justify">
"""
    + "<p>A paragraph of plain text that fills the page with glyph strings. </p>" * 30
    + """
</body></html>"""
)


def _contents(pdf: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [page.Contents.read_bytes() for page in document.pages]


def test_same_content_compressed_at_the_default_level(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_level_streams()  # pydyf's code is what the property expects
    mine = weasyprint.HTML(string=PAGE).write_pdf()
    monkeypatch.setattr(pydyf.Stream, "data", pydyf.Stream.data.fget.octavo_original)
    theirs = weasyprint.HTML(string=PAGE).write_pdf()
    assert mine != theirs  # compressed differently ...
    assert _contents(mine) == _contents(theirs)  # ... to the same content


def test_a_stream_as_pydyf_writes_it_at_the_level() -> None:
    assert default_level_streams()
    stream = pydyf.Stream([b"BT", 1.5, 2.0, b"Td", b"[<0041>] TJ", b"ET"], {"X": 1}, compress=True)
    data = stream.data
    content = zlib.compress(b"BT\n1.5\n2\nTd\n[<0041>] TJ\nET", LEVEL)
    assert data.endswith(b"stream\n" + content + b"\nendstream")
    assert b"/Filter /FlateDecode" in data and f"/Length {len(content)}".encode() in data
    plain = pydyf.Stream([b"q", b"Q"]).data
    assert plain.endswith(b"stream\nq\nQ\nendstream") and b"/Length 3" in plain


def test_installed_once() -> None:
    assert default_level_streams() and default_level_streams()
    assert pydyf.Stream.data.fget.octavo_level == LEVEL
