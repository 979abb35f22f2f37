"""proof: the proof edition (watermark, build stamp, § anchors) and CriticMarkup
in all three editions; normal builds carry none of it."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from book import pipeline
from book.model import BuildMode, ChangeMode, Format, ProofMarks
from book.proof import edition as proof
from book.source.config import load_config
from tests.conftest import write_project

CHAPTERS = {
    "00-copyright.md": "Copyright 2026 A. Writer.\n",
    "01-a.md": (
        "# Alpha\n\n"
        "The {++brave ++}patrol {--slowly --}climbed the {~~hill~>ridge~~}.[^1]\n\n"
        "{==The crest==}{>>Which crest? Name it.<<} was bare.\n\n"
        "[^1]: A note.\n"
    ),
    "02-b.md": "# Beta\n\nNo marks here.\n\nA second paragraph.\n",
}
BUILD = (
    'chapters = [{ file = "chapters/00-copyright.md", type = "copyright" }, '
    '"chapters/01-a.md", "chapters/02-b.md"]\n'
)
PROOF = BuildMode(proof=True, changes=ChangeMode.SHOW)


def project_at(root: Path, watermark: str | None = None) -> Path:
    project = write_project(root, CHAPTERS, build=BUILD)
    if watermark is not None:
        with (project / "book.toml").open("a", encoding="utf-8") as toml:
            toml.write(f'\n[proof]\nwatermark = "{watermark}"\n')
    return project


@pytest.fixture(scope="module")
def proof_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = project_at(tmp_path_factory.mktemp("proof") / "p", watermark="PROBE COPY")
    pipeline.build(project, tuple(Format), mode=PROOF)
    return project / "build" / "proof"


@pytest.fixture(scope="module")
def normal_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = project_at(tmp_path_factory.mktemp("normal") / "p")
    (pdf,) = pipeline.build(project, (Format.PDF,)).outputs
    return pdf


def texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


# --- the PDF ---------------------------------------------------------------------------


def test_every_proof_page_has_the_watermark_and_the_stamp(proof_build: Path) -> None:
    pages = texts(proof_build / "book.pdf")
    assert len(pages) >= 4
    for number, text in enumerate(pages, 1):
        # rotated text comes out without its spaces
        assert "PROBECOPY" in text.replace(" ", ""), f"page {number} has no watermark"
        assert re.search(r"Proof \d{4}-\d\d-\d\d \d\d:\d\d UTC", text), f"page {number}"
        assert re.search(r"(sources [0-9a-f]{12}|git \S+)", text), f"page {number}"


def test_watermark_and_stamp_when_laid_out_as_one_document(tmp_path: Path) -> None:
    project = project_at(tmp_path / "p")
    (pdf,) = pipeline.build(project, (Format.PDF,), jobs=1, mode=PROOF).outputs
    pages = texts(pdf)
    assert all("DRAFT" in text and "Proof " in text for text in pages)


def test_no_watermark_when_set_to_nothing(tmp_path: Path) -> None:
    project = project_at(tmp_path / "p", watermark="")
    (pdf,) = pipeline.build(project, (Format.PDF,), mode=PROOF).outputs
    pages = texts(pdf)
    assert all("DRAFT" not in text and "Proof " in text for text in pages)


def test_the_normal_pdf_has_neither(normal_pdf: Path) -> None:
    whole = "\n".join(texts(normal_pdf))
    assert "DRAFT" not in whole and "Proof" not in whole and "sources" not in whole
    assert "§" not in whole


def test_proof_paragraphs_are_numbered_for_citing(proof_build: Path) -> None:
    whole = "\n".join(texts(proof_build / "book.pdf"))
    for anchor in ("§i.1", "§1.1", "§1.2", "§2.1", "§2.2"):
        assert anchor in whole
    assert "§1.3" not in whole  # the footnote's paragraph is not the chapter's


def test_marks_and_comments_at_the_page_foot_in_the_pdf(proof_build: Path) -> None:
    (page,) = [t for t in texts(proof_build / "book.pdf") if "brave" in t]
    assert "slowly" in page and "ridge" in page
    lines = page.splitlines()
    # lettered apart from the numbered note, which keeps its number
    assert "a. Which crest? Name it." in lines and "1. A note." in lines


def test_proof_pdf_layout_reports_no_overflow(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = project_at(tmp_path / "p")
    result = pipeline.build(project, (Format.PDF,), mode=PROOF)
    assert result.warnings == 0, result.messages


# --- HTML and EPUB ------------------------------------------------------------------------


def test_html_proof_has_stamp_anchors_and_marks(proof_build: Path) -> None:
    index = (proof_build / "html" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="proof-stamp">Proof \d{4}-\d\d-\d\d \d\d:\d\d UTC · ', index)
    page = (proof_build / "html" / "ch01-a.html").read_text(encoding="utf-8")
    assert '<p data-cite="1.1" id="p-1-1">' in page
    assert '<ins class="critic">brave </ins>' in page
    assert '<del class="critic">slowly </del>' in page
    assert '<span class="critic-comment">Which crest? Name it.</span>' in page


def test_epub_proof_has_stamp_and_inline_comments(proof_build: Path) -> None:
    with zipfile.ZipFile(proof_build / "book.epub") as archive:
        title = archive.read("EPUB/titlepage.xhtml").decode()
        chapter = archive.read("EPUB/ch01-a.xhtml")
    assert 'class="proof-stamp">Proof ' in title
    root = etree.fromstring(chapter)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    assert root.xpath("//h:mark[@class='critic']/text()", namespaces=ns) == ["The crest"]
    assert root.xpath("//h:span[@class='critic-comment']/text()", namespaces=ns) == [
        "Which crest? Name it."
    ]
    assert root.xpath("//h:p[@id='p-1-2']/@data-cite", namespaces=ns) == ["1.2"]


# --- the clean text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "kept", "gone"),
    [
        (ChangeMode.ACCEPT, "The brave patrol climbed the ridge.", ("slowly", "hill", "Which")),
        (ChangeMode.REJECT, "The patrol slowly climbed the hill.", ("brave", "ridge", "Which")),
    ],
)
def test_accepted_and_rejected_editions(
    tmp_path: Path, mode: ChangeMode, kept: str, gone: tuple[str, ...]
) -> None:
    project = project_at(tmp_path / "p")
    result = pipeline.build(project, tuple(Format), mode=BuildMode(changes=mode))
    assert result.warnings == 0, result.messages
    pdf = " ".join(" ".join(texts(project / "build" / "book.pdf")).split())
    html = (project / "build" / "html" / "ch01-a.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(project / "build" / "book.epub") as archive:
        epub = archive.read("EPUB/ch01-a.xhtml").decode()
    for edition in (pdf, html, epub):
        assert kept in re.sub(r"<[^>]+>", "", edition)
        assert "critic" not in edition and "The crest was bare" in re.sub(r"<[^>]+>", "", edition)
        for word in gone:
            assert word not in edition


def test_a_normal_build_warns_and_strict_fails(tmp_path: Path) -> None:
    project = project_at(tmp_path / "p")
    result = pipeline.build(project, (Format.HTML,))
    assert result.warnings == 4
    assert result.messages[0] == (
        'chapters/01-a.md:3: warning: unresolved insertion: "brave" [criticmarkup]'
    )
    with pytest.raises(pipeline.StrictError):
        pipeline.build(project, (Format.HTML,), strict=True)


# --- the stamp and the anchors ----------------------------------------------------------


def test_stamp_outside_git_is_a_hash_of_the_sources(tmp_path: Path) -> None:
    project = project_at(tmp_path / "p")
    config = load_config(project)
    first = proof.proof_marks(config)
    assert re.fullmatch(r"sources [0-9a-f]{12}", first.version)
    (project / "chapters" / "02-b.md").write_text("# Beta\n\nChanged.\n", encoding="utf-8")
    assert proof.proof_marks(load_config(project)).version != first.version


def test_stamp_uses_the_build_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    marks = proof.proof_marks(load_config(project_at(tmp_path / "p")))
    assert marks.when == "Proof 2023-11-14 22:13 UTC"
    assert marks.stamp.startswith("Proof 2023-11-14 22:13 UTC · ")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_stamp_in_git_is_git_describe(tmp_path: Path) -> None:
    project = project_at(tmp_path / "p")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost", "-C", str(project)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert proof.proof_marks(load_config(project)).version == f"git {head}"
    (project / "chapters" / "02-b.md").write_text("# Beta\n\nEdited.\n", encoding="utf-8")
    assert proof.proof_marks(load_config(project)).version == f"git {head}-dirty"


def test_git_describe_outside_a_repository(tmp_path: Path) -> None:
    assert proof.git_describe(tmp_path) is None


def test_chapter_numbers_for_citations(tmp_path: Path) -> None:
    project = project_at(tmp_path / "p")
    _, manuscript = pipeline.load(project)
    assert proof.chapter_numbers(manuscript.chapters) == {
        "ch00-copyright": "i",
        "ch01-a": "1",
        "ch02-b": "2",
    }


def test_stamp_css_is_quoted() -> None:
    css = proof.proof_css(ProofMarks("X", 'Proof "a\\b"', "git v1"), Format.PDF)
    assert 'content: "Proof \\22 a\\5c b\\22 " \'\\A\' "git v1"' in css
    assert proof.proof_css(ProofMarks("X", "a", "b"), Format.HTML) == ""
