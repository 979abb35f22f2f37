"""Expected failures. Each one is a ClickException, so the CLI prints it and exits 1."""

from __future__ import annotations

from collections.abc import Iterable

import click

from book.model import Diagnostic


class BookError(click.ClickException):
    """Root of the expected failures: printed without a traceback, exit code 1."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message

    def show(self, file: object = None) -> None:
        click.echo(self.format_message(), err=True)


class ConfigError(BookError):
    """book.toml is missing, malformed or invalid; lists every problem."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class SourceError(BookError):
    """Problems in the sources that block the build, all of them at once."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(dict.fromkeys(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class BuildError(BookError):
    """A writer, WeasyPrint, ebooklib or the file system failed."""

    def __init__(self, message: str) -> None:
        super().__init__(f"error: {message}")


class InputError(BookError):
    """An input named on the command line cannot be used (``book diff``'s PDFs and
    revisions): ``error: message [code]``."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(f"error: {message} [{code}]")
