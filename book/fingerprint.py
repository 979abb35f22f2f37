"""What makes the caches' entries: this copy of octavo and what it runs on.

Every cache (parsed chapters, laid-out parts, page starts) keys its entries
with ``fingerprint()``, so that nothing made by another octavo (an upgrade,
or an edited checkout), another WeasyPrint or pydyf, or other Pango and
HarfBuzz libraries is reused: each can set the same text differently.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
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
    the releases of ``PACKAGES`` and the native text libraries' files."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0")
            digest.update(path.read_bytes())
    for name, version in sorted(versions().items()):
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


@cache
def versions() -> dict[str, str]:
    """The releases of ``PACKAGES`` and the files of the native libraries
    (read without importing WeasyPrint)."""
    from book.pdf.weasy.versions import native_versions

    found = {}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return {**found, **native_versions()}
