"""What a long build is doing, shown on a terminal.

The pipeline tells a ``Progress`` which stage it is in and how far a counted
stage has got; ``QUIET`` shows nothing (CI logs, pipes, ``-q``), and
``terminal_progress`` draws one line with rich: the stage, a bar for counted
work (chapters laid out), and the time elapsed. rich is well kept, handles
terminals that cannot redraw, and leaves no trace once the build ends
(``transient``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None:
        """A new stage begins; ``total`` when its work can be counted."""

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` units of the current stage are finished."""


class _Quiet:
    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, done: int, total: int) -> None:
        pass


QUIET: Progress = _Quiet()


class _Rich:
    def __init__(self, bar: object) -> None:
        from rich.progress import Progress as Bar

        assert isinstance(bar, Bar)
        self.bar = bar
        self.task = bar.add_task("Starting", total=None)

    def stage(self, name: str, total: int | None = None) -> None:
        if self.bar.tasks and self.bar.tasks[0].description == name:
            self.bar.update(self.task, total=total)
            return
        self.bar.remove_task(self.task)  # rich keeps a total it is given None for
        self.task = self.bar.add_task(name, total=total)

    def advance(self, done: int, total: int) -> None:
        self.bar.update(self.task, total=total, completed=done)


@contextmanager
def terminal_progress(enabled: bool = True) -> Iterator[Progress]:
    """A progress line on stderr if it is a terminal and ``enabled``, else ``QUIET``."""
    if not enabled or not sys.stderr.isatty():
        yield QUIET
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bar

    bar = Bar(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        yield _Rich(bar)
