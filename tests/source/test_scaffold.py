"""``book new``: the starter project."""

from __future__ import annotations

import tomllib
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from book.cli import main
from book.source.config import load_config


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def new_project(directory: Path, *extra: str) -> Path:
    """Run ``book new DIRECTORY`` and insist that it succeeded."""
    result = run("new", directory, *extra)
    assert result.exit_code == 0, result.output
    return directory


def test_new_creates_the_project_files(tmp_path: Path) -> None:
    root = tmp_path / "my-novel"
    result = run("new", root)
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    assert (root / "book.toml").is_file()
    assert (root / ".gitignore").is_file()
    assert "build/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert sorted(p.name for p in (root / "styles").glob("*.css"))
    chapters = sorted((root / "chapters").glob("*.md"))
    assert len(chapters) == 2
    # The renamed templates are not copied under their packaged names.
    assert not (root / "gitignore").exists()
    assert not (root / "book.toml.in").exists()


def test_new_chapters_show_a_footnote_and_a_figure(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p")
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "chapters").glob("*.md"))]
    joined = "\n".join(texts)
    assert "[^1]" in joined and "[^1]:" in joined
    assert "![" in joined
    # The figure's image ships with the project.
    config = load_config(root)
    assert [c.display.name for c in config.chapters] == [
        "01-beginning.md",
        "02-middle.md",
    ]
    images = list((root / "chapters").rglob("*.svg"))
    assert images
    assert any(f"]({img.relative_to(root / 'chapters').as_posix()}" in joined for img in images)


def test_new_book_toml_is_valid(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p")
    data = tomllib.loads((root / "book.toml").read_text(encoding="utf-8"))
    assert set(data) == {"book", "build"}
    config = load_config(root)
    assert config.metadata.language == "en"
    assert config.metadata.authors
    assert config.output == "book"


@pytest.mark.parametrize(
    ("name", "title"),
    [("my-novel", "My Novel"), ("on_margins", "On Margins"), ("thesis", "Thesis")],
)
def test_title_comes_from_the_directory_name(tmp_path: Path, name: str, title: str) -> None:
    root = new_project(tmp_path / name)
    assert load_config(root).metadata.title == title


@pytest.mark.parametrize("title", ["On Margins", 'He Said "Hello"', "Café Ünïcode", "A\\B"])
def test_title_option(tmp_path: Path, title: str) -> None:
    root = new_project(tmp_path / "thesis", "--title", title)
    assert load_config(root).metadata.title == title


def test_title_with_characters_outside_the_bmp(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p", "--title", "\N{BOOKS} Notes")
    assert load_config(root).metadata.title == "\N{BOOKS} Notes"


def test_new_into_an_existing_empty_directory(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    new_project(root)
    assert (root / "book.toml").is_file()


def test_new_creates_missing_parents(tmp_path: Path) -> None:
    root = new_project(tmp_path / "a" / "b" / "deep-book")
    assert load_config(root).metadata.title == "Deep Book"


def test_new_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    root = tmp_path / "busy"
    root.mkdir()
    (root / "notes.txt").write_text("keep me\n", encoding="utf-8")
    result = run("new", root)
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert str(root) in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]
    assert (root / "notes.txt").read_text(encoding="utf-8") == "keep me\n"


def test_new_twice_refuses_the_second_time(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p")
    before = (root / "book.toml").read_bytes()
    result = run("new", root, "--title", "Other")
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert (root / "book.toml").read_bytes() == before


def test_new_on_an_existing_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me\n", encoding="utf-8")
    result = run("new", target)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error:" in result.output
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_new_requires_a_directory_argument() -> None:
    assert run("new").exit_code == 2


# --- the scaffolded project works -------------------------------------------------------


def test_new_project_passes_strict_check(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p")
    result = run("check", root, "--strict")
    assert result.exit_code == 0, result.output
    assert "ok: 0 warnings" in result.output


def test_new_project_builds_epub_and_html(tmp_path: Path) -> None:
    root = new_project(tmp_path / "p")
    result = run("build", root, "-f", "epub", "-f", "html", "--strict")
    assert result.exit_code == 0, result.output
    epub = root / "build" / "book.epub"
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype"
        assert archive.read("mimetype") == b"application/epub+zip"
        assert any(name.endswith(".svg") for name in names)  # the figure
    index = root / "build" / "html" / "index.html"
    assert index.is_file()
    html = "\n".join(p.read_text(encoding="utf-8") for p in (root / "build/html").glob("*.html"))
    assert "The Beginning" in html and "The Middle" in html
    assert result.output.count("wrote") == 2


def test_new_project_builds_pdf(tmp_path: Path) -> None:
    # The only PDF build in this file: it takes a second or more.
    root = new_project(tmp_path / "p")
    result = run("build", root, "-f", "pdf")
    assert result.exit_code == 0, result.output
    pdf = root / "build" / "book.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "wrote" in result.output
    # the starter figure's labels are set in the book's face, not the system's serif
    fonts = {
        str(font.get("/BaseFont")).split("+")[-1]
        for page in PdfReader(pdf).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("Libertine") for name in fonts), fonts
