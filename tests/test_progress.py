"""The progress line: shown only on a terminal, and it follows the stages."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.progress import Progress as Bar

from book import progress


def test_nothing_is_drawn_when_stderr_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with progress.terminal_progress() as shown:
        assert shown is progress.QUIET
    with progress.terminal_progress(enabled=False) as shown:
        assert shown is progress.QUIET


def test_stages_and_counts_reach_the_bar() -> None:
    bar = Bar(console=Console(file=io.StringIO(), force_terminal=True))
    shown = progress._Rich(bar)
    shown.stage("Laying out the PDF", 20)
    shown.advance(5, 20)
    (task,) = bar.tasks
    assert (task.description, task.total, task.completed) == ("Laying out the PDF", 20, 5)
    shown.stage("Writing the EPUB edition")
    assert (bar.tasks[0].description, bar.tasks[0].total) == ("Writing the EPUB edition", None)
