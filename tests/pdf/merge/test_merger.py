"""The pieces of the merge that read and write font dictionaries."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from book.pdf.merge import merger as pdf_merge
from tests.conftest import REPO


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

    import uharfbuzz as hb  # type: ignore[import-untyped]

    whole = (REPO / "book" / "theme" / "fonts" / "LinLibertine_R.otf").read_bytes()
    cut = pdf_merge._subset(whole, [0, 36, 68, 300])
    assert len(cut) < len(whole) / 4
    face = hb.Face(cut)
    assert face.glyph_count == 301  # ids kept up to the last one used


def test_the_same_parts_make_the_same_bytes_in_whatever_order_they_come(tmp_path: Path) -> None:
    """Reproducible builds: workers finish parts in any order; qpdf numbers
    the merged file's objects by the order they were copied in, so the
    merge must copy them in one order whatever the order they came in."""
    import weasyprint

    def part(index: int) -> bytes:
        title = "Contents" if index == 0 else f"Chapter {index}"
        link = '<a href="#c2">to chapter 2</a>' if index == 0 else ""
        html = (
            f'<html lang="en"><body><h1 id="c{index}">{title}</h1>{link}'
            + "<p>A paragraph of the part, long enough to fill a page or so. </p>" * 12
            + "</body></html>"
        )
        data: bytes = weasyprint.HTML(string=html).write_pdf(pdf_tags=True)
        return data

    parts = {index: part(index) for index in range(4)}
    owners = {f"c{index}": index for index in parts}
    made = set()
    for arrival in [(1, 2, 3, 0), (0, 3, 2, 1), (2, 0, 3, 1)]:
        merger = pdf_merge.Merger(owners, len(parts), front_last=True)
        for number, index in enumerate(arrival):
            merger.add(index, parts[index], now=number < len(arrival) - 1)
        target = tmp_path / f"{''.join(map(str, arrival))}.pdf"
        merger.write(target, "2026-12-06T00:00:00Z")
        made.add(target.read_bytes())
        with pikepdf.open(target) as merged, merged.open_outline() as outline:
            titles = [item.title for item in outline.root]
            assert titles == ["Contents", "Chapter 1", "Chapter 2", "Chapter 3"]
    assert len(made) == 1
