"""Which WeasyPrint, pydyf, Pango and HarfBuzz lay the book out.

Read without importing WeasyPrint (a fifth of a rebuild in the parent
process): the Python packages from their metadata, the native libraries from
the file the dynamic linker would load for them (``book.pdf.weasy.native``).
"""

from __future__ import annotations

import os
from functools import cache
from importlib import metadata

from book.errors import BuildError
from book.pdf.weasy.native import library_file

TESTED = {"weasyprint": ("70.0",), "pydyf": ("0.13.0",)}
"""The releases octavo's adaptations were written for and its tests run with
(``pyproject.toml`` allows these and no other)."""

LIBRARIES = ("pango-1.0", "pangoft2-1.0", "harfbuzz", "fontconfig")
"""The native libraries whose versions change how text is shaped and set."""


def installed_versions() -> dict[str, str]:
    """The releases of WeasyPrint and pydyf installed."""
    return {name: _version(name) for name in TESTED}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@cache
def native_versions() -> dict[str, str]:
    """Each native library as the file it resolves to (its name carries the
    version: ``libpango-1.0.so.0.5600.3``), or "not found"."""
    found = {}
    for name in LIBRARIES:
        path = library_file(name)
        found[name] = os.path.basename(os.path.realpath(path)) if path else "not found"
    return found


def check_versions() -> None:
    """Stop with a clear error if WeasyPrint or pydyf is not a tested release."""
    for name, version in installed_versions().items():
        if version not in TESTED[name]:
            wanted = " or ".join(TESTED[name])
            raise BuildError(
                f"{name} {version} is installed, but octavo's PDF writer is tested with"
                f" {name} {wanted} only: pip install '{name}=={TESTED[name][-1]}'"
                " [weasyprint-version]"
            )
