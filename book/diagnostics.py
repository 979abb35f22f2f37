"""The ``book`` logger and the collection of diagnostics.

Warnings are logged as ``path:line: warning: message [code]`` and counted, so
that ``--strict`` can turn them into a failure. WeasyPrint's own warnings
(ignored CSS, unloadable images) are counted as ours.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from book.model import Diagnostic, Location

logger = logging.getLogger("book")


def error(location: Location, message: str, code: str) -> Diagnostic:
    """An error: blocks the build."""
    return Diagnostic(location, "error", message, code)


def warning(location: Location, message: str, code: str) -> Diagnostic:
    """A warning: fatal only with ``--strict``."""
    return Diagnostic(location, "warning", message, code)


def errors_in(diagnostics: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Only the errors."""
    return tuple(d for d in diagnostics if d.severity == "error")


def report(diagnostics: Iterable[Diagnostic]) -> None:
    """Log the warnings (errors are raised, not logged), each one once."""
    for diagnostic in dict.fromkeys(diagnostics):
        if diagnostic.severity == "warning":
            logger.warning("%s", diagnostic)


def line_of(text: str, needle: str, start: int = 1) -> int | None:
    """The first line (1-based, from ``start``) of ``text`` containing ``needle``.

    Python-Markdown keeps no source positions, so a diagnostic finds its line
    by looking up the offending reference in the source text.
    """
    for number, line in enumerate(text.splitlines()[start - 1 :], start):
        if needle in line:
            return number
    return None


def locate(path: Path, text: str, needle: str) -> Location:
    """The location of ``needle`` in a source file (line omitted if not found)."""
    return Location(path, line_of(text, needle))


class WarningCounter(logging.Handler):
    """Counts WARNING records of the loggers it is attached to."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.messages.append(record.getMessage())


@contextmanager
def counting_warnings(*names: str) -> Iterator[WarningCounter]:
    """Count the warnings logged to ``book`` and the given loggers meanwhile."""
    counter = WarningCounter()
    loggers = [logging.getLogger(name) for name in ("book", *names)]
    for each in loggers:
        each.addHandler(counter)
    try:
        yield counter
    finally:
        for each in loggers:
            each.removeHandler(counter)
