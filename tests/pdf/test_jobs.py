"""The PDF's layout workers, started with the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MakeProject

PROSE = (
    "The crossing was held for three days and given up in a night march that the "
    "official history later called a planned withdrawal. "
) * 40


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _group(pgid: int) -> list[int]:
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) == pgid:
                alive.append(int(entry.name))
        except ProcessLookupError:
            pass
    return alive


@pytest.mark.parametrize("edition", ["pdf", "html"])
def test_ctrl_c_stops_the_build_and_its_workers_quietly(
    make_project: MakeProject, edition: str
) -> None:
    """Ctrl-C reaches the whole process group: the workers (the PDF's, or
    those that parse the chapters) leave it to the build, which says it was
    aborted, writes nothing and leaves no process."""
    chapters = {f"{n:02}.md": f"# Chapter {n}\n\n{PROSE}\n\n{PROSE}\n" for n in range(1, 9)}
    project = make_project(chapters)
    build = subprocess.Popen(
        [sys.executable, "-m", "book", "build", "-f", edition, "--no-cache", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_children(build.pid)) < 2 and build.poll() is None:
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.02)
        os.killpg(build.pid, signal.SIGINT)
        _, err = build.communicate(timeout=60)
    except BaseException:  # a failed run leaves nothing behind
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
        raise
    assert build.returncode == 1
    assert "Aborted" in err
    assert "Traceback" not in err
    assert not (project / "build" / "book.pdf").exists()
    assert not (project / "build" / "html").exists()
    deadline = time.monotonic() + 10
    while _group(build.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group(build.pid) == []


def test_ctrl_c_as_the_workers_are_forked_stops_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C that comes while the workers are forked is held back, then
    raised as ``LayoutWorkers()`` ends its forking, before any ``with`` owns
    them: they are stopped there. (Left, they wait for work that never comes,
    and the build's exit waits for them: it hung after "Aborted!" in CI.)"""
    import multiprocessing

    from book.pdf import jobs as jobs_module

    forking = jobs_module.pool

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        executor = forking(*args, **kwargs)
        submit = executor.submit

        def submit_then_ctrl_c(*job: Any, **named: Any) -> Any:
            future = submit(*job, **named)
            os.kill(os.getpid(), signal.SIGINT)
            return future

        executor.submit = submit_then_ctrl_c  # type: ignore[method-assign]
        return executor

    monkeypatch.setattr(jobs_module, "pool", interrupted)
    with pytest.raises(KeyboardInterrupt):
        jobs_module.LayoutWorkers(2)
    left = multiprocessing.active_children()
    for child in left:  # so that a failure does not hang the tests' exit
        child.kill()
        child.join()
    assert left == []


def test_parts_are_laid_out_here_once_the_workers_stop(
    make_project: MakeProject, tmp_path: Path
) -> None:
    from book import pipeline
    from book.model import Format, RenderOptions
    from book.pdf.jobs import LayoutWorkers
    from book.pdf.parallel import write_parts_pdf
    from book.render.editions import render

    project = make_project({"01.md": "# One\n\nText.\n", "02.md": "# Two\n\nMore text.\n"})
    config, manuscript = pipeline.load(project)
    book = render(manuscript, Format.PDF, RenderOptions(config.page, config.epub, config.built))
    with LayoutWorkers(2) as workers:
        workers.stop()
        assert workers.executor is None
        written = write_parts_pdf(book, tmp_path / "book.pdf", jobs=2, cache=None, workers=workers)
    assert written.pages >= 3
    assert (tmp_path / "book.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("lazy", "pending", "imports"), [(True, {2}, 0), (True, {1, 2}, 1), (False, {2}, 1)]
)
def test_a_lazy_worker_imports_weasyprint_only_for_several_parts(
    monkeypatch: pytest.MonkeyPatch, lazy: bool, pending: set[int], imports: int
) -> None:
    import multiprocessing
    import threading

    from book.pdf import jobs as jobs_module
    from book.pdf import ledger as ledger_module
    from book.workers import Kept

    context = multiprocessing.get_context("fork")
    ledger = ledger_module.Ledger(4, context)
    imported, handed = context.Event(), context.Event()
    imported.set()
    first: Kept[tuple[Any, Any, bool]] = Kept()
    first.set((imported, handed, lazy))
    kept: Kept[ledger_module.Ledger] = Kept()
    kept.set(ledger)
    monkeypatch.setattr(jobs_module, "_FIRST", first)
    monkeypatch.setattr(ledger_module, "_LEDGER", kept)
    made: list[str] = []

    class Worker:
        @staticmethod
        def warm_up(language: str, wanted: object) -> None:
            made.append(language)

    monkeypatch.setattr(jobs_module, "_worker", lambda: made.append("import") or Worker)
    warming = threading.Thread(target=jobs_module.warm_up, args=("en",))
    warming.start()
    time.sleep(0.1)
    handed.set()
    ledger.open({0: 3, 3: 5}, pending)
    time.sleep(0.1)
    for index in pending:
        ledger.publish(index, 7)
    warming.join(timeout=2)
    assert not warming.is_alive()
    assert made.count("import") == imports
    assert made.count("en") == imports  # warmed up once imported
