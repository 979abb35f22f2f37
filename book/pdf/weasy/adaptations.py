"""Every change octavo makes to WeasyPrint's (and pydyf's) code, in one list.

Each adaptation replaces one function of theirs (named in ``replaces`` and in
its module's docstring, with the upstream change that would retire it) and
says whether it changes the printed book or only saves time. They are tested
with the releases in ``TESTED``, the ones ``pyproject.toml`` allows:

- with another WeasyPrint or pydyf, none is installed and a PDF build stops
  with an error that says which release to install ([weasyprint-version]);
- an adaptation that changes the book (footnote placement, folios set after
  pagination, whole fonts for the merge) stops the build if its guard finds
  WeasyPrint's code other than it expects ([weasyprint-adaptation]);
- one that only saves time steps aside, and says so at ``-v``.

``book build -v`` and ``--report`` list them (``adaptation_states``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from book.errors import BuildError
from book.pdf.weasy.deflate import default_level_streams
from book.pdf.weasy.folios import shifted_folios
from book.pdf.weasy.fonts import whole_fonts
from book.pdf.weasy.footnotes import keep_notes_with_calls
from book.pdf.weasy.glyphs import whole_glyph_runs
from book.pdf.weasy.leaders import one_run_leaders
from book.pdf.weasy.notes import reused_note_areas
from book.pdf.weasy.pagestyles import shared_page_styles
from book.pdf.weasy.pango import copied_layouts
from book.pdf.weasy.percent import remembered_percentages
from book.pdf.weasy.strut import remembered_struts
from book.pdf.weasy.versions import TESTED, check_versions


@dataclass(frozen=True, slots=True)
class Adaptation:
    """One of WeasyPrint's functions replaced by octavo's."""

    name: str
    """Short and stable: the name ``-v`` and the report use."""
    replaces: str
    """The function (or property) replaced, as WeasyPrint's code names it."""
    changes_output: bool
    """True if the printed book differs without it (then it is required)."""
    install: Callable[[], bool]
    """Puts it in place once; returns whether it is in place (its guard passed)."""


@dataclass(frozen=True, slots=True)
class AdaptationState:
    """Whether an adaptation is in place in this process, and why not."""

    name: str
    replaces: str
    changes_output: bool
    active: bool
    note: str = ""
    """Why it is not in place, when it is not."""


ADAPTATIONS = (
    Adaptation(
        "footnotes-with-calls",
        "weasyprint.layout.block._linebox_layout (its read of LayoutContext.in_column)",
        True,
        keep_notes_with_calls,
    ),
    Adaptation("leader-runs", "weasyprint.layout.inline.handle_leader", False, one_run_leaders),
    Adaptation("copied-layouts", "weasyprint.text.line_break.Layout.setup", False, copied_layouts),
    Adaptation("glyph-runs", "weasyprint.draw.text.draw_first_line", False, whole_glyph_runs),
    Adaptation(
        "reused-note-areas",
        "weasyprint.layout.page.block_level_layout (footnote areas)",
        False,
        reused_note_areas,
    ),
    Adaptation(
        "remembered-percentages",
        "weasyprint.layout.percent.resolve_percentages",
        False,
        remembered_percentages,
    ),
    Adaptation("remembered-struts", "weasyprint.text.line_break.strut", False, remembered_struts),
    Adaptation("default-deflate", "pydyf.Stream.data", False, default_level_streams),
    Adaptation(
        "shared-page-styles",
        "weasyprint.layout.page.set_page_type_computed_styles",
        False,
        shared_page_styles,
    ),
    Adaptation(
        "folios-after-pagination", "weasyprint.layout.make_margin_boxes", True, shifted_folios
    ),
    Adaptation("whole-fonts", "weasyprint.pdf.fonts.Font.subset", True, whole_fonts),
)
"""In the order they are installed (the order they always were)."""


@cache  # an error is not kept: the next layout tries again, and fails the same way
def install_adaptations() -> tuple[AdaptationState, ...]:
    """Put every adaptation in place (once per process); a required one that
    cannot be is an error. Returns their states."""
    check_versions()
    states = tuple(_install(adaptation) for adaptation in ADAPTATIONS)
    missing = [state for state in states if state.changes_output and not state.active]
    if missing:
        names = ", ".join(f"{state.name} ({state.replaces})" for state in missing)
        raise BuildError(
            "cannot adapt WeasyPrint's layout as the book needs: its code is not what"
            f" octavo expects for {names}; reinstall"
            f" weasyprint=={TESTED['weasyprint'][-1]} [weasyprint-adaptation]"
        )
    return states


def _install(adaptation: Adaptation) -> AdaptationState:
    try:
        active, note = adaptation.install(), ""
    except (AttributeError, ImportError, TypeError) as exc:  # WeasyPrint's code moved
        active, note = False, f"{type(exc).__name__}: {exc}"
    if not active and not note:
        note = "WeasyPrint's code is not what it expects"
    return AdaptationState(
        adaptation.name, adaptation.replaces, adaptation.changes_output, active, note
    )


def describe(states: tuple[AdaptationState, ...]) -> tuple[str, ...]:
    """One line per adaptation, for ``-v``."""
    return tuple(
        f"{state.name}: {'in place' if state.active else 'not in place'}"
        f" ({'changes the book' if state.changes_output else 'saves time'};"
        f" replaces {state.replaces}){'' if state.active else ': ' + state.note}"
        for state in states
    )
