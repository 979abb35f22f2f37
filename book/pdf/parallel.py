"""The PDF laid out part by part, in worker processes, then merged.

``book.pdf.parts`` cuts the print document into the front matter and one part
per chapter. Each part is laid out by WeasyPrint on its own (footnotes mended
as in a single document) with the first folio and the outside page numbers it
needs. Those depend on the other parts' page counts, known only after layout:
a round lays out, with the best guess so far, every part whose inputs changed
since its last layout; rounds go on until no part's first folio or quoted page
numbers change. Guesses come from the previous build (``book.pdf.partcache``), so
a rebuild usually needs one round, and an unchanged chapter none at all. A
chapter that quotes no page of another part does not wait for a round: its
first folio comes from the pages the chapters before it publish as they are
laid out (``book.pdf.ledger``), after its pagination if it prints no page
number at all, before its layout if it prints its own pages' numbers; so a
cold build lays it out once.

Workers are processes started with the build (``book.pdf.jobs``); what each does
is ``book.pdf.worker``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from book.diagnostics import logger
from book.model import RenderedBook, Written
from book.pdf.findings import report_misplaced, report_overflow
from book.pdf.job import Job, Numbers
from book.pdf.jobs import LayoutWorkers
from book.pdf.partcache import PartCache, PartLayout, environment_key, layout_key
from book.pdf.parts import Part, first_folios, part_css, split
from book.pdf.weasy.native import quick_library_lookup
from book.workers import Kept, available_cores

if TYPE_CHECKING:
    from book.pdf.merge.merger import Merger

MAX_ROUNDS = 4
CHARS_PER_PAGE = 1800
"""A first guess of a part's pages from its length, when no build came before."""

Progress = Callable[[int, int], None]
"""Told (parts laid out, parts to lay out) as a round goes."""


PAGE_RULES = re.compile(
    r"@page[^{]*:(?:first|nth\()|counter-(?:reset|increment|set)\s*:[^;}]*\bpage\b"
)
"""User CSS that numbers or picks pages by their place in the document: a
part laid out on its own would see it differently."""


def one_document_reason(book: RenderedBook, jobs: int) -> str | None:
    """Why this book must be laid out as one document, or None."""
    if jobs == 1:
        return "--jobs 1"
    if book.options.page.variant:
        return f"{book.options.page.variant} is checked on the whole document"
    for href, css in book.stylesheets[1:]:
        if PAGE_RULES.search(css):
            return f"{href} numbers or selects pages by their place in the book"
    return None


def write_book_pdf(
    book: RenderedBook,
    target: Path,
    *,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    workers: LayoutWorkers | None = None,
) -> Written:
    """Write the PDF: chapter by chapter in ``jobs`` processes (default: the
    cores available; ``workers`` if already started), or as one document when
    ``jobs`` is 1 or the book needs it."""
    reason = one_document_reason(book, jobs or 0)
    if reason:
        with quick_library_lookup():
            from book.pdf.document import write_pdf  # WeasyPrint, in this process

        if workers is not None:
            workers.stop(wait=False)  # they would take cores from it
        logger.info("laying out the PDF as one document: %s", reason)
        return write_pdf(book, target)
    cache = PartCache(cache_dir) if cache_dir is not None else None
    return write_parts_pdf(
        book,
        target,
        jobs=jobs or available_cores(),
        cache=cache,
        progress=progress,
        workers=workers,
    )


def write_parts_pdf(
    book: RenderedBook,
    target: Path,
    *,
    jobs: int,
    cache: PartCache | None,
    progress: Progress | None = None,
    workers: LayoutWorkers | None = None,
) -> Written:
    """Lay out the book's parts in ``jobs`` processes (``workers`` if started
    already), merge, write ``target``."""
    if workers is not None:
        workers.book_file(book)  # handed over first: their warm-ups end
    (document,) = book.documents
    parts, title = split(document.content)
    with contextlib.ExitStack() as stack:
        if cache is not None:
            fonts = cache.fonts
        else:
            fonts = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="octavo-fonts-")))
        fonts.mkdir(parents=True, exist_ok=True)
        if workers is None or len(parts) > workers.ledger.parts:
            workers = stack.enter_context(LayoutWorkers(jobs, parts=len(parts)))
        return _write_parts(book, target, parts, title, workers, cache, fonts, progress)


def _write_parts(
    book: RenderedBook,
    target: Path,
    parts: Sequence[Part],
    title: str,
    workers: LayoutWorkers,
    cache: PartCache | None,
    fonts: Path,
    progress: Progress | None,
) -> Written:
    _LAST.clear()
    owners = {anchor: part.index for part in parts for anchor in part.ids}
    laid: dict[int, PartLayout] = {}
    tally = [0, 0]  # laid out, from the cache
    guesses = {part.index: _guess(part, cache) for part in parts}
    environment = environment_key(book)

    def settled(job: Job, result: PartLayout) -> PartLayout:
        """A layout whose folios moved after pagination, keyed by the folios it has."""
        if not result.moved:
            return result
        css = part_css(job.part, job.start + result.moved, title)
        return dataclasses.replace(result, key=layout_key(environment, job.html, css), moved=0)

    merging: list[Merger] = []  # made as the first part arrives: see _merger
    merged: dict[int, PartLayout] = {}

    def arrived(index: int, result: PartLayout, last: bool) -> None:
        """Merged as soon as it is laid out (or found in the cache) while
        other parts are laid out; the round's ``last`` one, afterwards."""
        if result.pdf and index not in merged:
            if not merging:
                merging.append(_merger(owners, parts))
            merging[0].add(index, result.pdf, now=not last)
            merged[index] = result

    book_file = workers.book_file(book)
    for _round in range(MAX_ROUNDS):
        wanted = _jobs(environment, parts, title, owners, laid, guesses, fonts, book_file)
        todo = [
            job
            for job in wanted
            if job.part.index not in laid
            or laid[job.part.index].key != job.key
            or not laid[job.part.index].pdf
        ]
        if not todo:
            break
        unknown = [p for p in parts if p.index not in laid and guesses[p.index] is None]
        if len(todo) > 1 and any(not p.front for p in unknown):
            # The contents' page numbers wait for the chapters' first layout:
            # in the worker that lays the contents out last in this round, or
            # in the next round.
            todo = [_late(job, parts, owners, environment) for job in todo]
            todo = [job for job in todo if not job.part.front or job.numbers is not None]
        results = _lay_out_all(workers, todo, laid, settled, arrived, cache, progress, tally)
        for job, result in zip(todo, results, strict=True):
            laid[job.part.index] = result
    else:
        logger.warning(
            "%s: warning: page numbers still moving after %d layouts; "
            "check the cross-references' pages [layout-unsettled]",
            target.name,
            MAX_ROUNDS,
        )
    workers.stop()  # their memory goes before the merge's peak
    logger.info(
        "PDF: %d parts, %d laid out, %d from the cache, %d workers",
        len(parts),
        tally[0],
        tally[1],
        workers.count,
    )
    ordered = [laid[part.index] for part in parts]
    _report(target.name, ordered)
    whole = {name: fonts / f"{digest}.font" for r in ordered for name, digest in r.fonts}
    if any(merged.get(part.index) is not laid[part.index] for part in parts):
        merging[:] = [_merger(owners, parts)]  # a part merged early was laid out again: start over
        for index, result in enumerate(ordered):
            merging[0].add(index, result.pdf)
    merging[0].write(target, book.options.built, whole)
    _LAST.set(merging[0])
    if cache is not None:
        cache.prune()
    return Written(sum(r.pages for r in ordered), tuple(s for r in ordered for s in r.starts))


_LAST: Kept[Merger] = Kept()
"""The last merger, kept until the next build or the process's end: freeing
a merged book's objects takes a while (``bench/RESULTS.md``),
which ``book build`` spares itself by ending without freeing anything
(``book.cli.run``)."""


def _merger(owners: Mapping[str, int], parts: Sequence[Part]) -> Merger:
    """A merger of the parts, the front matter merged last (its contents are
    laid out last). pikepdf and uharfbuzz are imported here, once the parts
    are handed out, not before (50 ms that a rebuild's edited chapter would
    otherwise wait for)."""
    from book.pdf.merge.merger import Merger

    return Merger(owners, len(parts), front_last=bool(parts) and parts[0].front)


def _guess(part: Part, cache: PartCache | None) -> PartLayout | None:
    return cache.guess(_names(part)) if cache is not None else None


def _names(part: Part) -> tuple[str, ...]:
    """What a part's layout is remembered by: as written, then which part."""
    return (f"shape:{part.shape}", f"part:{part.name}")


def _jobs(
    environment: str,
    parts: Sequence[Part],
    title: str,
    owners: Mapping[str, int],
    laid: Mapping[int, PartLayout],
    guesses: Mapping[int, PartLayout | None],
    fonts: Path,
    book_file: str,
) -> list[Job]:
    """Every part, with first folios and page numbers from what is known."""
    known = {i: laid.get(i) or guesses.get(i) for i in range(len(parts))}
    pages = [_pages(known[p.index], p) for p in parts]
    starts = _first_folios(parts, pages)
    numbers: dict[str, int] = {}
    for part in parts:
        for anchor in part.outside:
            owner = owners.get(anchor)
            if owner is None:
                continue
            numbers[anchor] = starts[owner] + _first_page(known[owner], anchor)
    unknown = {i for i in range(len(parts)) if known[i] is None}
    jobs = []
    for part in parts:
        html = part.filled(numbers)
        start = starts[part.index]
        css = part_css(part, start, title)
        key = layout_key(environment, html, css)
        continues = not (part.outside or part.restarts)
        follows = _numbering_start(part, parts) if continues else None
        draft = follows is None and bool(_depends_on(part, parts, owners) & unknown)
        jobs.append(
            Job(
                part,
                html,
                css,
                key,
                str(fonts),
                draft,
                start,
                follows=follows,
                title=title,
                book=book_file,
            )
        )
    return jobs


def _late(job: Job, parts: Sequence[Part], owners: Mapping[str, int], environment: str) -> Job:
    """The front matter's job made to fill in the other parts' page numbers
    in its worker (``Job.numbers``), where it can: when no other part's
    folios follow its pages (the next part restarts the numbering). Other
    jobs as they are."""
    part = job.part
    if not part.front or not part.outside:
        return job
    following = part.index + 1
    if following < len(parts) and not parts[following].restarts:
        return job
    numbers = Numbers(
        environment,
        tuple(p.restarts for p in parts),
        tuple((anchor, owners[anchor]) for anchor in part.outside if anchor in owners),
        (),
    )
    return dataclasses.replace(job, numbers=numbers)


def _numbering_start(part: Part, parts: Sequence[Part]) -> int:
    """The part where the page numbering that ``part`` follows restarts at 1
    (the front matter, the first main-matter chapter), ``part`` itself if it
    restarts it."""
    index = part.index
    while index > 0 and not parts[index].restarts:
        index -= 1
    return index


def _depends_on(part: Part, parts: Sequence[Part], owners: Mapping[str, int]) -> set[int]:
    """The parts whose pages this part's first folio or page numbers come from."""
    found = {owners[anchor] for anchor in part.outside if anchor in owners}
    return found | set(range(_numbering_start(part, parts), part.index))


def _pages(result: PartLayout | None, part: Part) -> int:
    """The part's pages, or a guess from its length (a part followed by
    another ends on a verso, so its pages are even)."""
    if result is not None:
        return result.pages
    guess = max(1, -(-part.chars // CHARS_PER_PAGE))
    return guess + guess % 2 if part.ends_recto else guess


def _first_page(result: PartLayout | None, anchor: str) -> int:
    """The page of the part where ``anchor`` is first set (an element that
    runs over pages has it on each), or 0 before the part is laid out."""
    if result is None:
        return 0
    return next((page for name, page in result.anchors if name == anchor), 0)


def _first_folios(parts: Sequence[Part], pages: Sequence[int]) -> list[int]:
    return first_folios([part.restarts for part in parts], pages)


def _lay_out_all(
    workers: LayoutWorkers,
    todo: Sequence[Job],
    laid: Mapping[int, PartLayout],
    settled: Callable[[Job, PartLayout], PartLayout],
    arrived: Callable[[int, PartLayout, bool], None],
    cache: PartCache | None,
    progress: Progress | None,
    tally: list[int],
) -> list[PartLayout]:
    """Each job's layout: from the cache, else from a worker. ``arrived`` is
    told each as it comes (those from the cache once the workers have
    theirs), and whether the workers are done; ``tally`` counts layouts
    made and taken from the cache.

    Jobs are handed out in book order when a part's folios wait for the
    pages of the parts before it (``book.pdf.ledger``), longest first when
    none does; a part that fills in the others' page numbers itself
    (``Job.numbers``) last."""
    results: dict[int, PartLayout] = {}
    missing = []
    for job in todo:
        cached = cache.load(job.key) if cache is not None else None
        if cached is not None:
            results[job.part.index] = cached
        else:
            missing.append(job)
    done = len(results)
    tally[0] += len(missing)
    tally[1] += done
    if progress:
        progress(done, len(todo))
    pending = {job.part.index for job in missing}
    known = {i: r.pages for i, r in laid.items() if i not in pending}
    known.update({i: r.pages for i, r in results.items()})
    workers.ledger.open(known, pending)
    missing = [_knowing(job, pending, {**laid, **results}) for job in missing]
    in_order = any(job.follows is not None for job in missing)
    # the late ones last, as they wait for all the others' pages
    missing.sort(
        key=lambda job: (job.numbers is not None, job.part.index if in_order else -job.part.chars)
    )
    laid_out = workers.map(missing)
    for job in todo:  # while the workers lay out the others
        if job.part.index in results:
            arrived(job.part.index, results[job.part.index], not missing)
    for number, (job, made) in enumerate(zip(missing, laid_out, strict=True), start=1):
        result = settled(job, made)
        results[job.part.index] = result
        arrived(job.part.index, result, number == len(missing))
        if cache is not None and result.pdf:
            cache.save(_names(job.part), result)
        done += 1
        if progress:
            progress(done, len(todo))
    return [results[job.part.index] for job in todo]


def _knowing(job: Job, pending: set[int], laid: Mapping[int, PartLayout]) -> Job:
    """A late job (``Job.numbers``) told where the anchors it prints fall in
    the parts not laid out in this round; other jobs as they are."""
    numbers = job.numbers
    if numbers is None:
        return job
    known = tuple(
        (anchor, _first_page(laid.get(owner), anchor))
        for anchor, owner in numbers.owners
        if owner not in pending
    )
    return dataclasses.replace(job, numbers=dataclasses.replace(numbers, known=known))


def _report(name: str, ordered: Sequence[PartLayout]) -> None:
    """The parts' warnings, told once, with page numbers of the whole PDF."""
    first_page = 0
    for result in ordered:
        for logger_name, level, message in result.messages:
            logging.getLogger(logger_name).log(level, "%s", message)
        report_misplaced({n: (c, p) for n, c, p in result.misplaced}, first_page)
        report_overflow(name, result.overflow, first_page)
        first_page += result.pages
