"""The print document cut into parts that can be laid out apart.

Every body and back-matter chapter opens on a recto page, so its text sets the
same way wherever it lands: only its folios, and the page numbers it quotes
from other chapters, depend on the rest of the book. A part is the front
matter (title page, front chapters, contents) or one such chapter. What a part
needs from outside is given to it as CSS (its first folio, the book title for
running heads) and as literal page numbers on the links that point outside it
(``data-page``), which the part's stylesheet prints instead of
``target-counter()``.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lxml import etree

from book.source.tree import remove as tree_remove
from book.source.tree import select, text_of, xml

PAGE_MARK = "@@octavo-page:{}@@"
PAGE_MARKS = re.compile(r"@@octavo-page:([^@]+)@@")

PART_CSS = """/* Added by octavo to a part of the book laid out on its own. */
a.xref[data-page]::after { content: " on page " attr(data-page); }
nav.toc .toc-list a[data-page]::after { content: "\\a0" leader(". ") attr(data-page); }
.octavo-part-end { break-before: recto; }
"""
"""The rules of pdf.css that name another page, with the number given."""

PART_END = "octavo-part-end"
"""An empty block after a part's last chapter that starts on the next recto:
the verso before it, if any, is the blank page a single document would have
there; the page holding the block itself is dropped."""


@dataclass(frozen=True, slots=True)
class Part:
    """One piece of the print document."""

    index: int
    html: str
    """The part as a whole document; page numbers from outside as marks."""
    ids: frozenset[str]
    """The ids defined in this part."""
    outside: tuple[str, ...]
    """Ids outside this part whose page numbers it prints."""
    first_body: bool
    """Holds the first main-matter chapter: its folios restart at 1."""
    ends_recto: bool
    """Followed by another part: ends with a ``PART_END`` block."""
    chars: int
    """Length of its text, to guess its pages before the first layout."""
    numbered: bool = False
    """Prints page numbers in its text (cross-references "on page N", the
    contents): its layout depends on its folios, not only its margins."""

    @property
    def front(self) -> bool:
        return self.index == 0

    @property
    def restarts(self) -> bool:
        """Its folios start at 1 (the front matter, the first main-matter
        chapter) instead of following the part before."""
        return self.front or self.first_body

    @property
    def name(self) -> str:
        """Which part this is, across edits: "front" or its chapter's id."""
        found = re.search(r'<section[^>]* id="([^"]+)"', self.html) if not self.front else None
        return found[1] if found else "front"

    @property
    def shape(self) -> str:
        """A hash of the part as written, before page numbers are filled in."""
        return hashlib.sha256(self.html.encode()).hexdigest()[:32]

    def filled(self, numbers: Mapping[str, int]) -> str:
        """The part with every outside page number filled in."""
        return PAGE_MARKS.sub(lambda m: str(numbers.get(m[1], 0)), self.html)


def first_folios(restarts: Sequence[bool], pages: Sequence[int]) -> list[int]:
    """Each part's first folio: a part that ``restarts`` the numbering (the
    front matter, the first main-matter chapter) starts at 1; every other
    follows the one before (whose pages include the blank verso before the
    next recto)."""
    starts: list[int] = []
    for index, restart in enumerate(restarts):
        starts.append(1 if restart or not starts else starts[-1] + pages[index - 1])
    return starts


def split(content: str) -> tuple[tuple[Part, ...], str]:
    """The front matter, then each body or back-matter chapter, as parts; and
    the title page's title, which running heads may show on every page."""
    root = xml(content.encode("utf-8"))
    found = select(root, './/*[@class="titlepage"]//*[@class="title"]')
    title = text_of(found[0]) if found else ""
    body = root.find("body")
    if body is None:
        return (), title
    groups: list[list[etree._Element]] = [[]]
    for child in body:
        if _is_chapter(child):
            groups.append([])
        groups[-1].append(child)
    parts: list[Part] = []
    for index, group in enumerate(groups):
        if index == 0 and not group:
            continue
        parts.append(_part(root, group, len(parts), index < len(groups) - 1))
    return tuple(parts), title


def part_css(part: Part, start: int, title: str) -> str:
    """The stylesheet a part adds to the book's: its first folio, the book's
    title for running heads, and the rules for numbers given from outside."""
    rules = [PART_CSS]
    if not part.front:
        rules.append(f"html {{ string-set: book-title {_css_string(title)}; }}\n")
    if not part.restarts:
        rules.append(f"@page :first {{ counter-reset: page {start}; }}\n")
    return "".join(rules)


def _is_chapter(element: etree._Element) -> bool:
    classes = (element.get("class") or "").split()
    return element.tag == "section" and ("bodymatter" in classes or "backmatter" in classes)


def _part(root: etree._Element, group: list[etree._Element], index: int, ends_recto: bool) -> Part:
    page = etree.Element("html", {str(k): str(v) for k, v in root.attrib.items()})
    head = root.find("head")
    if head is not None:
        page.append(copy.deepcopy(head))
        for meta in list(page.iter("meta")):  # dated by the merge, not by a part
            if (meta.get("name") or "").startswith("dcterms."):
                tree_remove(meta)
    source_body = root.find("body")
    body = etree.SubElement(page, "body")
    if source_body is not None:
        body.attrib.update(source_body.attrib)
    for element in group:
        body.append(copy.deepcopy(element))
    if ends_recto:
        etree.SubElement(body, "div", {"class": PART_END})
    ids = frozenset(str(e.get("id")) for e in body.iter() if e.get("id"))
    outside = []
    numbers = False
    for link in body.iter("a"):
        href = link.get("href") or ""
        classes = (link.get("class") or "").split()
        numbered = "xref" in classes or any(a.tag == "nav" for a in link.iterancestors())
        numbers = numbers or (numbered and href.startswith("#"))
        if numbered and href.startswith("#") and href[1:] not in ids:
            link.set("data-page", PAGE_MARK.format(href[1:]))
            outside.append(href[1:])
    html = etree.tostring(page, encoding="unicode", doctype="<!DOCTYPE html>")
    first_body = any("first-body" in (e.get("class") or "").split() for e in group)
    return Part(
        index,
        html,
        ids,
        tuple(dict.fromkeys(outside)),
        first_body,
        ends_recto,
        len(text_of(body)),
        numbers,
    )


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'
