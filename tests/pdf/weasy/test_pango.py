"""Text layouts copied per style: the same PDF, byte for byte."""

from __future__ import annotations

import pytest
import weasyprint
from weasyprint.text import line_break

from book.pdf.weasy.pango import _ON_STYLE, _SETS, copied_layouts
from tests.conftest import box_styles

PAGE = """<html lang="en"><body style="text-align: justify; hyphens: auto; width: 18em">
<p>Plain text that runs over several justified lines, with <em>italic</em>, <strong>bold</strong>,
<span style="font-variant: small-caps">small capitals</span>, <u>underlined words</u>,
<span style="letter-spacing: 0.1em">spaced letters</span> and
<span style="font-variant-numeric: oldstyle-nums">1938 and 1939</span>.<span
style="float: footnote">A note at the foot of the page, in a smaller size.</span></p>
<p lang="de">Donaudampfschifffahrtsgesellschaftskapitän und Grenzbefestigungsanlagen.</p>
<p dir="rtl">Text set from right to left in a paragraph of its own.</p>
<pre><code>def f(x):\n\treturn x  # code in a monospace face</code></pre>
</body></html>"""


def _pdf() -> bytes:
    data: bytes = weasyprint.HTML(string=PAGE).write_pdf()
    return data


def test_copied_layouts_make_the_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    assert copied_layouts()  # WeasyPrint's code is what the wrapper expects
    before = sum(len(styles) for styles in _SETS.values())  # earlier layouts' fonts may live on
    ours = _pdf()
    assert 0 < sum(len(styles) for styles in _SETS.values()) - before < 40  # a set-up per style
    monkeypatch.setattr(line_break.Layout, "setup", line_break.Layout.setup.octavo_original)
    theirs = _pdf()
    assert ours == theirs


def test_a_style_keeps_its_set() -> None:
    assert copied_layouts()
    document = weasyprint.HTML(string=PAGE).render()
    found = [vars(s)[_ON_STYLE] for s in box_styles(document) if _ON_STYLE in vars(s)]
    assert len(found) > 10  # found by the style object after the first time
    sets = [kept for styles in _SETS.values() for kept in styles.values()]
    assert all(any(kept is s for s in sets) for kept in found)  # the very sets, not copies


def test_installed_once() -> None:
    assert copied_layouts() and copied_layouts()
    assert getattr(line_break.Layout.setup, "octavo_copied", False)
