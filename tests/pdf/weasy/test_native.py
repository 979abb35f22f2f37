"""WeasyPrint's libraries looked up from one reading of the linker's cache."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from book.pdf.weasy import native

NAMES = ["glib-2.0", "gobject-2.0", "pango-1.0", "pangoft2-1.0", "harfbuzz", "fontconfig", "c", "m"]
MISSING = ["libpango-1.0-0", "pango-1.0-0", "octavo-no-such-library"]

linux = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not native._read_cache(), reason="Linux, ldconfig"
)


@linux
def test_the_cache_answers_as_find_library_does() -> None:
    for name in NAMES:
        assert native._find_library(name) == ctypes.util.find_library(name), name
    assert native._find_library("pango-1.0") == "libpango-1.0.so.0"
    for name in MISSING:
        assert native._find_library(name) is None, name


@linux
def test_the_lookup_is_swapped_only_inside_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    original = ctypes.util.find_library
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)  # as before the first import
    monkeypatch.delenv("LD_LIBRARY_PATH", raising=False)
    with native.quick_library_lookup():
        assert ctypes.util.find_library is native._find_library
    assert ctypes.util.find_library is original


def test_left_alone_where_only_ld_would_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    original = ctypes.util.find_library
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/elsewhere")
    with native.quick_library_lookup():
        assert ctypes.util.find_library is original
