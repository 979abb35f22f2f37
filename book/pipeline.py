"""The orchestrator. It reads like the pipeline:

book.toml  -> load_config   -> BookConfig
chapters   -> parse_chapter -> ParsedChapter (one per file)
all parsed -> assemble      -> Manuscript
Manuscript -> render        -> RenderedBook (per format)
RenderedBook -> write_pdf / write_epub / write_html
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from book import diagnostics as diag
from book.assemble.manuscript import assemble
from book.errors import BookError, SourceError
from book.fingerprint import versions
from book.model import (
    BookConfig,
    BuildMode,
    ChangeMode,
    Format,
    Manuscript,
    RenderedBook,
    RenderOptions,
    Written,
)
from book.output import build_lock, output_directory
from book.pdf import pagestarts
from book.pdf.jobs import LayoutWorkers
from book.pdf.partcache import parts_directory
from book.pdf.weasy.versions import check_versions
from book.progress import QUIET, Progress
from book.proof.edition import proof_marks
from book.render.editions import render
from book.source.cache import ChapterCache
from book.source.config import load_config
from book.source.critic import Change, scan
from book.source.memo import ParseMemo
from book.source.parse import read_source
from book.source.remote import RemoteFetcher
from book.workers import available_cores

if TYPE_CHECKING:
    from book.pdf.weasy.adaptations import AdaptationState

logger = logging.getLogger("book")

NORMAL_BUILD = BuildMode()
"""Not a proof; CriticMarkup shown, each mark a warning."""

Writer = Callable[[RenderedBook, Path], Written]
"""Writes one edition; the PDF writer reports its pages and where they begin."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote, what it met, and how long each stage took."""

    outputs: tuple[Path, ...]
    warnings: int
    messages: tuple[str, ...] = ()
    """Every warning, as printed."""
    timings: tuple[tuple[str, float], ...] = ()
    """(stage, seconds): load (config, parse, assemble), then one per edition."""
    pdf_pages: int | None = None
    adaptations: tuple[AdaptationState, ...] = ()
    """The WeasyPrint adaptations in place, when a PDF was made and they were asked for."""


class StrictError(BookError):
    """``--strict``: warnings were reported, so the build fails."""

    def __init__(self, warnings: int) -> None:
        noun = "warning" if warnings == 1 else "warnings"
        super().__init__(f"error: {warnings} {noun} reported and --strict is set [strict]")


def load(
    project: Path,
    *,
    allow_remote: bool = False,
    cache: ChapterCache | None = None,
    jobs: int = 1,
    changes: ChangeMode = ChangeMode.FLAG,
    memo: ParseMemo | None = None,
    workers: LayoutWorkers | None = None,
) -> tuple[BookConfig, Manuscript]:
    """Config, parse and assemble: everything short of rendering. Chapters are
    parsed in ``jobs`` processes (the PDF's ``workers`` if started; they warm
    up behind the parsing), or read from ``cache`` when unchanged (the
    caller commits the cache once its build succeeded); with a ``memo``
    (``book serve``), from the memo when unchanged. ``changes`` says what
    becomes of the editors' CriticMarkup."""
    config = load_config(project)
    language = config.metadata.language
    warm = workers.warm if workers is not None else None
    if memo is not None:
        if warm is not None:
            warm(language)
        parsed = tuple(memo.parse(chapter, language, changes) for chapter in config.chapters)
    else:
        parsed = (cache or ChapterCache(None)).parse_all(
            config.chapters,
            language,
            jobs,
            changes,
            workers.executor if workers is not None else None,
            warm,
        )
    remote = RemoteFetcher(config.root / "build" / ".cache" / "remote") if allow_remote else None
    manuscript = assemble(config.metadata, parsed, config.root, config.styles, remote)
    errors = diag.errors_in(manuscript.diagnostics)
    if errors:
        raise SourceError(errors)
    diag.report(manuscript.diagnostics)
    return config, manuscript


def check(project: Path, *, strict: bool = False, allow_remote: bool = False) -> int:
    """Parse and validate everything, write nothing; returns the warning count."""
    with diag.counting_warnings() as counter:
        load(project, allow_remote=allow_remote, jobs=available_cores())
    _fail_if_strict(strict, counter.count)
    return counter.count


def build(
    project: Path,
    formats: Iterable[Format] = tuple(Format),
    output: Path | None = None,
    *,
    strict: bool = False,
    print_ready: bool = False,
    allow_remote: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Progress = QUIET,
    mode: BuildMode = NORMAL_BUILD,
    memo: ParseMemo | None = None,
    workers: LayoutWorkers | None = None,
    adaptations: bool = False,
) -> BuildResult:
    """Build the requested editions into ``output`` (default ``project/build``).

    The PDF is laid out chapter by chapter in ``jobs`` processes (default: the
    cores available; 1 lays it out as one document), reusing the chapters laid
    out by earlier builds from ``output/.cache`` unless ``use_cache`` is False.
    ``mode``: a proof edition (``--proof``), and what to do with CriticMarkup.
    ``workers``: the PDF's layout processes, if the caller started them.
    ``adaptations``: say which WeasyPrint adaptations are in place (they are
    logged at ``-v`` in any case)."""
    timings: dict[str, float] = {}
    if Format.PDF in formats:
        check_versions()  # before anything starts: an untested WeasyPrint cannot print the book
    states: tuple[AdaptationState, ...] = ()
    with diag.counting_warnings("weasyprint") as counter, ExitStack() as stack:
        if workers is None and Format.PDF in formats and (jobs or available_cores()) > 1:
            workers = stack.enter_context(LayoutWorkers(jobs or available_cores()))
        progress.stage("Reading the chapters")
        out = output_directory(project, output, proof=mode.proof)
        parsed = ChapterCache(out / ".cache" / "parsed" if use_cache else None)
        with _timed(timings, "load"):
            config, manuscript = load(
                project,
                allow_remote=allow_remote,
                cache=parsed,
                jobs=jobs or available_cores(),
                changes=mode.changes,
                memo=memo,
                workers=workers,
            )
        _fail_if_strict(strict, counter.count)
        page = (
            replace(config.page, bleed=config.page.bleed or config.print_bleed)
            if print_ready
            else config.page
        )
        written: list[Path] = []
        chosen = sorted(
            set(formats), key=list(Format).index
        )  # PDF first: its pages go into the EPUB
        marks = proof_marks(config) if mode.proof else None
        options = RenderOptions(page, config.epub, config.built, proof=marks)
        cache, key = out / ".cache" / "page-starts", ""
        print_book = None  # the PDF's, rendered once: for its writer and the key
        if Format.PDF in chosen or (use_cache and Format.EPUB in chosen):
            print_book = render(manuscript, Format.PDF, options)
            key = pagestarts.layout_key(print_book) if use_cache else ""
        cached = Format.EPUB in chosen and Format.PDF not in chosen and use_cache
        pdf = Written(page_starts=pagestarts.load(cache, key) if cached else ())
        with build_lock(out):
            for fmt in chosen:
                target = out / _file_name(config.output, fmt)
                if fmt is Format.PDF and print_book is not None:
                    book = print_book  # PDF comes first: no page starts to give it
                else:
                    book = render(manuscript, fmt, replace(options, page_starts=pdf.page_starts))
                progress.stage(f"Writing the {fmt.value.upper()} edition")
                parts = parts_directory(out) if use_cache else None
                with _timed(timings, fmt.value):
                    result = _writer(fmt, jobs, parts, progress, workers)(book, target)
                if fmt is Format.PDF:
                    pdf = result
                    states = _adaptations(adaptations)
                    if use_cache:
                        pagestarts.save(cache, key, result.page_starts)
                written.append(target)
                _fail_if_strict(strict, counter.count)
            parsed.commit()
    return BuildResult(
        tuple(written),
        counter.count,
        tuple(counter.messages),
        tuple(timings.items()),
        pdf.pages,
        states,
    )


def _adaptations(wanted: bool) -> tuple[AdaptationState, ...]:
    """The WeasyPrint adaptations, installed in this process to see which are
    in place (as in the layout's processes: the same code, the same
    WeasyPrint), when they are wanted or ``-v`` shows them."""
    if not (wanted or logger.isEnabledFor(logging.INFO)):
        return ()
    from book.pdf.weasy.adaptations import describe, install_adaptations  # imports WeasyPrint

    states = install_adaptations()
    laid_out_by = ("weasyprint", "pydyf", "pango-1.0", "harfbuzz", "fontconfig")
    shown = ", ".join(f"{name} {versions()[name]}" for name in laid_out_by)
    logger.info("laid out by %s", shown)
    for line in describe(states):
        logger.info("WeasyPrint adaptation %s", line)
    return states


def changes(project: Path) -> tuple[Change, ...]:
    """Every open change and comment (CriticMarkup) in the book's chapters, in order."""
    config = load_config(project)
    found: list[Change] = []
    for chapter in config.chapters:
        text, problem = read_source(chapter)
        if problem:
            raise SourceError((problem,))
        found += scan(text, chapter.display)
    return tuple(found)


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = round(time.perf_counter() - start, 3)


def _file_name(base: str, fmt: Format) -> str:
    return "html" if fmt is Format.HTML else f"{base}.{fmt.value}"


def _writer(
    fmt: Format,
    jobs: int | None = None,
    cache: Path | None = None,
    progress: Progress = QUIET,
    workers: LayoutWorkers | None = None,
) -> Writer:
    # Writers import WeasyPrint or ebooklib: load only the one needed.
    if fmt is Format.PDF:
        from book.pdf.parallel import write_book_pdf

        def advance(done: int, total: int) -> None:
            progress.stage(f"Laying out the PDF ({total} parts)", total)
            progress.advance(done, total)

        return lambda book, target: write_book_pdf(
            book, target, jobs=jobs, cache_dir=cache, progress=advance, workers=workers
        )
    if fmt is Format.EPUB:
        from book.epub.writer import write_epub

        return write_epub
    from book.site.writer import write_html

    return write_html


def _fail_if_strict(strict: bool, warnings: int) -> None:
    if strict and warnings:
        raise StrictError(warnings)
