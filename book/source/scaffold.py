"""``book new``: copy the starter project shipped inside the package."""

from __future__ import annotations

import json
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from book.errors import BookError

STARTER = resources.files("book") / "scaffold"
RENAMES = {"gitignore": ".gitignore", "book.toml.in": "book.toml"}


def scaffold(directory: Path, title: str | None = None) -> Path:
    """Create a project that builds at once; refuse to overwrite anything."""
    directory = directory.expanduser()
    if directory.exists() and not directory.is_dir():
        raise BookError(f"error: {directory} is a file; give a new directory for the book")
    if directory.exists() and any(directory.iterdir()):
        raise BookError(f"error: {directory} exists and is not empty; choose a new directory")
    title = title or directory.resolve().name.replace("-", " ").replace("_", " ").title()
    try:
        _copy(STARTER, directory, {"title": json.dumps(title, ensure_ascii=False)})
    except OSError as exc:
        raise BookError(f"error: cannot create {directory}: {exc.strerror or exc}") from None
    return directory


def _copy(source: Traversable, target: Path, values: dict[str, str]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.name == "__pycache__":
            continue
        destination = target / RENAMES.get(entry.name, entry.name)
        if entry.is_dir():
            _copy(entry, destination, values)
        elif entry.name.endswith(".in"):
            destination.write_text(
                entry.read_text(encoding="utf-8").format(**values), encoding="utf-8"
            )
        else:
            destination.write_bytes(entry.read_bytes())
