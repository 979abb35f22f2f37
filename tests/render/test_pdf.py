"""The PDF adapter: notes set where they are called."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from book import pipeline
from book.model import Format
from book.render.pdf import _pdf_note
from book.source import tree as tree_
from tests.conftest import MakeProject


def test_a_note_s_source_lines_are_joined_but_code_keeps_its_lines() -> None:
    note = _pdf_note(
        "<p>However, it \nis <em>possible\n</em>that</p>\n<pre>x = 1\ny = 2</pre>", "n"
    )
    html = tree_.serialize(note)
    assert "However, it is <em>possible </em>that" in html
    assert "x = 1\ny = 2" in html


def test_a_note_written_over_several_lines_prints_as_one_paragraph(
    make_project: MakeProject,
) -> None:
    """WeasyPrint 70 failed on the space before the line break ("Got ' \\n'
    between two lines"), and printed the note's source lines as lines."""
    root = make_project(
        {
            "01-a.md": "# A\n\nText.[^a]\n\n[^a]: However, it \n"
            "    is possible that this note\n    flows as one paragraph.\n"
        }
    )
    (pdf,) = pipeline.build(root, (Format.PDF,), jobs=1).outputs
    text = "\n".join(page.extract_text() or "" for page in PdfReader(Path(pdf)).pages)
    assert "However, it is possible that this note flows as one paragraph." in text
