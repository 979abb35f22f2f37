"""Chapters parsed once: the cache returns what parsing returned, never a
stale or broken entry, and parallel parsing equals parsing in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from book.source import cache as parse_cache
from book.source.config import load_config
from tests.conftest import MakeProject

CHAPTERS = {
    f"{n:02d}.md": f"# Chapter {n}\n\nText with a note.[^a] And [^nowhere].\n\n![A box](box.svg)\n\n[^a]: Note {n}.\n"
    for n in range(1, 6)
}


def _sources(project: Path) -> tuple:  # type: ignore[type-arg]
    return load_config(project).chapters


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    return make_project(CHAPTERS)


def test_parallel_parsing_equals_parsing_in_order(project: Path) -> None:
    sources = _sources(project)
    assert parse_cache.parse_all(sources, "en", jobs=2) == parse_cache.parse_all(sources, "en")


def test_a_second_parse_reads_the_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, cache = _sources(project), tmp_path / "parsed"
    first = parse_cache.parse_all(sources, "en", cache)
    assert all(c.diagnostics for c in first)  # the undefined note [^nowhere]
    calls: list[object] = []
    real = parse_cache.parse_chapter
    monkeypatch.setattr(parse_cache, "parse_chapter", lambda *a: calls.append(a) or real(*a))
    assert parse_cache.parse_all(sources, "en", cache) == first  # diagnostics included
    assert calls == []
    (project / "chapters" / "03.md").write_text("# Changed\n\nNew text.\n", encoding="utf-8")
    again = parse_cache.parse_all(sources, "en", cache)
    assert len(calls) == 1 and again[2].title == "Changed"
    parse_cache.parse_all(sources, "de", cache)  # another language parses anew
    assert len(calls) == 1 + len(sources)


def test_a_broken_entry_is_parsed_again(project: Path, tmp_path: Path) -> None:
    sources, cache = _sources(project), tmp_path / "parsed"
    first = parse_cache.parse_all(sources, "en", cache)
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == len(sources)
    entries[0].write_text('{"title": 1', encoding="utf-8")
    entries[1].write_text('{"title": "x"}', encoding="utf-8")
    assert parse_cache.parse_all(sources, "en", cache) == first


def test_another_octavo_does_not_reuse_entries(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, cache = _sources(project), tmp_path / "parsed"
    parse_cache.parse_all(sources, "en", cache)
    monkeypatch.setattr(parse_cache, "fingerprint", lambda: "another octavo")
    parse_cache.parse_all(sources, "en", cache)
    assert len(list(cache.glob("*.json"))) == 2 * len(sources)


def test_the_criticmarkup_mode_is_part_of_the_key(
    make_project: MakeProject, tmp_path: Path
) -> None:
    from book.model import ChangeMode

    marked = {f"{n:02d}.md": f"# C{n}\n\nA {{++new++}} {{--old--}} word.\n" for n in range(1, 6)}
    sources, cache = _sources(make_project(marked)), tmp_path / "parsed"
    shown = parse_cache.parse_all(sources, "en", cache)
    accepted = parse_cache.parse_all(sources, "en", cache, 2, ChangeMode.ACCEPT)
    rejected = parse_cache.parse_all(sources, "en", cache, 1, ChangeMode.REJECT)
    assert all('<ins class="critic">new</ins>' in c.body for c in shown)
    assert all("A new word." in c.body and "critic" not in c.body for c in accepted)
    assert all("A old word." in c.body for c in rejected)
