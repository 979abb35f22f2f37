"""What makes the caches' entries: this copy of octavo and what it runs on.

Every cache (parsed chapters, laid-out parts, page starts) keys its entries
with ``fingerprint()``, so that nothing made by another octavo (an upgrade,
or an edited checkout), another WeasyPrint or pydyf, or other Pango and
HarfBuzz libraries is reused: each can set the same text differently.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from pathlib import Path

from book import __version__

PACKAGES = (
    "weasyprint",
    "pydyf",
    "fonttools",
    "pyphen",
    "markdown",
    "pymdown-extensions",
    "pygments",
    "lxml",
    "selectolax",
    "tinyhtml5",
    "pikepdf",
    "uharfbuzz",
)
"""The Python packages whose release changes what a chapter parses or lays out to."""


@cache
def fingerprint() -> str:
    """octavo's version and the sha256 of every file of the ``book`` package,
    every Python distribution installed (its name and release: WeasyPrint's own
    dependencies, tinycss2 or fontTools, change a layout too) and the native
    text libraries' files."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0")
            digest.update(path.read_bytes())
    for name, version in sorted({**_installed(), **_native()}.items()):
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


@cache
def versions() -> dict[str, str]:
    """The releases of ``PACKAGES`` and the files of the native libraries
    (read without importing WeasyPrint), for ``-v`` and ``--report``."""
    return {**{name: release(name) for name in PACKAGES}, **_native()}


def release(name: str) -> str:
    """The release of the distribution ``name`` installed, or "not installed"."""
    found = _installed().get(_normal(name))
    if found is None:  # not found by its folder's name: ask its metadata
        from importlib import metadata  # 30 ms to import: only when needed

        try:
            found = metadata.version(name)
        except metadata.PackageNotFoundError:
            found = "not installed"
    return found


@cache
def _native() -> dict[str, str]:
    from book.pdf.weasy.native import native_versions

    return native_versions()


@cache
def _installed() -> dict[str, str]:
    """{normalised name: release} of the distributions on ``sys.path``, read
    from their ``name-release.dist-info`` folders' names: one listing of each
    folder (asking the metadata package by package took ten times as long)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and "-" in name:
                project, version = name[: -len(".dist-info")].split("-", 1)
                found.setdefault(_normal(project), version)
    return found


def _normal(name: str) -> str:
    """A distribution's name as its folders spell it (PEP 503, then ``_``)."""
    return re.sub(r"[-_.]+", "_", name).lower()
