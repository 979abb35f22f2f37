"""CriticMarkup in chapter sources: find it, resolve it, or show it.

An editor marks up the Markdown itself: ``{++added++}``, ``{--deleted--}``,
``{~~old~>new~~}``, ``{==highlighted==}{>>comment<<}`` and ``{>>comment<<}``.
This module finds every mark with its line (``book changes`` and the
``[criticmarkup]`` warnings) and rewrites the source with every change
accepted or rejected (``--accept-changes`` / ``--reject-changes``, before
Markdown is parsed). ``book.source.critic_markdown`` renders the marks;
``book.proof.changes`` lists them for ``book changes``.

pymdown-extensions has a ``critic`` extension with the same three modes; it is
not used because it rewrites the whole text, fenced code and code spans
included, and reports no positions. Here the source is scanned once with code
masked out, so the lines are exact and ``{++`` inside code stays code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """What an editor's mark asks for."""

    INSERTION = "insertion"
    DELETION = "deletion"
    SUBSTITUTION = "substitution"
    HIGHLIGHT = "highlight"
    COMMENT = "comment"


@dataclass(frozen=True, slots=True)
class Change:
    """One CriticMarkup mark in a chapter source."""

    kind: Kind
    old: str
    """Text the change removes (deletion, substitution) or highlights."""
    new: str
    """Text the change adds (insertion, substitution)."""
    comment: str
    """The comment, standing alone or after a highlight."""
    path: Path
    """The chapter, as shown in diagnostics."""
    line: int
    """1-based line where the mark opens."""
    start: int
    """Offset of the opening ``{`` in the source."""
    end: int
    """Offset just after the closing ``}`` (of the comment, for a highlight with one)."""


OPENERS = {"++": "++}", "--": "--}", "~~": "~~}", "==": "==}", ">>": "<<}"}
"""The two characters after ``{`` and what closes the mark."""
SEPARATOR = "~>"
"""Between the old and the new text of a substitution."""
FENCE = re.compile(r"^ {0,3}(?:>[ \t]?)*(`{3,}|~{3,})(.*)$")
BACKTICKS = re.compile(r"(?<!\\)`+")
BLANK_LINES = re.compile(r"(\r?\n[ \t]*\r?\n\s*)")
"""A paragraph break, with the blank lines and indentation after it."""


OPENING = re.compile(r"\{(?:\+\+|--|~~|==|>>)")
"""The start of a mark. Masking code only blanks characters out, so a text
without one has none outside code either (most chapters: no scan needed)."""


def scan(text: str, path: Path = Path("-")) -> tuple[Change, ...]:
    """Every mark in ``text``, in order, outside fenced code and code spans."""
    if not OPENING.search(text):
        return ()
    masked = mask_code(text)
    return tuple(_records(text, masked, path))


def _records(text: str, masked: str, path: Path) -> Iterator[Change]:
    marks = list(_marks(masked))
    index, line, counted = 0, 1, 0
    while index < len(marks):
        opener, start, end, middle = marks[index]
        line, counted = line + text.count("\n", counted, start), start
        body = text[start + 3 : end - 3]
        if opener == "++":
            yield Change(Kind.INSERTION, "", body, "", path, line, start, end)
        elif opener == "--":
            yield Change(Kind.DELETION, body, "", "", path, line, start, end)
        elif opener == "~~":
            old, new = text[start + 3 : middle], text[middle + 2 : end - 3]
            yield Change(Kind.SUBSTITUTION, old, new, "", path, line, start, end)
        elif opener == ">>":
            yield Change(Kind.COMMENT, "", "", body, path, line, start, end)
        else:
            after = marks[index + 1] if index + 1 < len(marks) else None
            if after and after[0] == ">>" and after[1] == end:  # {==...==}{>>...<<}
                note = text[after[1] + 3 : after[2] - 3]
                yield Change(Kind.HIGHLIGHT, body, "", note, path, line, start, after[2])
                index += 1
            else:
                yield Change(Kind.HIGHLIGHT, body, "", "", path, line, start, end)
        index += 1


def _marks(masked: str) -> Iterator[tuple[str, int, int, int]]:
    """(opener, start, end, separator offset) of each mark; linear time.

    A closer that is missing after one opener is missing after every later
    opener of its kind, so each kind is searched for in vain at most once.
    """
    hopeless: set[str] = set()
    position = 0
    while (start := masked.find("{", position)) != -1:
        opener = masked[start + 1 : start + 3]
        position = start + 1
        if opener not in OPENERS or opener in hopeless:
            continue
        middle = masked.find(SEPARATOR, start + 3) if opener == "~~" else start + 3
        close = masked.find(OPENERS[opener], middle + 2 if opener == "~~" else middle)
        if middle == -1 or close == -1:
            hopeless.add(opener)
            continue
        end = close + 3
        yield opener, start, end, middle
        position = end


def mask_code(text: str) -> str:
    """``text`` with fenced code blocks and code spans blanked out (same offsets)."""
    out: list[str] = []
    fence: str | None = None
    prose: list[str] = []
    for line in text.splitlines(keepends=True):
        match = FENCE.match(line.rstrip("\r\n"))
        if fence is None and match and "`" not in match[2]:
            out.append(_mask_spans("".join(prose)))
            prose = []
            fence = match[1]
            out.append(_blank(line))
        elif fence is not None:
            if (
                match
                and match[1][0] == fence[0]
                and len(match[1]) >= len(fence)
                and not match[2].strip()
            ):
                fence = None
            out.append(_blank(line))
        else:
            prose.append(line)
    out.append(_mask_spans("".join(prose)))
    return "".join(out)


def _mask_spans(text: str) -> str:
    """Blank out code spans: a run of backticks up to the next run of the same length."""
    chars = list(text)
    runs = list(BACKTICKS.finditer(text))
    unmatched: set[int] = set()  # a length with no closing run has none later either
    index = 0
    while index < len(runs):
        opening = runs[index]
        size = len(opening[0])
        closing = None
        if size not in unmatched:
            later = range(index + 1, len(runs))
            closing = next((j for j in later if len(runs[j][0]) == size), None)
        if closing is None:
            unmatched.add(size)
            index += 1
            continue
        for i in range(opening.start(), runs[closing].end()):
            if chars[i] != "\n":
                chars[i] = " "
        index = closing + 1
    return "".join(chars)


def _blank(line: str) -> str:
    return re.sub(r"[^\n]", " ", line)


# --- accept and reject -------------------------------------------------------------


def resolve(text: str, accept: bool) -> str:
    """The source with every change accepted (or rejected) and every comment removed.

    A mark that filled a line by itself and leaves nothing takes its line with
    it, so that a removed comment does not split a paragraph in two.
    """
    parts: list[str] = []
    position = 0
    for change in scan(text):
        replacement = _resolved(change, accept)
        start, end = change.start, change.end
        if not replacement:
            start, end = _whole_line(text, start, end)
            if text[start - 1 : start] == " " and text[end : end + 1] in (
                "",
                " ",
                "\n",
                *".,;:!?)",
            ):
                start -= 1  # "a {--b--} c" -> "a c", not "a  c"
        parts += [text[position:start], replacement]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _resolved(change: Change, accept: bool) -> str:
    if change.kind is Kind.HIGHLIGHT:
        return change.old
    if change.kind is Kind.COMMENT:
        return ""
    return change.new if accept else change.old


def _whole_line(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``start..end`` to its whole line(s) when nothing else is on them."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if text[line_start:start].strip() or text[end:line_end].strip():
        return start, end
    return line_start, min(line_end + 1, len(text))


# --- showing the marks -------------------------------------------------------------


def split_paragraphs(text: str) -> str:
    """Cut marks that span paragraphs into one mark per paragraph.

    Python-Markdown renders paragraph by paragraph; an insertion of two
    paragraphs becomes two insertions. A substitution across paragraphs becomes
    deletions and insertions. Line numbers do not move.
    """
    parts: list[str] = []
    position = 0
    for change in scan(text):
        source = text[change.start : change.end]
        if not BLANK_LINES.search(source):
            continue
        parts += [text[position : change.start], _per_paragraph(change)]
        position = change.end
    parts.append(text[position:])
    return "".join(parts)


def _per_paragraph(change: Change) -> str:
    pieces = [
        ("--", change.old if change.kind is not Kind.HIGHLIGHT else ""),
        ("==", change.old if change.kind is Kind.HIGHLIGHT else ""),
        ("++", change.new),
        (">>", change.comment),
    ]
    closers = {"--": "--}", "==": "==}", "++": "++}", ">>": "<<}"}
    out = []
    for opener, body in pieces:
        for chunk in BLANK_LINES.split(body):
            if BLANK_LINES.fullmatch(chunk):
                out.append(chunk)
            elif chunk.strip():
                out.append(f"{{{opener}{chunk}{closers[opener]}")
    return "".join(out)


def describe(change: Change, width: int = 60) -> str:
    """``insertion: "the text"``: one line for ``book changes`` and warnings."""
    if change.kind is Kind.SUBSTITUTION:
        what = f"{_quoted(change.old, width)} -> {_quoted(change.new, width)}"
    elif change.kind is Kind.INSERTION:
        what = _quoted(change.new, width)
    elif change.kind is Kind.COMMENT:
        what = _quoted(change.comment, width)
    else:
        what = _quoted(change.old, width)
        if change.comment:
            what += f" with comment {_quoted(change.comment, width)}"
    return f"{change.kind.value}: {what}"


def _quoted(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return '"' + (flat if len(flat) <= width else flat[: width - 1] + "…") + '"'
