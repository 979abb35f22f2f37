"""The layout worker's warm-up: in steps, each only while it is wanted."""

from __future__ import annotations

from typing import Any

import pyphen
import pytest

from book.pdf import worker
from book.pdf.weasy import layout as weasy_layout
from book.workers import Kept


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A worker not warmed up yet, whose layouts are recorded, not made."""
    monkeypatch.setattr(worker, "_WARM", Kept())
    made: list[str] = []

    class Recorded:
        def __init__(self, string: str) -> None:
            made.append("render")

        def render(self, **_: Any) -> Recorded:
            return self

        def write_pdf(self) -> bytes:
            made.append("write")
            return b""

    monkeypatch.setattr(weasy_layout.weasyprint, "HTML", Recorded)
    return made


def test_a_warm_up_no_longer_wanted_loads_the_dictionary_only(
    cold: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pyphen, "hdcache", {})
    worker.warm_up("de", lambda: False)
    assert cold == []
    assert any("de" in str(path) for path in pyphen.hdcache)  # kept for the layouts


def test_a_wanted_warm_up_lays_out_and_writes(cold: list[str]) -> None:
    worker.warm_up("en", lambda: True)
    assert cold == ["render", "write"]


def test_the_book_arriving_mid_way_skips_the_writing(cold: list[str]) -> None:
    answers = iter([True, False])
    worker.warm_up("en", lambda: next(answers))
    assert cold == ["render"]
