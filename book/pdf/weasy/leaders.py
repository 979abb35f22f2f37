"""Leader dots drawn in runs of text instead of one text box per dot.

Replaces ``weasyprint.layout.inline.handle_leader``. WeasyPrint fills a
``leader()`` by copying its text box once per repetition (``. `` some fifty
times on a line of the contents) and draws every copy on its own: the text
set up and shaped again, a text object, a tag. Once it has placed the copies
(from the line's end leftwards, so the dots of every line stand on the same
grid), ``one_run_leaders`` replaces every ``RUN`` neighbouring copies by one
text box at the leftmost one's place, holding the text repeated as often,
and as wide. A leader's text is set with ``white-space: pre`` and not
justified, so the glyphs land where the copies put them but for one thing:
in the PDF, WeasyPrint rounds each glyph's advance to a thousandth of an em,
which a copy's own position made good and a run adds up; runs of ``RUN``
copies keep that under 0.008 em. Saves time only (the dots stand where they
stood, to the rounding above; the test compares pages). Upstream, drawing a
leader as one text run would retire it. Measured figures:
``bench/RESULTS.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from book.pdf.weasy.patching import takes


def one_run_leaders() -> bool:
    """Install the wrapper (once). Returns whether it is in place: if
    WeasyPrint's code is not what it expects, nothing is changed."""
    from weasyprint.layout import inline, leader

    found: Callable[[Any, Any, Any], None] | None = getattr(inline, "handle_leader", None)
    if getattr(found, "octavo_one_run", False):
        return True
    theirs: Any = getattr(leader, "handle_leader", None)
    if found is None or found is not theirs:
        return False
    if not hasattr(leader, "leader_index") or not takes(
        found, "context", "line", "containing_block"
    ):
        return False
    place = found

    def handle_leader(context: Any, line: Any, containing_block: Any) -> None:
        place(context, line, containing_block)
        _, box = leader.leader_index(line)
        if box is not None:
            box.children = _one_run(box.children)

    handle_leader.octavo_one_run = True  # type: ignore[attr-defined]
    inline.handle_leader = handle_leader
    return True


RUN = 8
"""Copies of a leader's text (two glyphs, ``. ``) drawn as one run."""


def _one_run(copies: tuple[Any, ...]) -> tuple[Any, ...]:
    """A text box for every ``RUN`` copies of a leader's text box, or the
    copies as they are where they are not plain repetitions side by side."""
    if len(copies) < 2:
        return copies
    first = copies[0]
    layout: Any = getattr(first, "pango_layout", None)
    width = first.width
    spacing: Any = getattr(layout, "justification_spacing", None)
    if layout is None or spacing or first.justification_spacing:
        return copies
    if any(
        type(copy) is not type(first)
        or copy.text != first.text
        or copy.width != width
        or copy.position_y != first.position_y
        or abs(copy.position_x - (first.position_x - index * width)) > 1e-6
        for index, copy in enumerate(copies)
    ):
        return copies
    runs = []
    for start in range(0, len(copies), RUN):
        run = copies[start : start + RUN]
        merged = first.copy()
        merged.position_x = run[-1].position_x
        merged.text = first.text * len(run)
        merged.width = width * len(run)
        merged.pango_layout = _repeated(layout, len(run))
        runs.append(merged)
    return tuple(runs)


def _repeated(layout: Any, times: int) -> Any:
    """A copy of a (deactivated) WeasyPrint text layout holding its text
    ``times`` over: drawing sets it up again from its text."""
    from weasyprint.text.line_break import Layout

    repeated = Layout.__new__(Layout)
    repeated.__dict__.update(
        {name: value for name, value in vars(layout).items() if name != "layout"}
    )
    repeated.text = layout.text * times
    if hasattr(layout, "layout"):  # still active: set it up like the original
        repeated.setup(layout.style)
        repeated.set_text(repeated.text)
    return repeated
