"""Which WeasyPrint, pydyf, Pango and HarfBuzz lay the book out.

Read without importing WeasyPrint (a fifth of a rebuild in the parent
process): the Python packages from their folders' names, the native libraries from
the file the dynamic linker would load for them (``book.pdf.weasy.native``),
both by ``book.fingerprint``.
"""

from __future__ import annotations

from book.errors import BuildError
from book.fingerprint import release

TESTED = {"weasyprint": ("70.0",), "pydyf": ("0.13.0",)}
"""The releases octavo's adaptations were written for and its tests run with
(``pyproject.toml`` allows these and no other)."""


def installed_versions() -> dict[str, str]:
    """The releases of WeasyPrint and pydyf installed."""
    return {name: release(name) for name in TESTED}


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
