"""linesplit: cutting a paragraph where a printed line begins."""

from __future__ import annotations

from lxml import etree

from book.render.linesplit import split_block


def parts(markup: str, line_start: str) -> tuple[str, str] | None:
    root = etree.fromstring(f"<div>{markup}</div>")
    second = split_block(root[0], line_start)
    if second is None:
        return None
    return etree.tostring(root[0], encoding="unicode"), etree.tostring(second, encoding="unicode")


def test_split_in_plain_text() -> None:
    assert parts('<p id="p1" class="x">One two three four five six.</p>', "four five") == (
        '<p id="p1" class="x">One two three </p>',
        '<p class="x">four five six.</p>',
    )


def test_split_inside_nested_inline_elements_keeps_both_halves_styled() -> None:
    first, second = parts(
        '<p>Alpha <em>beta <a href="#x" id="l">gamma delta</a> eps</em> zeta.</p>', "delta eps"
    )  # type: ignore[misc]
    assert first == '<p>Alpha <em>beta <a href="#x" id="l">gamma </a></em></p>'
    assert second == '<p><em><a href="#x">delta</a> eps</em> zeta.</p>'


def test_split_in_a_tail_and_footnote_text_is_not_flow() -> None:
    markup = (
        '<p>Call<span class="footnote" id="n">note words here</span> then more words follow.</p>'
    )
    first, second = parts(markup, "more words follow")  # type: ignore[misc]
    assert first == '<p>Call<span class="footnote" id="n">note words here</span> then </p>'
    assert second == "<p>more words follow.</p>"
    assert parts(markup, "words here") is None  # text inside the note is not in the flow


def test_line_starting_inside_a_hyphenated_word_cuts_before_the_word() -> None:
    assert parts("<p>Japanese observers watched the digging.</p>", "servers watched the") == (
        "<p>Japanese </p>",
        "<p>observers watched the digging.</p>",
    )


def test_last_match_wins_and_unknown_words_change_nothing() -> None:
    assert parts("<p>a b c a b c</p>", "a b")[1] == "<p>a b c</p>"  # type: ignore[index]
    root = etree.fromstring("<div><p>text</p></div>")
    assert split_block(root[0], "absent words") is None
    assert etree.tostring(root, encoding="unicode") == "<div><p>text</p></div>"


def test_the_words_are_looked_for_before_the_call() -> None:
    markup = '<p>Start a b c here<span class="footnote" id="n">x</span> and a b c again</p>'
    root = etree.fromstring(f"<div>{markup}</div>")
    second = split_block(root[0], "a b c", before="n")
    assert second is not None
    assert etree.tostring(root[0], encoding="unicode") == "<p>Start </p>"
    assert etree.tostring(second, encoding="unicode").startswith("<p>a b c here")
