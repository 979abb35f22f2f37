"""A line's glyphs read in one go: the pages WeasyPrint draws, in fewer bytes."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
import weasyprint
from PIL import ImageChops
from weasyprint.draw import text

from book.diff.pdfread import opened, read_pages, render
from book.pdf.weasy.glyphs import whole_glyph_runs

PAGE = """<html lang="en"><body style="text-align: justify; hyphens: auto; width: 20em">
<p>Plain text that runs over several justified lines, with <em>italic</em>, <strong>bold</strong>,
<span style="font-variant: small-caps">small capitals</span>, <u>underlined words</u>,
<span style="letter-spacing: 0.1em">spaced letters</span>, <sup>raised</sup> words and
<span style="font-variant-numeric: oldstyle-nums">1938 and 1939</span>, office affine.<span
style="float: footnote">A note at the foot of the page, in a smaller size.</span></p>
<p lang="de">Donaudampfschifffahrtsgesellschaftskapitän und Grenzbefestigungsanlagen.</p>
<p dir="rtl" lang="he">טקסט מימין לשמאל, and some Latin words beside it.</p>
<p>Marks set on their bases: q\u0301 x\u0323\u0302 g\u030c, Ǆ and ǆ, Ωμέγα, Жёлтый.</p>
<p>A glyph no font has: \U000f0041, between words.</p>
<p style="white-space: nowrap; overflow: hidden; text-overflow: ellipsis">
A line too long for its box, cut short with an ellipsis at its end, far past the edge.</p>
<pre><code>def f(x):\n\treturn x  # code in a monospace face</code></pre>
</body></html>"""


def _pdf(path: Path) -> None:
    weasyprint.HTML(string=PAGE).write_pdf(path, uncompressed_pdf=True)


def _content(path: Path) -> bytes:
    with pikepdf.open(path) as pdf:
        return b"".join(page.obj.Contents.read_bytes() for page in pdf.pages)


def test_pages_are_drawn_as_weasyprint_draws_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert whole_glyph_runs()  # WeasyPrint's code is what the wrapper expects
    _pdf(tmp_path / "ours.pdf")
    monkeypatch.setattr(text, "draw_first_line", text.draw_first_line.octavo_original)
    _pdf(tmp_path / "theirs.pdf")

    with opened(tmp_path / "ours.pdf") as mine, opened(tmp_path / "theirs.pdf") as other:
        assert read_pages(mine) == read_pages(other)  # the same text, where it was
        for number in range(1, len(mine) + 1):
            image, expected = render(mine, number, 100), render(other, number, 100)
            assert image.convert("L").getextrema()[0] < 100  # the page is not blank
            assert ImageChops.difference(image, expected).getbbox() is None, number


def test_no_zero_adjustments_are_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert whole_glyph_runs()
    _pdf(tmp_path / "ours.pdf")
    monkeypatch.setattr(text, "draw_first_line", text.draw_first_line.octavo_original)
    _pdf(tmp_path / "theirs.pdf")
    ours, theirs = _content(tmp_path / "ours.pdf"), _content(tmp_path / "theirs.pdf")

    zero = re.compile(rb">0<")
    assert len(zero.findall(theirs)) > 300  # WeasyPrint writes one after most glyphs
    assert len(zero.findall(ours)) < len(zero.findall(theirs)) / 4  # (lines left to WeasyPrint)
    assert len(ours) < 0.9 * len(theirs)


def test_installed_once() -> None:
    assert whole_glyph_runs() and whole_glyph_runs()
    assert getattr(text.draw_first_line, "octavo_whole_runs", False)
