"""critic: CriticMarkup found with its lines, resolved, and shown as elements."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from book.model import ChangeMode, ChapterSource
from book.proof import changes as changes_listing
from book.source import critic
from book.source.critic import Kind
from book.source.parse import parse_text

SOURCE = textwrap.dedent(
    """\
    # Title

    Some {++added *text*++} and {--gone--} here.
    A {~~old~>new~~} word, {==marked==}{>>why?<<} and {>>a lone
    comment over two lines<<} end.

    ```python
    x = "{++not a change++}"
    ```

    Inline `{--code--}` stays, and ``a `{==b==}` c`` too.

    {++A whole

    new paragraph.++}
    """
)
PATH = Path("chapters/01-a.md")


def kinds_and_lines(text: str) -> list[tuple[Kind, int]]:
    return [(c.kind, c.line) for c in critic.scan(text, PATH)]


def test_scan_finds_every_mark_with_its_line() -> None:
    assert kinds_and_lines(SOURCE) == [
        (Kind.INSERTION, 3),
        (Kind.DELETION, 3),
        (Kind.SUBSTITUTION, 4),
        (Kind.HIGHLIGHT, 4),
        (Kind.COMMENT, 4),
        (Kind.INSERTION, 13),
    ]


def test_scan_records_the_texts() -> None:
    changes = critic.scan(SOURCE, PATH)
    assert changes[0].new == "added *text*" and changes[0].path == PATH
    assert changes[1].old == "gone"
    assert (changes[2].old, changes[2].new) == ("old", "new")
    assert (changes[3].old, changes[3].comment) == ("marked", "why?")
    assert changes[4].comment == "a lone\ncomment over two lines"
    assert changes[5].new == "A whole\n\nnew paragraph."


def test_code_is_not_scanned() -> None:
    assert critic.scan("```\n{++a++}\n```\n\n~~~~\n{--b--}\n~~~~\n\n`{==c==}`\n") == ()
    assert kinds_and_lines("```\ncode\n```\n{++after++}\n") == [(Kind.INSERTION, 4)]


def test_unclosed_marks_are_text() -> None:
    assert critic.scan("{++ never closed, {-- nor this, {~~ nor~> this") == ()
    assert kinds_and_lines("{++ open {--gone--}") == [(Kind.DELETION, 1)]


def test_accept_and_reject() -> None:
    text = "A {++new ++}word, {--old --}text, {~~red~>blue~~} {==sky==}{>>hm<<}.\n"
    assert critic.resolve(text, accept=True) == "A new word, text, blue sky.\n"
    assert critic.resolve(text, accept=False) == "A word, old text, red sky.\n"


def test_a_removed_mark_alone_on_its_line_takes_the_line() -> None:
    text = "First line\n{>>a note<<}\nsecond line of the same paragraph.\n"
    assert critic.resolve(text, accept=True) == "First line\nsecond line of the same paragraph.\n"


def test_resolve_leaves_code_alone() -> None:
    text = "`{++x++}` and {++y++}\n```\n{--z--}\n```\n"
    assert critic.resolve(text, accept=False) == "`{++x++}` and\n```\n{--z--}\n```\n"


def test_split_paragraphs_keeps_lines() -> None:
    split = critic.split_paragraphs("{++one\n\ntwo++} and {~~a\n\nb~>c~~}\n")
    assert split == "{++one++}\n\n{++two++} and {--a--}\n\n{--b--}{++c++}\n"
    assert split.count("\n") == 5


def test_describe_and_summary() -> None:
    changes = critic.scan(SOURCE, PATH)
    assert critic.describe(changes[2]) == 'substitution: "old" -> "new"'
    assert critic.describe(changes[3]) == 'highlight: "marked" with comment "why?"'
    assert critic.describe(changes[4]) == 'comment: "a lone comment over two lines"'
    assert changes_listing.summary(changes) == (
        "6 open: 2 insertions, 1 deletion, 1 substitution, 1 highlight, 1 comment in 1 file"
    )
    assert changes_listing.summary(()) == "no open changes or comments"
    assert changes_listing.as_dict(changes[0])["line"] == 3


# --- through the parser --------------------------------------------------------------


def parsed(text: str, changes: ChangeMode = ChangeMode.SHOW) -> tuple[str, list[str]]:
    source = ChapterSource(Path("/p/chapters/01-a.md"), PATH)
    chapter = parse_text(source, text, "en", changes)
    return chapter.body, [str(d) for d in chapter.diagnostics]


def test_marks_become_elements_the_sanitizer_keeps() -> None:
    body, problems = parsed(SOURCE)
    assert '<ins class="critic">added <em>text</em></ins>' in body
    assert '<del class="critic">gone</del>' in body
    assert (
        '<span class="critic-substitution"><del class="critic">old</del>'
        '<ins class="critic">new</ins></span>' in body
    )
    assert '<mark class="critic">marked</mark><span class="critic-comment">why?</span>' in body
    assert '<p><ins class="critic">A whole</ins></p>' in body
    assert '<p><ins class="critic">new paragraph.</ins></p>' in body
    assert "{++not a change++}" in body and "<code>{--code--}</code>" in body
    assert problems == []


def test_a_normal_build_warns_with_file_and_line() -> None:
    body, problems = parsed(SOURCE, ChangeMode.FLAG)
    assert '<del class="critic">gone</del>' in body
    assert problems[0] == (
        'chapters/01-a.md:3: warning: unresolved insertion: "added *text*" [criticmarkup]'
    )
    assert [p.split(":")[1] for p in problems] == ["3", "3", "4", "4", "4", "13"]


@pytest.mark.parametrize(
    ("mode", "kept", "gone"),
    [
        (
            ChangeMode.ACCEPT,
            ["added <em>text</em>", "new word", "A whole"],
            ["gone", "old", "why?"],
        ),
        (ChangeMode.REJECT, ["gone", "old word"], ["added", "new word", "A whole", "why?"]),
    ],
)
def test_accept_and_reject_give_clean_text(
    mode: ChangeMode, kept: list[str], gone: list[str]
) -> None:
    body, problems = parsed(SOURCE, mode)
    assert problems == []
    assert "critic" not in body
    assert "marked" in body
    for words in kept:
        assert words in body
    for words in gone:
        assert words not in body


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="{}+-~=<>`\n ab", max_size=80))
def test_scan_and_resolve_never_fail(text: str) -> None:
    changes = critic.scan(text)
    for change in changes:
        assert text[change.start] == "{" and text[change.end - 1] == "}"
    critic.resolve(text, accept=True)
    assert critic.split_paragraphs(text).count("\n") == text.count("\n")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="{}+-~=<>`\n \r\x0bab", max_size=80))
def test_masking_code_never_makes_a_mark(text: str) -> None:
    """scan skips texts with no ``OPENING``: masking must not create one."""
    masked = critic.mask_code(text)
    assert len(masked) == len(text)
    if critic.OPENING.search(masked):
        assert critic.OPENING.search(text)


def test_comments_leave_headings() -> None:
    body, _ = parsed("# One {>>title comment<<}\n\n## Two *x* {>>b<<}\n\nText.\n")
    assert '<h1 id="one">One</h1>' in body
    assert (
        '<div class="critic-comments"><span class="critic-comment">title comment</span></div>'
        in body
    )
    assert '<h2 id="two-x">Two <em>x</em></h2>' in body
