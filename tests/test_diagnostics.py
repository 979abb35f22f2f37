"""diagnostics: lines found by lookup, the path:line: severity: message [code] format."""

from __future__ import annotations

import logging
from pathlib import Path

from book import diagnostics as diag
from book.model import Location


def test_line_of_finds_the_first_line() -> None:
    text = "one\ntwo [^a]\nthree [^a]\n"
    assert diag.line_of(text, "[^a]") == 2
    assert diag.line_of(text, "[^a]", start=3) == 3
    assert diag.line_of(text, "nowhere") is None


def test_format() -> None:
    found = diag.error(
        Location(Path("chapters/02-khasan.md"), 41), "image 'x.svg' not found", "missing-image"
    )
    assert str(found) == "chapters/02-khasan.md:41: error: image 'x.svg' not found [missing-image]"
    assert str(diag.warning(Location(Path("book.toml")), "m", "c")) == "book.toml: warning: m [c]"


def test_counting_warnings_includes_other_loggers() -> None:
    with diag.counting_warnings("weasyprint") as counter:
        logging.getLogger("weasyprint").warning("Ignored `colour: red`")
        logging.getLogger("book").warning("x")
        logging.getLogger("book").info("not counted")
    assert counter.count == 2
    logging.getLogger("weasyprint").warning("after: not counted")
    assert counter.count == 2
