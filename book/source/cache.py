"""Every chapter parsed: from ``build/.cache/parsed`` when its bytes are
unchanged, else by Python-Markdown, in worker processes when there are many.

An entry is JSON (never pickle: a cache file must not be able to run code)
keyed by octavo's fingerprint, the book language, the chapter's place in the
book and the sha256 of its bytes. An entry that cannot be read back is parsed
again; ``--no-cache`` skips the cache altogether.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from book.fingerprint import fingerprint
from book.model import (
    ChangeMode,
    ChapterSource,
    Diagnostic,
    Footnote,
    ImageRef,
    Location,
    ParsedChapter,
)
from book.output import atomic_file
from book.source.parse import parse_chapter
from book.workers import deaf_to_ctrl_c, pool

PARALLEL_FROM = 4
"""Fewer chapters than this to parse are parsed here: a worker costs a fork."""


def parse_all(
    sources: Sequence[ChapterSource],
    language: str,
    cache: Path | None = None,
    jobs: int = 1,
    changes: ChangeMode = ChangeMode.FLAG,
) -> tuple[ParsedChapter, ...]:
    """The chapters parsed, in order (CriticMarkup treated as ``changes``
    says); new entries are written to ``cache`` at once."""
    chapters = ChapterCache(cache)
    parsed = chapters.parse_all(sources, language, jobs, changes)
    chapters.commit()
    return parsed


class ChapterCache:
    """Parsed chapters in a directory (or none); what was parsed anew is
    written by ``commit``, which a build calls only once it has no errors:
    a failed build leaves nothing behind."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.pending: list[tuple[str, ParsedChapter]] = []

    def parse_all(
        self,
        sources: Sequence[ChapterSource],
        language: str,
        jobs: int = 1,
        changes: ChangeMode = ChangeMode.FLAG,
        workers: Executor | None = None,
        queued: Queued | None = None,
    ) -> tuple[ParsedChapter, ...]:
        """The chapters parsed, in order, ``jobs`` processes parsing those not
        cached (``workers`` if given). ``queued`` is called once the parsing
        is handed out, to queue more work behind it."""
        keys = [_key(s, language, changes) if self.directory else None for s in sources]
        found: dict[int, ParsedChapter] = {}
        for index, key in enumerate(keys):
            entry = _load(self.directory, key, sources[index]) if self.directory and key else None
            if entry is not None:
                found[index] = entry
        missing = [i for i in range(len(sources)) if i not in found]
        parsed = _parse(
            [sources[i] for i in missing],
            language,
            jobs if len(missing) >= PARALLEL_FROM else 1,
            changes,
            workers,
            queued or _nothing,
        )
        for index, chapter in zip(missing, parsed, strict=True):
            found[index] = chapter
            key = keys[index]
            if key:
                self.pending.append((key, chapter))
        return tuple(found[i] for i in range(len(sources)))

    def commit(self) -> None:
        """Write the chapters parsed anew."""
        if self.directory is not None:
            for key, chapter in self.pending:
                _save(self.directory, key, chapter)
        self.pending = []


def _parse(
    sources: list[ChapterSource],
    language: str,
    jobs: int,
    changes: ChangeMode,
    workers: Executor | None,
    queued: Queued,
) -> list[ParsedChapter]:
    count = len(sources)
    if jobs <= 1:
        queued(language)
        return [parse_chapter(source, language, changes) for source in sources]
    if workers is not None:
        results = workers.map(parse_chapter, sources, [language] * count, [changes] * count)
        queued(language)
        return list(results)
    queued(language)
    with pool(min(jobs, count)) as own:
        with deaf_to_ctrl_c():  # forked now, born ignoring it
            results = own.map(parse_chapter, sources, [language] * count, [changes] * count)
        return list(results)


Queued = Callable[[str], None]
"""Told the book's language once the chapters' parsing is handed out."""


def _nothing(language: str) -> None:
    pass


def _key(source: ChapterSource, language: str, changes: ChangeMode) -> str | None:
    try:
        data = source.path.read_bytes()
    except OSError:
        return None  # parse_chapter reports why
    digest = hashlib.sha256(fingerprint().encode())
    for part in (
        language,
        changes.value,
        str(source.display),
        source.kind.value,
        source.matter.value,
    ):
        digest.update(part.encode() + b"\0")
    digest.update(data)
    return digest.hexdigest()[:40]


def _save(cache: Path, key: str, chapter: ParsedChapter) -> None:
    entry = {
        "title": chapter.title,
        "body": chapter.body,
        "text": chapter.text,
        "footnotes": [
            [n.label, n.body, _location(n.location), n.id, n.number] for n in chapter.footnotes
        ],
        "images": [[i.src, _location(i.location)] for i in chapter.images],
        "diagnostics": [
            [_location(d.location), d.severity, d.message, d.code] for d in chapter.diagnostics
        ],
    }
    try:
        with atomic_file(cache / f"{key}.json") as temporary:
            temporary.write_text(json.dumps(entry), encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only costs time


def _load(cache: Path, key: str, source: ChapterSource) -> ParsedChapter | None:
    try:
        entry: Any = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))
        return ParsedChapter(
            source,
            str(entry["title"]),
            str(entry["body"]),
            tuple(
                Footnote(str(label), str(body), _place(where), str(id_), int(number))
                for label, body, where, id_, number in entry["footnotes"]
            ),
            tuple(ImageRef(str(src), _place(where)) for src, where in entry["images"]),
            tuple(
                Diagnostic(_place(where), str(severity), str(message), str(code))
                for where, severity, message, code in entry["diagnostics"]
            ),
            str(entry["text"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _location(location: Location) -> list[object]:
    return [str(location.path), location.line]


def _place(value: Any) -> Location:
    path, line = value
    return Location(Path(str(path)), None if line is None else int(line))
