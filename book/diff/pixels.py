"""Where two renderings of a page differ, as boxes: Pillow's ImageChops does
the per-pixel work; a coarse grid and a flood fill turn the differing pixels
into a few rectangles worth drawing."""

from __future__ import annotations

from collections.abc import Sequence

from PIL import Image, ImageChops

from book.diff.pairing import Box

THRESHOLD = 32
"""Grey levels (0-255) two pixels must differ by to count: above antialiasing noise."""
CELL = 6
"""Pixels per grid cell; differing cells that touch make one region."""


def differing_regions(
    old: Image.Image, new: Image.Image, dpi: float, ignore: Sequence[Box] = ()
) -> tuple[Box, ...]:
    """Regions (in points) where two renderings at ``dpi`` differ, outside ``ignore``."""
    if old.size != new.size:
        width, height = new.size
        return ((0.0, 0.0, width * 72 / dpi, height * 72 / dpi),)
    difference = ImageChops.difference(old.convert("L"), new.convert("L"))
    mask = difference.point(lambda value: 255 if value > THRESHOLD else 0)
    if mask.getbbox() is None:
        return ()
    grid = mask.reduce(CELL)
    scale = CELL * 72 / dpi
    regions = [
        (left * scale, top * scale, right * scale, bottom * scale)
        for left, top, right, bottom in _clusters(grid)
    ]
    # A region is rounded out to whole cells: an ignored box is widened by a cell.
    return tuple(r for r in regions if not any(_inside(r, box, scale + 1) for box in ignore))


def _clusters(grid: Image.Image) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (in cells, right and bottom exclusive) of touching marked cells."""
    width, height = grid.size
    pixels = grid.load()
    assert pixels is not None
    marked = {(x, y) for y in range(height) for x in range(width) if pixels[x, y]}
    boxes: list[tuple[int, int, int, int]] = []
    while marked:
        stack = [marked.pop()]
        xs, ys = [], []
        while stack:
            x, y = stack.pop()
            xs.append(x)
            ys.append(y)
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    neighbour = (x + dx, y + dy)
                    if neighbour in marked:
                        marked.remove(neighbour)
                        stack.append(neighbour)
        boxes.append((min(xs), min(ys), max(xs) + 1, max(ys) + 1))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _inside(region: Box, box: Box, pad: float) -> bool:
    return (
        region[0] >= box[0] - pad
        and region[1] >= box[1] - pad
        and region[2] <= box[2] + pad
        and region[3] <= box[3] + pad
    )
