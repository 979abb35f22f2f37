"""HTML text -> an ElementTree ``<body>``, parsed as a browser would.

``parse`` reads each chapter's HTML twice over: Python-Markdown writes it, and
an HTML5 parser reads it back into a tree. Two parsers can do the reading:

- tinyhtml5 (pure Python, the html5lib parser that WeasyPrint depends on)
  reads anything: raw HTML from the author, tag soup, SVG and MathML. It is
  the reference, and it is slow: a third of a chapter's parse.
- lexbor, through selectolax (``selectolax.lexbor``), is a C implementation of
  the same WHATWG tree-construction algorithm: with the conversion below, about
  ten times faster (``bench/RESULTS.md``). It was chosen
  over the other HTML parsers with wheels on PyPI because those build
  different trees (lxml.html is libxml2's HTML 4 parser), are pure Python
  too (html5lib, which tinyhtml5 comes from) or wrap the unmaintained gumbo
  (html5-parser).

The two build the same tree for every chapter of the sample book, the corpus
books and the benchmark book that the converter below takes (it leaves HTML
comments to tinyhtml5), but not for all tag soup: fuzzing found trees that differ
around implied end tags (``dd``, ``dt``, ``figcaption``) and a newline after
``<pre>`` in misnested markup, and the case of SVG attribute names is not
checked. So lexbor reads only HTML that Python-Markdown wrote from Markdown
with no raw HTML in it (``markdown_only``), which is well-formed by
construction; everything else, and anything the converter below does not
know (foreign content, templates), goes to tinyhtml5.
``tests/test_html5.py`` compares the two on real chapters and on seeded
random Markdown that the fast path accepts.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import tinyhtml5
from selectolax.lexbor import LexborHTMLParser, LexborNode

TAG_OPEN = re.compile(r"<[A-Za-z!?/]")
"""A ``<`` that HTML reads as the start of a tag, an end tag, a comment or a
declaration (anywhere else ``<`` is text). Markdown with none of these has no
raw HTML in it: Python-Markdown escapes every other ``<`` it writes."""

FOREIGN = frozenset(["svg", "math", "template"])
"""Elements whose content lexbor keeps apart (another namespace, a fragment)."""


def parse_body(html: str, markdown_only: bool = False) -> ET.Element:
    """The ``<body>`` of ``html`` parsed as a document, with no namespace on
    HTML elements; SVG and MathML elements carry theirs (``{ns}svg``).

    ``markdown_only``: ``html`` is Python-Markdown's output for Markdown that
    ``TAG_OPEN`` finds nothing in, so lexbor may read it.
    """
    if markdown_only:
        body = _lexbor_body(html)
        if body is not None:
            return body
    document = tinyhtml5.parse(f"<body>{html}", namespace_html_elements=False)
    found: ET.Element | None = document.find("body")
    assert found is not None
    return found


def _lexbor_body(html: str) -> ET.Element | None:
    """The body as tinyhtml5 would build it, or None if it holds a kind of
    node this converter leaves to tinyhtml5 (comments too: selectolax trims
    the space inside them)."""
    body = LexborHTMLParser(f"<body>{html}").body
    assert body is not None
    top = ET.Element("body", _attributes(body))
    # Without recursion: chapters may nest deeper than Python's stack allows
    # (``parse`` refuses them afterwards, with a diagnostic).
    pending: list[tuple[ET.Element, LexborNode | None, ET.Element | None]] = [
        (top, body.child, None)
    ]
    while pending:
        parent, node, last = pending.pop()
        while node is not None:
            tag = node.tag
            if tag == "-text":
                text = node.text_content or ""
                if last is None:
                    parent.text = (parent.text or "") + text
                else:
                    last.tail = (last.tail or "") + text
            elif tag is None or tag.startswith("-") or tag in FOREIGN:
                return None
            else:
                element = ET.SubElement(parent, tag, _attributes(node))
                pending.append((parent, node.next, element))
                parent, node, last = element, node.child, None
                continue
            node = node.next
    return top


def _attributes(node: LexborNode) -> dict[str, str]:
    """A name without a value has the empty value, as in tinyhtml5."""
    return {name: value or "" for name, value in node.attributes.items()}
