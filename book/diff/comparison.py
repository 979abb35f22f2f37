"""``book diff`` from end to end:

inputs (PDF files or git revisions) -> PDFs           (revisions)
each PDF                           -> pages           (pdfread)
both page sequences                -> pairs           (diff.align)
each pair (text, then pixels)      -> verdicts        (diff.judge, pixeldiff)
verdicts                           -> report + summary (diffreport, diff.summary)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium

from book.diff import revisions
from book.diff.pairing import SHOWN, PageDiff, Pair, align, judge, summary
from book.diff.pdfread import opened, read_pages, render
from book.diff.pixels import differing_regions
from book.diff.report import Edition, write_report

COMPARE_DPI = 72
"""Pages whose text is the same are compared as images at this resolution."""


@dataclass(frozen=True, slots=True)
class DiffResult:
    """What ``book diff`` found and where it wrote the report."""

    diffs: tuple[PageDiff, ...]
    summary: str
    """The one line for the terminal."""
    report: Path
    """The report's index.html."""

    @property
    def identical(self) -> bool:
        return not any(d.change in SHOWN for d in self.diffs)


def diff(old: str, new: str | None, project: Path, output: Path | None = None) -> DiffResult:
    """Compare two PDFs or revisions (``new`` None: the working tree's build)."""
    old_pdf = pdf_of(old, project)
    new_pdf = pdf_of(new, project) if new is not None else revisions.worktree_pdf(project)
    names = (old, new if new is not None else "working tree")
    return compare_pdfs(old_pdf, new_pdf, output or project / "build" / "diff", names)


def pdf_of(argument: str, project: Path) -> Path:
    """A PDF file as it is; anything else is a revision of the project to build."""
    path = Path(argument)
    if path.is_file() or path.suffix.lower() == ".pdf":
        return path
    return revisions.revision_pdf(project, argument)


def compare_pdfs(
    old: Path, new: Path, output: Path, names: tuple[str, str] | None = None
) -> DiffResult:
    """Compare two PDFs page by page; write the report into ``output``."""
    with opened(old) as old_document, opened(new) as new_document:
        old_pages, new_pages = read_pages(old_document), read_pages(new_document)
        diffs = tuple(
            _judged(pair, old_document, new_document) for pair in align(old_pages, new_pages)
        )
        line = summary(diffs, len(new_pages))
        editions = (
            Edition(names[0] if names else str(old), partial(render, old_document)),
            Edition(names[1] if names else str(new), partial(render, new_document)),
        )
        report = write_report(output, diffs, line, editions)
    return DiffResult(diffs, line, report)


def _judged(pair: Pair, old: pdfium.PdfDocument, new: pdfium.PdfDocument) -> PageDiff:
    """Text first; pages with the same text are compared as pictures, folio aside."""
    if pair.old is None or pair.new is None or pair.old.text != pair.new.text:
        return judge(pair)
    regions = differing_regions(
        render(old, pair.old.number, COMPARE_DPI),
        render(new, pair.new.number, COMPARE_DPI),
        COMPARE_DPI,
        ignore=[box for box in (pair.old.folio_box, pair.new.folio_box) if box],
    )
    return judge(pair, regions)
