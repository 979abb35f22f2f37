"""Regions where two page images differ."""

from __future__ import annotations

from PIL import Image, ImageDraw

from book.diff.pixels import differing_regions


def blank(size: tuple[int, int] = (144, 216)) -> Image.Image:
    return Image.new("RGB", size, "white")


def with_box(box: tuple[int, int, int, int], image: Image.Image | None = None) -> Image.Image:
    image = image or blank()
    ImageDraw.Draw(image).rectangle(box, fill="black")
    return image


def contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    return (
        outer[0] <= inner[0]
        and outer[1] <= inner[1]
        and outer[2] >= inner[2]
        and outer[3] >= inner[3]
    )


def test_identical_images_have_no_regions() -> None:
    assert differing_regions(with_box((10, 10, 20, 20)), with_box((10, 10, 20, 20)), 72) == ()


def test_each_separate_change_is_one_region_in_points() -> None:
    new = with_box((100, 150, 120, 160), with_box((10, 10, 30, 20)))
    regions = differing_regions(blank(), new, 144)  # 2 pixels a point
    assert len(regions) == 2
    assert contains(regions[0], (5, 5, 15, 10))
    assert contains(regions[1], (50, 75, 60, 80))
    assert all(r[2] - r[0] < 20 for r in regions)  # near the change, not the whole page


def test_faint_differences_are_noise() -> None:
    old = blank()
    new = Image.new("RGB", old.size, (240, 240, 240))
    assert differing_regions(old, new, 72) == ()


def test_changes_inside_an_ignored_box_do_not_count() -> None:
    folio = (60.0, 190.0, 70.0, 200.0)
    new = with_box((62, 192, 68, 198))
    assert differing_regions(blank(), new, 72, ignore=[folio]) == ()
    assert differing_regions(blank(), new, 72) != ()


def test_pages_of_different_sizes_differ_everywhere() -> None:
    assert differing_regions(blank(), blank((144, 144)), 72) == ((0.0, 0.0, 144.0, 144.0),)
