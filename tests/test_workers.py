"""Worker pools: how their processes start."""

from __future__ import annotations

import subprocess
import sys

import pytest

from book import pipeline
from book.model import Format
from tests.conftest import MakeProject


def test_a_fresh_process_forks_its_workers() -> None:
    code = "from book.workers import pool_method; print(pool_method())"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "fork"


@pytest.mark.timeout(240)
def test_a_process_that_laid_a_book_out_never_forks_its_workers(
    make_project: MakeProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layout in this process (in a thread, as ``--jobs 1`` does) uses GLib
    and Pango; a worker forked afterwards could inherit one of their locks
    held, and hang (it did, on the fourth round of such builds). Each round
    here must start its workers from the fork server, and finish."""
    from book import workers

    methods: list[str] = []
    real = workers.multiprocessing.get_context
    monkeypatch.setattr(
        workers.multiprocessing, "get_context", lambda m: methods.append(m) or real(m)
    )
    project = make_project({"01.md": "# One\n\nText.[^1]\n\n[^1]: A note.\n", "02.md": "# Two\n"})
    pipeline.build(project, (Format.PDF,), project / "one", jobs=1, use_cache=False)
    assert "weasyprint" in sys.modules
    for round_ in range(4):
        out = project / f"parts-{round_}"
        pipeline.build(project, (Format.PDF,), out, jobs=2, use_cache=False)
        assert (out / "book.pdf").stat().st_size > 1000
    assert methods and set(methods) == {"forkserver"}
