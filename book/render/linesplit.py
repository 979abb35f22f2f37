"""Split a paragraph where a printed line begins, to move that line to the next page.

CSS's ``footnote-policy: line`` asks for a page break before the line that
calls a note which does not fit; WeasyPrint does not always honour it. The PDF
writer finds that line in WeasyPrint's layout and uses this module to cut the
paragraph in two at its first words: the first part keeps justified lines to
the end, the second starts the next page without an indent.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

Point = tuple[list[int], str, int]
"""Where to cut: child indices from the block, ``text`` or ``tail``, character offset."""

SKIP_CLASSES = {"footnote"}
"""Inline elements whose text is not in the line's flow (floated to the page foot)."""


def split_block(
    block: etree._Element, line_start: str, before: str | None = None
) -> etree._Element | None:
    """Cut ``block`` before the flow text ``line_start``; return the new second part.

    With ``before`` (an element id, the note's call) the words are looked for
    before that element only. The second part is inserted after the block.
    None when the words are not found (nothing changes).
    """
    point = _find(block, line_start, before)
    if point is None:
        return None
    path = point[0]
    cut_through = {_node(block, path[:depth]).get("id") for depth in range(1, len(path) + 1)}
    cut_through.discard(None)
    second = copy.deepcopy(block)
    _keep_before(block, point)
    _keep_after(second, point)
    for element in second.iter():
        if element.get("id") in cut_through:  # the elements the cut went through: ids stay first
            del element.attrib["id"]
    if "id" in second.attrib:
        del second.attrib["id"]
    block.addnext(second)
    second.tail, block.tail = block.tail, None
    return second


def _segments(
    block: etree._Element, marker: str | None = None
) -> tuple[list[tuple[list[int], str, str]], int | None]:
    """The block's flow text in order: (path, 'text' or 'tail', string), and where
    in it the element with id ``marker`` stands."""
    found: list[tuple[list[int], str, str]] = []
    where: list[int] = []

    def walk(element: etree._Element, path: list[int]) -> None:
        if marker is not None and element.get("id") == marker:
            where.append(sum(len(text) for _, _, text in found))
        classes = set((element.get("class") or "").split())
        skipped = element is not block and bool(SKIP_CLASSES & classes)
        if element.text and not skipped:
            found.append((path, "text", element.text))
        if not skipped:
            for index, child in enumerate(element):
                if isinstance(child.tag, str):
                    walk(child, [*path, index])
        if element.tail and path:
            found.append((path, "tail", element.tail))

    walk(block, [])
    return found, (where[0] if where else None)


def _find(block: etree._Element, line_start: str, before: str | None) -> Point | None:
    words = line_start.split()[:5]
    if not words:
        return None
    segments, limit = _segments(block, before)
    flow = "".join(text for _, _, text in segments)
    pattern = r"\s+".join(re.escape(word) for word in words)
    matches = [m for m in re.finditer(pattern, flow) if limit is None or m.start() < limit]
    if not matches:
        return None
    match = matches[-1]  # the last one: the calling line is the latest candidate
    start = match.start()
    while start > 0 and flow[start - 1].isalnum():  # the line began inside a hyphenated word
        start -= 1
    if start == 0:
        return None
    for path, kind, text in segments:
        if start <= len(text):
            return path, kind, start
        start -= len(text)
    return None


def _node(block: etree._Element, path: list[int]) -> etree._Element:
    node = block
    for index in path:
        node = node[index]
    return node


def _keep_before(block: etree._Element, point: Point) -> None:
    path, kind, offset = point
    node = _node(block, path)
    if kind == "text":
        node.text = node.text[:offset] if node.text else None
        for child in list(node):
            node.remove(child)
    else:
        node.tail = node.tail[:offset] if node.tail else None
    for depth in range(len(path), 0, -1):
        child = _node(block, path[:depth])
        parent = child.getparent()
        assert parent is not None
        for sibling in list(child.itersiblings()):
            parent.remove(sibling)
        if depth < len(path) or kind == "text":
            child.tail = None


def _keep_after(block: etree._Element, point: Point) -> None:
    path, kind, offset = point
    node = _node(block, path)
    if kind == "text":
        node.text = node.text[offset:] if node.text else None
        top = len(path)
    else:
        parent = node.getparent()
        assert parent is not None
        rest = node.tail[offset:] if node.tail else ""
        for sibling in list(node.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.remove(node)
        parent.text = rest
        top = len(path) - 1
    for depth in range(top, 0, -1):
        child = _node(block, path[:depth])
        parent = child.getparent()
        assert parent is not None
        for sibling in list(child.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.text = None
    block.text = block.text.lstrip() if block.text else block.text


def insert_at(block: etree._Element, line_start: str, element: etree._Element) -> bool:
    """Put ``element`` into ``block`` just before the flow text ``line_start``.

    Returns False (and changes nothing) when the words are not found or
    stand at the very start of the block.
    """
    point = _find(block, line_start, None)
    if point is None:
        return False
    path, kind, offset = point
    node = _node(block, path)
    if kind == "text":
        element.tail, node.text = (node.text or "")[offset:], (node.text or "")[:offset]
        node.insert(0, element)
    else:
        element.tail, node.tail = (node.tail or "")[offset:], (node.tail or "")[:offset]
        node.addnext(element)
    return True
