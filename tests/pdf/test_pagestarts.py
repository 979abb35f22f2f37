"""The key of the print edition's page starts: what the layout depends on, not when it was built."""

from __future__ import annotations

from dataclasses import replace

from book import pipeline
from book.model import Format, RenderOptions
from book.pdf import pagestarts
from book.render.editions import render
from tests.conftest import REPO


def _books():  # type: ignore[no-untyped-def]
    config, manuscript = pipeline.load(REPO)
    options = RenderOptions(config.page, config.epub, "2026-11-25T18:50:07Z")
    return manuscript, options


def test_the_key_leaves_the_build_time_out() -> None:
    """The PDF build keys its page starts on the document it printed (dated);
    an EPUB built alone later renders it undated: both must find the same entry."""
    manuscript, options = _books()
    dated = render(manuscript, Format.PDF, options)
    assert "2026-11-25T18:50:07Z" in dated.documents[0].content
    later = render(manuscript, Format.PDF, replace(options, built="2027-01-01T00:00:00Z"))
    undated = render(manuscript, Format.PDF, replace(options, built=""))
    key = pagestarts.layout_key(dated)
    assert key == pagestarts.layout_key(later) == pagestarts.layout_key(undated)


def test_the_key_follows_the_layout() -> None:
    manuscript, options = _books()
    wider = replace(options, page=replace(options.page, width="7in", height="10in"))
    assert pagestarts.layout_key(render(manuscript, Format.PDF, options)) != pagestarts.layout_key(
        render(manuscript, Format.PDF, wider)
    )
