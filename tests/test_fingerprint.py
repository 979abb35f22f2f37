"""What keys every cache: octavo's files and the releases it runs on."""

from __future__ import annotations

import pytest

from book import fingerprint, pipeline
from book.model import Format, RenderOptions
from book.pdf import pagestarts, partcache
from book.render.editions import render
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("_installed", "weasyprint"),
        ("_installed", "pydyf"),
        ("_installed", "markdown"),
        ("_installed", "tinycss2"),  # WeasyPrint's own dependencies count too
        ("_native", "pango-1.0"),
        ("_native", "harfbuzz"),
    ],
)
def test_the_fingerprint_changes_with_what_lays_out_or_parses(
    source: str, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = getattr(fingerprint, source)()
    assert real[name] not in ("", "not installed", "not found")
    fingerprint.fingerprint.cache_clear()
    base = fingerprint.fingerprint()
    monkeypatch.setattr(fingerprint, source, lambda: {**real, name: "another"})
    fingerprint.fingerprint.cache_clear()
    try:
        assert fingerprint.fingerprint() != base
    finally:
        fingerprint.fingerprint.cache_clear()


def test_the_versions_reported_are_the_installed_releases() -> None:
    from importlib import metadata

    found = fingerprint.versions()
    for name in fingerprint.PACKAGES:
        assert found[name] == metadata.version(name)
    assert found["harfbuzz"].startswith("libharfbuzz")


def test_the_layout_caches_are_keyed_by_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Laid-out parts and page starts; parsed chapters: tests/source/test_cache.py."""
    config, manuscript = pipeline.load(REPO)
    book = render(manuscript, Format.PDF, RenderOptions(config.page, config.epub, ""))
    keys = (partcache.environment_key(book), pagestarts.layout_key(book))
    monkeypatch.setattr(partcache, "fingerprint", lambda: "octavo on another WeasyPrint")
    assert partcache.environment_key(book) != keys[0]
    assert pagestarts.layout_key(book) != keys[1]
