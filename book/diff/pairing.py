"""Comparing two editions page by page: pairing, classification, summary.

Pure functions over frozen records; reading PDFs (``pdfread``), comparing
pixels (``pixeldiff``) and writing the report (``diffreport``) live elsewhere.

Pages are paired by their text, not by their position, so that a page
inserted in chapter 2 shows as one added page and every later page still
meets its counterpart. The two page sequences are aligned with difflib's
``SequenceMatcher`` over whole page texts (equal pages anchor the
alignment); a run of pages that differ on both sides is then paired page by
page by word similarity, in order, leaving pages with no similar partner as
added or removed.

The page number printed on a page (its folio) is not part of its text here:
when a page is inserted, every later page is renumbered, and those pages are
reported as *moved*, not as changed. A page is *changed* when its words
differ, or when its pixels differ outside the folio (a new figure, a changed
style). Running heads are words like any other: a page that moves from a
left-hand to a right-hand place (an odd number of pages inserted before it,
in a book that does not start chapters on right-hand pages) changes its head
and its mirrored margins, and shows as changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

Box = tuple[float, float, float, float]
"""(left, top, right, bottom) in points, from the top-left corner of the page."""

SIMILAR = 0.3
"""Two pages with different text are paired when their word similarity (0-1) reaches this."""
BAND = 12
"""In a run of differing pages, a page is compared with the pages of the other edition
at most this far from its proportional place."""


@dataclass(frozen=True, slots=True)
class Word:
    """A word as printed on a page."""

    text: str
    """As printed; a word hyphenated at a line's end is whole, without the hyphen."""
    boxes: tuple[Box, ...]
    """Where it is printed: one box, or one per line for a hyphenated word."""


@dataclass(frozen=True, slots=True)
class Chapter:
    """A top-level bookmark of the PDF: where a chapter (or the contents, ...) begins."""

    title: str
    """The bookmark's text: "Two Hills above Lake Khasan"."""
    label: str = ""
    """The line printed above the title on its first page ("Chapter 2"), if any."""
    first_page: int = 1
    """1-based page number in the PDF."""

    @property
    def name(self) -> str:
        """How the summary names it: its label, or else its title."""
        return self.label or self.title


@dataclass(frozen=True, slots=True)
class Page:
    """One page of an edition, as the comparison sees it."""

    number: int
    """1-based position in the PDF."""
    words: tuple[Word, ...]
    """The page's words in reading order, without its folio."""
    folio: str = ""
    """The page number printed on it ("9", "iv"), or "" if none was found."""
    folio_box: Box | None = None
    chapter: Chapter | None = None
    """The chapter it belongs to (by the PDF's bookmarks)."""
    size: tuple[float, float] = (0.0, 0.0)
    """Width and height in points."""

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def shown(self) -> str:
        """How the report names it: page 12, or page 12 (p. 9) when it has a folio."""
        return f"page {self.number}" + (f" (p. {self.folio})" if self.folio else "")


class Change(StrEnum):
    """What happened to a page between the two editions."""

    SAME = "same"
    MOVED = "moved"
    """Same text and look; only its folio differs (pages were inserted or removed before it)."""
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"


SHOWN = (Change.CHANGED, Change.ADDED, Change.REMOVED)
"""The changes a report shows and the summary counts."""


@dataclass(frozen=True, slots=True)
class Pair:
    """A page of the old edition and its counterpart in the new; one side may be missing."""

    old: Page | None
    new: Page | None


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a word-level diff: kept, deleted or inserted words."""

    kind: str
    """"equal", "delete" or "insert"."""
    text: str


@dataclass(frozen=True, slots=True)
class PageDiff:
    """A pair of pages with its verdict and what to highlight."""

    old: Page | None
    new: Page | None
    change: Change
    old_marks: tuple[Box, ...] = ()
    """Regions of the old page that differ (deleted words, changed pixels)."""
    new_marks: tuple[Box, ...] = ()
    """Regions of the new page that differ (inserted words, changed pixels)."""
    segments: tuple[Segment, ...] = ()
    """The word-level diff around the changes, for reading."""

    @property
    def chapter(self) -> Chapter | None:
        page = self.new or self.old
        return page.chapter if page else None


# --- pairing ---------------------------------------------------------------------------


def align(old: Sequence[Page], new: Sequence[Page]) -> tuple[Pair, ...]:
    """Pair the pages of two editions by their text, keeping both orders."""
    matcher = difflib.SequenceMatcher(
        None, [p.text for p in old], [p.text for p in new], autojunk=False
    )
    pairs: list[Pair] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(Pair(a, b) for a, b in zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            pairs.extend(_pair_similar(old[i1:i2], new[j1:j2]))
    return tuple(pairs)


def _pair_similar(old: Sequence[Page], new: Sequence[Page]) -> list[Pair]:
    """Pair two runs of differing pages in order, maximising the total similarity.

    A dynamic programme like the one for the longest common subsequence, where
    a pair of pages scores its similarity and only similar pages may pair.
    Only pages near the diagonal of the run are compared (``BAND``), so that a
    book reflowed from end to end costs pages times ``BAND``, not pages squared.
    """
    n, m = len(old), len(new)
    similarity = [
        [_similarity(a, b) if abs(i * m / n - j) <= BAND else 0.0 for j, b in enumerate(new)]
        for i, a in enumerate(old)
    ]
    best = _best_totals(similarity, n, m)
    pairs: list[Pair] = []
    i = j = 0
    while i < n and j < m:
        if similarity[i][j] and best[i][j] == similarity[i][j] + best[i + 1][j + 1]:
            pairs.append(Pair(old[i], new[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append(Pair(old[i], None))
            i += 1
        else:
            pairs.append(Pair(None, new[j]))
            j += 1
    pairs.extend(Pair(page, None) for page in old[i:])
    pairs.extend(Pair(None, page) for page in new[j:])
    return pairs


def _best_totals(similarity: list[list[float]], n: int, m: int) -> list[list[float]]:
    """``best[i][j]``: the highest total similarity of pairs drawn from old[i:] and new[j:]."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            paired = similarity[i][j] + best[i + 1][j + 1] if similarity[i][j] else 0.0
            best[i][j] = max(paired, best[i + 1][j], best[i][j + 1])
    return best


def _similarity(old: Page, new: Page) -> float:
    """Word similarity of two pages (0-1); 0 below ``SIMILAR``."""
    a, b = [w.text for w in old.words], [w.text for w in new.words]
    if not a and not b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= SIMILAR else 0.0


# --- verdicts --------------------------------------------------------------------------


def judge(pair: Pair, pixel_marks: tuple[Box, ...] = ()) -> PageDiff:
    """The verdict on a pair, given the regions where its pixels differ (outside the folio)."""
    old, new = pair.old, pair.new
    if old is None:
        assert new is not None
        return PageDiff(None, new, Change.ADDED)
    if new is None:
        return PageDiff(old, None, Change.REMOVED)
    if old.text != new.text:
        old_marks, new_marks, segments = compare_words(old.words, new.words)
        return PageDiff(old, new, Change.CHANGED, old_marks, new_marks, segments)
    if pixel_marks:
        return PageDiff(old, new, Change.CHANGED, pixel_marks, pixel_marks)
    return PageDiff(old, new, Change.MOVED if old.folio != new.folio else Change.SAME)


def compare_words(
    old: Sequence[Word], new: Sequence[Word], context: int = 6
) -> tuple[tuple[Box, ...], tuple[Box, ...], tuple[Segment, ...]]:
    """Boxes of the deleted and inserted words, and the diff with ``context`` words around."""
    matcher = difflib.SequenceMatcher(
        None, [w.text for w in old], [w.text for w in new], autojunk=False
    )
    old_marks: list[Box] = []
    new_marks: list[Box] = []
    segments: list[Segment] = []
    opcodes = _coalesced(matcher.get_opcodes())
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            segments.extend(_context(old[i1:i2], index, len(opcodes), context))
            continue
        old_marks.extend(merged(box for w in old[i1:i2] for box in w.boxes))
        new_marks.extend(merged(box for w in new[j1:j2] for box in w.boxes))
        if i2 > i1:
            segments.append(Segment("delete", _joined(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", _joined(new[j1:j2])))
    return tuple(old_marks), tuple(new_marks), tuple(segments)


Opcode = tuple[str, int, int, int, int]


def _coalesced(opcodes: Sequence[Opcode], short: int = 2) -> list[Opcode]:
    """Opcodes with a short run of equal words between two changes taken into the change.

    Two rewritten sentences share words like "a" and "of" by chance; marking
    them as kept would cut one change into many small ones.
    """
    result: list[Opcode] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        interior = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (interior and i2 - i1 <= short):
            result.append((tag, i1, i2, j1, j2))
        elif result and result[-1][0] != "equal":
            result[-1] = ("replace", result[-1][1], i2, result[-1][3], j2)
        else:
            result.append(("replace", i1, i2, j1, j2))
    return result


def merged(boxes: Iterable[Box], gap: float = 8.0) -> list[Box]:
    """Boxes of neighbouring words on one line joined, so a changed phrase is one mark."""
    result: list[Box] = []
    for box in boxes:
        if result and _same_line(result[-1], box) and 0 <= box[0] - result[-1][2] <= gap:
            last = result[-1]
            result[-1] = (last[0], min(last[1], box[1]), box[2], max(last[3], box[3]))
        else:
            result.append(box)
    return result


def _same_line(a: Box, b: Box) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _context(words: Sequence[Word], index: int, count: int, context: int) -> list[Segment]:
    """Equal words between changes, cut to ``context`` words on each side."""
    if len(words) <= 2 * context:
        return [Segment("equal", _joined(words))]
    head = [] if index == 0 else [Segment("equal", _joined(words[:context]))]
    tail = [] if index == count - 1 else [Segment("equal", _joined(words[-context:]))]
    return [*head, Segment("gap", "…"), *tail]


def _joined(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in words)


# --- summary ---------------------------------------------------------------------------

_PLURALS = {"chapter": "chapters", "appendix": "appendices", "part": "parts"}
_LABEL = re.compile(r"^(?P<word>\S+)\s+(?P<token>\S+)$")


def summary(diffs: Sequence[PageDiff], pages: int) -> str:
    """One line for the terminal: ``3 of 44 pages changed; chapters 2, 3``."""
    shown = [d for d in diffs if d.change in SHOWN]
    if not shown:
        return f"no differences: {pages} page{'s' if pages != 1 else ''} alike"
    changed = sum(d.change is not Change.REMOVED for d in shown)
    removed = len(shown) - changed
    line = f"{changed} of {pages} page{'s' if pages != 1 else ''} changed"
    if removed:
        line += f", {removed} removed"
    moved = sum(d.change is Change.MOVED for d in diffs)
    if moved:
        line += f" ({moved} more only renumbered)"
    where = chapter_list(d.chapter for d in shown)
    return f"{line}; {where}" if where else line


def chapter_list(chapters: Iterable[Chapter | None]) -> str:
    """The chapters for the summary, labels sharing a word grouped: chapters 2, 3; appendix A."""
    seen = list(dict.fromkeys(c for c in chapters if c is not None))
    groups: dict[str, list[str]] = {}
    for chapter in seen:
        match = _LABEL.match(chapter.label)
        if match:
            groups.setdefault(match["word"], []).append(match["token"])
        else:
            groups.setdefault(chapter.name, [])
    parts = []
    for word, tokens in groups.items():
        if not tokens:
            parts.append(word)
            continue
        lower = word.lower()
        noun = _PLURALS.get(lower, lower) if len(tokens) > 1 else lower
        parts.append(f"{noun} {', '.join(tokens)}")
    return "; ".join(parts)


def ranges(numbers: Iterable[int]) -> str:
    """Runs of numbers shortened: 3, 4, 5, 9 gives 3-5, 9 (with an en dash)."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(f"{a}\u2013{b}" if b > a else str(a) for a, b in spans)
