"""dialects: mdBook, MyST and pandoc habits normalised before Python-Markdown."""

from __future__ import annotations

import textwrap

from lxml import etree

from book.source import dialects
from tests.source.test_parse import body, codes


def d(text: str) -> str:
    return textwrap.dedent(text)


def test_rustdoc_info_strings_keep_the_language() -> None:
    assert dialects.fence_info_strings("```rust,ignore\nx\n```\n") == "```rust\nx\n```\n"
    assert dialects.fence_info_strings("  ```rust ,compile_fail,E0597\n") == "  ```rust\n"
    assert '<span class="k">fn</span>' in body("```rust,ignore\nfn main() {}\n```\n")


def test_rust_hidden_lines_are_dropped_only_in_rust() -> None:
    text = "```rust\n# use std::x;\n#[derive(Debug)]\nfn f() {}\n```\n\n```python\n# comment\n```\n"
    assert dialects.rust_hidden_lines(text) == (
        "```rust\n#[derive(Debug)]\nfn f() {}\n```\n\n```python\n# comment\n```\n"
    )


def test_title_header_becomes_a_heading() -> None:
    out = dialects.title_header("title: A Web Crawler\nauthor: A. Jesse\n\nText.\n")
    assert out.startswith("# A Web Crawler\n")
    assert '<p class="byline">A. Jesse</p>' in out
    assert dialects.title_header("No header.\n") == "No header.\n"


def test_print_only_blocks_keep_line_numbers() -> None:
    text = "a\n<latex>\n\\begin{table}\n</latex>\n<markdown>\nkept\n</markdown>\nb\n"
    out = dialects.print_only_blocks(text)
    assert "begin{table}" not in out and "kept" in out and "<markdown>" not in out
    assert out.count("\n") == text.count("\n")


def test_code_is_left_alone() -> None:
    text = "```html\n<latex>x</latex>\n\\newpage\n```\n"
    assert dialects.print_only_blocks(text) == text
    assert dialects.tex_layout_commands(text) == text


def test_newpage_becomes_a_page_break() -> None:
    assert dialects.tex_layout_commands("a\n\n\\newpage\n\n\\noindent b\n") == (
        'a\n\n<div class="page-break"></div>\n\nb\n'
    )


def test_pandoc_table_caption() -> None:
    xhtml = body("| a |\n|---|\n| 1 |\n\n: Forces, approximate\n")
    caption = etree.fromstring(xhtml).find(".//table/caption/span[@class='caption']")
    assert caption is not None and caption.text == "Forces, approximate"


def test_myst_figure_becomes_a_numbered_figure() -> None:
    text = d(
        """
        ```{figure} ../figures/branch.png
        ---
        name: main-branch
        alt: A line of commits
        ---
        The _main_ branch.
        ```

        After.
        """
    )
    out = dialects.myst_figures(text)
    assert out.count("\n") == text.count("\n")
    root = etree.fromstring(body(text))
    figure = root.find(".//figure")
    assert figure is not None and figure.get("id") == "main-branch"
    image = figure.find("img")
    assert image is not None and image.get("alt") == "A line of commits"
    assert figure.find("figcaption/span[@class='caption']/em") is not None
    assert root.findtext("p") == "After."


def test_myst_targets_and_refs() -> None:
    out = dialects.myst_targets(
        "(rr-vcs)=\n# Version Control\n\nSee {ref}`rr-vcs` or {ref}`this <rr-vcs>`.\n"
    )
    assert out.startswith("# Version Control {#rr-vcs}\n")
    assert "[](#rr-vcs)" in out and "[this](#rr-vcs)" in out


def test_markdown_inside_block_html() -> None:
    xhtml = body(
        '<div class="warning">\n\nSee the [tracker](https://example.invalid/).\n\n</div>\n'
    )
    assert '<a href="https://example.invalid/">tracker</a>' in xhtml
    xhtml = body("<details><summary>Why</summary>\n\nUse `Vec<T>`.\n\n</details>\n")
    assert "<code>Vec&lt;T&gt;</code>" in xhtml


def test_lists_nested_by_four_spaces_nest() -> None:
    text = "- parent\n    - child\n    - child two\n- next\n"
    assert dialects.list_indentation(text) == "- parent\n  - child\n  - child two\n- next\n"
    root = etree.fromstring(body(text))
    assert [li.text for li in root.findall("./ul/li/ul/li")] == ["child", "child two"]


def test_two_space_lists_and_code_in_items() -> None:
    text = "- a\n  - b\n\n1. step\n\n   ```sh\n   ls\n   ```\n\n   more\n"
    assert dialects.list_indentation("- a\n  - b\n") == "- a\n  - b\n"
    root = etree.fromstring(body(text))
    assert root.find("./ul/li/ul/li") is not None
    item = root.find("./ol/li")
    assert item is not None
    assert [child.tag for child in item] == ["p", "div", "p"]
    assert item[1].findtext("pre/code") == "ls\n"


def test_html_comments_do_not_crash_and_unknown_tags_warn() -> None:
    assert codes("<!-- note to self -->\n\nText <latexx>y</latexx>.\n") == ["3:warning:unknown-tag"]
    assert "note to self" not in body("<!-- note to self -->\n\nText.\n")
