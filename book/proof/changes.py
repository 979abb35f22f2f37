"""``book changes``: the editors' open changes and comments, listed."""

from __future__ import annotations

from book.source.critic import Change, Kind


def summary(changes: tuple[Change, ...]) -> str:
    """``3 open: 2 insertions, 1 comment in 2 files`` (or ``no open changes``)."""
    if not changes:
        return "no open changes or comments"
    counts = {kind: sum(1 for c in changes if c.kind is kind) for kind in Kind}
    parts = [f"{n} {kind.value}{'s' if n != 1 else ''}" for kind, n in counts.items() if n]
    files = len({c.path for c in changes})
    return f"{len(changes)} open: {', '.join(parts)} in {files} file{'s' if files != 1 else ''}"


def as_dict(change: Change) -> dict[str, object]:
    """The record for ``book changes --json``."""
    return {
        "path": str(change.path),
        "line": change.line,
        "kind": change.kind.value,
        "old": change.old,
        "new": change.new,
        "comment": change.comment,
    }
