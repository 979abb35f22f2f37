"""WeasyPrint's native libraries found from one reading of the linker's cache.

WeasyPrint loads Pango, HarfBuzz, fontconfig and GLib through cffi, trying
several spellings of each name (``libpango-1.0-0``, ``pango-1.0-0``,
``pango-1.0``, ...; the optional ``harfbuzz-vector`` in six). cffi hands
every spelling that is not a file to ``ctypes.util.find_library``, which on
Linux runs ``ldconfig -p`` for each, and for each miss ``gcc`` and ``ld``
too: some twenty lookups, a large part of the time ``import weasyprint``
takes, paid by every layout worker before a rebuild's chapter can start
(``bench/RESULTS.md``).

``quick_library_lookup`` answers those lookups while WeasyPrint is imported
from one run of ``ldconfig -p``, as ``find_library`` itself reads it (the
first ``lib<name>.*`` of the C library's ABI), and a name the cache does not
hold as not found, without asking ``gcc`` or ``ld``. Where that could answer
differently (``LD_LIBRARY_PATH`` is set, which only ``ld`` would read; not
Linux; no ``ldconfig``), nothing is changed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from book.workers import Kept

LDCONFIG = "/sbin/ldconfig"


@contextmanager
def quick_library_lookup() -> Iterator[None]:
    """``ctypes.util.find_library`` answered from the linker's cache inside
    the block (meant around the first ``import weasyprint``)."""
    if not (_applies() and _read_cache()):
        yield
        return
    import ctypes.util  # here: a build that only reads the versions need not import it

    original = ctypes.util.find_library
    ctypes.util.find_library = _find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original


def _applies() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("LD_LIBRARY_PATH")
        and "weasyprint" not in sys.modules
        and os.access(LDCONFIG, os.X_OK)
    )


_CACHE: Kept[tuple[bytes, bytes]] = Kept()
"""The listing of ``ldconfig -p``, and the ABI of the C library in it."""


def _read_cache() -> bool:
    """Read the listing (once); False if it cannot be read."""
    if _CACHE.get() is None:
        try:
            listing = subprocess.run(
                [LDCONFIG, "-p"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                env={"LC_ALL": "C", "LANG": "C"},
                check=True,
                timeout=10,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return False
        abi = re.search(rb"\s+libc\.so\.6\s+\(([^,)]+(?:,[^,)]+)?)", listing)  # libc6,x86-64
        if abi is None:
            return False
        _CACHE.set((listing, abi[1]))
    return True


def _entry(name: str) -> re.Match[bytes] | None:
    """The first ``lib<name>.*`` line of the C library's ABI in the listing
    (read by ``_read_cache`` first): group 1 its file name, group 2 its path."""
    kept = _CACHE.get()
    assert kept is not None, "read by _read_cache first"
    listing, abi = kept
    pattern = rb"\s+(lib%s\.[^\s]+)\s+\(%s[,)][^\n]*=>\s*([^\n]+)" % (
        re.escape(os.fsencode(name)),
        abi,
    )
    return re.search(pattern, listing)


def _find_library(name: str) -> str | None:
    """The first ``lib<name>.*`` of the C library's ABI in the listing."""
    found = _entry(name)
    return os.fsdecode(found[1]) if found else None


def library_file(name: str) -> str | None:
    """The file of the first ``lib<name>.*`` the linker's cache lists for the
    C library's ABI, as WeasyPrint would load it; elsewhere (no ``ldconfig``),
    what ``ctypes.util.find_library`` answers."""
    if not _read_cache():
        import ctypes.util

        return ctypes.util.find_library(name)
    found = _entry(name)
    return os.fsdecode(found[2].strip()) if found else None


LIBRARIES = ("pango-1.0", "pangoft2-1.0", "harfbuzz", "fontconfig")
"""The native libraries whose versions change how text is shaped and set."""


def native_versions() -> dict[str, str]:
    """Each of ``LIBRARIES`` as the file it resolves to (its name carries the
    version: ``libpango-1.0.so.0.5600.3``), or "not found"."""
    found = {}
    for name in LIBRARIES:
        path = library_file(name)
        found[name] = os.path.basename(os.path.realpath(path)) if path else "not found"
    return found
