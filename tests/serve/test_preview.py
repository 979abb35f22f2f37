"""preview: each good build is published as a new site; a failed one keeps the last."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from book.serve.preview import PDF_THREAD, Preview, RepeatedWarnings
from book.serve.rebuild import Board
from tests.conftest import MakeProject


@pytest.fixture
def preview(make_project: MakeProject, tmp_path: Path) -> Preview:
    project = make_project({"01-a.md": "# Alpha\n\nFirst text.\n"})
    return Preview(project, tmp_path / "work", Board(), lambda line: None)


def _chapter(preview: Preview) -> Path:
    return preview.project / "chapters" / "01-a.md"


def test_a_good_build_is_published_as_a_site(preview: Preview) -> None:
    preview.build_site()
    status = preview.board.status
    assert (status.build, status.site, status.error) == (1, 1, None)
    site = preview.site(status.site)
    assert site is not None
    assert "First text." in (site / "ch01-a.html").read_text(encoding="utf-8")
    assert preview.site(0) is None


def test_a_failed_build_keeps_the_last_good_site(preview: Preview) -> None:
    preview.build_site()
    _chapter(preview).write_text("# Alpha\n\nText.\n\n![map](figures/map.png)\n", "utf-8")
    preview.build_site()
    status = preview.board.status
    assert (status.build, status.site) == (2, 1)
    assert status.error == (
        "chapters/01-a.md:5: error: image 'figures/map.png' not found [missing-image]"
    )
    site = preview.site(1)
    assert site is not None and (site / "ch01-a.html").is_file()


def test_only_the_current_and_the_previous_site_are_kept(preview: Preview) -> None:
    for _ in range(3):
        preview.build_site()
    kept = sorted(p.name for p in (preview.workdir / "site").iterdir())
    assert kept == ["2", "3"]


def test_after_site_runs_after_good_builds_only(preview: Preview) -> None:
    calls: list[int] = []
    preview.after_site = lambda: calls.append(preview.board.status.site)
    preview.build_site()
    _chapter(preview).write_text("# Alpha\n\nCall[^nowhere].\n", "utf-8")
    preview.build_site()
    assert calls == [1]


def test_the_pdf_is_built_and_counted(preview: Preview) -> None:
    assert preview.pdf is None
    preview.build_pdf()
    assert preview.pdf is not None and preview.pdf.read_bytes().startswith(b"%PDF-")
    assert preview.board.status.pdf == 1


def test_the_terminal_is_told(make_project: MakeProject, tmp_path: Path) -> None:
    lines: list[str] = []
    project = make_project({"01-a.md": "# A\n\n![x](gone.png)\n"})
    Preview(project, tmp_path / "work", Board(), lines.append).build_site()
    assert len(lines) == 1 and lines[0].endswith(
        "the book did not build; still serving the last good build"
    )


def _record(message: str, thread: str) -> logging.LogRecord:
    record = logging.LogRecord("book", logging.WARNING, __file__, 1, message, None, None)
    record.threadName = thread
    return record


def test_the_pdf_build_does_not_repeat_the_html_builds_warnings() -> None:
    warnings = RepeatedWarnings()
    assert warnings.filter(_record("a.md:1: warning: w [x]", "octavo-html"))
    assert not warnings.filter(_record("a.md:1: warning: w [x]", PDF_THREAD))
    assert warnings.filter(_record("overflow on page 3", PDF_THREAD))
    warnings.new_round()
    assert warnings.filter(_record("a.md:1: warning: w [x]", PDF_THREAD))
