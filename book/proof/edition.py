"""The proof edition (``book build --proof``): what an editor needs on the page.

A build stamp (when, and from which sources), a diagonal watermark on every
PDF page, and paragraph anchors ``§2.14`` (ids ``p-2-14``) that an editor can
cite in a note. The CriticMarkup itself is ``book.source.critic``'s.
"""

from __future__ import annotations

import hashlib
import subprocess
from html import escape
from pathlib import Path

from lxml import etree

from book.model import Asset, BookConfig, Chapter, Format, ProofMarks

GIT_TIMEOUT = 5.0
"""Seconds ``git describe`` may take before the stamp falls back to a hash."""


def proof_marks(config: BookConfig) -> ProofMarks:
    """The watermark from ``[proof]`` and the stamp of this build:
    ``Proof 2026-11-25 14:53 UTC · git v1.2-3-gabc1234-dirty``.

    The date is the build time (``SOURCE_DATE_EPOCH`` when set); the version is
    ``git describe --always --dirty`` of the project when it is in a git
    repository, else the first 12 hex digits of a SHA-256 over the sources.
    """
    when = (
        " ".join(("Proof", config.built.replace("T", " ")[:16], "UTC")) if config.built else "Proof"
    )
    described = git_describe(config.root)
    version = f"git {described}" if described else f"sources {source_hash(config)}"
    return ProofMarks(config.proof.watermark, when, version)


def git_describe(root: Path) -> str | None:
    """``git describe --always --dirty`` in ``root``; None outside git (or without it)."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    described = done.stdout.strip()
    return described if done.returncode == 0 and described else None


def source_hash(config: BookConfig) -> str:
    """A short SHA-256 of book.toml, the chapters and the stylesheets, in order."""
    digest = hashlib.sha256()
    for path in (config.root / "book.toml", *(c.path for c in config.chapters), *config.styles):
        digest.update(str(path.relative_to(config.root)).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable")
        digest.update(b"\0")
    return digest.hexdigest()[:12]


ANCHORED = ("p",)
"""What gets an anchor: every paragraph (in lists and quotes too)."""


def chapter_numbers(chapters: tuple[Chapter, ...]) -> dict[str, str]:
    """What a citation calls each chapter (by slug): its label ("2", "A"), or
    for unnumbered chapters (front matter) i, ii, iii... in reading order."""
    numbers, unnumbered = {}, 0
    for chapter in chapters:
        if chapter.label is None:
            unnumbered += 1
        numbers[chapter.slug] = chapter.label or _roman(unnumbered)
    return numbers


def _roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out += letters * count
    return out


ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def anchor_paragraphs(section: etree._Element, number: str) -> None:
    """Give each paragraph of a chapter an id ``p-2-14`` and ``data-cite="2.14"``:
    the chapter's number for citations, then the paragraph's in the chapter."""
    count = 0
    for paragraph in section.iter(*ANCHORED):
        if "chapter-label" in (paragraph.get("class") or "").split():
            continue
        count += 1
        paragraph.set("data-cite", f"{number}.{count}")
        if not paragraph.get("id"):
            paragraph.set("id", f"p-{number}-{count}")


WATERMARK_HREF = "proof/watermark.svg"


def watermark_asset(marks: ProofMarks) -> Asset | None:
    """The watermark as an SVG image for the page background: a page rule
    reaches every page, also when chapters are laid out apart and merged."""
    if not marks.watermark:
        return None
    text = escape(marks.watermark)
    size = min(150, round(1300 / max(len(marks.watermark), 1)))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600">'
        f'<text x="300" y="300" transform="rotate(-55 300 300)" text-anchor="middle" '
        f'dominant-baseline="middle" font-family="Libertine, serif" font-size="{size}" '
        f'letter-spacing="{size // 20}" fill="#828282" fill-opacity="0.28">{text}</text></svg>'
    )
    return Asset(Path(WATERMARK_HREF), WATERMARK_HREF, "image/svg+xml", svg.encode("utf-8"))


def proof_css(marks: ProofMarks, fmt: Format) -> str:
    """The print edition's stamp in the outer corner of each page's foot (the
    folio of a chapter's first page stays in the middle) and its watermark."""
    if fmt is not Format.PDF:
        return ""
    stamp = f"{css_string(marks.when)} '\\A' {css_string(marks.version)}"
    background = (
        f'@page {{ background: url("{WATERMARK_HREF}") no-repeat center / 90% auto; }}\n'
        if marks.watermark
        else ""
    )
    return f"""/* Proof edition (book build --proof). */
{background}@page :left {{ @bottom-left {{ content: {stamp}; text-align: left; }} }}
@page :right {{ @bottom-right {{ content: {stamp}; text-align: right; }} }}
"""


def css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\' or ord(c) < 0x20 else c for c in text)
    return f'"{escaped}"'
