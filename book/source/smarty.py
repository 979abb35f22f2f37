"""Smart punctuation: Python-Markdown's smarty, applied by a lighter pass.

``markdown.extensions.smarty`` runs its patterns (dashes, ellipses, fifteen
kinds of quote) through a second full ``InlineProcessor``, whose generic
machinery for building elements made it the larger part of the time
Python-Markdown spends on a chapter (``bench/RESULTS.md``). Every smarty
pattern only puts
text in place of text, so this pass keeps smarty's patterns, their order and
their ``handleMatch`` (the substitutions go to the HTML stash, as before) and
only replaces the driver: each text and tail of the tree, each pattern in
turn, every match replaced by a placeholder of the same shape as the inline
processor's (``STX klzzwxh:NNNN ETX``), so that what later patterns look at
around a match is the same, and the placeholders filled in at the end.
``tests/source/test_parse.py`` checks the output equals smarty's own in English.
One thing differs on purpose: apostrophes (``APOSTROPHE``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from markdown import Markdown
from markdown.extensions.smarty import SmartyExtension, SubstituteTextPattern
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString

PLACEHOLDER = re.compile(f"{STX}klzzwxh:\\d+{ETX}")
NEEDED = re.compile(r"['\"<>]|--|\.\.\.")
"""What any smarty pattern needs to match: a quote, two dashes, an ellipsis,
or (for angled quotes) an angle bracket."""


APOSTROPHE = "\u2019"
"""An apostrophe is U+2019 in every language; smarty gives it the book
language's closing single quote, which is right only in English (German
would get U+2018 in "geht's", French a spaced U+203A in "L'homme")."""
APOSTROPHES = (
    (r"(?<=[^\W\d_])'(?=[^\W\d_])", "smarty-apostrophe", 32),  # it's, L'homme
    (r"(?<!\w)'(?=\d{2}s)", "smarty-decade", 31),  # the '90s
)
"""Matched before smarty's quote patterns (priorities 30 to 16), after its dashes."""


class Smarty(SmartyExtension):
    """``markdown.extensions.smarty`` with the lighter pass and true apostrophes;
    same options."""

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)  # patterns, escaped quotes, its own pass...
        if self.getConfig("smart_quotes"):
            for pattern, name, priority in APOSTROPHES:
                self.inlinePatterns.register(
                    SubstituteTextPattern(pattern, (APOSTROPHE,), md), name, priority
                )
        patterns = list(self.inlinePatterns)  # in smarty's order (by priority)
        assert all(not p.ANCESTOR_EXCLUDES for p in patterns)
        md.treeprocessors.register(_Substitutions(md, patterns), "smarty", 6)  # ...replaced


class _Substitutions(Treeprocessor):
    def __init__(self, md: Markdown, patterns: list[Any]) -> None:
        super().__init__(md)
        self.patterns = [(pattern, pattern.getCompiledRegExp()) for pattern in patterns]

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element is root:
                continue  # as the inline processor: the children's text and tails
            if element.text and not isinstance(element.text, AtomicString):
                element.text = self._educate(element.text)
            if element.tail and not isinstance(element.tail, AtomicString):
                element.tail = self._educate(element.tail)

    def _educate(self, data: str) -> str:
        if not NEEDED.search(data):
            return data
        found: dict[str, str] = {}
        for pattern, regex in self.patterns:
            start = 0
            while (match := regex.search(data, start)) is not None:
                text, begin, end = pattern.handleMatch(match, data)
                key = f"{STX}klzzwxh:{len(found):04d}{ETX}"
                found[key] = text
                data = data[:begin] + key + data[end:]
                start = begin + len(key)
        return PLACEHOLDER.sub(lambda m: found.get(m[0], m[0]), data) if found else data
