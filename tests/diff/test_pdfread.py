"""Reading PDFs for ``book diff``: words, folios, chapters and images, from small PDFs made here."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
import weasyprint

from book.diff.pairing import Chapter
from book.diff.pdfread import opened, read_pages, render
from book.errors import InputError

STYLE = """
@page { size: 300pt 400pt; margin: 40pt;
        @bottom-center { content: counter(page); font-size: 9pt } }
@page blank { @bottom-center { content: none } }
body { font-size: 10pt; }
section { break-after: page; }
section.blank { page: blank; }
h1 { font-size: 14pt; margin: 0 0 10pt; }
p.label { margin: 0; }
"""


def make_pdf(path: Path, pages: Sequence[str]) -> Path:
    """A PDF with one page per HTML snippet, folios at the foot, bookmarks from <h1>."""
    body = "".join(
        f'<section class="blank">{html.removeprefix("blank:")}</section>'
        if html.startswith("blank:")
        else f"<section>{html}</section>"
        for html in pages
    )
    document = f'<html lang="en"><style>{STYLE}</style><body>{body}</body></html>'
    weasyprint.HTML(string=document).write_pdf(path)
    return path


def chapter(label: str, title: str, text: str) -> str:
    """The first page of a chapter: a label line above its title."""
    return f'<p class="label">{label}</p><h1>{title}</h1><p>{text}</p>'


def test_words_folios_and_chapters(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "a.pdf",
        [
            "<p>A title page.</p>",
            chapter("Chapter 1", "The Frontier", "Lines on old maps were drawn in 1860"),
            "<p>More about the frontier.</p>",
            chapter("Chapter 2", "Khasan", "Two hills above a lake."),
        ],
    )
    with opened(pdf) as document:
        pages = read_pages(document)
    assert [p.folio for p in pages] == ["1", "2", "3", "4"]
    assert pages[1].text == "Chapter 1 The Frontier Lines on old maps were drawn in 1860"
    assert pages[0].chapter is None
    assert pages[1].chapter == Chapter("The Frontier", "Chapter 1", 2)
    assert pages[2].chapter == pages[1].chapter
    assert pages[3].chapter == Chapter("Khasan", "Chapter 2", 4)
    assert pages[1].size == (300.0, 400.0)
    assert pages[1].folio_box is not None and pages[1].folio_box[1] > 300  # at the foot


def test_a_number_in_the_text_is_no_folio(tmp_path: Path) -> None:
    """Numbers that end the first or last line of the body are not at the page's edge."""
    pdf = make_pdf(tmp_path / "a.pdf", ["<p>1939</p><p>The war came in 1945</p>"])
    with opened(pdf) as document:
        (page,) = read_pages(document)
    assert page.folio == "1"
    assert page.text == "1939 The war came in 1945"


def test_a_title_alone_has_no_label(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", ["<h1>Contents</h1><p>Chapter one, page 1.</p>"])
    with opened(pdf) as document:
        (page,) = read_pages(document)
    assert page.chapter == Chapter("Contents", "", 1)
    assert page.chapter.name == "Contents"


def test_a_word_hyphenated_at_a_line_end_is_whole(tmp_path: Path) -> None:
    html = '<p style="width: 60pt">an extra&shy;ordinarily long word</p>'
    pdf = make_pdf(tmp_path / "a.pdf", [html])
    with opened(pdf) as document:
        (page,) = read_pages(document)
    word = next(w for w in page.words if w.text.startswith("extra"))
    assert word.text == "extraordinarily"
    assert len(word.boxes) == 2  # one per line


def test_render_at_a_resolution(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "a.pdf", ["<p>Text.</p>"])
    with opened(pdf) as document:
        image = render(document, 1, 36)
    assert image.size == (150, 200)
    assert image.mode == "RGB"


@pytest.mark.parametrize(
    ("content", "code"),
    [(None, "missing-file"), (b"hello", "not-pdf"), (b"%PDF-1.7\nbroken", "bad-pdf")],
)
def test_unreadable_inputs(tmp_path: Path, content: bytes | None, code: str) -> None:
    path = tmp_path / "x.pdf"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as caught, opened(path):
        pass
    assert caught.value.message.startswith("error: ")
    assert caught.value.message.endswith(f"[{code}]")
