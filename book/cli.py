"""The ``book`` command: a thin click layer over ``book.pipeline``."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from book import __version__
from book.errors import BookError
from book.model import BuildMode, ChangeMode, Format

if TYPE_CHECKING:
    from book.pdf.jobs import LayoutWorkers

FORMATS = [f.value for f in Format]
PROJECT = click.Path(exists=True, file_okay=False, path_type=Path)
"""A project directory; one that does not exist is a usage error (exit 2)."""


class _Plain(logging.Formatter):
    """``book`` diagnostics are printed as they are; others get a prefix."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name == "book" or record.name.startswith("book."):
            return message
        severity = record.levelname.lower()
        return f"{record.name}: {severity}: {message}"


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is now (the progress line redirects it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def _setup_logging(verbosity: int) -> None:
    handler = _Stderr()
    handler.setFormatter(_Plain())
    level = {-1: logging.ERROR, 0: logging.WARNING}.get(verbosity, logging.INFO)
    for name in ("book", "weasyprint"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.WARNING if verbosity < 1 else logging.INFO)
        logger.propagate = False
        handler.setLevel(level)
    # WeasyPrint's own progress logger is too chatty even for -v.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@contextlib.contextmanager
def _layout_workers(
    formats: tuple[Format, ...], jobs: int | None, output: Path | None = None
) -> Iterator[LayoutWorkers | None]:
    """The processes that will lay out the PDF, if it is built in parts;
    lazy ones if ``output`` holds laid-out parts of an earlier build: a
    rebuild, which often lays out one chapter."""
    from book.workers import available_cores

    if Format.PDF not in formats or (jobs or available_cores()) <= 1:
        yield None
        return
    from book.pdf.jobs import LayoutWorkers
    from book.pdf.partcache import parts_directory

    lazy = output is not None and parts_directory(output).is_dir()
    with LayoutWorkers(jobs or available_cores(), lazy=lazy) as workers:
        yield workers


def _run(debug: bool, action: object) -> object:
    """Run ``action``; unexpected exceptions are bugs: no traceback without --debug."""
    try:
        return action()  # type: ignore[operator]
    except (BookError, click.exceptions.Exit, click.Abort):
        raise
    except Exception as exc:
        if debug:
            raise
        raise BookError(
            f"error: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in octavo; run again with --debug for the traceback."
        ) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="octavo (book)")
def main() -> None:
    """Publish a book written in Markdown as PDF, EPUB and HTML.

    \b
    Examples:
      book new my-novel        start a project
      book build my-novel      write my-novel/build/book.pdf, book.epub, html/
      book check --strict      validate the project in this directory
      book diff HEAD~1 HEAD    which pages the last commit changed
    """


def run() -> None:
    """The ``book`` program: ``main``, then the process ends once its exit
    handlers have run (logging, pools, temporary files), without first
    freeing its objects one by one: a merged book's objects alone took 85 ms
    to free, a tenth of a second of a one-chapter rebuild in all."""
    try:
        main()
    except SystemExit as leaving:
        code = leaving.code
        if code is not None and not isinstance(code, int):
            raise  # a message to print: Python's own exit does that
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe
                stream.flush()
        atexit._run_exitfuncs()
        os._exit(code or 0)


@main.command()
@click.argument("project", type=PROJECT, default=".")
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(FORMATS),
    multiple=True,
    help="Edition to build; repeat for several. Default: all three.",
)
@click.option("--pdf", "pdf_only", is_flag=True, help="Build the PDF (as -f pdf; combine freely).")
@click.option("--epub", "epub_only", is_flag=True, help="Build the EPUB (as -f epub).")
@click.option("--html", "html_only", is_flag=True, help="Build the HTML edition (as -f html).")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output directory. Default: PROJECT/build.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option(
    "--print",
    "print_ready",
    is_flag=True,
    help="Print-ready PDF: bleed and crop marks, as print-on-demand services require.",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Fetch http(s) images (10 s timeout, 20 MB limit, cached in build/.cache/remote).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON report: outputs with sha256, diagnostics, timings, versions.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Processes laying out the PDF, a chapter each. Default: the cores available; "
    "1 lays the book out as one document.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse and lay out every chapter again: build/.cache is neither read nor written.",
)
@click.option(
    "--proof",
    is_flag=True,
    help="Proof edition: watermark, build stamp, paragraph anchors, editors' marks shown.",
)
@click.option(
    "--accept-changes",
    "accept",
    is_flag=True,
    help="Build the text with every CriticMarkup change accepted and comments removed.",
)
@click.option(
    "--reject-changes",
    "reject",
    is_flag=True,
    help="Build the text with every CriticMarkup change rejected and comments removed.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more about each step.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def build(
    project: Path,
    formats: tuple[str, ...],
    pdf_only: bool,
    epub_only: bool,
    html_only: bool,
    output: Path | None,
    strict: bool,
    print_ready: bool,
    allow_remote: bool,
    report: Path | None,
    jobs: int | None,
    no_cache: bool,
    proof: bool,
    accept: bool,
    reject: bool,
    quiet: bool,
    verbose: bool,
    debug: bool,
) -> None:
    """Build the editions of the book in PROJECT (default: this directory).

    \b
    Examples:
      book build                       all editions into ./build/
      book build my-book -f pdf        only my-book/build/book.pdf
      book build -f epub -f html -o out
      book build --strict              fail on any warning (for CI)
      book build -f pdf --print        bleed and crop marks for the printer
      book build --strict --report build/report.json
      book build -f pdf --jobs 1       lay the PDF out as one document
      book build --pdf --epub          the same as -f pdf -f epub
      book build --proof               a proof for editors (DRAFT, stamp, §2.14),
                                       into build/proof/ (not over the release)
      book build --accept-changes      the clean text, editors' changes accepted
    """
    if accept and reject:
        raise click.UsageError("--accept-changes and --reject-changes exclude each other.")
    flags = {"pdf": pdf_only, "epub": epub_only, "html": html_only}
    asked = [*formats, *(name for name, given in flags.items() if given)]
    chosen = tuple(dict.fromkeys(Format(f) for f in asked)) or tuple(Format)
    # The PDF's workers first: they warm up while the rest is imported, and
    # fork while this process has one thread (the progress line adds one).
    from book.output import output_directory  # imported with the workers anyway

    reused = (
        None if no_cache else output_directory(project, output, proof=proof)
    )  # its laid-out parts, if any
    with _layout_workers(chosen, jobs, reused) as workers:
        from book import pipeline
        from book.progress import terminal_progress

        _setup_logging(-1 if quiet else int(verbose))
        mode = BuildMode(proof, _change_mode(proof, accept, reject))
        try:
            with terminal_progress(enabled=not quiet) as progress:
                result = _run(
                    debug,
                    lambda: pipeline.build(
                        project,
                        chosen,
                        output,
                        strict=strict,
                        print_ready=print_ready,
                        allow_remote=allow_remote,
                        jobs=jobs,
                        use_cache=not no_cache,
                        progress=progress,
                        mode=mode,
                        workers=workers,
                        adaptations=report is not None,
                    ),
                )
        except BookError as exc:
            if report:
                from book.report import write_report  # importlib.metadata: only for a report

                write_report(report, (), (), (), None, error=exc.format_message())
            raise
    assert isinstance(result, pipeline.BuildResult)
    if report:
        from book.report import write_report

        write_report(
            report,
            result.outputs,
            result.messages,
            result.timings,
            result.pdf_pages,
            adaptations=result.adaptations,
        )
    if not quiet:
        for path in result.outputs:
            click.echo(f"wrote {_shown(path)}")


@main.command()
@click.argument("project", type=PROJECT, default=".")
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def check(project: Path, strict: bool, debug: bool) -> None:
    """Parse and validate the book in PROJECT; write nothing.

    \b
    Examples:
      book check
      book check my-book --strict
    """
    from book import pipeline

    _setup_logging(0)
    warnings = _run(debug, lambda: pipeline.check(project, strict=strict))
    click.echo(f"ok: {warnings} warning{'s' if warnings != 1 else ''}")


def _change_mode(proof: bool, accept: bool, reject: bool) -> ChangeMode:
    if accept:
        return ChangeMode.ACCEPT
    if reject:
        return ChangeMode.REJECT
    return ChangeMode.SHOW if proof else ChangeMode.FLAG


@main.command()
@click.argument("project", type=PROJECT, default=".")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def changes(project: Path, as_json: bool, debug: bool) -> None:
    """List the open changes and comments (CriticMarkup) in PROJECT's chapters.

    One line per mark, with its file and line, then a count: an editor's
    to-do list. Resolve them in the sources, or build the clean text with
    book build --accept-changes (or --reject-changes).

    \b
    Examples:
      book changes
      book changes my-book --json
    """
    from book import pipeline
    from book.proof import changes as listing
    from book.source import critic

    _setup_logging(0)
    found = _run(debug, lambda: pipeline.changes(project))
    assert isinstance(found, tuple)
    if as_json:
        click.echo(
            json.dumps([listing.as_dict(change) for change in found], ensure_ascii=False, indent=2)
        )
        return
    for change in found:
        click.echo(f"{change.path}:{change.line}: {critic.describe(change)}")
    click.echo(listing.summary(found))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The book's title. Default: from the directory name.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def new(directory: Path, title: str | None, debug: bool) -> None:
    """Create a new book project in DIRECTORY, ready to build.

    \b
    Examples:
      book new ~/my-novel
      book new thesis --title "On Margins"
    """
    from book.source.scaffold import scaffold

    created = _run(debug, lambda: scaffold(directory, title))
    assert isinstance(created, Path)
    click.echo(f"created {_shown(created)}; build it with: book build {_shown(created)}")


@main.command()
@click.argument("old")
@click.argument("new", required=False)
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    help="The book project whose revisions OLD and NEW name. Default: this directory.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Report directory. Default: PROJECT/build/diff.",
)
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def diff(old: str, new: str | None, project: Path, output: Path | None, debug: bool) -> None:
    """Compare two PDFs, or two git revisions of the book, page by page.

    OLD and NEW are PDF files or git revisions of PROJECT (built once, cached
    in build/.cache/diff/); without NEW, OLD is compared with the working
    tree. Writes an HTML report with the changed pages side by side and
    prints one line. Exit code 0 when no page changed, 1 otherwise.

    \b
    Examples:
      book diff old.pdf build/book.pdf
      book diff HEAD~1 HEAD            two commits
      book diff HEAD                   the last commit against the working tree
      book diff v1.0 HEAD -o review/
    """
    from book.diff.comparison import DiffResult
    from book.diff.comparison import diff as compare

    _setup_logging(-1)
    result = _run(debug, lambda: compare(old, new, project, output))
    assert isinstance(result, DiffResult)
    click.echo(f"{result.summary} (report: {_shown(result.report)})")
    if not result.identical:
        raise click.exceptions.Exit(1)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@main.command()
@click.argument("project", type=PROJECT, default=".")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port to listen on; 0 picks a free one (printed on start).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but localhost lets other computers read the book.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the book in the web browser.")
@click.option("--pdf", is_flag=True, help="Rebuild the PDF too after each change; see /book.pdf.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def serve(project: Path, port: int, host: str, open_browser: bool, pdf: bool, debug: bool) -> None:
    """Preview the HTML edition of PROJECT in a browser, rebuilt on every edit.

    Every open page reloads by itself after a change; when a change breaks
    the build, the page shows the error until the source is fixed.

    \b
    Examples:
      book serve                  http://127.0.0.1:<free port>/
      book serve my-book --open --port 8000
      book serve --pdf            also rebuild book.pdf, served at /book.pdf
    """
    from book.serve.server import ServeOptions
    from book.serve.server import serve as serve_book

    _setup_logging(0)
    options = ServeOptions(host, port, open_browser, pdf, debug)
    _run(debug, lambda: serve_book(project, options, click.echo))
