"""``book diff`` from end to end on the sample book: one paragraph of chapter 2 edited."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from book import pipeline
from book.cli import main
from book.diff.comparison import compare_pdfs
from book.diff.pairing import Change
from book.model import Format
from tests.conftest import copy_sample
from tests.diff.test_pdfread import make_pdf

EDIT = ("is still debated", "remains a matter of lively debate among historians of both countries")


@dataclass(frozen=True)
class Editions:
    old: Path
    again: Path
    """A second build of the same sources."""
    new: Path
    """chapters/02-khasan.md with one paragraph edited."""


def _build(project: Path, name: str) -> Path:
    result = pipeline.build(project, (Format.PDF,), project / name)
    return result.outputs[0]


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Editions:
    project = copy_sample(tmp_path_factory.mktemp("sample"))
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1764028800")
    old, again = _build(project, "old"), _build(project, "again")
    chapter = project / "chapters" / "02-khasan.md"
    text = chapter.read_text(encoding="utf-8")
    assert text.count(EDIT[0]) == 1
    chapter.write_text(text.replace(*EDIT), encoding="utf-8")
    return Editions(old, again, _build(project, "new"))


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def test_exactly_the_pages_whose_text_changed(editions: Editions, tmp_path: Path) -> None:
    old, new = page_texts(editions.old), page_texts(editions.new)
    assert len(old) == len(new)  # the edit reflows the chapter without adding a page
    expected = {i + 1 for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}
    edited = next(i + 1 for i, text in enumerate(new) if "lively" in text)
    assert edited in expected

    result = compare_pdfs(editions.old, editions.new, tmp_path / "diff")

    changed = {d.new.number for d in result.diffs if d.change is Change.CHANGED and d.new}
    assert changed == expected
    assert not result.identical
    assert {d.chapter.name for d in result.diffs if d.change is Change.CHANGED and d.chapter} == {
        "Chapter 2"
    }
    assert result.summary == f"{len(expected)} of {len(new)} pages changed; chapter 2"


def test_the_report_shows_each_changed_page_side_by_side(
    editions: Editions, tmp_path: Path
) -> None:
    result = compare_pdfs(editions.old, editions.new, tmp_path / "diff", ("old.pdf", "new.pdf"))
    html = result.report.read_text(encoding="utf-8")
    changed = sum(d.change is Change.CHANGED for d in result.diffs)
    assert html.count('<section class="page"') == changed
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) == 2 * changed
    assert all((result.report.parent / src).is_file() for src in images)
    assert "http:" not in html and "https:" not in html  # nothing fetched
    assert "<ins>remains a matter of lively debate" in html
    assert "<del>is still debated" in html


def test_two_builds_of_the_same_sources_are_identical(editions: Editions, tmp_path: Path) -> None:
    result = compare_pdfs(editions.old, editions.again, tmp_path / "diff")
    assert result.identical
    assert {d.change for d in result.diffs} == {Change.SAME}


def test_the_command_exits_1_when_pages_changed(editions: Editions, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        main, ["diff", str(editions.old), str(editions.new), "-o", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert re.fullmatch(
        r"\d+ of \d+ pages changed; chapter 2 \(report: .*index.html\)\n", result.output
    )
    assert (out / "index.html").is_file()


def test_the_command_exits_0_when_identical(editions: Editions, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["diff", str(editions.old), str(editions.again), "-o", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no differences: ")


def test_a_previous_report_is_replaced(editions: Editions, tmp_path: Path) -> None:
    out = tmp_path / "diff"
    compare_pdfs(editions.old, editions.new, out)
    assert list((out / "pages").iterdir())
    compare_pdfs(editions.old, editions.again, out)
    assert list((out / "pages").iterdir()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["diff"]  # no temporary left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.pdf", "{old}"], "error: missing.pdf: no such file [missing-file]"),
        (["{toml}", "{old}"], "not a PDF file [not-pdf]"),
    ],
)
def test_bad_inputs(editions: Editions, tmp_path: Path, args: list[str], message: str) -> None:
    toml = tmp_path / "book.toml"
    toml.write_text("[book]\n", encoding="utf-8")
    filled = [a.format(old=editions.old, toml=toml) for a in args]
    result = CliRunner().invoke(main, ["diff", *filled, "-o", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r").exists()


# --- small PDFs made here ------------------------------------------------------------------


def prose(n: int) -> str:
    return f"<p>Page {n} of the draft: " + " ".join(f"word{n}x{i}" for i in range(30)) + "</p>"


def test_an_inserted_page_renumbers_the_rest_without_changing_them(tmp_path: Path) -> None:
    old = make_pdf(tmp_path / "old.pdf", [prose(1), prose(2), prose(3), prose(4)])
    new = make_pdf(
        tmp_path / "new.pdf", [prose(1), "<p>A new page.</p>", prose(2), prose(3), prose(4)]
    )
    result = compare_pdfs(old, new, tmp_path / "diff")
    assert [d.change for d in result.diffs] == [
        Change.SAME,
        Change.ADDED,
        Change.MOVED,
        Change.MOVED,
        Change.MOVED,
    ]
    assert result.summary == "1 of 5 pages changed (3 more only renumbered)"


def test_a_page_that_only_looks_different_is_changed(tmp_path: Path) -> None:
    box = '<div style="width: 50pt; height: 50pt; background: {}"></div>'
    old = make_pdf(tmp_path / "old.pdf", [prose(1) + box.format("black")])
    new = make_pdf(tmp_path / "new.pdf", [prose(1) + box.format("red")])
    (diff,) = compare_pdfs(old, new, tmp_path / "diff").diffs
    assert diff.change is Change.CHANGED
    assert diff.segments == ()
    assert len(diff.new_marks) == 1
    left, top, right, bottom = diff.new_marks[0]
    assert left >= 35 and right <= 100 and bottom - top < 70  # the box, not the page
