"""The pieces of the merge that read and write font dictionaries."""

from __future__ import annotations

import pikepdf

from book import pdf_merge


def test_widths_are_read_in_both_forms_and_written_back() -> None:
    array = pikepdf.Array([3, pikepdf.Array([500, 250]), 10, 12, 600])
    widths = pdf_merge._widths(array)
    assert widths == {3: 500.0, 4: 250.0, 10: 600.0, 11: 600.0, 12: 600.0}
    assert pdf_merge._widths(pdf_merge._width_array(widths)) == widths


def test_text_maps_survive_a_round_trip() -> None:
    pdf = pikepdf.new()
    text = {5: b"0041", 300: b"00660069"}  # "A", and "fi" for a ligature
    stream = pikepdf.Stream(pdf, pdf_merge._cmap(text))
    assert pdf_merge._to_unicode(stream) == text


def test_a_subset_keeps_glyph_ids_and_is_smaller() -> None:
    from pathlib import Path

    import uharfbuzz as hb  # type: ignore[import-untyped]

    whole = (
        Path(pdf_merge.__file__).parent / "theme" / "fonts" / "LinLibertine_R.otf"
    ).read_bytes()
    cut = pdf_merge._subset(whole, [0, 36, 68, 300])
    assert len(cut) < len(whole) / 4
    face = hb.Face(cut)
    assert face.glyph_count == 301  # ids kept up to the last one used
