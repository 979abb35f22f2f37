"""The guards an adaptation checks before it replaces one of WeasyPrint's functions."""

from __future__ import annotations

from book.pdf.weasy.patching import takes, uses


def _layout(context: object, box: object, *, discard: bool = False) -> object:
    return context or box or discard or len(())


def test_takes_checks_the_parameters_names_and_order() -> None:
    assert takes(_layout, "context", "box", "discard")
    assert not takes(_layout, "context", "box")  # one more parameter than the wrapper passes
    assert not takes(_layout, "box", "context", "discard")
    assert not takes(len, "obj")  # not Python code: nothing to check against
    assert not takes(None, "x")


def test_uses_checks_the_names_the_code_reads() -> None:
    assert uses(_layout, "len")
    assert not uses(_layout, "len", "colr")
    assert not uses(object(), "len")
