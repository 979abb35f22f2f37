"""The wrappers octavo puts around WeasyPrint's functions, installed together.

Each checks WeasyPrint's code before it installs itself and leaves it alone
if that is not what it expects; each has tests that fail if WeasyPrint
changes under it (``tests/test_pdf_*.py``).
"""

from __future__ import annotations

from book.pdf.mending import keep_notes_with_calls
from book.pdf.weasy.deflate import default_level_streams
from book.pdf.weasy.glyphs import whole_glyph_runs
from book.pdf.weasy.leaders import one_run_leaders
from book.pdf.weasy.notes import reused_note_areas
from book.pdf.weasy.pagestyles import shared_page_styles
from book.pdf.weasy.pango import copied_layouts
from book.pdf.weasy.percent import remembered_percentages
from book.pdf.weasy.strut import remembered_struts


def patch_weasyprint() -> None:
    """Install every wrapper (each once)."""
    keep_notes_with_calls()  # footnotes kept on their call's page
    one_run_leaders()  # leader dots drawn in runs
    copied_layouts()  # Pango layouts copied per text style
    whole_glyph_runs()  # a line's glyphs read in one go
    reused_note_areas()  # a page's footnote area laid out once for its last note
    remembered_percentages()  # a box's used sizes remembered per style
    remembered_struts()  # a style's line height and baseline remembered on it
    default_level_streams()  # page content compressed at zlib's default level
    shared_page_styles()  # page and margin-box styles computed once per kind of page
