"""An in-process memo of parsed chapters, for rebuilding after an edit.

``book serve`` rebuilds the book each time a file changes. A chapter whose
bytes did not change parses to the same ParsedChapter, so the memo returns the
one it has; only edited chapters go through Python-Markdown again. Entries are
keyed by the chapter's source record (path, kind, matter), the book language
and the sha256 of the file's bytes; one entry is kept per chapter.

``book.source.cache`` does the same for ``book build`` across runs, on disk and
in worker processes. The preview uses the memo instead: it lives as long as the
server, needs no JSON round trip, and its lock keeps the HTML and the PDF
rebuild threads from parsing at the same time.
"""

from __future__ import annotations

import hashlib
import threading

from book.model import ChangeMode, ChapterSource, ParsedChapter
from book.source.parse import parse_chapter


class ParseMemo:
    """Parsed chapters by content; safe to share between threads.

    Parsing is serialised by the memo's lock, which also keeps two threads off
    the shared Python-Markdown processor of ``book.source.parse``.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[ChapterSource, str, ChangeMode], tuple[str, ParsedChapter]] = {}
        self._lock = threading.Lock()

    def parse(
        self, source: ChapterSource, language: str, changes: ChangeMode = ChangeMode.FLAG
    ) -> ParsedChapter:
        """The chapter parsed, from the memo when its bytes are unchanged."""
        with self._lock:
            digest = _digest(source)
            entry = self._entries.get((source, language, changes))
            if digest is not None and entry and entry[0] == digest:
                return entry[1]
            parsed = parse_chapter(source, language, changes)
            # Remember it only if the file did not change while it was parsed.
            if digest is not None and _digest(source) == digest:
                self._entries[(source, language, changes)] = (digest, parsed)
            return parsed


def _digest(source: ChapterSource) -> str | None:
    try:
        return hashlib.sha256(source.path.read_bytes()).hexdigest()
    except OSError:
        return None  # parse_chapter reports why it cannot be read
