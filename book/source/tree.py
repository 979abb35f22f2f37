"""Small helpers for the lxml trees that parse, assemble and render edit."""

from __future__ import annotations

import copy
import re

from lxml import etree

XML_NAME = re.compile(r"[A-Za-z_][\w.-]*")
"""A name XML accepts for an element, attribute or id (without a colon)."""
PARSER = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
"""For the XHTML the pipeline itself made: deep nesting and long text allowed
(parse limits the depth first), entities and the network never."""
MAX_DEPTH = 800
"""Deeper element nesting is refused by parse (WeasyPrint's layout recurses)."""

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
SVG_NS = "http://www.w3.org/2000/svg"


def replace(old: etree._Element, new: etree._Element) -> None:
    """Put ``new`` where ``old`` is, keeping the text that followed ``old``."""
    new.tail = old.tail
    parent = old.getparent()
    assert parent is not None
    parent.replace(old, new)


def remove(element: etree._Element) -> None:
    """Remove an element but keep the text that followed it."""
    parent = element.getparent()
    assert parent is not None
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def unwrap(element: etree._Element, tag: str = "span") -> None:
    """Replace an element by a ``tag`` with the same content and no attributes."""
    span = etree.Element(tag)
    span.text = element.text
    span.extend(list(element))
    replace(element, span)


def serialize(element: etree._Element) -> str:
    """Polyglot XHTML: well-formed XML that HTML parsers read the same way.

    Empty non-void elements get an end tag (``<span></span>``, never
    ``<span/>``, which an HTML parser would leave open).
    """
    element = copy.deepcopy(element)
    for each in element.iter():
        if not isinstance(each.tag, str):
            continue
        name = etree.QName(each)
        if name.namespace == SVG_NS or name.localname in VOID:
            continue
        if not len(each) and each.text is None:
            each.text = ""
    return etree.tostring(element, encoding="unicode")


def fragment(markup: str) -> etree._Element:
    """Parse an XHTML fragment (several elements) under a ``<div>``."""
    return xml(f"<div>{markup}</div>")


def xml(text: str | bytes) -> etree._Element:
    """Parse XHTML made by the pipeline."""
    return etree.fromstring(text, PARSER)


def select(element: etree._Element, path: str) -> list[etree._Element]:
    """The elements an XPath finds (typed: text and attribute results are dropped)."""
    found = element.xpath(path)
    return (
        [each for each in found if isinstance(each, etree._Element)]
        if isinstance(found, list)
        else []
    )


def texts(element: etree._Element, path: str) -> list[str]:
    """The text nodes an XPath finds."""
    found = element.xpath(path)
    return [str(each) for each in found] if isinstance(found, list) else []


def text_of(element: etree._Element) -> str:
    """All the text inside an element, whitespace collapsed."""
    return " ".join("".join(str(t) for t in element.itertext()).split())
