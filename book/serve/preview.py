"""The builds behind ``book serve``: the HTML site of each good build, and the newest PDF.

Every HTML build goes into a directory of its own, ``WORKDIR/site/N/html``
(N counts the builds), and the Board is told about it only once it is
complete; so the server never sees a half-written site, and a failed build
leaves the last good one in service. The build before the current one is
kept too, for pages still being fetched; older ones are deleted.

The PDF is built into ``WORKDIR/pdf/`` by ``book.pipeline``, which replaces
the file only when it is complete. Both builds share one ParseMemo, so an edit
parses only the edited chapter.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from book import pipeline
from book.diagnostics import logger
from book.errors import BookError
from book.model import Format
from book.serve.rebuild import Board
from book.source.memo import ParseMemo

PDF_THREAD = "octavo-pdf"
"""The name of the thread that builds the PDF (its repeated warnings are not printed)."""


class Preview:
    """Builds the project on request and publishes the outcome on the Board."""

    def __init__(
        self,
        project: Path,
        workdir: Path,
        board: Board,
        echo: Callable[[str], None],
        debug: bool = False,
    ) -> None:
        self.project = project
        self.workdir = workdir
        self.board = board
        self.echo = echo
        self.debug = debug
        self.memo = ParseMemo()
        self.after_site: Callable[[], None] = lambda: None
        """Called after each good HTML build (``--pdf``: ask for a PDF build)."""
        self.stopping = threading.Event()
        self._pdf: Path | None = None
        self.warnings = RepeatedWarnings()

    def site(self, generation: int) -> Path | None:
        """The directory of the site of the given build; None before the first good one."""
        return self._site_root(generation) / "html" if generation else None

    @property
    def pdf(self) -> Path | None:
        """The newest complete PDF, if one was built."""
        return self._pdf

    def build_site(self) -> None:
        """Build the HTML edition into a fresh directory and publish the outcome."""
        self.warnings.new_round()
        attempt = self.board.status.build + 1
        out = self._site_root(attempt)
        started = time.perf_counter()
        message = self._run(
            lambda: pipeline.build(self.project, (Format.HTML,), out, memo=self.memo)
        )
        if message is not None:
            shutil.rmtree(out, ignore_errors=True)
            self.board.update(lambda s: replace(s, build=attempt, error=message))
            self.echo(f"{_clock()} the book did not build; still serving the last good build")
            return
        previous = self.board.status.site
        self.board.update(lambda s: replace(s, build=attempt, site=attempt, error=None))
        self._delete_sites_except(attempt, previous)
        self.echo(f"{_clock()} built the HTML edition in {time.perf_counter() - started:.2f} s")
        self.after_site()

    def build_pdf(self) -> None:
        """Build the PDF; the file is replaced only when the new one is complete."""
        started = time.perf_counter()
        results: list[pipeline.BuildResult] = []
        out = self.workdir / "pdf"
        message = self._run(
            lambda: results.append(pipeline.build(self.project, (Format.PDF,), out, memo=self.memo))
        )
        if message is not None or not results:
            self.echo(f"{_clock()} the PDF did not build")
            return
        self._pdf = results[0].outputs[0]
        self.board.update(lambda s: replace(s, pdf=s.pdf + 1))
        pages = results[0].pdf_pages
        took = time.perf_counter() - started
        self.echo(f"{_clock()} built the PDF ({pages} pages) in {took:.2f} s: /book.pdf")

    def _run(self, build: Callable[[], object]) -> str | None:
        """Run a build; None if it succeeded, else the problem (printed, unless stopping)."""
        try:
            build()
            return None
        except BookError as exc:
            message = exc.format_message()
        except Exception as exc:  # a bug must not stop the preview: say so, keep serving
            message = f"error: internal error: {type(exc).__name__}: {exc}"
            if self.debug and not self.stopping.is_set():
                logger.exception("the build failed")
        if not self.stopping.is_set():
            logger.error("%s", message)
        return message

    def _site_root(self, generation: int) -> Path:
        return self.workdir / "site" / str(generation)

    def _delete_sites_except(self, *kept: int) -> None:
        for directory in (self.workdir / "site").iterdir():
            if directory.name not in {str(k) for k in kept}:
                shutil.rmtree(directory, ignore_errors=True)


class RepeatedWarnings(logging.Filter):
    """Drops the PDF build's warnings that the HTML build of the same sources printed.

    Both builds load the same chapters and log the same warnings; the PDF
    build's own (WeasyPrint's, layout overflows) still get through.
    """

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def new_round(self) -> None:
        with self._lock:
            self._seen.clear()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        with self._lock:
            if record.threadName == PDF_THREAD:
                return message not in self._seen
            self._seen.add(message)
            return True


def _clock() -> str:
    return time.strftime("%H:%M:%S")
