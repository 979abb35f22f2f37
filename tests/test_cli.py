"""The ``book`` command, through click's CliRunner."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from book import __version__
from book.cli import main

BOOK_TOML = """\
[book]
title = "A Tiny Book"
authors = ["Ada Lovelace"]
language = "en"
"""

CHAPTER = """\
# The Start

Some text with a note.[^1]

[^1]: The note.
"""


def make_project(
    root: Path,
    chapters: dict[str, str | bytes] | None = None,
    toml: str = BOOK_TOML,
) -> Path:
    """A tiny project: book.toml and chapters/NAME (text or raw bytes)."""
    (root / "chapters").mkdir(parents=True, exist_ok=True)
    (root / "book.toml").write_text(toml, encoding="utf-8")
    for name, content in (chapters or {"01-x.md": CHAPTER}).items():
        path = root / "chapters" / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def files_under(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*")) if directory.exists() else []


# --- the command line itself ---------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output
    assert "octavo" in result.output


@pytest.mark.parametrize("args", [[], ["build"], ["check"], ["new"]])
def test_help_shows_examples(args: list[str]) -> None:
    result = run(*args, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.output
    assert "Usage:" in result.output


def test_short_help_option() -> None:
    result = run("build", "-h")
    assert result.exit_code == 0
    assert "--format" in result.output


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = run("build", root, "-f", "mobi")
    assert result.exit_code == 2
    assert "mobi" in result.output
    assert not (root / "build").exists()


def test_unknown_command_is_a_usage_error() -> None:
    assert run("publish").exit_code == 2


# --- check -------------------------------------------------------------------------------


def test_check_valid_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = run("check", root)
    assert result.exit_code == 0, result.output
    assert "ok" in result.output
    assert "ok: 0 warnings" in result.output
    assert not (root / "build").exists()  # check writes nothing


def test_check_defaults_to_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    root = make_project(tmp_path / "p")
    monkeypatch.chdir(root)
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "ok" in result.output


def test_check_reports_a_missing_image_with_its_line(tmp_path: Path) -> None:
    chapter = "# X\n\nFirst paragraph.\n\nSecond paragraph.\n\n![A map](figures/nope.png)\n"
    root = make_project(tmp_path / "p", {"01-x.md": chapter})
    result = run("check", root)
    assert result.exit_code == 1
    assert (
        "chapters/01-x.md:7: error: image 'figures/nope.png' not found [missing-image]"
        in result.output
    )
    assert "Traceback" not in result.output
    assert "ok" not in result.output


def test_check_reports_errors_of_every_chapter(tmp_path: Path) -> None:
    root = make_project(
        tmp_path / "p",
        {
            "01-a.md": "# A\n\n![A](a.png)\n",
            "02-b.md": "# B\n\ntext\n\n![B](b.png)\n",
        },
    )
    result = run("check", root)
    assert result.exit_code == 1
    assert "chapters/01-a.md:3: error: image 'a.png' not found [missing-image]" in result.output
    assert "chapters/02-b.md:5: error: image 'b.png' not found [missing-image]" in result.output


def test_check_warning_passes_without_strict(tmp_path: Path) -> None:
    chapter = "# X\n\nNo reference here.\n\n[^gone]: Never referenced.\n"
    root = make_project(tmp_path / "p", {"01-x.md": chapter})
    result = run("check", root)
    assert result.exit_code == 0, result.output
    assert (
        "chapters/01-x.md:5: warning: footnote [^gone] is defined but never referenced "
        "[unused-footnote]" in result.output
    )
    assert "ok: 1 warning" in result.output


def test_check_warning_fails_with_strict(tmp_path: Path) -> None:
    chapter = "# X\n\nNo reference here.\n\n[^gone]: Never referenced.\n"
    root = make_project(tmp_path / "p", {"01-x.md": chapter})
    result = run("check", root, "--strict")
    assert result.exit_code == 1
    assert "[unused-footnote]" in result.output
    assert "--strict" in result.output
    assert "ok:" not in result.output
    assert "Traceback" not in result.output


def test_check_strict_without_warnings_passes(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = run("check", root, "--strict")
    assert result.exit_code == 0, result.output


def test_check_bad_book_toml_lists_the_problems(tmp_path: Path) -> None:
    toml = BOOK_TOML.replace('["Ada Lovelace"]', '"Ada Lovelace"').replace("title", "titel")
    root = make_project(tmp_path / "p", toml=toml)
    result = run("check", root)
    assert result.exit_code == 1
    assert "book.toml: book.authors: expected a list of strings" in result.output
    assert "book.toml: book.titel: unknown key; did you mean 'title'?" in result.output
    assert "Traceback" not in result.output


def test_check_without_book_toml(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("check", tmp_path / "empty")
    assert result.exit_code == 1
    assert "[no-config]" in result.output


def test_check_toml_syntax_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", toml='[book]\ntitle = "T"\nauthors ["A"]\n')
    result = run("check", root)
    assert result.exit_code == 1
    assert re.search(r"^book\.toml:3:\d+: error: invalid TOML", result.output, re.MULTILINE)


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    chapter = b"# X\n\nFine line.\nCaf\xe9 in Latin-1.\n"
    root = make_project(tmp_path / "p", {"01-x.md": chapter})
    result = run("check", root)
    assert result.exit_code == 1
    assert re.search(
        r"^chapters/01-x\.md:4: error: invalid UTF-8 .*\[encoding\]$", result.output, re.MULTILINE
    ), result.output
    assert "0xe9" in result.output
    assert "Traceback" not in result.output


def test_invalid_utf8_in_build(tmp_path: Path) -> None:
    chapter = b"\xff\xfe# X\n"
    root = make_project(tmp_path / "p", {"01-x.md": chapter})
    result = run("build", root, "-f", "html")
    assert result.exit_code == 1
    assert re.search(r"chapters/01-x\.md:1: error: invalid UTF-8 .*\[encoding\]", result.output)
    assert not (root / "build").exists()


# --- build -------------------------------------------------------------------------------


def test_build_html_into_output_directory(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    out = tmp_path / "out"
    result = run("build", root, "-f", "html", "-o", out)
    assert result.exit_code == 0, result.output
    index = out / "html" / "index.html"
    assert index.is_file()
    assert "A Tiny Book" in index.read_text(encoding="utf-8")
    assert "wrote" in result.output
    assert not (root / "build").exists()  # -o replaces PROJECT/build
    assert not (out / "book.epub").exists()  # only the format asked for
    assert not [p for p in files_under(out) if p.name.endswith(".part")]


def test_build_epub_into_default_directory(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = run("build", root, "-f", "epub")
    assert result.exit_code == 0, result.output
    epub = root / "build" / "book.epub"
    assert epub.read_bytes().startswith(b"PK")
    assert "wrote" in result.output and "book.epub" in result.output


def test_build_quiet_prints_nothing(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = run("build", root, "-f", "html", "-q")
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert (root / "build" / "html" / "index.html").is_file()


def test_build_strict_with_warning_writes_nothing(tmp_path: Path) -> None:
    chapter = "# X\n\nNo reference here.\n\n[^gone]: Never referenced.\n"
    root = make_project(tmp_path / "p", {"01-x.md": chapter})
    result = run("build", root, "-f", "html", "--strict")
    assert result.exit_code == 1
    assert "[unused-footnote]" in result.output
    assert not (root / "build").exists()


def test_build_bad_book_toml(tmp_path: Path) -> None:
    toml = BOOK_TOML.replace('language = "en"', 'language = "english"')
    root = make_project(tmp_path / "p", toml=toml)
    result = run("build", root, "-f", "html")
    assert result.exit_code == 1
    assert "book.toml: book.language: 'english' is not a BCP 47 tag" in result.output
    assert "Traceback" not in result.output
    assert not (root / "build").exists()


def test_failed_build_writes_nothing(tmp_path: Path) -> None:
    chapter = "# X\n\n![A map](figures/nope.png)\n"
    root = make_project(tmp_path / "p", {"01-x.md": chapter})
    result = run("build", root, "-f", "epub", "-f", "html")
    assert result.exit_code == 1
    assert "[missing-image]" in result.output
    assert files_under(root / "build") == []
    assert "wrote" not in result.output


def test_failed_build_keeps_the_previous_outputs(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    first = run("build", root, "-f", "epub", "-f", "html")
    assert first.exit_code == 0, first.output
    epub = root / "build" / "book.epub"
    before = epub.read_bytes()
    index_before = (root / "build" / "html" / "index.html").read_bytes()
    listing_before = files_under(root / "build")

    (root / "chapters" / "01-x.md").write_text(
        CHAPTER + "\n![A map](figures/nope.png)\n", encoding="utf-8"
    )
    second = run("build", root, "-f", "epub", "-f", "html")
    assert second.exit_code == 1
    assert "[missing-image]" in second.output
    assert epub.read_bytes() == before
    assert (root / "build" / "html" / "index.html").read_bytes() == index_before
    assert files_under(root / "build") == listing_before  # no temporary files left behind


def test_failure_while_writing_keeps_the_previous_html(tmp_path: Path, monkeypatch) -> None:
    root = make_project(tmp_path / "p", {"01-x.md": CHAPTER + "\n![A box](box.svg)\n"})
    (root / "chapters" / "box.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8"
    )
    assert run("build", root, "-f", "html").exit_code == 0
    listing_before = files_under(root / "build")
    index_before = (root / "build" / "html" / "index.html").read_bytes()

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("pathlib.Path.write_bytes", disk_full)  # copying the image fails
    result = run("build", root, "-f", "html")
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert (root / "build" / "html" / "index.html").read_bytes() == index_before
    assert files_under(root / "build") == listing_before


# --- unexpected errors ----------------------------------------------------------------------


def _explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_internal_error_without_traceback(tmp_path: Path, monkeypatch) -> None:
    import book.pipeline

    monkeypatch.setattr(book.pipeline, "render", _explode)
    root = make_project(tmp_path / "p")
    result = run("build", root, "-f", "html")
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom" in result.output
    assert "--debug" in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, RuntimeError)
    assert not (root / "build").exists()


def test_internal_error_with_debug_raises(tmp_path: Path, monkeypatch) -> None:
    import book.pipeline

    monkeypatch.setattr(book.pipeline, "render", _explode)
    root = make_project(tmp_path / "p")
    result = run("build", root, "-f", "html", "--debug")
    assert isinstance(result.exception, RuntimeError)
    assert str(result.exception) == "boom"
    assert "internal error" not in result.output


def test_internal_error_in_check(tmp_path: Path, monkeypatch) -> None:
    import book.source.cache

    monkeypatch.setattr(book.source.cache, "parse_chapter", _explode)
    root = make_project(tmp_path / "p")
    result = run("check", root)
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output
    debug = run("check", root, "--debug")
    assert isinstance(debug.exception, RuntimeError)


# --- editors' marks: --proof, --accept-changes, --reject-changes, book changes --------------

MARKED = "# The Start\n\nA {++bold ++}move.\n\n{>>Check the date.<<}\n"


def test_accept_and_reject_exclude_each_other(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"01-x.md": MARKED})
    result = run("build", root, "--accept-changes", "--reject-changes")
    assert result.exit_code == 2
    assert "--accept-changes and --reject-changes exclude each other" in result.output
    assert not (root / "build").exists()


def test_unresolved_marks_warn_and_fail_strict(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"01-x.md": MARKED})
    result = run("build", root, "-f", "html")
    assert result.exit_code == 0, result.output
    assert (
        'chapters/01-x.md:3: warning: unresolved insertion: "bold" [criticmarkup]' in result.output
    )
    assert 'chapters/01-x.md:5: warning: unresolved comment: "Check the date."' in result.output
    strict = run("build", root, "-f", "html", "--strict", "-o", tmp_path / "out")
    assert strict.exit_code == 1 and "[criticmarkup]" in strict.output
    for flags in (["--accept-changes"], ["--reject-changes"], ["--proof"]):
        result = run("build", root, "-f", "html", "--strict", *flags)
        assert result.exit_code == 0, (flags, result.output)


def test_accept_changes_builds_the_clean_text(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"01-x.md": MARKED})
    assert run("build", root, "-f", "html", "--accept-changes").exit_code == 0
    page = (root / "build" / "html" / "ch01-x.html").read_text(encoding="utf-8")
    assert "A bold move." in page and "Check the date" not in page and "critic" not in page


def test_changes_lists_open_marks(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"01-x.md": MARKED, "02-y.md": "# Y\n\n{--Gone.--}\n"})
    result = run("changes", root)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        'chapters/01-x.md:3: insertion: "bold"',
        'chapters/01-x.md:5: comment: "Check the date."',
        'chapters/02-y.md:3: deletion: "Gone."',
        "3 open: 1 insertion, 1 deletion, 1 comment in 2 files",
    ]
    listed = json.loads(run("changes", root, "--json").output)
    assert listed[0] == {
        "path": "chapters/01-x.md",
        "line": 3,
        "kind": "insertion",
        "old": "",
        "new": "bold ",
        "comment": "",
    }


def test_changes_in_a_clean_book(tmp_path: Path) -> None:
    result = run("changes", make_project(tmp_path / "p"))
    assert result.exit_code == 0 and result.output == "no open changes or comments\n"


def test_jobs_must_be_positive(tmp_path: Path) -> None:
    result = run("build", make_project(tmp_path / "p"), "-f", "pdf", "--jobs", "0")
    assert result.exit_code == 2
    assert "--jobs" in result.output


def test_jobs_1_lays_the_pdf_out_as_one_document(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    result = run("build", root, "-f", "pdf", "-j", "1", "-v")
    assert result.exit_code == 0, result.output
    assert "as one document: --jobs 1" in result.output
    assert not (root / "build" / ".cache" / "pdf-parts").exists()


def test_no_cache_keeps_no_laid_out_chapters(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"01-a.md": CHAPTER, "02-b.md": "# Two\n\nText.\n"})
    result = run("build", root, "-f", "pdf", "--no-cache", "-j", "2", "-v")
    assert result.exit_code == 0, result.output
    assert re.search(r"PDF: 3 parts, \d+ laid out, 0 from the cache, 2 workers", result.output)
    assert not (root / "build" / ".cache" / "pdf-parts").exists()
    assert (root / "build" / "book.pdf").stat().st_size > 1000


def _program(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m book ARGS`` (``book.cli.run``, as the ``book`` script), output piped."""
    return subprocess.run(
        [sys.executable, "-m", "book", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_the_program_ends_after_its_exit_handlers(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))\n"
        "from book.cli import run\n"
        "sys.argv = ['book', '--version']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert __version__ in done.stdout  # flushed, though stdout is a pipe
    assert marker.read_text() == "ran"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_by_the_program_leaves_its_editions_and_nothing_else(
    tmp_path: Path, jobs: str
) -> None:
    project = make_project(tmp_path / "book", {"01-a.md": CHAPTER, "02-b.md": CHAPTER})
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    done = _program(
        "build", project, "-f", "pdf", "-f", "epub", "--jobs", jobs, env={"TMPDIR": str(scratch)}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("wrote ") == 2  # flushed, though stdout is a pipe
    assert (project / "build" / "book.pdf").read_bytes().startswith(b"%PDF-")
    assert (project / "build" / "book.epub").stat().st_size > 1000
    # no temporary directory left: WeasyPrint's copies of the book's fonts were,
    # by each layout worker (1.8 MB each, every build)
    assert [p.name for p in scratch.iterdir() if p.is_dir()] == []


def test_a_failed_build_by_the_program_exits_1(tmp_path: Path) -> None:
    project = make_project(tmp_path / "book", {"01-a.md": "# A\n\n![x](missing.png)\n"})
    done = _program("build", project, "-f", "pdf")
    assert done.returncode == 1
    assert "missing.png" in done.stderr and "Traceback" not in done.stderr
    assert not (project / "build" / "book.pdf").exists()


def test_pdf_epub_and_html_are_shorthands_for_format(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"01-x.md": "# X\n\nText.\n"})
    result = run("build", root, "--pdf", "--html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert (root / "build" / "book.pdf").exists() and (root / "build" / "html").is_dir()
    assert not (root / "build" / "book.epub").exists()
    both = run("build", root, "--epub", "-f", "epub", "-o", tmp_path / "out")
    assert both.exit_code == 0 and both.output.count("wrote") == 1  # asked twice, built once


def test_a_proof_goes_beside_the_release_not_over_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", {"01-x.md": MARKED})
    assert run("build", root, "--html", "--accept-changes").exit_code == 0
    release = (root / "build" / "html" / "ch01-x.html").read_bytes()
    result = run("build", root, "--html", "--proof")
    assert result.exit_code == 0, result.output
    assert "build/proof/html" in result.output
    assert (root / "build" / "html" / "ch01-x.html").read_bytes() == release
    proof = (root / "build" / "proof" / "html" / "ch01-x.html").read_text(encoding="utf-8")
    assert "critic" in proof and "critic" not in release.decode()


@pytest.mark.parametrize("command", ["build", "check", "changes"])
def test_a_project_directory_that_does_not_exist_is_a_usage_error(
    command: str, tmp_path: Path
) -> None:
    result = run(command, tmp_path / "missing")
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output
