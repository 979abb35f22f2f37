"""parse_memo: a chapter is parsed again only when its bytes or the language change."""

from __future__ import annotations

from pathlib import Path

import pytest

from book.model import ChangeMode, ChapterSource, ParsedChapter
from book.source import memo as parse_memo
from book.source.parse import parse_chapter


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    made: list[tuple[str, str]] = []

    def counting(
        source: ChapterSource, language: str, changes: ChangeMode = ChangeMode.FLAG
    ) -> ParsedChapter:
        made.append((source.display.name, language))
        return parse_chapter(source, language, changes)

    monkeypatch.setattr(parse_memo, "parse_chapter", counting)
    return made


def _source(tmp_path: Path, text: str) -> ChapterSource:
    path = tmp_path / "01-a.md"
    path.write_text(text, encoding="utf-8")
    return ChapterSource(path, Path("chapters/01-a.md"))


def test_unchanged_bytes_come_from_the_memo(tmp_path: Path, calls: list[tuple[str, str]]) -> None:
    memo = parse_memo.ParseMemo()
    source = _source(tmp_path, "# A\n\nText.\n")
    first = memo.parse(source, "en")
    assert memo.parse(source, "en") is first
    assert calls == [("01-a.md", "en")]


def test_changed_bytes_or_language_parse_again(
    tmp_path: Path, calls: list[tuple[str, str]]
) -> None:
    memo = parse_memo.ParseMemo()
    source = _source(tmp_path, '# A\n\n"Quoted."\n')
    memo.parse(source, "en")
    assert "\u201eQuoted.\u201c" in memo.parse(source, "de").body
    source.path.write_text("# A\n\nEdited.\n", encoding="utf-8")
    assert "Edited." in memo.parse(source, "en").body
    assert calls == [("01-a.md", "en"), ("01-a.md", "de"), ("01-a.md", "en")]


def test_an_unreadable_chapter_is_reported_and_not_remembered(
    tmp_path: Path, calls: list[tuple[str, str]]
) -> None:
    memo = parse_memo.ParseMemo()
    source = ChapterSource(tmp_path / "missing.md", Path("chapters/missing.md"))
    first = memo.parse(source, "en")
    assert [d.code for d in first.diagnostics] == ["unreadable"]
    memo.parse(source, "en")
    assert len(calls) == 2
