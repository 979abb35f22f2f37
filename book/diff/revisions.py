"""The PDF of a git revision of the project, built once and cached.

``book diff HEAD~1 HEAD`` names revisions, not files: each one is exported
with ``git archive`` (the committed tree only, nothing of the working tree)
into a temporary directory beside the cache, built with octavo's own pipeline
(the PDF only), and its PDF kept as ``build/.cache/diff/<commit>/book.pdf``.
A commit never changes, so a later diff against it reuses that file. The
working tree, which does change, is built afresh each time, into
``build/.cache/diff/worktree/book.pdf``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from book.errors import BookError, InputError
from book.model import Format
from book.output import atomic_file, build_lock

WORKTREE = "worktree"
"""The cache directory of the working tree's build."""


def cache_directory(project: Path) -> Path:
    return project / "build" / ".cache" / "diff"


def revision_pdf(project: Path, revision: str) -> Path:
    """The PDF of ``revision`` of the book in ``project``, built unless cached."""
    commit = resolve(project, revision)
    target = cache_directory(project) / commit / "book.pdf"
    if target.is_file():
        return target
    prefix = _git(project, "rev-parse", "--show-prefix").decode().strip()
    tree = f"{commit}:{prefix.rstrip('/')}" if prefix else commit
    archive = _git(project, "archive", "--format=tar", tree)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".export-", dir=target.parent.parent) as scratch:
        source = Path(scratch) / "source"
        _extract(archive, source)
        _build(source, target, f"{revision} ({commit[:7]})")
    return target


def worktree_pdf(project: Path) -> Path:
    """The PDF of the project as it is on disk, built afresh."""
    target = cache_directory(project) / WORKTREE / "book.pdf"
    _build(project, target, "the working tree")
    return target


def resolve(project: Path, revision: str) -> str:
    """The full commit id ``revision`` names; an error if it names none."""
    if revision.startswith("-"):
        raise InputError(f"{revision}: not a revision", "unknown-revision")
    try:
        out = _git(project, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except InputError as exc:
        if "[git-failed]" in exc.message:
            raise InputError(
                f"{revision}: no such file, and no such revision in {project}", "unknown-revision"
            ) from None
        raise
    return out.decode().strip()


def _git(project: Path, *args: str) -> bytes:
    """Run git in ``project``; its failures are ``book diff`` errors."""
    try:
        done = subprocess.run(["git", "-C", str(project), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("git is not installed", "no-git") from None
    if done.returncode:
        message = done.stderr.decode(errors="replace").strip()
        if "not a git repository" in message:
            raise InputError(f"{project}: not a git repository", "not-git")
        raise InputError(f"git {args[0]}: {message or 'failed'}", "git-failed")
    return done.stdout


def _extract(archive: bytes, destination: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.11.4+: refuse links out of the tree
            tar.extractall(destination, filter="data")
        else:  # pragma: no cover
            tar.extractall(destination)  # our own repository's tree


def _build(source: Path, target: Path, what: str) -> None:
    """Build the PDF of the book in ``source`` and copy it to ``target``.

    Every build goes into one directory, ``build/.cache/diff/build/``, so that
    the chapters laid out for one revision (kept there by content, see
    ``partcache``) serve the next, and a chapter no commit touched is laid
    out once.
    """
    from book import pipeline

    output = target.parent.parent / "build"
    try:
        with build_lock(target.parent.parent):
            result = pipeline.build(source, (Format.PDF,), output)
            with atomic_file(target) as temporary:
                shutil.copyfile(result.outputs[0], temporary)
    except BookError as exc:
        raise BookError(f"error: cannot build {what}:\n{exc.format_message()}") from None
