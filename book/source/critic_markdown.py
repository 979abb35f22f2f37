"""CriticMarkup rendered by Python-Markdown: ``<ins>``, ``<del>``, ``<mark>``
and ``<span class="critic-comment">``.

The rendering is an inline pattern, which Python-Markdown never applies to
code, so ``{++`` inside code stays code (``book.source.critic`` finds and
resolves the marks in the source).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

INLINE = (
    r"\{\+\+(?P<ins>.+?)\+\+\}"
    r"|\{--(?P<del>.+?)--\}"
    r"|\{~~(?P<old>.*?)~>(?P<new>.*?)~~\}"
    r"|\{==(?P<mark>.+?)==\}"
    r"|\{>>(?P<note>.+?)<<\}"
)


class _CriticInline(InlineProcessor):
    """One mark inside a paragraph -> ``ins``, ``del``, ``mark`` or a comment span."""

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[ET.Element, int, int]:
        if m["old"] is not None:
            wrapper = ET.Element("span", {"class": "critic-substitution"})
            _element("del", m["old"], wrapper)
            _element("ins", m["new"], wrapper)
            return wrapper, m.start(0), m.end(0)
        tag = next(name for name in ("ins", "del", "mark", "note") if m[name] is not None)
        element = _element(tag, m[tag])
        return element, m.start(0), m.end(0)


def _element(tag: str, text: str, parent: ET.Element | None = None) -> ET.Element:
    name, classes = ("span", "critic-comment") if tag == "note" else (tag, "critic")
    element = ET.Element(name, {"class": classes})
    element.text = text
    if parent is not None:
        parent.append(element)
    return element


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class _CommentsOutOfHeadings(Treeprocessor):
    """A comment in a heading is set just after it, in a ``div.critic-comments``:
    titles, ids, the contents and running heads stay the heading's own words."""

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            for index, heading in reversed(list(enumerate(parent))):
                if heading.tag in HEADINGS:
                    self._move_comments(parent, index, heading)

    def _move_comments(self, parent: ET.Element, index: int, heading: ET.Element) -> None:
        comments = ET.Element("div", {"class": "critic-comments"})
        for holder in list(heading.iter()):
            for child in list(holder):
                if child.get("class") == "critic-comment":
                    _take_out(holder, child)
                    comments.append(child)
        if len(comments):
            if len(heading):
                heading[-1].tail = (heading[-1].tail or "").rstrip() or None
            else:
                heading.text = (heading.text or "").rstrip()
            parent.insert(index + 1, comments)


def _take_out(holder: ET.Element, child: ET.Element) -> None:
    """Remove ``child`` from ``holder``, keeping the text after it."""
    position = list(holder).index(child)
    if child.tail:
        if position:
            before = holder[position - 1]
            before.tail = (before.tail or "") + child.tail
        else:
            holder.text = (holder.text or "") + child.tail
    child.tail = None
    holder.remove(child)


class CriticExtension(markdown.Extension):
    """Python-Markdown extension: the marks as elements (after code spans and
    escapes); comments leave headings before the toc extension names them."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.inlinePatterns.register(_CriticInline(INLINE, md), "critic", 175)
        md.treeprocessors.register(_CommentsOutOfHeadings(md), "critic-headings", 15)
