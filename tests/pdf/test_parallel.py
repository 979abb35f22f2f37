"""A PDF laid out chapter by chapter in worker processes equals the PDF laid
out as one document (``--jobs 1``): pages, folios, chapter openings, contents,
cross-references, notes, links, bookmarks and tags; and its cache of laid-out
chapters is never trusted blindly."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from book import pipeline
from book.diff.pdfread import opened, read_pages
from book.model import Format
from book.pdf import parallel
from book.pdf.job import Job
from book.pdf.partcache import PartLayout
from tests.conftest import MakeProject, copy_sample


@pytest.fixture(autouse=True)
def _logs_reach_caplog(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's tests turn propagation off for the ``book`` logger."""
    monkeypatch.setattr(logging.getLogger("book"), "propagate", True)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The sample book: one document, and in parts on two workers."""
    monkey = pytest.MonkeyPatch()
    monkey.setenv("SOURCE_DATE_EPOCH", "1764028800")
    project = copy_sample(tmp_path_factory.mktemp("parallel"))
    pipeline.build(project, (Format.PDF,), project / "one", jobs=1)
    pipeline.build(project, (Format.PDF,), project / "parts", jobs=2)
    monkey.undo()
    return project, project / "one" / "book.pdf", project / "parts" / "book.pdf"


def _texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _openings(pdf: Path) -> list[tuple[str, int]]:
    reader = PdfReader(pdf)
    return [
        (item.title, reader.get_destination_page_number(item))
        for item in reader.outline
        if not isinstance(item, list)
    ]


def test_same_pages_and_chapter_openings(builds: tuple[Path, Path, Path]) -> None:
    _, one, parts = builds
    assert len(PdfReader(parts).pages) == len(PdfReader(one).pages) > 30
    assert _openings(parts) == _openings(one)
    assert len(_openings(one)) >= 6


def test_every_page_reads_the_same(builds: tuple[Path, Path, Path]) -> None:
    """Folios, running heads, the contents' page numbers, cross-references
    and footnotes (each on its call's page) come out word for word the same."""
    _, one, parts = builds
    single, merged = _texts(one), _texts(parts)
    assert [i for i, (a, b) in enumerate(zip(single, merged, strict=True)) if a != b] == []


def test_contents_and_cross_references_name_the_same_pages(
    builds: tuple[Path, Path, Path],
) -> None:
    _, one, parts = builds
    contents = [t for t in _texts(parts) if t.startswith("Contents")]
    assert contents and contents == [t for t in _texts(one) if t.startswith("Contents")]
    xrefs = re.compile(r"on page (\d+)")
    found = [xrefs.findall(t) for t in _texts(parts)]
    assert sum(map(len, found)) >= 3  # the sample cites figures and the table
    assert found == [xrefs.findall(t) for t in _texts(one)]


def test_one_copy_of_each_font_and_no_bigger(builds: tuple[Path, Path, Path]) -> None:
    _, one, parts = builds
    merged = pikepdf.open(parts)
    files = []
    for page in merged.pages:
        for font in page.obj.Resources.Font.values():
            descriptor = font.DescendantFonts[0].FontDescriptor
            files.append(descriptor.get("/FontFile3") or descriptor.get("/FontFile2"))
    names = {str(font.BaseFont) for p in merged.pages for font in p.obj.Resources.Font.values()}
    assert len({f.objgen for f in files}) == len(names)  # one font file per font
    assert len(names) == len({n.split("+")[1] for n in names})  # one subset per face
    assert parts.stat().st_size <= 1.1 * one.stat().st_size


def test_parts_carry_font_stand_ins_and_the_merge_real_subsets(
    builds: tuple[Path, Path, Path],
) -> None:
    """A part embeds four bytes per font (the merge cuts the one subset from
    the whole file kept aside); the merged book embeds real font programs."""

    def font_files(pdf: pikepdf.Pdf) -> list[bytes]:
        found = []
        for page in pdf.pages:
            for font in page.obj.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                stream = descriptor.get("/FontFile3") or descriptor.get("/FontFile2")
                found.append(stream.read_bytes())
        return found

    project, _, merged = builds
    cached = sorted((project / "parts" / ".cache" / "pdf-parts").glob("*.pdf"))
    assert cached
    stand_ins = [data for path in cached for data in font_files(pikepdf.open(path))]
    assert stand_ins and all(len(data) == 4 for data in stand_ins)
    real = font_files(pikepdf.open(merged))
    assert real and all(len(data) > 1000 for data in real)


def test_links_bookmarks_and_tags_survive_the_merge(builds: tuple[Path, Path, Path]) -> None:
    _, one, parts = builds

    def links(path: Path) -> list[tuple[int, str, int]]:
        pdf = pikepdf.open(path)
        names = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        return [
            (i, str(a.Dest), index[names[str(a.Dest)][0].objgen])
            for i, page in enumerate(pdf.pages)
            for a in page.obj.get("/Annots", ())
            if "/Dest" in a
        ]

    assert links(parts) == links(one)
    assert len(links(parts)) > 50  # contents, cross-references, note calls
    merged = pikepdf.open(parts)
    nums = merged.Root.StructTreeRoot.ParentTree.Nums
    keys = {int(nums[i]) for i in range(0, len(nums), 2)}
    assert {int(page.obj.StructParents) for page in merged.pages} <= keys
    assert len(keys) == len(pikepdf.open(one).Root.StructTreeRoot.ParentTree.Nums) // 2
    assert str(merged.Root.Lang) == "en"

    def reading_order(pdf: pikepdf.Pdf) -> list[str]:
        """The document's structure, its first level (front matter first)."""
        document = pdf.Root.StructTreeRoot.K[0]
        return [str(kid.S) for kid in document.K if isinstance(kid, pikepdf.Dictionary)]

    assert reading_order(merged) == reading_order(pikepdf.open(one))
    assert len(reading_order(merged)) > 20


def test_a_rebuild_reuses_every_chapter_and_is_identical(
    builds: tuple[Path, Path, Path],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project, _, parts = builds
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    before = parts.read_bytes()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="book"):
        pipeline.build(project, (Format.PDF,), project / "parts", jobs=2)
    assert ", 0 laid out," in caplog.text
    assert parts.read_bytes() == before


def test_a_corrupt_cache_entry_is_laid_out_again(
    builds: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _, parts = builds
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    before = parts.read_bytes()
    cache = project / "parts" / ".cache" / "pdf-parts"
    entries = sorted(cache.glob("*.pdf"))
    assert entries
    for entry in entries[:2]:
        entry.write_bytes(entry.read_bytes()[:100])  # truncated
    for entry in sorted(cache.glob("[0-9a-f]*.json"))[2:4]:
        entry.write_text("{not json", encoding="utf-8")
    fonts = sorted((cache / "fonts").glob("*.font"))
    assert fonts  # whole font files, kept once each for the merge
    fonts[0].unlink()  # the parts that used it are laid out again
    pipeline.build(project, (Format.PDF,), project / "parts", jobs=2)
    assert parts.read_bytes() == before


def test_an_edit_that_adds_pages_moves_later_chapters_as_one_document_would(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    project = copy_sample(tmp_path / "book")
    pipeline.build(project, (Format.PDF,), project / "parts", jobs=2)
    before = _openings(project / "parts" / "book.pdf")
    first = sorted((project / "chapters").glob("01-*.md"))[0]
    first.write_text(
        first.read_text(encoding="utf-8") + "\n\nAn added paragraph of some length. " * 40,
        encoding="utf-8",
    )
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="book"):
        pipeline.build(project, (Format.PDF,), project / "parts", jobs=2)
    (tally,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("PDF:")]
    pipeline.build(project, (Format.PDF,), project / "one", jobs=1)
    merged, single = project / "parts" / "book.pdf", project / "one" / "book.pdf"
    assert _openings(merged) == _openings(single)
    assert _texts(merged) == _texts(single)
    assert _openings(merged)[-1][1] > before[-1][1]  # later chapters moved on
    assert " 0 from the cache" not in tally  # what the edit did not move was reused


def test_no_cache_writes_no_cache(make_project: MakeProject) -> None:
    project = make_project({"01.md": "# One\n\nText.\n", "02.md": "# Two\n\nMore.\n"})
    pipeline.build(project, (Format.PDF,), jobs=2, use_cache=False)
    assert (project / "build" / "book.pdf").stat().st_size > 0
    assert not (project / "build" / ".cache" / "pdf-parts").exists()
    assert not (project / "build" / ".cache" / "page-starts").exists()
    assert not (project / "build" / ".cache" / "parsed").exists()


def test_css_that_counts_pages_itself_gets_one_document(
    make_project: MakeProject, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_project(
        {"01.md": "# One\n\nText.\n", "02.md": "# Two\n\nMore.\n"},
        build='styles = ["styles/x.css"]\n',
        files={"styles/x.css": b"@page :first { margin-top: 3in; }\n"},
    )
    with caplog.at_level(logging.INFO, logger="book"):
        pipeline.build(project, (Format.PDF,), jobs=2)
    assert "as one document" in caplog.text and "x.css" in caplog.text


def test_workers_start_from_a_fork_server_beside_other_threads(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``book serve`` builds in a thread: forking it could copy a held lock."""
    import threading

    from book import workers

    methods: list[str] = []
    real = workers.multiprocessing.get_context
    monkeypatch.setattr(
        workers.multiprocessing, "get_context", lambda m: methods.append(m) or real(m)
    )
    project = make_project(
        {
            "01.md": "# One\n\nText.\n",
            "02.md": "# Two\n\nSee [](#one).\n",
            "03.md": "# Three\n\nIts folios wait for the pages before it.\n",
        }
    )
    idle = threading.Event()
    other = threading.Thread(target=idle.wait)
    other.start()
    try:
        pipeline.build(project, (Format.PDF,), project / "parts", jobs=2, use_cache=False)
    finally:
        idle.set()
        other.join()
    pipeline.build(project, (Format.PDF,), project / "one", jobs=1)
    assert methods and set(methods) == {"forkserver"}
    assert _texts(project / "parts" / "book.pdf") == _texts(project / "one" / "book.pdf")


PROSE = (
    "The river crossing was held for three days, then given up in a night march "
    "that the official history later described as a planned withdrawal. "
) * 6


def test_a_cold_build_lays_out_each_chapter_once(
    make_project: MakeProject, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no cache to guess from, each chapter is laid out once: one that
    prints no page number gets its folios after pagination, one that names
    its own pages (chapter 4) its first folio before layout, from the pages
    of the chapters before them, as the other worker publishes them. The
    contents, handed out last in the same round, wait for every chapter's
    pagination and fill in their page numbers in the worker."""
    rounds: list[list[int]] = []
    lay_out_all = parallel._lay_out_all

    def counted(workers: Any, todo: Sequence[Job], *rest: Any) -> list[PartLayout]:
        rounds.append(sorted(job.part.index for job in todo))
        return lay_out_all(workers, todo, *rest)

    monkeypatch.setattr(parallel, "_lay_out_all", counted)
    chapters = {
        f"{n:02}.md": f"# Chapter {n}\n\n" + "\n\n".join([PROSE] * (3 + n)) + "\n"
        for n in range(1, 6)
    }
    chapters["04.md"] += "\n## The crossing {#crossing}\n\n" + PROSE + "\n\nSee [](#crossing).\n"
    project = make_project(chapters)
    with caplog.at_level(logging.INFO, logger="book"):
        pipeline.build(project, (Format.PDF,), project / "parts", jobs=2, use_cache=False)
    (tally,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("PDF:")]
    assert tally.startswith("PDF: 6 parts, 6 laid out,"), tally
    assert rounds == [[0, 1, 2, 3, 4, 5]]
    pipeline.build(project, (Format.PDF,), project / "one", jobs=1)
    merged, single = project / "parts" / "book.pdf", project / "one" / "book.pdf"
    assert len(_texts(single)) > 12
    assert "on page" in "".join(_texts(single))
    assert _texts(merged) == _texts(single)
    assert _openings(merged) == _openings(single)


def test_a_part_that_fails_stops_the_build_without_a_hang(make_project: MakeProject) -> None:
    """A worker whose part fails tells the ledger: the parts waiting for its
    page count stop too, and the build ends with the failure (in a child
    process here, so that a hang would end in a timeout, not a stuck run)."""
    project = _chapters(make_project, 5)
    script = (
        "from book.pdf import worker\n"
        "real = worker._lay_out\n"
        "def failing(book, ledger, job):\n"
        "    if job.part.index == 2:\n"
        "        raise RuntimeError('boom in part 2')\n"
        "    return real(book, ledger, job)\n"
        "worker._lay_out = failing\n"
        "from book.pdf import jobs\n"  # forked, so the workers have the failing layout
        "jobs.pool_method = lambda: 'fork'\n"  # (WeasyPrint is imported, never used, here)
        "pipeline.build(project, (Format.PDF,), jobs=2, use_cache=False)\n"
    )
    run = _in_a_child(script, project)
    assert run.returncode != 0
    assert "boom in part 2" in run.stderr
    assert not (project / "build" / "book.pdf").exists()


def test_the_parent_leaves_layout_to_warm_workers(make_project: MakeProject) -> None:
    """A build's workers start before the chapters are read and pay WeasyPrint's
    start-up there: the building process itself never imports it, on a cold
    build nor on a rebuild of one edited chapter (in a child process here, so
    that this test's own imports do not count)."""
    project = _chapters(make_project, 3)
    script = (
        "first = pipeline.build(project, (Format.PDF,), jobs=2)\n"
        "chapter = project / 'chapters' / '02.md'\n"
        "chapter.write_text(chapter.read_text() + 'One more sentence.\\n')\n"
        "second = pipeline.build(project, (Format.PDF,), jobs=2)\n"
        "print(first.pdf_pages, second.pdf_pages, 'weasyprint' in sys.modules)\n"
    )
    run = _in_a_child(script, project)
    assert run.returncode == 0, run.stderr
    first, second, imported = run.stdout.split()
    assert int(first) >= 3 and int(second) >= 3
    assert imported == "False"


def _chapters(make_project: MakeProject, count: int) -> Path:
    """A project of ``count`` chapters of prose."""
    return make_project({f"{n:02}.md": f"# Chapter {n}\n\n{PROSE}\n" for n in range(1, count + 1)})


def _in_a_child(script: str, project: Path) -> subprocess.CompletedProcess[str]:
    """``script`` run by a fresh Python, with ``project``, ``pipeline``,
    ``Format`` and ``sys`` defined (a hang ends in a timeout)."""
    preamble = (
        "import sys\n"
        "from pathlib import Path\n"
        "from book import pipeline\n"
        "from book.model import Format\n"
        "project = Path(sys.argv[1])\n"
    )
    return subprocess.run(
        [sys.executable, "-c", preamble + script, str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_no_contents_title_runs_into_its_leader(builds: tuple[Path, Path, Path]) -> None:
    """A no-break space stands between a title and its dots, so a first dot set
    against the title's last letter does not read as a full stop ("Canal.")."""
    _, one, parts = builds
    for pdf in (one, parts):
        with opened(pdf) as document:
            pages = read_pages(document)
        (contents,) = [page for page in pages if any(w.text == "Contents" for w in page.words)]
        words = [word.text for word in contents.words]
        assert words.count(".") > 100  # the leaders are there
        assert [word for word in words if word.endswith(".") and word.strip(".")] == []
