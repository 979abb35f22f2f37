"""``book diff`` over git revisions: exported, built once, cached."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from book.cli import main
from book.diff.revisions import cache_directory, resolve, revision_pdf
from book.errors import InputError
from tests.conftest import write_project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CHAPTER = "# The Start\n\nThe first words of a short book.\n\n## Later\n\nMore words.\n"


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@localhost", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def repository(root: Path, project: str = ".") -> Path:
    """A git repository with two commits of a book in ``project``; the second edits it."""
    book = write_project(root / project, {"01-start.md": CHAPTER})
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "first")
    chapter = book / "chapters" / "01-start.md"
    chapter.write_text(CHAPTER.replace("first words", "opening words"), encoding="utf-8")
    git(root, "commit", "-qam", "second")
    return book


def diff(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def test_two_commits(tmp_path: Path) -> None:
    book = repository(tmp_path)
    result = diff("HEAD~1", "HEAD", "--project", book)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("1 of 5 pages changed; chapter 1 (report: ")
    assert (book / "build" / "diff" / "index.html").is_file()
    for revision in ("HEAD~1", "HEAD"):
        assert (cache_directory(book) / git(tmp_path, "rev-parse", revision) / "book.pdf").is_file()


def test_a_built_revision_is_reused(tmp_path: Path) -> None:
    book = repository(tmp_path)
    first = revision_pdf(book, "HEAD")
    stamp = first.stat().st_mtime_ns
    assert revision_pdf(book, "HEAD") == first
    assert first.stat().st_mtime_ns == stamp
    # The commit's PDF and the shared build directory; no export left behind.
    assert sorted(p.name for p in first.parent.parent.iterdir()) == sorted(
        ["build", first.parent.name]
    )


def test_the_last_commit_against_the_working_tree(tmp_path: Path) -> None:
    book = repository(tmp_path)
    assert diff("HEAD", "--project", book).exit_code == 0
    (book / "chapters" / "01-start.md").write_text(CHAPTER, encoding="utf-8")
    result = diff("HEAD", "--project", book)
    assert result.exit_code == 1
    assert result.output.startswith("1 of 5 pages changed; chapter 1")


def test_a_book_in_a_subdirectory_of_the_repository(tmp_path: Path) -> None:
    book = repository(tmp_path, "books/first")
    result = diff("HEAD~1", "HEAD", "--project", book)
    assert result.exit_code == 1, result.output


def test_a_revision_that_does_not_build(tmp_path: Path) -> None:
    book = repository(tmp_path)
    (book / "book.toml").write_text("[book]\ntitle = 1\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "broken")
    result = diff("HEAD", "HEAD~1", "--project", book)
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot build HEAD (")
    assert "book.toml" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_revision(tmp_path: Path) -> None:
    book = repository(tmp_path)
    result = diff("no-such-tag", "HEAD", "--project", book)
    assert result.exit_code == 1
    assert "error: no-such-tag: no such file, and no such revision in" in result.output
    assert result.output.rstrip().endswith("[unknown-revision]")
    with pytest.raises(InputError, match=r"\[unknown-revision\]"):
        resolve(book, "--all")


def test_not_a_git_repository(tmp_path: Path) -> None:
    book = write_project(tmp_path / "plain", {"01-start.md": CHAPTER})
    result = diff("HEAD~1", "HEAD", "--project", book)
    assert result.exit_code == 1
    assert result.output.strip() == f"error: {book}: not a git repository [not-git]"
