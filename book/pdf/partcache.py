"""Laid-out parts of the PDF, kept between builds in ``build/.cache/pdf-parts``.

An entry is the part's PDF (``KEY.pdf``, its fonts subset) and what its layout
found (``KEY.json``: pages, anchors, page starts, warnings, the PDF's sha256
and the whole font files it used, kept once each in ``fonts/``).
The key hashes everything the layout depends on: the tool's version, the page
settings, every stylesheet and asset, the part's document and its own CSS.
An entry that is unreadable, or whose PDF does not match its hash, is not
used: the part is laid out again. ``last-*.json`` names the last layout of
a part as written (before page numbers were filled in) and of a chapter,
edited or not: their pages and anchors are the guess that spares a second
round of layout on the next build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from book.fingerprint import fingerprint
from book.model import PageStart, RenderedBook
from book.output import atomic_file


def parts_directory(output: Path) -> Path:
    """Where the builds writing into ``output`` keep their laid-out parts."""
    return output / ".cache" / "pdf-parts"


LIMIT_BYTES = 512 * 1024 * 1024
"""Beyond this, the least recently used entries are removed after a build."""


@dataclass(frozen=True, slots=True)
class PartLayout:
    """One part laid out: its PDF and what the layout found."""

    key: str
    pages: int
    """Pages kept, the blank verso before the next part included."""
    anchors: tuple[tuple[str, int], ...]
    """(id, page index in the part) of every anchor set."""
    starts: tuple[PageStart, ...]
    overflow: tuple[tuple[int, str, float, str], ...]
    misplaced: tuple[tuple[str, int | None, int | None], ...]
    """Notes still off their call's page: (id, call page, note page)."""
    messages: tuple[tuple[str, int, str], ...]
    """(logger, level, message) logged during the layout."""
    pdf: bytes
    """Empty for a draft."""
    fonts: tuple[tuple[str, str], ...] = ()
    """(PDF font name, sha256 of the whole font file kept in ``fonts/``)."""
    moved: int = 0
    """How far its folios were moved after pagination from those its
    stylesheet set (``book.pdf.ledger``); not kept in the cache, whose key
    names the folios the part really has."""


def environment_key(book: RenderedBook) -> str:
    """What every part's layout depends on besides its own document."""
    digest = hashlib.sha256(fingerprint().encode())
    digest.update(repr(book.options.page).encode())
    digest.update(repr(book.metadata).encode())
    for href, css in book.stylesheets:
        digest.update(href.encode() + b"\0" + css.encode() + b"\0")
    for asset in book.assets:  # an image's size changes the layout
        digest.update(asset.href.encode() + hashlib.sha256(asset.read()).digest())
    return digest.hexdigest()


def layout_key(environment: str, html: str, css: str) -> str:
    """The key of one part's layout."""
    digest = hashlib.sha256(environment.encode())
    digest.update(html.encode() + b"\0" + css.encode())
    return digest.hexdigest()[:40]


def _safe(name: str) -> str:
    """A file name for any part name."""
    return hashlib.sha256(name.encode()).hexdigest()[:24]


class PartCache:
    """Laid-out parts on disk; never trusted without a check."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.fonts = directory / "fonts"
        """Whole font files by sha256, for the merge to subset."""

    def load(self, key: str) -> PartLayout | None:
        """The layout with this key, or None if absent, unreadable or corrupt."""
        try:
            info = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            pdf = (self.directory / f"{key}.pdf").read_bytes()
            if info["sha256"] != hashlib.sha256(pdf).hexdigest() or info["key"] != key:
                return None
            result = PartLayout(
                key=key,
                pages=int(info["pages"]),
                anchors=tuple((str(a), int(p)) for a, p in info["anchors"]),
                starts=tuple(PageStart(**start) for start in info["starts"]),
                overflow=tuple(
                    (int(a), str(b), float(c), str(d)) for a, b, c, d in info["overflow"]
                ),
                misplaced=tuple((str(n), c, p) for n, c, p in info["misplaced"]),
                messages=tuple((str(n), int(v), str(m)) for n, v, m in info["messages"]),
                pdf=pdf,
                fonts=tuple((str(name), str(digest)) for name, digest in info["fonts"]),
            )
            if not all((self.fonts / f"{digest}.font").is_file() for _, digest in result.fonts):
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self._touch(key, result.fonts)
        return result

    def save(self, names: tuple[str, ...], result: PartLayout) -> None:
        """Keep a layout, and remember it as the last one of each name in
        ``names`` (the part's shape, and which part it is)."""
        try:
            with atomic_file(self.directory / f"{result.key}.pdf") as temporary:
                temporary.write_bytes(result.pdf)
            info = {
                "key": result.key,
                "sha256": hashlib.sha256(result.pdf).hexdigest(),
                "pages": result.pages,
                "anchors": result.anchors,
                "starts": [
                    {"folio": s.folio, "chapter": s.chapter, "block": s.block, "words": s.words}
                    for s in result.starts
                ],
                "overflow": result.overflow,
                "misplaced": result.misplaced,
                "messages": result.messages,
                "fonts": result.fonts,
            }
            with atomic_file(self.directory / f"{result.key}.json") as temporary:
                temporary.write_text(json.dumps(info), encoding="utf-8")
            for name in names:
                with atomic_file(self.directory / f"last-{_safe(name)}.json") as temporary:
                    temporary.write_text(json.dumps({"key": result.key}), encoding="utf-8")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def guess(self, names: tuple[str, ...]) -> PartLayout | None:
        """The last layout saved under the first of ``names`` that has one:
        its pages and anchors are the best guess for a part not laid out yet."""
        for name in names:
            try:
                path = self.directory / f"last-{_safe(name)}.json"
                info = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found = self.load(str(info.get("key"))) if isinstance(info, dict) else None
            if found is not None:
                return found
        return None

    def prune(self, limit: int = LIMIT_BYTES) -> None:
        """Remove the least recently used entries beyond ``limit`` bytes."""
        try:
            files = [
                (p.stat().st_mtime, p.stat().st_size, p)
                for p in self.directory.rglob("*")
                if p.is_file()
            ]
        except OSError:
            return
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= limit:
                break
            path.unlink(missing_ok=True)
            total -= size

    def _touch(self, key: str, fonts: tuple[tuple[str, str], ...] = ()) -> None:
        paths = [self.directory / f"{key}{suffix}" for suffix in (".json", ".pdf")]
        for path in [*paths, *(self.fonts / f"{digest}.font" for _, digest in fonts)]:
            with contextlib.suppress(OSError):
                os.utime(path)
