"""``book build --report FILE``: a machine-readable account of a build, for CI."""

from __future__ import annotations

import hashlib
import json
import platform
import re
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from book import __version__
from book.fingerprint import release, versions
from book.output import atomic_file

if TYPE_CHECKING:
    from book.pdf.weasy.adaptations import AdaptationState

DEPENDENCIES = ("weasyprint", "ebooklib", "markdown", "pymdown-extensions", "pygments", "lxml")
DIAGNOSTIC = re.compile(
    r"^(?P<location>.*?): (?P<severity>error|warning): (?P<message>.*?)(?: \[(?P<code>[\w-]+)\])?$"
)


def write_report(
    target: Path,
    outputs: tuple[Path, ...],
    messages: tuple[str, ...],
    timings: tuple[tuple[str, float], ...],
    pdf_pages: int | None,
    error: str | None = None,
    adaptations: tuple[AdaptationState, ...] = (),
) -> None:
    """Write the report as JSON (atomically, like every output); with the
    WeasyPrint adaptations of a build that made a PDF."""
    report = {
        "status": "failed" if error else "ok",
        "error": error,
        "outputs": [_describe(path) for path in outputs],
        "pdf_pages": pdf_pages,
        "diagnostics": [_diagnostic(line) for text in messages for line in text.splitlines()],
        "timings": dict(timings),
        "versions": _versions(),
        "weasyprint_adaptations": [asdict(state) for state in adaptations],
    }
    with atomic_file(target) as temporary:
        temporary.write_text(
            json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def _describe(path: Path) -> dict[str, object]:
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for file in files:  # a directory is hashed as its files' names and bytes, in order
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        digest.update(file.read_bytes())
    return {
        "path": str(path),
        "bytes": sum(file.stat().st_size for file in files),
        "files": len(files),
        "sha256": digest.hexdigest(),
    }


def _diagnostic(line: str) -> dict[str, str | None]:
    match = DIAGNOSTIC.match(line)
    if not match:  # a warning without a location, e.g. from the PDF writer
        code = re.search(r" \[([\w-]+)\]$", line)
        message = line[: code.start()] if code else line
        return {
            "location": None,
            "severity": "warning",
            "message": message,
            "code": code and code[1],
        }
    return match.groupdict()


def _versions() -> dict[str, str]:
    found = {"octavo": __version__, "python": platform.python_version()}
    for name in DEPENDENCIES:
        found[name] = release(name)
    return {**found, **versions()}  # what the caches are keyed by, native libraries too
