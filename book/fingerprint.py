"""What this copy of octavo is: its version and a hash of its own files.

Caches key their entries with it, so that a changed octavo (an upgrade, or
an edited checkout) never reuses what an older one made.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from book import __version__


@cache
def code_fingerprint() -> str:
    """The version and the sha256 of every file of the ``book`` package."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
