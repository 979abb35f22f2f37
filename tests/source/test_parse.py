"""parse: Markdown source -> format-neutral XHTML, diagnostics with lines."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from book.model import ChapterKind, ChapterSource, Matter
from book.source.parse import parse_chapter, parse_text

SOURCE = ChapterSource(Path("/p/chapters/01-x.md"), Path("chapters/01-x.md"))


def parse(markdown: str):  # type: ignore[no-untyped-def]
    return parse_text(SOURCE, textwrap.dedent(markdown))


def body(markdown: str) -> str:
    return parse(markdown).body


def codes(markdown: str) -> list[str]:
    return [f"{d.location.line}:{d.severity}:{d.code}" for d in parse(markdown).diagnostics]


def test_body_is_well_formed_xml_with_a_title() -> None:
    chapter = parse('# The "War" -- begins\n\nText<br>more.\n')
    assert chapter.title == "The \u201cWar\u201d \u2013 begins"
    root = etree.fromstring(chapter.body)
    assert root.tag == "body"
    assert root.find(".//br") is not None


def test_footnotes_become_placeholders_in_reference_order() -> None:
    chapter = parse(
        """
        First[^b] then[^a] and again[^b].

        [^a]: Note A.
        [^b]: Note B.

            Second paragraph of B.
        """
    )
    assert [note.label for note in chapter.footnotes] == ["b", "a"]
    assert chapter.footnotes[0].body == "<p>Note B.</p>\n<p>Second paragraph of B.</p>\n"
    assert chapter.footnotes[1].location.line == 4
    assert chapter.body.count('<a class="noteref" data-label="b"/>') == 2
    assert "footnote-backref" not in chapter.footnotes[0].body
    assert "fn:" not in chapter.body


def test_undefined_footnote_is_an_error_with_its_line() -> None:
    assert codes("Intro.\n\nA call[^missing] here.\n") == ["3:error:undefined-footnote"]


def test_footnote_syntax_inside_code_is_not_a_reference() -> None:
    assert codes("Use `[^x]` in code.\n\n```\n[^y]\n```\n") == []


def test_unused_and_duplicate_definitions_are_warnings() -> None:
    found = codes(
        """
        Call[^a].

        [^a]: One.
        [^unused]: Never called.
        [^a]: One again.
        """
    )
    assert "5:warning:unused-footnote" in found
    assert "6:warning:duplicate-footnote" in found


def test_lone_image_becomes_a_figure_with_caption_and_id() -> None:
    xhtml = body('![A map of the lake](figures/map.svg "The lake in 1938"){#fig-lake}\n')
    figure = etree.fromstring(xhtml).find(".//figure")
    assert figure is not None
    assert figure.get("id") == "fig-lake"
    image = figure.find("img")
    assert image is not None and image.get("alt") == "A map of the lake"
    assert image.get("title") is None
    assert figure.findtext(".//span[@class='caption']") == "The lake in 1938"


def test_caption_falls_back_to_alt_text() -> None:
    xhtml = body("![Only alt](a.png)\n")
    assert etree.fromstring(xhtml).findtext(".//figcaption/span[@class='caption']") == "Only alt"


def test_inline_image_stays_inline() -> None:
    xhtml = body("Text ![icon](i.png) text.\n")
    assert "<figure" not in xhtml and '<img alt="icon" src="i.png"/>' in xhtml


def test_image_without_alt_is_a_warning() -> None:
    assert codes("Intro.\n\n![](figures/x.png)\n") == ["3:warning:missing-alt"]


def test_remote_images_are_left_to_assemble() -> None:
    chapter = parse("![badge](https://example.invalid/b.png)\n")
    assert [i.src for i in chapter.images] == ["https://example.invalid/b.png"]
    assert chapter.diagnostics == ()


def test_images_are_collected_with_lines() -> None:
    chapter = parse('# T\n\n![a](one.png)\n\n<p><img src="two.svg" alt="b"></p>\n')
    assert [(i.src, i.location.line) for i in chapter.images] == [("one.png", 3), ("two.svg", 5)]


def test_table_caption_and_id() -> None:
    xhtml = body(
        """
        | a | b |
        |---|---|
        | 1 | 2 |

        Table: Forces *approximate* {#tbl-forces}
        """
    )
    table = etree.fromstring(xhtml).find(".//table")
    assert table is not None and table.get("id") == "tbl-forces"
    caption = table.find("caption")
    assert caption is not None
    assert etree.tostring(caption.find("span[@class='caption']"), encoding="unicode").startswith(
        '<span class="caption">Forces <em>approximate</em></span>'
    )
    assert "Table:" not in xhtml


def test_github_habits() -> None:
    xhtml = body(
        """
        - one
          - nested by two
        - [x] done
        - ~~struck~~
        """
    )
    root = etree.fromstring(xhtml)
    assert root.find("./ul/li/ul/li") is not None
    assert root.find(".//del") is not None
    assert root.find(".//input[@type='checkbox']") is not None


def test_fenced_code_is_highlighted_by_pygments() -> None:
    xhtml = body("```python\ndef f():\n    return 1\n```\n")
    assert '<div class="highlight">' in xhtml
    assert '<span class="k">def</span>' in xhtml


def test_extensions_definition_lists_abbreviations_admonitions() -> None:
    xhtml = body(
        """
        Term
        :   Definition

        The NKVD acted.

        *[NKVD]: People's Commissariat for Internal Affairs

        !!! note "Careful"
            Numbers are approximate.
        """
    )
    assert "<dt>Term</dt>" in xhtml and "<dd>Definition</dd>" in xhtml
    assert '<abbr title="People\'s Commissariat for Internal Affairs">NKVD</abbr>' in xhtml
    assert '<div class="admonition note">' in xhtml


def test_raw_html_becomes_well_formed_and_svg_keeps_case() -> None:
    xhtml = body(
        '<div class="x"><p>a<br>b</p><svg viewBox="0 0 1 1"><linearGradient id="g"/></svg></div>\n'
    )
    root = etree.fromstring(xhtml)
    svg = root.find(".//{http://www.w3.org/2000/svg}svg")
    assert svg is not None and svg.get("viewBox") == "0 0 1 1"
    assert svg.find("{http://www.w3.org/2000/svg}linearGradient") is not None


def test_title_of_a_chapter_without_heading() -> None:
    source = ChapterSource(SOURCE.path, SOURCE.display, ChapterKind.COPYRIGHT, Matter.FRONT)
    assert parse_text(source, "Copyright 2026.\n").title == "Copyright"


def test_invalid_utf8_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(b"# Title\n\nfine\n\nbad \xff byte\n")
    chapter = parse_chapter(ChapterSource(path, Path("chapters/bad.md")))
    (problem,) = chapter.diagnostics
    assert str(problem).startswith(
        "chapters/bad.md:5: error: invalid UTF-8 at column 5 (byte 0xff)"
    )
    assert problem.code == "encoding"


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    chapter = parse_chapter(ChapterSource(tmp_path / "gone.md", Path("chapters/gone.md")))
    assert [d.code for d in chapter.diagnostics] == ["unreadable"]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_parsing_arbitrary_text_never_raises(text: str) -> None:
    chapter = parse_text(SOURCE, text)
    etree.fromstring(chapter.body)  # always well-formed


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c", "1"]), min_size=1, max_size=6))
def test_footnote_placeholders_match_records(labels: list[str]) -> None:
    calls = " ".join(f"x[^{label}]" for label in labels)
    definitions = "\n".join(f"[^{label}]: note {label}" for label in sorted(set(labels)))
    chapter = parse_text(SOURCE, f"{calls}\n\n{definitions}\n")
    assert [n.label for n in chapter.footnotes] == list(dict.fromkeys(labels))
    assert chapter.body.count('class="noteref"') == len(labels)


def _markdown(language: str, ours: bool):  # type: ignore[no-untyped-def]
    """The chapter processor's extensions with octavo's smarty pass or Python-Markdown's."""
    import markdown

    from book.source.critic_markdown import CriticExtension
    from book.source.parse import EXTENSION_CONFIGS, EXTENSIONS
    from book.source.smarty import Smarty
    from book.source.words import quotes

    names = ("left-single-quote", "right-single-quote", "left-double-quote", "right-double-quote")
    config = {"substitutions": dict(zip(names, quotes(language), strict=True))}
    smarty: object = Smarty(**config) if ours else "markdown.extensions.smarty"
    configs = dict(EXTENSION_CONFIGS)
    if not ours:
        configs["markdown.extensions.smarty"] = config
    return markdown.Markdown(
        extensions=[*EXTENSIONS, smarty, CriticExtension()],
        extension_configs=configs,
        output_format="html",
    )


TRICKY = [
    "'Tis the '90s, \"she said\" -- 'yes'... --- and rock'n'roll",
    "\"'Nested'\" and '\"nested\"' and 5'6\" and ''x'' \"\"y\"\"",
    '*"em"* and "*em*" and \'`code\'`\' and **\'bold\'** _"it"_',
    '["link"](http://x) !["alt"](y.png) <b>"x"</b> &nbsp;\'z\' &mdash;"w"',
    "A ... B.... C.. D...E ---- --'x' x\\\"y\\'z",
]


@pytest.mark.parametrize("language", ["en", "es"])
def test_smart_punctuation_equals_python_markdowns_smarty(language: str) -> None:
    """octavo's lighter smarty pass gives byte for byte what smarty gives: on
    the sample book, on tricky quoting, and on random strings of the
    characters its patterns look at (in languages whose closing single quote
    is the apostrophe, where octavo's apostrophes agree with smarty's)."""
    import random

    from tests.conftest import REPO

    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "chapters").glob("*.md"))]
    rng = random.Random(7)
    pieces = [
        "'",
        '"',
        "-",
        "--",
        "---",
        ".",
        "...",
        " ",
        "a",
        "s",
        "9",
        "*",
        "_",
        "`",
        "<b>",
        "</b>",
        "&nbsp;",
        "\u2014",
        "(",
        ")",
        "[",
        "]",
        "\n",
        "\\",
        ",",
        "{",
        "}",
    ]
    randoms = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(400)]
    theirs, ours = _markdown(language, ours=False), _markdown(language, ours=True)
    for text in [*texts, *TRICKY, *randoms]:
        theirs.reset()
        ours.reset()
        assert ours.convert(text) == theirs.convert(text), text
    ours.reset()
    assert "It's" not in ours.convert("It's")  # the pass did run


@pytest.mark.parametrize(
    ("language", "quoted"),
    [("de", "\u201eja\u201c"), ("fr", "\u00ab\u202fja\u202f\u00bb"), ("ru", "\u00abja\u00bb")],
)
def test_an_apostrophe_is_an_apostrophe_in_every_language(language: str, quoted: str) -> None:
    """smarty would set the language's closing single quote: U+2018 in
    German, a spaced U+203A in French."""
    from book.source.parse import _processor

    md = _processor(language)
    md.reset()
    html = md.convert("L'homme sagt \"ja\", it's the '90s.")
    assert "L\u2019homme" in html and "it\u2019s" in html and "\u201990s" in html
    assert quoted in html  # quotes stay the language's own


def test_markdown_attributes_never_reach_the_output() -> None:
    """``markdown="1"`` tells Python-Markdown to read inside raw HTML; an element
    it does not handle (a span inside a div) kept it, which EPUBCheck refuses."""
    source = (
        '# T\n\n<aside markdown="1">\n\n**Hi** there\n\n</aside>\n\n'
        '<div markdown="1">\n<span markdown="1">*x*</span>\n</div>\n'
    )
    chapter = parse_text(ChapterSource(Path("/tmp/x.md"), Path("chapters/x.md")), source)
    assert "markdown=" not in chapter.body
    assert "<strong>Hi</strong>" in chapter.body and "<em>x</em>" in chapter.body
